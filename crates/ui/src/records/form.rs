//! The record forms: what a person or company form posts ([`RecordInput`], read with
//! `axum_extra::extract::Form` so repeated `emails`/`phones` inputs arrive as lists), which
//! fields each card of the record page edits ([`Section`]), and the state a form is shown
//! again with ([`Editor`]: every typed value, a message under each bad field, a summary, the
//! stale-version warning).

use crate::error::form_messages;
use rehber_app::AppError;
use rehber_app::ownership::OwnershipRequest;
use rehber_domain::deal::DealPatch;
use rehber_domain::party::{CompanyPatch, PartyPatch, PersonPatch};
use rehber_domain::{Error, TeamId, UserId};
use rehber_web_core::i18n::Lang;
use serde::Deserialize;
use std::collections::HashMap;

/// A part of a record that one card shows and edits on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Names, job title and company (person); name, industry, size, website, revenue (company).
    Profile,
    Contact,
    Address,
    Qualification,
    /// Turkish identity and business fields.
    Business,
    Tags,
    Notes,
    /// Owner and team (roles that may reassign).
    Ownership,
    /// The whole form (create and the full edit page).
    All,
}

impl Section {
    /// The cards of a record page, in order.
    pub const CARDS: [Section; 7] = [
        Section::Profile,
        Section::Contact,
        Section::Address,
        Section::Qualification,
        Section::Business,
        Section::Tags,
        Section::Notes,
    ];

    pub fn parse(name: &str) -> Option<Section> {
        Some(match name {
            "profile" => Section::Profile,
            "contact" => Section::Contact,
            "address" => Section::Address,
            "qualification" => Section::Qualification,
            "business" => Section::Business,
            "tags" => Section::Tags,
            "notes" => Section::Notes,
            "ownership" => Section::Ownership,
            "" | "all" => Section::All,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Profile => "profile",
            Section::Contact => "contact",
            Section::Address => "address",
            Section::Qualification => "qualification",
            Section::Business => "business",
            Section::Tags => "tags",
            Section::Notes => "notes",
            Section::Ownership => "ownership",
            Section::All => "all",
        }
    }

    /// Whether a form of this section carries the fields of `part`.
    fn covers(self, part: Section) -> bool {
        self == Section::All || self == part
    }
}

/// The title key of a card: shared texts, except the business card (`business_key`), which
/// is "Personal details" for people and "Business details" for companies.
pub fn section_key(section: &str, business_key: &'static str) -> &'static str {
    match section {
        "contact" => "records-section-contact",
        "address" => "records-section-address",
        "qualification" => "records-section-qualification",
        "business" => business_key,
        "tags" => "records-section-tags",
        "notes" => "records-section-notes",
        "ownership" => "records-section-ownership",
        _ => "records-section-profile",
    }
}

/// A person or company form as posted. Text as typed; checkboxes are present when ticked
/// (an absent checkbox of the posted section means `false`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RecordInput {
    #[serde(rename = "_section")]
    pub section: String,
    pub version: String,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub job_title: String,
    pub company_id: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub website: String,
    pub street: String,
    pub district: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub tags: String,
    pub lifecycle_stage: String,
    pub lead_status: String,
    pub unqualified_reason: String,
    pub lead_source: String,
    pub bant_budget: Option<String>,
    pub bant_authority: Option<String>,
    pub bant_need: Option<String>,
    pub bant_timing: Option<String>,
    pub industry: String,
    pub size: String,
    pub annual_revenue: String,
    pub currency: String,
    pub tax_office: String,
    pub tax_number: String,
    pub national_id: String,
    pub trade_registry_number: String,
    pub e_invoice: Option<String>,
    pub birthday: String,
    pub notes: String,
    pub owner_id: String,
    pub team_id: String,
    /// A deal's stage as `<pipeline id>:<stage id>` (one select lists every pipeline's
    /// stages, grouped), or a bare stage id.
    pub stage_id: String,
    pub amount: String,
    pub probability: String,
    pub expected_close: String,
    pub person_id: String,
    pub lost_reason_id: String,
    pub lost_note: String,
    pub forecast_category: String,
    /// "Yine de kaydet": the writer has seen the record this one repeats.
    pub allow_duplicate: Option<String>,
}

/// A ticked checkbox posts its value (`true`, or `on` by browser default).
fn ticked(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| matches!(v.trim(), "true" | "on" | "1" | "yes"))
}

fn when<T>(on: bool, value: impl FnOnce() -> T) -> Option<T> {
    on.then(value)
}

