//! Company repository: reads through the scope filter, writes with their audit entry in one
//! transaction, optimistic versioning, soft delete and restore.

use crate::audit::{AuditEntry, append_audit};
use crate::codec::{from_json, parse_stored, timestamp, to_json};
use crate::listing::{
    ListAsk, ListTable, Page, PageRequest, PartyFilter, PartySort, Positioned, RowPosition,
    SortDirection, page_of,
};
use crate::scope::scope_sql;
use crate::{Store, StoreError, in_tx, now_micros, on_pool};
use rehber_domain::access::Visibility;
use rehber_domain::money::Money;
use rehber_domain::party::{
    Address, Bant, Company, CompanyFields, CompanySize, LeadSource, LeadStatus, LifecycleStage,
    Ownership, RecordMeta,
};
use rehber_domain::validate::text::{search_key, sort_key, truncate_key};
use rehber_domain::validate::{Tckn, Vkn};
use rehber_domain::{CompanyId, TeamId, UserId};

pub(crate) const TABLE: ListTable = ListTable {
    table: "companies",
    fts_table: "companies_fts",
    tag_table: "company_tags",
    tag_key: "company_id",
};

const COLUMNS: &str = "companies.id, companies.name, companies.emails, companies.phones, companies.website, \
    companies.street, companies.district, companies.city, companies.postal_code, companies.country, companies.tags, \
    companies.lifecycle_stage, companies.lead_status, companies.lead_source, companies.bant_budget, \
    companies.bant_authority, companies.bant_need, companies.bant_timing, companies.industry, companies.size, \
    companies.annual_revenue_minor, companies.annual_revenue_currency, companies.tax_office, companies.tax_number, \
    companies.national_id, companies.trade_registry_number, companies.e_invoice, companies.notes, \
    companies.owner_id, companies.team_id, companies.version, companies.created_at, companies.updated_at, \
    companies.deleted_at, companies.sort_key";

#[derive(sqlx::FromRow)]
struct CompanyRow {
    id: i64,
    name: String,
    emails: String,
    phones: String,
    website: String,
    street: String,
    district: String,
    city: String,
    postal_code: String,
    country: String,
    tags: String,
    lifecycle_stage: String,
    lead_status: Option<String>,
    lead_source: Option<String>,
    bant_budget: bool,
    bant_authority: bool,
    bant_need: bool,
    bant_timing: bool,
    industry: String,
    size: Option<String>,
    annual_revenue_minor: Option<i64>,
    annual_revenue_currency: Option<String>,
    tax_office: String,
    tax_number: Option<String>,
    national_id: Option<String>,
    trade_registry_number: String,
    e_invoice: bool,
    notes: String,
    owner_id: Option<i64>,
    team_id: Option<i64>,
    version: i64,
    created_at: i64,
    updated_at: i64,
    deleted_at: Option<i64>,
    sort_key: String,
}

