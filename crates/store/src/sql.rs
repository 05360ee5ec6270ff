//! Running a statement on whichever backend the store holds: sea-query statements are built
//! for the live dialect, rows are read by column name the same way from either engine, and a
//! write runs on a [`Conn`] inside one transaction.
//!
//! This is the store's one bridge between its two databases for generic code; it knows no
//! table. Queries that stay hand-written use `on_pool!`/`in_tx!` as before.

use crate::audit::AuditEntry;
use crate::writer::{Member, Script};
use crate::{Backend, Store, StoreError};
use sea_query::{Alias, Expr, ExprTrait, PostgresQueryBuilder, Query, SqliteQueryBuilder};
use sea_query_sqlx::{SqlxBinder, SqlxValues};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::sqlite::SqliteRow;
use sqlx::{Postgres, Sqlite};

/// A value a column holds, decodable the same way from both engines.
pub trait Decodable:
    for<'r> sqlx::Decode<'r, Sqlite>
    + sqlx::Type<Sqlite>
    + for<'r> sqlx::Decode<'r, Postgres>
    + sqlx::Type<Postgres>
{
}

impl<T> Decodable for T where
    T: for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
{
}

/// A fetched row of either engine, read by column name.
pub enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    /// The value of `column`, decoded as `T`.
    pub fn get<T: Decodable>(&self, column: &str) -> Result<T, StoreError> {
        use sqlx::Row as _;
        Ok(match self {
            Row::Sqlite(row) => row.try_get(column)?,
            Row::Postgres(row) => row.try_get(column)?,
        })
    }
}

/// A statement's text and values for `backend`.
pub(crate) fn build<S: SqlxBinder>(backend: Backend, statement: &S) -> (String, SqlxValues) {
    match backend {
        Backend::Sqlite => statement.build_sqlx(SqliteQueryBuilder),
        Backend::Postgres => statement.build_sqlx(PostgresQueryBuilder),
    }
}

