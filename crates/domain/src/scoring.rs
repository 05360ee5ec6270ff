//! Lead scoring: an administrator's rules, each worth some points, and the score a person or
//! company gets from the rules it meets, with the breakdown that says which rule gave what.
//!
//! A **field rule** holds a list filter ([`crate::filter::Draft`], the JSON a list's
//! `filter` takes, custom fields included): a record that the filter would list meets it.
//! An **engagement rule** counts held activities of a kind (or of any kind) in the last
//! `window_days` days, or their absence ("no activity for 90 days"). Which records meet a
//! rule is the store's question; what they are worth is answered here.
//!
//! Also here: the BANT gate a record passes to become "qualified".

use crate::activity::ActivityKind;
use crate::error::FieldErrors;
use crate::filter::Draft;
use crate::party::{Bant, LifecycleStage};
use crate::validate::Invalid;
use serde::{Deserialize, Serialize};

/// A score is kept between these bounds, whatever the rules add up to.
pub const MIN_SCORE: i64 = 0;
pub const MAX_SCORE: i64 = 100;
/// One rule gives at most this many points, or takes at most as many.
pub const MAX_POINTS: i64 = 100;
/// An engagement rule looks back at most ten years.
pub const MAX_WINDOW_DAYS: i64 = 3650;
pub const MAX_NAME: usize = 120;
/// Rules per record type: each is a query per batch of records scored.
pub const MAX_RULES: usize = 50;
/// The BANT gate's default: "qualified" needs three of the four checks.
pub const DEFAULT_BANT_GATE: u8 = 3;

/// The record types that are scored, as `record_type` spells them.
pub const SCORED_TYPES: &[&str] = &["person", "company"];

/// What a rule tests.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleTest {
    /// The record is one the filter lists.
    Field(Draft),
    /// A held activity of `activity` (any kind when `None`) in the last `window_days` days
    /// links to the record, or (`absent`) none does.
    Engagement {
        activity: Option<ActivityKind>,
        window_days: i64,
        absent: bool,
    },
}

impl RuleTest {
    /// `field` or `engagement`, as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            RuleTest::Field(_) => "field",
            RuleTest::Engagement { .. } => "engagement",
        }
    }

    /// The condition's JSON form: the filter of a field rule, `{"activity", "absent"}` of an
    /// engagement rule (whose window is a column of its own).
    pub fn condition_json(&self) -> serde_json::Value {
        match self {
            RuleTest::Field(draft) => draft.to_json(),
            RuleTest::Engagement {
                activity, absent, ..
            } => serde_json::json!({
                "activity": activity.map_or("any", ActivityKind::as_str),
                "absent": absent,
            }),
        }
    }

    /// The window of an engagement rule.
    pub fn window_days(&self) -> Option<i64> {
        match self {
            RuleTest::Field(_) => None,
            RuleTest::Engagement { window_days, .. } => Some(*window_days),
        }
    }

    /// Reads a stored or sent condition of `kind`; the error is the code of the message
    /// shown for `condition`.
    pub fn read(
        kind: &str,
        condition: &serde_json::Value,
        window_days: Option<i64>,
    ) -> Result<RuleTest, &'static str> {
        match kind {
            "field" => Draft::parse(&condition.to_string()).map(RuleTest::Field),
            "engagement" => {
                let object = condition.as_object().ok_or("invalid-scoring-condition")?;
                let activity = match object.get("activity").and_then(|a| a.as_str()) {
                    None | Some("any") => None,
                    Some(kind) => Some(ActivityKind::parse(kind).ok_or("invalid-unknown-value")?),
                };
                let absent = match object.get("absent") {
                    None => false,
                    Some(value) => value.as_bool().ok_or("invalid-boolean")?,
                };
                let window_days = window_days.ok_or("invalid-scoring-window")?;
                if !(1..=MAX_WINDOW_DAYS).contains(&window_days) {
                    return Err("invalid-scoring-window");
                }
                Ok(RuleTest::Engagement {
                    activity,
                    window_days,
                    absent,
                })
            }
            _ => Err("invalid-unknown-value"),
        }
    }
}

/// A stored scoring rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoringRule {
    pub id: i64,
    /// `person` or `company`.
    pub record_type: String,
    pub name: String,
    pub test: RuleTest,
    /// −100 to 100, never 0.
    pub points: i64,
    pub active: bool,
    pub position: i64,
    pub version: i64,
}

/// A rule as typed: in a form or an API body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleDraft {
    pub record_type: String,
    pub name: String,
    /// `field` or `engagement`.
    pub kind: String,
    pub condition: serde_json::Value,
    pub window_days: Option<i64>,
    pub points: Option<i64>,
    pub active: bool,
}

