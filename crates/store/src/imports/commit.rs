//! An import's commit (every row or none: the records it creates and the records it
//! updates, in one transaction) and its undo (the created records nobody touched since go
//! to the trash, the updated ones nobody changed since take back their content).

use super::{KEYS_PER_QUERY, TABLE, col, gather_keys, keys_query};
use crate::audit::{AuditChange, AuditEntry};
use crate::bulk::{BulkRow, insert_rows, rows_per_statement};
use crate::bulk_replace::{Replacement, replace_rows};
use crate::codec::to_json;
use crate::kind::StoredKind;
use crate::merge::{LEDGER_TABLES, LINK_TABLES, OWNER_COLUMNS};
use crate::sql::Conn;
use crate::{Store, StoreError, now_micros};
use rehber_domain::import::ImportStatus;
use rehber_domain::party::Ownership;
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SimpleExpr};
use std::collections::HashMap;

const UPDATES: &str = "import_updates";

/// A row of the commit that repeats a live record: its index among the rows given (the
/// created ones first, then the updates), and the record it repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitConflict {
    pub row: usize,
    pub record_id: i64,
    pub key: String,
}

/// A kept record a row of the import updates.
#[derive(Debug, Clone)]
pub struct ImportUpdate<F> {
    pub record_id: i64,
    /// The version the check read: a record changed since ends the commit.
    pub version: i64,
    pub fields: F,
    pub ownership: Ownership,
    /// The record's form before the import, as JSON: what an undo puts back.
    pub before: String,
    /// What changes, for the record's audit entry.
    pub changes: Vec<AuditChange>,
}

/// What a commit writes: the records to create, and the kept records to update.
pub type Writes<'a, F> = (&'a [BulkRow<F>], &'a [ImportUpdate<F>]);

/// A record an import updated, as kept for its undo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatedRecord {
    pub record_id: i64,
    /// The version the import left the record at.
    pub version_after: i64,
    pub before: String,
}

/// A record an undo puts back: its content from before the import, if it is still at the
/// version the import left.
#[derive(Debug, Clone)]
pub struct UndoRestore<F> {
    pub record_id: i64,
    pub version_after: i64,
    pub fields: F,
    pub ownership: Ownership,
    pub changes: Vec<AuditChange>,
}

