//! The form of a scoring rule as posted, the draft it makes and the form a stored rule
//! fills: one test (field, operator, value), or a list filter's JSON typed in the
//! "advanced" box, or an engagement (activity kind, window, "none in the window").

use rehber_domain::activity::ActivityKind;
use rehber_domain::scoring::{RuleDraft, RuleTest, ScoringRule};
use serde::Deserialize;
use serde_json::{Value, json};

/// A rule as posted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RuleForm {
    pub record_type: String,
    pub name: String,
    /// `field` or `engagement`.
    pub kind: String,
    pub field: String,
    pub op: String,
    pub value: String,
    /// A list filter's JSON; when given it is the condition (the one test is ignored).
    pub advanced: String,
    pub activity: String,
    pub window_days: String,
    pub absent: Option<String>,
    pub points: String,
    pub active: Option<String>,
    pub version: String,
}

impl RuleForm {
    pub(super) fn blank(record_type: &str) -> RuleForm {
        RuleForm {
            record_type: record_type.into(),
            kind: "field".into(),
            op: "eq".into(),
            activity: "meeting".into(),
            window_days: "30".into(),
            points: "10".into(),
            active: Some("on".into()),
            ..RuleForm::default()
        }
    }

    pub(super) fn of(rule: &ScoringRule) -> RuleForm {
        let mut form = RuleForm {
            record_type: rule.record_type.clone(),
            name: rule.name.clone(),
            kind: rule.test.kind().into(),
            points: rule.points.to_string(),
            active: rule.active.then(|| "on".into()),
            version: rule.version.to_string(),
            op: "eq".into(),
            activity: "meeting".into(),
            window_days: "30".into(),
            ..RuleForm::default()
        };
        match &rule.test {
            RuleTest::Field(_) => {
                let condition = rule.test.condition_json();
                match one_test(&condition) {
                    Some((field, op, value)) => {
                        (form.field, form.op, form.value) = (field, op, value);
                    }
                    None => form.advanced = condition.to_string(),
                }
            }
            RuleTest::Engagement {
                activity,
                window_days,
                absent,
            } => {
                form.activity = activity.map_or("any", ActivityKind::as_str).into();
                form.window_days = window_days.to_string();
                form.absent = absent.then(|| "on".into());
            }
        }
        form
    }

    /// The condition the form describes.
    pub(super) fn condition(&self) -> Value {
        if self.kind.trim() == "engagement" {
            return json!({"activity": self.activity.trim(), "absent": self.absent.is_some()});
        }
        if !self.advanced.trim().is_empty() {
            // JSON that does not parse is sent as text, which the check refuses by name.
            return serde_json::from_str(self.advanced.trim())
                .unwrap_or_else(|_| Value::String(self.advanced.clone()));
        }
        let op = self.op.trim();
        if matches!(op, "empty" | "not_empty") {
            json!({"field": self.field.trim(), "op": op})
        } else {
            json!({"field": self.field.trim(), "op": op, "value": self.value.trim()})
        }
    }

    fn number(text: &str) -> Option<i64> {
        let text = text.trim().replace('−', "-");
        if text.is_empty() {
            None
        } else {
            // Not a number: out of every range, so the check refuses it.
            Some(text.trim_start_matches('+').parse().unwrap_or(i64::MAX))
        }
    }

    pub(super) fn draft(&self) -> RuleDraft {
        RuleDraft {
            record_type: self.record_type.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            condition: self.condition(),
            window_days: RuleForm::number(&self.window_days),
            points: RuleForm::number(&self.points),
            active: self.active.is_some(),
        }
    }
}

/// A condition that is one test: its field, operator and value.
pub(super) fn one_test(condition: &Value) -> Option<(String, String, String)> {
    let object = condition.as_object()?;
    let field = object.get("field")?.as_str()?.to_string();
    let op = object.get("op")?.as_str()?.to_string();
    let value = match object.get("value") {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    Some((field, op, value))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_form_describes_one_test_an_advanced_filter_or_an_engagement() {
        let mut form = RuleForm::blank("person");
        form.field = "city".into();
        form.value = " İzmir ".into();
        assert_eq!(
            form.condition(),
            json!({"field": "city", "op": "eq", "value": "İzmir"})
        );
        form.op = "empty".into();
        assert_eq!(form.condition(), json!({"field": "city", "op": "empty"}));
        form.advanced = r#"{"any": [{"field": "tag", "op": "eq", "value": "vip"}]}"#.into();
        assert_eq!(form.condition()["any"][0]["value"], "vip");
        form.advanced = "{bozuk".into();
        assert_eq!(form.condition(), Value::String("{bozuk".into()));
        form.kind = "engagement".into();
        form.absent = Some("on".into());
        assert_eq!(
            form.condition(),
            json!({"activity": "meeting", "absent": true})
        );
        form.points = "−20".into();
        assert_eq!(form.draft().points, Some(-20));
        form.points = "yirmi".into();
        assert_eq!(form.draft().points, Some(i64::MAX));
    }

    #[test]
    fn a_stored_rule_fills_the_form_it_came_from() {
        let draft = RuleForm {
            field: "custom.ciro".into(),
            op: "gte".into(),
            value: "1000000".into(),
            name: "Büyük".into(),
            ..RuleForm::blank("company")
        }
        .draft();
        let content = draft.validate().unwrap();
        let rule = ScoringRule {
            id: 1,
            record_type: content.record_type,
            name: content.name,
            test: content.test,
            points: content.points,
            active: true,
            position: 1,
            version: 3,
        };
        let form = RuleForm::of(&rule);
        assert_eq!(
            (form.field.as_str(), form.op.as_str(), form.value.as_str()),
            ("custom.ciro", "gte", "1000000")
        );
        assert_eq!(form.version, "3");
        assert!(form.advanced.is_empty());
    }
}
