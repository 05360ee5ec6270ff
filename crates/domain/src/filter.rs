//! A list's filter as a small rule tree: tests on one field each (`city = İzmir`,
//! `custom.ciro ≥ 1000000`) joined by `all` (and) or `any` (or), nested.
//!
//! Callers write a [`Draft`]: field names and values as text, in the JSON form the API's
//! `filter` parameter takes (and saved views, segments, reports and exports will keep). The
//! services resolve a draft against the kind's built-in and custom fields into a [`Rule`] of
//! typed [`Condition`]s; only the store turns a rule into SQL.

use crate::custom::Comparable;
use crate::party::LifecycleStage;
use crate::{CompanyId, TeamId, UserId};
use serde_json::{Map, Value};

/// At most this many tests in one rule: a filter is read by people, and each test is a
/// condition the database evaluates.
pub const MAX_TESTS: usize = 20;
/// Groups nest at most this deep (`{"any": [{"all": [...]}]}` is two).
pub const MAX_DEPTH: usize = 3;

/// The built-in filters every kind with owners has; a kind adds its own (see
/// [`crate::Kind::FILTERS`]).
pub const OWNED_FILTERS: &[&str] = &["name", "owner_id", "team_id", "tag", "created_at"];

/// A test's operator, as the JSON form spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Contains,
    Gte,
    Lte,
    Empty,
    NotEmpty,
}

impl Op {
    pub fn parse(text: &str) -> Option<Op> {
        Some(match text {
            "eq" => Op::Eq,
            "contains" => Op::Contains,
            "gte" => Op::Gte,
            "lte" => Op::Lte,
            "empty" => Op::Empty,
            "not_empty" => Op::NotEmpty,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Contains => "contains",
            Op::Gte => "gte",
            Op::Lte => "lte",
            Op::Empty => "empty",
            Op::NotEmpty => "not_empty",
        }
    }

    /// Whether the operator takes a value (`empty` and `not_empty` do not).
    pub fn takes_value(self) -> bool {
        !matches!(self, Op::Empty | Op::NotEmpty)
    }
}

/// A rule as a caller wrote it.
#[derive(Debug, Clone, PartialEq)]
pub enum Draft {
    All(Vec<Draft>),
    Any(Vec<Draft>),
    Not(Box<Draft>),
    Test {
        /// A built-in filter's name (`city`, `owner_id`) or `custom.<key>`.
        field: String,
        op: Op,
        /// The value as text, the way a list parameter spells it (empty without one).
        value: String,
    },
}

/// Why a draft could not be read: the code of the message shown for the `filter` parameter.
pub type DraftError = &'static str;

impl Draft {
    /// Reads the JSON form: `{"all": [rules]}`, `{"any": [rules]}`, `{"not": rule}` or
    /// `{"field": "city", "op": "eq", "value": "İzmir"}` (a value may be a string, a number
    /// or a boolean; `empty` and `not_empty` take none).
    pub fn parse(json: &str) -> Result<Draft, DraftError> {
        let value: Value = serde_json::from_str(json).map_err(|_| "invalid-filter")?;
        let draft = Draft::from_json(&value, 1)?;
        if draft.tests() > MAX_TESTS {
            return Err("invalid-filter-too-large");
        }
        Ok(draft)
    }

    fn from_json(value: &Value, depth: usize) -> Result<Draft, DraftError> {
        let object = value.as_object().ok_or("invalid-filter")?;
        let group = |items: &Value| -> Result<Vec<Draft>, DraftError> {
            if depth > MAX_DEPTH {
                return Err("invalid-filter-too-large");
            }
            let items = items.as_array().filter(|a| !a.is_empty());
            let items = items.ok_or("invalid-filter")?;
            if items.len() > MAX_TESTS {
                return Err("invalid-filter-too-large");
            }
            items
                .iter()
                .map(|i| Draft::from_json(i, depth + 1))
                .collect()
        };
        if object.len() == 1 {
            if let Some(items) = object.get("all") {
                return group(items).map(Draft::All);
            }
            if let Some(items) = object.get("any") {
                return group(items).map(Draft::Any);
            }
            if let Some(item) = object.get("not") {
                if depth > MAX_DEPTH {
                    return Err("invalid-filter-too-large");
                }
                return Draft::from_json(item, depth + 1).map(|d| Draft::Not(Box::new(d)));
            }
        }
        Draft::test_from_json(object)
    }

