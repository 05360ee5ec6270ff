//! The API's wire types (JSON in and out, documented in the OpenAPI document) and their
//! conversion to and from the domain.

use rehber_domain::party::{Company, CompanyPatch, Person, PersonPatch};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A record id given as a number or a numeric string.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum IdInput {
    Number(i64),
    Text(String),
}

impl IdInput {
    pub fn text(&self) -> String {
        match self {
            IdInput::Number(n) => n.to_string(),
            IdInput::Text(t) => t.clone(),
        }
    }
}

/// Owner and team requested on create or update.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct OwnershipInput {
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
}

/// A person to create, or the fields of a person to change (PATCH: absent fields stay).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PersonRequest {
    #[schema(example = "Işık")]
    pub first_name: Option<String>,
    #[schema(example = "Çağlar")]
    pub last_name: Option<String>,
    /// The primary e-mail (put first in `emails`).
    #[schema(example = "isik.caglar@ornek.com.tr")]
    pub email: Option<String>,
    pub emails: Option<Vec<String>>,
    /// The primary phone, any common form (stored as E.164).
    #[schema(example = "0532 123 45 67")]
    pub phone: Option<String>,
    pub phones: Option<Vec<String>>,
    #[schema(value_type = Option<i64>)]
    pub company_id: Option<Option<IdInput>>,
    pub job_title: Option<String>,
    pub street: Option<String>,
    pub district: Option<String>,
    #[schema(example = "İstanbul")]
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub tags: Option<Vec<String>>,
    /// subscriber, lead, qualified, opportunity, customer, churned
    pub lifecycle_stage: Option<String>,
    /// new, attempted, connected, in_progress, unqualified, bad_timing
    pub lead_status: Option<String>,
    /// website, referral, event, advertising, cold_call, social_media, partner, email, other
    pub lead_source: Option<String>,
    pub bant_budget: Option<bool>,
    pub bant_authority: Option<bool>,
    pub bant_need: Option<bool>,
    pub bant_timing: Option<bool>,
    /// YYYY-MM-DD
    pub birthday: Option<String>,
    /// T.C. kimlik numarası (11 digits, checksum validated)
    pub national_id: Option<String>,
    pub notes: Option<String>,
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    /// The version last read; when given, an update of a changed record is refused (409).
    pub version: Option<i64>,
    /// Custom field values by key (`GET /custom-fields` lists them): text types as strings,
    /// number as a number, money as `{"minor": 125000, "currency": "TRY"}`, date as
    /// `YYYY-MM-DD`, boolean, choice as the option key, multi-choice as a list of keys,
    /// phone in any common form. A PATCH changes only the keys given; `null` clears one.
    #[schema(value_type = Option<Object>)]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Merges a primary value with a list: the primary first, no duplicates.
fn primary_first(primary: Option<String>, list: Option<Vec<String>>) -> Option<Vec<String>> {
    match (primary, list) {
        (None, None) => None,
        (Some(p), None) => Some(vec![p]),
        (None, Some(list)) => Some(list),
        (Some(p), Some(list)) => {
            let mut out = vec![p.clone()];
            out.extend(list.into_iter().filter(|x| x.trim() != p.trim()));
            Some(out)
        }
    }
}

impl PersonRequest {
    pub fn into_patch(self) -> (PersonPatch, OwnershipInput, Option<i64>) {
        let patch = PersonPatch {
            first_name: self.first_name,
            last_name: self.last_name,
            emails: primary_first(self.email, self.emails),
            phones: primary_first(self.phone, self.phones),
            company_id: self
                .company_id
                .map(|c| c.map(|id| id.text()).unwrap_or_default()),
            job_title: self.job_title,
            street: self.street,
            district: self.district,
            city: self.city,
            postal_code: self.postal_code,
            country: self.country,
            tags: self.tags,
            lifecycle_stage: self.lifecycle_stage,
            lead_status: self.lead_status,
            lead_source: self.lead_source,
            bant_budget: self.bant_budget,
            bant_authority: self.bant_authority,
            bant_need: self.bant_need,
            bant_timing: self.bant_timing,
            birthday: self.birthday,
            national_id: self.national_id,
            notes: self.notes,
            custom: self.custom,
        };
        (
            patch,
            OwnershipInput {
                owner_id: self.owner_id,
                team_id: self.team_id,
            },
            self.version,
        )
    }
}

/// A person as the API returns it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonResponse {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    pub email: Option<String>,
    pub emails: Vec<String>,
    /// Primary phone in E.164.
    pub phone: Option<String>,
    pub phones: Vec<String>,
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
    pub job_title: String,
    pub street: String,
    pub district: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub tags: Vec<String>,
    pub lifecycle_stage: String,
    pub lead_status: Option<String>,
    pub lead_source: Option<String>,
    pub bant_budget: bool,
    pub bant_authority: bool,
    pub bant_need: bool,
    pub bant_timing: bool,
    pub birthday: Option<String>,
    pub national_id: Option<String>,
    pub notes: String,
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    /// Custom field values by key, only those that have a value (shapes as in requests;
    /// phones in E.164, money with its currency).
    #[schema(value_type = Object)]
    pub custom: rehber_domain::custom::CustomValues,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

