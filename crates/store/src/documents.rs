//! What quotes and orders share: numbers taken without gaps, and document lines written and
//! read in one shape (`quote_lines`, `order_lines`).

use crate::sql::{Conn, Row};
use crate::{Store, StoreError};
use jiff::civil::Date;
use rehber_domain::pricing::{Discount, LineAmounts, LineInput, Quantity, VatRate};
use rehber_domain::quote::DocumentLine;
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query, Value};

/// Takes the next number of `series` in `year` inside the caller's transaction: the row of
/// the series is bumped (created at 1), so the number is given back when the transaction
/// fails and a concurrent writer waits for this one's commit. Numbers have no gaps.
pub(crate) async fn next_number(
    conn: &mut Conn<'_>,
    series: &str,
    year: i64,
) -> Result<i64, StoreError> {
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("document_numbers"))
        .columns(["series", "year", "last_number"].map(Alias::new))
        .values_panic([series.into(), year.into(), 1i64.into()])
        .on_conflict(
            OnConflict::columns(["series", "year"].map(Alias::new))
                .value(
                    Alias::new("last_number"),
                    Expr::col((Alias::new("document_numbers"), Alias::new("last_number"))).add(1),
                )
                .to_owned(),
        )
        .returning_col(Alias::new("last_number"));
    conn.fetch_i64(&insert).await
}

/// Writes `lines` of the document `owner_id` into `table` (whose key column is `owner`).
/// `with_exemption`: the table keeps the line's KDV exemption code and pre-discount
/// amounts (quotes do; orders keep what delivery needs).
pub(crate) async fn insert_lines(
    conn: &mut Conn<'_>,
    table: &str,
    owner: &str,
    owner_id: i64,
    lines: &[DocumentLine],
    with_exemption: bool,
) -> Result<(), StoreError> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut columns = vec![
        owner,
        "position",
        "product_id",
        "description",
        "unit",
        "quantity_milli",
        "unit_price_minor",
        "discount_bp",
        "vat_bp",
        "net_minor",
        "vat_minor",
        "gross_minor",
    ];
    if with_exemption {
        columns.extend(["vat_exemption_code", "subtotal_minor", "discount_minor"]);
    }
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(table))
        .columns(columns.into_iter().map(Alias::new));
    for line in lines {
        let mut values: Vec<Value> = vec![
            owner_id.into(),
            line.position.into(),
            line.product_id.into(),
            line.description.clone().into(),
            line.unit.clone().into(),
            line.input.quantity.thousandths().into(),
            line.input.unit_price.into(),
            i64::from(line.input.discount.basis_points()).into(),
            i64::from(line.input.vat_rate.basis_points()).into(),
            line.amounts.net.into(),
            line.amounts.vat.into(),
            line.amounts.gross.into(),
        ];
        if with_exemption {
            values.extend([
                line.vat_exemption_code.clone().into(),
                line.amounts.subtotal.into(),
                line.amounts.discount.into(),
            ]);
        }
        insert.values_panic(values.into_iter().map(Into::into));
    }
    conn.queue(&insert).await
}

fn read_line(row: &Row, with_exemption: bool) -> Result<(i64, DocumentLine), StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("document line {what}"));
    let quantity =
        Quantity::from_thousandths(row.get("quantity_milli")?).map_err(|_| corrupt("quantity"))?;
    let discount_bp: i64 = row.get("discount_bp")?;
    let discount = Discount::from_basis_points(discount_bp).map_err(|_| corrupt("discount"))?;
    let vat_rate =
        VatRate::from_basis_points(row.get("vat_bp")?).map_err(|_| corrupt("KDV rate"))?;
    let input = LineInput {
        quantity,
        unit_price: row.get("unit_price_minor")?,
        discount,
        vat_rate,
    };
    let net: i64 = row.get("net_minor")?;
    let (subtotal, discount_minor, exemption) = if with_exemption {
        (
            row.get("subtotal_minor")?,
            row.get("discount_minor")?,
            row.get("vat_exemption_code")?,
        )
    } else {
        // An order keeps the net; the discount is re-derived from the same rule.
        let priced = rehber_domain::pricing::price_line(&input).map_err(|_| corrupt("amount"))?;
        (priced.subtotal, priced.discount, None)
    };
    Ok((
        row.get("owner_id")?,
        DocumentLine {
            position: row.get("position")?,
            product_id: row.get("product_id")?,
            description: row.get("description")?,
            unit: row.get("unit")?,
            input,
            vat_exemption_code: exemption,
            amounts: LineAmounts {
                subtotal,
                discount: discount_minor,
                net,
                vat: row.get("vat_minor")?,
                gross: row.get("gross_minor")?,
            },
        },
    ))
}

impl Store {
    /// The lines of the documents `ids` from `table`, by document and position.
    pub(crate) async fn document_lines(
        &self,
        table: &str,
        owner: &str,
        ids: &[i64],
        with_exemption: bool,
    ) -> Result<Vec<(i64, DocumentLine)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut select = Query::select();
        select
            .expr_as(Expr::col(Alias::new(owner)), Alias::new("owner_id"))
            .columns(
                [
                    "position",
                    "product_id",
                    "description",
                    "unit",
                    "quantity_milli",
                    "unit_price_minor",
                    "discount_bp",
                    "vat_bp",
                    "net_minor",
                    "vat_minor",
                    "gross_minor",
                ]
                .map(Alias::new),
            )
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new(owner)).is_in(ids.iter().copied()))
            .order_by(Alias::new(owner), Order::Asc)
            .order_by(Alias::new("position"), Order::Asc);
        if with_exemption {
            select.columns(
                ["vat_exemption_code", "subtotal_minor", "discount_minor"].map(Alias::new),
            );
        }
        self.fetch_rows(&select)
            .await?
            .iter()
            .map(|row| read_line(row, with_exemption))
            .collect()
    }
}

/// A stored ISO date.
pub(crate) fn read_date(row: &Row, column: &str) -> Result<Date, StoreError> {
    let text: String = row.get(column)?;
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{column} {text:?}")))
}

/// A stored ISO date that may be absent.
pub(crate) fn read_optional_date(row: &Row, column: &str) -> Result<Option<Date>, StoreError> {
    let text: Option<String> = row.get(column)?;
    text.map(|t| {
        t.parse()
            .map_err(|_| StoreError::Corrupt(format!("{column} {t:?}")))
    })
    .transpose()
}
