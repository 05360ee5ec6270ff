//! Rehber's storage layer: one [`Store`] over SQLite or PostgreSQL.
//!
//! The store owns every SQL statement, both migration sets and the single scope filter
//! ([`scope`]) every read for a user goes through. Queries are written once in the common
//! dialect with `$n` placeholders; dynamic list queries are built with sea-query. A dialect
//! branch exists only for a real gap (full-text search), each with a comment.
//!
//! It must not hold business rules: services decide what to write, the store writes it.

mod account_tokens;
mod activities;
mod aging;
mod attachments;
mod audit;
mod bulk;
mod bulk_replace;
mod calendar;
mod codec;
mod comments;
mod companies;
mod consents;
mod contact_keys;
mod custom_fields;
mod data_requests;
mod deals;
mod documents;
mod erasure;
mod error;
mod events;
mod forecast;
mod imports;
mod invoices;
mod iys;
mod jobs;
mod kind;
mod ledger;
mod links;
mod list_exports;
mod listing;
mod lost_reasons;
mod merge;
mod notifications;
mod orders;
mod party;
mod people;
mod pipelines;
mod price_lists;
mod products;
mod quotes;
mod rates;
mod receivables;
mod scope;
mod scoped;
mod scoring;
mod sessions;
mod snapshot;
mod sql;
mod targets;
mod tasks;
mod tokens;
pub use listing::PageRequest;
mod users;
mod views;
mod writer;

pub use activities::{
    ActivityFilter, MAX_ACTIVITY_PAGE, encode_activity_cursor, parse_activity_cursor,
};
pub use aging::AgingRow;
pub use attachments::{MAX_ATTACHMENTS, NewAttachment};
pub use audit::{AuditChange, AuditEntry, AuditEvent, AuditFilter};
pub use bulk::{BulkCompany, BulkPerson, BulkRow};
pub use comments::{MAX_COMMENT_PAGE, NewComment};
pub use consents::{MAX_CONSENT_HISTORY, NewConsent};
pub use contact_keys::SharedKeys;
pub use custom_fields::CustomFieldRefusal;
pub use data_requests::{DATA_REQUEST_DAYS, DataRequest, DataRequestChange};
pub use deals::{MAX_BOARD_CARDS, StageSum};
pub use erasure::{
    Erasure, ErasureBlocker, ErasureFindings, ErasureLogEntry, Redaction, RetainedDocument,
    hashed_address, person_contact_keys,
};
pub use error::StoreError;
pub use events::Relayed;
pub use forecast::ForecastSum;
pub use imports::{
    CommitConflict, ImportUpdate, NewImport, StoredImport, UndoOutcome, UndoRestore, UpdatedRecord,
};
pub use invoices::{InvoiceContent, InvoiceFilter, MAX_INVOICE_PAGE};
pub use iys::{MAX_IYS_PENDING, PendingIys};
pub use jobs::{JobRow, NewJob};
pub use kind::{Copied, FoldedName, StoredKind};
pub use ledger::{AllocationPlan, MAX_STATEMENT_ENTRIES, PaymentContent};
pub use list_exports::{ListExport, ListExportChange, NewListExport};
pub use listing::{
    CustomSort, ListTable, Page, PartyFilter, PartySort, SortDirection, cursor_is_valid,
};
pub use merge::Survivor;
pub use notifications::MAX_NOTIFICATION_PAGE;
pub use orders::{LineQuantities, NewShipment};
pub use products::{MAX_PRODUCT_PAGE, ProductFilter};
pub use quotes::{MAX_QUOTE_PAGE, QuoteContent, QuoteFilter, QuoteNumbering};
pub use rates::ExchangeRate;
pub use receivables::LIST_CURRENCY;
pub use scoped::Scoped;
pub use scoring::Engagement;
/// The value type of [`StoredKind::values`], for kinds declared outside this crate.
pub use sea_query::Value;
pub use sessions::{SessionRow, SessionUser};
pub use snapshot::{
    DatabaseLock, POSTGRES_EMPTY_SCHEMA, POSTGRES_ROWS_DIFFER, PostgresSnapshot, TableDigest,
    postgres_rows_check,
};
pub use sql::{Decodable, Row};
pub use targets::OVERLAP as TARGET_OVERLAP;
pub use tasks::{
    MAX_TASK_PAGE, NO_DUE, TaskFilter, TaskWrite, encode_task_cursor, parse_task_cursor,
};
pub use tokens::ApiTokenRow;
pub use users::{NewUser, Team, User};
pub use views::{NewView, SavedView};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// The longest search key a record stores, in bytes (keys are ASCII). The list indexes
/// carry a record's sort key and search text, and PostgreSQL refuses an index entry over
/// 2,704 bytes; with the domain's field limits (names of at most 100 + 100 characters, a
/// company name of at most 200) the sort key takes at most 401 bytes and the company key
/// 400, so 1,500 bytes of search key keep every entry under 2,400. Longer keys (a record
/// with many long e-mail addresses) are cut at a word boundary: the words past the cut are
/// not searchable, by either search path, on either backend.
pub const SEARCH_KEY_BYTES: usize = 1_500;