impl RecordInput {
    /// Whether the record may repeat one already kept ("yine de kaydet" ticked).
    pub fn duplicates(&self) -> rehber_app::duplicates::Duplicates {
        match ticked(&self.allow_duplicate) {
            true => rehber_app::duplicates::Duplicates::Allow,
            false => rehber_app::duplicates::Duplicates::Refuse,
        }
    }

    /// The section the form edits (`All` for the full form; `None` when unknown).
    pub fn section(&self) -> Option<Section> {
        Section::parse(self.section.trim())
    }

    /// The record version the form was loaded with.
    pub fn version(&self) -> Option<i64> {
        self.version.trim().parse().ok()
    }

    fn tags_list(&self) -> Vec<String> {
        vec![self.tags.clone()]
    }

    /// The fields every party shares, of `section`.
    fn party_patch(&self, section: Section) -> PartyPatch {
        let s = |part| section.covers(part);
        let text = |on: bool, v: &String| when(on, || v.clone());
        let ticked_in = |part, v: &Option<String>| when(s(part), || ticked(v));
        let q = Section::Qualification;
        PartyPatch {
            emails: when(s(Section::Contact), || self.emails.clone()),
            phones: when(s(Section::Contact), || self.phones.clone()),
            street: text(s(Section::Address), &self.street),
            district: text(s(Section::Address), &self.district),
            city: text(s(Section::Address), &self.city),
            postal_code: text(s(Section::Address), &self.postal_code),
            country: text(s(Section::Address), &self.country),
            tags: when(s(Section::Tags), || self.tags_list()),
            lifecycle_stage: text(s(q), &self.lifecycle_stage),
            lead_status: text(s(q), &self.lead_status),
            unqualified_reason: text(s(q), &self.unqualified_reason),
            lead_source: text(s(q), &self.lead_source),
            bant_budget: ticked_in(q, &self.bant_budget),
            bant_authority: ticked_in(q, &self.bant_authority),
            bant_need: ticked_in(q, &self.bant_need),
            bant_timing: ticked_in(q, &self.bant_timing),
            notes: text(s(Section::Notes), &self.notes),
        }
    }

    /// The person fields of `section`; the others stay as stored.
    pub fn person_patch(&self, section: Section) -> PersonPatch {
        let s = |part| section.covers(part);
        let text = |on: bool, v: &String| when(on, || v.clone());
        let mut patch = PersonPatch {
            first_name: text(s(Section::Profile), &self.first_name),
            last_name: text(s(Section::Profile), &self.last_name),
            job_title: text(s(Section::Profile), &self.job_title),
            company_id: text(s(Section::Profile), &self.company_id),
            birthday: text(s(Section::Business), &self.birthday),
            national_id: text(s(Section::Business), &self.national_id),
            ..PersonPatch::default()
        };
        patch.set_party(self.party_patch(section));
        patch
    }

    /// The company fields of `section`; the others stay as stored.
    pub fn company_patch(&self, section: Section) -> CompanyPatch {
        let s = |part| section.covers(part);
        let text = |on: bool, v: &String| when(on, || v.clone());
        let mut patch = CompanyPatch {
            name: text(s(Section::Profile), &self.name),
            industry: text(s(Section::Profile), &self.industry),
            size: text(s(Section::Profile), &self.size),
            website: text(s(Section::Profile), &self.website),
            annual_revenue: text(s(Section::Profile), &self.annual_revenue),
            currency: text(s(Section::Profile), &self.currency),
            tax_office: text(s(Section::Business), &self.tax_office),
            tax_number: text(s(Section::Business), &self.tax_number),
            national_id: text(s(Section::Business), &self.national_id),
            trade_registry_number: text(s(Section::Business), &self.trade_registry_number),
            e_invoice: when(s(Section::Business), || ticked(&self.e_invoice)),
            ..CompanyPatch::default()
        };
        patch.set_party(self.party_patch(section));
        patch
    }

