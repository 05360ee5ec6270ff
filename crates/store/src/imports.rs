//! Imports as stored: the import itself (its file's key, header, mapping, counts and
//! report), the steps it moves through by compare-and-set (so a second commit of the same
//! import finds it taken), the commit that writes every row or none, and the undo.
//!
//! A commit re-checks inside its transaction that no live record took one of the rows' keys
//! since the check (an e-mail, a phone, a national ID or tax number); on SQLite the write
//! lock makes that check final, on PostgreSQL a record added in the same instant still
//! fails the insert on its unique tax number or is caught by the next review of duplicates.

use crate::audit::AuditEntry;
use crate::bulk::{BulkRow, insert_rows};
use crate::codec::{from_json, timestamp, to_json};
use crate::kind::StoredKind;
use crate::sql::{Conn, Row};
use crate::{Scoped, Store, StoreError, now_micros};
use rehber_domain::UserId;
use rehber_domain::import::{ImportCounts, ImportKind, ImportStatus, ReportRow};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SimpleExpr};
use std::collections::HashMap;

const TABLE: &str = "imports";

/// Keys looked up per statement.
const KEYS_PER_QUERY: usize = 500;

fn col(name: &str) -> SimpleExpr {
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
    pub counts: ImportCounts,
    pub rows_created: u64,
    pub progress: u8,
    pub report: Vec<ReportRow>,
    pub failure: Option<String>,
    pub created_by: UserId,
    pub created_at: jiff::Timestamp,
    pub checked_at: Option<jiff::Timestamp>,
    pub committed_at: Option<jiff::Timestamp>,
    pub undone_at: Option<jiff::Timestamp>,
}

/// A row of the commit that repeats a live record: its index among the rows given, and the
/// record it repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitConflict {
    pub row: usize,
    pub record_id: i64,
    pub key: String,
}

/// What an undo did: records moved to the trash, and records kept because they were
/// changed (or deleted) since the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UndoOutcome {
    pub trashed: u64,
    pub kept: u64,
}

