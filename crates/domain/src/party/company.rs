//! Companies: the stored record, its raw form and its validation.

use super::*;
use crate::ids::CompanyId;
use crate::money::Money;
use crate::validate::{Tckn, Vkn};

/// Validated company content (everything a user edits, without ownership and bookkeeping).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyFields {
    pub name: String,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub website: String,
    pub address: Address,
    pub tags: Vec<String>,
    pub lifecycle_stage: LifecycleStage,
    pub lead_status: Option<LeadStatus>,
    pub lead_source: Option<LeadSource>,
    /// Why the lead was unqualified; required while the lead status says so.
    #[serde(default)]
    pub unqualified_reason: String,
    pub bant: Bant,
    pub industry: String,
    pub size: Option<CompanySize>,
    pub annual_revenue: Option<Money>,
    pub tax_office: String,
    pub tax_number: Option<Vkn>,
    pub national_id: Option<Tckn>,
    pub trade_registry_number: String,
    pub e_invoice: bool,
    pub notes: String,
    /// Values of the administrator-defined fields, by key.
    #[serde(default)]
    pub custom: CustomValues,
}

/// A stored company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub id: CompanyId,
    pub fields: CompanyFields,
    /// The lead score and its breakdown (worked out by the scoring rules, not typed).
    #[serde(default)]
    pub lead_score: crate::scoring::LeadScore,
    pub ownership: Ownership,
    pub meta: RecordMeta,
}

impl Company {
    /// The company's name.
    pub fn title(&self) -> String {
        self.fields.name.clone()
    }

    /// Its city, else its website.
    pub fn subtitle(&self) -> Option<String> {
        [&self.fields.address.city, &self.fields.website]
            .into_iter()
            .find(|text| !text.is_empty())
            .cloned()
    }
}

party_content! {
    /// A company as typed: every field raw, ready to re-display with errors.
    form CompanyForm, patch CompanyPatch {
        name: String,
        website: String,
        industry: String,
        size: String,
        annual_revenue: String,
        currency: String,
        tax_office: String,
        tax_number: String,
        national_id: String,
        trade_registry_number: String,
        e_invoice: bool,
    }
}

impl CompanyForm {
    /// A blank form with the defaults a new company starts from.
    pub fn blank() -> Self {
        CompanyForm {
            lifecycle_stage: LifecycleStage::default().as_str().to_string(),
            currency: "TRY".to_string(),
            address: Address {
                country: "Türkiye".to_string(),
                ..Address::default()
            },
            ..CompanyForm::default()
        }
    }

    /// Checks every field; returns the validated content or all field errors.
    pub fn validate(&self) -> Result<CompanyFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &self.name, limits::COMPANY_NAME);
        let emails = parse_emails(&mut errors, "emails", &self.emails);
        let phones = parse_phones(&mut errors, "phones", &self.phones);
        let website = parse_website(&mut errors, &self.website);
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
        let industry = optional_text(&mut errors, "industry", &self.industry, limits::INDUSTRY);
        let size = parse_choice(&mut errors, "size", &self.size, CompanySize::parse);
        let annual_revenue = if self.annual_revenue.trim().is_empty() {
            None
        } else {
            let currency = if self.currency.trim().is_empty() {
                "TRY"
            } else {
                self.currency.as_str()
            };
            errors.check(
                "annual_revenue",
                Money::parse(&self.annual_revenue, currency),
            )
        };
        let tax_office = optional_text(
            &mut errors,
            "tax_office",
            &self.tax_office,
            limits::TAX_OFFICE,
        );
        let tax_number = parse_optional(&mut errors, "tax_number", &self.tax_number, Vkn::parse);
        let national_id =
            parse_optional(&mut errors, "national_id", &self.national_id, Tckn::parse);
        let trade_registry_number = optional_text(
            &mut errors,
            "trade_registry_number",
            &self.trade_registry_number,
            limits::TRADE_REGISTRY_NUMBER,
        );
        let notes = multiline_text(&mut errors, "notes", &self.notes, limits::NOTES);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CompanyFields {
            name,
            emails,
            phones,
            website,
            address,
            tags,
            lifecycle_stage,
            lead_status,
            lead_source,
            unqualified_reason,
            bant: self.bant,
            industry,
            size,
            annual_revenue,
            tax_office,
            tax_number,
            national_id,
            trade_registry_number,
            e_invoice: self.e_invoice,
            notes,
            custom: self.custom.clone(),
        })
    }
}

impl From<&CompanyFields> for CompanyForm {
    fn from(f: &CompanyFields) -> Self {
        CompanyForm {
            name: f.name.clone(),
            emails: f.emails.iter().map(|e| e.to_string()).collect(),
            phones: f.phones.iter().map(|p| p.to_string()).collect(),
            website: f.website.clone(),
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
            industry: f.industry.clone(),
            size: f.size.map(|s| s.as_str().to_string()).unwrap_or_default(),
            annual_revenue: f
                .annual_revenue
                .as_ref()
                .map(Money::to_decimal_string)
                .unwrap_or_default(),
            currency: f
                .annual_revenue
                .as_ref()
                .map(|m| m.currency.clone())
                .unwrap_or_else(|| "TRY".into()),
            tax_office: f.tax_office.clone(),
            tax_number: f
                .tax_number
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_default(),
            national_id: f
                .national_id
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_default(),
            trade_registry_number: f.trade_registry_number.clone(),
            e_invoice: f.e_invoice,
            notes: f.notes.clone(),
            custom: f.custom.clone(),
        }
    }
}

/// A website: scheme added when missing, must look like a host name.
fn parse_website(errors: &mut FieldErrors, input: &str) -> String {
    match crate::validate::web_address(input, limits::WEBSITE) {
        Ok(url) => url,
        Err(invalid) => {
            errors.add("website", invalid.code());
            input.trim().to_string()
        }
    }
}
