//! Price lists: the lists with their prices (quantity breaks) and the customers given them,
//! written under their version with an audit entry, and the lookups a quote line's price
//! needs. Lists are shared configuration every signed-in user reads; who changes them is
//! the services' rule.

use crate::audit::AuditEntry;
use crate::sql::{Conn, Row};
use crate::{Store, StoreError, now_micros};
use rehber_domain::price_list::{PriceItem, PriceList, PriceListFields};
use rehber_domain::pricing::Quantity;
use rehber_domain::validate::text::search_key;
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, Value};

fn read(row: &Row) -> Result<PriceList, StoreError> {
    Ok(PriceList {
        id: row.get("id")?,
        fields: PriceListFields {
            name: row.get("name")?,
            currency: row.get("currency")?,
            vat_included: row.get("vat_included")?,
            is_default: row.get("is_default")?,
            active: row.get("active")?,
        },
        items: Vec::new(),
        companies: Vec::new(),
        people: Vec::new(),
        version: row.get("version")?,
    })
}

fn values(fields: &PriceListFields) -> Vec<(&'static str, Value)> {
    vec![
        ("name", fields.name.clone().into()),
        ("name_key", search_key(&fields.name).into()),
        ("currency", fields.currency.clone().into()),
        ("vat_included", fields.vat_included.into()),
        ("is_default", fields.is_default.into()),
        ("active", fields.active.into()),
    ]
}

/// Makes `id` the only default list of `currency` (the partial unique index allows one).
async fn clear_other_defaults(
    conn: &mut Conn<'_>,
    id: i64,
    currency: &str,
) -> Result<(), StoreError> {
    let mut update = Query::update();
    update
        .table(Alias::new("price_lists"))
        .value(Alias::new("is_default"), false)
        .and_where(Expr::col(Alias::new("currency")).eq(currency))
        .and_where(Expr::col(Alias::new("is_default")).eq(true))
        .and_where(Expr::col(Alias::new("id")).ne(id));
    conn.execute(&update).await.map(|_| ())
}

impl Store {
    /// Every list by name; with `full`, each with its prices and customers.
    pub async fn price_lists(&self, full: bool) -> Result<Vec<PriceList>, StoreError> {
        self.load_price_lists(Cond::all(), full).await
    }

    /// One list with its prices and customers.
    pub async fn price_list(&self, id: i64) -> Result<PriceList, StoreError> {
        self.load_price_lists(Cond::all().add(Expr::col(Alias::new("id")).eq(id)), true)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn load_price_lists(
        &self,
        condition: Cond,
        full: bool,
    ) -> Result<Vec<PriceList>, StoreError> {
        let mut select = Query::select();
        select
            .columns(
                [
                    "id",
                    "name",
                    "currency",
                    "vat_included",
                    "is_default",
                    "active",
                    "version",
                ]
                .map(Alias::new),
            )
            .from(Alias::new("price_lists"))
            .cond_where(condition)
            .order_by(Alias::new("name_key"), Order::Asc);
        let mut lists = self
            .fetch_rows(&select)
            .await?
            .iter()
            .map(read)
            .collect::<Result<Vec<_>, _>>()?;
        if !full || lists.is_empty() {
            return Ok(lists);
        }
        let ids: Vec<i64> = lists.iter().map(|l| l.id).collect();
        for (list, item) in self.price_items_of(&ids, None).await? {
            if let Some(l) = lists.iter_mut().find(|l| l.id == list) {
                l.items.push(item);
            }
        }
        let mut select = Query::select();
        select
            .columns(["price_list_id", "record_type", "record_id"].map(Alias::new))
            .from(Alias::new("price_list_customers"))
            .and_where(Expr::col(Alias::new("price_list_id")).is_in(ids))
            .order_by(Alias::new("record_id"), Order::Asc);
        for row in self.fetch_rows(&select).await? {
            let list: i64 = row.get("price_list_id")?;
            let kind: String = row.get("record_type")?;
            let id: i64 = row.get("record_id")?;
            if let Some(l) = lists.iter_mut().find(|l| l.id == list) {
                match kind.as_str() {
                    "company" => l.companies.push(id),
                    _ => l.people.push(id),
                }
            }
        }
        Ok(lists)
    }

    /// The prices of the lists `ids` (of one product when given), by list, product and break.
    pub async fn price_items_of(
        &self,
        ids: &[i64],
        product: Option<i64>,
    ) -> Result<Vec<(i64, PriceItem)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut select = Query::select();
        select
            .columns(
                [
                    "price_list_id",
                    "product_id",
                    "min_quantity_milli",
                    "unit_price_minor",
                ]
                .map(Alias::new),
            )
            .from(Alias::new("price_list_items"))
            .and_where(Expr::col(Alias::new("price_list_id")).is_in(ids.iter().copied()))
            .order_by(Alias::new("product_id"), Order::Asc)
            .order_by(Alias::new("min_quantity_milli"), Order::Asc);
        if let Some(product) = product {
            select.and_where(Expr::col(Alias::new("product_id")).eq(product));
        }
        self.fetch_rows(&select)
            .await?
            .iter()
            .map(|row| {
                let min = Quantity::from_thousandths(row.get("min_quantity_milli")?)
                    .map_err(|_| StoreError::Corrupt("a price break".into()))?;
                Ok((
                    row.get("price_list_id")?,
                    PriceItem {
                        product_id: row.get("product_id")?,
                        min_quantity: min,
                        unit_price: row.get("unit_price_minor")?,
                    },
                ))
            })
            .collect()
    }