const COLUMNS: [&str; 24] = [
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
    "rows_total",
    "rows_ok",
    "rows_warning",
    "rows_error",
    "rows_created",
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
        counts: ImportCounts {
            total: count(row, "rows_total")?,
            ok: count(row, "rows_ok")?,
            warnings: count(row, "rows_warning")?,
            errors: count(row, "rows_error")?,
        },
        rows_created: count(row, "rows_created")?,
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
fn keys_query(record_type: &'static str, keys: &[String]) -> sea_query::SelectStatement {
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

fn gather_keys(rows: Vec<Row>, found: &mut HashMap<String, i64>) -> Result<(), StoreError> {
    for row in rows {
        found
            .entry(row.get::<String>("key")?)
            .or_insert(row.get::<i64>("record_id")?);
    }
    Ok(())
}

/// The live records of `record_type` holding any of `keys`, in the caller's transaction:
/// key → record id.
async fn live_keys(
    conn: &mut Conn<'_>,
    record_type: &'static str,
    keys: &[String],
) -> Result<HashMap<String, i64>, StoreError> {
    let mut found = HashMap::new();
    for chunk in keys.chunks(KEYS_PER_QUERY) {
        let rows = conn.fetch_all(&keys_query(record_type, chunk)).await?;
        gather_keys(rows, &mut found)?;
    }
    Ok(found)
}

/// One audit entry per record of kind `K` that `which` selects, written by the database from
/// the rows themselves rather than sent one by one: `action` by `entry`'s actor, with the one
/// change `import: from → to`.
async fn audit_each<K: StoredKind>(
    conn: &mut Conn<'_>,
    entry: &AuditEntry,
    (action, from, to): (&'static str, &str, &str),
    which: SimpleExpr,
    at: i64,
) -> Result<(), StoreError> {
    let table = K::TABLE.table;
    let changes = to_json(&vec![crate::AuditChange {
        field: "import".into(),
        from: from.to_string(),
        to: to.to_string(),
    }]);
    let mut records = Query::select();
    records
        .expr(Expr::val(at))
        .expr(Expr::val(entry.actor.map(|u| u.0)))
        .expr(Expr::val(K::TYPE))
        .column((Alias::new(table), Alias::new("id")))
        .expr(Expr::val(action))
        .expr(Expr::val(changes))
        .from(Alias::new(table))
        .and_where(which)
        .order_by((Alias::new(table), Alias::new("id")), Order::Asc);
    conn.audit_from(records).await
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
            update
                .value(Alias::new("progress"), 0)
                .value(Alias::new("failure"), Option::<String>::None);
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

    /// A new mapping for an import not committed: it goes back to `uploaded`, to be checked
    /// again.
    pub async fn remap_import(
        &self,
        id: i64,
        mapping: &[Option<String>],
    ) -> Result<bool, StoreError> {
        let mut update = Query::update();
        update
            .table(Alias::new(TABLE))
            .value(Alias::new("mapping"), to_json(&mapping))
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

    /// Creates every row of a `committing` import, or none: in one transaction, the rows'
    /// `keys` (each with its row's index) are looked up among live records first, and a row
    /// that repeats one ends the commit with nothing written. Each record gets its
    /// "created" audit entry naming the import, the import its own, and the import becomes
    /// `committed`.
    pub async fn commit_import<K: StoredKind>(
        &self,
        id: i64,
        rows: &[BulkRow<K::Fields>],
        keys: &[(String, usize)],
        entry: &AuditEntry,
    ) -> Result<Result<Vec<K::Id>, CommitConflict>, StoreError> {
        let t = K::TABLE;
        self.write(async |conn| {
            let wanted: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
            let taken = live_keys(conn, K::TYPE, &wanted).await?;
            if let Some((key, row)) = keys.iter().find(|(k, _)| taken.contains_key(k)) {
                return Ok(Err(CommitConflict {
                    row: *row,
                    record_id: taken[key],
                    key: key.clone(),
                }));
            }
            let ids = insert_rows::<K>(conn, rows, Some(id)).await?;
            let now = now_micros();
            // One "created" entry per record, written by the database from the rows
            // themselves rather than sent row by row.
            let linked = Expr::col((Alias::new(t.table), Alias::new("import_id"))).eq(id);
            audit_each::<K>(conn, entry, ("created", "", &format!("#{id}")), linked, now).await?;
            let mut update = Query::update();
            update
                .table(Alias::new(TABLE))
                .value(Alias::new("status"), ImportStatus::Committed.as_str())
                .value(Alias::new("committed_at"), now)
                .value(Alias::new("rows_created"), ids.len() as i64)
                .value(Alias::new("progress"), 100)
                .and_where(col("id").eq(id))
                .and_where(col("status").eq(ImportStatus::Committing.as_str()));
            if conn.execute(&update).await? == 0 {
                return Err(StoreError::StaleVersion);
            }
            conn.audit(entry, now).await?;
            Ok(Ok(ids.into_iter().map(K::id).collect()))
        })
        .await
    }

    /// Moves the records a committed import created to the trash, except those changed or
    /// deleted since (their version moved on); each gets its "deleted" audit entry, and
    /// the import `entry` and the status `undone`. [`StoreError::StaleVersion`] when the
    /// import is no longer `committed`.
    pub async fn undo_import<K: StoredKind>(
        &self,
        id: i64,
        entry: &AuditEntry,
    ) -> Result<UndoOutcome, StoreError> {
        let t = K::TABLE;
        let tcol = |name: &str| Expr::col((Alias::new(t.table), Alias::new(name)));
        self.write(async |conn| {
            let now = now_micros();
            let mut update = Query::update();
            update
                .table(Alias::new(TABLE))
                .value(Alias::new("status"), ImportStatus::Undone.as_str())
                .value(Alias::new("undone_at"), now)
                .and_where(col("id").eq(id))
                .and_where(col("status").eq(ImportStatus::Committed.as_str()));
            if conn.execute(&update).await? == 0 {
                return Err(StoreError::StaleVersion);
            }
            let untouched = || {
                tcol("import_id")
                    .eq(id)
                    .and(tcol("version").eq(1))
                    .and(tcol("deleted_at").is_null())
            };
            audit_each::<K>(
                conn,
                entry,
                ("deleted", &format!("#{id}"), ""),
                untouched(),
                now,
            )
            .await?;
            let mut trash = Query::update();
            trash
                .table(Alias::new(t.table))
                .value(Alias::new("deleted_at"), now)
                .and_where(untouched());
            let trashed = conn.execute(&trash).await?;
            let mut all = Query::select();
            all.expr(Expr::cust("COUNT(*)"))
                .from(Alias::new(t.table))
                .and_where(tcol("import_id").eq(id));
            let created = u64::try_from(conn.fetch_i64(&all).await?).unwrap_or(0);
            conn.audit(entry, now).await?;
            Ok(UndoOutcome {
                trashed,
                kept: created.saturating_sub(trashed),
            })
        })
        .await
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