impl From<Person> for PersonResponse {
    fn from(p: Person) -> Self {
        let f = p.fields;
        PersonResponse {
            id: p.id.0,
            full_name: format!("{} {}", f.first_name, f.last_name)
                .trim()
                .to_string(),
            first_name: f.first_name,
            last_name: f.last_name,
            email: f.emails.first().map(|e| e.to_string()),
            emails: f.emails.iter().map(|e| e.to_string()).collect(),
            phone: f.phones.first().map(|e| e.to_string()),
            phones: f.phones.iter().map(|e| e.to_string()).collect(),
            company_id: f.company_id.map(|c| c.0),
            company_name: p.company_name,
            job_title: f.job_title,
            street: f.address.street,
            district: f.address.district,
            city: f.address.city,
            postal_code: f.address.postal_code,
            country: f.address.country,
            tags: f.tags,
            lifecycle_stage: f.lifecycle_stage.as_str().to_string(),
            lead_status: f.lead_status.map(|s| s.as_str().to_string()),
            lead_source: f.lead_source.map(|s| s.as_str().to_string()),
            bant_budget: f.bant.budget,
            bant_authority: f.bant.authority,
            bant_need: f.bant.need,
            bant_timing: f.bant.timing,
            birthday: f.birthday.map(|d| d.to_string()),
            national_id: f.national_id.map(|v| v.to_string()),
            notes: f.notes,
            custom: f.custom,
            owner_id: p.ownership.owner_id.map(|u| u.0),
            team_id: p.ownership.team_id.map(|t| t.0),
            version: p.meta.version,
            created_at: p.meta.created_at.to_string(),
            updated_at: p.meta.updated_at.to_string(),
            deleted_at: p.meta.deleted_at.map(|t| t.to_string()),
        }
    }
}

/// A company to create, or the fields to change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CompanyRequest {
    #[schema(example = "Çağlar Tekstil A.Ş.")]
    pub name: Option<String>,
    pub email: Option<String>,
    pub emails: Option<Vec<String>>,
    pub phone: Option<String>,
    pub phones: Option<Vec<String>>,
    pub website: Option<String>,
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
    pub industry: Option<String>,
    /// 1-9, 10-49, 50-249, 250-999, 1000+
    pub size: Option<String>,
    /// A decimal amount such as "1250000.50"
    #[schema(value_type = Option<String>)]
    pub annual_revenue: Option<serde_json::Value>,
    /// ISO 4217 code, default TRY
    pub currency: Option<String>,
    #[schema(example = "Kadıköy")]
    pub tax_office: Option<String>,
    /// Vergi kimlik numarası (10 digits, checksum validated)
    pub tax_number: Option<String>,
    /// T.C. kimlik numarası of a sole proprietor (11 digits, checksum validated)
    pub national_id: Option<String>,
    pub trade_registry_number: Option<String>,
    pub e_invoice: Option<bool>,
    pub notes: Option<String>,
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    pub version: Option<i64>,
    /// Custom field values by key (`GET /custom-fields` lists them): text types as strings,
    /// number as a number, money as `{"minor": 125000, "currency": "TRY"}`, date as
    /// `YYYY-MM-DD`, boolean, choice as the option key, multi-choice as a list of keys,
    /// phone in any common form. A PATCH changes only the keys given; `null` clears one.
    #[schema(value_type = Option<Object>)]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

impl CompanyRequest {
    pub fn into_patch(self) -> (CompanyPatch, OwnershipInput, Option<i64>) {
        let revenue = self.annual_revenue.map(|v| match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        });
        let patch = CompanyPatch {
            name: self.name,
            emails: primary_first(self.email, self.emails),
            phones: primary_first(self.phone, self.phones),
            website: self.website,
            street: self.street,
            district: self.district,
            city: self.city,
            postal_code: self.postal_code,
            country: self.country,
            tags: self.tags,
            lifecycle_stage: self.lifecycle_stage,
            lead_status: self.lead_status,
            lead_source: self.lead_source,
            bant_budget: self.bant_budget,
            bant_authority: self.bant_authority,
            bant_need: self.bant_need,
            bant_timing: self.bant_timing,
            industry: self.industry,
            size: self.size,
            annual_revenue: revenue,
            currency: self.currency,
            tax_office: self.tax_office,
            tax_number: self.tax_number,
            national_id: self.national_id,
            trade_registry_number: self.trade_registry_number,
            e_invoice: self.e_invoice,
            notes: self.notes,
            custom: self.custom,
        };
        (
            patch,
            OwnershipInput {
                owner_id: self.owner_id,
                team_id: self.team_id,
            },
            self.version,
        )
    }
}

