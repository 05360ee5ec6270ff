//! Imports as stored: the import itself (its file's key, header, mapping, counts and
//! report), the steps it moves through by compare-and-set (so a second commit of the same
//! import finds it taken), the commit that writes every row or none, and the undo.
//!
//! A commit re-checks inside its transaction that no live record took one of the rows' keys
//! since the check (an e-mail, a phone, a national ID or tax number); on SQLite the write
//! lock makes that check final, on PostgreSQL a record added in the same instant still
//! fails the insert on its unique tax number or is caught by the next review of duplicates.

mod commit;

pub use commit::{CommitConflict, ImportUpdate, UndoOutcome, UndoRestore, UpdatedRecord};

use crate::codec::{from_json, timestamp, to_json};
use crate::kind::StoredKind;
use crate::sql::Row;
use crate::{Scoped, Store, StoreError, now_micros};
use rehber_domain::UserId;
use rehber_domain::import::{ImportCounts, ImportKind, ImportStatus, OnMatch, ReportRow};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SimpleExpr};
use std::collections::HashMap;

pub(super) const TABLE: &str = "imports";

/// Keys looked up per statement.
pub(super) const KEYS_PER_QUERY: usize = 500;

pub(super) fn col(name: &str) -> SimpleExpr {
    Expr::col((Alias::new(TABLE), Alias::new(name)))
}

/// An import to keep, once its file is stored and read.
#[derive(Debug, Clone)]
pub struct NewImport<'a> {
    pub kind: ImportKind,
    pub file_name: &'a str,
    pub file_key: &'a str,
    pub file_size: u64,
    pub encoding: Option<&'a str>,
    pub delimiter: Option<char>,
    pub sheet: Option<&'a str>,
    pub header: &'a [String],
    /// Each column's field code (`None`: left out).
    pub mapping: &'a [Option<String>],
    pub on_match: OnMatch,
    pub created_by: UserId,
}

/// A stored import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImport {
    pub id: i64,
    pub kind: ImportKind,
    pub status: ImportStatus,
    pub file_name: String,
    pub file_key: String,
    pub file_size: u64,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub sheet: Option<String>,
    pub header: Vec<String>,
    pub mapping: Vec<Option<String>>,
    /// What a row matching a kept record does.
    pub on_match: OnMatch,
    pub counts: ImportCounts,
    pub rows_created: u64,
    /// Records the commit updated.
    pub rows_updated: u64,
    pub progress: u8,
    pub report: Vec<ReportRow>,
    pub failure: Option<String>,
    pub created_by: UserId,
    pub created_at: jiff::Timestamp,
    pub checked_at: Option<jiff::Timestamp>,
    pub committed_at: Option<jiff::Timestamp>,
    pub undone_at: Option<jiff::Timestamp>,
}

const COLUMNS: [&str; 29] = [
    "id",
    "kind",
    "status",
    "file_name",
    "file_key",
    "file_size",
    "encoding",
    "delimiter",
    "sheet",
    "header",
    "mapping",
    "on_match",
    "rows_total",
    "rows_ok",
    "rows_warning",
    "rows_error",
    "rows_created",
    "rows_update",
    "rows_unchanged",
    "rows_skipped",
    "rows_updated",
    "progress",
    "report",
    "failure",
    "created_by",
    "created_at",
    "checked_at",
    "committed_at",
    "undone_at",
];

fn optional_time(value: Option<i64>) -> Result<Option<jiff::Timestamp>, StoreError> {
    value.map(timestamp).transpose()
}

fn count(row: &Row, column: &str) -> Result<u64, StoreError> {
    Ok(u64::try_from(row.get::<i64>(column)?).unwrap_or(0))
}

