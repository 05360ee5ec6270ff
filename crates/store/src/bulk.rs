//! Bulk loading of records (the demo generator; later, imports): many rows per statement,
//! many statements per transaction, tags included, for any [`StoredKind`].
//!
//! Rows are stored exactly as [`Store::insert`] stores them: the columns and their derived
//! keys come from the kind's one [`StoredKind::values`]. What bulk loading leaves out is the
//! per-row audit entry: the caller appends one entry for the whole load.
//!
//! Ids are reserved before inserting (PostgreSQL: the identity sequence; SQLite: after the
//! current maximum, under the write lock of `BEGIN IMMEDIATE`), so tag rows and the caller's
//! references need no `RETURNING` order, which neither engine promises for multi-row inserts.

use crate::kind::{FoldedName, StoredKind};
use crate::sql::Conn;
use crate::{Backend, Store, StoreError, on_pool};
use rehber_domain::party::{CompanyFields, Ownership, PersonFields};
use rehber_domain::validate::text::search_key;
use sea_query::{Alias, Expr, ExprTrait, Query, Value};
use std::collections::HashMap;

/// A record to load: validated content, owner and team, and when it was created.
#[derive(Debug, Clone)]
pub struct BulkRow<F> {
    pub fields: F,
    pub ownership: Ownership,
    pub created_at: jiff::Timestamp,
}

/// A company to load.
pub type BulkCompany = BulkRow<CompanyFields>;
/// A person to load.
pub type BulkPerson = BulkRow<PersonFields>;

/// SQLite's default bound-parameter limit (PostgreSQL allows 65535, so this bound serves both).
const MAX_PARAMETERS: usize = 32_766;
/// Rows per statement: large enough that statement overhead vanishes, small enough to stay
/// under the parameter limit and keep one statement's text cached per connection.
const MAX_ROWS_PER_STATEMENT: usize = 1000;

/// Rows per statement for rows of `params_per_row` values. (sea-query writes SQLite's
/// placeholders as anonymous `?`s: SQLite resolves numbered ones by a linear search through
/// the names seen so far, which makes a statement with 30,000 of them take seconds to
/// prepare.)
pub(crate) fn rows_per_statement(params_per_row: usize) -> usize {
    (MAX_PARAMETERS / params_per_row.max(1)).min(MAX_ROWS_PER_STATEMENT)
}

fn sea_error(e: sea_query::error::Error) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// `count` new ids for `table`: after the current maximum on SQLite (the caller holds the
/// write lock), from the identity sequence on PostgreSQL.
async fn reserve_ids(
    conn: &mut Conn<'_>,
    table: &str,
    count: usize,
) -> Result<Vec<i64>, StoreError> {
    match conn.backend() {
        Backend::Sqlite => {
            let mut select = Query::select();
            select
                .expr(Expr::cust("COALESCE(MAX(id), 0)"))
                .from(Alias::new(table));
            let max = conn.fetch_i64(&select).await?;
            Ok((1..=count as i64).map(|i| max + i).collect())
        }
        Backend::Postgres => {
            let mut select = Query::select();
            select.expr(Expr::cust(format!(
                "nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1::bigint, {}::bigint) ORDER BY 1",
                count
            )));
            let rows = conn.fetch_all(&select).await?;
            rows.iter().map(|row| row.get::<i64>("nextval")).collect()
        }
    }
}

