//! Custom fields: fields an administrator adds to a record kind (a person's "Sektör", a
//! company's "Ciro"). A definition ([`CustomField`]) names the field by an immutable `key`,
//! gives it a type, labels in both languages and, for choices, options with stable keys; a
//! record keeps its values as [`CustomValues`], a JSON object in the shape the API shows.
//!
//! This module validates definitions ([`FieldDraft`]) and values ([`apply_values`]); where
//! they are stored and how lists filter on them is the store's business.

mod values;

pub use values::{Comparable, CustomValues, apply_values};

use crate::error::FieldErrors;
use crate::validate::Invalid;
use crate::validate::text::check_line;
use serde::{Deserialize, Serialize};

/// At most this many active fields per record kind.
pub const MAX_ACTIVE_FIELDS: usize = 100;
/// A key is a slug of at most this many characters.
pub const KEY_MAX: usize = 40;
/// Labels and option labels.
pub const LABEL_MAX: usize = 100;
/// Options of one choice field.
pub const MAX_OPTIONS: usize = 200;
/// A one-line text value.
pub const TEXT_MAX: usize = 500;
/// A long text value.
pub const LONG_TEXT_MAX: usize = 10_000;
/// Decimal places a number field may keep.
pub const MAX_DECIMALS: u8 = 6;
/// Numbers (and money in minor units) stay within what a double keeps exactly.
pub const NUMBER_LIMIT: f64 = 9.0e15;

/// What a custom field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    LongText,
    Number,
    Money,
    Date,
    Boolean,
    Choice,
    MultiChoice,
    Url,
    Email,
    Phone,
}

impl FieldType {
    pub const ALL: [FieldType; 11] = [
        FieldType::Text,
        FieldType::LongText,
        FieldType::Number,
        FieldType::Money,
        FieldType::Date,
        FieldType::Boolean,
        FieldType::Choice,
        FieldType::MultiChoice,
        FieldType::Url,
        FieldType::Email,
        FieldType::Phone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long_text",
            FieldType::Number => "number",
            FieldType::Money => "money",
            FieldType::Date => "date",
            FieldType::Boolean => "boolean",
            FieldType::Choice => "choice",
            FieldType::MultiChoice => "multi_choice",
            FieldType::Url => "url",
            FieldType::Email => "email",
            FieldType::Phone => "phone",
        }
    }

    pub fn parse(input: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.as_str() == input)
    }

    /// Choice fields carry options.
    pub fn has_options(self) -> bool {
        matches!(self, FieldType::Choice | FieldType::MultiChoice)
    }

    /// Whether values are compared as numbers (and so filtered by ranges): number, money
    /// (minor units) and boolean (0 or 1). Dates compare as ISO text, which orders them too.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            FieldType::Number | FieldType::Money | FieldType::Boolean
        )
    }

    /// Whether lists can ask for a range (`_gte`, `_lte`).
    pub fn has_range(self) -> bool {
        matches!(self, FieldType::Number | FieldType::Money | FieldType::Date)
    }

    /// Free text the record search looks in.
    pub fn is_searchable_text(self) -> bool {
        matches!(
            self,
            FieldType::Text | FieldType::LongText | FieldType::Url | FieldType::Email
        )
    }

    /// Whether a list can sort on it (a multi-choice has no single value to sort by).
    pub fn is_sortable(self) -> bool {
        !matches!(self, FieldType::MultiChoice | FieldType::LongText)
    }
}

/// One option of a choice field: the key is what records store, so a label can change freely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldOption {
    pub key: String,
    pub label_tr: String,
    pub label_en: String,
    /// An archived option stays on the records that have it but cannot be chosen again.
    #[serde(default)]
    pub archived: bool,
}

impl FieldOption {
    pub fn label(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.label_en
        } else {
            &self.label_tr
        }
    }
}

/// A stored custom field definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomField {
    pub id: i64,
    /// The record kind it belongs to (`person`, `company`).
    pub record_type: String,
    pub key: String,
    pub field_type: FieldType,
    pub label_tr: String,
    pub label_en: String,
    pub required: bool,
    pub options: Vec<FieldOption>,
    /// Decimal places of a number field.
    pub decimals: u8,
    /// The card section it is shown under (empty: the default "Özel alanlar" card).
    pub section: String,
    pub position: i64,
    pub in_list: bool,
    pub filterable: bool,
    pub archived: bool,
    pub version: i64,
}