fn read(row: &Row) -> Result<StoredImport, StoreError> {
    let kind: String = row.get("kind")?;
    let status: String = row.get("status")?;
    let on_match: String = row.get("on_match")?;
    Ok(StoredImport {
        id: row.get("id")?,
        kind: ImportKind::parse(&kind).ok_or(StoreError::Corrupt(kind))?,
        status: ImportStatus::parse(&status).ok_or(StoreError::Corrupt(status))?,
        file_name: row.get("file_name")?,
        file_key: row.get("file_key")?,
        file_size: count(row, "file_size")?,
        encoding: row.get("encoding")?,
        delimiter: row.get("delimiter")?,
        sheet: row.get("sheet")?,
        header: from_json(&row.get::<String>("header")?)?,
        mapping: from_json(&row.get::<String>("mapping")?)?,
        on_match: OnMatch::parse(&on_match).ok_or(StoreError::Corrupt(on_match))?,
        counts: ImportCounts {
            total: count(row, "rows_total")?,
            ok: count(row, "rows_ok")?,
            warnings: count(row, "rows_warning")?,
            errors: count(row, "rows_error")?,
            updates: count(row, "rows_update")?,
            unchanged: count(row, "rows_unchanged")?,
            skipped: count(row, "rows_skipped")?,
        },
        rows_created: count(row, "rows_created")?,
        rows_updated: count(row, "rows_updated")?,
        progress: u8::try_from(row.get::<i64>("progress")?).unwrap_or(0),
        report: from_json(&row.get::<String>("report")?)?,
        failure: row.get("failure")?,
        created_by: UserId(row.get("created_by")?),
        created_at: timestamp(row.get("created_at")?)?,
        checked_at: optional_time(row.get("checked_at")?)?,
        committed_at: optional_time(row.get("committed_at")?)?,
        undone_at: optional_time(row.get("undone_at")?)?,
    })
}

fn select() -> sea_query::SelectStatement {
    let mut select = Query::select();
    select
        .columns(COLUMNS.map(|c| (Alias::new(TABLE), Alias::new(c))))
        .from(Alias::new(TABLE));
    select
}

/// The statement finding which of `keys` live records of `record_type` hold.
pub(super) fn keys_query(record_type: &'static str, keys: &[String]) -> sea_query::SelectStatement {
    let table = if record_type == "person" {
        "people"
    } else {
        "companies"
    };
    let key = |c: &str| Expr::col((Alias::new("contact_keys"), Alias::new(c)));
    let mut select = Query::select();
    select
        .column((Alias::new("contact_keys"), Alias::new("key")))
        .column((Alias::new("contact_keys"), Alias::new("record_id")))
        .from(Alias::new("contact_keys"))
        .inner_join(
            Alias::new(table),
            Expr::col((Alias::new(table), Alias::new("id")))
                .equals((Alias::new("contact_keys"), Alias::new("record_id"))),
        )
        .and_where(key("record_type").eq(record_type))
        .and_where(key("key").is_in(keys.iter().cloned()))
        .and_where(Expr::col((Alias::new(table), Alias::new("deleted_at"))).is_null());
    select
}

pub(super) fn gather_keys(
    rows: Vec<Row>,
    found: &mut HashMap<String, i64>,
) -> Result<(), StoreError> {
    for row in rows {
        found
            .entry(row.get::<String>("key")?)
            .or_insert(row.get::<i64>("record_id")?);
    }
    Ok(())
}

impl Store {
    /// The live records of the kind holding any of `keys` (`e:ayse@ornek.com`), whether or
    /// not they are in view: key → record id. The import's check against the database, which
    /// must refuse a row repeating a record its importer cannot see (without naming it).
    pub async fn taken_keys(
        &self,
        record_type: &'static str,
        keys: &[String],
    ) -> Result<HashMap<String, i64>, StoreError> {
        let mut found = HashMap::new();
        for chunk in keys.chunks(KEYS_PER_QUERY) {
            let rows = self.fetch_rows(&keys_query(record_type, chunk)).await?;
            gather_keys(rows, &mut found)?;
        }
        Ok(found)
    }

