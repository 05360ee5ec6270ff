//! Orders made from accepted quotes (one per quote), their shipments and returns: written
//! under the order's version so two shipments cannot both take the last units, and read
//! through the caller's scope.

use crate::audit::AuditEntry;
use crate::codec::timestamp;
use crate::documents::{insert_lines, next_number, read_date, read_optional_date};
use crate::scope::scope_condition;
use crate::scoped::Scoped;
use crate::sql::{Conn, Row};
use crate::{Store, StoreError, now_micros};
use jiff::civil::Date;
use rehber_domain::access::RecordKind;
use rehber_domain::ids::{CompanyId, DealId, PersonId, TeamId, UserId};
use rehber_domain::pricing::Quantity;
use rehber_domain::quote::{
    DocumentTotals, ORDER_SERIES, Order, OrderReturn, OrderStatus, Parties, Quote, ReturnStatus,
    Shipment, document_number,
};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order as SortOrder, Query, SimpleExpr, Value};

fn col(table: &str, name: &str) -> SimpleExpr {
    Expr::col((Alias::new(table), Alias::new(name)))
}

const COLUMNS: [&str; 19] = [
    "id",
    "number",
    "quote_id",
    "status",
    "company_id",
    "person_id",
    "deal_id",
    "currency",
    "net_minor",
    "vat_minor",
    "gross_minor",
    "delivery_address",
    "requested_date",
    "notes",
    "owner_id",
    "team_id",
    "version",
    "created_at",
    "updated_at",
];

fn read(row: &Row) -> Result<Order, StoreError> {
    let status: String = row.get("status")?;
    let net: i64 = row.get("net_minor")?;
    Ok(Order {
        id: row.get("id")?,
        number: row.get("number")?,
        quote_id: row.get("quote_id")?,
        status: OrderStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("order status {status:?}")))?,
        parties: Parties {
            company_id: row.get::<Option<i64>>("company_id")?.map(CompanyId),
            person_id: row.get::<Option<i64>>("person_id")?.map(PersonId),
            deal_id: row.get::<Option<i64>>("deal_id")?.map(DealId),
        },
        currency: row.get("currency")?,
        lines: Vec::new(),
        totals: DocumentTotals {
            subtotal: net,
            discount: 0,
            net,
            vat: row.get("vat_minor")?,
            gross: row.get("gross_minor")?,
        },
        delivery_address: row.get("delivery_address")?,
        requested_date: read_optional_date(row, "requested_date")?,
        notes: row.get("notes")?,
        owner_id: row.get::<Option<i64>>("owner_id")?.map(UserId),
        team_id: row.get::<Option<i64>>("team_id")?.map(TeamId),
        version: row.get("version")?,
        created_at: timestamp(row.get("created_at")?)?,
        updated_at: timestamp(row.get("updated_at")?)?,
    })
}

/// What a shipment or a return takes of an order's lines: `(position, quantity)`.
pub type LineQuantities = [(i64, Quantity)];

async fn insert_quantities(
    conn: &mut Conn<'_>,
    table: &str,
    owner: &str,
    owner_id: i64,
    lines: &LineQuantities,
) -> Result<(), StoreError> {
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(table))
        .columns([owner, "position", "quantity_milli"].map(Alias::new));
    for (position, quantity) in lines {
        insert.values_panic([
            owner_id.into(),
            (*position).into(),
            quantity.thousandths().into(),
        ]);
    }
    conn.queue(&insert).await
}

/// A shipment as the services checked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShipment<'a> {
    pub shipped_on: Date,
    pub carrier: &'a str,
    pub tracking_no: &'a str,
    pub lines: &'a LineQuantities,
    pub created_by: Option<UserId>,
}