impl CustomField {
    pub fn label(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.label_en
        } else {
            &self.label_tr
        }
    }

    pub fn option(&self, key: &str) -> Option<&FieldOption> {
        self.options.iter().find(|o| o.key == key)
    }

    /// The error field name of this field's value (`custom.sektor`).
    pub fn error_field(&self) -> String {
        format!("custom.{}", self.key)
    }
}

/// A definition as an administrator writes it: every setting, unvalidated. The key and the
/// type are fixed once created (an update keeps the stored ones).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDraft {
    pub key: String,
    pub field_type: String,
    pub label_tr: String,
    pub label_en: String,
    pub required: bool,
    pub options: Vec<FieldOption>,
    pub decimals: u8,
    pub section: String,
    pub position: i64,
    pub in_list: bool,
    pub filterable: bool,
    pub archived: bool,
}

impl From<&CustomField> for FieldDraft {
    fn from(f: &CustomField) -> Self {
        FieldDraft {
            key: f.key.clone(),
            field_type: f.field_type.as_str().to_string(),
            label_tr: f.label_tr.clone(),
            label_en: f.label_en.clone(),
            required: f.required,
            options: f.options.clone(),
            decimals: f.decimals,
            section: f.section.clone(),
            position: f.position,
            in_list: f.in_list,
            filterable: f.filterable,
            archived: f.archived,
        }
    }
}

/// A validated definition, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDraft {
    pub key: String,
    pub field_type: FieldType,
    pub draft: FieldDraft,
}

/// Whether a key is a slug: a lower-case ASCII letter, then letters, digits or `_`.
pub fn is_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && key.len() <= KEY_MAX
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn check_label(errors: &mut FieldErrors, field: &str, label: &str) -> String {
    let label = label.trim();
    if label.is_empty() {
        errors.add(field, Invalid::Required.code());
    } else if label.chars().count() > LABEL_MAX {
        errors.add(field, Invalid::TooLong.code());
    } else if let Err(invalid) = check_line(label) {
        errors.add(field, invalid.code());
    }
    label.to_string()
}

impl FieldDraft {
    /// Checks a definition. `before` is the stored one on an update: its options may be
    /// archived but not removed (records keep their keys), and its key and type stay.
    pub fn validate(&self, before: Option<&CustomField>) -> Result<ValidDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let key = match before {
            Some(b) => b.key.clone(),
            None => {
                if !is_key(&self.key) {
                    errors.add("key", "invalid-field-key");
                }
                self.key.clone()
            }
        };
        let field_type = match before {
            Some(b) => Some(b.field_type),
            None => {
                let parsed = FieldType::parse(&self.field_type);
                if parsed.is_none() {
                    errors.add("type", Invalid::UnknownValue.code());
                }
                parsed
            }
        };
        let mut draft = self.clone();
        draft.key = key.clone();
        // A label given in one language only stands for both until someone translates it.
        let (tr, en) = match (self.label_tr.trim(), self.label_en.trim()) {
            ("", en) => (en, en),
            (tr, "") => (tr, tr),
            both => both,
        };
        draft.label_tr = check_label(&mut errors, "label_tr", tr);
        draft.label_en = check_label(&mut errors, "label_en", en);
        if draft.section.chars().count() > LABEL_MAX || check_line(&draft.section).is_err() {
            errors.add("section", Invalid::TooLong.code());
        }
        draft.section = draft.section.trim().to_string();
        if let Some(field_type) = field_type {
            draft.field_type = field_type.as_str().to_string();
            if field_type != FieldType::Number {
                // Only numbers have decimal places (money keeps minor units).
                draft.decimals = 0;
            } else if self.decimals > MAX_DECIMALS {
                errors.add("decimals", Invalid::TooLong.code());
            }
            check_options(&mut errors, field_type, &mut draft.options, before);
        }
        if errors.is_empty() {
            Ok(ValidDraft {
                key,
                field_type: field_type.unwrap_or(FieldType::Text),
                draft,
            })
        } else {
            Err(errors)
        }
    }
}

