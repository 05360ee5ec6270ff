//! The API's wire types (JSON in and out, documented in the OpenAPI document) and their
//! conversion to and from the domain.

pub(crate) mod party;

use party::{party_request, party_response};
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

party_request! {
    /// A person to create, or the fields of a person to change (PATCH: absent fields stay).
    pub struct PersonRequest {
        #[schema(example = "Işık")]
        pub first_name: Option<String>,
        #[schema(example = "Çağlar")]
        pub last_name: Option<String>,
        #[schema(value_type = Option<i64>)]
        pub company_id: Option<Option<IdInput>>,
        pub job_title: Option<String>,
        /// YYYY-MM-DD
        pub birthday: Option<String>,
        /// T.C. kimlik numarası (11 digits, checksum validated)
        pub national_id: Option<String>,
    }
}

impl PersonRequest {
    pub fn into_patch(mut self) -> (PersonPatch, OwnershipInput, Option<i64>) {
        let shared = self.take_party();
        let mut patch = PersonPatch {
            first_name: self.first_name,
            last_name: self.last_name,
            company_id: self
                .company_id
                .map(|c| c.map(|id| id.text()).unwrap_or_default()),
            job_title: self.job_title,
            birthday: self.birthday,
            national_id: self.national_id,
            custom: shared.custom,
            ..PersonPatch::default()
        };
        patch.set_party(shared.party);
        (patch, shared.ownership, shared.version)
    }
}

party_response! {
    /// A person as the API returns it.
    pub struct PersonResponse from Person (p, f) {
        pub id: i64 = p.id.0,
        pub first_name: String = f.first_name.clone(),
        pub last_name: String = f.last_name.clone(),
        pub full_name: String = f.full_name(),
        pub company_id: Option<i64> = f.company_id.map(|c| c.0),
        pub company_name: Option<String> = p.company_name.clone(),
        pub job_title: String = f.job_title.clone(),
        pub birthday: Option<String> = f.birthday.map(|d| d.to_string()),
        pub national_id: Option<String> = f.national_id.as_ref().map(|v| v.to_string()),
    }
}

party_request! {
    /// A company to create, or the fields to change.
    pub struct CompanyRequest {
        #[schema(example = "Çağlar Tekstil A.Ş.")]
        pub name: Option<String>,
        pub website: Option<String>,
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
    }
}

impl CompanyRequest {
    pub fn into_patch(mut self) -> (CompanyPatch, OwnershipInput, Option<i64>) {
        let shared = self.take_party();
        let revenue = self.annual_revenue.map(|v| match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        });
        let mut patch = CompanyPatch {
            name: self.name,
            website: self.website,
            industry: self.industry,
            size: self.size,
            annual_revenue: revenue,
            currency: self.currency,
            tax_office: self.tax_office,
            tax_number: self.tax_number,
            national_id: self.national_id,
            trade_registry_number: self.trade_registry_number,
            e_invoice: self.e_invoice,
            custom: shared.custom,
            ..CompanyPatch::default()
        };
        patch.set_party(shared.party);
        (patch, shared.ownership, shared.version)
    }
}

party_response! {
    /// A company as the API returns it.
    pub struct CompanyResponse from Company (c, f) {
        pub id: i64 = c.id.0,
        pub name: String = f.name.clone(),
        pub website: String = f.website.clone(),
        pub industry: String = f.industry.clone(),
        pub size: Option<String> = f.size.map(|s| s.as_str().to_string()),
        /// Decimal string with two fraction digits.
        pub annual_revenue: Option<String> = f.annual_revenue.as_ref().map(|m| m.to_decimal_string()),
        pub currency: Option<String> = f.annual_revenue.as_ref().map(|m| m.currency.clone()),
        pub tax_office: String = f.tax_office.clone(),
        pub tax_number: Option<String> = f.tax_number.as_ref().map(|v| v.to_string()),
        pub national_id: Option<String> = f.national_id.as_ref().map(|v| v.to_string()),
        pub trade_registry_number: String = f.trade_registry_number.clone(),
        pub e_invoice: bool = f.e_invoice,
    }
}

/// Query parameters of the people and company lists. Documentation only: `api::list_request`
/// reads them by these names from the query string, refusing any other name, and the
/// document's bounds are written from the limits validation uses (`api::bounds`).
#[derive(Debug, Clone, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListParams {
    /// Free-text search (names, e-mails, phones, city and custom text fields; for people also
    /// the company name), Turkish-aware.
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
    /// `name`, `created_at`, `updated_at`, `city`, `lead_score` (people and companies), for
    /// people `company` (the company's name), or `custom.<key>` (a custom field; records without a value come last); prefix `-` for
    /// descending.
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
    /// `all` (default): every filter above and every `custom.<key>` filter must hold. `any`:
    /// one of them is enough, where the filters on one field (`created_from` and
    /// `created_to`, or `custom.ciro_gte` and `_lte`) still hold together. The search and
    /// `filter` always hold besides.
    pub combine: Option<String>,
    /// A rule over the list's fields, as JSON, that must hold besides the other filters:
    /// `{"all": [rules]}`, `{"any": [rules]}`, `{"not": rule}` or a test
    /// `{"field": "city", "op": "eq", "value": "İzmir"}`. Fields: `name` (the whole name),
    /// `owner_id`, `team_id`, `lifecycle_stage`, `tag`, `city`, `created_at`, for people
    /// `company_id`, and `custom.<key>`. Operators: `eq`, `contains` (text), `gte`/`lte` (number, money in minor
    /// units, date), `empty`, `not_empty`. At most 20 tests, groups nested at most 3 deep.
    /// Example: `{"any": [{"field": "city", "op": "eq", "value": "İzmir"},
    /// {"field": "custom.ciro", "op": "gte", "value": 1000000}]}`.
    pub filter: Option<String>,
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
pub use rehber_web_core::list_params::LIST_PARAMS;

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
