//! The forecast of a month or a quarter, for a rep, a team or everyone the caller may see:
//! per rep and in total, the target, what is closed won, commit, best case, the weighted
//! pipeline and the gap, in TRY (other currencies at the latest rate on or before today; a
//! deal or target without a rate is counted, not summed, and named). Open deals whose
//! expected close has passed are listed to fix: the forecast never moves them forward.
//!
//! A group's target is its own (a team's) when it has one for that measure, else the sum of
//! its reps'.

use crate::App;
use crate::error::AppResult;
use crate::rates::RateBook;
use jiff::civil::Date;
use rehber_domain::deal::{Deal, ForecastCategory};
use rehber_domain::pipeline::StageKind;
use rehber_domain::target::{
    ForecastLine, OpenDealCount, Period, PeriodKind, SalesTarget, TargetMetric, TargetSubject,
};
use rehber_domain::{Actor, Error, Role, TeamId, UserId, Visibility};
use rehber_store::User;
use std::collections::BTreeMap;

/// Overdue deals a forecast lists at most.
pub const OVERDUE_LISTED: u64 = 50;

/// One rep's line (or the deals without an owner).
#[derive(Debug, Clone)]
pub struct ForecastRow {
    pub owner: Option<UserId>,
    pub name: String,
    pub line: ForecastLine,
}

/// A forecast as computed.
#[derive(Debug, Clone)]
pub struct Forecast {
    pub kind: PeriodKind,
    pub period: Period,
    /// Whose forecast: a rep, a team, or everyone in view (`None`).
    pub subject: Option<TargetSubject>,
    /// The rep's or team's name; empty for everyone.
    pub subject_name: String,
    pub total: ForecastLine,
    pub rows: Vec<ForecastRow>,
    /// Open deals whose expected close has passed, the oldest first (at most
    /// [`OVERDUE_LISTED`]), and how many there are.
    pub overdue: Vec<Deal>,
    pub overdue_count: i64,
    /// Rates used, by currency: `(day, TRY per unit × 10^6)`.
    pub rates: Vec<(String, Date, i64)>,
    /// Currencies of deals or targets with no rate on or before today.
    pub missing_rates: Vec<String>,
}

/// The subjects an actor may ask a forecast of, and the one they see first.
#[derive(Debug, Clone)]
pub struct ForecastChoices {
    pub default: Option<TargetSubject>,
    /// `(subject, name)`, teams first; `None` is "everyone".
    pub subjects: Vec<(Option<TargetSubject>, String)>,
}

impl App {
    /// Whom the actor may ask a forecast of: a rep themselves; a manager their team and its
    /// members; everyone else (who sees every deal) anyone, or everyone at once.
    pub async fn forecast_choices(&self, actor: &Actor) -> AppResult<ForecastChoices> {
        let users = self.store.list_users().await?;
        let teams = self.store.list_teams().await?;
        let sells = |u: &User| matches!(u.role, Role::SalesRep | Role::SalesManager) && u.active;
        let mut subjects = Vec::new();
        let default = match actor.visibility(rehber_domain::access::RecordKind::Deal) {
            Visibility::Owner(user) => {
                let name = users.iter().find(|u| u.id == user).map(|u| u.name.clone());
                subjects.push((Some(TargetSubject::User(user)), name.unwrap_or_default()));
                Some(TargetSubject::User(user))
            }
            Visibility::Team(team) => {
                let name = teams.iter().find(|t| t.id == team).map(|t| t.name.clone());
                subjects.push((Some(TargetSubject::Team(team)), name.unwrap_or_default()));
                for user in users.iter().filter(|u| u.team_id == Some(team) && sells(u)) {
                    subjects.push((Some(TargetSubject::User(user.id)), user.name.clone()));
                }
                Some(TargetSubject::Team(team))
            }
            Visibility::All => {
                subjects.push((None, String::new()));
                for team in &teams {
                    subjects.push((Some(TargetSubject::Team(team.id)), team.name.clone()));
                }
                for user in users.iter().filter(|u| sells(u)) {
                    subjects.push((Some(TargetSubject::User(user.id)), user.name.clone()));
                }
                None
            }
        };
        Ok(ForecastChoices { default, subjects })
    }

