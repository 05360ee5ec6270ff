//! Person repository: reads through the scope filter (with the company's name for display),
//! writes with their audit entry in one transaction, optimistic versioning, soft delete.

use crate::audit::{AuditEntry, append_audit};
use crate::codec::{from_json, parse_stored, timestamp, to_json};
use crate::listing::{
    ListAsk, ListTable, Page, PageRequest, PartyFilter, PartySort, Positioned, RowPosition,
    SortDirection, page_of,
};
use crate::scope::scope_sql;
use crate::{Store, StoreError, in_tx, now_micros, on_pool};
use rehber_domain::access::Visibility;
use rehber_domain::party::{
    Address, Bant, LeadSource, LeadStatus, LifecycleStage, Ownership, Person, PersonFields,
    RecordMeta,
};
use rehber_domain::validate::Tckn;
use rehber_domain::validate::text::{search_key, sort_key, truncate_key};
use rehber_domain::{CompanyId, PersonId, TeamId, UserId};

pub(crate) const TABLE: ListTable = ListTable {
    table: "people",
    fts_table: "people_fts",
    tag_table: "person_tags",
    tag_key: "person_id",
};

const COLUMNS: &str = "people.id, people.first_name, people.last_name, people.emails, people.phones, \
    people.company_id, (SELECT c.name FROM companies c WHERE c.id = people.company_id) AS company_name, \
    people.job_title, people.street, people.district, people.city, people.postal_code, people.country, \
    people.tags, people.lifecycle_stage, people.lead_status, people.lead_source, people.bant_budget, \
    people.bant_authority, people.bant_need, people.bant_timing, people.birthday, people.national_id, \
    people.notes, people.owner_id, people.team_id, people.version, people.created_at, people.updated_at, \
    people.deleted_at, people.sort_key";

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    first_name: String,
    last_name: String,
    emails: String,
    phones: String,
    company_id: Option<i64>,
    company_name: Option<String>,
    job_title: String,
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
    birthday: Option<String>,
    national_id: Option<String>,
    notes: String,
    owner_id: Option<i64>,
    team_id: Option<i64>,
    version: i64,
    created_at: i64,
    updated_at: i64,
    deleted_at: Option<i64>,
    sort_key: String,
}