/// The folded names the records look up (`FoldedName`), read in batches: `(table, id) → key`.
pub(crate) async fn folded_names<'f, K: StoredKind>(
    conn: &mut Conn<'_>,
    records: impl Iterator<Item = &'f K::Fields>,
) -> Result<FoldedNames, StoreError>
where
    K::Fields: 'f,
{
    let wanted: Vec<FoldedName> = records.flat_map(K::folded_names).collect();
    let mut by_table: HashMap<&'static str, Vec<i64>> = HashMap::new();
    for lookup in &wanted {
        if let Some(id) = lookup.id {
            by_table.entry(lookup.table).or_default().push(id);
        }
    }
    let mut found = HashMap::new();
    for (table, mut ids) in by_table {
        ids.sort_unstable();
        ids.dedup();
        for chunk in ids.chunks(MAX_ROWS_PER_STATEMENT * 10) {
            let mut select = Query::select();
            select
                .columns([Alias::new("id"), Alias::new("name")])
                .from(Alias::new(table))
                .and_where(Expr::col(Alias::new("id")).is_in(chunk.iter().copied()));
            for row in conn.fetch_all(&select).await? {
                found.insert(
                    (table, row.get::<i64>("id")?),
                    search_key(&row.get::<String>("name")?),
                );
            }
        }
    }
    Ok(found)
}

