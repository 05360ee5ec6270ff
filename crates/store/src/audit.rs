//! The append-only audit log. Entries are written in the same transaction as the change they
//! describe; no statement here updates or deletes one (and both databases refuse to).

use crate::codec::{from_json, timestamp};
use crate::{Store, StoreError, on_pool};
use rehber_domain::UserId;
use serde::{Deserialize, Serialize};

/// One changed field: its name and the values before and after, as displayed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditChange {
    pub field: String,
    pub from: String,
    pub to: String,
}

/// An entry to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: Option<UserId>,
    pub record_type: &'static str,
    pub record_id: i64,
    pub action: &'static str,
    pub changes: Vec<AuditChange>,
}

/// A stored entry with the actor's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: i64,
    pub at: jiff::Timestamp,
    pub actor_id: Option<UserId>,
    pub actor_name: Option<String>,
    pub record_type: String,
    pub record_id: i64,
    pub action: String,
    pub changes: Vec<AuditChange>,
}

/// Which entries an administrator's audit view shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<UserId>,
    pub record_type: Option<String>,
    /// Entries older than this id (keyset paging, newest first).
    pub before_id: Option<i64>,
    pub limit: u32,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor_id: Option<i64>,
    actor_name: Option<String>,
    record_type: String,
    record_id: i64,
    action: String,
    changes: String,
}

impl TryFrom<AuditRow> for AuditEvent {
    type Error = StoreError;
    fn try_from(row: AuditRow) -> Result<Self, StoreError> {
        Ok(AuditEvent {
            id: row.id,
            at: timestamp(row.at)?,
            actor_id: row.actor_id.map(UserId),
            actor_name: row.actor_name,
            record_type: row.record_type,
            record_id: row.record_id,
            action: row.action,
            changes: from_json(&row.changes)?,
        })
    }
}

const COLUMNS: &str = "SELECT a.id, a.at, a.actor_id, u.name AS actor_name, a.record_type, a.record_id, a.action, a.changes \
     FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id";

/// Appends an entry on an open connection (inside the caller's transaction).
macro_rules! append_audit {
    ($conn:expr, $entry:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO audit_events (at, actor_id, record_type, record_id, action, changes) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($at)
        .bind($entry.actor.map(|u: rehber_domain::UserId| u.0))
        .bind($entry.record_type)
        .bind($entry.record_id)
        .bind($entry.action)
        .bind($crate::codec::to_json(&$entry.changes))
        .execute($conn)
        .await?
        .rows_affected()
    };
}

impl Store {
    /// Appends one entry outside any other write (e.g. user administration).
    pub async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let at = crate::now_micros();
        on_pool!(self, pool => append_audit!(pool, entry, at));
        Ok(())
    }

    /// The history of one record, newest first. Callers check the record is visible first.
    pub(crate) async fn record_history(
        &self,
        record_type: &str,
        record_id: i64,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let sql = format!(
            "{COLUMNS} WHERE a.record_type = $1 AND a.record_id = $2 ORDER BY a.id DESC LIMIT 500"
        );
        let rows: Vec<AuditRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(record_type).bind(record_id).fetch_all(pool).await?);
        rows.into_iter().map(AuditEvent::try_from).collect()
    }

    /// One page of a record's history, newest first: entries before `(at, id)` when given
    /// (`at` earlier, or the same `at` and a smaller `id`). Callers check the record is
    /// visible first.
    pub(crate) async fn record_changes(
        &self,
        record_type: &str,
        record_id: i64,
        after: Option<(i64, i64)>,
        limit: u32,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let sql = format!(
            "{COLUMNS} WHERE a.record_type = $1 AND a.record_id = $2 \
             AND ($3 IS NULL OR a.at < $3 OR (a.at = $3 AND a.id < $4)) \
             ORDER BY a.at DESC, a.id DESC LIMIT $5"
        );
        let rows: Vec<AuditRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(record_type)
            .bind(record_id)
            .bind(after.map(|a| a.0))
            .bind(after.map(|a| a.1))
            .bind(i64::from(limit.clamp(1, 500)))
            .fetch_all(pool).await?);
        rows.into_iter().map(AuditEvent::try_from).collect()
    }

    /// The whole log for administrators, newest first, one page at a time.
    pub async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>, StoreError> {
        let sql = format!(
            "{COLUMNS} WHERE ($1 IS NULL OR a.actor_id = $1) AND ($2 IS NULL OR a.record_type = $2) \
             AND ($3 IS NULL OR a.id < $3) ORDER BY a.id DESC LIMIT $4"
        );
        let rows: Vec<AuditRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(filter.actor.map(|u| u.0))
            .bind(filter.record_type.as_deref())
            .bind(filter.before_id)
            .bind(i64::from(filter.limit.clamp(1, 500)))
            .fetch_all(pool).await?);
        rows.into_iter().map(AuditEvent::try_from).collect()
    }
}

/// The tables whose rows audit entries point at, with the SQL of a row's display name.
const NAMED_RECORDS: [(&str, &str, &str); 4] = [
    ("person", "people", "TRIM(first_name || ' ' || last_name)"),
    ("company", "companies", "name"),
    ("user", "users", "name"),
    ("team", "teams", "name"),
];

impl Store {
    /// The display names of the records audit entries point at (people, companies, users,
    /// teams), deleted ones included, by `(record_type, record_id)`. For the
    /// administrators' audit views, which name records instead of numbering them.
    pub async fn record_names(
        &self,
        refs: &[(String, i64)],
    ) -> Result<std::collections::HashMap<(String, i64), String>, StoreError> {
        use sea_query::{Alias, Expr, ExprTrait, Query};
        let mut names = std::collections::HashMap::new();
        for (record_type, table, name) in NAMED_RECORDS {
            let ids: Vec<i64> = refs
                .iter()
                .filter(|(t, id)| t == record_type && *id > 0)
                .map(|(_, id)| *id)
                .collect();
            if ids.is_empty() {
                continue;
            }
            let mut select = Query::select();
            select
                .column(Alias::new("id"))
                .expr_as(Expr::cust(name), Alias::new("label"))
                .from(Alias::new(table))
                .and_where(Expr::col(Alias::new("id")).is_in(ids));
            for row in self.fetch_rows(&select).await? {
                names.insert(
                    (record_type.to_string(), row.get::<i64>("id")?),
                    row.get::<String>("label")?,
                );
            }
        }
        Ok(names)
    }
}
