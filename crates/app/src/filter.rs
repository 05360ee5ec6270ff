//! Resolves a list rule ([`Draft`]) against a kind's fields into typed conditions
//! ([`Rule`]): a built-in filter by the name its list parameter has (`city`, `owner_id`,
//! `created_at`), a custom field as `custom.<key>`. The `custom.<key>…` list parameters are
//! tests of the same kind ([`custom_param`]). Every problem is a field error on
//! `filter.<field>` (or `custom.<name>` for a parameter), so a caller sees which test to fix.

use rehber_domain::custom::{Comparable, CustomField};
use rehber_domain::filter::{Condition, Draft, Op, Rule, Test};
use rehber_domain::party::{LifecycleStage, limits, tag_key};
use rehber_domain::validate::text::{search_key, sort_key, sort_key_spellings};
use rehber_domain::{CompanyId, FieldErrors, Money, TeamId, UserId};
use rehber_store::LIST_CURRENCY;

/// Up to how many spellings of a name (`ayse`: `ayse`, `ayşe`) a name test compares.
pub const NAME_SPELLINGS: usize = 64;

/// The start of a day in Rehber's home time zone (UTC microseconds); `next_day` gives the
/// start of the following day (the end of a range that includes the day).
pub fn day_start(date: jiff::civil::Date, next_day: bool) -> Option<i64> {
    let date = if next_day {
        date.tomorrow().ok()?
    } else {
        date
    };
    date.to_zoned_datetime(crate::home_zone())
        .ok()
        .map(|z| z.timestamp().as_microsecond())
}

/// A date as lists take it (`YYYY-MM-DD`, years 1900 to 2999).
pub fn list_date(text: &str) -> Option<jiff::civil::Date> {
    text.trim()
        .parse::<jiff::civil::Date>()
        .ok()
        .filter(|d| (1900..=2999).contains(&d.year()))
}

/// Resolves `draft` for a kind whose built-in filters are `builtins` and whose custom fields
/// are `fields`; `None` when a test could not be (its problem is in `errors`).
pub(crate) fn resolve(
    draft: &Draft,
    builtins: &[&str],
    fields: &[CustomField],
    errors: &mut FieldErrors,
) -> Option<Rule> {
    match draft {
        Draft::All(items) | Draft::Any(items) => {
            let resolved: Vec<Option<Rule>> = items
                .iter()
                .map(|item| resolve(item, builtins, fields, errors))
                .collect();
            let resolved: Vec<Rule> = resolved.into_iter().collect::<Option<_>>()?;
            Some(if matches!(draft, Draft::All(_)) {
                Rule::All(resolved)
            } else {
                Rule::Any(resolved)
            })
        }
        Draft::Not(item) => resolve(item, builtins, fields, errors).map(|r| Rule::Not(Box::new(r))),
        Draft::Test { field, op, value } => {
            let condition = match field.strip_prefix("custom.") {
                Some(key) => fields
                    .iter()
                    .find(|f| f.key == key)
                    .ok_or("invalid-filter-field")
                    .and_then(|f| custom_test(f, *op, value).map(|test| (f, test)))
                    .map(|(f, test)| Condition::Custom {
                        field_id: f.id,
                        test,
                    }),
                None if builtins.contains(&field.as_str()) => builtin(field, *op, value),
                None => Err("invalid-filter-field"),
            };
            match condition {
                Ok(condition) => Some(Rule::Test(condition)),
                Err(code) => {
                    errors.add(format!("filter.{field}"), code);
                    None
                }
            }
        }
    }
}

