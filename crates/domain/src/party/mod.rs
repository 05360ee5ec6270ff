//! People and companies ("parties"): their validated content, the raw form a user or API
//! client sends, and the choice lists (lifecycle stage, lead status, lead source, size).
//!
//! One validation path serves create, update and the API: a raw [`CompanyForm`]/[`PersonForm`]
//! holds every field as typed, a patch overlays the fields a request mentions, and `validate`
//! turns the form into checked fields or every field error at once.

#[macro_use]
mod shared;
mod choices;
mod company;
mod keys;
mod kinds;
pub mod limits;
mod merge;
mod person;

pub use choices::{CompanySize, LeadSource, LeadStatus, LifecycleStage};
pub use company::{Company, CompanyFields, CompanyForm, CompanyPatch};
pub use keys::{MatchKey, company_keys, company_name_key, person_keys, person_name_key};
pub use kinds::{Companies, People};
pub(crate) use merge::same_item;
pub use merge::{TakeError, merge_forms, merge_forms_taking};
pub use person::{Person, PersonFields, PersonForm, PersonPatch};
pub use shared::PartyPatch;

pub(crate) use crate::custom::CustomValues;
use crate::error::FieldErrors;
use crate::validate::{Email, Invalid, Phone, text};
use serde::{Deserialize, Serialize};

/// A postal address in Turkish and international form (ilçe = district, il = city).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub district: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
}

/// BANT qualification: which of budget, authority, need and timing are confirmed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bant {
    pub budget: bool,
    pub authority: bool,
    pub need: bool,
    pub timing: bool,
}

impl Bant {
    /// How many of the four are confirmed (0–4).
    pub fn score(self) -> u8 {
        [self.budget, self.authority, self.need, self.timing]
            .into_iter()
            .filter(|b| *b)
            .count() as u8
    }
}

/// Record ownership: the user responsible and the team the record belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ownership {
    pub owner_id: Option<crate::UserId>,
    pub team_id: Option<crate::TeamId>,
}

/// Bookkeeping every stored record carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordMeta {
    /// Incremented by every update; an update naming an older version is refused.
    pub version: i64,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
    pub deleted_at: Option<jiff::Timestamp>,
}

/// Trims a one-line free-text field; empty is allowed. Control characters are refused.
fn optional_text(errors: &mut FieldErrors, field: &str, input: &str, max: usize) -> String {
    let value = input.trim();
    if value.chars().count() > max {
        errors.add(field, Invalid::TooLong.code());
    } else {
        errors.check(field, text::check_line(value));
    }
    value.to_string()
}

/// Trims a multi-line free-text field (notes): line ends normalized, tab and newline kept.
fn multiline_text(errors: &mut FieldErrors, field: &str, input: &str, max: usize) -> String {
    let value = input.trim();
    if value.chars().count() > max {
        errors.add(field, Invalid::TooLong.code());
        return value.to_string();
    }
    errors
        .check(field, text::multiline(value))
        .unwrap_or_else(|| value.to_string())
}

/// Refuses a list with more than `max` non-blank values (before any is parsed, so a huge
/// list costs nothing).
fn check_count(errors: &mut FieldErrors, field: &str, inputs: &[String], max: usize) -> bool {
    let count = inputs.iter().filter(|raw| !raw.trim().is_empty()).count();
    if count > max {
        errors.add(field, Invalid::TooMany.code());
        return false;
    }
    true
}

/// Trims a required text field.
fn required_text(errors: &mut FieldErrors, field: &str, input: &str, max: usize) -> String {
    let value = optional_text(errors, field, input, max);
    if value.is_empty() {
        errors.add(field, Invalid::Required.code());
    }
    value
}

/// Parses a list of e-mails; blanks are dropped, duplicates removed, the first is primary.
/// Errors name the entry (`emails[1]`) so forms can mark the right input.
fn parse_emails(errors: &mut FieldErrors, field: &str, inputs: &[String]) -> Vec<Email> {
    let mut out: Vec<Email> = Vec::new();
    if !check_count(errors, field, inputs, limits::EMAILS) {
        return out;
    }
    for (i, raw) in inputs
        .iter()
        .enumerate()
        .filter(|(_, raw)| !raw.trim().is_empty())
    {
        if let Some(email) = errors.check(&format!("{field}[{i}]"), Email::parse(raw))
            && !out
                .iter()
                .any(|e| e.as_str().eq_ignore_ascii_case(email.as_str()))
        {
            out.push(email);
        }
    }
    out
}

/// Parses a list of phones into E.164; blanks dropped, duplicates removed.
fn parse_phones(errors: &mut FieldErrors, field: &str, inputs: &[String]) -> Vec<Phone> {
    let mut out: Vec<Phone> = Vec::new();
    if !check_count(errors, field, inputs, limits::PHONES) {
        return out;
    }
    for (i, raw) in inputs
        .iter()
        .enumerate()
        .filter(|(_, raw)| !raw.trim().is_empty())
    {
        let parsed = if raw.chars().count() > limits::PHONE_TYPED {
            Err(Invalid::TooLong)
        } else {
            Phone::parse(raw)
        };
        if let Some(phone) = errors.check(&format!("{field}[{i}]"), parsed)
            && !out.contains(&phone)
        {
            out.push(phone);
        }
    }
    out
}

