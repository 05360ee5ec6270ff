//! Merging two people or two companies, in one transaction: the survivor takes its merged
//! content; every row linked to the other record moves to the survivor (activities, tasks,
//! comments, attachments, notifications, deals, quotes, orders, price lists, consents and,
//! for a company, its people); the other record goes to the trash pointing at the survivor.
//! A record with ledger rows (invoices, payments, entries) is not merged away: the ledger is
//! append-only, so its statement would lose them.

use crate::audit::AuditEntry;
use crate::kind::{StoredKind, replace_content};
use crate::sql::Conn;
use crate::{Store, StoreError, now_micros};
use rehber_domain::party::Ownership;
use sea_query::{Alias, Expr, ExprTrait, Query};

/// Tables that link a record by `(record_type, record_id)`; the ones with a key per linked
/// thing name it, so that a thing linked to both records keeps one link.
pub(crate) const LINK_TABLES: [(&str, Option<&str>); 5] = [
    ("activity_links", Some("activity_id")),
    ("task_links", Some("task_id")),
    ("price_list_customers", Some("price_list_id")),
    ("comments", None),
    ("attachments", None),
];

/// Tables that point at a person or company by a column of their own.
pub(crate) const OWNER_COLUMNS: [&str; 3] = ["deals", "quotes", "orders"];

/// Tables whose rows cannot move (append-only, or kept per account).
pub(crate) const LEDGER_TABLES: [&str; 3] = ["invoices", "payments", "ledger_entries"];

/// The survivor's side of a merge: its id, the version read, its merged content.
pub struct Survivor<'a, K: StoredKind> {
    pub id: i64,
    pub version: i64,
    pub fields: &'a K::Fields,
    pub ownership: Ownership,
}

fn col(table: &str, name: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(name)))
}

async fn move_links(
    conn: &mut Conn<'_>,
    record_type: &str,
    (survivor, loser): (i64, i64),
) -> Result<(), StoreError> {
    for (table, thing) in LINK_TABLES {
        let mut update = Query::update();
        update
            .table(Alias::new(table))
            .value(Alias::new("record_id"), survivor)
            .and_where(col(table, "record_type").eq(record_type))
            .and_where(col(table, "record_id").eq(loser));
        if let Some(thing) = thing {
            let mut both = Query::select();
            both.expr(Expr::val(1))
                .from_as(Alias::new(table), Alias::new("kept"))
                .and_where(col("kept", thing).equals((Alias::new(table), Alias::new(thing))))
                .and_where(col("kept", "record_type").eq(record_type))
                .and_where(col("kept", "record_id").eq(survivor));
            update.and_where(Expr::exists(both).not());
        }
        conn.execute(&update).await?;
        if thing.is_some() {
            // What was linked to both keeps the survivor's link only.
            let mut delete = Query::delete();
            delete
                .from_table(Alias::new(table))
                .and_where(col(table, "record_type").eq(record_type))
                .and_where(col(table, "record_id").eq(loser));
            conn.execute(&delete).await?;
        }
    }
    let mut notifications = Query::update();
    notifications
        .table(Alias::new("notifications"))
        .value(Alias::new("subject_id"), survivor)
        .and_where(col("notifications", "subject_type").eq(record_type))
        .and_where(col("notifications", "subject_id").eq(loser));
    conn.execute(&notifications).await?;
    Ok(())
}

async fn move_owned(
    conn: &mut Conn<'_>,
    column: &str,
    tables: &[&str],
    (survivor, loser): (i64, i64),
) -> Result<(), StoreError> {
    for table in tables {
        let mut update = Query::update();
        update
            .table(Alias::new(*table))
            .value(Alias::new(column), survivor)
            .and_where(col(table, column).eq(loser));
        conn.execute(&update).await?;
    }
    Ok(())
}

impl Store {
    /// Merges `loser` into the survivor (see the module). `entries` are the survivor's and
    /// the loser's audit entries. A loser with ledger rows is refused; either record
    /// changed since it was read is [`StoreError::StaleVersion`].
    pub async fn merge<K: StoredKind>(
        &self,
        survivor: Survivor<'_, K>,
        (loser, loser_version): (i64, i64),
        entries: [AuditEntry; 2],
    ) -> Result<(), StoreError> {
        let now = now_micros();
        let (record_type, column) = match K::TYPE {
            "person" => ("person", "person_id"),
            _ => ("company", "company_id"),
        };
        let table = K::TABLE.table;
        let pair = (survivor.id, loser);
        self.write(async |conn| {
            for ledger in LEDGER_TABLES {
                let mut count = Query::select();
                count
                    .expr(Expr::cust("COUNT(*)"))
                    .from(Alias::new(ledger))
                    .and_where(col(ledger, column).eq(loser));
                if conn.fetch_i64(&count).await? > 0 {
                    return Err(StoreError::Refused {
                        field: "duplicate_id".into(),
                        code: "invalid-merge-ledger",
                    });
                }
            }
            let mut away = Query::update();
            away.table(Alias::new(table))
                .value(Alias::new("merged_into_id"), survivor.id)
                .value(Alias::new("deleted_at"), now)
                .value(Alias::new("updated_at"), now)
                .value(Alias::new("version"), col(table, "version").add(1))
                .and_where(col(table, "id").eq(loser))
                .and_where(col(table, "version").eq(loser_version))
                .and_where(col(table, "deleted_at").is_null());
            if record_type == "company" {
                // A tax number is unique among all companies, the trash included: it goes
                // to the survivor (which had none; two different ones are never merged).
                away.value(Alias::new("tax_number"), Option::<String>::None);
            }
            if conn.execute(&away).await? == 0 {
                return Err(StoreError::StaleVersion);
            }
            replace_content::<K>(
                conn,
                survivor.id,
                survivor.version,
                (survivor.fields, survivor.ownership),
                now,
            )
            .await?;
            move_links(conn, record_type, pair).await?;
            move_owned(conn, column, &OWNER_COLUMNS, pair).await?;
            if record_type == "person" {
                move_owned(conn, "person_id", &["consents"], pair).await?;
            }
            // Rows that keep a copy of the record (a company's people, its folded name) move
            // with the copy made again from the survivor.
            for copy in K::copies(survivor.fields) {
                let mut update = Query::update();
                update
                    .table(Alias::new(copy.table))
                    .value(Alias::new(copy.foreign_key), survivor.id)
                    .value(Alias::new(copy.column), copy.value)
                    .and_where(col(copy.table, copy.foreign_key).eq(loser));
                conn.execute(&update).await?;
            }
            for entry in &entries {
                conn.audit(entry, now).await?;
            }
            Ok(())
        })
        .await
    }
}