impl Store {
    /// The order of `quote` (made now from its snapshot, with the next order number, when
    /// there is none yet) and whether it was made by this call. A second call, or one racing
    /// this, finds the same order.
    pub async fn order_for_quote(
        &self,
        quote: &Quote,
        year: i64,
        entry: AuditEntry,
    ) -> Result<(i64, bool), StoreError> {
        let now = now_micros();
        let made = self
            .write(async |conn| {
                if let Some(id) = existing_order(conn, quote.id).await? {
                    return Ok((id, false));
                }
                let n = next_number(conn, ORDER_SERIES, year).await?;
                let p = &quote.parties;
                let pairs: Vec<(&'static str, Value)> = vec![
                    ("number", document_number(ORDER_SERIES, year, n).into()),
                    ("quote_id", quote.id.into()),
                    ("status", OrderStatus::Confirmed.as_str().into()),
                    ("company_id", p.company_id.map(|c| c.0).into()),
                    ("person_id", p.person_id.map(|c| c.0).into()),
                    ("deal_id", p.deal_id.map(|c| c.0).into()),
                    ("currency", quote.currency.clone().into()),
                    ("net_minor", quote.totals.net.into()),
                    ("vat_minor", quote.totals.vat.into()),
                    ("gross_minor", quote.totals.gross.into()),
                    ("owner_id", quote.owner_id.map(|u| u.0).into()),
                    ("team_id", quote.team_id.map(|t| t.0).into()),
                    ("created_at", now.into()),
                    ("updated_at", now.into()),
                ];
                let (columns, values) = crate::kind::split(pairs);
                let mut insert = Query::insert();
                insert
                    .into_table(Alias::new("orders"))
                    .columns(columns)
                    .values_panic(values)
                    .returning_col(Alias::new("id"));
                let id = conn.fetch_i64(&insert).await?;
                insert_lines(conn, "order_lines", "order_id", id, &quote.lines, false).await?;
                conn.audit(
                    &AuditEntry {
                        record_id: id,
                        ..entry.clone()
                    },
                    now,
                )
                .await?;
                Ok((id, true))
            })
            .await;
        match made {
            // A concurrent call made it first (PostgreSQL): that one is the order.
            Err(StoreError::Unique(name)) if name == "orders_quote_id_key" => {
                let found = self
                    .write(async |conn| existing_order(conn, quote.id).await)
                    .await?;
                found.map(|id| (id, false)).ok_or(StoreError::NotFound)
            }
            other => other,
        }
    }