/// A test on a built-in filter.
fn builtin(field: &str, op: Op, value: &str) -> Result<Condition, &'static str> {
    let id = || {
        value
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or("invalid-number")
    };
    let text = |limit: usize| match value.chars().count() {
        0 => Err("invalid-required"),
        n if n > limit => Err("invalid-too-long"),
        _ => Ok(value),
    };
    let date = || list_date(value).ok_or("invalid-date");
    Ok(match (field, op) {
        ("name", Op::Eq) => {
            let typed = text(limits::SEARCH)?;
            let keys =
                sort_key_spellings(typed, NAME_SPELLINGS).unwrap_or_else(|| vec![sort_key(typed)]);
            Condition::Name(keys)
        }
        ("owner_id", Op::Eq) => Condition::Owner(UserId(id()?)),
        ("team_id", Op::Eq) => Condition::Team(TeamId(id()?)),
        ("company_id", Op::Eq) => Condition::Company(CompanyId(id()?)),
        ("pipeline_id", Op::Eq) => Condition::Pipeline(id()?),
        ("stage_id", Op::Eq) => Condition::Stage(id()?),
        ("company_id", Op::Empty) => Condition::CompanyEmpty(true),
        ("company_id", Op::NotEmpty) => Condition::CompanyEmpty(false),
        ("lifecycle_stage", Op::Eq) => {
            Condition::LifecycleStage(LifecycleStage::parse(value).ok_or("invalid-unknown-value")?)
        }
        ("tag", Op::Eq) => Condition::Tag(tag_key(text(limits::TAG)?)),
        ("city", Op::Eq) => Condition::City(Test::Equals(Comparable::Text(search_key(text(
            limits::PLACE,
        )?)))),
        ("city", Op::Contains) => Condition::City(Test::Contains(search_key(text(limits::PLACE)?))),
        ("city", Op::Empty) => Condition::City(Test::Empty(true)),
        ("city", Op::NotEmpty) => Condition::City(Test::Empty(false)),
        ("balance" | "overdue", Op::Gte | Op::Lte) => {
            let minor = Money::parse(value, LIST_CURRENCY)
                .map_err(|i| i.code())?
                .minor;
            let amount = Comparable::Number(minor as f64);
            let test = if op == Op::Gte {
                Test::AtLeast(amount)
            } else {
                Test::AtMost(amount)
            };
            if field == "balance" {
                Condition::Balance(test)
            } else {
                Condition::Overdue(test)
            }
        }
        ("created_at", Op::Gte) => {
            Condition::CreatedFrom(day_start(date()?, false).ok_or("invalid-date")?)
        }
        ("created_at", Op::Lte) => {
            Condition::CreatedBefore(day_start(date()?, true).ok_or("invalid-date")?)
        }
        _ => return Err("invalid-filter-operator"),
    })
}

/// A test on a custom field: equals any type; `gte`/`lte` numbers, money and dates;
/// `contains` free text; `empty`/`not_empty` any type.
pub(crate) fn custom_test(field: &CustomField, op: Op, value: &str) -> Result<Test, &'static str> {
    let typed = || field.filter_value(value).map_err(|i| i.code());
    let kind = field.field_type;
    Ok(match op {
        Op::Eq => Test::Equals(typed()?),
        Op::Gte if kind.has_range() => Test::AtLeast(typed()?),
        Op::Lte if kind.has_range() => Test::AtMost(typed()?),
        Op::Contains if kind.is_searchable_text() => match typed()? {
            Comparable::Text(t) if !t.is_empty() => Test::Contains(t),
            _ => return Err("invalid-required"),
        },
        Op::Empty => Test::Empty(true),
        Op::NotEmpty => Test::Empty(false),
        _ => return Err("invalid-filter-operator"),
    })
}

