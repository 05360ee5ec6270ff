//! Sales targets as use cases. Everyone reads the targets their sales scope reaches (a rep
//! their own, a manager their team's and its members'); administrators set any target and
//! sales managers those of their own team and its members. A target overlapping another of
//! its subject and measure is refused (409).

use crate::App;
use crate::error::AppResult;
use rehber_domain::target::{Period, SalesTarget, TargetForm, TargetSubject};
use rehber_domain::{Actor, Error, Role, TeamId, UserId};
use rehber_store::{AuditChange, AuditEntry, StoreError};

fn audit(actor: &Actor, id: i64, action: &'static str, target: &SalesTarget) -> AuditEntry {
    let subject = match target.fields.subject {
        TargetSubject::User(user) => format!("user:{}", user.0),
        TargetSubject::Team(team) => format!("team:{}", team.0),
    };
    let f = &target.fields;
    let change = |field: &str, to: String| AuditChange {
        field: field.into(),
        from: String::new(),
        to,
    };
    AuditEntry {
        actor: Some(actor.user_id),
        record_type: "sales_target",
        record_id: id,
        action,
        changes: vec![
            change("subject", subject),
            change("metric", f.metric.as_str().into()),
            change("period", format!("{}..{}", f.period.start, f.period.end)),
            change(
                "target",
                match &f.currency {
                    Some(currency) => format!("{} {currency}", f.target),
                    None => f.target.to_string(),
                },
            ),
        ],
    }
}

impl App {
    /// The targets the actor may see that share a day with `within` (all when `None`).
    pub async fn targets(
        &self,
        actor: &Actor,
        within: Option<Period>,
    ) -> AppResult<Vec<SalesTarget>> {
        Ok(self.store.scoped(actor).targets(within).await?)
    }

    pub async fn target(&self, actor: &Actor, id: i64) -> AppResult<SalesTarget> {
        Ok(self.store.scoped(actor).target(id).await?)
    }

    /// Whether the actor may set targets of `subject`: administrators any, sales managers
    /// their own team's and its members'.
    pub async fn may_set_target(&self, actor: &Actor, subject: TargetSubject) -> AppResult<bool> {
        match actor.role {
            Role::Administrator => Ok(true),
            Role::SalesManager => {
                let Some(team) = actor.team_id else {
                    return Ok(false);
                };
                Ok(match subject {
                    TargetSubject::Team(other) => other == team,
                    TargetSubject::User(user) => {
                        self.user_team(user).await?.is_some_and(|t| t == team)
                    }
                })
            }
            _ => Ok(false),
        }
    }

    /// Whether the actor may set any target at all (shows the target form).
    pub fn sets_targets(actor: &Actor) -> bool {
        match actor.role {
            Role::Administrator => true,
            Role::SalesManager => actor.team_id.is_some(),
            _ => false,
        }
    }

    async fn user_team(&self, user: UserId) -> AppResult<Option<TeamId>> {
        match self.store.get_user(user).await {
            Ok(found) => Ok(found.team_id),
            Err(StoreError::NotFound) => {
                Err(Error::field("user_id", "invalid-unknown-value").into())
            }
            Err(other) => Err(other.into()),
        }
    }

    /// Checks that the subject exists and that the actor may set its targets.
    async fn check_subject(&self, actor: &Actor, subject: TargetSubject) -> AppResult<()> {
        match subject {
            TargetSubject::User(user) => {
                self.user_team(user).await?;
            }
            TargetSubject::Team(team) => match self.store.get_team(team).await {
                Ok(_) => {}
                Err(StoreError::NotFound) => {
                    return Err(Error::field("team_id", "invalid-unknown-value").into());
                }
                Err(other) => return Err(other.into()),
            },
        }
        if !self.may_set_target(actor, subject).await? {
            return Err(Error::Forbidden.into());
        }
        Ok(())
    }