/// What an undo did: records moved to the trash, records put back as they were, and
/// records kept because they were changed, deleted or linked to since the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UndoOutcome {
    pub trashed: u64,
    pub restored: u64,
    pub kept: u64,
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
    let changes = to_json(&vec![AuditChange {
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

/// Whether anything was linked to a record of kind `K` (a row of its table): an activity,
/// a task, a comment, a file, a price list, a deal, a quote, an order, the ledger, a consent
/// or, for a company, a person. An undo keeps such a record: trashing it would hide what
/// someone built on it.
fn linked<K: StoredKind>() -> SimpleExpr {
    let table = K::TABLE.table;
    let record = || (Alias::new(table), Alias::new("id"));
    let exists = |from: &str, column: &str, record_type: Option<&str>| {
        let mut select = Query::select();
        select
            .expr(Expr::val(1))
            .from(Alias::new(from))
            .and_where(Expr::col((Alias::new(from), Alias::new(column))).equals(record()));
        if let Some(record_type) = record_type {
            select.and_where(
                Expr::col((Alias::new(from), Alias::new("record_type"))).eq(record_type),
            );
        }
        Expr::exists(select)
    };
    let (column, more) = match K::TYPE {
        "person" => ("person_id", "consents"),
        _ => ("company_id", "people"),
    };
    LINK_TABLES
        .iter()
        .map(|(links, _)| exists(links, "record_id", Some(K::TYPE)))
        .chain(
            OWNER_COLUMNS
                .iter()
                .chain(LEDGER_TABLES.iter())
                .chain(std::iter::once(&more))
                .map(|owned| exists(owned, column, None)),
        )
        .reduce(|a, b| a.or(b))
        .unwrap_or_else(|| Expr::val(false))
}

/// The "updated" audit entry of a record an import (or its undo) wrote: its `changes`, then
/// the change of `import` from → to (`marker`) that names the import, by `entry`'s actor.
fn updated_entry<K: StoredKind>(
    entry: &AuditEntry,
    record_id: i64,
    changes: &[AuditChange],
    (from, to): &(String, String),
) -> AuditEntry {
    let mut changes = changes.to_vec();
    changes.push(AuditChange {
        field: "import".into(),
        from: from.clone(),
        to: to.clone(),
    });
    AuditEntry {
        actor: entry.actor,
        record_type: K::TYPE,
        record_id,
        action: "updated",
        changes,
    }
}

/// Keeps what an undo of import `id` needs of the records it updates: each one's content
/// from before, and the version the import leaves it at.
async fn keep_for_undo<K: StoredKind>(
    conn: &mut Conn<'_>,
    id: i64,
    updates: &[ImportUpdate<K::Fields>],
) -> Result<(), StoreError> {
    let columns = [
        "import_id",
        "record_type",
        "record_id",
        "version_after",
        "before",
    ];
    for chunk in updates.chunks(rows_per_statement(columns.len())) {
        let mut kept = Query::insert();
        kept.into_table(Alias::new(UPDATES))
            .columns(columns.map(Alias::new));
        for update in chunk {
            kept.values_panic([
                id.into(),
                K::TYPE.into(),
                update.record_id.into(),
                (update.version + 1).into(),
                update.before.clone().into(),
            ]);
        }
        conn.queue(&kept).await?;
    }
    Ok(())
}

impl Store {
    /// Writes every row of a `committing` import, or none: in one transaction, the rows'
    /// `keys` (each with its row's index, the created rows first, then the updates) are
    /// looked up among live records first, and a key a created row repeats, or an update's
    /// key held by another record, ends the commit with nothing written; so does a record
    /// to update changed since the check. Each record gets its audit entry naming the
    /// import ("created", or "updated" with its changes), the import its own, and the
    /// import becomes `committed`. The created records' ids.
    pub async fn commit_import<K: StoredKind>(
        &self,
        id: i64,
        (rows, updates): Writes<'_, K::Fields>,
        keys: &[(String, usize)],
        entry: &AuditEntry,
    ) -> Result<Result<Vec<K::Id>, CommitConflict>, StoreError> {
        let t = K::TABLE;
        let allowed = |row: usize| {
            row.checked_sub(rows.len())
                .and_then(|u| updates.get(u))
                .map(|u| u.record_id)
        };
        // A conflict found after something was written must undo it: the write ends with
        // an error (rolled back), and the conflict is answered from here.
        let mut conflict = None;
        let written = self
            .write(async |conn| {
                let wanted: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
                let taken = live_keys(conn, K::TYPE, &wanted).await?;
                let clash = keys.iter().find(|(key, row)| {
                    taken
                        .get(key)
                        .is_some_and(|holder| allowed(*row) != Some(*holder))
                });
                if let Some((key, row)) = clash {
                    conflict = Some(CommitConflict {
                        row: *row,
                        record_id: taken[key],
                        key: key.clone(),
                    });
                    return Err(StoreError::StaleVersion);
                }
                let now = now_micros();
                let replacements: Vec<Replacement<'_, K::Fields>> = updates
                    .iter()
                    .map(|u| Replacement {
                        id: u.record_id,
                        version: u.version,
                        fields: &u.fields,
                        ownership: u.ownership,
                    })
                    .collect();
                let replaced = replace_rows::<K>(conn, &replacements, now).await?;
                // A record changed (or deleted) since the check ends the commit.
                if let Some(index) = updates
                    .iter()
                    .position(|u| !replaced.contains(&u.record_id))
                {
                    conflict = Some(CommitConflict {
                        row: rows.len() + index,
                        record_id: updates[index].record_id,
                        key: String::new(),
                    });
                    return Err(StoreError::StaleVersion);
                }
                let marker = (String::new(), format!("#{id}"));
                let entries: Vec<AuditEntry> = updates
                    .iter()
                    .map(|u| updated_entry::<K>(entry, u.record_id, &u.changes, &marker))
                    .collect();
                conn.audit_many(&entries, now).await?;
                keep_for_undo::<K>(conn, id, updates).await?;
                let ids = insert_rows::<K>(conn, rows, Some(id)).await?;
                // One "created" entry per record, written by the database from the rows
                // themselves rather than sent row by row.
                let created = Expr::col((Alias::new(t.table), Alias::new("import_id"))).eq(id);
                audit_each::<K>(
                    conn,
                    entry,
                    ("created", "", &format!("#{id}")),
                    created,
                    now,
                )
                .await?;
                let mut update = Query::update();
                update
                    .table(Alias::new(TABLE))
                    .value(Alias::new("status"), ImportStatus::Committed.as_str())
                    .value(Alias::new("committed_at"), now)
                    .value(Alias::new("rows_created"), ids.len() as i64)
                    .value(Alias::new("rows_updated"), updates.len() as i64)
                    .value(Alias::new("progress"), 100)
                    .and_where(col("id").eq(id))
                    .and_where(col("status").eq(ImportStatus::Committing.as_str()));
                if conn.execute(&update).await? == 0 {
                    return Err(StoreError::StaleVersion);
                }
                conn.audit(entry, now).await?;
                Ok(ids.into_iter().map(K::id).collect())
            })
            .await;
        match (written, conflict) {
            (Err(StoreError::StaleVersion), Some(conflict)) => Ok(Err(conflict)),
            (written, _) => written.map(Ok),
        }
    }

    /// The records an import updated, with their content from before it.
    pub async fn import_updates(&self, id: i64) -> Result<Vec<UpdatedRecord>, StoreError> {
        let mut select = Query::select();
        select
            .columns(["record_id", "version_after", "before"].map(Alias::new))
            .from(Alias::new(UPDATES))
            .and_where(Expr::col(Alias::new("import_id")).eq(id))
            .order_by(Alias::new("record_id"), Order::Asc);
        self.fetch_rows(&select)
            .await?
            .iter()
            .map(|row| {
                Ok(UpdatedRecord {
                    record_id: row.get("record_id")?,
                    version_after: row.get("version_after")?,
                    before: row.get("before")?,
                })
            })
            .collect()
    }

    /// Forgets the content from before the import of the records imports updated, once no
    /// undo can use it (the import undone, or committed before `before`, UTC microseconds):
    /// a copy of customers' data is kept no longer than its undo needs. How many records'
    /// copies went.
    pub async fn forget_import_updates(&self, before: i64) -> Result<u64, StoreError> {
        let mut done = Query::select();
        done.column(Alias::new("id"))
            .from(Alias::new(TABLE))
            .and_where(
                col("status")
                    .eq(ImportStatus::Undone.as_str())
                    .or(col("committed_at").lt(before)),
            );
        let mut delete = Query::delete();
        delete
            .from_table(Alias::new(UPDATES))
            .and_where(Expr::col(Alias::new("import_id")).in_subquery(done));
        self.write(async |conn| conn.execute(&delete).await).await
    }

    /// Undoes a committed import: the records it created go to the trash, except those
    /// changed, deleted or linked to since (each trashed one gets its "deleted" audit
    /// entry); the records it updated take back their content from `restores`, except those
    /// changed since (their version moved on). The import gets `entry` and the status
    /// `undone`. [`StoreError::StaleVersion`] when the import is no longer `committed`.
    pub async fn undo_import<K: StoredKind>(
        &self,
        id: i64,
        restores: &[UndoRestore<K::Fields>],
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
                    .and(linked::<K>().not())
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
            let replacements: Vec<Replacement<'_, K::Fields>> = restores
                .iter()
                .map(|r| Replacement {
                    id: r.record_id,
                    version: r.version_after,
                    fields: &r.fields,
                    ownership: r.ownership,
                })
                .collect();
            // A record changed since the import is not put back: kept as it is.
            let replaced = replace_rows::<K>(conn, &replacements, now).await?;
            let marker = (format!("#{id}"), String::new());
            let entries: Vec<AuditEntry> = restores
                .iter()
                .filter(|r| replaced.contains(&r.record_id))
                .map(|r| updated_entry::<K>(entry, r.record_id, &r.changes, &marker))
                .collect();
            conn.audit_many(&entries, now).await?;
            let restored = entries.len() as u64;
            let mut updated = Query::select();
            updated
                .expr(Expr::cust("COUNT(*)"))
                .from(Alias::new(UPDATES))
                .and_where(Expr::col(Alias::new("import_id")).eq(id));
            let updated = u64::try_from(conn.fetch_i64(&updated).await?).unwrap_or(0);
            conn.audit(entry, now).await?;
            Ok(UndoOutcome {
                trashed,
                restored,
                kept: created.saturating_sub(trashed) + updated.saturating_sub(restored),
            })
        })
        .await
    }
}