    fn test_from_json(object: &Map<String, Value>) -> Result<Draft, DraftError> {
        if object
            .keys()
            .any(|k| !matches!(k.as_str(), "field" | "op" | "value"))
        {
            return Err("invalid-filter");
        }
        let field = object.get("field").and_then(Value::as_str);
        let field = field.filter(|f| !f.is_empty() && f.len() <= 100);
        let op = object.get("op").and_then(Value::as_str).and_then(Op::parse);
        let (Some(field), Some(op)) = (field, op) else {
            return Err("invalid-filter");
        };
        let value = match object.get("value") {
            None | Some(Value::Null) if !op.takes_value() => String::new(),
            Some(Value::String(s)) if op.takes_value() => s.trim().to_string(),
            Some(Value::Number(n)) if op.takes_value() => n.to_string(),
            Some(Value::Bool(b)) if op.takes_value() => b.to_string(),
            _ => return Err("invalid-filter"),
        };
        if value.chars().count() > 500 || value.contains(char::is_control) {
            return Err("invalid-filter");
        }
        Ok(Draft::Test {
            field: field.to_string(),
            op,
            value,
        })
    }

    /// How many tests the rule holds.
    pub fn tests(&self) -> usize {
        match self {
            Draft::All(items) | Draft::Any(items) => items.iter().map(Draft::tests).sum(),
            Draft::Not(item) => item.tests(),
            Draft::Test { .. } => 1,
        }
    }

    /// The JSON form [`Draft::parse`] reads.
    pub fn to_json(&self) -> Value {
        match self {
            Draft::All(items) => {
                serde_json::json!({ "all": items.iter().map(Draft::to_json).collect::<Vec<_>>() })
            }
            Draft::Any(items) => {
                serde_json::json!({ "any": items.iter().map(Draft::to_json).collect::<Vec<_>>() })
            }
            Draft::Not(item) => serde_json::json!({ "not": item.to_json() }),
            Draft::Test { field, op, value } if op.takes_value() => {
                serde_json::json!({ "field": field, "op": op.as_str(), "value": value })
            }
            Draft::Test { field, op, .. } => {
                serde_json::json!({ "field": field, "op": op.as_str() })
            }
        }
    }
}

/// A resolved rule: every field known to the kind, every value typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    All(Vec<Rule>),
    Any(Vec<Rule>),
    Not(Box<Rule>),
    Test(Condition),
}

impl Rule {
    /// All of `rules`, flattened: an `all` inside an `all` is one level, a single rule is
    /// itself, and none is `None` (no condition).
    pub fn all(rules: impl IntoIterator<Item = Rule>) -> Option<Rule> {
        let mut flat = Vec::new();
        for rule in rules {
            match rule {
                Rule::All(items) => flat.extend(items),
                other => flat.push(other),
            }
        }
        match flat.len() {
            0 => None,
            1 => flat.pop(),
            _ => Some(Rule::All(flat)),
        }
    }

    /// Any of `conditions`, where the tests on one field join as all (a range stays a range:
    /// "created from 1 March to 31 March, or in İzmir"). `None` without conditions.
    pub fn any_by_field(conditions: Vec<Condition>) -> Option<Rule> {
        let mut fields: Vec<Vec<Condition>> = Vec::new();
        for condition in conditions {
            match fields.iter_mut().find(|f| f[0].same_field(&condition)) {
                Some(field) => field.push(condition),
                None => fields.push(vec![condition]),
            }
        }
        let mut groups: Vec<Rule> = fields
            .into_iter()
            .filter_map(|tests| Rule::all(tests.into_iter().map(Rule::Test)))
            .collect();
        match groups.len() {
            0 => None,
            1 => groups.pop(),
            _ => Some(Rule::Any(groups)),
        }
    }