/// The connection of an open write transaction, of either engine. On SQLite it is one write
/// of the current batch, which sends statements whose outcome nobody reads together with the
/// next one (see `writer`).
pub(crate) enum Conn<'c> {
    Sqlite(&'c mut Member),
    Postgres(&'c mut PgConnection),
}

/// The columns an audit entry is written with.
const AUDIT_COLUMNS: [&str; 6] = [
    "at",
    "actor_id",
    "record_type",
    "record_id",
    "action",
    "changes",
];

impl Conn<'_> {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs a statement; how many rows it changed.
    pub(crate) async fn execute<S: SqlxBinder>(
        &mut self,
        statement: &S,
    ) -> Result<u64, StoreError> {
        let (sql, values) = build(self.backend(), statement);
        self.execute_raw(sql, values).await
    }

    /// Runs a hand-written statement (`?` placeholders on SQLite, `$n` on PostgreSQL); how
    /// many rows it changed.
    pub(crate) async fn execute_raw(
        &mut self,
        sql: String,
        values: SqlxValues,
    ) -> Result<u64, StoreError> {
        Ok(match self {
            Conn::Sqlite(write) => write.fetch(Script::statement(sql, values)).await?.1,
            Conn::Postgres(c) => sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                .execute(&mut **c)
                .await?
                .rows_affected(),
        })
    }

    /// Runs a statement whose outcome the caller does not read: on SQLite it goes to the
    /// database with the next statement (a failure is that one's, and fails the write all the
    /// same).
    pub(crate) async fn queue<S: SqlxBinder>(&mut self, statement: &S) -> Result<(), StoreError> {
        let (sql, values) = build(self.backend(), statement);
        match self {
            Conn::Sqlite(write) => write.queue(Script::statement(sql, values)),
            Conn::Postgres(c) => {
                sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                    .execute(&mut **c)
                    .await?;
            }
        }
        Ok(())
    }

    /// The rows a statement returns.
    pub(crate) async fn fetch_all<S: SqlxBinder>(
        &mut self,
        statement: &S,
    ) -> Result<Vec<Row>, StoreError> {
        let (sql, values) = build(self.backend(), statement);
        self.fetch_raw(sql, values).await
    }

    /// The rows of a hand-written statement (`?` placeholders on SQLite, `$n` on
    /// PostgreSQL).
    pub(crate) async fn fetch_raw(
        &mut self,
        sql: String,
        values: SqlxValues,
    ) -> Result<Vec<Row>, StoreError> {
        Ok(match self {
            Conn::Sqlite(write) => write
                .fetch(Script::statement(sql, values))
                .await?
                .0
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Conn::Postgres(c) => sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                .fetch_all(&mut **c)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    /// The one integer a statement returns (an inserted id, a count).
    pub(crate) async fn fetch_i64<S: SqlxBinder>(
        &mut self,
        statement: &S,
    ) -> Result<i64, StoreError> {
        let (sql, values) = build(self.backend(), statement);
        Ok(match self {
            Conn::Sqlite(write) => {
                use sqlx::Row as _;
                let (rows, _) = write.fetch(Script::statement(sql, values)).await?;
                rows.first().ok_or(StoreError::NotFound)?.try_get(0)?
            }
            Conn::Postgres(c) => {
                sqlx::query_scalar_with(sqlx::AssertSqlSafe(sql), values)
                    .fetch_one(&mut **c)
                    .await?
            }
        })
    }

    /// Sets `values` on the row `id` of `table` (a table with `version` and `updated_at`) if
    /// it is still at `version`, and moves its version on: [`StoreError::StaleVersion`] when
    /// it changed since, [`StoreError::NotFound`] when there is no such row.
    pub(crate) async fn update_versioned(
        &mut self,
        table: &str,
        id: i64,
        version: i64,
        values: Vec<(&'static str, sea_query::Value)>,
        now: i64,
    ) -> Result<(), StoreError> {
        let col = |name: &str| Expr::col((Alias::new(table), Alias::new(name)));
        let mut update = Query::update();
        update.table(Alias::new(table));
        for (column, value) in values {
            update.value(Alias::new(column), value);
        }
        update
            .value(Alias::new("version"), col("version").add(1))
            .value(Alias::new("updated_at"), now)
            .and_where(col("id").eq(id))
            .and_where(col("version").eq(version));
        if self.execute(&update).await? > 0 {
            return Ok(());
        }
        let mut exists = Query::select();
        exists
            .expr(sea_query::Func::count(col("id")))
            .from(Alias::new(table))
            .and_where(col("id").eq(id));
        Err(if self.fetch_i64(&exists).await? == 0 {
            StoreError::NotFound
        } else {
            StoreError::StaleVersion
        })
    }

    /// Appends the audit entries `entries` selects, in this transaction: its columns are
    /// those of [`AUDIT_COLUMNS`], in that order.
    pub(crate) async fn audit_from(
        &mut self,
        entries: sea_query::SelectStatement,
    ) -> Result<(), StoreError> {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("audit_events"))
            .columns(AUDIT_COLUMNS.map(Alias::new))
            .select_from(entries)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.execute(&insert).await?;
        Ok(())
    }

    /// Appends an audit entry in this transaction, at `at` (UTC microseconds).
    pub(crate) async fn audit(&mut self, entry: &AuditEntry, at: i64) -> Result<(), StoreError> {
        self.audit_many(std::slice::from_ref(entry), at).await
    }

    /// Appends audit entries in this transaction, all at `at` (UTC microseconds), many per
    /// statement.
    pub(crate) async fn audit_many(
        &mut self,
        entries: &[AuditEntry],
        at: i64,
    ) -> Result<(), StoreError> {
        for chunk in entries.chunks(crate::bulk::rows_per_statement(AUDIT_COLUMNS.len())) {
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("audit_events"))
                .columns(AUDIT_COLUMNS.map(Alias::new));
            for entry in chunk {
                insert.values_panic([
                    at.into(),
                    entry.actor.map(|u| u.0).into(),
                    entry.record_type.into(),
                    entry.record_id.into(),
                    entry.action.into(),
                    crate::codec::to_json(&entry.changes).into(),
                ]);
            }
            self.queue(&insert).await?;
        }
        Ok(())
    }
}

impl Store {
    /// Runs `work` in one transaction and always rolls it back: what a write would find and
    /// do, without doing it (a preview).
    pub(crate) async fn dry_run<T>(
        &self,
        work: impl AsyncFnOnce(&mut Conn<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match self {
            Store::Sqlite(db) => {
                let mut member = db.writer().join(db.pool()).await?;
                let out = work(&mut Conn::Sqlite(&mut member)).await;
                member.abandon().await;
                out
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let out = work(&mut Conn::Postgres(&mut tx)).await;
                tx.rollback().await?;
                out
            }
        }
    }

    /// Runs `work` in one transaction and commits it when `work` succeeds (a failure rolls
    /// everything back). On SQLite the transaction is a savepoint of the process's current
    /// batch of writes, and the call returns once the batch is committed (see `writer`).
    pub(crate) async fn write<T>(
        &self,
        work: impl AsyncFnOnce(&mut Conn<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match self {
            Store::Sqlite(db) => {
                let mut member = db.writer().join(db.pool()).await?;
                match work(&mut Conn::Sqlite(&mut member)).await {
                    Ok(out) => {
                        member.finish().await?;
                        Ok(out)
                    }
                    Err(error) => {
                        member.abandon().await;
                        Err(error)
                    }
                }
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let out = work(&mut Conn::Postgres(&mut tx)).await?;
                tx.commit().await?;
                Ok(out)
            }
        }
    }

    /// Moves the live row `id` of `table` (one with `deleted_at`) to the trash and appends
    /// `entry`, in one write; [`StoreError::NotFound`] when there is no such live row.
    pub(crate) async fn soft_delete(
        &self,
        table: &str,
        id: i64,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = crate::now_micros();
        let col = |name: &str| Expr::col((Alias::new(table), Alias::new(name)));
        self.write(async |conn| {
            let mut update = Query::update();
            update
                .table(Alias::new(table))
                .value(Alias::new("deleted_at"), now)
                .and_where(col("id").eq(id))
                .and_where(col("deleted_at").is_null());
            if conn.execute(&update).await? == 0 {
                return Err(StoreError::NotFound);
            }
            conn.audit(&entry, now).await
        })
        .await
    }

    /// The rows a statement returns, outside any transaction.
    pub(crate) async fn fetch_rows<S: SqlxBinder>(
        &self,
        statement: &S,
    ) -> Result<Vec<Row>, StoreError> {
        let (sql, values) = build(self.backend(), statement);
        let sql = sqlx::AssertSqlSafe(sql);
        Ok(match self {
            Store::Sqlite(db) => sqlx::query_with(sql, values)
                .fetch_all(db.pool())
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Store::Postgres(pool) => sqlx::query_with(sql, values)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    /// The first column of every row a statement returns, as integers.
    pub(crate) async fn fetch_scalars<S: SqlxBinder>(
        &self,
        statement: &S,
    ) -> Result<Vec<i64>, StoreError> {
        let (sql, values) = build(self.backend(), statement);
        let sql = sqlx::AssertSqlSafe(sql);
        Ok(match self {
            Store::Sqlite(db) => {
                sqlx::query_scalar_with(sql, values)
                    .fetch_all(db.pool())
                    .await?
            }
            Store::Postgres(pool) => sqlx::query_scalar_with(sql, values).fetch_all(pool).await?,
        })
    }
}
