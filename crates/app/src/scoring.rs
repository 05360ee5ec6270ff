//! Lead scoring as use cases: administrators keep the rules (each change audited, and
//! followed by a recalculation of everyone's score as a job with progress); a person's or
//! company's score is worked out again when it is saved, when an activity is logged against
//! it, every night (time passes: "a meeting in the last 30 days" stops holding), and for
//! everyone when the rules change. Also the BANT gate's setting.

use crate::App;
use crate::error::AppResult;
use crate::jobs::Schedule;
use crate::records::ServiceKind;
use rehber_domain::activity::{LinkType, StoredLink};
use rehber_domain::filter::Rule;
use rehber_domain::party::{Bant, Companies, LifecycleStage, People};
use rehber_domain::scoring::{
    DEFAULT_BANT_GATE, LeadScore, MAX_RULES, RuleContent, RuleDraft, RuleTest, ScoreItem,
    ScoringRule, check_bant_gate,
};
use rehber_domain::{Actor, Error, FieldErrors};
use rehber_store::{AuditChange, AuditEntry, Engagement, JobRow, StoreError};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The job that works out every score again.
pub const SCORING_RECALCULATE: &str = "scoring_recalculate";
/// Records scored per transaction (and per question to the database for each rule).
const BATCH: u64 = 500;
/// The setting that holds the BANT gate.
const BANT_GATE: &str = "qualification.bant_gate";

/// What a change of a rule may give; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct RulePatch {
    /// Fixed once the rule exists (its filter names that type's fields): a different one is
    /// refused, the same one is accepted (a client sending back what it read).
    pub record_type: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub condition: Option<Value>,
    pub window_days: Option<Option<i64>>,
    pub points: Option<i64>,
    pub active: Option<bool>,
}

/// A rule ready to ask the store about: a field rule's filter resolved against the kind's
/// fields.
struct Prepared {
    id: i64,
    name: String,
    points: i64,
    test: PreparedTest,
}

enum PreparedTest {
    Field(Rule),
    Engagement {
        activity: Option<&'static str>,
        window_days: i64,
        absent: bool,
    },
}

fn admins_only(actor: &Actor) -> AppResult<()> {
    if actor.role.is_admin() {
        Ok(())
    } else {
        Err(Error::Forbidden.into())
    }
}

fn entry(actor: &Actor, id: i64, action: &'static str, changes: Vec<AuditChange>) -> AuditEntry {
    AuditEntry {
        actor: Some(actor.user_id),
        record_type: "scoring_rule",
        record_id: id,
        action,
        changes,
    }
}

impl App {
    /// Every scoring rule, people's then companies' (administrators).
    pub async fn scoring_rules(&self, actor: &Actor) -> AppResult<Vec<ScoringRule>> {
        admins_only(actor)?;
        Ok(self.store.scoring_rules(None).await?)
    }

    /// One rule (administrators).
    pub async fn scoring_rule(&self, actor: &Actor, id: i64) -> AppResult<ScoringRule> {
        admins_only(actor)?;
        Ok(self.store.scoring_rule(id).await?)
    }

    /// Adds a rule after the others of its record type and queues the recalculation.
    pub async fn create_scoring_rule(
        &self,
        actor: &Actor,
        draft: &RuleDraft,
    ) -> AppResult<ScoringRule> {
        admins_only(actor)?;
        let content = self.checked_rule(draft).await?;
        if self
            .store
            .scoring_rules(Some(&content.record_type))
            .await?
            .len()
            >= MAX_RULES
        {
            return Err(Error::field("record_type", "invalid-scoring-too-many").into());
        }
        let id = self
            .store
            .insert_scoring_rule(&content, entry(actor, 0, "created", Vec::new()))
            .await?;
        self.queue_rescoring().await?;
        Ok(self.store.scoring_rule(id).await?)
    }