    /// The forecast of the `kind` period holding `day`, for `subject` (`None`: the actor's
    /// default, see [`App::forecast_choices`]). A subject outside the actor's view is
    /// refused; an unknown one is not found.
    pub async fn forecast(
        &self,
        actor: &Actor,
        kind: PeriodKind,
        day: Date,
        subject: Option<TargetSubject>,
    ) -> AppResult<Forecast> {
        let choices = self.forecast_choices(actor).await?;
        let subject = subject.or(choices.default);
        let users = self.store.list_users().await?;
        let sees_all = actor.visibility(rehber_domain::access::RecordKind::Deal) == Visibility::All;
        let subject_name = match choices.subjects.iter().find(|(s, _)| *s == subject) {
            Some((_, name)) => name.clone(),
            // Whoever sees every deal may ask of any user, selling or not.
            None => match subject {
                Some(TargetSubject::User(user)) if sees_all => users
                    .iter()
                    .find(|u| u.id == user)
                    .map(|u| u.name.clone())
                    .ok_or(Error::NotFound)?,
                Some(_) if sees_all => return Err(Error::NotFound.into()),
                _ => return Err(Error::Forbidden.into()),
            },
        };
        let period = Period::of(kind, day);
        let scoped = self.store.scoped(actor);
        let mut rates = RateBook::on(self.today());
        let mut lines: BTreeMap<Option<UserId>, ForecastLine> = BTreeMap::new();
        for sum in scoped.forecast_sums(subject, period).await? {
            let line = lines.entry(sum.owner).or_default();
            let amount = rates.in_try(self, sum.amount_minor, &sum.currency).await?;
            let priced = sum.count - sum.unpriced;
            line.unpriced += sum.unpriced;
            match sum.stage_kind {
                StageKind::Won => line.won_count += sum.count,
                StageKind::Open | StageKind::Lost => {}
            }
            let Some(amount) = amount else {
                line.unpriced += priced;
                continue;
            };
            match sum.stage_kind {
                StageKind::Won => line.add_won(amount),
                StageKind::Open => {
                    let category = sum
                        .category
                        .unwrap_or(ForecastCategory::of_stage(StageKind::Open));
                    line.add_open(OpenDealCount::of(category), amount, sum.probability);
                }
                StageKind::Lost => {}
            }
        }
        for (owner, count) in scoped.new_customers(subject, period).await? {
            lines.entry(owner).or_default().new_customers += count;
        }
        let targets = scoped.targets(Some(period)).await?;
        let in_subject = |user: UserId| match subject {
            None => true,
            Some(TargetSubject::User(one)) => one == user,
            Some(TargetSubject::Team(team)) => users
                .iter()
                .any(|u| u.id == user && u.team_id == Some(team)),
        };
        for target in &targets {
            if let TargetSubject::User(user) = target.fields.subject
                && in_subject(user)
            {
                let line = lines.entry(Some(user)).or_default();
                add_target(self, &mut rates, line, target, period).await?;
            }
        }
        let mut total = ForecastLine::default();
        for line in lines.values() {
            total.add(line);
        }
        // A team's own target stands for its reps' when it has one for that measure.
        let team_targets: Vec<&SalesTarget> = targets
            .iter()
            .filter(|t| match (t.fields.subject, subject) {
                (TargetSubject::Team(team), Some(TargetSubject::Team(asked))) => team == asked,
                (TargetSubject::Team(_), None) => true,
                _ => false,
            })
            .collect();
        let mut teams: BTreeMap<TeamId, ForecastLine> = BTreeMap::new();
        for target in team_targets {
            if let TargetSubject::Team(team) = target.fields.subject {
                let line = teams.entry(team).or_default();
                add_target(self, &mut rates, line, target, period).await?;
            }
        }
        for (team, own) in &teams {
            let members: Vec<&ForecastLine> = lines
                .iter()
                .filter(|(owner, _)| {
                    owner.is_some_and(|o| {
                        users.iter().any(|u| u.id == o && u.team_id == Some(*team))
                    })
                })
                .map(|(_, line)| line)
                .collect();
            replace_target(
                &mut total.target,
                own.target,
                members.iter().map(|l| l.target),
            );
            replace_target(
                &mut total.won_count_target,
                own.won_count_target,
                members.iter().map(|l| l.won_count_target),
            );
            replace_target(
                &mut total.new_customers_target,
                own.new_customers_target,
                members.iter().map(|l| l.new_customers_target),
            );
        }
        let name_of = |owner: Option<UserId>| {
            owner
                .and_then(|o| users.iter().find(|u| u.id == o))
                .map(|u| u.name.clone())
                .unwrap_or_default()
        };
        let mut rows: Vec<ForecastRow> = lines
            .into_iter()
            .map(|(owner, line)| ForecastRow {
                owner,
                name: name_of(owner),
                line,
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.owner.is_none(), a.name.to_lowercase())
                .cmp(&(b.owner.is_none(), b.name.to_lowercase()))
        });
        let (overdue, overdue_count) = scoped
            .overdue_deals(subject, self.today(), OVERDUE_LISTED)
            .await?;
        Ok(Forecast {
            kind,
            period,
            subject,
            subject_name,
            total,
            rows,
            overdue,
            overdue_count,
            rates: rates.used(),
            missing_rates: rates.missing(),
        })
    }
}

/// Adds a target's share of `period` to the line's target of its measure (an amount in
/// TRY; without a rate, nothing).
async fn add_target(
    app: &App,
    rates: &mut RateBook,
    line: &mut ForecastLine,
    target: &SalesTarget,
    period: Period,
) -> AppResult<()> {
    let share = target.fields.share_in(period);
    let slot = match target.fields.metric {
        TargetMetric::WonAmount => {
            let currency = target.fields.currency.as_deref().unwrap_or("TRY");
            let Some(amount) = rates.in_try(app, share, currency).await? else {
                return Ok(());
            };
            line.target = Some(line.target.unwrap_or(0).saturating_add(amount));
            return Ok(());
        }
        TargetMetric::WonCount => &mut line.won_count_target,
        TargetMetric::NewCustomers => &mut line.new_customers_target,
    };
    *slot = Some(slot.unwrap_or(0).saturating_add(share));
    Ok(())
}

/// Puts a team's own target in place of its members' in a total: takes the members' part
/// out and the team's in, when the team has one.
fn replace_target(
    total: &mut Option<i64>,
    own: Option<i64>,
    members: impl Iterator<Item = Option<i64>>,
) {
    let Some(own) = own else {
        return;
    };
    let members: i64 = members.flatten().sum();
    *total = Some(
        total
            .unwrap_or(0)
            .saturating_sub(members)
            .saturating_add(own),
    );
}