/// The database behind Rehber. Cloning is cheap (pools are shared handles).
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(Sqlite),
    Postgres(PgPool),
}

/// An SQLite database: its pool, and its writers' turn and batch (see [`writer`]).
#[derive(Clone, Debug)]
pub struct Sqlite {
    pool: SqlitePool,
    writer: Arc<writer::Writer>,
}

impl Sqlite {
    fn new(pool: SqlitePool) -> Sqlite {
        Sqlite {
            pool,
            writer: Arc::new(writer::Writer::new()),
        }
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub(crate) fn writer(&self) -> &writer::Writer {
        &self.writer
    }
}

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs one expression against whichever pool the store holds. The body is compiled once per
/// backend, so a query written in the common dialect serves both.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite(db) => {
                let $pool = db.pool();
                $body
            }
            $crate::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// [`on_pool`] for a statement that writes: on SQLite it runs in the process's write turn,
/// on its own (see [`writer`]).
macro_rules! on_writer {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite(db) => {
                let _turn = db.writer().alone().await;
                let $pool = db.pool();
                $body
            }
            $crate::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_writer;

/// Same as [`on_pool`] for a transaction: `$conn` is the transaction's connection. On SQLite
/// the body is one write of the process's current batch (see [`writer`]); it counts once the
/// batch is committed, and an early return rolls it back alone.
macro_rules! in_tx {
    ($store:expr, $conn:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite(db) => {
                let mut member = db.writer().join(db.pool()).await?;
                let $conn = member.conn().await?;
                let out = $body;
                member.finish().await?;
                out
            }
            $crate::Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let $conn = &mut *tx;
                let out = $body;
                tx.commit().await?;
                out
            }
        }
    };
}
pub(crate) use in_tx;

impl Store {
    /// Connects to `database_url`: `postgres://…` / `postgresql://…` for PostgreSQL,
    /// `sqlite://path` (or a bare path) for SQLite. SQLite files are created on demand and
    /// run in WAL mode with foreign keys on.
    pub async fn connect(database_url: &str, max_connections: u32) -> Result<Store, StoreError> {
        if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(database_url)?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            return Ok(Store::Postgres(pool));
        }
        let url = if database_url.starts_with("sqlite:") {
            database_url.to_string()
        } else {
            format!("sqlite://{database_url}")
        };
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-65536")
            // Temporary data in files (SQLite's own default): a statement journal held in
            // memory is walked from its start each time a statement ends, so one large
            // transaction of many statements (an import updating 100,000 records) grew
            // quadratically; in a file it is not. Small sorts stay in the page cache.
            .pragma("temp_store", "file")
            // Reads map the file instead of copying pages through read(2): a list page
            // touches hundreds of pages, and the copies were a third of its time on a
            // large database. SQLite caps the map at its compile-time limit (2 GiB). The
            // mapped pages are the kernel's page cache, counted in the process's resident
            // size as file-backed pages; a bulk load without the map held more, not less
            // (2.7 GiB of heap at a million people against 0.5 GiB and 2.9 GiB mapped).
            .pragma("mmap_size", "2147483648");
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Store::Sqlite(Sqlite::new(pool)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the pending migrations of this backend.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(db) => migrator(Backend::Sqlite).run(db.pool()).await?,
            Store::Postgres(pool) => migrator(Backend::Postgres).run(pool).await?,
        }
        Ok(())
    }

    /// Checks the database answers (for health checks).
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Closes the pools (graceful shutdown), after committing SQLite's open batch of writes.
    pub async fn close(&self) {
        if let Store::Sqlite(db) = self {
            drop(db.writer().alone().await);
        }
        on_pool!(self, pool => pool.close().await)
    }
}

/// The migrations of a backend, embedded once.
pub(crate) fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    }
}

/// The current time in the storage representation (UTC microseconds).
pub fn now_micros() -> i64 {
    jiff::Timestamp::now().as_microsecond()
}
