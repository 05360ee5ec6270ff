//! What a forecast reads of the deals, through the caller's scope: a period's won deals (by
//! their close day: the expected close a won deal was given, else the day it entered its
//! won stage) and its open deals (by their expected close), summed per owner, stage kind,
//! category, currency and probability; the customers whose first won deal closed in the
//! period; and the open deals whose expected close has passed.

use crate::kind::StoredKind;
use crate::scope::scope_condition;
use crate::{Scoped, StoreError};
use jiff::civil::Date;
use rehber_domain::deal::{Deal, Deals, ForecastCategory};
use rehber_domain::pipeline::StageKind;
use rehber_domain::target::{Period, TargetSubject};
use rehber_domain::{UserId, Visibility};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SelectStatement};

/// The amounts of one group of a period's deals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastSum {
    pub owner: Option<UserId>,
    /// Won or open (lost deals are not read).
    pub stage_kind: StageKind,
    /// The deal's own category; `None`: its stage kind's.
    pub category: Option<ForecastCategory>,
    pub currency: String,
    /// The deal's probability, else its stage's.
    pub probability: u8,
    pub count: i64,
    /// Deals of the group without an amount.
    pub unpriced: i64,
    pub amount_minor: i64,
}

fn col(table: &str, name: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(name)))
}

/// The deals of a subject (a rep's own, a team's), or all when `None`.
fn subject_condition(subject: Option<TargetSubject>) -> Cond {
    match subject {
        None => Cond::all(),
        Some(TargetSubject::User(user)) => Cond::all().add(col("deals", "owner_id").eq(user.0)),
        Some(TargetSubject::Team(team)) => Cond::all().add(col("deals", "team_id").eq(team.0)),
    }
}

/// Live deals joined to their stage, in `visibility` and of `subject`.
fn deals_in_view(visibility: Visibility, subject: Option<TargetSubject>) -> SelectStatement {
    let mut select = Query::select();
    select
        .from(Alias::new("deals"))
        .inner_join(
            Alias::new("pipeline_stages"),
            col("pipeline_stages", "id").equals((Alias::new("deals"), Alias::new("stage_id"))),
        )
        .and_where(col("deals", "deleted_at").is_null())
        .cond_where(scope_condition("deals", visibility))
        .cond_where(subject_condition(subject));
    select
}

/// Deals whose close day is in `period`: the expected close when there is one, else the day
/// they entered their stage. Spelled as two ranges, not as the close day's expression, so
/// that the expected-close index answers it.
fn closing_in(period: Period) -> Cond {
    let (start, end) = (period.start.to_string(), period.end.to_string());
    Cond::any()
        .add(
            Cond::all()
                .add(col("deals", "expected_close").gte(start.clone()))
                .add(col("deals", "expected_close").lte(end.clone())),
        )
        .add(
            Cond::all()
                .add(col("deals", "expected_close").is_null())
                .add(col("deals", "stage_entered_on").gte(start))
                .add(col("deals", "stage_entered_on").lte(end)),
        )
}

/// Won deals closed in `period`: the condition on `deals` and its joined stage.
fn won_in(period: Period) -> Cond {
    Cond::all()
        .add(closing_in(period))
        .add(col("pipeline_stages", "kind").eq(StageKind::Won.as_str()))
}

/// The won deals of the period that are their customer's first. For one rep (few won
/// deals) each asks its customer's own deals through their index; for a team or everyone,
/// the customers won before the period are read once as a set (asked deal by deal, each
/// customer's deals would be read again for every deal won of them).
fn first_won_condition(period: Period, few: bool) -> String {
    // The day is a checked date (digits and dashes): safe to write into the text, which
    // spares the backends' different placeholders.
    let before = format!(
        "earlier_stage.kind = 'won' AND earlier.deleted_at IS NULL \
         AND COALESCE(earlier.expected_close, earlier.stage_entered_on) < '{}'",
        period.start
    );
    let from = "FROM deals AS earlier \
         JOIN pipeline_stages AS earlier_stage ON earlier_stage.id = earlier.stage_id";
    let (company, person) = if few {
        (
            format!(
                "NOT EXISTS (SELECT 1 {from} WHERE earlier.company_id = deals.company_id AND {before})"
            ),
            format!(
                "NOT EXISTS (SELECT 1 {from} WHERE earlier.person_id = deals.person_id \
                 AND earlier.company_id IS NULL AND {before})"
            ),
        )
    } else {
        (
            format!(
                "deals.company_id NOT IN (SELECT earlier.company_id {from} \
                 WHERE earlier.company_id IS NOT NULL AND {before})"
            ),
            format!(
                "deals.person_id NOT IN (SELECT earlier.person_id {from} \
                 WHERE earlier.person_id IS NOT NULL AND earlier.company_id IS NULL AND {before})"
            ),
        )
    };
    format!(
        "((deals.company_id IS NOT NULL AND {company}) \
         OR (deals.company_id IS NULL AND deals.person_id IS NOT NULL AND {person}))"
    )
}

