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
    pub ownership: Ownership,
    pub meta: RecordMeta,
}

/// A person as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonForm {
    pub first_name: String,
    pub last_name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub company_id: String,
    pub job_title: String,
    pub address: Address,
    pub tags: Vec<String>,
    pub lifecycle_stage: String,
    pub lead_status: String,
    pub lead_source: String,
    pub bant: Bant,
    pub birthday: String,
    pub national_id: String,
    pub notes: String,
    /// Custom values, already checked against their definitions by the services.
    #[serde(default)]
    pub custom: CustomValues,
}

/// The fields a request mentions; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonPatch {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub emails: Option<Vec<String>>,
    pub phones: Option<Vec<String>>,
    pub company_id: Option<String>,
    pub job_title: Option<String>,
    pub street: Option<String>,
    pub district: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub tags: Option<Vec<String>>,
    pub lifecycle_stage: Option<String>,
    pub lead_status: Option<String>,
    pub lead_source: Option<String>,
    pub bant_budget: Option<bool>,
    pub bant_authority: Option<bool>,
    pub bant_need: Option<bool>,
    pub bant_timing: Option<bool>,
    pub birthday: Option<String>,
    pub national_id: Option<String>,
    pub notes: Option<String>,
    /// Custom values to set (`null` clears one); checked by the services, which know the
    /// definitions.
    #[serde(default)]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
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

    pub fn apply(&mut self, patch: PersonPatch) {
        overlay(&mut self.first_name, patch.first_name);
        overlay(&mut self.last_name, patch.last_name);
        overlay(&mut self.emails, patch.emails);
        overlay(&mut self.phones, patch.phones);
        overlay(&mut self.company_id, patch.company_id);
        overlay(&mut self.job_title, patch.job_title);
        overlay(&mut self.address.street, patch.street);
        overlay(&mut self.address.district, patch.district);
        overlay(&mut self.address.city, patch.city);
        overlay(&mut self.address.postal_code, patch.postal_code);
        overlay(&mut self.address.country, patch.country);
        overlay(&mut self.tags, patch.tags);
        overlay(&mut self.lifecycle_stage, patch.lifecycle_stage);
        overlay(&mut self.lead_status, patch.lead_status);
        overlay(&mut self.lead_source, patch.lead_source);
        overlay(&mut self.bant.budget, patch.bant_budget);
        overlay(&mut self.bant.authority, patch.bant_authority);
        overlay(&mut self.bant.need, patch.bant_need);
        overlay(&mut self.bant.timing, patch.bant_timing);
        overlay(&mut self.birthday, patch.birthday);
        overlay(&mut self.national_id, patch.national_id);
        overlay(&mut self.notes, patch.notes);
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
        let lifecycle_stage = parse_choice(
            &mut errors,
            "lifecycle_stage",
            &self.lifecycle_stage,
            LifecycleStage::parse,
        )
        .unwrap_or_default();
        let lead_status = parse_choice(
            &mut errors,
            "lead_status",
            &self.lead_status,
            LeadStatus::parse,
        );
        let lead_source = parse_choice(
            &mut errors,
            "lead_source",
            &self.lead_source,
            LeadSource::parse,
        );
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