    /// Every condition, depth first (the order the store plans custom conditions in).
    pub fn conditions(&self) -> Vec<&Condition> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a Condition>) {
        match self {
            Rule::All(items) | Rule::Any(items) => items.iter().for_each(|i| i.collect(out)),
            Rule::Not(item) => item.collect(out),
            Rule::Test(condition) => out.push(condition),
        }
    }
}

/// One typed test on one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The whole name is one of these sort keys (`validate::text::sort_key_spellings`).
    Name(Vec<String>),
    Owner(UserId),
    Team(TeamId),
    LifecycleStage(LifecycleStage),
    /// Carries a tag (its folded key).
    Tag(String),
    /// The city, folded (`search_key`): equals, contains or is empty.
    City(Test),
    /// Created at or after (UTC microseconds).
    CreatedFrom(i64),
    /// Created before (UTC microseconds).
    CreatedBefore(i64),
    /// Works at this company.
    Company(CompanyId),
    /// Works at no company (`true`) or at one (`false`).
    CompanyEmpty(bool),
    /// In this pipeline (deals).
    Pipeline(i64),
    /// In this stage (deals).
    Stage(i64),
    /// The balance of the TRY account, in kuruş: at least or at most (people, companies).
    Balance(Test),
    /// The overdue part of it, in kuruş.
    Overdue(Test),
    /// A custom field's value ([`Comparable`] form).
    Custom {
        field_id: i64,
        test: Test,
    },
}

impl Condition {
    /// Whether both test the same field (the two ends of a date range do).
    pub fn same_field(&self, other: &Condition) -> bool {
        use Condition::*;
        match (self, other) {
            (Custom { field_id: a, .. }, Custom { field_id: b, .. }) => a == b,
            (CreatedFrom(_) | CreatedBefore(_), CreatedFrom(_) | CreatedBefore(_)) => true,
            (Company(_) | CompanyEmpty(_), Company(_) | CompanyEmpty(_)) => true,
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }
}

/// A test on a value in its [`Comparable`] form.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// A value equals it (a multi-choice: one of the chosen options is it).
    Equals(Comparable),
    /// A folded text value contains these folded words.
    Contains(String),
    AtLeast(Comparable),
    AtMost(Comparable),
    /// Has no value (`true`) or has one (`false`).
    Empty(bool),
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn test(field: &str, op: Op, value: &str) -> Draft {
        Draft::Test {
            field: field.into(),
            op,
            value: value.into(),
        }
    }

