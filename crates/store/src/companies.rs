//! Companies (accounts) as stored: the `companies` table with its derived keys; renaming one
//! keeps its people's folded copy of the name current. The operations are the generic ones of
//! [`crate::kind`]; every read goes through a caller's [`crate::Scoped`] handle.

use crate::StoreError;
use crate::kind::{Copied, StoredKind};
use crate::listing::ListTable;
use crate::party::{
    Values, parsed, party_values, read_address, read_contacts, read_custom, read_lead, read_meta,
    read_ownership, read_score, read_tags,
};
use crate::sql::Row;
use rehber_domain::CompanyId;
use rehber_domain::money::Money;
use rehber_domain::party::{
    Companies, Company, CompanyFields, CompanySize, Ownership, company_name_key,
};
use rehber_domain::validate::text::{search_key, sort_key, truncate_key};
use rehber_domain::validate::{Tckn, Vkn};

/// The companies table as the generic store operations see it.
impl StoredKind for Companies {
    const TABLE: ListTable = ListTable {
        table: "companies",
        fts_table: "companies_fts",
        tag_table: "company_tags",
        tag_key: "company_id",
    };

    const COLUMNS: &'static str = "companies.id, companies.name, companies.emails, companies.phones, \
        companies.website, companies.street, companies.district, companies.city, \
        companies.postal_code, companies.country, companies.tags, companies.lifecycle_stage, \
        companies.lead_status, companies.lead_source, companies.unqualified_reason, companies.lead_score, companies.lead_score_breakdown, companies.balance_minor, companies.overdue_minor, companies.lead_scored_at, companies.bant_budget, \
        companies.bant_authority, companies.bant_need, companies.bant_timing, companies.industry, \
        companies.size, companies.annual_revenue_minor, companies.annual_revenue_currency, \
        companies.tax_office, companies.tax_number, companies.national_id, \
        companies.trade_registry_number, companies.e_invoice, companies.notes, companies.owner_id, \
        companies.team_id, companies.custom, companies.version, companies.created_at, companies.updated_at, \
        companies.deleted_at, companies.sort_key, companies.city_key";

    fn read(row: &Row) -> Result<Company, StoreError> {
        let (emails, phones) = read_contacts(row)?;
        let lead = read_lead(row)?;
        let revenue = match (
            row.get::<Option<i64>>("annual_revenue_minor")?,
            row.get::<Option<String>>("annual_revenue_currency")?,
        ) {
            (Some(minor), Some(currency)) => Some(Money { minor, currency }),
            _ => None,
        };
        let size: Option<String> = row.get("size")?;
        Ok(Company {
            id: CompanyId(row.get("id")?),
            fields: CompanyFields {
                name: row.get("name")?,
                emails,
                phones,
                website: row.get("website")?,
                address: read_address(row)?,
                tags: read_tags(row)?,
                lifecycle_stage: lead.lifecycle_stage,
                lead_status: lead.lead_status,
                lead_source: lead.lead_source,
                unqualified_reason: lead.unqualified_reason,
                bant: lead.bant,
                industry: row.get("industry")?,
                size: crate::codec::parse_stored(size.as_deref(), CompanySize::parse)?,
                annual_revenue: revenue,
                tax_office: row.get("tax_office")?,
                tax_number: parsed(row.get("tax_number")?, Vkn::parse)?,
                national_id: parsed(row.get("national_id")?, Tckn::parse)?,
                trade_registry_number: row.get("trade_registry_number")?,
                e_invoice: row.get("e_invoice")?,
                notes: row.get("notes")?,
                custom: read_custom(row)?,
            },
            lead_score: read_score(row)?,
            ownership: read_ownership(row)?,
            meta: read_meta(row)?,
        })
    }

    fn values(f: &CompanyFields, ownership: Ownership) -> Values {
        let mut values: Values = vec![
            ("name", f.name.clone().into()),
            ("sort_key", sort_key(&f.name).into()),
            ("search_key", company_search_key(f).into()),
            ("name_key", company_name_key(f).into()),
            ("website", f.website.clone().into()),
            ("industry", f.industry.clone().into()),
            ("size", f.size.map(|s| s.as_str()).into()),
            (
                "annual_revenue_minor",
                f.annual_revenue.as_ref().map(|m| m.minor).into(),
            ),
            (
                "annual_revenue_currency",
                f.annual_revenue.as_ref().map(|m| m.currency.clone()).into(),
            ),
            ("tax_office", f.tax_office.clone().into()),
            (
                "tax_number",
                f.tax_number.as_ref().map(|v| v.to_string()).into(),
            ),
            (
                "national_id",
                f.national_id.as_ref().map(|v| v.to_string()).into(),
            ),
            (
                "trade_registry_number",
                f.trade_registry_number.clone().into(),
            ),
            ("e_invoice", f.e_invoice.into()),
        ];
        values.extend(party_values!(f, ownership));
        values
    }

    /// People find their company by its name: keep their folded copy current.
    fn copies(fields: &CompanyFields) -> Vec<Copied> {
        vec![Copied {
            table: "people",
            column: "company_key",
            foreign_key: "company_id",
            value: search_key(&fields.name),
        }]
    }
}

/// The folded text a company is found by: name, e-mails, phones (several forms), tax ids,
/// city and custom text.
pub(crate) fn company_search_key(f: &CompanyFields) -> String {
    let mut parts = vec![f.name.clone()];
    parts.extend(f.emails.iter().map(|e| e.to_string()));
    parts.extend(
        f.phones
            .iter()
            .flat_map(|p| crate::people::phone_forms(p.as_str())),
    );
    parts.extend(f.tax_number.iter().map(|v| v.to_string()));
    parts.push(f.address.city.clone());
    parts.extend(crate::party::custom_words(&f.custom));
    truncate_key(search_key(&parts.join(" ")), crate::SEARCH_KEY_BYTES)
}