/// Normalizes tags: trimmed, inner whitespace collapsed, spelled as first typed, unique by
/// their folded form (`VIP`, `vip` and `Vıp` are one tag), in Turkish alphabetical order.
/// Lists and filters match tags by that folded form (see [`tag_key`]).
pub fn normalize_tags(errors: &mut FieldErrors, field: &str, inputs: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let typed: usize = inputs.iter().map(|raw| raw.split(',').count()).sum();
    if typed > limits::TAGS * 4 {
        // Far more than could be kept: refuse before folding every one of them.
        errors.add(field, Invalid::TooMany.code());
        return tags;
    }
    for tag in inputs
        .iter()
        .flat_map(|raw| raw.split(','))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
    {
        if !tags.iter().any(|known| tag_key(known) == tag_key(&tag)) {
            tags.push(tag);
        }
    }
    if tags.len() > limits::TAGS {
        errors.add(field, Invalid::TooMany.code());
    } else if tags.iter().any(|t| t.chars().count() > limits::TAG) {
        errors.add(field, Invalid::TooLong.code());
    } else if tags.iter().any(|t| text::check_line(t).is_err()) {
        errors.add(field, Invalid::ControlCharacter.code());
    }
    tags.sort_by_key(|t| crate::validate::text::sort_key(t));
    tags
}

/// The form a tag is stored under for filtering: folded like search keys, so a filter for
/// `vip` finds `VIP` and `bayi` finds `BAYİ`.
pub fn tag_key(tag: &str) -> String {
    crate::validate::text::search_key(tag)
}

fn parse_address(errors: &mut FieldErrors, form: &Address) -> Address {
    Address {
        street: optional_text(errors, "street", &form.street, limits::STREET),
        district: optional_text(errors, "district", &form.district, limits::PLACE),
        city: optional_text(errors, "city", &form.city, limits::PLACE),
        postal_code: optional_text(
            errors,
            "postal_code",
            &form.postal_code,
            limits::POSTAL_CODE,
        ),
        country: optional_text(errors, "country", &form.country, limits::PLACE),
    }
}

/// Parses an optional choice field; empty means "not set".
fn parse_choice<T>(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let value = input.trim();
    if value.is_empty() {
        return None;
    }
    let parsed = parse(value);
    if parsed.is_none() {
        errors.add(field, Invalid::UnknownValue.code());
    }
    parsed
}

/// Parses an optional value with a newtype parser; empty means "not set".
fn parse_optional<T>(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
    parse: fn(&str) -> Result<T, Invalid>,
) -> Option<T> {
    if input.trim().is_empty() {
        return None;
    }
    errors.check(field, parse(input))
}

/// Applies a patch value when the request mentioned the field.
/// Checks the qualification fields every party form holds: the lifecycle stage (the
/// default when empty), the lead status and the lead source.
fn parse_qualification(
    errors: &mut FieldErrors,
    stage: &str,
    status: &str,
    source: &str,
) -> (LifecycleStage, Option<LeadStatus>, Option<LeadSource>) {
    let stage = parse_choice(errors, "lifecycle_stage", stage, LifecycleStage::parse);
    let status = parse_choice(errors, "lead_status", status, LeadStatus::parse);
    let source = parse_choice(errors, "lead_source", source, LeadSource::parse);
    (stage.unwrap_or_default(), status, source)
}

/// The reason a lead was unqualified: required with that status, one line of text.
fn parse_unqualified_reason(
    errors: &mut FieldErrors,
    status: Option<LeadStatus>,
    input: &str,
) -> String {
    let reason = optional_text(
        errors,
        "unqualified_reason",
        input,
        limits::UNQUALIFIED_REASON,
    );
    if status == Some(LeadStatus::Unqualified) && reason.is_empty() {
        errors.add("unqualified_reason", "invalid-unqualified-reason");
    }
    reason
}

fn overlay<T>(target: &mut T, patch: Option<T>) {
    if let Some(value) = patch {
        *target = value;
    }
}

#[cfg(test)]
mod tag_tests {
    use super::*;

    #[test]
    fn tags_keep_their_spelling_and_are_unique_by_folded_form() {
        let mut errors = FieldErrors::new();
        let tags = normalize_tags(
            &mut errors,
            "tags",
            &[
                "VIP, vip".to_string(),
                "  Toptancı  bayi ".to_string(),
                "BAYİ".to_string(),
                "Vıp".to_string(),
            ],
        );
        assert!(errors.is_empty());
        assert_eq!(tags, ["BAYİ", "Toptancı bayi", "VIP"]);
        assert_eq!(tag_key("VIP"), tag_key("vip"));
        assert_eq!(tag_key("BAYİ"), "bayi");
    }
}
