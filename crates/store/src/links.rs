//! The links of activities and tasks to the records they concern: one table per kind of
//! source (`activity_links`, `task_links`), the same shape and the same reads.

use crate::audit::AuditEntry;
use crate::kind::split;
use crate::sql::Row;
use crate::{Store, StoreError, now_micros};
use rehber_domain::UserId;
use rehber_domain::activity::{Link, LinkType, StoredLink};
use sea_query::{Alias, DeleteStatement, Expr, ExprTrait, InsertStatement, Order, Query};
use sea_query::{SelectStatement, SimpleExpr, Value};
use std::collections::BTreeMap;

/// A table of links, the column naming their source, and the sources' own table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkTable {
    pub table: &'static str,
    pub source: &'static str,
    pub sources: &'static str,
}

pub(crate) const ACTIVITY_LINKS: LinkTable = LinkTable {
    table: "activity_links",
    source: "activity_id",
    sources: "activities",
};

pub(crate) const TASK_LINKS: LinkTable = LinkTable {
    table: "task_links",
    source: "task_id",
    sources: "tasks",
};

impl LinkTable {
    /// The rows for these links of source `id`.
    pub fn insert(self, id: i64, links: &[StoredLink]) -> Result<InsertStatement, StoreError> {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(self.table))
            .columns([self.source, "record_type", "record_id", "automatic"].map(Alias::new));
        for link in links {
            insert
                .values([
                    id.into(),
                    link.link.record_type.as_str().into(),
                    link.link.record_id.into(),
                    link.automatic.into(),
                ])
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        }
        Ok(insert)
    }

    /// Removes every link of source `id`.
    pub fn delete(self, id: i64) -> DeleteStatement {
        let mut delete = Query::delete();
        delete
            .from_table(Alias::new(self.table))
            .and_where(Expr::col(Alias::new(self.source)).eq(id));
        delete
    }

    /// `column` is among the sources linked to `link`.
    pub fn linked_to(self, column: SimpleExpr, link: Link) -> SimpleExpr {
        let mut linked = Query::select();
        linked
            .column(Alias::new(self.source))
            .from(Alias::new(self.table))
            .and_where(Expr::col(Alias::new("record_type")).eq(link.record_type.as_str()))
            .and_where(Expr::col(Alias::new("record_id")).eq(link.record_id));
        column.in_subquery(linked)
    }

    fn select(self, ids: &[i64]) -> SelectStatement {
        let mut select = Query::select();
        select
            .expr_as(Expr::col(Alias::new(self.source)), Alias::new("source_id"))
            .columns(["record_type", "record_id", "automatic"].map(Alias::new))
            .from(Alias::new(self.table))
            .and_where(Expr::col(Alias::new(self.source)).is_in(ids.iter().copied()))
            .order_by(Alias::new(self.source), Order::Asc)
            .order_by(Alias::new("automatic"), Order::Asc)
            .order_by(Alias::new("record_type"), Order::Desc)
            .order_by(Alias::new("record_id"), Order::Asc);
        select
    }
}

fn read_link(row: &Row) -> Result<StoredLink, StoreError> {
    let record_type: String = row.get("record_type")?;
    Ok(StoredLink {
        link: Link {
            record_type: LinkType::parse(&record_type)
                .ok_or_else(|| StoreError::Corrupt(format!("record_type {record_type:?}")))?,
            record_id: row.get("record_id")?,
        },
        automatic: row.get("automatic")?,
    })
}

