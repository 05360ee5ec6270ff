//! Bulk loading of companies and people (the demo generator; later, imports): many rows per
//! statement, many statements per transaction, tags included.
//!
//! Rows are stored exactly as [`Store::insert_company`] and [`Store::insert_person`] store them:
//! the sort, search, city and company keys come from the same helpers. What bulk loading leaves
//! out is the per-row audit entry: the caller appends one entry for the whole load.
//!
//! Ids are reserved before inserting (PostgreSQL: the identity sequence; SQLite: after the
//! current maximum, under the write lock of `BEGIN IMMEDIATE`), so tag rows and the caller's
//! references need no `RETURNING` order, which neither engine promises for multi-row inserts.

use crate::codec::to_json;
use crate::companies::company_search_key;
use crate::people::person_search_key;
use crate::{Backend, Store, StoreError, on_pool};
use rehber_domain::party::{CompanyFields, Ownership, PersonFields};
use rehber_domain::validate::text::{search_key, sort_key};
use rehber_domain::{CompanyId, PersonId, TeamId, UserId};
use std::collections::HashMap;

/// A company to load: validated content, owner and team, and when it was created.
#[derive(Debug, Clone)]
pub struct BulkCompany {
    pub fields: CompanyFields,
    pub ownership: Ownership,
    pub created_at: jiff::Timestamp,
}

/// A person to load: validated content, owner and team, and when they were created.
#[derive(Debug, Clone)]
pub struct BulkPerson {
    pub fields: PersonFields,
    pub ownership: Ownership,
    pub created_at: jiff::Timestamp,
}

/// SQLite's default bound-parameter limit (PostgreSQL allows 65535, so this bound serves both).
const MAX_PARAMETERS: usize = 32_766;
/// Rows per statement: large enough that statement overhead vanishes, small enough to stay
/// under the parameter limit and keep one statement's text cached per connection.
const MAX_ROWS_PER_STATEMENT: usize = 1000;