/// A rule's checked content.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleContent {
    pub record_type: String,
    pub name: String,
    pub test: RuleTest,
    pub points: i64,
    pub active: bool,
}

impl RuleDraft {
    /// The draft of a stored rule (to overlay a change on).
    pub fn of(rule: &ScoringRule) -> RuleDraft {
        RuleDraft {
            record_type: rule.record_type.clone(),
            name: rule.name.clone(),
            kind: rule.test.kind().to_string(),
            condition: rule.test.condition_json(),
            window_days: rule.test.window_days(),
            points: Some(rule.points),
            active: rule.active,
        }
    }

    /// Checks every field at once. A field rule's filter is only read here; whether its
    /// fields exist for the record type is the services' question.
    pub fn validate(&self) -> Result<RuleContent, FieldErrors> {
        let mut errors = FieldErrors::new();
        let record_type = self.record_type.trim();
        if !SCORED_TYPES.contains(&record_type) {
            errors.add("record_type", Invalid::UnknownValue.code());
        }
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", Invalid::Required.code());
        } else if name.chars().count() > MAX_NAME {
            errors.add("name", Invalid::TooLong.code());
        } else {
            errors.check("name", crate::validate::text::check_line(name));
        }
        let test = match self.kind.trim() {
            "field" | "engagement" => {
                let window = if self.kind.trim() == "field" {
                    None
                } else {
                    self.window_days
                };
                match RuleTest::read(self.kind.trim(), &self.condition, window) {
                    Ok(test) => Some(test),
                    Err("invalid-scoring-window") => {
                        errors.add("window_days", "invalid-scoring-window");
                        None
                    }
                    Err(code) => {
                        errors.add("condition", code);
                        None
                    }
                }
            }
            _ => {
                errors.add("kind", Invalid::UnknownValue.code());
                None
            }
        };
        let points = match self.points {
            None => {
                errors.add("points", Invalid::Required.code());
                None
            }
            Some(p) if p == 0 || !(-MAX_POINTS..=MAX_POINTS).contains(&p) => {
                errors.add("points", "invalid-scoring-points");
                None
            }
            Some(p) => Some(p),
        };
        match (test, points) {
            (Some(test), Some(points)) if errors.is_empty() => Ok(RuleContent {
                record_type: record_type.to_string(),
                name: name.to_string(),
                test,
                points,
                active: self.active,
            }),
            _ => Err(errors),
        }
    }
}

/// What one rule gave a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreItem {
    pub rule_id: i64,
    /// The rule's name when the score was worked out.
    pub name: String,
    pub points: i64,
}

/// A record's lead score and where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadScore {
    /// 0 to 100.
    pub score: i64,
    /// The rules met, in the rules' order.
    pub breakdown: Vec<ScoreItem>,
    /// When it last changed; `None` before it was first worked out.
    pub scored_at: Option<jiff::Timestamp>,
}

impl LeadScore {
    /// The score of the rules met: their points summed, kept within 0 and 100.
    pub fn of(breakdown: Vec<ScoreItem>, scored_at: jiff::Timestamp) -> LeadScore {
        let sum: i64 = breakdown.iter().map(|item| item.points).sum();
        LeadScore {
            score: sum.clamp(MIN_SCORE, MAX_SCORE),
            breakdown,
            scored_at: Some(scored_at),
        }
    }

    /// A band for display: `hot` from 70, `warm` from 40, `cold` below.
    pub fn band(&self) -> &'static str {
        match self.score {
            70.. => "hot",
            40..70 => "warm",
            _ => "cold",
        }
    }
}

/// The BANT letters, in order, with the check each names.
pub const BANT_FIELDS: [&str; 4] = ["bant_budget", "bant_authority", "bant_need", "bant_timing"];

