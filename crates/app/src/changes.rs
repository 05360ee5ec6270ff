//! Field-level differences between two versions of a record, for the audit log.

use rehber_store::AuditChange;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Compares two serializable forms field by field (nested objects flattened with their
/// field names, lists shown comma-separated, custom values as `custom.<key>`) and lists what
/// changed, by field name.
pub(crate) fn diff<T: Serialize>(before: &T, after: &T) -> Vec<AuditChange> {
    let fields = |value: &T| -> BTreeMap<String, String> {
        let mut out = Vec::new();
        flatten(
            "",
            &serde_json::to_value(value).unwrap_or(Value::Null),
            &mut out,
        );
        out.into_iter().collect()
    };
    let (a, b) = (fields(before), fields(after));
    // Custom values come and go with their keys: a field on one side only changed from or to
    // nothing. A BTreeMap keeps the order by name whatever serde_json's map order is.
    let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    names
        .into_iter()
        .filter_map(|field| {
            let from = a.get(field).cloned().unwrap_or_default();
            let to = b.get(field).cloned().unwrap_or_default();
            (from != to).then(|| AuditChange {
                field: field.clone(),
                from,
                to,
            })
        })
        .collect()
}

/// Every field of a new record with its value, for the "created" entry.
pub(crate) fn initial<T: Serialize>(record: &T) -> Vec<AuditChange> {
    let mut fields = Vec::new();
    flatten(
        "",
        &serde_json::to_value(record).unwrap_or(Value::Null),
        &mut fields,
    );
    let mut changes: Vec<AuditChange> = fields
        .into_iter()
        .filter(|(_, value)| !value.is_empty() && value != "false")
        .map(|(field, to)| AuditChange {
            field,
            from: String::new(),
            to,
        })
        .collect();
    changes.sort_by(|x, y| x.field.cmp(&y.field));
    changes
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) if prefix == "custom" => {
            for (key, inner) in map {
                out.push((format!("custom.{key}"), display(inner)));
            }
        }
        Value::Object(map) => {
            for (key, inner) in map {
                let name = if prefix.is_empty() || prefix == "address" {
                    key.clone()
                } else {
                    format!("{prefix}_{key}")
                };
                flatten(&name, inner, out);
            }
        }
        other => out.push((prefix.to_string(), display(other))),
    }
}

fn display(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(display).collect::<Vec<_>>().join(", "),
        // Money: `1250.00 TRY`.
        Value::Object(o) => match (o.get("minor").and_then(Value::as_i64), o.get("currency")) {
            (Some(minor), Some(Value::String(currency))) => {
                let sign = if minor < 0 { "-" } else { "" };
                let abs = minor.unsigned_abs();
                format!("{sign}{}.{:02} {currency}", abs / 100, abs % 100)
            }
            _ => value.to_string(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rehber_domain::party::PersonForm;

    #[test]
    fn diff_names_changed_fields_with_before_and_after() {
        let mut before = PersonForm::blank();
        before.first_name = "Ayşe".into();
        let mut after = before.clone();
        after.first_name = "Ayşegül".into();
        after.address.city = "İzmir".into();
        after.bant.budget = true;
        let changes = diff(&before, &after);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, vec!["bant_budget", "city", "first_name"]);
        assert_eq!(changes[2].from, "Ayşe");
        assert_eq!(changes[2].to, "Ayşegül");
        assert_eq!(changes[0].to, "true");
    }
}
