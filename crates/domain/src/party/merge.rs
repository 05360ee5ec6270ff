//! The content of two records merged into one, read from their forms: the survivor's value
//! wherever it has one, the other's where the survivor's is empty; lists (e-mails, phones,
//! tags, multi-choice values) are joined without repeats (text in any case is one), the
//! survivor's first; a check confirmed on either side (BANT) stays confirmed.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Two list items are one when equal, text ignoring case (`AHMET@…` is `ahmet@…`).
fn same_item(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.to_lowercase() == b.to_lowercase(),
        (a, b) => a == b,
    }
}

fn merged(survivor: Value, other: Value) -> Value {
    match (survivor, other) {
        (Value::String(s), other) if s.trim().is_empty() => match other {
            Value::Null => Value::String(s),
            other => other,
        },
        (Value::Null, other) => other,
        (Value::Array(mut kept), Value::Array(more)) => {
            for item in more {
                if !kept.iter().any(|k| same_item(k, &item)) {
                    kept.push(item);
                }
            }
            Value::Array(kept)
        }
        (Value::Object(mut kept), Value::Object(more)) => {
            for (key, value) in more {
                let joined = match kept.remove(&key) {
                    Some(own) => merged(own, value),
                    None => value,
                };
                kept.insert(key, joined);
            }
            Value::Object(kept)
        }
        (Value::Bool(a), Value::Bool(b)) => Value::Bool(a || b),
        (survivor, _) => survivor,
    }
}

/// `survivor`'s form completed from `other`'s (see the module); `None` if the forms cannot
/// be read back (a form type that is not plain data).
pub fn merge_forms<F: Serialize + DeserializeOwned>(survivor: &F, other: &F) -> Option<F> {
    let joined = merged(
        serde_json::to_value(survivor).ok()?,
        serde_json::to_value(other).ok()?,
    );
    serde_json::from_value(joined).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::party::PersonForm;

    #[test]
    fn the_survivor_keeps_its_values_and_takes_what_it_lacks() {
        let mut kept = PersonForm::blank();
        kept.first_name = "Ahmet".into();
        kept.last_name = "Ölmez".into();
        kept.emails = vec!["ahmet@example.com".into()];
        kept.address.city = "İzmir".into();
        let mut other = PersonForm::blank();
        other.first_name = "A.".into();
        other.last_name = "Ölmez".into();
        other.emails = vec!["AHMET@example.com".into(), "ahmet.o@example.com".into()];
        other.job_title = "Satın alma".into();
        other.address.city = "Ankara".into();
        let joined = merge_forms(&kept, &other).unwrap();
        assert_eq!(joined.first_name, "Ahmet");
        assert_eq!(joined.address.city, "İzmir");
        assert_eq!(
            joined.job_title, "Satın alma",
            "taken where the survivor had none"
        );
        assert_eq!(
            joined.emails,
            ["ahmet@example.com", "ahmet.o@example.com"],
            "joined without repeats, the survivor's first"
        );
    }
}