impl Positioned for CompanyRow {
    fn position(&self) -> RowPosition<'_> {
        RowPosition {
            id: self.id,
            sort_key: &self.sort_key,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

impl TryFrom<CompanyRow> for Company {
    type Error = StoreError;
    fn try_from(r: CompanyRow) -> Result<Self, StoreError> {
        let stored = |s: String| -> Result<Vkn, StoreError> {
            Vkn::parse(&s).map_err(|e| StoreError::Corrupt(e.to_string()))
        };
        Ok(Company {
            id: CompanyId(r.id),
            fields: CompanyFields {
                name: r.name,
                emails: from_json(&r.emails)?,
                phones: from_json(&r.phones)?,
                website: r.website,
                address: Address {
                    street: r.street,
                    district: r.district,
                    city: r.city,
                    postal_code: r.postal_code,
                    country: r.country,
                },
                tags: from_json(&r.tags)?,
                lifecycle_stage: parse_stored(Some(&r.lifecycle_stage), LifecycleStage::parse)?
                    .unwrap_or_default(),
                lead_status: parse_stored(r.lead_status.as_deref(), LeadStatus::parse)?,
                lead_source: parse_stored(r.lead_source.as_deref(), LeadSource::parse)?,
                bant: Bant {
                    budget: r.bant_budget,
                    authority: r.bant_authority,
                    need: r.bant_need,
                    timing: r.bant_timing,
                },
                industry: r.industry,
                size: parse_stored(r.size.as_deref(), CompanySize::parse)?,
                annual_revenue: match (r.annual_revenue_minor, r.annual_revenue_currency) {
                    (Some(minor), Some(currency)) => Some(Money { minor, currency }),
                    _ => None,
                },
                tax_office: r.tax_office,
                tax_number: r.tax_number.map(stored).transpose()?,
                national_id: r
                    .national_id
                    .map(|s| Tckn::parse(&s).map_err(|e| StoreError::Corrupt(e.to_string())))
                    .transpose()?,
                trade_registry_number: r.trade_registry_number,
                e_invoice: r.e_invoice,
                notes: r.notes,
            },
            ownership: Ownership {
                owner_id: r.owner_id.map(UserId),
                team_id: r.team_id.map(TeamId),
            },
            meta: RecordMeta {
                version: r.version,
                created_at: timestamp(r.created_at)?,
                updated_at: timestamp(r.updated_at)?,
                deleted_at: r.deleted_at.map(timestamp).transpose()?,
            },
        })
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

/// Binds the editable columns in the order of `WRITE_COLUMNS` ($1…$30).
macro_rules! bind_company {
    ($query:expr, $f:expr, $own:expr) => {
        $query
            .bind(&$f.name)
            .bind(sort_key(&$f.name))
            .bind(company_search_key($f))
            .bind(to_json(&$f.emails))
            .bind($f.emails.first().map(|e| e.to_string()))
            .bind(to_json(&$f.phones))
            .bind($f.phones.first().map(|p| p.to_string()))
            .bind(&$f.website)
            .bind(&$f.address.street)
            .bind(&$f.address.district)
            .bind(&$f.address.city)
            .bind(search_key(&$f.address.city))
            .bind(&$f.address.postal_code)
            .bind(&$f.address.country)
            .bind(to_json(&$f.tags))
            .bind($f.lifecycle_stage.as_str())
            .bind($f.lead_status.map(|s| s.as_str()))
            .bind($f.lead_source.map(|s| s.as_str()))
            .bind($f.bant.budget)
            .bind($f.bant.authority)
            .bind($f.bant.need)
            .bind($f.bant.timing)
            .bind(&$f.industry)
            .bind($f.size.map(|s| s.as_str()))
            .bind($f.annual_revenue.as_ref().map(|m| m.minor))
            .bind($f.annual_revenue.as_ref().map(|m| m.currency.clone()))
            .bind(&$f.tax_office)
            .bind($f.tax_number.as_ref().map(|v| v.to_string()))
            .bind($f.national_id.as_ref().map(|v| v.to_string()))
            .bind(&$f.trade_registry_number)
            .bind($f.e_invoice)
            .bind(&$f.notes)
            .bind($own.owner_id.map(|u: UserId| u.0))
            .bind($own.team_id.map(|t: TeamId| t.0))
    };
}

const WRITE_COLUMNS: [&str; 34] = [
    "name",
    "sort_key",
    "search_key",
    "emails",
    "primary_email",
    "phones",
    "primary_phone",
    "website",
    "street",
    "district",
    "city",
    "city_key",
    "postal_code",
    "country",
    "tags",
    "lifecycle_stage",
    "lead_status",
    "lead_source",
    "bant_budget",
    "bant_authority",
    "bant_need",
    "bant_timing",
    "industry",
    "size",
    "annual_revenue_minor",
    "annual_revenue_currency",
    "tax_office",
    "tax_number",
    "national_id",
    "trade_registry_number",
    "e_invoice",
    "notes",
    "owner_id",
    "team_id",
];

fn insert_sql() -> String {
    let placeholders: Vec<String> = (1..=WRITE_COLUMNS.len()).map(|i| format!("${i}")).collect();
    let n = WRITE_COLUMNS.len();
    format!(
        "INSERT INTO companies ({}, version, created_at, updated_at) VALUES ({}, 1, ${}, ${}) RETURNING id",
        WRITE_COLUMNS.join(", "),
        placeholders.join(", "),
        n + 1,
        n + 1
    )
}

fn update_sql() -> String {
    let sets: Vec<String> = WRITE_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let n = WRITE_COLUMNS.len();
    format!(
        "UPDATE companies SET {}, version = version + 1, updated_at = ${} WHERE id = ${} AND version = ${} AND deleted_at IS NULL",
        sets.join(", "),
        n + 1,
        n + 2,
        n + 3
    )
}

macro_rules! replace_company_tags {
    ($conn:expr, $id:expr, $tags:expr) => {{
        sqlx::query("DELETE FROM company_tags WHERE company_id = $1")
            .bind($id)
            .execute(&mut *$conn)
            .await?;
        for tag in $tags {
            sqlx::query("INSERT INTO company_tags (tag, company_id) VALUES ($1, $2)")
                .bind(rehber_domain::party::tag_key(tag))
                .bind($id)
                .execute(&mut *$conn)
                .await?;
        }
    }};
}

impl Store {
    /// Inserts a company and its "created" audit entry; `entry.record_id` is filled in.
    pub async fn insert_company(
        &self,
        fields: &CompanyFields,
        ownership: Ownership,
        entry: AuditEntry,
    ) -> Result<CompanyId, StoreError> {
        let now = now_micros();
        let sql = insert_sql();
        let id: i64 = in_tx!(self, conn => {
            let id: i64 = bind_company!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())), fields, ownership)
                .bind(now)
                .fetch_one(&mut *conn)
                .await?;
            replace_company_tags!(conn, id, &fields.tags);
            let entry = AuditEntry { record_id: id, ..entry };
            append_audit!(&mut *conn, entry, now);
            id
        });
        Ok(CompanyId(id))
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
        let now = now_micros();
        let sql = update_sql();
        in_tx!(self, conn => {
            let done = bind_company!(sqlx::query(sqlx::AssertSqlSafe(sql.clone())), fields, ownership)
                .bind(now)
                .bind(id.0)
                .bind(expected_version)
                .execute(&mut *conn)
                .await?
                .rows_affected();
            if done == 0 {
                return Err(StoreError::StaleVersion);
            }
            replace_company_tags!(conn, id.0, &fields.tags);
            // People find their company by its name: keep their folded copy current.
            sqlx::query("UPDATE people SET company_key = $1 WHERE company_id = $2 AND company_key <> $1")
                .bind(search_key(&fields.name))
                .bind(id.0)
                .execute(&mut *conn)
                .await?;
            append_audit!(&mut *conn, entry, now);
        });
        Ok(())
    }

    /// Marks a company deleted (or restores it) and appends the entry.
    pub async fn set_company_deleted(
        &self,
        id: CompanyId,
        deleted: bool,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        in_tx!(self, conn => {
            let sql = if deleted {
                "UPDATE companies SET deleted_at = $2, updated_at = $2, version = version + 1 WHERE id = $1 AND deleted_at IS NULL"
            } else {
                "UPDATE companies SET deleted_at = NULL, updated_at = $2, version = version + 1 WHERE id = $1 AND deleted_at IS NOT NULL"
            };
            let done = sqlx::query(sql).bind(id.0).bind(now).execute(&mut *conn).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::NotFound);
            }
            append_audit!(&mut *conn, entry, now);
        });
        Ok(())
    }

    /// One company the visibility allows (deleted ones only when `include_deleted`).
    pub async fn get_company(
        &self,
        visibility: Visibility,
        id: CompanyId,
        include_deleted: bool,
    ) -> Result<Company, StoreError> {
        let (scope, bind) = scope_sql("companies", visibility, 2);
        let deleted = if include_deleted {
            ""
        } else {
            " AND companies.deleted_at IS NULL"
        };
        let sql =
            format!("SELECT {COLUMNS} FROM companies WHERE companies.id = $1 AND {scope}{deleted}");
        let row: CompanyRow = on_pool!(self, pool => {
            let q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0);
            let q = match bind { Some(v) => q.bind(v), None => q };
            q.fetch_one(pool).await?
        });
        row.try_into()
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
        let ask = ListAsk {
            visibility,
            filter,
            sort,
            direction,
            page,
        };
        let rows: Vec<CompanyRow> = self.fetch_list(&TABLE, COLUMNS, ask).await?;
        page_of(rows, page.limit, sort)
    }

    /// How many companies match, counted up to `cap` (the UI shows "10,000+" beyond).
    pub async fn count_companies(
        &self,
        visibility: Visibility,
        filter: &PartyFilter,
        cap: u32,
    ) -> Result<i64, StoreError> {
        self.count_matching(&TABLE, visibility, filter, cap).await
    }

    /// Companies by id among those the visibility allows (for bulk actions).
    pub async fn visible_company_ids(
        &self,
        visibility: Visibility,
        ids: &[CompanyId],
    ) -> Result<Vec<CompanyId>, StoreError> {
        let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
        Ok(self
            .visible_ids(&TABLE, visibility, &raw)
            .await?
            .into_iter()
            .map(CompanyId)
            .collect())
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