    /// The deal fields of `section`; the others stay as stored.
    pub fn deal_patch(&self, section: Section) -> DealPatch {
        let s = |part| section.covers(part);
        let text = |on: bool, v: &String| when(on, || v.clone());
        let (pipeline_id, stage_id) = match self.stage_id.split_once(':') {
            Some((pipeline, stage)) => (Some(pipeline.to_string()), stage.to_string()),
            None => (None, self.stage_id.clone()),
        };
        let business = s(Section::Business);
        DealPatch {
            name: text(s(Section::Profile), &self.name),
            amount: text(s(Section::Profile), &self.amount),
            currency: text(s(Section::Profile), &self.currency),
            probability: text(s(Section::Profile), &self.probability),
            expected_close: text(s(Section::Profile), &self.expected_close),
            forecast_category: text(s(Section::Profile), &self.forecast_category),
            pipeline_id: pipeline_id.filter(|_| business),
            stage_id: when(business, || stage_id),
            lost_reason_id: text(business, &self.lost_reason_id),
            lost_note: text(business, &self.lost_note),
            company_id: text(business, &self.company_id),
            person_id: text(business, &self.person_id),
            tags: when(s(Section::Tags), || self.tags_list()),
            notes: text(s(Section::Notes), &self.notes),
            converted_from: None,
            custom: None,
        }
    }

    /// The owner and team asked for. `current_team` is the record's team: when the form
    /// leaves it unchanged the team follows a new owner. Unreadable ids are field errors.
    pub fn ownership(
        &self,
        current_team: Option<TeamId>,
    ) -> Result<OwnershipRequest, rehber_domain::FieldErrors> {
        let mut errors = rehber_domain::FieldErrors::new();
        let mut id = |field: &str, text: &str| -> Option<i64> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = text.parse().ok();
            if parsed.is_none() {
                errors.add(field, "invalid-unknown-value");
            }
            parsed
        };
        let owner_id = id("owner_id", &self.owner_id).map(UserId);
        let team_id = id("team_id", &self.team_id)
            .map(TeamId)
            .filter(|t| Some(*t) != current_team);
        if errors.is_empty() {
            Ok(OwnershipRequest { owner_id, team_id })
        } else {
            Err(errors)
        }
    }
}

/// One of several inputs of a list field (`emails`, `phones`).
#[derive(Debug, Clone)]
pub struct ListInput {
    /// The form name, repeated for every input.
    pub name: &'static str,
    /// `f-emails-0`.
    pub id: String,
    /// The error key of this input (`emails[0]`): its position in the posted list.
    pub key: String,
    pub value: String,
    pub number: usize,
}

/// The inputs of a list field: every value as typed (blanks included, so error positions
/// match) plus one empty input to type a new one into (forms.js adds more in place).
pub fn list_inputs(name: &'static str, values: &[String]) -> Vec<ListInput> {
    let trailing_blanks = values
        .iter()
        .rev()
        .take_while(|v| v.trim().is_empty())
        .count();
    let extra = 1usize.saturating_sub(trailing_blanks);
    values
        .iter()
        .cloned()
        .chain(std::iter::repeat_n(String::new(), extra))
        .enumerate()
        .map(|(i, value)| ListInput {
            name,
            id: format!("f-{name}-{i}"),
            key: format!("{name}[{i}]"),
            value,
            number: i + 1,
        })
        .collect()
}

/// One line of a form's error summary: the message and the anchor of its input.
#[derive(Debug, Clone)]
pub struct SummaryLine {
    pub text: String,
    pub href: Option<String>,
}

/// The anchor of the input a message is about: `emails[1]` → `#f-emails-1`, `city` →
/// `#f-city`; none for the whole form.
fn input_anchor(field: &str) -> Option<String> {
    if field.starts_with('_') {
        return None;
    }
    let id = field.replace('[', "-").replace(']', "");
    Some(format!("#f-{id}"))
}

/// How a form is shown again: the messages under the fields, the summary on top, and
/// whether the record changed meanwhile.
#[derive(Debug, Clone, Default)]
pub struct Editor {
    /// Message per input (`tax_number`, `emails[1]`, `_form` for the whole form).
    pub errors: HashMap<String, String>,
    /// "Field: message" lines for the summary above the form, each leading to its field.
    pub summary: Vec<SummaryLine>,
    /// The record was saved by someone else since the form was loaded.
    pub stale: bool,
    /// The record already kept that this one repeats.
    pub duplicate: Option<DuplicateNotice>,
}

/// The record a refused save repeats: its page, and its name when the writer may open it.
#[derive(Debug, Clone, Default)]
pub struct DuplicateNotice {
    pub href: String,
    pub name: Option<String>,
}

