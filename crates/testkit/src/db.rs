//! One fresh, migrated database per test: a temporary SQLite file, or a new PostgreSQL
//! database `rehber_t_<random>` created on the test server and dropped by `cleanup`.

use rehber_store::{Backend, Store};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// The environment variable naming the PostgreSQL server tests create databases on.
pub const POSTGRES_URL_VARIABLE: &str = "REHBER_TEST_POSTGRES_URL";
/// Used when the variable is not set: the local server with trust authentication.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The SQLite test database's file in its temporary directory.
const SQLITE_FILE: &str = "rehber.sqlite3";

/// Connections per test database: enough for a test that runs a few calls at once.
const POOL_SIZE: u32 = 4;

/// A database for one test. `store` is migrated and empty.
#[derive(Debug)]
pub struct TestDb {
    pub store: Store,
    /// `None` once cleaned up.
    place: Option<Place>,
}

#[derive(Debug)]
enum Place {
    /// The directory holding the database file; removed when dropped.
    Sqlite(tempfile::TempDir),
    Postgres {
        server_url: String,
        name: String,
    },
}

impl TestDb {
    /// A fresh database on `backend`. Panics with the reason when it cannot be made (for
    /// PostgreSQL: the server is not reachable), so the test fails instead of skipping.
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => TestDb::sqlite().await,
            Backend::Postgres => TestDb::postgres().await,
        }
    }

    /// A migrated SQLite database in a new temporary directory.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::Builder::new()
            .prefix("rehber-test-")
            .tempdir()
            .expect("a temporary directory for the SQLite test database");
        let path = dir.path().join(SQLITE_FILE);
        let store = Store::connect(&path.to_string_lossy(), POOL_SIZE)
            .await
            .unwrap_or_else(|e| panic!("cannot open SQLite test database {path:?}: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("SQLite migrations failed: {e}"));
        TestDb {
            store,
            place: Some(Place::Sqlite(dir)),
        }
    }

    /// A migrated PostgreSQL database `rehber_t_<random>` on the server named by
    /// `REHBER_TEST_POSTGRES_URL`.
    pub async fn postgres() -> TestDb {
        let server_url = TestDb::postgres_server_url();
        let name = unique_database_name();
        let mut admin = admin_connection(&server_url).await;
        // The name is made of [a-z0-9_] only (see `unique_database_name`).
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create PostgreSQL test database {name}: {e}"));
        // A test database need not survive a crash: commits that do not wait for the disk
        // make the suite several times faster on a busy machine.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE {name} SET synchronous_commit TO off"
        )))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("cannot configure PostgreSQL test database {name}: {e}"));
        // Closing can only fail on a broken connection, which the test does not need.
        let _ = admin.close().await;
        let url = with_database(&server_url, &name);
        let store = Store::connect(&url, POOL_SIZE)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to PostgreSQL test database {name}: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL migrations failed: {e}"));
        TestDb {
            store,
            place: Some(Place::Postgres { server_url, name }),
        }
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Runs SQL statements as they are (a test-only record kind creating its table).
    pub async fn execute(&self, sql: &str) {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        let done = match &self.store {
            Store::Sqlite(db) => sqlx::raw_sql(sql).execute(db.pool()).await.map(|_| ()),
            Store::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
        };
        done.unwrap_or_else(|e| panic!("test SQL failed: {e}"));
    }

    /// Runs one SQL statement as it is and says how it went: what the database itself
    /// refuses (an append-only table's triggers) comes back as its message.
    pub async fn try_execute(&self, sql: &str) -> Result<u64, String> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        let done = match &self.store {
            Store::Sqlite(db) => sqlx::query(sql)
                .execute(db.pool())
                .await
                .map(|r| r.rows_affected()),
            Store::Postgres(pool) => sqlx::query(sql)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
        };
        done.map_err(|e| e.to_string())
    }

    /// The first column of the one row `sql` returns, as an integer (a check on what the
    /// database keeps; cast sums to `BIGINT`, which PostgreSQL would make `NUMERIC`).
    pub async fn scalar(&self, sql: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        let value = match &self.store {
            Store::Sqlite(db) => sqlx::query_scalar(sql).fetch_one(db.pool()).await,
            Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        };
        value.unwrap_or_else(|e| panic!("test SQL failed: {e}"))
    }

    /// Every text cell of every table that holds `needle`, ignoring the case of ASCII
    /// letters: `(table, column, value)`. Tables and columns are read from the catalog (a
    /// scan after an erasure must not miss a table added later); SQLite's full-text index
    /// shadows are left out (they hold tokens, not text).
    pub async fn text_cells_containing(&self, needle: &str) -> Vec<(String, String, String)> {
        let catalog = match &self.store {
            Store::Sqlite(_) => {
                "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.sql NOT LIKE 'CREATE VIRTUAL%' \
                 AND m.name NOT LIKE '%fts%' AND (upper(c.type) LIKE '%TEXT%' OR upper(c.type) LIKE '%CHAR%')"
            }
            Store::Postgres(_) => {
                "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c \
                 JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                 WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
                 AND c.data_type IN ('text', 'character varying')"
            }
        };
        let columns: Vec<(String, String)> = match &self.store {
            Store::Sqlite(db) => sqlx::query_as(catalog).fetch_all(db.pool()).await,
            Store::Postgres(pool) => sqlx::query_as(catalog).fetch_all(pool).await,
        }
        .unwrap_or_else(|e| panic!("catalog: {e}"));
        let like = format!(
            "%{}%",
            needle
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let mut found = Vec::new();
        for (table, column) in columns {
            let op = if self.backend() == Backend::Postgres {
                "ILIKE"
            } else {
                "LIKE"
            };
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT \"{column}\" FROM \"{table}\" WHERE \"{column}\" {op} $1 ESCAPE '\\'"
            ));
            let values: Vec<String> = match &self.store {
                Store::Sqlite(db) => {
                    sqlx::query_scalar(sql)
                        .bind(&like)
                        .fetch_all(db.pool())
                        .await
                }
                Store::Postgres(pool) => sqlx::query_scalar(sql).bind(&like).fetch_all(pool).await,
            }
            .unwrap_or_else(|e| panic!("scan of {table}.{column}: {e}"));
            found.extend(
                values
                    .into_iter()
                    .map(|v| (table.clone(), column.clone(), v)),
            );
        }
        found
    }

    /// The URL this database is reached at (the SQLite file's path, or the PostgreSQL URL),
    /// for what connects on its own: the backup tools, a second store.
    pub fn url(&self) -> String {
        match &self.place {
            Some(Place::Sqlite(dir)) => dir.path().join(SQLITE_FILE).to_string_lossy().into_owned(),
            Some(Place::Postgres { server_url, name }) => with_database(server_url, name),
            None => String::new(),
        }
    }

    /// The PostgreSQL database's name (`rehber_t_…`); `None` on SQLite.
    pub fn postgres_database(&self) -> Option<&str> {
        match &self.place {
            Some(Place::Postgres { name, .. }) => Some(name),
            _ => None,
        }
    }

    /// The server URL tests create their PostgreSQL databases on.
    pub fn postgres_server_url() -> String {
        std::env::var(POSTGRES_URL_VARIABLE)
            .ok()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_POSTGRES_URL.to_string())
    }

    /// Closes the pool and removes the database (the SQLite directory, or the PostgreSQL
    /// database). Called by `both_backends!` after the body; a test that panics before it
    /// gets the same done by `Drop`.
    pub async fn cleanup(mut self) {
        self.store.close().await;
        match self.place.take() {
            None => {}
            Some(Place::Sqlite(dir)) => {
                // A file the OS still holds open is removed with the rest later.
                let _ = dir.close();
            }
            Some(Place::Postgres { server_url, name }) => drop_database(&server_url, &name).await,
        }
    }
}

