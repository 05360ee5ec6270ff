//! What the pages of people and companies share, written once: contact details, address,
//! qualification (stage, lead status and source, BANT), tags and notes, as a record page
//! shows them ([`PartyFacts`]) and as a form edits them ([`PartyInputs`]). The shared
//! templates `records/party_facts.html` and `records/party_fields.html` read these.

use super::form::{ListInput, list_inputs};
use super::table::Cell;
use super::{Choice, format_phone, lead_source_choices, lead_status_choices, lifecycle_choices};
use rehber_domain::party::{
    Address, Bant, CompanyFields, CompanyForm, LeadSource, LeadStatus, LifecycleStage,
    PersonFields, PersonForm,
};
use rehber_domain::scoring::LeadScore;
use rehber_domain::validate::{Email, Phone};
use rehber_web_core::i18n::Lang;

/// The content people and companies share.
pub trait Party {
    fn emails(&self) -> &[Email];
    fn phones(&self) -> &[Phone];
    fn address(&self) -> &Address;
    fn stage(&self) -> LifecycleStage;
    fn lead_status(&self) -> Option<LeadStatus>;
    fn lead_source(&self) -> Option<LeadSource>;
    fn unqualified_reason(&self) -> &str;
    fn bant(&self) -> Bant;
    fn tags(&self) -> &[String];
    fn notes(&self) -> &str;
}

/// The raw form fields people and companies share.
pub trait PartyForm {
    fn emails(&self) -> &[String];
    fn phones(&self) -> &[String];
    fn phones_mut(&mut self) -> &mut Vec<String>;
    fn tags(&self) -> &[String];
}

macro_rules! party {
    ($fields:ty, $form:ty) => {
        impl Party for $fields {
            fn emails(&self) -> &[Email] {
                &self.emails
            }
            fn phones(&self) -> &[Phone] {
                &self.phones
            }
            fn address(&self) -> &Address {
                &self.address
            }
            fn stage(&self) -> LifecycleStage {
                self.lifecycle_stage
            }
            fn lead_status(&self) -> Option<LeadStatus> {
                self.lead_status
            }
            fn lead_source(&self) -> Option<LeadSource> {
                self.lead_source
            }
            fn unqualified_reason(&self) -> &str {
                &self.unqualified_reason
            }
            fn bant(&self) -> Bant {
                self.bant
            }
            fn tags(&self) -> &[String] {
                &self.tags
            }
            fn notes(&self) -> &str {
                &self.notes
            }
        }

        impl PartyForm for $form {
            fn emails(&self) -> &[String] {
                &self.emails
            }
            fn phones(&self) -> &[String] {
                &self.phones
            }
            fn phones_mut(&mut self) -> &mut Vec<String> {
                &mut self.phones
            }
            fn tags(&self) -> &[String] {
                &self.tags
            }
        }
    };
}

party!(PersonFields, PersonForm);
party!(CompanyFields, CompanyForm);

/// The shared content of a party, ready to read.
pub struct PartyFacts {
    pub stage: &'static str,
    pub stage_label: String,
    pub lead_status_label: String,
    pub lead_source_label: String,
    pub emails: Vec<String>,
    /// (E.164 for `tel:`, display form)
    pub phones: Vec<(String, String)>,
    pub address: Address,
    pub tags: Vec<String>,
    pub notes: String,
    pub bant: Vec<(String, bool)>,
    pub bant_score: u8,
    pub unqualified_reason: String,
    /// The lead score and its breakdown (see [`PartyFacts::with_score`]).
    pub score: Option<ScoreFacts>,
}

/// Points as the breakdown writes them: `+15`, `−20` (with a minus sign, not a hyphen).
pub fn signed_points(points: i64) -> String {
    if points > 0 {
        format!("+{points}")
    } else {
        format!("−{}", points.unsigned_abs())
    }
}

/// A lead score, ready to read: the number, its band, and each rule's points.
pub struct ScoreFacts {
    pub score: i64,
    /// `score-hot`, `score-warm` or `score-cold` (a badge class).
    pub band: &'static str,
    pub band_label: String,
    /// (rule name, signed points, whether it added)
    pub lines: Vec<(String, String, bool)>,
    /// When it was worked out, or empty before the first time.
    pub scored_at: String,
}

impl ScoreFacts {
    pub fn new(lang: Lang, score: &LeadScore) -> ScoreFacts {
        let band = match score.band() {
            "hot" => "score-hot",
            "warm" => "score-warm",
            _ => "score-cold",
        };
        ScoreFacts {
            score: score.score,
            band,
            band_label: lang.t(&format!("records-{band}")),
            lines: score
                .breakdown
                .iter()
                .map(|item| {
                    (
                        item.name.clone(),
                        signed_points(item.points),
                        item.points > 0,
                    )
                })
                .collect(),
            scored_at: score
                .scored_at
                .map(|at| lang.datetime(at))
                .unwrap_or_default(),
        }
    }

    /// The score as a list cell or header fact.
    pub fn badge(lang: Lang, score: &LeadScore) -> Cell {
        let facts = ScoreFacts::new(lang, score);
        Cell::Badge(
            facts.band,
            lang.t_args("records-score-badge", &[("score", score.score.to_string())]),
        )
    }
}