impl Editor {
    /// The editor state for a refused save, or the error back when a form cannot show it
    /// (not found, forbidden, internal).
    pub fn from_error(lang: Lang, error: AppError) -> Result<Editor, AppError> {
        if matches!(error.domain(), Some(Error::StaleVersion)) {
            return Ok(Editor {
                stale: true,
                ..Editor::default()
            });
        }
        if let Some(Error::Duplicate { field, id, name }) = error.domain() {
            let errors = HashMap::from([(field.clone(), lang.t("invalid-duplicate-record"))]);
            return Ok(Editor {
                duplicate: Some(DuplicateNotice {
                    href: id.to_string(),
                    name: name.clone(),
                }),
                ..Editor::with_errors(lang, errors)
            });
        }
        match form_messages(lang, &error) {
            Some(errors) => Ok(Editor::with_errors(lang, errors)),
            None => Err(error),
        }
    }

    /// An editor showing these per-field messages.
    pub fn with_errors(lang: Lang, errors: HashMap<String, String>) -> Editor {
        let mut summary: Vec<(String, String)> = errors
            .iter()
            .map(|(field, message)| {
                let line = if field == "_form" {
                    message.clone()
                } else {
                    format!("{}: {message}", field_label(lang, field))
                };
                (field.clone(), line)
            })
            .collect();
        summary.sort();
        Editor {
            errors,
            summary: summary
                .into_iter()
                .map(|(field, text)| SummaryLine {
                    href: input_anchor(&field),
                    text,
                })
                .collect(),
            stale: false,
            duplicate: None,
        }
    }

    /// The editor with the repeated record's page under the kind's `base` (`/people`).
    pub fn under(mut self, base: &str) -> Editor {
        if let Some(notice) = &mut self.duplicate {
            notice.href = format!("{base}/{}", notice.href);
        }
        self
    }

    /// Field errors from the web layer itself (unreadable owner or team ids).
    pub fn from_fields(lang: Lang, fields: &rehber_domain::FieldErrors) -> Editor {
        Editor::with_errors(lang, crate::error::field_messages(lang, fields))
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// `has-error` when the field has a message (for the `.field` wrapper).
    pub fn class(&self, field: &str) -> &'static str {
        if self.errors.contains_key(field) {
            " has-error"
        } else {
            ""
        }
    }
}

/// The label of an input name for messages: `emails[1]` → "E-mail addresses 2".
pub fn field_label(lang: Lang, field: &str) -> String {
    match field.split_once('[') {
        Some((base, rest)) => {
            let number = rest
                .trim_end_matches(']')
                .parse::<usize>()
                .map(|i| format!(" {}", i + 1))
                .unwrap_or_default();
            format!("{}{number}", lang.t(&format!("field-{base}")))
        }
        None => lang.t(&format!("field-{field}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_patch_touches_only_its_fields() {
        let input = RecordInput {
            first_name: "Ayşe".into(),
            city: "İzmir".into(),
            bant_need: Some("true".into()),
            ..RecordInput::default()
        };
        let patch = input.person_patch(Section::Qualification);
        assert_eq!(patch.first_name, None);
        assert_eq!(patch.city, None);
        assert_eq!(patch.bant_need, Some(true));
        assert_eq!(patch.bant_budget, Some(false));
        let full = input.person_patch(Section::All);
        assert_eq!(full.first_name.as_deref(), Some("Ayşe"));
        assert_eq!(full.city.as_deref(), Some("İzmir"));
        assert_eq!(full.emails, Some(Vec::new()));
    }

    #[test]
    fn list_inputs_keep_positions_and_offer_empty_ones() {
        let inputs = list_inputs("emails", &["a@b.co".into(), "".into(), "bad".into()]);
        assert_eq!(
            inputs.len(),
            4,
            "one empty box to type into; more come with 'add'"
        );
        assert_eq!(inputs[2].key, "emails[2]");
        assert_eq!(inputs[2].value, "bad");
        assert_eq!(list_inputs("phones", &[]).len(), 1);
    }

    #[test]
    fn an_unchanged_team_follows_a_new_owner() {
        let input = RecordInput {
            owner_id: "4".into(),
            team_id: "2".into(),
            ..RecordInput::default()
        };
        let request = input.ownership(Some(TeamId(2))).ok();
        assert_eq!(
            request,
            Some(OwnershipRequest {
                owner_id: Some(UserId(4)),
                team_id: None
            })
        );
        let bad = RecordInput {
            owner_id: "x".into(),
            ..RecordInput::default()
        };
        assert!(bad.ownership(None).is_err());
    }

    #[test]
    fn labels_name_the_position_of_list_inputs() {
        assert_eq!(field_label(Lang::En, "emails[1]"), "E-mail addresses 2");
        assert_eq!(field_label(Lang::En, "tax_number"), "Tax number (VKN)");
    }
}
