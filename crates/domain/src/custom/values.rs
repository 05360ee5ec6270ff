//! Custom values: checked against their definitions, kept as the JSON the API shows (text
//! types as strings, number as a number, money as `{"minor", "currency"}`, date as
//! `YYYY-MM-DD`, boolean, choice as the option key, multi-choice as a list of keys, phone in
//! E.164), and reduced to the [`Comparable`] form lists filter and sort on.

use super::{CustomField, FieldType, LONG_TEXT_MAX, NUMBER_LIMIT, TEXT_MAX};
use crate::error::FieldErrors;
use crate::validate::text::{check_line, multiline, search_key};
use crate::validate::{Email, Invalid, Phone, web_address};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A record's custom values by field key: only the fields that have a value.
pub type CustomValues = BTreeMap<String, Value>;

/// Applies a request's custom values (`null` clears one) to a record's current ones.
///
/// Every key must name an active field of `fields`; every value must suit its type; a choice
/// must be an active option; on a create (`creating`) every required field needs a value, and
/// no request may clear one. Errors are under `custom.<key>`.
pub fn apply_values(
    fields: &[CustomField],
    current: &CustomValues,
    patch: &Map<String, Value>,
    creating: bool,
) -> Result<CustomValues, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut values = current.clone();
    for (key, raw) in patch {
        let error_field = format!("custom.{key}");
        let Some(field) = fields.iter().find(|f| &f.key == key && !f.archived) else {
            errors.add(error_field, "invalid-unknown-field");
            continue;
        };
        match normalize(field, raw) {
            Ok(Some(value)) => {
                values.insert(key.clone(), value);
            }
            Ok(None) if field.required => errors.add(error_field, Invalid::Required.code()),
            Ok(None) => {
                values.remove(key);
            }
            Err(code) => errors.add(error_field, code),
        }
    }
    if creating {
        for field in fields.iter().filter(|f| f.required && !f.archived) {
            if !values.contains_key(&field.key) && !patch.contains_key(&field.key) {
                errors.add(field.error_field(), Invalid::Required.code());
            }
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// One value checked and put in its stored shape; `None` when it is empty (clears).
fn normalize(field: &CustomField, raw: &Value) -> Result<Option<Value>, &'static str> {
    if raw.is_null() {
        return Ok(None);
    }
    let text = || raw.as_str().map(str::trim).ok_or("invalid-type");
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let value = match field.field_type {
        FieldType::Text => non_empty(text()?)
            .map(|s| line(&s, TEXT_MAX).map(Value::String))
            .transpose()?,
        FieldType::LongText => {
            let s = raw.as_str().ok_or("invalid-type")?;
            if s.trim().is_empty() {
                None
            } else if s.chars().count() > LONG_TEXT_MAX {
                return Err(Invalid::TooLong.code());
            } else {
                Some(Value::String(multiline(s).map_err(Invalid::code)?))
            }
        }
        FieldType::Number => Some(number(raw, field.decimals)?),
        FieldType::Money => Some(money(raw)?),
        FieldType::Date => non_empty(text()?)
            .map(|s| {
                s.parse::<jiff::civil::Date>()
                    .map(|d| Value::String(d.to_string()))
                    .map_err(|_| Invalid::Date.code())
            })
            .transpose()?,
        FieldType::Boolean => Some(Value::Bool(raw.as_bool().ok_or("invalid-type")?)),
        FieldType::Choice => non_empty(text()?)
            .map(|key| chosen(field, &key).map(|_| Value::String(key)))
            .transpose()?,
        FieldType::MultiChoice => {
            let items = raw.as_array().ok_or("invalid-type")?;
            let mut keys: Vec<String> = Vec::new();
            for item in items {
                let key = item.as_str().ok_or("invalid-type")?.trim().to_string();
                chosen(field, &key)?;
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            (!keys.is_empty()).then(|| Value::Array(keys.into_iter().map(Value::String).collect()))
        }
        FieldType::Url => non_empty(text()?)
            .map(|s| {
                web_address(&s, TEXT_MAX)
                    .map(Value::String)
                    .map_err(Invalid::code)
            })
            .transpose()?,
        FieldType::Email => non_empty(text()?)
            .map(|s| {
                Email::parse(&s)
                    .map(|e| Value::String(e.to_string()))
                    .map_err(Invalid::code)
            })
            .transpose()?,
        FieldType::Phone => non_empty(text()?)
            .map(|s| {
                Phone::parse(&s)
                    .map(|p| Value::String(p.to_string()))
                    .map_err(Invalid::code)
            })
            .transpose()?,
    };
    Ok(value)
}

fn line(text: &str, max: usize) -> Result<String, &'static str> {
    if text.chars().count() > max {
        return Err(Invalid::TooLong.code());
    }
    check_line(text).map_err(Invalid::code)?;
    Ok(text.to_string())
}

/// An active option of the field, or the reason it is not one.
fn chosen(field: &CustomField, key: &str) -> Result<(), &'static str> {
    match field.option(key) {
        Some(option) if !option.archived => Ok(()),
        Some(_) => Err("invalid-archived-option"),
        None => Err(Invalid::UnknownValue.code()),
    }
}