/// Columns a company row binds, in order, after its `id`.
const COMPANY_COLUMNS: [&str; 34] = [
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

/// Columns a person row binds, in order, after its `id`.
const PERSON_COLUMNS: [&str; 29] = [
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

/// Parameters per row. Every placeholder is bound once (values used twice, such as the
/// creation time for `updated_at`, are bound twice) so SQLite can use anonymous `?`s.
const COMPANY_PARAMS: usize = 1 + COMPANY_COLUMNS.len() + 2;
const PERSON_PARAMS: usize = 1 + PERSON_COLUMNS.len() + 3;
const TAG_PARAMS: usize = 2;

fn rows_per_statement(params_per_row: usize) -> usize {
    (MAX_PARAMETERS / params_per_row).min(MAX_ROWS_PER_STATEMENT)
}

/// Numbers placeholders in the order they are written: `$1, $2, …` on PostgreSQL, `?` on
/// SQLite. Dialect gap: SQLite resolves each named parameter (`$n`) by a linear search through
/// the names seen so far, which makes a statement with 30,000 of them take seconds to prepare;
/// anonymous `?`s are numbered as they are read.
struct Placeholders {
    backend: Backend,
    next: usize,
}

impl Placeholders {
    fn new(backend: Backend) -> Self {
        Placeholders { backend, next: 0 }
    }

    fn next(&mut self) -> String {
        self.next += 1;
        match self.backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${}", self.next),
        }
    }

    /// `count` placeholders separated by commas.
    fn list(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| self.next())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `INSERT INTO companies (...) VALUES (...), (...)` for `rows` rows.
fn company_insert_sql(backend: Backend, rows: usize) -> String {
    let mut p = Placeholders::new(backend);
    let values: Vec<String> = (0..rows)
        .map(|_| {
            let columns = p.list(1 + COMPANY_COLUMNS.len());
            format!("({columns}, 1, {}, {})", p.next(), p.next())
        })
        .collect();
    format!(
        "INSERT INTO companies (id, {}, version, created_at, updated_at) VALUES {}",
        COMPANY_COLUMNS.join(", "),
        values.join(", ")
    )
}

/// `INSERT INTO people (...) VALUES (...), (...)` for `rows` rows.
fn person_insert_sql(backend: Backend, rows: usize) -> String {
    let mut p = Placeholders::new(backend);
    let values: Vec<String> = (0..rows)
        .map(|_| {
            let columns = p.list(1 + PERSON_COLUMNS.len() + 1);
            format!("({columns}, 1, {}, {})", p.next(), p.next())
        })
        .collect();
    format!(
        "INSERT INTO people (id, {}, company_key, version, created_at, updated_at) VALUES {}",
        PERSON_COLUMNS.join(", "),
        values.join(", ")
    )
}

/// `SELECT id, name FROM companies WHERE id IN (…)` for `count` ids.
fn company_names_sql(backend: Backend, count: usize) -> String {
    let mut p = Placeholders::new(backend);
    format!(
        "SELECT id, name FROM companies WHERE id IN ({})",
        p.list(count)
    )
}

/// `INSERT INTO <table> (tag, <key>) VALUES (…, …), …` for `rows` rows.
fn tag_insert_sql(backend: Backend, table: &str, key: &str, rows: usize) -> String {
    let mut p = Placeholders::new(backend);
    let values: Vec<String> = (0..rows).map(|_| format!("({})", p.list(2))).collect();
    format!(
        "INSERT INTO {table} (tag, {key}) VALUES {}",
        values.join(", ")
    )
}

/// Binds one company row in the order of [`company_insert_sql`].
macro_rules! bind_company_row {
    ($query:expr, $id:expr, $row:expr) => {{
        let f = &$row.fields;
        let own = $row.ownership;
        $query
            .bind($id)
            .bind(f.name.as_str())
            .bind(sort_key(&f.name))
            .bind(company_search_key(f))
            .bind(to_json(&f.emails))
            .bind(f.emails.first().map(|e| e.to_string()))
            .bind(to_json(&f.phones))
            .bind(f.phones.first().map(|p| p.to_string()))
            .bind(f.website.as_str())
            .bind(f.address.street.as_str())
            .bind(f.address.district.as_str())
            .bind(f.address.city.as_str())
            .bind(search_key(&f.address.city))
            .bind(f.address.postal_code.as_str())
            .bind(f.address.country.as_str())
            .bind(to_json(&f.tags))
            .bind(f.lifecycle_stage.as_str())
            .bind(f.lead_status.map(|s| s.as_str()))
            .bind(f.lead_source.map(|s| s.as_str()))
            .bind(f.bant.budget)
            .bind(f.bant.authority)
            .bind(f.bant.need)
            .bind(f.bant.timing)
            .bind(f.industry.as_str())
            .bind(f.size.map(|s| s.as_str()))
            .bind(f.annual_revenue.as_ref().map(|m| m.minor))
            .bind(f.annual_revenue.as_ref().map(|m| m.currency.clone()))
            .bind(f.tax_office.as_str())
            .bind(f.tax_number.as_ref().map(|v| v.to_string()))
            .bind(f.national_id.as_ref().map(|v| v.to_string()))
            .bind(f.trade_registry_number.as_str())
            .bind(f.e_invoice)
            .bind(f.notes.as_str())
            .bind(own.owner_id.map(|u: UserId| u.0))
            .bind(own.team_id.map(|t: TeamId| t.0))
            .bind($row.created_at.as_microsecond())
            .bind($row.created_at.as_microsecond())
    }};
}

/// Binds one person row in the order of [`person_insert_sql`].
macro_rules! bind_person_row {
    ($query:expr, $id:expr, $row:expr, $company_key:expr) => {{
        let f = &$row.fields;
        let own = $row.ownership;
        $query
            .bind($id)
            .bind(f.first_name.as_str())
            .bind(f.last_name.as_str())
            .bind(sort_key(&format!("{} {}", f.first_name, f.last_name)))
            .bind(person_search_key(f))
            .bind(to_json(&f.emails))
            .bind(f.emails.first().map(|e| e.to_string()))
            .bind(to_json(&f.phones))
            .bind(f.phones.first().map(|p| p.to_string()))
            .bind(f.company_id.map(|c: CompanyId| c.0))
            .bind(f.job_title.as_str())
            .bind(f.address.street.as_str())
            .bind(f.address.district.as_str())
            .bind(f.address.city.as_str())
            .bind(search_key(&f.address.city))
            .bind(f.address.postal_code.as_str())
            .bind(f.address.country.as_str())
            .bind(to_json(&f.tags))
            .bind(f.lifecycle_stage.as_str())
            .bind(f.lead_status.map(|s| s.as_str()))
            .bind(f.lead_source.map(|s| s.as_str()))
            .bind(f.bant.budget)
            .bind(f.bant.authority)
            .bind(f.bant.need)
            .bind(f.bant.timing)
            .bind(f.birthday.map(|d| d.to_string()))
            .bind(f.national_id.as_ref().map(|v| v.to_string()))
            .bind(f.notes.as_str())
            .bind(own.owner_id.map(|u: UserId| u.0))
            .bind(own.team_id.map(|t: TeamId| t.0))
            .bind($company_key)
            .bind($row.created_at.as_microsecond())
            .bind($row.created_at.as_microsecond())
    }};
}

/// Runs `$body` in one transaction with `$conn` and the reserved ids `$ids` (`$count` of
/// them) for `$table`. SQLite takes the write lock first (`BEGIN IMMEDIATE`) so no other
/// writer can take the ids above the maximum; PostgreSQL draws them from the sequence.
macro_rules! with_reserved_ids {
    ($store:expr, $table:literal, $count:expr, $conn:ident, $ids:ident => $body:expr) => {
        match $store {
            Store::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let $conn = &mut *tx;
                let max: i64 =
                    sqlx::query_scalar(concat!("SELECT COALESCE(MAX(id), 0) FROM ", $table))
                        .fetch_one(&mut *$conn)
                        .await?;
                let $ids: Vec<i64> = (1..=$count as i64).map(|i| max + i).collect();
                let out = $body;
                tx.commit().await?;
                out
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let $conn = &mut *tx;
                let $ids: Vec<i64> = sqlx::query_scalar(concat!(
                    "SELECT nextval(pg_get_serial_sequence('",
                    $table,
                    "', 'id')) \
                     FROM generate_series(1::bigint, $1::bigint) ORDER BY 1"
                ))
                .bind($count as i64)
                .fetch_all(&mut *$conn)
                .await?;
                let out = $body;
                tx.commit().await?;
                out
            }
        }
    };
}

/// Inserts `(tag, id)` pairs into a tag table, many per statement.
macro_rules! insert_tags {
    ($backend:expr, $conn:expr, $table:literal, $key:literal, $pairs:expr) => {{
        let pairs: &[(String, i64)] = $pairs;
        for chunk in pairs.chunks(rows_per_statement(TAG_PARAMS)) {
            let sql = tag_insert_sql($backend, $table, $key, chunk.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (tag, id) in chunk {
                query = query.bind(tag.as_str()).bind(*id);
            }
            query.execute(&mut *$conn).await?;
        }
    }};
}

impl Store {
    /// Brings the database up to date after a bulk load, so its first queries run as fast
    /// as later ones.
    ///
    /// PostgreSQL: VACUUM marks the new pages all-visible, which the index-only scans of a
    /// search need, and ANALYZE gives the planner the new tables' statistics (autovacuum would
    /// do both, minutes later). SQLite: nothing. Rehber never gathers SQLite statistics, so
    /// its plans are the same in every database it opens; a demo must not be the one
    /// database that plans differently.
    pub async fn after_bulk_load(&self) -> Result<(), StoreError> {
        if let Store::Postgres(pool) = self {
            sqlx::query("VACUUM (ANALYZE) companies, company_tags, people, person_tags")
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// Inserts companies in one transaction, many rows per statement, with their tags.
    /// Returns their ids in the order given. No audit entries: the caller appends one for
    /// the whole load.
    pub async fn bulk_insert_companies(
        &self,
        rows: &[BulkCompany],
    ) -> Result<Vec<CompanyId>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let backend = self.backend();
        let per_statement = rows_per_statement(COMPANY_PARAMS);
        let ids = with_reserved_ids!(self, "companies", rows.len(), conn, ids => {
            for (chunk, chunk_ids) in rows.chunks(per_statement).zip(ids.chunks(per_statement)) {
                let sql = company_insert_sql(backend, chunk.len());
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (row, id) in chunk.iter().zip(chunk_ids) {
                    query = bind_company_row!(query, *id, row);
                }
                query.execute(&mut *conn).await?;
            }
            let tags: Vec<(String, i64)> = rows
                .iter()
                .zip(&ids)
                .flat_map(|(row, id)| row.fields.tags.iter().map(move |t| (rehber_domain::party::tag_key(t), *id)))
                .collect();
            insert_tags!(backend, conn, "company_tags", "company_id", &tags);
            ids
        });
        Ok(ids.into_iter().map(CompanyId).collect())
    }

    /// Inserts people in one transaction, many rows per statement, with their tags.
    /// Returns their ids in the order given. No audit entries (see above).
    pub async fn bulk_insert_people(
        &self,
        rows: &[BulkPerson],
    ) -> Result<Vec<PersonId>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let backend = self.backend();
        let per_statement = rows_per_statement(PERSON_PARAMS);
        let mut company_ids: Vec<i64> = rows
            .iter()
            .filter_map(|r| r.fields.company_id.map(|c| c.0))
            .collect();
        company_ids.sort_unstable();
        company_ids.dedup();
        let ids = with_reserved_ids!(self, "people", rows.len(), conn, ids => {
            // People are found by their company's folded name, as `insert_person` stores it.
            let mut company_keys: HashMap<i64, String> = HashMap::with_capacity(company_ids.len());
            for chunk in company_ids.chunks(MAX_ROWS_PER_STATEMENT * 10) {
                let sql = company_names_sql(backend, chunk.len());
                let mut query = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql));
                for id in chunk {
                    query = query.bind(*id);
                }
                for (id, name) in query.fetch_all(&mut *conn).await? {
                    company_keys.insert(id, search_key(&name));
                }
            }
            for (chunk, chunk_ids) in rows.chunks(per_statement).zip(ids.chunks(per_statement)) {
                let sql = person_insert_sql(backend, chunk.len());
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (row, id) in chunk.iter().zip(chunk_ids) {
                    let company_key = row
                        .fields
                        .company_id
                        .and_then(|c| company_keys.get(&c.0).cloned())
                        .unwrap_or_default();
                    query = bind_person_row!(query, *id, row, company_key);
                }
                query.execute(&mut *conn).await?;
            }
            let tags: Vec<(String, i64)> = rows
                .iter()
                .zip(&ids)
                .flat_map(|(row, id)| row.fields.tags.iter().map(move |t| (rehber_domain::party::tag_key(t), *id)))
                .collect();
            insert_tags!(backend, conn, "person_tags", "person_id", &tags);
            ids
        });
        Ok(ids.into_iter().map(PersonId).collect())
    }

    /// How many people and companies are stored, deleted ones included (a bulk load into a
    /// database that already holds customers is refused by the services).
    pub async fn count_all_parties(&self) -> Result<(i64, i64), StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM companies)")
            .fetch_one(pool)
            .await?))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::AuditEntry;
    use rehber_domain::access::Visibility;
    use rehber_domain::party::{Address, CompanyForm, PersonForm};
    use sqlx::{Row, SqlitePool};

    #[test]
    fn statements_stay_under_the_parameter_limits() {
        for params in [COMPANY_PARAMS, PERSON_PARAMS, TAG_PARAMS] {
            let rows = rows_per_statement(params);
            assert!(
                rows >= 500,
                "{params} parameters per row gives only {rows} rows"
            );
            assert!(rows * params <= 32_766);
        }
    }

    #[test]
    fn insert_statements_have_one_placeholder_per_bound_value() {
        let count = |sql: &str, mark: char| sql.matches(mark).count();
        let sql = person_insert_sql(Backend::Sqlite, 3);
        assert_eq!(count(&sql, '?'), 3 * PERSON_PARAMS);
        let sql = company_insert_sql(Backend::Sqlite, 2);
        assert_eq!(count(&sql, '?'), 2 * COMPANY_PARAMS);
        let sql = person_insert_sql(Backend::Postgres, 2);
        assert!(sql.contains(&format!("(${}, ", PERSON_PARAMS + 1)));
        assert!(sql.ends_with(&format!(
            "${}, ${})",
            2 * PERSON_PARAMS - 1,
            2 * PERSON_PARAMS
        )));
        assert_eq!(
            tag_insert_sql(Backend::Postgres, "person_tags", "person_id", 2),
            "INSERT INTO person_tags (tag, person_id) VALUES ($1, $2), ($3, $4)"
        );
        assert_eq!(
            tag_insert_sql(Backend::Sqlite, "company_tags", "company_id", 1),
            "INSERT INTO company_tags (tag, company_id) VALUES (?, ?)"
        );
    }

    /// Columns computed from the fields; bulk rows must get exactly what single inserts get.
    const DERIVED: &str =
        "sort_key, search_key, primary_email, primary_phone, city_key, emails, phones, tags";

    async fn derived(pool: &SqlitePool, table: &str, id: i64) -> Vec<Option<String>> {
        let extra = if table == "people" {
            ", company_key"
        } else {
            ""
        };
        let sql = format!("SELECT {DERIVED}{extra} FROM {table} WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap();
        (0..row.len()).map(|i| row.get(i)).collect()
    }

    async fn tags(pool: &SqlitePool, table: &str, key: &str, id: i64) -> Vec<String> {
        let sql = format!("SELECT tag FROM {table} WHERE {key} = $1 ORDER BY tag");
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(pool)
            .await
            .unwrap()
    }

    fn entry(record_type: &'static str) -> AuditEntry {
        AuditEntry {
            actor: None,
            record_type,
            record_id: 0,
            action: "created",
            changes: Vec::new(),
        }
    }

    #[tokio::test]
    async fn bulk_rows_equal_rows_inserted_one_by_one() {
        let nanos = jiff::Timestamp::now().as_nanosecond();
        let path =
            std::env::temp_dir().join(format!("rehber-bulk-{}-{nanos}.db", std::process::id()));
        let store = Store::connect(path.to_str().unwrap(), 2).await.unwrap();
        store.migrate().await.unwrap();
        let Store::Sqlite(pool) = store.clone() else {
            unreachable!("a file path opens SQLite")
        };

        let company = CompanyForm {
            name: "Çağlar Tekstil A.Ş.".into(),
            emails: vec!["info@caglartekstil.com.tr".into()],
            phones: vec!["0212 555 12 12".into()],
            address: Address {
                city: "İstanbul".into(),
                district: "Kadıköy".into(),
                ..Address::default()
            },
            tags: vec!["İhracatçı".into(), "vip".into()],
            ..CompanyForm::blank()
        }
        .validate()
        .unwrap();
        let own = Ownership::default();
        let single = store
            .insert_company(&company, own, entry("company"))
            .await
            .unwrap();
        let now = jiff::Timestamp::now();
        let bulk = store
            .bulk_insert_companies(&[BulkCompany {
                fields: company.clone(),
                ownership: own,
                created_at: now,
            }])
            .await
            .unwrap();
        assert_eq!(bulk.len(), 1);
        assert!(bulk[0].0 > single.0);
        assert_eq!(
            derived(&pool, "companies", single.0).await,
            derived(&pool, "companies", bulk[0].0).await
        );
        assert_eq!(
            tags(&pool, "company_tags", "company_id", bulk[0].0).await,
            // Tag tables hold the folded key filters match on.
            vec!["ihracatci".to_string(), "vip".to_string()]
        );
        let stored = store
            .get_company(Visibility::All, bulk[0], false)
            .await
            .unwrap();
        assert_eq!(stored.fields, company);
        assert_eq!(stored.meta.version, 1);
        assert_eq!(
            stored.meta.created_at.as_microsecond(),
            now.as_microsecond()
        );

        let person = PersonForm {
            first_name: "Işık".into(),
            last_name: "Gülşen".into(),
            emails: vec!["isik@caglartekstil.com.tr".into()],
            phones: vec!["0532 123 45 67".into()],
            company_id: single.to_string(),
            address: Address {
                city: "İzmir".into(),
                ..Address::default()
            },
            tags: vec!["Karar Verici".into()],
            birthday: "1980-02-29".into(),
            ..PersonForm::blank()
        }
        .validate(jiff::civil::date(2026, 1, 1))
        .unwrap();
        let single = store
            .insert_person(&person, own, entry("person"))
            .await
            .unwrap();
        let rows: Vec<BulkPerson> = (0..1200)
            .map(|_| BulkPerson {
                fields: person.clone(),
                ownership: own,
                created_at: now,
            })
            .collect();
        let bulk = store.bulk_insert_people(&rows).await.unwrap();
        assert_eq!(bulk.len(), 1200, "more rows than one statement holds");
        let expected = derived(&pool, "people", single.0).await;
        assert_eq!(
            expected.last().unwrap().as_deref(),
            Some("caglar tekstil a s")
        );
        for id in [bulk[0], bulk[1199]] {
            assert_eq!(derived(&pool, "people", id.0).await, expected);
            assert_eq!(
                tags(&pool, "person_tags", "person_id", id.0).await,
                vec!["karar verici".to_string()]
            );
        }
        let stored = store
            .get_person(Visibility::All, bulk[5], false)
            .await
            .unwrap();
        assert_eq!(stored.fields, person);
        assert_eq!(store.count_all_parties().await.unwrap(), (1201, 2));
        let found: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM people_fts WHERE people_fts MATCH 'caglar'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(found, 1201, "the full-text index holds the bulk rows");

        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