    /// Sets `values` on order `id` if it is still at `version`.
    pub async fn update_order(
        &self,
        id: i64,
        version: i64,
        values: Vec<(&'static str, Value)>,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            conn.update_versioned("orders", id, version, values, now)
                .await?;
            conn.audit(&entry, now).await
        })
        .await
    }

    /// Records a shipment of order `order_id` and sets the order's `status`, if the order
    /// is still at `version` (the quantities were checked against that version); the
    /// shipment's id.
    pub async fn insert_shipment(
        &self,
        order_id: i64,
        version: i64,
        status: OrderStatus,
        shipment: &NewShipment<'_>,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            conn.update_versioned(
                "orders",
                order_id,
                version,
                vec![("status", status.as_str().into())],
                now,
            )
            .await?;
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("shipments"))
                .columns(
                    [
                        "order_id",
                        "shipped_on",
                        "carrier",
                        "tracking_no",
                        "created_by",
                        "created_at",
                    ]
                    .map(Alias::new),
                )
                .values_panic([
                    order_id.into(),
                    shipment.shipped_on.to_string().into(),
                    shipment.carrier.into(),
                    shipment.tracking_no.into(),
                    shipment.created_by.map(|u| u.0).into(),
                    now.into(),
                ])
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            insert_quantities(conn, "shipment_lines", "shipment_id", id, shipment.lines).await?;
            conn.audit(&entry, now).await?;
            Ok(id)
        })
        .await
    }

    /// Records a return request for order `order_id` under the order's `version` (the
    /// quantities were checked against it); the return's id.
    pub async fn insert_return(
        &self,
        order_id: i64,
        version: i64,
        reason: &str,
        lines: &LineQuantities,
        created_by: Option<UserId>,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            conn.update_versioned("orders", order_id, version, Vec::new(), now)
                .await?;
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("order_returns"))
                .columns(
                    [
                        "order_id",
                        "status",
                        "reason",
                        "created_by",
                        "created_at",
                        "updated_at",
                    ]
                    .map(Alias::new),
                )
                .values_panic([
                    order_id.into(),
                    ReturnStatus::Requested.as_str().into(),
                    reason.into(),
                    created_by.map(|u| u.0).into(),
                    now.into(),
                    now.into(),
                ])
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            insert_quantities(conn, "order_return_lines", "return_id", id, lines).await?;
            conn.audit(&entry, now).await?;
            Ok(id)
        })
        .await
    }

    /// Moves return `id` to `status` if it is still at `version`.
    pub async fn set_return_status(
        &self,
        id: i64,
        version: i64,
        status: ReturnStatus,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            conn.update_versioned(
                "order_returns",
                id,
                version,
                vec![("status", status.as_str().into())],
                now,
            )
            .await?;
            conn.audit(&entry, now).await
        })
        .await
    }

    async fn quantities(
        &self,
        table: &str,
        owner: &str,
        ids: &[i64],
    ) -> Result<Vec<(i64, i64, Quantity)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut select = Query::select();
        select
            .expr_as(Expr::col(Alias::new(owner)), Alias::new("owner_id"))
            .columns(["position", "quantity_milli"].map(Alias::new))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new(owner)).is_in(ids.iter().copied()))
            .order_by(Alias::new("position"), SortOrder::Asc);
        self.fetch_rows(&select)
            .await?
            .iter()
            .map(|row| {
                let quantity = Quantity::from_thousandths(row.get("quantity_milli")?)
                    .map_err(|_| StoreError::Corrupt("a shipped quantity".into()))?;
                Ok((row.get("owner_id")?, row.get("position")?, quantity))
            })
            .collect()
    }
}

async fn existing_order(conn: &mut Conn<'_>, quote_id: i64) -> Result<Option<i64>, StoreError> {
    let mut select = Query::select();
    select
        .column(Alias::new("id"))
        .from(Alias::new("orders"))
        .and_where(Expr::col(Alias::new("quote_id")).eq(quote_id));
    Ok(match conn.fetch_all(&select).await?.first() {
        Some(row) => Some(row.get("id")?),
        None => None,
    })
}

