//! What backup and restore ask of the database itself: a consistent copy of an SQLite file
//! taken while the server writes (`VACUUM INTO`), its integrity, the schema version, the
//! rows of every table (counted, or digested for comparing two databases), and the lock a
//! serving process holds so that a restore cannot pull a database from under it.
//!
//! Tables are read from the catalog rather than listed here, so a table added by a later
//! migration is counted, compared and restored without anyone remembering to add it.

use crate::{Backend, Store, StoreError};
use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};
use std::collections::BTreeMap;
use std::path::Path;

/// The PostgreSQL advisory-lock key of serving: each server holds it shared, a restore needs
/// it alone. ("rehber" in ASCII, then 1.)
const SERVE_LOCK_KEY: i64 = 0x7265_6862_6572_0001;

/// One table's rows, for comparing two databases: how many, and the SHA-256 of their text
/// forms in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDigest {
    pub rows: i64,
    pub sha256: String,
}

/// Held by a serving process for as long as it serves a PostgreSQL database (a session
/// advisory lock, released when its connection ends); nothing to hold on SQLite, where the
/// server locks a file beside the database instead.
#[derive(Debug)]
pub struct DatabaseLock {
    _connection: Option<PgConnection>,
}

impl DatabaseLock {
    /// No lock (an SQLite database, guarded by its file).
    pub fn none() -> DatabaseLock {
        DatabaseLock { _connection: None }
    }
}

