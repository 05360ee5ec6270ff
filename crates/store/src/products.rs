//! The product catalogue: list (by name, or matching a SKU or name, active ones only when
//! asked), read one, insert and update under its version, each write with its audit entry.
//! Products are shared configuration every signed-in user reads; who may change them is the
//! services' rule.

use crate::audit::AuditEntry;
use crate::codec::timestamp;
use crate::sql::Row;
use crate::{Store, StoreError, now_micros};
use rehber_domain::pricing::VatRate;
use rehber_domain::product::{Product, ProductFields};
use rehber_domain::validate::text::search_key;
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, Value};

/// The most products one page holds.
pub const MAX_PRODUCT_PAGE: u32 = 200;

/// Which products a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFilter {
    /// Part of the SKU or the name, Turkish-folded.
    pub q: Option<String>,
    /// Active ones only.
    pub active_only: bool,
    /// After this `(name_key, id)` (keyset paging by name).
    pub after: Option<(String, i64)>,
    pub limit: u32,
}

const COLUMNS: [&str; 13] = [
    "id",
    "sku",
    "name",
    "name_key",
    "description",
    "unit",
    "vat_bp",
    "vat_exemption_code",
    "price_minor",
    "currency",
    "active",
    "version",
    "created_at",
];

fn read(row: &Row) -> Result<Product, StoreError> {
    let vat_bp: i64 = row.get("vat_bp")?;
    Ok(Product {
        id: row.get("id")?,
        fields: ProductFields {
            sku: row.get("sku")?,
            name: row.get("name")?,
            description: row.get("description")?,
            unit: row.get("unit")?,
            vat_rate: VatRate::from_basis_points(vat_bp)
                .map_err(|_| StoreError::Corrupt(format!("KDV rate {vat_bp}")))?,
            vat_exemption_code: row.get("vat_exemption_code")?,
            price_minor: row.get("price_minor")?,
            currency: row.get("currency")?,
            active: row.get("active")?,
        },
        version: row.get("version")?,
        created_at: timestamp(row.get("created_at")?)?,
        updated_at: timestamp(row.get("updated_at")?)?,
    })
}

fn values(fields: &ProductFields) -> Vec<(&'static str, Value)> {
    vec![
        ("sku", fields.sku.clone().into()),
        ("sku_key", search_key(&fields.sku).into()),
        ("name", fields.name.clone().into()),
        ("name_key", search_key(&fields.name).into()),
        ("description", fields.description.clone().into()),
        ("unit", fields.unit.clone().into()),
        ("vat_bp", i64::from(fields.vat_rate.basis_points()).into()),
        (
            "vat_exemption_code",
            fields.vat_exemption_code.clone().into(),
        ),
        ("price_minor", fields.price_minor.into()),
        ("currency", fields.currency.clone().into()),
        ("active", fields.active.into()),
    ]
}

impl Store {
    /// A page of products by name, and whether there are more.
    pub async fn products(
        &self,
        filter: &ProductFilter,
    ) -> Result<(Vec<Product>, bool), StoreError> {
        let limit = filter.limit.clamp(1, MAX_PRODUCT_PAGE);
        let mut condition = Cond::all();
        if let Some(q) = filter
            .q
            .as_deref()
            .map(search_key)
            .filter(|q| !q.is_empty())
        {
            let pattern = format!(
                "%{}%",
                q.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            condition = condition.add(
                Cond::any()
                    .add(
                        Expr::col(Alias::new("sku_key"))
                            .like(sea_query::LikeExpr::new(&pattern).escape('\\')),
                    )
                    .add(
                        Expr::col(Alias::new("name_key"))
                            .like(sea_query::LikeExpr::new(&pattern).escape('\\')),
                    ),
            );
        }
        if filter.active_only {
            condition = condition.add(Expr::col(Alias::new("active")).eq(true));
        }
        if let Some((name_key, id)) = &filter.after {
            condition = condition.add(
                Cond::any()
                    .add(Expr::col(Alias::new("name_key")).gt(name_key.as_str()))
                    .add(
                        Expr::col(Alias::new("name_key"))
                            .eq(name_key.as_str())
                            .and(Expr::col(Alias::new("id")).gt(*id)),
                    ),
            );
        }
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(Alias::new))
            .column(Alias::new("updated_at"))
            .from(Alias::new("products"))
            .cond_where(condition)
            .order_by(Alias::new("name_key"), Order::Asc)
            .order_by(Alias::new("id"), Order::Asc)
            .limit(u64::from(limit) + 1);
        let mut found = self
            .fetch_rows(&select)
            .await?
            .iter()
            .map(read)
            .collect::<Result<Vec<_>, _>>()?;
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        Ok((found, more))
    }

    /// One product.
    pub async fn product(&self, id: i64) -> Result<Product, StoreError> {
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(Alias::new))
            .column(Alias::new("updated_at"))
            .from(Alias::new("products"))
            .and_where(Expr::col(Alias::new("id")).eq(id));
        match self.fetch_rows(&select).await?.first() {
            Some(row) => read(row),
            None => Err(StoreError::NotFound),
        }
    }

    /// Inserts a product with its audit entry (whose `record_id` is filled in); its id.
    /// [`StoreError::Unique`] (`products_sku_key_key`) when the SKU is taken.
    pub async fn insert_product(
        &self,
        fields: &ProductFields,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut pairs = values(fields);
            pairs.push(("created_at", now.into()));
            pairs.push(("updated_at", now.into()));
            let (columns, values) = crate::kind::split(pairs);
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("products"))
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

    /// Replaces product `id`'s fields if it is still at `version`.
    pub async fn update_product(
        &self,
        id: i64,
        version: i64,
        fields: &ProductFields,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            conn.update_versioned("products", id, version, values(fields), now)
                .await?;
            conn.audit(&entry, now).await
        })
        .await
    }
}