impl Scoped<'_> {
    /// The sums of `period`'s won and open deals the caller may see, of `subject`.
    pub async fn forecast_sums(
        &self,
        subject: Option<TargetSubject>,
        period: Period,
    ) -> Result<Vec<ForecastSum>, StoreError> {
        let visibility = self.visibility::<Deals>();
        // Won by their close day; open by their expected close (none: not in any period).
        let counted = Cond::any()
            .add(col("pipeline_stages", "kind").eq(StageKind::Won.as_str()))
            .add(
                Cond::all()
                    .add(col("pipeline_stages", "kind").eq(StageKind::Open.as_str()))
                    .add(col("deals", "expected_close").is_not_null()),
            );
        let mut select = deals_in_view(visibility, subject);
        select
            .expr_as(col("deals", "owner_id"), Alias::new("owner_id"))
            .expr_as(col("pipeline_stages", "kind"), Alias::new("stage_kind"))
            .expr_as(col("deals", "forecast_category"), Alias::new("category"))
            .expr_as(col("deals", "currency"), Alias::new("currency"))
            .expr_as(
                Expr::cust("COALESCE(deals.probability, pipeline_stages.probability)"),
                Alias::new("chance"),
            )
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("deal_count"))
            .expr_as(
                Expr::cust("COUNT(*) - COUNT(deals.amount_minor)"),
                Alias::new("unpriced"),
            )
            .expr_as(
                Expr::cust("CAST(COALESCE(SUM(deals.amount_minor), 0) AS BIGINT)"),
                Alias::new("amount_sum"),
            )
            .cond_where(closing_in(period))
            .cond_where(counted)
            .group_by_col((Alias::new("deals"), Alias::new("owner_id")))
            .group_by_col((Alias::new("pipeline_stages"), Alias::new("kind")))
            .group_by_col((Alias::new("deals"), Alias::new("forecast_category")))
            .group_by_col((Alias::new("deals"), Alias::new("currency")))
            .add_group_by([Expr::cust(
                "COALESCE(deals.probability, pipeline_stages.probability)",
            )]);
        let rows = self.store.fetch_rows(&select).await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.get("stage_kind")?;
                let category: Option<String> = row.get("category")?;
                let chance: i64 = row.get("chance")?;
                Ok(ForecastSum {
                    owner: row.get::<Option<i64>>("owner_id")?.map(UserId),
                    stage_kind: StageKind::parse(&kind).ok_or(StoreError::Corrupt(kind))?,
                    category: crate::codec::parse_stored(
                        category.as_deref(),
                        ForecastCategory::parse,
                    )?,
                    currency: row.get("currency")?,
                    probability: u8::try_from(chance)
                        .map_err(|_| StoreError::Corrupt(chance.to_string()))?,
                    count: row.get("deal_count")?,
                    unpriced: row.get("unpriced")?,
                    amount_minor: row.get("amount_sum")?,
                })
            })
            .collect()
    }

    /// Per owner, the customers (a company, else a person) whose first won deal closed in
    /// `period`, among the deals the caller may see, of `subject`. Whether a customer was
    /// won before is asked of every deal: being new is the customer's history, not the
    /// caller's view of it.
    pub async fn new_customers(
        &self,
        subject: Option<TargetSubject>,
        period: Period,
    ) -> Result<Vec<(Option<UserId>, i64)>, StoreError> {
        let visibility = self.visibility::<Deals>();
        let mut select = deals_in_view(visibility, subject);
        // The day is a checked date (digits and dashes): safe to write into the text, which
        // spares the backends' different placeholders.
        let one_rep = matches!(subject, Some(TargetSubject::User(_)));
        let first_won = first_won_condition(period, one_rep);
        select
            .expr_as(col("deals", "owner_id"), Alias::new("owner_id"))
            .expr_as(
                Expr::cust(
                    "COUNT(DISTINCT deals.company_id) + COUNT(DISTINCT CASE WHEN \
                     deals.company_id IS NULL THEN deals.person_id END)",
                ),
                Alias::new("customers"),
            )
            .cond_where(won_in(period))
            .and_where(Expr::cust(first_won))
            .group_by_col((Alias::new("deals"), Alias::new("owner_id")));
        let rows = self.store.fetch_rows(&select).await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.get::<Option<i64>>("owner_id")?.map(UserId),
                    row.get("customers")?,
                ))
            })
            .collect()
    }

    /// Open deals the caller may see, of `subject`, whose expected close is before `today`:
    /// the oldest first, at most `limit`, and how many there are in all.
    pub async fn overdue_deals(
        &self,
        subject: Option<TargetSubject>,
        today: Date,
        limit: u64,
    ) -> Result<(Vec<Deal>, i64), StoreError> {
        let visibility = self.visibility::<Deals>();
        let overdue = Cond::all()
            .add(col("pipeline_stages", "kind").eq(StageKind::Open.as_str()))
            .add(col("deals", "expected_close").lt(today.to_string()));
        let mut count = deals_in_view(visibility, subject);
        count
            .expr(Expr::cust("COUNT(*)"))
            .cond_where(overdue.clone());
        let total = self.store.fetch_scalars(&count).await?;
        let mut select = deals_in_view(visibility, subject);
        select
            .expr(Expr::cust(Deals::COLUMNS))
            .cond_where(overdue)
            .order_by(
                (Alias::new("deals"), Alias::new("expected_close")),
                Order::Asc,
            )
            .order_by((Alias::new("deals"), Alias::new("id")), Order::Asc)
            .limit(limit);
        let rows = self.store.fetch_rows(&select).await?;
        let deals = rows.iter().map(Deals::read).collect::<Result<_, _>>()?;
        Ok((deals, total.first().copied().unwrap_or(0)))
    }
}