impl Store {
    /// Opens an SQLite file that stands alone (a backup copy being checked or restored): one
    /// connection, no write-ahead log beside it, never created when missing.
    pub async fn open_sqlite_copy(path: &Path) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(false)
            .journal_mode(SqliteJournalMode::Delete)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        Ok(Store::Sqlite(crate::Sqlite::new(pool)))
    }

    /// Writes a consistent copy of this SQLite database to `path` while others keep writing
    /// (SQLite reads one snapshot for the whole copy). A file copy of a live database in WAL
    /// mode would be torn or miss the log. Refused on PostgreSQL, which `pg_dump` copies.
    pub async fn vacuum_into(&self, path: &Path) -> Result<(), StoreError> {
        let Store::Sqlite(db) = self else {
            return Err(StoreError::Corrupt(
                "VACUUM INTO is SQLite's; PostgreSQL is copied by pg_dump".into(),
            ));
        };
        let target = path.to_string_lossy().into_owned();
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(db.pool())
            .await?;
        Ok(())
    }

    /// SQLite's `PRAGMA integrity_check`: empty when the file is sound, else what is wrong.
    /// PostgreSQL keeps its own pages; there is nothing to ask it here.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let Store::Sqlite(db) = self else {
            return Ok(Vec::new());
        };
        let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(db.pool())
            .await?;
        Ok(lines.into_iter().filter(|line| line != "ok").collect())
    }

    /// The newest migration this program knows for `backend`.
    pub fn known_schema_version(backend: Backend) -> i64 {
        crate::migrator(backend)
            .iter()
            .map(|m| m.version)
            .max()
            .unwrap_or(0)
    }

    /// The newest migration applied to this database; 0 for a database never migrated.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        if !self.tables().await?.iter().any(|t| t == "_sqlx_migrations") {
            return Ok(0);
        }
        let version: Option<i64> = crate::on_pool!(self, pool => {
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await?
        });
        Ok(version.unwrap_or(0))
    }

    /// The ordinary tables of this database (SQLite's full-text index shadows included, its
    /// virtual tables and internal ones not), by name.
    pub async fn tables(&self) -> Result<Vec<String>, StoreError> {
        let names = match self {
            Store::Sqlite(db) => {
                sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
                     AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
                )
                .fetch_all(db.pool())
                .await?
            }
            Store::Postgres(pool) => sqlx::query_scalar(POSTGRES_TABLES).fetch_all(pool).await?,
        };
        Ok(names)
    }

    /// Whether the database holds anything a restore would lose: a user, a person or a
    /// company. A new, migrated database holds only what migrations put in.
    pub async fn holds_data(&self) -> Result<bool, StoreError> {
        let tables = self.tables().await?;
        for table in ["users", "people", "companies"] {
            if tables.iter().any(|t| t == table) && self.count_rows(table).await? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The rows in each table.
    pub async fn row_counts(&self) -> Result<BTreeMap<String, i64>, StoreError> {
        if let Store::Postgres(pool) = self {
            let mut connection = pool.acquire().await?;
            return postgres_row_counts(&mut connection).await;
        }
        let mut counts = BTreeMap::new();
        for table in self.tables().await? {
            let rows = self.count_rows(&table).await?;
            counts.insert(table, rows);
        }
        Ok(counts)
    }

    async fn count_rows(&self, table: &str) -> Result<i64, StoreError> {
        let sql = format!("SELECT COUNT(*) FROM {}", quoted(table));
        let rows: i64 = crate::on_pool!(self, pool => {
            sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(pool).await?
        });
        Ok(rows)
    }

    /// Every table's rows digested in a fixed order (and, on PostgreSQL, where each sequence
    /// stands, as the table `(sequences)`): two databases with equal digests hold the same
    /// rows. Meant for checks and tests; it reads the whole database.
    pub async fn canonical_digest(&self) -> Result<BTreeMap<String, TableDigest>, StoreError> {
        let mut digests = BTreeMap::new();
        for table in self.tables().await? {
            let rows = self.row_texts(&table).await?;
            digests.insert(table, digest(&rows));
        }
        if let Store::Postgres(pool) = self {
            let rows: Vec<String> = sqlx::query_scalar(
                "SELECT sequencename::text || '=' || COALESCE(last_value::text, '-') \
                 FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1",
            )
            .fetch_all(pool)
            .await?;
            digests.insert("(sequences)".to_string(), digest(&rows));
        }
        Ok(digests)
    }

    /// A table's rows as text (SQLite: each column `quote`d; PostgreSQL: the row literal),
    /// sorted, so the order rows were written in does not matter.
    async fn row_texts(&self, table: &str) -> Result<Vec<String>, StoreError> {
        let rows = match self {
            Store::Sqlite(db) => {
                let columns: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                        .bind(table)
                        .fetch_all(db.pool())
                        .await?;
                let row = columns
                    .iter()
                    .map(|c| format!("quote({})", quoted(c)))
                    .collect::<Vec<_>>()
                    .join(" || '|' || ");
                let sql = format!("SELECT {row} FROM {} ORDER BY 1", quoted(table));
                sqlx::query_scalar(AssertSqlSafe(sql))
                    .fetch_all(db.pool())
                    .await?
            }
            Store::Postgres(pool) => {
                let sql = format!("SELECT t::text FROM {} t ORDER BY 1", quoted(table));
                sqlx::query_scalar(AssertSqlSafe(sql))
                    .fetch_all(pool)
                    .await?
            }
        };
        Ok(rows)
    }

    /// The major version of the PostgreSQL server (15 for 15.4); `None` on SQLite.
    pub async fn postgres_major_version(&self) -> Result<Option<u32>, StoreError> {
        let Store::Postgres(pool) = self else {
            return Ok(None);
        };
        let number: String = sqlx::query_scalar("SHOW server_version_num")
            .fetch_one(pool)
            .await?;
        let number: u32 = number
            .trim()
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("server_version_num {number:?}")))?;
        Ok(Some(number / 10_000))
    }

    /// Taken by a serving process: on PostgreSQL a shared advisory lock on a connection of
    /// its own (several servers may serve one database), refused while a restore holds it.
    pub async fn lock_for_serving(&self) -> Result<Option<DatabaseLock>, StoreError> {
        self.advisory_lock("SELECT pg_try_advisory_lock_shared($1)")
            .await
    }

    /// Taken by a restore: the same lock alone, so `None` while any server serves this
    /// PostgreSQL database. On SQLite always granted (the file lock is the server's guard).
    pub async fn lock_for_restore(&self) -> Result<Option<DatabaseLock>, StoreError> {
        self.advisory_lock("SELECT pg_try_advisory_lock($1)").await
    }

    async fn advisory_lock(&self, sql: &'static str) -> Result<Option<DatabaseLock>, StoreError> {
        let Store::Postgres(pool) = self else {
            return Ok(Some(DatabaseLock { _connection: None }));
        };
        // Off the pool: the lock lives as long as this connection, not as long as a query.
        let mut connection = pool.acquire().await?.detach();
        let row = sqlx::query(sql)
            .bind(SERVE_LOCK_KEY)
            .fetch_one(&mut connection)
            .await?;
        if row.try_get::<bool, _>(0)? {
            Ok(Some(DatabaseLock {
                _connection: Some(connection),
            }))
        } else {
            let _ = connection.close().await;
            Ok(None)
        }
    }
}

/// A read-only PostgreSQL transaction whose snapshot is exported for `pg_dump --snapshot`:
/// what it counts is exactly what the dump holds, however much is written meanwhile.
#[derive(Debug)]
pub struct PostgresSnapshot {
    connection: PgConnection,
    /// The name `pg_dump --snapshot` takes.
    pub id: String,
}

