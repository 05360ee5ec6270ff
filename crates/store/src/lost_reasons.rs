//! The lost reasons a deal moved to a lost stage names: read them in their order, add one
//! after the others, rename or (de)activate one, each write with its audit entry. Names are
//! unique ignoring Turkish case (`lost_reasons_name_key_key`).

use crate::audit::AuditEntry;
use crate::sql::Row;
use crate::{Store, StoreError, now_micros};
use rehber_domain::pipeline::LostReason;
use rehber_domain::validate::text::search_key;
use sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SimpleExpr};

fn read(row: &Row) -> Result<LostReason, StoreError> {
    Ok(LostReason {
        id: row.get("id")?,
        name: row.get("name")?,
        position: row.get("position")?,
        active: row.get("active")?,
    })
}

impl Store {
    /// Every lost reason in its order (inactive ones too).
    pub async fn lost_reasons(&self) -> Result<Vec<LostReason>, StoreError> {
        let mut select = Query::select();
        select
            .columns(["id", "name", "position", "active"].map(Alias::new))
            .from(Alias::new("lost_reasons"))
            .order_by(Alias::new("position"), Order::Asc)
            .order_by(Alias::new("id"), Order::Asc);
        self.fetch_rows(&select).await?.iter().map(read).collect()
    }

    /// Adds a reason after the others, with its audit entry (whose `record_id` is filled in).
    pub async fn insert_lost_reason(
        &self,
        name: &str,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut last = Query::select();
            last.expr(Func::coalesce([
                SimpleExpr::from(Func::max(Expr::col(Alias::new("position")))),
                Expr::val(0_i64),
            ]))
            .from(Alias::new("lost_reasons"));
            let position = conn.fetch_i64(&last).await? + 1;
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("lost_reasons"))
                .columns(["name", "name_key", "position"].map(Alias::new))
                .values_panic([name.into(), search_key(name).into(), position.into()])
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            conn.audit(
                &AuditEntry {
                    record_id: id,
                    ..entry
                },
                now,
            )
            .await?;
            Ok(id)
        })
        .await
    }

    /// Renames and (de)activates reason `id`, with its audit entry.
    pub async fn update_lost_reason(
        &self,
        id: i64,
        name: &str,
        active: bool,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut update = Query::update();
            update
                .table(Alias::new("lost_reasons"))
                .value(Alias::new("name"), name)
                .value(Alias::new("name_key"), search_key(name))
                .value(Alias::new("active"), active)
                .and_where(Expr::col(Alias::new("id")).eq(id));
            if conn.execute(&update).await? == 0 {
                return Err(StoreError::NotFound);
            }
            conn.audit(&entry, now).await
        })
        .await
    }
}
