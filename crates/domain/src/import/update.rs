//! What an import does with a row that matches a record already kept (by e-mail, phone,
//! national ID or tax number): refuse the row (the default, as a form refuses a second
//! record with the same e-mail), update the record with the row's values, or skip the row.
//!
//! An update lays the cells the row fills over the record's form: an empty cell never
//! erases a value, a list (e-mails, phones, tags) keeps the record's items first and adds
//! the row's new ones, and an address is updated part by part. The record's owner stays.

use crate::party::same_item;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a row matching a kept record does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnMatch {
    /// The row is an error: the record exists already.
    #[default]
    Refuse,
    /// The record takes the row's values.
    Update,
    /// The row is left out, the record as it is.
    Skip,
}

impl OnMatch {
    pub const ALL: [OnMatch; 3] = [OnMatch::Refuse, OnMatch::Update, OnMatch::Skip];

    pub fn as_str(self) -> &'static str {
        match self {
            OnMatch::Refuse => "refuse",
            OnMatch::Update => "update",
            OnMatch::Skip => "skip",
        }
    }

    pub fn parse(text: &str) -> Option<OnMatch> {
        OnMatch::ALL.into_iter().find(|m| m.as_str() == text.trim())
    }
}

/// One value a row changes on the record it matches, as the audit log writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub from: String,
    pub to: String,
}

/// The record a row updates, and what it changes there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowUpdate {
    pub record_id: i64,
    /// The record's name when the check ran.
    pub title: String,
    pub changes: Vec<FieldChange>,
}

/// The places in a person's or company's form that a column of field `code` fills.
pub fn form_paths(code: &str) -> &'static [&'static str] {
    match code {
        "full_name" => &["first_name", "last_name"],
        "street" => &["address.street"],
        "district" => &["address.district"],
        "city" => &["address.city"],
        "postal_code" => &["address.postal_code"],
        "country" => &["address.country"],
        // Resolved by the check (a company by its name); an owner never changes on update.
        "company" | "owner" => &[],
        "first_name" => &["first_name"],
        "last_name" => &["last_name"],
        "job_title" => &["job_title"],
        "birthday" => &["birthday"],
        "national_id" => &["national_id"],
        "name" => &["name"],
        "website" => &["website"],
        "industry" => &["industry"],
        "tax_office" => &["tax_office"],
        "tax_number" => &["tax_number"],
        "trade_registry_number" => &["trade_registry_number"],
        "e_invoice" => &["e_invoice"],
        "emails" => &["emails"],
        "phones" => &["phones"],
        "tags" => &["tags"],
        "lifecycle_stage" => &["lifecycle_stage"],
        "lead_status" => &["lead_status"],
        "lead_source" => &["lead_source"],
        "unqualified_reason" => &["unqualified_reason"],
        "notes" => &["notes"],
        _ => &[],
    }
}

/// The value at a dotted path (`address.city`, `custom.sektor`), made when a custom value
/// is new.
fn slot<'v>(value: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    let mut here = value;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let object = here.as_object_mut()?;
        if parts.peek().is_none() && !object.contains_key(part) {
            object.insert(part.to_string(), Value::Null);
        }
        here = object.get_mut(part)?;
    }
    Some(here)
}

fn at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |here, part| here.get(part))
}

/// `record`'s form with the values at `filled` (dotted paths of the form: `emails`,
/// `address.city`, `custom.sektor`) taken from `row` (see the module); `None` when a form
/// is not plain data or a path is none of its fields.
pub fn overlay_form<F: Serialize + DeserializeOwned>(
    record: &F,
    row: &F,
    filled: &[String],
) -> Option<F> {
    let mut kept = serde_json::to_value(record).ok()?;
    let given = serde_json::to_value(row).ok()?;
    for path in filled {
        let value = at(&given, path)?;
        let own = slot(&mut kept, path)?;
        match (own, value) {
            (Value::Array(items), Value::Array(more)) => {
                for item in more {
                    if !items.iter().any(|i| same_item(i, item)) {
                        items.push(item.clone());
                    }
                }
            }
            (own, value) => *own = value.clone(),
        }
    }
    serde_json::from_value(kept).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::party::PersonForm;

    #[test]
    fn a_row_lays_only_what_it_fills_over_the_record() {
        let mut record = PersonForm::blank();
        record.first_name = "Işıl".into();
        record.last_name = "Çağlar".into();
        record.job_title = "Muhasebe".into();
        record.emails = vec!["isil@ornek.com.tr".into()];
        record.tags = vec!["fuar".into()];
        record.address.street = "Kordon 1".into();
        record.address.city = "İzmir".into();
        record.lifecycle_stage = "customer".into();
        record.custom.insert("sektor".into(), "tekstil".into());
        let mut row = PersonForm::blank();
        row.first_name = "Işıl".into();
        row.emails = vec!["ISIL@ornek.com.tr".into(), "isil.c@ornek.com.tr".into()];
        row.tags = vec!["bayi".into()];
        row.address.city = "Ankara".into();
        row.job_title = String::new();
        row.custom.insert("bolge".into(), "ege".into());
        let filled: Vec<String> = [
            "first_name",
            "emails",
            "tags",
            "address.city",
            "job_title",
            "custom.bolge",
        ]
        .map(String::from)
        .to_vec();
        let updated = overlay_form(&record, &row, &filled).unwrap();
        assert_eq!(updated.last_name, "Çağlar", "a column the file lacks stays");
        assert_eq!(
            updated.job_title, "",
            "a path given is taken as the row has it"
        );
        assert_eq!(
            updated.emails,
            ["isil@ornek.com.tr", "isil.c@ornek.com.tr"],
            "the record's first, the row's new ones after"
        );
        assert_eq!(updated.tags, ["fuar", "bayi"]);
        assert_eq!(updated.address.city, "Ankara");
        assert_eq!(
            updated.address.street, "Kordon 1",
            "an address part by part"
        );
        assert_eq!(
            updated.lifecycle_stage, "customer",
            "the blank's default not laid over"
        );
        assert_eq!(updated.custom.get("sektor"), Some(&Value::from("tekstil")));
        assert_eq!(updated.custom.get("bolge"), Some(&Value::from("ege")));
        assert_eq!(overlay_form(&record, &row, &["nope".to_string()]), None);
    }

    #[test]
    fn modes_read_back_and_columns_name_their_places() {
        for mode in OnMatch::ALL {
            assert_eq!(OnMatch::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(OnMatch::parse("merge"), None);
        assert_eq!(form_paths("full_name"), ["first_name", "last_name"]);
        assert_eq!(form_paths("city"), ["address.city"]);
        assert!(
            form_paths("owner").is_empty(),
            "an owner never changes on update"
        );
    }
}
