//! Field-level differences between two versions of a record, for the audit log.

use rehber_store::AuditChange;
use serde::Serialize;
use serde_json::Value;

/// Compares two serializable forms field by field (nested objects flattened with their
/// field names, lists shown comma-separated) and lists what changed.
pub(crate) fn diff<T: Serialize>(before: &T, after: &T) -> Vec<AuditChange> {
    let mut a = Vec::new();
    let mut b = Vec::new();
    flatten(
        "",
        &serde_json::to_value(before).unwrap_or(Value::Null),
        &mut a,
    );
    flatten(
        "",
        &serde_json::to_value(after).unwrap_or(Value::Null),
        &mut b,
    );
    let mut changes: Vec<AuditChange> = a
        .into_iter()
        .zip(b)
        .filter(|((_, from), (_, to))| from != to)
        .map(|((field, from), (_, to))| AuditChange { field, from, to })
        .collect();
    // By field name: the map order of serde_json depends on its features, and flattening puts
    // nested fields (`city` under `address`) at their parent's place.
    changes.sort_by(|x, y| x.field.cmp(&y.field));
    changes
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
