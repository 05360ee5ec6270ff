//! Deals as stored: the `deals` table with its derived keys, read and written by the generic
//! operations of [`crate::kind`]; and what a pipeline's board reads: each stage's most
//! recently changed cards and the stage's totals, both through the caller's scope.

use crate::StoreError;
use crate::codec::parse_stored;
use crate::kind::StoredKind;
use crate::listing::ListTable;
use crate::party::{
    Values, custom_values, ownership_values, read_custom, read_meta, read_ownership, read_tags,
    tag_values,
};
use crate::scope::scope_condition;
use crate::sql::Row;
use crate::{Scoped, Store};
use rehber_domain::deal::{Deal, DealFields, Deals, ForecastCategory};
use rehber_domain::money::Money;
use rehber_domain::party::Ownership;
use rehber_domain::validate::text::{search_key, sort_key, truncate_key};
use rehber_domain::{CompanyId, DealId, PersonId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query};

impl StoredKind for Deals {
    const TABLE: ListTable = ListTable {
        table: "deals",
        fts_table: "deals_fts",
        tag_table: "deal_tags",
        tag_key: "deal_id",
    };

    const COLUMNS: &'static str = "deals.id, deals.name, deals.pipeline_id, deals.stage_id, \
        deals.amount_minor, deals.currency, deals.probability, deals.expected_close, \
        deals.person_id, deals.company_id, deals.lost_reason_id, deals.lost_note, \
        deals.forecast_category, deals.stage_entered_on, deals.converted_from, deals.tags, deals.notes, deals.custom, \
        deals.owner_id, deals.team_id, deals.version, deals.created_at, deals.updated_at, \
        deals.deleted_at, deals.sort_key";

    fn read(row: &Row) -> Result<Deal, StoreError> {
        let currency: String = row.get("currency")?;
        let amount = row
            .get::<Option<i64>>("amount_minor")?
            .map(|minor| Money { minor, currency });
        let date = |column: &str| -> Result<Option<jiff::civil::Date>, StoreError> {
            row.get::<Option<String>>(column)?
                .map(|text| {
                    text.parse()
                        .map_err(|_| StoreError::Corrupt(format!("{column} {text}")))
                })
                .transpose()
        };
        let category: Option<String> = row.get("forecast_category")?;
        let probability: Option<i64> = row.get("probability")?;
        Ok(Deal {
            id: DealId(row.get("id")?),
            fields: DealFields {
                name: row.get("name")?,
                pipeline_id: row.get("pipeline_id")?,
                stage_id: row.get("stage_id")?,
                amount,
                probability: probability
                    .map(|p| u8::try_from(p).map_err(|_| StoreError::Corrupt(p.to_string())))
                    .transpose()?,
                expected_close: date("expected_close")?,
                person_id: row.get::<Option<i64>>("person_id")?.map(PersonId),
                company_id: row.get::<Option<i64>>("company_id")?.map(CompanyId),
                lost_reason_id: row.get("lost_reason_id")?,
                lost_note: row.get("lost_note")?,
                forecast_category: parse_stored(category.as_deref(), ForecastCategory::parse)?,
                stage_entered_on: date("stage_entered_on")?
                    .ok_or_else(|| StoreError::Corrupt("stage_entered_on".into()))?,
                converted_from: row.get("converted_from")?,
                tags: read_tags(row)?,
                notes: row.get("notes")?,
                custom: read_custom(row)?,
            },
            ownership: read_ownership(row)?,
            meta: read_meta(row)?,
        })
    }

    fn values(f: &DealFields, ownership: Ownership) -> Values {
        let mut values: Values = vec![
            ("name", f.name.clone().into()),
            ("sort_key", sort_key(&f.name).into()),
            ("search_key", deal_search_key(f).into()),
            ("pipeline_id", f.pipeline_id.into()),
            ("stage_id", f.stage_id.into()),
            ("amount_minor", f.amount.as_ref().map(|m| m.minor).into()),
            (
                "currency",
                f.amount
                    .as_ref()
                    .map_or_else(|| "TRY".to_string(), |m| m.currency.clone())
                    .into(),
            ),
            ("probability", f.probability.map(i64::from).into()),
            (
                "expected_close",
                f.expected_close.map(|d| d.to_string()).into(),
            ),
            ("person_id", f.person_id.map(|p| p.0).into()),
            ("company_id", f.company_id.map(|c| c.0).into()),
            ("lost_reason_id", f.lost_reason_id.into()),
            ("lost_note", f.lost_note.clone().into()),
            (
                "forecast_category",
                f.forecast_category.map(|c| c.as_str()).into(),
            ),
            ("stage_entered_on", f.stage_entered_on.to_string().into()),
            ("converted_from", f.converted_from.clone().into()),
            ("notes", f.notes.clone().into()),
        ];
        values.extend(tag_values(&f.tags));
        values.extend(ownership_values(ownership));
        values.extend(custom_values(&f.custom));
        values
    }
}