/// A JSON number rounded to the field's decimals (an integer when it has none).
fn number(raw: &Value, decimals: u8) -> Result<Value, &'static str> {
    let n = raw.as_f64().ok_or("invalid-type")?;
    if !n.is_finite() || n.abs() >= NUMBER_LIMIT {
        return Err(Invalid::Number.code());
    }
    let scale = 10f64.powi(i32::from(decimals));
    let rounded = (n * scale).round() / scale;
    if decimals == 0 {
        // Within NUMBER_LIMIT an f64 holds the integer exactly.
        return Ok(Value::from(rounded as i64));
    }
    serde_json::Number::from_f64(rounded)
        .map(Value::Number)
        .ok_or(Invalid::Number.code())
}

/// `{"minor": <integer>, "currency": "TRY"}`; the currency defaults to TRY.
fn money(raw: &Value) -> Result<Value, &'static str> {
    let object = raw.as_object().ok_or("invalid-type")?;
    if object.keys().any(|k| k != "minor" && k != "currency") {
        return Err("invalid-type");
    }
    let minor = object
        .get("minor")
        .and_then(Value::as_i64)
        .filter(|m| (m.unsigned_abs() as f64) < NUMBER_LIMIT)
        .ok_or(Invalid::Amount.code())?;
    let currency = match object.get("currency") {
        None | Some(Value::Null) => "TRY".to_string(),
        Some(Value::String(c)) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            c.to_ascii_uppercase()
        }
        Some(_) => return Err(Invalid::Amount.code()),
    };
    Ok(serde_json::json!({ "minor": minor, "currency": currency }))
}

/// A value as lists compare it: folded text (Turkish order, case-insensitive) or a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Comparable {
    Text(String),
    Number(f64),
}

impl CustomField {
    /// What lists filter and sort this field's stored value by: one entry per value (several
    /// for a multi-choice).
    pub fn comparables(&self, value: &Value) -> Vec<Comparable> {
        match (self.field_type, value) {
            (FieldType::MultiChoice, Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(|k| Comparable::Text(k.to_string()))
                .collect(),
            (FieldType::Money, Value::Object(o)) => o
                .get("minor")
                .and_then(Value::as_f64)
                .map(Comparable::Number)
                .into_iter()
                .collect(),
            (FieldType::Boolean, Value::Bool(b)) => {
                vec![Comparable::Number(f64::from(u8::from(*b)))]
            }
            (_, Value::Number(n)) => n.as_f64().map(Comparable::Number).into_iter().collect(),
            (t, Value::String(s)) => vec![Comparable::Text(text_key(t, s))],
            _ => Vec::new(),
        }
    }

    /// A filter value as typed in a list's query (`tekstil`, `1000000`, `2026-01-31`, `true`),
    /// in the form [`CustomField::comparables`] gives stored values. Money compares in minor
    /// units, as the API shows it.
    pub fn filter_value(&self, raw: &str) -> Result<Comparable, Invalid> {
        let raw = raw.trim();
        match self.field_type {
            FieldType::Number | FieldType::Money => raw
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Comparable::Number)
                .ok_or(if self.field_type == FieldType::Money {
                    Invalid::Amount
                } else {
                    Invalid::Number
                }),
            FieldType::Boolean => match raw {
                "true" | "1" => Ok(Comparable::Number(1.0)),
                "false" | "0" => Ok(Comparable::Number(0.0)),
                _ => Err(Invalid::UnknownValue),
            },
            FieldType::Date => raw
                .parse::<jiff::civil::Date>()
                .map(|d| Comparable::Text(d.to_string()))
                .map_err(|_| Invalid::Date),
            FieldType::Phone => Phone::parse(raw).map(|p| Comparable::Text(p.to_string())),
            t => Ok(Comparable::Text(text_key(t, raw))),
        }
    }
}