impl Store {
    /// Opens a [`PostgresSnapshot`]; `None` on SQLite.
    pub async fn postgres_snapshot(&self) -> Result<Option<PostgresSnapshot>, StoreError> {
        let Store::Postgres(pool) = self else {
            return Ok(None);
        };
        let mut connection = pool.acquire().await?.detach();
        sqlx::raw_sql("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut connection)
            .await?;
        let id: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut connection)
            .await?;
        Ok(Some(PostgresSnapshot { connection, id }))
    }
}

impl PostgresSnapshot {
    /// The rows in each table, as of the snapshot.
    pub async fn row_counts(&mut self) -> Result<BTreeMap<String, i64>, StoreError> {
        postgres_row_counts(&mut self.connection).await
    }

    /// The newest migration applied, as of the snapshot.
    pub async fn schema_version(&mut self) -> Result<i64, StoreError> {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&mut self.connection)
                .await?;
        Ok(version.unwrap_or(0))
    }

    /// Ends the transaction (after the dump has read what it needs).
    pub async fn finish(mut self) -> Result<(), StoreError> {
        sqlx::raw_sql("COMMIT")
            .execute(&mut self.connection)
            .await?;
        self.connection.close().await?;
        Ok(())
    }
}

impl Store {
    /// Moves everything in SQLite's write-ahead log into the database file and empties the
    /// log, so that the file alone holds the database (before it is set aside). Refused
    /// while another connection holds the log.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        let Store::Sqlite(db) = self else {
            return Ok(());
        };
        let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(db.pool())
            .await?;
        if row.try_get::<i64, _>(0)? != 0 {
            return Err(StoreError::Corrupt(
                "the write-ahead log is in use by another connection".into(),
            ));
        }
        Ok(())
    }
}

/// Empties the PostgreSQL schema a dump is loaded into (the dump creates every object again).
pub const POSTGRES_EMPTY_SCHEMA: &str = "SET client_min_messages = warning; \
     DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;";

/// What [`postgres_rows_check`] raises with, to tell a backup that does not hold its
/// manifest's rows from a load that failed.
pub const POSTGRES_ROWS_DIFFER: &str = "where the backup lists";

/// A PostgreSQL statement that raises (and so rolls back the load it ends) unless the schema
/// holds exactly `tables`, each with its number of rows. The names come from an archive's
/// manifest, so they are quoted as identifiers and as literals, never spliced in raw.
pub fn postgres_rows_check(tables: &BTreeMap<String, i64>) -> String {
    let mut sql = String::from("DO $rehber_check$\nDECLARE found BIGINT;\nBEGIN\n");
    for (table, rows) in tables {
        sql.push_str(&format!(
            "SELECT COUNT(*) INTO found FROM public.{};\n\
             IF found <> {rows} THEN RAISE EXCEPTION 'table % holds % rows where the backup \
             lists {rows}', {}, found; END IF;\n",
            quoted(table),
            literal(table)
        ));
    }
    sql.push_str(&format!(
        "SELECT COUNT(*) INTO found FROM pg_catalog.pg_tables WHERE schemaname = 'public';\n\
         IF found <> {} THEN RAISE EXCEPTION 'the schema holds % tables where the backup lists \
         {}', found; END IF;\nEND\n$rehber_check$;",
        tables.len(),
        tables.len()
    ));
    sql
}

/// A string as an SQL literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The tables of the PostgreSQL schema in use, by name.
const POSTGRES_TABLES: &str = "SELECT tablename::text FROM pg_tables \
     WHERE schemaname = current_schema() ORDER BY tablename";

/// The rows in each PostgreSQL table, read on one connection (so inside its transaction).
async fn postgres_row_counts(
    connection: &mut PgConnection,
) -> Result<BTreeMap<String, i64>, StoreError> {
    let tables: Vec<String> = sqlx::query_scalar(POSTGRES_TABLES)
        .fetch_all(&mut *connection)
        .await?;
    let mut counts = BTreeMap::new();
    for table in tables {
        let sql = format!("SELECT COUNT(*) FROM {}", quoted(&table));
        let rows: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_one(&mut *connection)
            .await?;
        counts.insert(table, rows);
    }
    Ok(counts)
}

/// A catalog name as an SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn digest(rows: &[String]) -> TableDigest {
    let mut hasher = Sha256::new();
    for row in rows {
        hasher.update(row.as_bytes());
        hasher.update([0u8]);
    }
    TableDigest {
        rows: rows.len() as i64,
        sha256: crate::listing::hex(&hasher.finalize()),
    }
}