/// Refuses a move into "qualified" with fewer than `gate` BANT checks (0 turns the gate
/// off): the stage is refused and every unconfirmed letter named. Only a move is checked
/// (`before` is the stored stage, `None` on a create), so raising the gate never locks the
/// records already qualified.
pub fn check_bant_gate(
    gate: u8,
    before: Option<LifecycleStage>,
    stage: LifecycleStage,
    bant: Bant,
) -> Result<(), FieldErrors> {
    let moving_in = stage == LifecycleStage::Qualified && before != Some(LifecycleStage::Qualified);
    if !moving_in || bant.score() >= gate.min(4) {
        return Ok(());
    }
    let mut errors = FieldErrors::new();
    errors.add(
        "lifecycle_stage",
        format!("invalid-bant-gate-{}", gate.min(4)),
    );
    let confirmed = [bant.budget, bant.authority, bant.need, bant.timing];
    for (field, confirmed) in BANT_FIELDS.iter().zip(confirmed) {
        if !confirmed {
            errors.add(*field, "invalid-bant-missing");
        }
    }
    Err(errors)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(points: i64) -> ScoreItem {
        ScoreItem {
            rule_id: 1,
            name: "r".into(),
            points,
        }
    }

    #[test]
    fn a_score_is_the_sum_of_the_rules_met_kept_within_0_and_100() {
        let at = jiff::Timestamp::UNIX_EPOCH;
        assert_eq!(LeadScore::of(vec![item(15), item(30)], at).score, 45);
        assert_eq!(LeadScore::of(vec![item(15), item(-20)], at).score, 0);
        assert_eq!(LeadScore::of(vec![item(80), item(40)], at).score, 100);
        assert_eq!(LeadScore::of(Vec::new(), at).score, 0);
        assert_eq!(LeadScore::of(vec![item(70)], at).band(), "hot");
        assert_eq!(LeadScore::of(vec![item(40)], at).band(), "warm");
        assert_eq!(LeadScore::of(vec![item(39)], at).band(), "cold");
    }

    #[test]
    fn rules_are_checked_whole() {
        let field = RuleDraft {
            record_type: "person".into(),
            name: " İzmirli ".into(),
            kind: "field".into(),
            condition: json!({"field": "city", "op": "eq", "value": "İzmir"}),
            window_days: Some(30),
            points: Some(10),
            active: true,
        };
        let content = field.validate().unwrap();
        assert_eq!(content.name, "İzmirli");
        assert_eq!(
            content.test.window_days(),
            None,
            "a field rule has no window"
        );
        assert_eq!(content.test.condition_json(), field.condition);

        let meeting = RuleDraft {
            kind: "engagement".into(),
            condition: json!({"activity": "meeting"}),
            ..field.clone()
        };
        assert_eq!(
            meeting.validate().unwrap().test,
            RuleTest::Engagement {
                activity: Some(ActivityKind::Meeting),
                window_days: 30,
                absent: false
            }
        );
        let round = RuleDraft::of(&ScoringRule {
            id: 1,
            record_type: "person".into(),
            name: "x".into(),
            test: meeting.validate().unwrap().test,
            points: 15,
            active: true,
            position: 1,
            version: 1,
        });
        assert_eq!(round.validate().unwrap().points, 15);

        let bad = RuleDraft {
            record_type: "deal".into(),
            name: String::new(),
            kind: "engagement".into(),
            condition: json!({"activity": "telgraf"}),
            window_days: Some(0),
            points: Some(0),
            active: true,
        };
        let extreme = RuleDraft {
            points: Some(i64::MIN),
            ..field.clone()
        };
        assert_eq!(extreme.validate().unwrap_err().0[0].field, "points");
        let errors = bad.validate().unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["record_type", "name", "condition", "points"]);
        let no_window = RuleDraft {
            window_days: None,
            ..meeting.clone()
        };
        assert_eq!(no_window.validate().unwrap_err().0[0].field, "window_days");
        let not_a_filter = RuleDraft {
            condition: json!({"field": "city"}),
            ..field
        };
        assert_eq!(
            not_a_filter.validate().unwrap_err().0[0].code,
            "invalid-filter"
        );
    }

    #[test]
    fn the_bant_gate_guards_the_move_into_qualified() {
        let two = Bant {
            budget: true,
            need: true,
            ..Bant::default()
        };
        let errors = check_bant_gate(
            3,
            Some(LifecycleStage::Lead),
            LifecycleStage::Qualified,
            two,
        )
        .unwrap_err();
        let pairs: Vec<(&str, &str)> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("lifecycle_stage", "invalid-bant-gate-3"),
                ("bant_authority", "invalid-bant-missing"),
                ("bant_timing", "invalid-bant-missing"),
            ]
        );
        assert!(check_bant_gate(2, None, LifecycleStage::Qualified, two).is_ok());
        assert!(check_bant_gate(0, None, LifecycleStage::Qualified, Bant::default()).is_ok());
        assert!(
            check_bant_gate(
                4,
                Some(LifecycleStage::Qualified),
                LifecycleStage::Qualified,
                two
            )
            .is_ok(),
            "a record already qualified keeps its stage when the gate is raised"
        );
        assert!(check_bant_gate(4, None, LifecycleStage::Lead, two).is_ok());
    }
}