/// Free text compares folded the way the record search folds (so `caglar` and `ÇAĞLAR` both
/// find `Çağlar`); keys, dates and phones compare as they are. Sorting on the folded text
/// puts `ç` beside `c`: a small departure from Turkish order that buys accent-blind filters.
fn text_key(field_type: FieldType, text: &str) -> String {
    match field_type {
        FieldType::Text | FieldType::LongText | FieldType::Url | FieldType::Email => {
            let mut key = search_key(text);
            // Long texts are found and sorted by their beginning.
            key.truncate(key.char_indices().nth(200).map_or(key.len(), |(i, _)| i));
            key
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::custom::FieldOption;
    use serde_json::json;

    fn field(key: &str, field_type: FieldType) -> CustomField {
        CustomField {
            id: 1,
            record_type: "person".into(),
            key: key.into(),
            field_type,
            label_tr: key.into(),
            label_en: key.into(),
            required: false,
            options: ["tekstil", "gida", "eski"]
                .iter()
                .map(|k| FieldOption {
                    key: (*k).into(),
                    label_tr: (*k).into(),
                    label_en: (*k).into(),
                    archived: *k == "eski",
                })
                .collect(),
            decimals: 2,
            section: String::new(),
            position: 0,
            in_list: false,
            filterable: true,
            archived: false,
            version: 1,
        }
    }

    fn patch(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    fn errors(result: Result<CustomValues, FieldErrors>) -> Vec<(String, String)> {
        result
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn values_take_their_stored_shape() {
        let fields = [
            field("sektor", FieldType::Choice),
            field("ciro", FieldType::Money),
            field("oran", FieldType::Number),
            field("tarih", FieldType::Date),
            field("aktif", FieldType::Boolean),
            field("etiket", FieldType::MultiChoice),
            field("tel", FieldType::Phone),
            field("site", FieldType::Url),
        ];
        let values = apply_values(
            &fields,
            &CustomValues::new(),
            &patch(json!({
                "sektor": "tekstil", "ciro": {"minor": 125000}, "oran": 1.005,
                "tarih": "2026-01-31", "aktif": true, "etiket": ["gida", "tekstil", "gida"],
                "tel": "0532 123 45 67", "site": "rehber.example"
            })),
            true,
        )
        .unwrap();
        assert_eq!(values["ciro"], json!({"minor": 125000, "currency": "TRY"}));
        assert_eq!(values["oran"], json!(1.0));
        assert_eq!(values["etiket"], json!(["gida", "tekstil"]));
        assert_eq!(values["tel"], json!("+905321234567"));
        assert_eq!(values["site"], json!("https://rehber.example"));
        assert_eq!(values["aktif"], json!(true));
    }

    #[test]
    fn bad_values_are_refused_under_their_key() {
        let mut required = field("zorunlu", FieldType::Text);
        required.required = true;
        let fields = [
            field("sektor", FieldType::Choice),
            field("ciro", FieldType::Money),
            required,
        ];
        let got = errors(apply_values(
            &fields,
            &CustomValues::new(),
            &patch(json!({"sektor": "eski", "ciro": "çok", "yok": 1})),
            true,
        ));
        assert_eq!(
            got,
            [
                ("custom.ciro".to_string(), "invalid-type".to_string()),
                ("custom.sektor".into(), "invalid-archived-option".into()),
                ("custom.yok".into(), "invalid-unknown-field".into()),
                ("custom.zorunlu".into(), "invalid-required".into()),
            ]
        );
    }

    #[test]
    fn a_patch_changes_only_its_keys_and_null_clears() {
        let fields = [
            field("sektor", FieldType::Choice),
            field("oran", FieldType::Number),
        ];
        let mut current = CustomValues::new();
        current.insert("sektor".into(), json!("eski"));
        current.insert("oran".into(), json!(2));
        let values = apply_values(&fields, &current, &patch(json!({"oran": null})), false).unwrap();
        assert_eq!(
            values.len(),
            1,
            "the archived option stays where it was not touched"
        );
        assert_eq!(values["sektor"], json!("eski"));
    }

    #[test]
    fn comparables_fold_text_and_keep_numbers() {
        let text = field("not", FieldType::Text);
        assert_eq!(
            text.comparables(&json!("Çağlar")),
            [Comparable::Text("caglar".into())]
        );
        assert_eq!(
            text.filter_value("ÇAĞLAR"),
            Ok(Comparable::Text("caglar".into()))
        );
        let money = field("ciro", FieldType::Money);
        assert_eq!(
            money.comparables(&json!({"minor": 5, "currency": "TRY"})),
            [Comparable::Number(5.0)]
        );
        assert_eq!(money.filter_value("x"), Err(Invalid::Amount));
        let flag = field("aktif", FieldType::Boolean);
        assert_eq!(flag.filter_value("true"), Ok(Comparable::Number(1.0)));
    }
}