impl Scoped<'_> {
    fn order_scope(&self) -> Cond {
        scope_condition("orders", self.visibility_of(RecordKind::Deal))
    }

    /// One order with its lines; one outside the view is [`StoreError::NotFound`].
    pub async fn order(&self, id: i64) -> Result<Order, StoreError> {
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(|c| (Alias::new("orders"), Alias::new(c))))
            .from(Alias::new("orders"))
            .cond_where(self.order_scope().add(col("orders", "id").eq(id)));
        let rows = self.store().fetch_rows(&select).await?;
        let mut order = read(rows.first().ok_or(StoreError::NotFound)?)?;
        order.lines = self
            .store()
            .document_lines("order_lines", "order_id", &[id], false)
            .await?
            .into_iter()
            .map(|(_, line)| line)
            .collect();
        Ok(order)
    }

    /// The order made from quote `quote_id`, if any and in view.
    pub async fn order_of_quote(&self, quote_id: i64) -> Result<Option<i64>, StoreError> {
        let mut select = Query::select();
        select
            .column((Alias::new("orders"), Alias::new("id")))
            .from(Alias::new("orders"))
            .cond_where(
                self.order_scope()
                    .add(col("orders", "quote_id").eq(quote_id)),
            );
        Ok(match self.store().fetch_rows(&select).await?.first() {
            Some(row) => Some(row.get("id")?),
            None => None,
        })
    }

    /// A page of orders (without lines), most recently changed first, and whether there
    /// are more.
    pub async fn orders(&self, limit: u32, offset: u64) -> Result<(Vec<Order>, bool), StoreError> {
        let limit = limit.clamp(1, crate::quotes::MAX_QUOTE_PAGE);
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(|c| (Alias::new("orders"), Alias::new(c))))
            .from(Alias::new("orders"))
            .cond_where(self.order_scope())
            .order_by(
                (Alias::new("orders"), Alias::new("updated_at")),
                SortOrder::Desc,
            )
            .order_by((Alias::new("orders"), Alias::new("id")), SortOrder::Desc)
            .limit(u64::from(limit) + 1)
            .offset(offset);
        let mut found = self
            .store()
            .fetch_rows(&select)
            .await?
            .iter()
            .map(read)
            .collect::<Result<Vec<_>, _>>()?;
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        Ok((found, more))
    }

    /// The shipments of an order in view, oldest first.
    pub async fn shipments(&self, order_id: i64) -> Result<Vec<Shipment>, StoreError> {
        self.order(order_id).await?;
        let mut select = Query::select();
        select
            .columns(
                [
                    "id",
                    "order_id",
                    "shipped_on",
                    "carrier",
                    "tracking_no",
                    "created_by",
                    "created_at",
                ]
                .map(Alias::new),
            )
            .from(Alias::new("shipments"))
            .and_where(Expr::col(Alias::new("order_id")).eq(order_id))
            .order_by(Alias::new("id"), SortOrder::Asc);
        let mut shipments = self
            .store()
            .fetch_rows(&select)
            .await?
            .iter()
            .map(|row| {
                Ok(Shipment {
                    id: row.get("id")?,
                    order_id: row.get("order_id")?,
                    shipped_on: read_date(row, "shipped_on")?,
                    carrier: row.get("carrier")?,
                    tracking_no: row.get("tracking_no")?,
                    lines: Vec::new(),
                    created_by: row.get::<Option<i64>>("created_by")?.map(UserId),
                    created_at: timestamp(row.get("created_at")?)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let ids: Vec<i64> = shipments.iter().map(|s| s.id).collect();
        for (id, position, quantity) in self
            .store()
            .quantities("shipment_lines", "shipment_id", &ids)
            .await?
        {
            if let Some(s) = shipments.iter_mut().find(|s| s.id == id) {
                s.lines.push((position, quantity));
            }
        }
        Ok(shipments)
    }

    /// The returns of an order in view, oldest first.
    pub async fn order_returns(&self, order_id: i64) -> Result<Vec<OrderReturn>, StoreError> {
        self.order(order_id).await?;
        let mut select = Query::select();
        select
            .columns(
                [
                    "id",
                    "order_id",
                    "status",
                    "reason",
                    "created_by",
                    "version",
                    "created_at",
                    "updated_at",
                ]
                .map(Alias::new),
            )
            .from(Alias::new("order_returns"))
            .and_where(Expr::col(Alias::new("order_id")).eq(order_id))
            .order_by(Alias::new("id"), SortOrder::Asc);
        let mut returns = self
            .store()
            .fetch_rows(&select)
            .await?
            .iter()
            .map(|row| {
                let status: String = row.get("status")?;
                Ok(OrderReturn {
                    id: row.get("id")?,
                    order_id: row.get("order_id")?,
                    status: ReturnStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("return status {status:?}")))?,
                    reason: row.get("reason")?,
                    lines: Vec::new(),
                    created_by: row.get::<Option<i64>>("created_by")?.map(UserId),
                    version: row.get("version")?,
                    created_at: timestamp(row.get("created_at")?)?,
                    updated_at: timestamp(row.get("updated_at")?)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let ids: Vec<i64> = returns.iter().map(|r| r.id).collect();
        for (id, position, quantity) in self
            .store()
            .quantities("order_return_lines", "return_id", &ids)
            .await?
        {
            if let Some(r) = returns.iter_mut().find(|r| r.id == id) {
                r.lines.push((position, quantity));
            }
        }
        Ok(returns)
    }
}
