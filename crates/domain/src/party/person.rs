//! People (contacts): the stored record, its raw form and its validation.

use super::*;
use crate::ids::{CompanyId, PersonId};
use crate::validate::Tckn;

/// Validated person content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFields {
    pub first_name: String,
    pub last_name: String,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub company_id: Option<CompanyId>,
    pub job_title: String,
    pub address: Address,
    pub tags: Vec<String>,
    pub lifecycle_stage: LifecycleStage,
    pub lead_status: Option<LeadStatus>,
    pub lead_source: Option<LeadSource>,
    /// Why the lead was unqualified; required while the lead status says so.
    #[serde(default)]
    pub unqualified_reason: String,
    pub bant: Bant,
    pub birthday: Option<jiff::civil::Date>,
    pub national_id: Option<Tckn>,
    pub notes: String,
    /// Values of the administrator-defined fields, by key.
    #[serde(default)]
    pub custom: CustomValues,
}

impl PersonFields {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }
}

/// A stored person, with the name of their company for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub fields: PersonFields,
    pub company_name: Option<String>,
    /// The lead score and its breakdown (worked out by the scoring rules, not typed).
    #[serde(default)]
    pub lead_score: crate::scoring::LeadScore,
    pub ownership: Ownership,
    pub meta: RecordMeta,
}

impl Person {
    /// The person's full name.
    pub fn title(&self) -> String {
        self.fields.full_name()
    }

    /// Their company, else their job title, else their first e-mail address.
    pub fn subtitle(&self) -> Option<String> {
        self.company_name
            .clone()
            .filter(|name| !name.is_empty())
            .or_else(|| Some(self.fields.job_title.clone()).filter(|t| !t.is_empty()))
            .or_else(|| self.fields.emails.first().map(|e| e.to_string()))
    }
}

party_content! {
    /// A person as typed.
    form PersonForm, patch PersonPatch {
        first_name: String,
        last_name: String,
        company_id: String,
        job_title: String,
        birthday: String,
        national_id: String,
    }
}

impl PersonForm {
    pub fn blank() -> Self {
        PersonForm {
            lifecycle_stage: LifecycleStage::default().as_str().to_string(),
            address: Address {
                country: "Türkiye".to_string(),
                ..Address::default()
            },
            ..PersonForm::default()
        }
    }

    /// Checks every field. `today` bounds the birthday (no one is born in the future).
    pub fn validate(&self, today: jiff::civil::Date) -> Result<PersonFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let first_name = required_text(
            &mut errors,
            "first_name",
            &self.first_name,
            limits::PERSON_NAME,
        );
        let last_name = optional_text(
            &mut errors,
            "last_name",
            &self.last_name,
            limits::PERSON_NAME,
        );
        let emails = parse_emails(&mut errors, "emails", &self.emails);
        let phones = parse_phones(&mut errors, "phones", &self.phones);
        let company_id = if self.company_id.trim().is_empty() {
            None
        } else {
            match self.company_id.parse::<CompanyId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("company_id", Invalid::Number.code());
                    None
                }
            }
        };
        let job_title = optional_text(&mut errors, "job_title", &self.job_title, limits::JOB_TITLE);
        let address = parse_address(&mut errors, &self.address);
        let tags = normalize_tags(&mut errors, "tags", &self.tags);
        let (lifecycle_stage, lead_status, lead_source) = parse_qualification(
            &mut errors,
            &self.lifecycle_stage,
            &self.lead_status,
            &self.lead_source,
        );
        let unqualified_reason =
            parse_unqualified_reason(&mut errors, lead_status, &self.unqualified_reason);
        let birthday = if self.birthday.trim().is_empty() {
            None
        } else {
            match self.birthday.trim().parse::<jiff::civil::Date>() {
                Ok(date) if date <= today && date.year() >= 1900 => Some(date),
                _ => {
                    errors.add("birthday", Invalid::Date.code());
                    None
                }
            }
        };
        let national_id =
            parse_optional(&mut errors, "national_id", &self.national_id, Tckn::parse);
        let notes = multiline_text(&mut errors, "notes", &self.notes, limits::NOTES);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PersonFields {
            first_name,
            last_name,
            emails,
            phones,
            company_id,
            job_title,
            address,
            tags,
            lifecycle_stage,
            lead_status,
            lead_source,
            unqualified_reason,
            bant: self.bant,
            birthday,
            national_id,
            notes,
            custom: self.custom.clone(),
        })
    }
}

impl From<&PersonFields> for PersonForm {
    fn from(f: &PersonFields) -> Self {
        PersonForm {
            first_name: f.first_name.clone(),
            last_name: f.last_name.clone(),
            emails: f.emails.iter().map(|e| e.to_string()).collect(),
            phones: f.phones.iter().map(|p| p.to_string()).collect(),
            company_id: f.company_id.map(|id| id.to_string()).unwrap_or_default(),
            job_title: f.job_title.clone(),
            address: f.address.clone(),
            tags: f.tags.clone(),
            lifecycle_stage: f.lifecycle_stage.as_str().to_string(),
            lead_status: f
                .lead_status
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            lead_source: f
                .lead_source
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            unqualified_reason: f.unqualified_reason.clone(),
            bant: f.bant,
            birthday: f.birthday.map(|d| d.to_string()).unwrap_or_default(),
            national_id: f
                .national_id
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_default(),
            notes: f.notes.clone(),
            custom: f.custom.clone(),
        }
    }
}