/// The test a `custom.<name>=<value>` list parameter asks for: `<key>` (equals), or
/// `<key>_gte`, `_lte` (number, money, date), `_contains` (text) or `_empty`
/// (`true`/`false`); the bracket forms `<key>[gte]` are read too.
pub(crate) fn custom_param(
    fields: &[CustomField],
    name: &str,
    value: &str,
) -> Result<Condition, &'static str> {
    let name = name.replace('[', "_").replace(']', "");
    let (field, suffix) = match fields.iter().find(|f| f.key == name) {
        Some(f) => (f, ""),
        None => ["_gte", "_lte", "_contains", "_empty"]
            .iter()
            .find_map(|suffix| {
                let key = name.strip_suffix(suffix)?;
                fields.iter().find(|f| f.key == key).map(|f| (f, *suffix))
            })
            .ok_or("invalid-unknown-parameter")?,
    };
    let op = match suffix {
        "" => Op::Eq,
        "_gte" => Op::Gte,
        "_lte" => Op::Lte,
        "_contains" => Op::Contains,
        _ => match value.trim() {
            "true" => Op::Empty,
            "false" => Op::NotEmpty,
            _ => return Err("invalid-boolean"),
        },
    };
    let test = custom_test(field, op, value).map_err(|code| match code {
        // A parameter's name carries its operator: one the field does not take is a name
        // the list does not know.
        "invalid-filter-operator" => "invalid-unknown-parameter",
        other => other,
    })?;
    Ok(Condition::Custom {
        field_id: field.id,
        test,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use rehber_domain::custom::FieldType;
    use rehber_domain::filter::OWNED_FILTERS;

    fn field(id: i64, key: &str, field_type: FieldType) -> CustomField {
        CustomField {
            id,
            record_type: "person".into(),
            key: key.into(),
            field_type,
            label_tr: key.into(),
            label_en: key.into(),
            required: false,
            options: Vec::new(),
            decimals: 0,
            section: String::new(),
            position: 0,
            in_list: false,
            filterable: true,
            archived: false,
            version: 1,
        }
    }

    fn resolved(json: &str, builtins: &[&str]) -> Result<Rule, FieldErrors> {
        let fields = [
            field(1, "ciro", FieldType::Number),
            field(2, "notlar", FieldType::Text),
        ];
        let mut errors = FieldErrors::new();
        let rule = resolve(&Draft::parse(json).unwrap(), builtins, &fields, &mut errors);
        rule.ok_or(errors)
    }

    #[test]
    fn resolves_built_in_and_custom_tests() {
        let rule = resolved(
            r#"{"any": [{"field": "city", "op": "eq", "value": "İZMİR"},
                        {"field": "custom.ciro", "op": "gte", "value": 1000},
                        {"field": "company_id", "op": "empty"}]}"#,
            &["city", "company_id"],
        )
        .unwrap();
        assert_eq!(
            rule,
            Rule::Any(vec![
                Rule::Test(Condition::City(Test::Equals(Comparable::Text(
                    "izmir".into()
                )))),
                Rule::Test(Condition::Custom {
                    field_id: 1,
                    test: Test::AtLeast(Comparable::Number(1000.0))
                }),
                Rule::Test(Condition::CompanyEmpty(true)),
            ])
        );
    }

    #[test]
    fn names_each_test_it_cannot_resolve() {
        let errors = resolved(
            r#"{"all": [{"field": "city", "op": "eq", "value": "x"},
                        {"field": "custom.yok", "op": "eq", "value": "x"},
                        {"field": "custom.ciro", "op": "eq", "value": "çok"},
                        {"field": "custom.ciro", "op": "contains", "value": "1"},
                        {"field": "created_at", "op": "gte", "value": "dün"},
                        {"field": "owner_id", "op": "gte", "value": "1"}]}"#,
            OWNED_FILTERS,
        )
        .unwrap_err();
        let pairs: Vec<(String, String)> = errors
            .0
            .iter()
            .map(|e| (e.field.clone(), e.code.clone()))
            .collect();
        let pair = |f: &str, c: &str| (f.to_string(), c.to_string());
        assert_eq!(
            pairs,
            [
                pair("filter.city", "invalid-filter-field"),
                pair("filter.custom.yok", "invalid-filter-field"),
                pair("filter.custom.ciro", "invalid-number"),
                pair("filter.custom.ciro", "invalid-filter-operator"),
                pair("filter.created_at", "invalid-date"),
                pair("filter.owner_id", "invalid-filter-operator"),
            ]
        );
    }

    #[test]
    fn list_parameters_read_as_the_same_tests() {
        let fields = [field(1, "ciro", FieldType::Number)];
        assert_eq!(
            custom_param(&fields, "ciro[gte]", "5"),
            Ok(Condition::Custom {
                field_id: 1,
                test: Test::AtLeast(Comparable::Number(5.0))
            })
        );
        assert_eq!(
            custom_param(&fields, "ciro_empty", "false"),
            Ok(Condition::Custom {
                field_id: 1,
                test: Test::Empty(false)
            })
        );
        assert_eq!(
            custom_param(&fields, "ciro_contains", "5"),
            Err("invalid-unknown-parameter")
        );
        assert_eq!(
            custom_param(&fields, "ciro_empty", "evet"),
            Err("invalid-boolean")
        );
        assert_eq!(
            custom_param(&fields, "hacim", "5"),
            Err("invalid-unknown-parameter")
        );
    }
}