impl Drop for TestDb {
    /// A test that panicked did not reach `cleanup`: drop its PostgreSQL database anyway, on a
    /// thread of its own (the test's runtime cannot be blocked on from here). The SQLite
    /// directory removes itself.
    fn drop(&mut self) {
        let Some(Place::Postgres { server_url, name }) = self.place.take() else {
            return;
        };
        let dropper = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                runtime.block_on(async {
                    // Best effort: a failure here must not turn one failed test into an abort.
                    if let Ok(mut admin) = PgConnection::connect(&server_url).await {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .execute(&mut admin)
                        .await;
                        let _ = admin.close().await;
                    }
                });
            }
        });
        let _ = dropper.join();
    }
}

/// Drops a test database, ending the connections still open to it.
async fn drop_database(server_url: &str, name: &str) {
    let mut admin = admin_connection(server_url).await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .unwrap_or_else(|e| panic!("cannot drop PostgreSQL test database {name}: {e}"));
    let _ = admin.close().await;
}

/// A connection to the server's maintenance database, or a panic that says what to do.
async fn admin_connection(server_url: &str) -> PgConnection {
    PgConnection::connect(server_url).await.unwrap_or_else(|e| {
        let server_url = redacted(server_url);
        panic!(
            "PostgreSQL is not reachable at {server_url} ({e}). The store and service tests run \
             on SQLite and PostgreSQL; start the server (for example `pg_ctlcluster \
             --skip-systemctl-redirect 15 main start`) or set {POSTGRES_URL_VARIABLE} to a \
             server where this user may CREATE DATABASE."
        )
    })
}

/// The URL with its password (if any) replaced by `***`, for messages.
fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or_default();
            let hidden = if user_info.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_string(),
    }
}

/// `rehber_t_` and 16 random hex digits: unique across parallel tests and processes.
fn unique_database_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // RandomState is seeded from the OS once per process; mixing in the process id, the
    // clock and a counter makes every name in every process different.
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    format!("rehber_t_{:016x}", hasher.finish())
}

/// The server URL with its database replaced by `name` (query parameters kept).
fn with_database(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let authority = rest.split('/').next().unwrap_or(rest);
    match query {
        Some(query) => format!("{scheme}://{authority}/{name}?{query}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_is_replaced_in_the_server_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "rehber_t_1"),
            "postgres://postgres@127.0.0.1:5432/rehber_t_1"
        );
        assert_eq!(
            with_database("postgresql://u:p@db/x?sslmode=disable", "n"),
            "postgresql://u:p@db/n?sslmode=disable"
        );
        assert_eq!(with_database("postgres://db", "n"), "postgres://db/n");
    }

    #[test]
    fn passwords_are_hidden_in_messages() {
        assert_eq!(
            redacted("postgres://rehber:s3cret@db:5432/test?sslmode=disable"),
            "postgres://rehber:***@db:5432/test?sslmode=disable"
        );
        assert_eq!(
            redacted("postgres://postgres@127.0.0.1:5432/test"),
            "postgres://postgres@127.0.0.1:5432/test"
        );
        assert_eq!(redacted("postgres://db/test"), "postgres://db/test");
    }

    #[test]
    fn database_names_are_unique_and_safe() {
        let a = unique_database_name();
        let b = unique_database_name();
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        );
    }
}
