//! Exchange rates: TRY per one unit of a currency on a day (times 10^6), entered by hand or
//! read from the central bank's daily file. A day's rate of a currency is kept once; a later
//! entry replaces it, with its audit entry.

use crate::audit::AuditEntry;
use crate::{Store, StoreError, now_micros};
use jiff::civil::Date;
use rehber_domain::UserId;
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query};

/// One day's rate of a currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRate {
    pub currency: String,
    pub date: Date,
    /// TRY per one unit, times 10^6.
    pub rate_e6: i64,
    /// `manual` or `tcmb`.
    pub source: String,
}

fn read(row: &crate::sql::Row) -> Result<ExchangeRate, StoreError> {
    let date: String = row.get("rate_date")?;
    Ok(ExchangeRate {
        currency: row.get("currency")?,
        date: date
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("rate date {date}")))?,
        rate_e6: row.get("rate_e6")?,
        source: row.get("source")?,
    })
}

impl Store {
    /// Writes the rates (each replacing the same currency's rate of the same day) and one
    /// audit entry, in one transaction.
    pub async fn put_rates(
        &self,
        rates: &[ExchangeRate],
        by: Option<UserId>,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            for rate in rates {
                let mut insert = Query::insert();
                insert
                    .into_table(Alias::new("exchange_rates"))
                    .columns(
                        [
                            "currency",
                            "rate_date",
                            "rate_e6",
                            "source",
                            "created_by",
                            "created_at",
                        ]
                        .map(Alias::new),
                    )
                    .values([
                        rate.currency.clone().into(),
                        rate.date.to_string().into(),
                        rate.rate_e6.into(),
                        rate.source.clone().into(),
                        by.map(|u| u.0).into(),
                        now.into(),
                    ])
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
                    .on_conflict(
                        OnConflict::columns([Alias::new("currency"), Alias::new("rate_date")])
                            .update_columns(
                                ["rate_e6", "source", "created_by", "created_at"].map(Alias::new),
                            )
                            .to_owned(),
                    );
                conn.queue(&insert).await?;
            }
            conn.audit(&entry, now).await
        })
        .await
    }

    /// The latest rate of `currency` on or before `day`, if any.
    pub async fn rate_on(
        &self,
        currency: &str,
        day: Date,
    ) -> Result<Option<ExchangeRate>, StoreError> {
        let mut select = Query::select();
        select
            .columns(["currency", "rate_date", "rate_e6", "source"].map(Alias::new))
            .from(Alias::new("exchange_rates"))
            .and_where(Expr::col(Alias::new("currency")).eq(currency))
            .and_where(Expr::col(Alias::new("rate_date")).lte(day.to_string()))
            .order_by(Alias::new("rate_date"), Order::Desc)
            .limit(1);
        let rows = self.fetch_rows(&select).await?;
        rows.first().map(read).transpose()
    }

    /// The most recent rates, newest day first (at most `limit`).
    pub async fn recent_rates(&self, limit: u64) -> Result<Vec<ExchangeRate>, StoreError> {
        let mut select = Query::select();
        select
            .columns(["currency", "rate_date", "rate_e6", "source"].map(Alias::new))
            .from(Alias::new("exchange_rates"))
            .order_by(Alias::new("rate_date"), Order::Desc)
            .order_by(Alias::new("currency"), Order::Asc)
            .limit(limit);
        let rows = self.fetch_rows(&select).await?;
        rows.iter().map(read).collect()
    }
}