impl PartyFacts {
    pub fn new(lang: Lang, f: &impl Party) -> PartyFacts {
        let bant = f.bant();
        PartyFacts {
            stage: f.stage().as_str(),
            stage_label: lang.t(&format!("lifecycle-{}", f.stage())),
            lead_status_label: f
                .lead_status()
                .map(|s| lang.t(&format!("lead-status-{s}")))
                .unwrap_or_default(),
            lead_source_label: f
                .lead_source()
                .map(|s| lang.t(&format!("lead-source-{s}")))
                .unwrap_or_default(),
            emails: f.emails().iter().map(|e| e.to_string()).collect(),
            phones: f
                .phones()
                .iter()
                .map(|p| (p.as_str().to_string(), format_phone(p.as_str())))
                .collect(),
            address: f.address().clone(),
            tags: f.tags().to_vec(),
            notes: f.notes().to_string(),
            bant: vec![
                (lang.t("field-bant_budget"), bant.budget),
                (lang.t("field-bant_authority"), bant.authority),
                (lang.t("field-bant_need"), bant.need),
                (lang.t("field-bant_timing"), bant.timing),
            ],
            bant_score: bant.score(),
            unqualified_reason: f.unqualified_reason().to_string(),
            score: None,
        }
    }

    /// These facts with the record's lead score.
    pub fn with_score(mut self, lang: Lang, score: &LeadScore) -> PartyFacts {
        self.score = Some(ScoreFacts::new(lang, score));
        self
    }

    /// The header facts: stage, owner, first e-mail and phone, city.
    pub fn header_facts(&self, owner: Cell) -> Vec<Cell> {
        let mut facts = vec![Cell::Badge(self.stage, self.stage_label.clone()), owner];
        if let Some(email) = self.emails.first() {
            facts.push(Cell::Mail(email.clone()));
        }
        if let Some((e164, shown)) = self.phones.first() {
            facts.push(Cell::Tel(e164.clone(), shown.clone()));
        }
        facts.push(Cell::Text(self.address.city.clone()));
        facts
    }
}

/// A party's first e-mail and phone, for a list row or a brief.
pub struct FirstContact {
    pub email: String,
    pub phone_e164: String,
    /// The phone as read (`+90 532 123 45 67`).
    pub phone: String,
}

impl FirstContact {
    pub fn of(f: &impl Party) -> FirstContact {
        let phone_e164 = f
            .phones()
            .first()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default();
        FirstContact {
            email: f
                .emails()
                .first()
                .map(|e| e.to_string())
                .unwrap_or_default(),
            phone: format_phone(&phone_e164),
            phone_e164,
        }
    }
}

/// The shared inputs of a party form and their choices.
pub struct PartyInputs {
    pub emails: Vec<ListInput>,
    pub phones: Vec<ListInput>,
    pub tags: String,
    pub stages: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub sources: Vec<Choice>,
}

impl PartyInputs {
    pub fn new(lang: Lang, form: &impl PartyForm) -> PartyInputs {
        PartyInputs {
            emails: list_inputs("emails", form.emails()),
            phones: list_inputs("phones", form.phones()),
            tags: form.tags().join(", "),
            stages: lifecycle_choices(lang),
            statuses: lead_status_choices(lang),
            sources: lead_source_choices(lang),
        }
    }
}

/// Phones stored in E.164, grouped for editing (`+90 532 123 45 67`).
pub fn readable_phones(form: &mut impl PartyForm) {
    let phones = form.phones_mut();
    *phones = super::readable_phones(phones);
}

/// Declares a party kind's card templates — its facts (`facts`, reading `v`, `d`, `p` and
/// `section`) and its inputs (`fields`, reading `fe` and `section`) — as `Facts` and
/// `Fields`, with the `RecordPages::facts` and `RecordPages::form_fields` bodies that render
/// them (`facts_html`, `fields_html`).
macro_rules! party_templates {
    (kind = $kind:ty, detail = $detail:ty, edit = $edit:ty, facts = $facts:literal, fields = $fields:literal) => {
        #[derive(askama::Template)]
        #[template(path = $facts)]
        struct Facts<'a> {
            page: &'a $crate::page::Page,
            v: &'a $crate::records::view::RecordHead,
            d: &'a $detail,
            p: &'a $crate::records::party::PartyFacts,
            section: &'a str,
        }

        #[derive(askama::Template)]
        #[template(path = $fields)]
        struct Fields<'a> {
            page: &'a $crate::page::Page,
            fe: &'a $edit,
            section: &'a str,
        }

        fn facts_html(parts: $crate::records::pages::FactParts<'_, $kind>) -> String {
            let d = parts.detail;
            $crate::records::pages::html(&Facts {
                page: parts.page,
                v: parts.head,
                p: &d.party,
                d,
                section: parts.section,
            })
        }

        fn fields_html(parts: $crate::records::pages::FieldParts<'_, $kind>) -> String {
            $crate::records::pages::html(&Fields {
                page: parts.page,
                fe: parts.fe,
                section: parts.section,
            })
        }
    };
}
pub(crate) use party_templates;