impl Positioned for PersonRow {
    fn position(&self) -> RowPosition<'_> {
        RowPosition {
            id: self.id,
            sort_key: &self.sort_key,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;
    fn try_from(r: PersonRow) -> Result<Self, StoreError> {
        let corrupt = |e: String| StoreError::Corrupt(e);
        Ok(Person {
            id: PersonId(r.id),
            fields: PersonFields {
                first_name: r.first_name,
                last_name: r.last_name,
                emails: from_json(&r.emails)?,
                phones: from_json(&r.phones)?,
                company_id: r.company_id.map(CompanyId),
                job_title: r.job_title,
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
                birthday: r
                    .birthday
                    .map(|d| {
                        d.parse::<jiff::civil::Date>()
                            .map_err(|e| corrupt(e.to_string()))
                    })
                    .transpose()?,
                national_id: r
                    .national_id
                    .map(|s| Tckn::parse(&s).map_err(|e| corrupt(e.to_string())))
                    .transpose()?,
                notes: r.notes,
            },
            company_name: r.company_name,
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

/// The forms a phone is typed in: E.164 digits and, for Turkish numbers, the national forms
/// with and without the trunk 0, so any of them finds it.
pub(crate) fn phone_forms(e164: &str) -> Vec<String> {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    let mut forms = vec![digits.clone()];
    if let Some(national) = digits.strip_prefix("90") {
        forms.push(national.to_string());
        forms.push(format!("0{national}"));
    }
    forms
}

/// The folded text a person is found by (without the company name, kept in `company_key`),
/// within the search key budget.
pub(crate) fn person_search_key(f: &PersonFields) -> String {
    let mut parts = vec![f.first_name.clone(), f.last_name.clone()];
    parts.extend(f.emails.iter().map(|e| e.to_string()));
    parts.extend(f.phones.iter().flat_map(|p| phone_forms(p.as_str())));
    truncate_key(search_key(&parts.join(" ")), crate::SEARCH_KEY_BYTES)
}

const WRITE_COLUMNS: [&str; 29] = [
    "first_name",
    "last_name",
    "sort_key",
    "search_key",
    "emails",
    "primary_email",
    "phones",
    "primary_phone",
    "company_id",
    "job_title",
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
    "birthday",
    "national_id",
    "notes",
    "owner_id",
    "team_id",
];

macro_rules! bind_person {
    ($query:expr, $f:expr, $own:expr) => {
        $query
            .bind(&$f.first_name)
            .bind(&$f.last_name)
            .bind(sort_key(&format!("{} {}", $f.first_name, $f.last_name)))
            .bind(person_search_key($f))
            .bind(to_json(&$f.emails))
            .bind($f.emails.first().map(|e| e.to_string()))
            .bind(to_json(&$f.phones))
            .bind($f.phones.first().map(|p| p.to_string()))
            .bind($f.company_id.map(|c: CompanyId| c.0))
            .bind(&$f.job_title)
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
            .bind($f.birthday.map(|d| d.to_string()))
            .bind($f.national_id.as_ref().map(|v| v.to_string()))
            .bind(&$f.notes)
            .bind($own.owner_id.map(|u: UserId| u.0))
            .bind($own.team_id.map(|t: TeamId| t.0))
    };
}

fn insert_sql() -> String {
    let n = WRITE_COLUMNS.len();
    let placeholders: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO people ({}, company_key, version, created_at, updated_at) VALUES ({}, ${}, 1, ${}, ${}) \
         RETURNING id",
        WRITE_COLUMNS.join(", "),
        placeholders.join(", "),
        n + 2,
        n + 1,
        n + 1
    )
}

fn update_sql() -> String {
    let n = WRITE_COLUMNS.len();
    let sets: Vec<String> = WRITE_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    format!(
        "UPDATE people SET {}, company_key = ${}, version = version + 1, updated_at = ${} \
         WHERE id = ${} AND version = ${} AND deleted_at IS NULL",
        sets.join(", "),
        n + 4,
        n + 1,
        n + 2,
        n + 3
    )
}

/// The folded name of a person's company, the same key `update_company` writes when the
/// company is renamed (so a person is found by the company name, and only by the name).
macro_rules! company_key {
    ($conn:expr, $company:expr) => {{
        let name: Option<String> = match $company {
            Some(company) => {
                sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
                    .bind(company.0)
                    .fetch_optional(&mut *$conn)
                    .await?
            }
            None => None,
        };
        name.map(|n| search_key(&n)).unwrap_or_default()
    }};
}

macro_rules! replace_person_tags {
    ($conn:expr, $id:expr, $tags:expr) => {{
        sqlx::query("DELETE FROM person_tags WHERE person_id = $1")
            .bind($id)
            .execute(&mut *$conn)
            .await?;
        for tag in $tags {
            sqlx::query("INSERT INTO person_tags (tag, person_id) VALUES ($1, $2)")
                .bind(rehber_domain::party::tag_key(tag))
                .bind($id)
                .execute(&mut *$conn)
                .await?;
        }
    }};
}

impl Store {
    /// Inserts a person and their "created" audit entry.
    pub async fn insert_person(
        &self,
        fields: &PersonFields,
        ownership: Ownership,
        entry: AuditEntry,
    ) -> Result<PersonId, StoreError> {
        let now = now_micros();
        let sql = insert_sql();
        let id: i64 = in_tx!(self, conn => {
            let company_key = company_key!(conn, fields.company_id);
            let id: i64 = bind_person!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())), fields, ownership)
                .bind(now)
                .bind(company_key)
                .fetch_one(&mut *conn)
                .await?;
            replace_person_tags!(conn, id, &fields.tags);
            let entry = AuditEntry { record_id: id, ..entry };
            append_audit!(&mut *conn, entry, now);
            id
        });
        Ok(PersonId(id))
    }

    /// Replaces a person's content if `expected_version` is current; appends the entry.
    pub async fn update_person(
        &self,
        id: PersonId,
        expected_version: i64,
        fields: &PersonFields,
        ownership: Ownership,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        let sql = update_sql();
        in_tx!(self, conn => {
            let company_key = company_key!(conn, fields.company_id);
            let done = bind_person!(sqlx::query(sqlx::AssertSqlSafe(sql.clone())), fields, ownership)
                .bind(now)
                .bind(id.0)
                .bind(expected_version)
                .bind(company_key)
                .execute(&mut *conn)
                .await?
                .rows_affected();
            if done == 0 {
                return Err(StoreError::StaleVersion);
            }
            replace_person_tags!(conn, id.0, &fields.tags);
            append_audit!(&mut *conn, entry, now);
        });
        Ok(())
    }

    /// Marks a person deleted (or restores them) and appends the entry.
    pub async fn set_person_deleted(
        &self,
        id: PersonId,
        deleted: bool,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        in_tx!(self, conn => {
            let sql = if deleted {
                "UPDATE people SET deleted_at = $2, updated_at = $2, version = version + 1 WHERE id = $1 AND deleted_at IS NULL"
            } else {
                "UPDATE people SET deleted_at = NULL, updated_at = $2, version = version + 1 WHERE id = $1 AND deleted_at IS NOT NULL"
            };
            let done = sqlx::query(sql).bind(id.0).bind(now).execute(&mut *conn).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::NotFound);
            }
            append_audit!(&mut *conn, entry, now);
        });
        Ok(())
    }

    /// One person the visibility allows.
    pub async fn get_person(
        &self,
        visibility: Visibility,
        id: PersonId,
        include_deleted: bool,
    ) -> Result<Person, StoreError> {
        let (scope, bind) = scope_sql("people", visibility, 2);
        let deleted = if include_deleted {
            ""
        } else {
            " AND people.deleted_at IS NULL"
        };
        let sql = format!("SELECT {COLUMNS} FROM people WHERE people.id = $1 AND {scope}{deleted}");
        let row: PersonRow = on_pool!(self, pool => {
            let q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0);
            let q = match bind { Some(v) => q.bind(v), None => q };
            q.fetch_one(pool).await?
        });
        row.try_into()
    }

    /// One page of people the visibility allows, filtered, sorted and keyset-paginated.
    pub async fn list_people(
        &self,
        visibility: Visibility,
        filter: &PartyFilter,
        sort: PartySort,
        direction: SortDirection,
        page: &PageRequest,
    ) -> Result<Page<Person>, StoreError> {
        let ask = ListAsk {
            visibility,
            filter,
            sort,
            direction,
            page,
        };
        let rows: Vec<PersonRow> = self.fetch_list(&TABLE, COLUMNS, ask).await?;
        page_of(rows, page.limit, sort)
    }

    pub async fn count_people(
        &self,
        visibility: Visibility,
        filter: &PartyFilter,
        cap: u32,
    ) -> Result<i64, StoreError> {
        self.count_matching(&TABLE, visibility, filter, cap).await
    }

    pub async fn visible_person_ids(
        &self,
        visibility: Visibility,
        ids: &[PersonId],
    ) -> Result<Vec<PersonId>, StoreError> {
        let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
        Ok(self
            .visible_ids(&TABLE, visibility, &raw)
            .await?
            .into_iter()
            .map(PersonId)
            .collect())
    }
}
