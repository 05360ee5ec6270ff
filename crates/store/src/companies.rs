//! Companies (accounts) as stored: the `companies` table with its derived keys; renaming one
//! keeps its people's folded copy of the name current. The operations are the generic ones of
//! [`crate::kind`]; the named methods at the end are the services' words for them.

use crate::audit::AuditEntry;
use crate::kind::{Copied, StoredKind};
use crate::listing::{ListTable, Page, PageRequest, PartyFilter, PartySort, SortDirection};
use crate::party::{
    Lead, Values, address_values, contact_values, lead_values, ownership_values, parsed,
    read_address, read_contacts, read_lead, read_meta, read_ownership, read_tags, tag_values,
};
use crate::sql::Row;
use crate::{Store, StoreError};
use rehber_domain::CompanyId;
use rehber_domain::access::Visibility;
use rehber_domain::money::Money;
use rehber_domain::party::{Company, CompanyFields, CompanySize, Ownership};
use rehber_domain::validate::text::{search_key, sort_key, truncate_key};
use rehber_domain::validate::{Tckn, Vkn};

/// The companies table as the generic store operations see it.
pub struct Companies;

impl StoredKind for Companies {
    type Id = CompanyId;
    type Fields = CompanyFields;
    type Record = Company;

    const TABLE: ListTable = ListTable {
        table: "companies",
        fts_table: "companies_fts",
        tag_table: "company_tags",
        tag_key: "company_id",
    };

    const COLUMNS: &'static str = "companies.id, companies.name, companies.emails, companies.phones, \
        companies.website, companies.street, companies.district, companies.city, \
        companies.postal_code, companies.country, companies.tags, companies.lifecycle_stage, \
        companies.lead_status, companies.lead_source, companies.bant_budget, \
        companies.bant_authority, companies.bant_need, companies.bant_timing, companies.industry, \
        companies.size, companies.annual_revenue_minor, companies.annual_revenue_currency, \
        companies.tax_office, companies.tax_number, companies.national_id, \
        companies.trade_registry_number, companies.e_invoice, companies.notes, companies.owner_id, \
        companies.team_id, companies.version, companies.created_at, companies.updated_at, \
        companies.deleted_at, companies.sort_key";

    fn id(raw: i64) -> CompanyId {
        CompanyId(raw)
    }

    fn raw(id: CompanyId) -> i64 {
        id.0
    }

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
            },
            ownership: read_ownership(row)?,
            meta: read_meta(row)?,
        })
    }

    fn values(f: &CompanyFields, ownership: Ownership) -> Values {
        let mut values: Values = vec![
            ("name", f.name.clone().into()),
            ("sort_key", sort_key(&f.name).into()),
            ("search_key", company_search_key(f).into()),
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
            ("notes", f.notes.clone().into()),
        ];
        values.extend(contact_values(&f.emails, &f.phones));
        values.extend(address_values(&f.address));
        values.extend(tag_values(&f.tags));
        values.extend(lead_values(Lead {
            lifecycle_stage: f.lifecycle_stage,
            lead_status: f.lead_status,
            lead_source: f.lead_source,
            bant: f.bant,
        }));
        values.extend(ownership_values(ownership));
        values
    }

    fn tags(fields: &CompanyFields) -> &[String] {
        &fields.tags
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

/// The folded text a company is found by: name, e-mails, phones (several forms), tax ids.
pub(crate) fn company_search_key(f: &CompanyFields) -> String {
    let mut parts = vec![f.name.clone()];
    parts.extend(f.emails.iter().map(|e| e.to_string()));
    parts.extend(
        f.phones
            .iter()
            .flat_map(|p| crate::people::phone_forms(p.as_str())),
    );
    parts.extend(f.tax_number.iter().map(|v| v.to_string()));
    truncate_key(search_key(&parts.join(" ")), crate::SEARCH_KEY_BYTES)
}

impl Store {
    /// Inserts a company and its "created" audit entry; `entry.record_id` is filled in.
    pub async fn insert_company(
        &self,
        fields: &CompanyFields,
        ownership: Ownership,
        entry: AuditEntry,
    ) -> Result<CompanyId, StoreError> {
        self.insert::<Companies>(fields, ownership, entry).await
    }

    /// Replaces a company's content if `expected_version` is current; appends the entry.
    pub async fn update_company(
        &self,
        id: CompanyId,
        expected_version: i64,
        fields: &CompanyFields,
        ownership: Ownership,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        self.update::<Companies>(id, expected_version, fields, ownership, entry)
            .await
    }

    /// Marks a company deleted (or restores it) and appends the entry.
    pub async fn set_company_deleted(
        &self,
        id: CompanyId,
        deleted: bool,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        self.set_deleted::<Companies>(id, deleted, entry).await
    }

    /// One company the visibility allows (deleted ones only when `include_deleted`).
    pub async fn get_company(
        &self,
        visibility: Visibility,
        id: CompanyId,
        include_deleted: bool,
    ) -> Result<Company, StoreError> {
        self.get::<Companies>(visibility, id, include_deleted).await
    }

    /// One page of companies the visibility allows, filtered, sorted and keyset-paginated.
    pub async fn list_companies(
        &self,
        visibility: Visibility,
        filter: &PartyFilter,
        sort: PartySort,
        direction: SortDirection,
        page: &PageRequest,
    ) -> Result<Page<Company>, StoreError> {
        self.list::<Companies>(visibility, filter, sort, direction, page)
            .await
    }

    /// How many companies match, counted up to `cap` (the UI shows "10,000+" beyond).
    pub async fn count_companies(
        &self,
        visibility: Visibility,
        filter: &PartyFilter,
        cap: u32,
    ) -> Result<i64, StoreError> {
        self.count::<Companies>(visibility, filter, cap).await
    }

    /// Companies by id among those the visibility allows (for bulk actions).
    pub async fn visible_company_ids(
        &self,
        visibility: Visibility,
        ids: &[CompanyId],
    ) -> Result<Vec<CompanyId>, StoreError> {
        self.visible::<Companies>(visibility, ids).await
    }

    /// Id/name pairs for pickers (visible, live companies whose name matches the prefix query).
    pub async fn company_choices(
        &self,
        visibility: Visibility,
        q: &str,
        limit: u32,
    ) -> Result<Vec<(CompanyId, String)>, StoreError> {
        let filter = PartyFilter {
            q: Some(q.to_string()).filter(|q| !q.trim().is_empty()),
            ..PartyFilter::default()
        };
        let page = self
            .list_companies(
                visibility,
                &filter,
                PartySort::Name,
                SortDirection::Asc,
                &PageRequest { after: None, limit },
            )
            .await?;
        Ok(page
            .items
            .into_iter()
            .map(|c| (c.id, c.fields.name))
            .collect())
    }
}