    /// Keeps a new import (`uploaded`); its id.
    pub async fn insert_import(&self, new: &NewImport<'_>) -> Result<i64, StoreError> {
        let now = now_micros();
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(TABLE))
            .columns(
                [
                    "kind",
                    "status",
                    "file_name",
                    "file_key",
                    "file_size",
                    "encoding",
                    "delimiter",
                    "sheet",
                    "header",
                    "mapping",
                    "on_match",
                    "created_by",
                    "created_at",
                ]
                .map(Alias::new),
            )
            .values_panic([
                new.kind.as_str().into(),
                ImportStatus::Uploaded.as_str().into(),
                new.file_name.into(),
                new.file_key.into(),
                i64::try_from(new.file_size).unwrap_or(i64::MAX).into(),
                new.encoding.map(str::to_string).into(),
                new.delimiter.map(|d| d.to_string()).into(),
                new.sheet.map(str::to_string).into(),
                to_json(&new.header).into(),
                to_json(&new.mapping).into(),
                new.on_match.as_str().into(),
                new.created_by.0.into(),
                now.into(),
            ])
            .returning_col(Alias::new("id"));
        self.write(async |conn| conn.fetch_i64(&insert).await).await
    }

    /// One import, whoever made it (the services check who may read it).
    pub async fn import(&self, id: i64) -> Result<StoredImport, StoreError> {
        let mut query = select();
        query.and_where(col("id").eq(id));
        let rows = self.fetch_rows(&query).await?;
        rows.first().map(read).ok_or(StoreError::NotFound)?
    }

    /// The latest imports, newest first: `created_by`'s, or everyone's.
    pub async fn imports(
        &self,
        created_by: Option<UserId>,
        limit: u64,
    ) -> Result<Vec<StoredImport>, StoreError> {
        let mut query = select();
        if let Some(user) = created_by {
            query.and_where(col("created_by").eq(user.0));
        }
        query
            .order_by((Alias::new(TABLE), Alias::new("id")), Order::Desc)
            .limit(limit);
        self.fetch_rows(&query).await?.iter().map(read).collect()
    }

    /// Moves an import from one of `from` to `to`; `false` when it was in none of them (a
    /// second commit finds the first one's step).
    pub async fn move_import(
        &self,
        id: i64,
        from: &[ImportStatus],
        to: ImportStatus,
    ) -> Result<bool, StoreError> {
        let mut update = Query::update();
        update
            .table(Alias::new(TABLE))
            .value(Alias::new("status"), to.as_str())
            .value(Alias::new("step_at"), now_micros())
            .and_where(col("id").eq(id))
            .and_where(col("status").is_in(from.iter().map(|s| s.as_str())));
        if to == ImportStatus::Checking {
            update.value(Alias::new("failure"), Option::<String>::None);
        }
        match to {
            ImportStatus::Checking | ImportStatus::Committing => {
                update.value(Alias::new("progress"), 0);
            }
            // A commit that found the rows wrong hands the checked import back.
            ImportStatus::Checked => {
                update.value(Alias::new("progress"), 100);
            }
            _ => {}
        }
        Ok(self.write(async |conn| conn.execute(&update).await).await? > 0)
    }

    /// How far a long step has come, in percent.
    pub async fn import_progress(&self, id: i64, progress: u8) -> Result<(), StoreError> {
        let mut update = Query::update();
        update
            .table(Alias::new(TABLE))
            .value(Alias::new("progress"), i64::from(Ord::min(progress, 100)))
            .value(Alias::new("step_at"), now_micros())
            .and_where(col("id").eq(id));
        self.write(async |conn| conn.execute(&update).await).await?;
        Ok(())
    }

    /// A new mapping (and what matching rows do) for an import not committed: it goes back
    /// to `uploaded`, to be checked again.
    pub async fn remap_import(
        &self,
        id: i64,
        mapping: &[Option<String>],
        on_match: OnMatch,
    ) -> Result<bool, StoreError> {
        let mut update = Query::update();
        update
            .table(Alias::new(TABLE))
            .value(Alias::new("mapping"), to_json(&mapping))
            .value(Alias::new("on_match"), on_match.as_str())
            .value(Alias::new("status"), ImportStatus::Uploaded.as_str())
            .value(Alias::new("report"), "[]")
            .value(Alias::new("progress"), 0)
            .and_where(col("id").eq(id))
            .and_where(
                col("status").is_in(
                    [
                        ImportStatus::Uploaded,
                        ImportStatus::Checked,
                        ImportStatus::Failed,
                    ]
                    .map(|s| s.as_str()),
                ),
            );
        Ok(self.write(async |conn| conn.execute(&update).await).await? > 0)
    }

    /// The outcome of a check: the counts and the rows with something to say; `checked`.
    pub async fn finish_import_check(
        &self,
        id: i64,
        counts: ImportCounts,
        report: &[ReportRow],
    ) -> Result<(), StoreError> {
        let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let mut update = Query::update();
        update
            .table(Alias::new(TABLE))
            .value(Alias::new("status"), ImportStatus::Checked.as_str())
            .value(Alias::new("rows_total"), as_i64(counts.total))
            .value(Alias::new("rows_ok"), as_i64(counts.ok))
            .value(Alias::new("rows_warning"), as_i64(counts.warnings))
            .value(Alias::new("rows_error"), as_i64(counts.errors))
            .value(Alias::new("rows_update"), as_i64(counts.updates))
            .value(Alias::new("rows_unchanged"), as_i64(counts.unchanged))
            .value(Alias::new("rows_skipped"), as_i64(counts.skipped))
            .value(Alias::new("report"), to_json(&report))
            .value(Alias::new("progress"), 100)
            .value(Alias::new("checked_at"), now_micros())
            .and_where(col("id").eq(id))
            .and_where(col("status").eq(ImportStatus::Checking.as_str()));
        self.write(async |conn| conn.execute(&update).await).await?;
        Ok(())
    }

    /// Ends a step that could not finish (`failed`, with why).
    pub async fn fail_import(&self, id: i64, failure: &str) -> Result<(), StoreError> {
        let mut update = Query::update();
        update
            .table(Alias::new(TABLE))
            .value(Alias::new("status"), ImportStatus::Failed.as_str())
            .value(Alias::new("failure"), failure)
            .value(Alias::new("step_at"), now_micros())
            .and_where(col("id").eq(id));
        self.write(async |conn| conn.execute(&update).await).await?;
        Ok(())
    }

    /// Marks `failed` the checks and commits whose step has not moved since `before` (UTC
    /// microseconds): a process stopped during them. A commit's transaction rolled back with
    /// it, so nothing of it was written. How many imports were marked.
    pub async fn fail_stalled_imports(&self, before: i64) -> Result<u64, StoreError> {
        let mut update = Query::update();
        update
            .table(Alias::new(TABLE))
            .value(Alias::new("status"), ImportStatus::Failed.as_str())
            .value(Alias::new("failure"), "interrupted")
            .and_where(
                col("status")
                    .is_in([ImportStatus::Checking, ImportStatus::Committing].map(|s| s.as_str())),
            )
            .and_where(col("step_at").lt(before));
        self.write(async |conn| conn.execute(&update).await).await
    }
}

impl Scoped<'_> {
    /// The live records of kind `K` in view whose name is one of `names` (compared as the
    /// list sorts them: case and Turkish letters folded), by that folded name.
    pub async fn ids_by_name<K: StoredKind>(
        &self,
        names: &[String],
    ) -> Result<HashMap<String, Vec<i64>>, StoreError> {
        self.store()
            .ids_by_sort_key(&K::TABLE, self.visibility::<K>(), names)
            .await
    }
}