fn check_options(
    errors: &mut FieldErrors,
    field_type: FieldType,
    options: &mut Vec<FieldOption>,
    before: Option<&CustomField>,
) {
    if !field_type.has_options() {
        if !options.is_empty() {
            errors.add("options", Invalid::UnknownValue.code());
        }
        return;
    }
    if options.len() > MAX_OPTIONS {
        errors.add("options", Invalid::TooMany.code());
        return;
    }
    // An option an update leaves out is archived, never dropped: records keep its key.
    if let Some(before) = before {
        for old in &before.options {
            if !options.iter().any(|o| o.key == old.key) {
                options.push(FieldOption {
                    archived: true,
                    ..old.clone()
                });
            }
        }
    }
    if !options.iter().any(|o| !o.archived) {
        errors.add("options", Invalid::Required.code());
    }
    let mut seen = std::collections::HashSet::new();
    for (i, option) in options.iter_mut().enumerate() {
        if !is_key(&option.key) {
            errors.add(format!("options.{i}.key"), "invalid-field-key");
        } else if !seen.insert(option.key.clone()) {
            errors.add(format!("options.{i}.key"), "invalid-taken");
        }
        option.label_tr = check_label(errors, &format!("options.{i}.label_tr"), &option.label_tr);
        option.label_en = check_label(errors, &format!("options.{i}.label_en"), &option.label_en);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    pub(crate) fn draft(key: &str, field_type: &str) -> FieldDraft {
        FieldDraft {
            key: key.into(),
            field_type: field_type.into(),
            label_tr: "Etiket".into(),
            label_en: "Label".into(),
            ..FieldDraft::default()
        }
    }

    fn option(key: &str) -> FieldOption {
        FieldOption {
            key: key.into(),
            label_tr: key.to_uppercase(),
            label_en: key.into(),
            archived: false,
        }
    }

    #[test]
    fn keys_are_slugs() {
        assert!(is_key("sektor"));
        assert!(is_key("ciro_2025"));
        for bad in ["", "Sektor", "1abc", "sek-tor", "sektör", &"a".repeat(41)] {
            assert!(!is_key(bad), "{bad}");
        }
    }

    #[test]
    fn a_definition_needs_a_slug_a_known_type_and_both_labels() {
        let mut d = draft("Sek tor", "colour");
        d.label_en = " ".into();
        d.label_tr = String::new();
        let errors = d.validate(None).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["key", "type", "label_tr", "label_en"]);
        let mut one = draft("sektor", "text");
        one.label_en = String::new();
        assert_eq!(one.validate(None).unwrap().draft.label_en, "Etiket");
        assert!(draft("sektor", "text").validate(None).is_ok());
    }

    #[test]
    fn choices_need_options_with_unique_keys_and_others_have_none() {
        assert!(draft("sektor", "choice").validate(None).is_err());
        let mut d = draft("sektor", "choice");
        d.options = vec![option("tekstil"), option("tekstil")];
        assert_eq!(
            d.validate(None).unwrap_err().0[0].field,
            "options.1.key".to_string()
        );
        let mut d = draft("notlar", "text");
        d.options = vec![option("a")];
        assert!(d.validate(None).is_err());
        let mut d = draft("adet", "money");
        d.decimals = 2;
        assert_eq!(d.validate(None).unwrap().draft.decimals, 0);
        let mut d = draft("adet", "number");
        d.decimals = 2;
        assert!(d.validate(None).is_ok());
    }

    #[test]
    fn an_update_archives_the_options_it_leaves_out_and_keeps_key_and_type() {
        let mut d = draft("sektor", "choice");
        d.options = vec![option("tekstil"), option("gida")];
        let valid = d.validate(None).unwrap();
        let stored = CustomField {
            id: 1,
            record_type: "person".into(),
            key: valid.key,
            field_type: valid.field_type,
            label_tr: "Sektör".into(),
            label_en: "Industry".into(),
            required: false,
            options: valid.draft.options,
            decimals: 0,
            section: String::new(),
            position: 0,
            in_list: false,
            filterable: true,
            archived: false,
            version: 1,
        };
        let mut update = FieldDraft::from(&stored);
        update.key = "other".into();
        update.field_type = "number".into();
        update.options = vec![option("gida")];
        let valid = update.validate(Some(&stored)).unwrap();
        assert_eq!(valid.key, "sektor");
        assert_eq!(valid.field_type, FieldType::Choice);
        let tekstil = valid.draft.options.iter().find(|o| o.key == "tekstil");
        assert!(tekstil.is_some_and(|o| o.archived));
    }
}