    /// The active lists given to a company or a person (`record_type` `company`/`person`).
    pub async fn customer_price_lists(
        &self,
        record_type: &str,
        record_id: i64,
    ) -> Result<Vec<PriceList>, StoreError> {
        let mut customers = Query::select();
        customers
            .column(Alias::new("price_list_id"))
            .from(Alias::new("price_list_customers"))
            .and_where(Expr::col(Alias::new("record_type")).eq(record_type))
            .and_where(Expr::col(Alias::new("record_id")).eq(record_id));
        let condition = Cond::all()
            .add(Expr::col(Alias::new("active")).eq(true))
            .add(Expr::col(Alias::new("id")).in_subquery(customers));
        self.load_price_lists(condition, false).await
    }

    /// The active default list of `currency`, if there is one.
    pub async fn default_price_list(
        &self,
        currency: &str,
    ) -> Result<Option<PriceList>, StoreError> {
        let condition = Cond::all()
            .add(Expr::col(Alias::new("active")).eq(true))
            .add(Expr::col(Alias::new("is_default")).eq(true))
            .add(Expr::col(Alias::new("currency")).eq(currency));
        Ok(self.load_price_lists(condition, false).await?.pop())
    }

    /// Adds a list with its audit entry (`record_id` filled in); its id. A default list
    /// takes the place of the currency's former default.
    pub async fn insert_price_list(
        &self,
        fields: &PriceListFields,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            if fields.is_default {
                // No list has id 0: every other default of the currency gives way.
                clear_other_defaults(conn, 0, &fields.currency).await?;
            }
            let mut pairs = values(fields);
            pairs.push(("created_at", now.into()));
            pairs.push(("updated_at", now.into()));
            let (columns, values) = crate::kind::split(pairs);
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("price_lists"))
                .columns(columns)
                .values_panic(values)
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

    /// Replaces a list's fields, prices and customers if it is still at `version`.
    pub async fn update_price_list(
        &self,
        id: i64,
        version: i64,
        fields: &PriceListFields,
        items: &[PriceItem],
        customers: (&[i64], &[i64]),
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            if fields.is_default {
                clear_other_defaults(conn, id, &fields.currency).await?;
            }
            conn.update_versioned("price_lists", id, version, values(fields), now)
                .await?;
            for table in ["price_list_items", "price_list_customers"] {
                let mut delete = Query::delete();
                delete
                    .from_table(Alias::new(table))
                    .and_where(Expr::col(Alias::new("price_list_id")).eq(id));
                conn.queue(&delete).await?;
            }
            // Written in slices: a list may hold thousands of prices.
            for chunk in items.chunks(500) {
                let mut insert = Query::insert();
                insert.into_table(Alias::new("price_list_items")).columns(
                    [
                        "price_list_id",
                        "product_id",
                        "min_quantity_milli",
                        "unit_price_minor",
                    ]
                    .map(Alias::new),
                );
                for item in chunk {
                    insert.values_panic([
                        id.into(),
                        item.product_id.into(),
                        item.min_quantity.thousandths().into(),
                        item.unit_price.into(),
                    ]);
                }
                conn.queue(&insert).await?;
            }
            let (companies, people) = customers;
            let rows: Vec<(&str, i64)> = companies
                .iter()
                .map(|c| ("company", *c))
                .chain(people.iter().map(|p| ("person", *p)))
                .collect();
            for chunk in rows.chunks(500) {
                let mut insert = Query::insert();
                insert
                    .into_table(Alias::new("price_list_customers"))
                    .columns(["price_list_id", "record_type", "record_id"].map(Alias::new));
                for (kind, record) in chunk {
                    insert.values_panic([id.into(), (*kind).into(), (*record).into()]);
                }
                conn.queue(&insert).await?;
            }
            conn.audit(&entry, now).await
        })
        .await
    }
}
