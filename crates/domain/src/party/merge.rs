//! The content of two records merged into one, read from their forms: the survivor's value
//! wherever it has one, the other's where the survivor's is empty; lists (e-mails, phones,
//! tags, multi-choice values) are joined without repeats (text in any case is one), the
//! survivor's first; a check confirmed on either side (BANT) stays confirmed.
//!
//! On the merge screen the person merging may take some values from the other record
//! instead ([`merge_forms_taking`]): a field by its name (`job_title`, `address` as a
//! whole), a custom value as `custom.<key>`; a list taken from the other keeps both lists
//! but puts the other's items first (its first e-mail address becomes the primary one).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Two list items are one when equal, text ignoring case (`AHMET@…` is `ahmet@…`).
pub(crate) fn same_item(a: &Value, b: &Value) -> bool {
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

/// Why a merge could not take what it was asked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakeError {
    /// A name that is no field of the form (or the BANT checks, which both sides keep).
    UnknownField(String),
    /// The forms are not plain data.
    Unreadable,
}

/// Like [`merge_forms`], with the values named in `take` coming from `other` (see the
/// module).
pub fn merge_forms_taking<F: Serialize + DeserializeOwned>(
    survivor: &F,
    other: &F,
    take: &[String],
) -> Result<F, TakeError> {
    let as_object = |form: &F| match serde_json::to_value(form) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(TakeError::Unreadable),
    };
    let (mut kept, mut more) = (as_object(survivor)?, as_object(other)?);
    for name in take {
        let unknown = || TakeError::UnknownField(name.clone());
        if let Some(key) = name.strip_prefix("custom.") {
            let (Some(Value::Object(own)), Some(Value::Object(theirs))) =
                (kept.get_mut("custom"), more.get("custom"))
            else {
                return Err(unknown());
            };
            match theirs.get(key) {
                Some(value) => own.insert(key.to_string(), value.clone()),
                None => own.remove(key),
            };
            continue;
        }
        let (Some(own), Some(theirs)) = (kept.get_mut(name), more.get_mut(name)) else {
            return Err(unknown());
        };
        match own {
            Value::Array(_) => std::mem::swap(own, theirs),
            Value::Object(_) if name != "address" => return Err(unknown()),
            _ => *own = theirs.clone(),
        }
    }
    serde_json::from_value(merged(Value::Object(kept), Value::Object(more)))
        .map_err(|_| TakeError::Unreadable)
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

    #[test]
    fn values_taken_from_the_other_replace_the_survivors_and_its_lists_come_first() {
        let mut kept = PersonForm::blank();
        kept.first_name = "A.".into();
        kept.last_name = "Ölmez".into();
        kept.job_title = "Muhasebe".into();
        kept.emails = vec!["a@example.com".into()];
        kept.address.city = "İzmir".into();
        kept.address.street = "Kordon 1".into();
        kept.custom.insert("sektor".into(), "tekstil".into());
        let mut other = PersonForm::blank();
        other.first_name = "Ahmet".into();
        other.last_name = "Ölmez".into();
        other.emails = vec!["ahmet@example.com".into()];
        other.address.city = "Ankara".into();
        let take: Vec<String> = [
            "first_name",
            "emails",
            "address",
            "job_title",
            "custom.sektor",
        ]
        .map(String::from)
        .to_vec();
        let joined = merge_forms_taking(&kept, &other, &take).unwrap();
        assert_eq!(joined.first_name, "Ahmet");
        assert_eq!(joined.emails, ["ahmet@example.com", "a@example.com"]);
        assert_eq!(joined.address.city, "Ankara");
        assert_eq!(joined.address.street, "", "an address is taken whole");
        assert_eq!(
            joined.job_title, "",
            "an empty value taken empties the field"
        );
        assert!(
            !joined.custom.contains_key("sektor"),
            "a custom value taken away"
        );
        assert_eq!(
            merge_forms_taking(&kept, &other, &[]).unwrap(),
            merge_forms(&kept, &other).unwrap()
        );
        for bad in ["bant", "nope", "custom"] {
            assert_eq!(
                merge_forms_taking(&kept, &other, &[bad.to_string()]),
                Err(TakeError::UnknownField(bad.to_string())),
                "{bad}"
            );
        }
    }
}