    /// Changes a rule on the version read (`None`: whatever is current) and queues the
    /// recalculation.
    pub async fn update_scoring_rule(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: Option<i64>,
        patch: RulePatch,
    ) -> AppResult<ScoringRule> {
        admins_only(actor)?;
        let current = self.store.scoring_rule(id).await?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(Error::StaleVersion.into());
        }
        let mut draft = RuleDraft::of(&current);
        if patch
            .record_type
            .is_some_and(|t| t.trim() != current.record_type)
        {
            return Err(Error::field("record_type", "invalid-scoring-record-type-fixed").into());
        }
        if let Some(kind) = patch.kind {
            if kind.trim() != draft.kind && patch.condition.is_none() {
                // Another kind of rule needs a condition of its own.
                return Err(Error::field("condition", "invalid-required").into());
            }
            draft.kind = kind;
        }
        draft.name = patch.name.unwrap_or(draft.name);
        draft.condition = patch.condition.unwrap_or(draft.condition);
        draft.window_days = patch.window_days.unwrap_or(draft.window_days);
        draft.points = patch.points.or(draft.points);
        draft.active = patch.active.unwrap_or(draft.active);
        let content = self.checked_rule(&draft).await?;
        let changes = rule_changes(&current, &content);
        if changes.is_empty() {
            return Ok(current);
        }
        self.store
            .update_scoring_rule(
                id,
                current.version,
                &content,
                entry(actor, id, "updated", changes),
            )
            .await?;
        self.queue_rescoring().await?;
        Ok(self.store.scoring_rule(id).await?)
    }

    /// Removes a rule and queues the recalculation (the points it gave go with it).
    pub async fn delete_scoring_rule(&self, actor: &Actor, id: i64) -> AppResult<()> {
        admins_only(actor)?;
        self.store
            .delete_scoring_rule(id, entry(actor, id, "deleted", Vec::new()))
            .await?;
        self.queue_rescoring().await?;
        Ok(())
    }

    /// Queues the recalculation of every score (administrators); the job's id.
    pub async fn recalculate_scores(&self, actor: &Actor) -> AppResult<i64> {
        admins_only(actor)?;
        self.queue_rescoring().await
    }

    /// A recalculation job and how far it got (administrators).
    pub async fn scoring_job(&self, actor: &Actor, id: i64) -> AppResult<JobRow> {
        admins_only(actor)?;
        let job = self.store.job(id).await?;
        if job.kind != SCORING_RECALCULATE {
            return Err(Error::NotFound.into());
        }
        Ok(job)
    }

    /// The latest recalculation job, if any ran or waits (administrators).
    pub async fn latest_scoring_job(&self, actor: &Actor) -> AppResult<Option<JobRow>> {
        admins_only(actor)?;
        Ok(self.store.latest_job(SCORING_RECALCULATE).await?)
    }

    /// Queues a recalculation unless one waits to start already (it will read the rules as
    /// they are when it starts); the job's id.
    pub(crate) async fn queue_rescoring(&self) -> AppResult<i64> {
        if let Some(waiting) = self.store.waiting_job(SCORING_RECALCULATE).await? {
            return Ok(waiting);
        }
        let queued = self
            .enqueue_job(
                SCORING_RECALCULATE,
                &Value::Object(Default::default()),
                Schedule::default(),
            )
            .await?;
        queued.ok_or_else(|| {
            StoreError::Corrupt("a job without a dedupe key was not queued".into()).into()
        })
    }

    /// The number of BANT checks a record needs to become "qualified" (0: no gate).
    pub async fn bant_gate(&self) -> AppResult<u8> {
        Ok(self
            .store
            .setting(BANT_GATE)
            .await?
            .and_then(|v| v.as_u64())
            .and_then(|v| u8::try_from(v).ok())
            .filter(|v| *v <= 4)
            .unwrap_or(DEFAULT_BANT_GATE))
    }

    /// Refuses a move into "qualified" that the BANT gate does not let through.
    pub(crate) async fn check_qualification(
        &self,
        before: Option<LifecycleStage>,
        stage: LifecycleStage,
        bant: Bant,
    ) -> AppResult<()> {
        if stage != LifecycleStage::Qualified || before == Some(LifecycleStage::Qualified) {
            return Ok(());
        }
        check_bant_gate(self.bant_gate().await?, before, stage, bant)
            .map_err(|errors| Error::Validation(errors).into())
    }

    /// Sets the BANT gate (administrators): 0 to 4.
    pub async fn set_bant_gate(&self, actor: &Actor, gate: i64) -> AppResult<u8> {
        admins_only(actor)?;
        let Some(gate) = u8::try_from(gate).ok().filter(|g| *g <= 4) else {
            return Err(Error::field("bant_gate", "invalid-bant-gate-range").into());
        };
        let before = self.bant_gate().await?;
        self.put_audited_setting(
            actor,
            crate::audit::SettingChange {
                key: BANT_GATE,
                value: Value::from(gate),
                field: "bant_gate",
                from: before.to_string(),
                to: gate.to_string(),
            },
        )
        .await?;
        Ok(gate)
    }

    /// Works out the scores of some records of a kind again (after a save, an activity).
    /// A failure is logged, not returned: the save it follows has happened, and the night's
    /// recalculation puts the score right.
    pub(crate) async fn rescore<K: ServiceKind>(&self, ids: &[i64]) {
        if let Err(error) = self.try_rescore::<K>(ids).await {
            tracing::warn!(%error, kind = K::TYPE, "a lead score could not be worked out");
        }
    }

    /// Works out again the scores of the people and companies an activity links to (an
    /// engagement rule counts it).
    pub(crate) async fn rescore_linked(&self, links: &[StoredLink]) {
        let of = |kind: LinkType| -> Vec<i64> {
            links
                .iter()
                .filter(|l| l.link.record_type == kind)
                .map(|l| l.link.record_id)
                .collect()
        };
        self.rescore::<People>(&of(LinkType::Person)).await;
        self.rescore::<Companies>(&of(LinkType::Company)).await;
    }

    async fn try_rescore<K: ServiceKind>(&self, ids: &[i64]) -> AppResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let rules = self.prepared_rules::<K>().await?;
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        for batch in ids.chunks(BATCH as usize) {
            let scores = self.score_batch::<K>(&rules, batch).await?;
            self.write_changed::<K>(scores).await?;
        }
        Ok(())
    }

    /// Works out every live person's and company's score again, batch by batch, reporting
    /// progress on `job` when given; how many records were scored.
    pub async fn rescore_everyone(&self, job: Option<i64>) -> AppResult<u64> {
        let people = self.store.count_live::<People>().await?;
        let companies = self.store.count_live::<Companies>().await?;
        let total = people + companies;
        let mut done = self.rescore_all::<People>(job, 0, total).await?;
        done = self.rescore_all::<Companies>(job, done, total).await?;
        if let Some(job) = job {
            self.store
                .set_job_progress(job, total.max(done), total.max(done))
                .await?;
        }
        Ok(u64::try_from(done).unwrap_or(0))
    }

    async fn rescore_all<K: ServiceKind>(
        &self,
        job: Option<i64>,
        mut done: i64,
        total: i64,
    ) -> AppResult<i64> {
        let rules = self.prepared_rules::<K>().await?;
        let mut after = 0;
        loop {
            let ids = self.store.live_ids_after::<K>(after, BATCH).await?;
            let Some(last) = ids.last().copied() else {
                return Ok(done);
            };
            let scores = self.score_batch::<K>(&rules, &ids).await?;
            self.write_changed::<K>(scores).await?;
            done += ids.len() as i64;
            after = last;
            if let Some(job) = job {
                self.store
                    .set_job_progress(job, done, total.max(done))
                    .await?;
            }
        }
    }

    /// Writes the scores that differ from the stored ones (or were never worked out): the
    /// night's recalculation of a large base rewrites only what time changed, and
    /// `lead_scored_at` says when a score last changed.
    async fn write_changed<K: ServiceKind>(&self, scores: Vec<(i64, LeadScore)>) -> AppResult<()> {
        let (Some(first), Some(last)) = (
            scores.iter().map(|(id, _)| *id).min(),
            scores.iter().map(|(id, _)| *id).max(),
        ) else {
            return Ok(());
        };
        let stored = self.store.stored_scores::<K>(first, last).await?;
        let changed: Vec<(i64, LeadScore)> = scores
            .into_iter()
            .filter(|(id, score)| match stored.get(id) {
                Some(Some(before)) => {
                    before.score != score.score || before.breakdown != score.breakdown
                }
                Some(None) => true,
                // Deleted since: nothing to write.
                None => false,
            })
            .collect();
        self.store.write_scores::<K>(&changed).await?;
        Ok(())
    }

    /// The active rules of a kind, with their filters resolved. A rule whose filter no
    /// longer resolves (a custom field was archived since) is skipped and logged.
    async fn prepared_rules<K: ServiceKind>(&self) -> AppResult<Vec<Prepared>> {
        let rules = self.store.scoring_rules(Some(K::TYPE)).await?;
        let fields = self.store.custom_fields(K::TYPE, false).await?;
        let mut prepared = Vec::new();
        for rule in rules.into_iter().filter(|r| r.active) {
            let test = match &rule.test {
                RuleTest::Field(draft) => {
                    let mut errors = FieldErrors::new();
                    match crate::filter::resolve(draft, K::FILTERS, &fields, &mut errors) {
                        Some(resolved) => PreparedTest::Field(resolved),
                        None => {
                            tracing::warn!(
                                rule = rule.id,
                                ?errors,
                                "a scoring rule's filter no longer resolves; skipped"
                            );
                            continue;
                        }
                    }
                }
                RuleTest::Engagement {
                    activity,
                    window_days,
                    absent,
                } => PreparedTest::Engagement {
                    activity: activity.map(|a| a.as_str()),
                    window_days: *window_days,
                    absent: *absent,
                },
            };
            prepared.push(Prepared {
                id: rule.id,
                name: rule.name,
                points: rule.points,
                test,
            });
        }
        Ok(prepared)
    }

    /// The scores of `ids` (ascending): one question per rule for the whole batch.
    async fn score_batch<K: ServiceKind>(
        &self,
        rules: &[Prepared],
        ids: &[i64],
    ) -> AppResult<Vec<(i64, LeadScore)>> {
        let (Some(first), Some(last)) = (ids.first().copied(), ids.last().copied()) else {
            return Ok(Vec::new());
        };
        let now = crate::now();
        let mut met: HashMap<i64, Vec<ScoreItem>> = HashMap::new();
        for rule in rules {
            let hits: HashSet<i64> = match &rule.test {
                PreparedTest::Field(filter) => self
                    .store
                    .ids_matching::<K>(filter, first, last)
                    .await?
                    .into_iter()
                    .collect(),
                PreparedTest::Engagement {
                    activity,
                    window_days,
                    absent,
                } => {
                    let since = now - jiff::SignedDuration::from_hours(24 * window_days);
                    let engaged: HashSet<i64> = self
                        .store
                        .ids_engaged(
                            Engagement {
                                record_type: K::TYPE,
                                activity: *activity,
                                since: since.as_microsecond(),
                                until: now.as_microsecond(),
                            },
                            first,
                            last,
                        )
                        .await?
                        .into_iter()
                        .collect();
                    if *absent {
                        ids.iter()
                            .copied()
                            .filter(|id| !engaged.contains(id))
                            .collect()
                    } else {
                        engaged
                    }
                }
            };
            for id in ids.iter().filter(|id| hits.contains(id)) {
                met.entry(*id).or_default().push(ScoreItem {
                    rule_id: rule.id,
                    name: rule.name.clone(),
                    points: rule.points,
                });
            }
        }
        Ok(ids
            .iter()
            .map(|id| (*id, LeadScore::of(met.remove(id).unwrap_or_default(), now)))
            .collect())
    }

    /// A draft checked whole: its own fields, then a field rule's filter against the fields
    /// of its record type (custom fields included), every problem at once.
    async fn checked_rule(&self, draft: &RuleDraft) -> AppResult<RuleContent> {
        let content = draft.validate().map_err(Error::Validation)?;
        if let RuleTest::Field(filter) = &content.test {
            let (builtins, record_type) = match content.record_type.as_str() {
                "company" => (
                    <Companies as rehber_domain::Kind>::FILTERS,
                    <Companies as rehber_domain::Kind>::TYPE,
                ),
                _ => (
                    <People as rehber_domain::Kind>::FILTERS,
                    <People as rehber_domain::Kind>::TYPE,
                ),
            };
            let fields = self.store.custom_fields(record_type, false).await?;
            let mut errors = FieldErrors::new();
            if crate::filter::resolve(filter, builtins, &fields, &mut errors).is_none() {
                let errors = errors
                    .0
                    .into_iter()
                    .map(|e| rehber_domain::FieldError {
                        field: format!("condition.{}", e.field.trim_start_matches("filter.")),
                        code: e.code,
                    })
                    .collect();
                return Err(Error::Validation(FieldErrors(errors)).into());
            }
        }
        Ok(content)
    }
}

/// The audit lines of a rule's change.
fn rule_changes(current: &ScoringRule, next: &RuleContent) -> Vec<AuditChange> {
    let pairs = [
        ("name", current.name.clone(), next.name.clone()),
        (
            "condition",
            current.test.condition_json().to_string(),
            next.test.condition_json().to_string(),
        ),
        (
            "window_days",
            format!("{:?}", current.test.window_days()),
            format!("{:?}", next.test.window_days()),
        ),
        (
            "points",
            current.points.to_string(),
            next.points.to_string(),
        ),
        (
            "active",
            current.active.to_string(),
            next.active.to_string(),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, before, after)| before != after)
        .map(|(field, before, after)| AuditChange {
            field: field.into(),
            from: before,
            to: after,
        })
        .collect()
}