/// The folded text a deal is found by: its name, tags and custom text.
fn deal_search_key(f: &DealFields) -> String {
    let mut parts = vec![f.name.clone()];
    parts.extend(f.tags.iter().cloned());
    parts.extend(crate::party::custom_words(&f.custom));
    truncate_key(search_key(&parts.join(" ")), crate::SEARCH_KEY_BYTES)
}

/// The amounts of a stage's deals of one currency and one probability override (`None`:
/// the stage's), from which a board's totals are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageSum {
    pub stage_id: i64,
    pub currency: String,
    pub probability: Option<u8>,
    /// Deals in the group.
    pub count: i64,
    /// Deals in the group without an amount.
    pub unpriced: i64,
    /// The sum of their amounts, in minor units of the currency.
    pub amount_minor: i64,
}

/// The deals a card column shows at most.
pub const MAX_BOARD_CARDS: u64 = 200;

impl Scoped<'_> {
    /// The live deals of a stage the caller may see, most recently changed first.
    pub async fn stage_cards(&self, stage_id: i64, limit: u64) -> Result<Vec<Deal>, StoreError> {
        let visibility = self.visibility::<Deals>();
        let mut select = Query::select();
        select
            .expr(Expr::cust(Deals::COLUMNS))
            .from(Alias::new("deals"))
            .and_where(Expr::col((Alias::new("deals"), Alias::new("stage_id"))).eq(stage_id))
            .and_where(Expr::col((Alias::new("deals"), Alias::new("deleted_at"))).is_null())
            .cond_where(scope_condition("deals", visibility))
            .order_by((Alias::new("deals"), Alias::new("updated_at")), Order::Desc)
            .order_by((Alias::new("deals"), Alias::new("id")), Order::Desc)
            .limit(Ord::min(limit, MAX_BOARD_CARDS));
        let rows = self.store.fetch_rows(&select).await?;
        rows.iter().map(Deals::read).collect()
    }

    /// The sums a pipeline's board totals are made of, over the live deals the caller may see.
    pub async fn stage_sums(&self, pipeline_id: i64) -> Result<Vec<StageSum>, StoreError> {
        let visibility = self.visibility::<Deals>();
        let col = |name: &str| Expr::col((Alias::new("deals"), Alias::new(name)));
        let mut select = Query::select();
        select
            .expr_as(col("stage_id"), Alias::new("stage_id"))
            .expr_as(col("currency"), Alias::new("currency"))
            .expr_as(col("probability"), Alias::new("probability"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("deal_count"))
            .expr_as(
                Expr::cust("COUNT(*) - COUNT(deals.amount_minor)"),
                Alias::new("unpriced"),
            )
            .expr_as(
                Expr::cust("CAST(COALESCE(SUM(deals.amount_minor), 0) AS BIGINT)"),
                Alias::new("amount_sum"),
            )
            .from(Alias::new("deals"))
            .and_where(col("pipeline_id").eq(pipeline_id))
            .and_where(col("deleted_at").is_null())
            .cond_where(scope_condition("deals", visibility))
            .group_by_col((Alias::new("deals"), Alias::new("stage_id")))
            .group_by_col((Alias::new("deals"), Alias::new("currency")))
            .group_by_col((Alias::new("deals"), Alias::new("probability")));
        let rows = self.store.fetch_rows(&select).await?;
        rows.iter()
            .map(|row| {
                let probability: Option<i64> = row.get("probability")?;
                Ok(StageSum {
                    stage_id: row.get("stage_id")?,
                    currency: row.get("currency")?,
                    probability: probability.and_then(|p| u8::try_from(p).ok()),
                    count: row.get("deal_count")?,
                    unpriced: row.get("unpriced")?,
                    amount_minor: row.get("amount_sum")?,
                })
            })
            .collect()
    }
}

impl Store {
    /// The live deal converted from a lead (`person:12`), whoever owns it.
    pub async fn converted_deal(&self, lead: &str) -> Result<Option<Deal>, StoreError> {
        let mut select = Query::select();
        select
            .expr(Expr::cust(Deals::COLUMNS))
            .from(Alias::new("deals"))
            .and_where(Expr::col((Alias::new("deals"), Alias::new("converted_from"))).eq(lead))
            .and_where(Expr::col((Alias::new("deals"), Alias::new("deleted_at"))).is_null());
        let rows = self.fetch_rows(&select).await?;
        rows.first().map(Deals::read).transpose()
    }

    /// How many live or deleted deals stand in a stage (a stage with deals is not removed).
    pub async fn deals_in_stage(&self, stage_id: i64) -> Result<i64, StoreError> {
        let mut select = Query::select();
        select
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("deal_count"))
            .from(Alias::new("deals"))
            .and_where(Expr::col(Alias::new("stage_id")).eq(stage_id));
        let rows = self.fetch_rows(&select).await?;
        match rows.first() {
            Some(row) => row.get("deal_count"),
            None => Ok(0),
        }
    }
}