impl Store {
    /// Inserts a source row (an activity, a task) with these columns and its bookkeeping,
    /// its links and its "created" audit entry (whose `record_id` is filled in); its id.
    pub(crate) async fn insert_linked(
        &self,
        table: LinkTable,
        mut pairs: Vec<(&'static str, Value)>,
        links: &[StoredLink],
        created_by: UserId,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            pairs.extend([
                ("created_by", created_by.0.into()),
                ("version", 1i64.into()),
                ("created_at", now.into()),
                ("updated_at", now.into()),
            ]);
            let (columns, values) = split(pairs);
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new(table.sources))
                .columns(columns)
                .values(values)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            if !links.is_empty() {
                conn.queue(&table.insert(id, links)?).await?;
            }
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

    /// Sets these columns of a live source row and replaces its links if
    /// `expected_version` is current (else [`StoreError::StaleVersion`]); appends the entry.
    pub(crate) async fn update_linked(
        &self,
        table: LinkTable,
        id: i64,
        expected_version: i64,
        pairs: Vec<(&'static str, Value)>,
        links: &[StoredLink],
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        let col = |name: &str| Expr::col((Alias::new(table.sources), Alias::new(name)));
        self.write(async |conn| {
            let mut update = Query::update();
            update.table(Alias::new(table.sources));
            for (column, value) in pairs {
                update.value(Alias::new(column), value);
            }
            update
                .value(Alias::new("version"), col("version").add(1))
                .value(Alias::new("updated_at"), now)
                .and_where(col("id").eq(id))
                .and_where(col("version").eq(expected_version))
                .and_where(col("deleted_at").is_null());
            if conn.execute(&update).await? == 0 {
                return Err(StoreError::StaleVersion);
            }
            conn.queue(&table.delete(id)).await?;
            if !links.is_empty() {
                conn.queue(&table.insert(id, links)?).await?;
            }
            conn.audit(&entry, now).await
        })
        .await
    }

    /// The links of these sources, by source id: given ones first.
    pub(crate) async fn links_of(
        &self,
        table: LinkTable,
        ids: &[i64],
    ) -> Result<BTreeMap<i64, Vec<StoredLink>>, StoreError> {
        let mut out: BTreeMap<i64, Vec<StoredLink>> = BTreeMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        for row in self.fetch_rows(&table.select(ids)).await? {
            out.entry(row.get("source_id")?)
                .or_default()
                .push(read_link(&row)?);
        }
        Ok(out)
    }
}

impl crate::Scoped<'_> {
    /// The condition that keeps rows of `table` (a comment, an attachment: anything with
    /// `record_type` and `record_id`) on live records the viewer may see.
    pub(crate) fn on_visible_record(&self, table: &str) -> sea_query::Cond {
        use rehber_domain::access::RecordKind;
        let mut any = sea_query::Cond::any();
        for (record_type, parent, kind) in [
            (LinkType::Person, "people", RecordKind::Person),
            (LinkType::Company, "companies", RecordKind::Company),
            (LinkType::Deal, "deals", RecordKind::Deal),
        ] {
            let mut probe = Query::select();
            probe
                .expr(Expr::val(1))
                .from(Alias::new(parent))
                .and_where(
                    Expr::col((Alias::new(parent), Alias::new("id")))
                        .equals((Alias::new(table), Alias::new("record_id"))),
                )
                .and_where(Expr::col((Alias::new(parent), Alias::new("deleted_at"))).is_null())
                .cond_where(crate::scope::scope_condition(
                    parent,
                    self.visibility_of(kind),
                ));
            any = any.add(
                sea_query::Cond::all()
                    .add(
                        Expr::col((Alias::new(table), Alias::new("record_type")))
                            .eq(record_type.as_str()),
                    )
                    .add(Expr::exists(probe)),
            );
        }
        any
    }

    /// The names of the live records these links name that the viewer may see (a person's
    /// full name, a company's name): one read per kind whatever the number of links.
    pub async fn link_titles(
        &self,
        links: &[Link],
    ) -> Result<std::collections::HashMap<Link, String>, StoreError> {
        use rehber_domain::access::RecordKind;
        let mut out = std::collections::HashMap::new();
        for (record_type, table, kind, columns) in [
            (
                LinkType::Person,
                "people",
                RecordKind::Person,
                &["first_name", "last_name"][..],
            ),
            (
                LinkType::Company,
                "companies",
                RecordKind::Company,
                &["name"][..],
            ),
            (LinkType::Deal, "deals", RecordKind::Deal, &["name"][..]),
        ] {
            let mut ids: Vec<i64> = links
                .iter()
                .filter(|l| l.record_type == record_type)
                .map(|l| l.record_id)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                continue;
            }
            let column = |name: &str| (Alias::new(table), Alias::new(name));
            let mut select = Query::select();
            select
                .column(column("id"))
                .columns(columns.iter().map(|c| column(c)))
                .from(Alias::new(table))
                .and_where(Expr::col(column("id")).is_in(ids))
                .and_where(Expr::col(column("deleted_at")).is_null())
                .cond_where(crate::scope::scope_condition(
                    table,
                    self.visibility_of(kind),
                ));
            for row in self.store().fetch_rows(&select).await? {
                let link = Link {
                    record_type,
                    record_id: row.get("id")?,
                };
                let parts = columns
                    .iter()
                    .map(|c| row.get::<String>(c))
                    .collect::<Result<Vec<_>, _>>()?;
                out.insert(link, parts.join(" ").trim().to_string());
            }
        }
        Ok(out)
    }
}