    #[test]
    fn reads_groups_and_tests_with_any_scalar_value() {
        let draft = Draft::parse(
            r#"{"any": [{"field": "city", "op": "eq", "value": " İzmir "},
                        {"all": [{"field": "custom.ciro", "op": "gte", "value": 1000000},
                                 {"field": "custom.vip", "op": "eq", "value": true},
                                 {"not": {"field": "team_id", "op": "empty"}}]}]}"#,
        )
        .unwrap();
        assert_eq!(
            draft,
            Draft::Any(vec![
                test("city", Op::Eq, "İzmir"),
                Draft::All(vec![
                    test("custom.ciro", Op::Gte, "1000000"),
                    test("custom.vip", Op::Eq, "true"),
                    Draft::Not(Box::new(test("team_id", Op::Empty, ""))),
                ]),
            ])
        );
        assert_eq!(draft.tests(), 4);
        assert_eq!(
            Draft::parse(&draft.to_json().to_string()).unwrap(),
            draft,
            "the JSON form round-trips"
        );
    }

    #[test]
    fn refuses_what_is_not_a_rule() {
        for bad in [
            "",
            "[]",
            "{}",
            r#"{"all": []}"#,
            r#"{"any": {"field": "city"}}"#,
            r#"{"all": [], "any": []}"#,
            r#"{"field": "city", "op": "like", "value": "x"}"#,
            r#"{"field": "city", "op": "eq"}"#,
            r#"{"field": "city", "op": "eq", "value": ["x"]}"#,
            r#"{"field": "city", "op": "empty", "value": "x"}"#,
            r#"{"field": "", "op": "eq", "value": "x"}"#,
            r#"{"field": "city", "op": "eq", "value": "x", "extra": 1}"#,
            r#"{"field": "city", "op": "eq", "value": "a\u0000b"}"#,
        ] {
            assert_eq!(Draft::parse(bad), Err("invalid-filter"), "{bad}");
        }
    }

    #[test]
    fn bounds_size_and_depth() {
        let leaf = r#"{"field": "city", "op": "eq", "value": "x"}"#;
        let many = format!(r#"{{"any": [{}]}}"#, vec![leaf; MAX_TESTS + 1].join(","));
        assert_eq!(Draft::parse(&many), Err("invalid-filter-too-large"));
        let deep = format!(r#"{{"all": [{{"any": [{{"all": [{{"any": [{leaf}]}}]}}]}}]}}"#);
        assert_eq!(Draft::parse(&deep), Err("invalid-filter-too-large"));
        let deep_not = format!(r#"{{"all": [{{"any": [{{"all": [{{"not": {leaf}}}]}}]}}]}}"#);
        assert_eq!(Draft::parse(&deep_not), Err("invalid-filter-too-large"));
        let fits = format!(r#"{{"all": [{{"any": [{{"not": {leaf}}}, {leaf}]}}]}}"#);
        assert!(Draft::parse(&fits).is_ok());
    }

    #[test]
    fn all_flattens_and_conditions_come_depth_first() {
        let city = |c: &str| Rule::Test(Condition::City(Test::Equals(Comparable::Text(c.into()))));
        assert_eq!(Rule::all([]), None);
        assert_eq!(Rule::all([city("a")]), Some(city("a")));
        let rule = Rule::all([
            city("a"),
            Rule::All(vec![city("b"), Rule::Any(vec![city("c"), city("d")])]),
        ])
        .unwrap();
        let Rule::All(items) = &rule else {
            panic!("an all")
        };
        assert_eq!(items.len(), 3, "the inner all is flattened, the any kept");
        let order: Vec<_> = rule
            .conditions()
            .into_iter()
            .map(|c| match c {
                Condition::City(Test::Equals(Comparable::Text(t))) => t.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
    }

    #[test]
    fn any_by_field_keeps_each_fields_tests_together() {
        let from = Condition::CreatedFrom(1);
        let to = Condition::CreatedBefore(9);
        let city = Condition::City(Test::Empty(false));
        let low = Condition::Custom {
            field_id: 4,
            test: Test::AtLeast(Comparable::Number(1.0)),
        };
        let high = Condition::Custom {
            field_id: 4,
            test: Test::AtMost(Comparable::Number(5.0)),
        };
        let rule = Rule::any_by_field(vec![
            from.clone(),
            low.clone(),
            city.clone(),
            to.clone(),
            high.clone(),
        ]);
        assert_eq!(
            rule,
            Some(Rule::Any(vec![
                Rule::All(vec![Rule::Test(from), Rule::Test(to)]),
                Rule::All(vec![Rule::Test(low), Rule::Test(high)]),
                Rule::Test(city.clone()),
            ]))
        );
        assert_eq!(Rule::any_by_field(Vec::new()), None);
        assert_eq!(
            Rule::any_by_field(vec![city.clone()]),
            Some(Rule::Test(city))
        );
    }
}