    pub async fn create_target(&self, actor: &Actor, form: &TargetForm) -> AppResult<SalesTarget> {
        if !Self::sets_targets(actor) {
            return Err(Error::Forbidden.into());
        }
        let fields = form.parse()?;
        self.check_subject(actor, fields.subject).await?;
        let draft = SalesTarget {
            id: 0,
            fields,
            version: 1,
        };
        let id = self
            .store
            .insert_target(
                &draft.fields,
                actor.user_id,
                audit(actor, 0, "create", &draft),
            )
            .await?;
        self.target(actor, id).await
    }

    /// Changes a target: the fields `patch` gives, the rest kept; `version`, when given,
    /// must still be current.
    pub async fn update_target(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        patch: TargetPatch,
    ) -> AppResult<SalesTarget> {
        let current = self.target(actor, id).await?;
        if !self.may_set_target(actor, current.fields.subject).await? {
            return Err(Error::Forbidden.into());
        }
        if version.is_some_and(|v| v != current.version) {
            return Err(Error::StaleVersion.into());
        }
        let fields = patch.apply(&current).parse()?;
        self.check_subject(actor, fields.subject).await?;
        let next = SalesTarget {
            id,
            fields,
            version: current.version,
        };
        self.store
            .update_target(
                id,
                current.version,
                &next.fields,
                audit(actor, id, "update", &next),
            )
            .await?;
        self.target(actor, id).await
    }

    pub async fn delete_target(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let current = self.target(actor, id).await?;
        if !self.may_set_target(actor, current.fields.subject).await? {
            return Err(Error::Forbidden.into());
        }
        self.store
            .delete_target(id, audit(actor, id, "delete", &current))
            .await?;
        Ok(())
    }
}

/// The fields of a target a request changes (`None` keeps the stored value). The target
/// is in minor units for the won amount, else a count; naming a user or a team makes it
/// the subject in place of the stored one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetPatch {
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub user_id: Option<i64>,
    pub team_id: Option<i64>,
    pub metric: Option<String>,
    pub target: Option<i64>,
    pub currency: Option<String>,
}

impl TargetPatch {
    /// The target as typed after this patch (all of a new target's fields when `current`
    /// is a blank one).
    pub fn apply(self, current: &SalesTarget) -> TargetForm {
        let mut form = target_form(current);
        if let Some(start) = self.period_start {
            form.period_start = start;
        }
        if let Some(end) = self.period_end {
            form.period_end = end;
        }
        if self.user_id.is_some() || self.team_id.is_some() {
            let id = |id: Option<i64>| id.map(|i| i.to_string()).unwrap_or_default();
            form.user_id = id(self.user_id);
            form.team_id = id(self.team_id);
        }
        if let Some(metric) = self.metric {
            form.metric = metric;
        }
        if let Some(currency) = self.currency {
            form.currency = currency;
        }
        let minor = self.target.or_else(|| {
            // A measure changed between amount and count keeps the number as it was stored.
            (!form.target.is_empty()).then_some(current.fields.target)
        });
        form.target = minor
            .map(|minor| target_text(&form.metric, minor))
            .unwrap_or_default();
        form
    }
}

/// A target given as a number (minor units for the won amount, else a count) as typed.
pub fn target_text(metric: &str, number: i64) -> String {
    let amount = rehber_domain::target::TargetMetric::parse(metric).is_some_and(|m| m.is_amount());
    if amount {
        rehber_domain::Money {
            minor: number,
            currency: "TRY".into(),
        }
        .to_decimal_string()
    } else {
        number.to_string()
    }
}

/// A stored target back as typed (for a form that edits it, or a patch that keeps the rest).
pub fn target_form(target: &SalesTarget) -> TargetForm {
    let f = &target.fields;
    let (user_id, team_id) = match f.subject {
        TargetSubject::User(user) => (user.0.to_string(), String::new()),
        TargetSubject::Team(team) => (String::new(), team.0.to_string()),
    };
    TargetForm {
        period_start: f.period.start.to_string(),
        period_end: f.period.end.to_string(),
        user_id,
        team_id,
        metric: f.metric.as_str().into(),
        target: match &f.currency {
            Some(currency) => rehber_domain::Money {
                minor: f.target,
                currency: currency.clone(),
            }
            .to_decimal_string(),
            None => f.target.to_string(),
        },
        currency: f.currency.clone().unwrap_or_default(),
    }
}