/// Folded names looked up by [`folded_names`]: `(table, id) → key`.
pub(crate) type FoldedNames = HashMap<(&'static str, i64), String>;

/// A record's stored columns and values: those of [`StoredKind::values`], then the folded
/// names it looks up (empty when the linked record is gone), as a single write makes them.
pub(crate) fn content_values<K: StoredKind>(
    fields: &K::Fields,
    ownership: Ownership,
    names: &FoldedNames,
) -> Vec<(&'static str, Value)> {
    let mut pairs = K::values(fields, ownership);
    for lookup in K::folded_names(fields) {
        let key = lookup
            .id
            .and_then(|id| names.get(&(lookup.table, id)).cloned())
            .unwrap_or_default();
        pairs.push((lookup.column, key.into()));
    }
    pairs
}

/// Adds the tag rows of records (their fields and ids) to their kind's tag table, many rows
/// per statement.
pub(crate) async fn insert_tag_rows<'f, K: StoredKind>(
    conn: &mut Conn<'_>,
    records: impl Iterator<Item = (&'f K::Fields, i64)>,
) -> Result<(), StoreError>
where
    K::Fields: 'f,
{
    let t = K::TABLE;
    let tags: Vec<(String, i64)> = records
        .flat_map(|(fields, id)| {
            K::tags(fields)
                .iter()
                .map(move |tag| (rehber_domain::party::tag_key(tag), id))
        })
        .collect();
    for chunk in tags.chunks(rows_per_statement(2)) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(t.tag_table))
            .columns([Alias::new("tag"), Alias::new(t.tag_key)]);
        for (tag, id) in chunk {
            insert
                .values([tag.clone().into(), (*id).into()])
                .map_err(sea_error)?;
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// Inserts `rows` of kind `K` in the caller's transaction, many rows per statement, with their
/// tags and comparable custom values; `import_id` marks them as an import's. Their ids, in
/// the order given.
pub(crate) async fn insert_rows<K: StoredKind>(
    conn: &mut Conn<'_>,
    rows: &[BulkRow<K::Fields>],
    import_id: Option<i64>,
) -> Result<Vec<i64>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let t = K::TABLE;
    let ids = reserve_ids(conn, t.table, rows.len()).await?;
    let names = folded_names::<K>(conn, rows.iter().map(|r| &r.fields)).await?;
    // A row's columns and values, in the order every row writes them.
    let pairs = |row: &BulkRow<K::Fields>, id: i64| {
        let at = row.created_at.as_microsecond();
        let mut pairs: Vec<(&'static str, Value)> = vec![("id", id.into())];
        pairs.extend(content_values::<K>(&row.fields, row.ownership, &names));
        if let Some(import) = import_id {
            pairs.push(("import_id", import.into()));
        }
        pairs.extend([
            ("version", 1i64.into()),
            ("created_at", at.into()),
            ("updated_at", at.into()),
        ]);
        pairs
    };
    let columns: Vec<&'static str> = pairs(&rows[0], ids[0])
        .into_iter()
        .map(|(column, _)| column)
        .collect();
    let per_statement = rows_per_statement(columns.len());
    // Values are made a statement at a time, so a large load never holds them all.
    for (chunk, chunk_ids) in rows.chunks(per_statement).zip(ids.chunks(per_statement)) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(t.table))
            .columns(columns.iter().map(|column| Alias::new(*column)));
        for (row, id) in chunk.iter().zip(chunk_ids) {
            insert
                .values(pairs(row, *id).into_iter().map(|(_, v)| Expr::val(v)))
                .map_err(sea_error)?;
        }
        conn.execute(&insert).await?;
    }
    insert_tag_rows::<K>(
        conn,
        rows.iter().map(|r| &r.fields).zip(ids.iter().copied()),
    )
    .await?;
    // The comparable copies of custom values, as a single write makes them.
    if rows.iter().any(|r| !K::custom(&r.fields).is_empty()) {
        let fields = crate::custom_fields::kind_fields(conn, K::TYPE).await?;
        let values: Vec<_> = rows
            .iter()
            .zip(&ids)
            .flat_map(|(row, id)| {
                crate::custom_fields::value_rows(&fields, *id, K::custom(&row.fields))
            })
            .collect();
        crate::custom_fields::insert_value_rows(conn, &values).await?;
    }
    Ok(ids)
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

    /// Gives PostgreSQL's planner the statistics of a kind's tables after an import wrote
    /// many of its records at once (autovacuum would, minutes later, where it runs): a check
    /// of the next file looks its keys up among them, and with the empty tables' statistics
    /// it took seconds per slice of keys instead of milliseconds. SQLite: nothing (see
    /// [`Store::after_bulk_load`]).
    pub async fn after_import<K: StoredKind>(&self) -> Result<(), StoreError> {
        if let Store::Postgres(pool) = self {
            let t = K::TABLE;
            let sql = format!("ANALYZE {}, {}, contact_keys", t.table, t.tag_table);
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await?;
        }
        Ok(())
    }

    /// Inserts records in one transaction, many rows per statement, with their tags.
    /// Returns their ids in the order given. No audit entries: the caller appends one for
    /// the whole load.
    pub async fn bulk_insert<K: StoredKind>(
        &self,
        rows: &[BulkRow<K::Fields>],
    ) -> Result<Vec<K::Id>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids = self
            .write(async |conn| insert_rows::<K>(conn, rows, None).await)
            .await?;
        Ok(ids.into_iter().map(K::id).collect())
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
    use rehber_domain::party::{Address, Companies, CompanyForm, People, PersonForm};
    use sqlx::{Row, SqlitePool};

    #[test]
    fn statements_stay_under_the_parameter_limits() {
        for params in [2, 40, 45] {
            let rows = rows_per_statement(params);
            assert!(
                rows >= 500,
                "{params} parameters per row gives only {rows} rows"
            );
            assert!(rows * params <= 32_766);
        }
    }

    /// Columns computed from the fields; bulk rows must get exactly what single inserts get.
    const DERIVED: &str = "sort_key, search_key, name_key, primary_email, primary_phone, city_key, emails, phones, tags";

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
        let Store::Sqlite(db) = store.clone() else {
            unreachable!("a file path opens SQLite")
        };
        let pool = db.pool().clone();

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
            .insert::<Companies>(&company, own, entry("company"))
            .await
            .unwrap();
        let now = jiff::Timestamp::now();
        let bulk = store
            .bulk_insert::<Companies>(&[BulkCompany {
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
            .scoped_to(Visibility::All)
            .get::<Companies>(bulk[0])
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
            .insert::<People>(&person, own, entry("person"))
            .await
            .unwrap();
        let rows: Vec<BulkPerson> = (0..1200)
            .map(|_| BulkPerson {
                fields: person.clone(),
                ownership: own,
                created_at: now,
            })
            .collect();
        let bulk = store.bulk_insert::<People>(&rows).await.unwrap();
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
            .scoped_to(Visibility::All)
            .get::<People>(bulk[5])
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