/// A company as the API returns it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompanyResponse {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub emails: Vec<String>,
    pub phone: Option<String>,
    pub phones: Vec<String>,
    pub website: String,
    pub street: String,
    pub district: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub tags: Vec<String>,
    pub lifecycle_stage: String,
    pub lead_status: Option<String>,
    pub lead_source: Option<String>,
    pub bant_budget: bool,
    pub bant_authority: bool,
    pub bant_need: bool,
    pub bant_timing: bool,
    pub industry: String,
    pub size: Option<String>,
    /// Decimal string with two fraction digits.
    pub annual_revenue: Option<String>,
    pub currency: Option<String>,
    pub tax_office: String,
    pub tax_number: Option<String>,
    pub national_id: Option<String>,
    pub trade_registry_number: String,
    pub e_invoice: bool,
    pub notes: String,
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    /// Custom field values by key, only those that have a value (shapes as in requests;
    /// phones in E.164, money with its currency).
    #[schema(value_type = Object)]
    pub custom: rehber_domain::custom::CustomValues,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

impl From<Company> for CompanyResponse {
    fn from(c: Company) -> Self {
        let f = c.fields;
        CompanyResponse {
            id: c.id.0,
            name: f.name,
            email: f.emails.first().map(|e| e.to_string()),
            emails: f.emails.iter().map(|e| e.to_string()).collect(),
            phone: f.phones.first().map(|e| e.to_string()),
            phones: f.phones.iter().map(|e| e.to_string()).collect(),
            website: f.website,
            street: f.address.street,
            district: f.address.district,
            city: f.address.city,
            postal_code: f.address.postal_code,
            country: f.address.country,
            tags: f.tags,
            lifecycle_stage: f.lifecycle_stage.as_str().to_string(),
            lead_status: f.lead_status.map(|s| s.as_str().to_string()),
            lead_source: f.lead_source.map(|s| s.as_str().to_string()),
            bant_budget: f.bant.budget,
            bant_authority: f.bant.authority,
            bant_need: f.bant.need,
            bant_timing: f.bant.timing,
            industry: f.industry,
            size: f.size.map(|s| s.as_str().to_string()),
            annual_revenue: f.annual_revenue.as_ref().map(|m| m.to_decimal_string()),
            currency: f.annual_revenue.map(|m| m.currency),
            tax_office: f.tax_office,
            tax_number: f.tax_number.map(|v| v.to_string()),
            national_id: f.national_id.map(|v| v.to_string()),
            trade_registry_number: f.trade_registry_number,
            e_invoice: f.e_invoice,
            notes: f.notes,
            custom: f.custom,
            owner_id: c.ownership.owner_id.map(|u| u.0),
            team_id: c.ownership.team_id.map(|t| t.0),
            version: c.meta.version,
            created_at: c.meta.created_at.to_string(),
            updated_at: c.meta.updated_at.to_string(),
            deleted_at: c.meta.deleted_at.map(|t| t.to_string()),
        }
    }
}

/// Query parameters of the people and company lists. Documentation only: `api::list_request`
/// reads them by these names from the query string, refusing any other name, and the
/// document's bounds are written from the limits validation uses (`api::bounds`).
#[derive(Debug, Clone, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListParams {
    /// Free-text search (names, e-mails, phones; for people also the company name), Turkish-aware.
    pub q: Option<String>,
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    /// subscriber, lead, qualified, opportunity, customer, churned
    pub lifecycle_stage: Option<String>,
    pub tag: Option<String>,
    pub city: Option<String>,
    /// Created on or after this date (YYYY-MM-DD, Europe/Istanbul).
    #[param(format = Date)]
    pub created_from: Option<String>,
    /// Created on or before this date (YYYY-MM-DD).
    #[param(format = Date)]
    pub created_to: Option<String>,
    /// `name`, `created_at`, `updated_at` or `custom.<key>` (a custom field; records without
    /// a value come last); prefix `-` for descending.
    ///
    /// Custom fields filter too, as `custom.<key>=<value>` (equals; a multi-choice: has that
    /// option), `custom.<key>_gte=` / `_lte=` (number, money in minor units, date),
    /// `custom.<key>_contains=` (text) and `custom.<key>_empty=true|false`.
    pub sort: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page, as it was given.
    pub cursor: Option<String>,
    /// Administrators: list deleted records instead.
    pub deleted: Option<bool>,
}

/// The people list's own filter, beside [`ListParams`].
#[derive(Debug, Clone, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PeopleListParams {
    /// Working at this company.
    pub company_id: Option<i64>,
}

/// The names [`ListParams`] documents: what every list takes.
pub const LIST_PARAMS: &[&str] = &[
    "q",
    "owner_id",
    "team_id",
    "lifecycle_stage",
    "tag",
    "city",
    "created_from",
    "created_to",
    "sort",
    "limit",
    "cursor",
    "deleted",
];

/// One page of people.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonPage {
    pub items: Vec<PersonResponse>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// One page of companies.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyPage {
    pub items: Vec<CompanyResponse>,
    pub next_cursor: Option<String>,
}

/// The caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
}
