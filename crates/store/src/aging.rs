//! Aging as of a date, for one account or every account in view: each posted invoice's
//! amount still open at that date (payments received later do not count yet, invoices
//! cancelled later still count) in its column, and whatever else of the balance at that
//! date is on the account as unallocated credit. The balance comes from the ledger, so the
//! columns always add up to it.
//!
//! Both halves start from totals the database keeps on write (`invoices.paid_minor`,
//! `ledger_balances`) and correct them by what happened after the date, so aging as of
//! today reads one row per open invoice and one per account.

use crate::ledger::{account_condition, account_scope};
use crate::scoped::Scoped;
use crate::{Store, StoreError};
use jiff::civil::Date;
use rehber_domain::ids::{CompanyId, PersonId};
use rehber_domain::ledger::{Account, Aging, AgingBucket};
use sea_query::{
    Alias, CommonTableExpression, Cond, Expr, ExprTrait, Query, SelectStatement, WithClause,
    WithQuery,
};
use std::collections::HashMap;

/// One account's aging in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgingRow {
    pub account: Account,
    /// The company's name, or the person's.
    pub name: String,
    pub currency: String,
    pub aging: Aging,
    /// The ledger balance at the date (positive: the customer owes).
    pub balance: i64,
}

fn account_of(row: &crate::sql::Row) -> Result<Account, StoreError> {
    Account::of(
        row.get::<Option<i64>>("company_id")?.map(CompanyId),
        row.get::<Option<i64>>("person_id")?.map(PersonId),
    )
    .ok_or_else(|| StoreError::Corrupt("ledger row without an account".into()))
}

fn col(table: &str, name: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(name)))
}

const ACCOUNT_COLUMNS: [&str; 3] = ["company_id", "person_id", "currency"];
const INVOICE_COLUMNS: [&str; 4] = ["company_id", "person_id", "currency", "due_date"];

/// `select` over the rows `rows` returns, computed first on their own (`WITH … AS
/// MATERIALIZED`). The rows after a date are few and found through the date's index; left to
/// itself, a planner without statistics trades that index for one that gives the grouping's
/// order and reads every row.
fn computed_first(select: SelectStatement, name: &str, rows: SelectStatement) -> WithQuery {
    let mut cte = CommonTableExpression::new();
    cte.query(rows)
        .table_name(Alias::new(name))
        .materialized(true);
    let mut clause = WithClause::new();
    clause.cte(cte);
    select.with(clause)
}

/// Posted invoices (not credit notes) issued by `day` and not cancelled by then.
fn invoices_standing(scope: Cond, day: &str) -> Cond {
    scope
        .add(col("invoices", "kind").eq("invoice"))
        .add(col("invoices", "posted_at").is_not_null())
        .add(col("invoices", "issue_date").lte(day))
        .add(
            Cond::any()
                .add(col("invoices", "cancelled_on").is_null())
                .add(col("invoices", "cancelled_on").gt(day)),
        )
}

/// The aging columns, in the order `BUCKETS` names them.
const BUCKET_COLUMNS: [&str; 5] = [
    "not_due",
    "days_0_30",
    "days_31_60",
    "days_61_90",
    "days_over_90",
];
const BUCKETS: [AgingBucket; 5] = [
    AgingBucket::NotDue,
    AgingBucket::Days0To30,
    AgingBucket::Days31To60,
    AgingBucket::Days61To90,
    AgingBucket::Over90,
];

/// Adds to `select` the sum of `amount` in each aging column at `as_of`, by the invoice's
/// due date `due`, so that the database returns one row per account rather than per invoice.
fn sum_by_column(select: &mut SelectStatement, amount: &str, due: &str, as_of: Date) {
    // Checked dates: digits and dashes only, safe to write into the text.
    let bounds = AgingBucket::earliest_due(as_of).map(|(_, day)| day.to_string());
    let mut ranges: Vec<String> = Vec::with_capacity(5);
    for (i, earliest) in bounds.iter().enumerate() {
        ranges.push(match i {
            0 => format!("{due} >= '{earliest}'"),
            _ => format!("{due} >= '{earliest}' AND {due} < '{}'", bounds[i - 1]),
        });
    }
    ranges.push(format!("{due} < '{}'", bounds[3]));
    for (range, name) in ranges.iter().zip(BUCKET_COLUMNS) {
        select.expr_as(
            Expr::cust(format!(
                "CAST(SUM(CASE WHEN {range} THEN {amount} ELSE 0 END) AS BIGINT)"
            )),
            Alias::new(name),
        );
    }
}

impl Store {
    /// Adds the rows of `select` (an account, its currency and the aging columns) to
    /// `columns`.
    async fn add_open<S: sea_query_sqlx::SqlxBinder>(
        &self,
        select: &S,
        columns: &mut HashMap<(Account, String), Aging>,
    ) -> Result<(), StoreError> {
        for row in self.fetch_rows(select).await? {
            let aging = columns
                .entry((account_of(&row)?, row.get::<String>("currency")?))
                .or_default();
            for (bucket, name) in BUCKETS.into_iter().zip(BUCKET_COLUMNS) {
                aging.add_open(bucket, row.get::<i64>(name)?);
            }
        }
        Ok(())
    }

    /// Open amounts at `as_of` by account and currency, in their columns: what is open
    /// today of the invoices standing then, plus what payments received after `as_of` took
    /// off them.
    async fn open_at(
        &self,
        scope: Cond,
        as_of: Date,
    ) -> Result<HashMap<(Account, String), Aging>, StoreError> {
        let day = as_of.to_string();
        let group = ACCOUNT_COLUMNS.map(|c| (Alias::new("invoices"), Alias::new(c)));
        let mut open_now = Query::select();
        open_now
            .columns(group.clone())
            .from(Alias::new("invoices"))
            .cond_where(
                invoices_standing(scope.clone(), &day)
                    // Word for word the predicate of `invoices_open_idx`.
                    .add(Expr::cust(
                        "invoices.kind = 'invoice' AND invoices.posted_at IS NOT NULL \
                         AND invoices.gross_minor <> invoices.paid_minor",
                    )),
            )
            .group_by_columns(group.clone());
        sum_by_column(
            &mut open_now,
            "invoices.gross_minor - invoices.paid_minor",
            "invoices.due_date",
            as_of,
        );
        let mut paid_later = Query::select();
        paid_later
            .columns(INVOICE_COLUMNS.map(|c| (Alias::new("invoices"), Alias::new(c))))
            .column((
                Alias::new("payment_allocations"),
                Alias::new("amount_minor"),
            ))
            .from(Alias::new("payments"))
            .inner_join(
                Alias::new("payment_allocations"),
                col("payment_allocations", "payment_id")
                    .equals((Alias::new("payments"), Alias::new("id"))),
            )
            .inner_join(
                Alias::new("invoices"),
                col("invoices", "id")
                    .equals((Alias::new("payment_allocations"), Alias::new("invoice_id"))),
            )
            .cond_where(
                invoices_standing(scope, &day).add(col("payments", "received_at").gt(day.clone())),
            );
        let mut paid_later_sums = Query::select();
        paid_later_sums
            .columns(ACCOUNT_COLUMNS.map(Alias::new))
            .from(Alias::new("paid_later"))
            .group_by_columns(ACCOUNT_COLUMNS.map(Alias::new));
        sum_by_column(&mut paid_later_sums, "amount_minor", "due_date", as_of);
        let paid_later = computed_first(paid_later_sums, "paid_later", paid_later);
        let mut columns = HashMap::new();
        self.add_open(&open_now, &mut columns).await?;
        self.add_open(&paid_later, &mut columns).await?;
        Ok(columns)
    }

    /// Ledger balances at `as_of` by account and currency, with the customer's name, by
    /// name: the kept balance less the entries dated after `as_of`.
    async fn balances_at(
        &self,
        scope: impl Fn(&str) -> Cond,
        as_of: Date,
    ) -> Result<Vec<(Account, String, String, i64)>, StoreError> {
        let mut later = Query::select();
        later
            .columns(ACCOUNT_COLUMNS.map(|c| (Alias::new("ledger_entries"), Alias::new(c))))
            .expr_as(
                Expr::cust("ledger_entries.debit_minor - ledger_entries.credit_minor"),
                Alias::new("amount_minor"),
            )
            .from(Alias::new("ledger_entries"))
            .cond_where(
                scope("ledger_entries")
                    .add(col("ledger_entries", "entry_date").gt(as_of.to_string())),
            );
        let mut later_sums = Query::select();
        later_sums
            .columns(ACCOUNT_COLUMNS.map(Alias::new))
            .expr_as(
                Expr::cust("CAST(SUM(amount_minor) AS BIGINT)"),
                Alias::new("balance_minor"),
            )
            .from(Alias::new("later"))
            .group_by_columns(ACCOUNT_COLUMNS.map(Alias::new));
        let later = computed_first(later_sums, "later", later);
        let mut entered_later: HashMap<(Account, String), i64> = HashMap::new();
        for row in self.fetch_rows(&later).await? {
            entered_later.insert(
                (account_of(&row)?, row.get::<String>("currency")?),
                row.get::<i64>("balance_minor")?,
            );
        }
        // Company accounts and people's own accounts apart: each joins only its own table
        // (a join of every account to the people table made PostgreSQL hash all of them).
        let mut accounts = Vec::new();
        for (parties, key, name) in [
            ("companies", "company_id", "companies.name"),
            (
                "people",
                "person_id",
                "people.first_name || ' ' || people.last_name",
            ),
        ] {
            let mut select = Query::select();
            select
                .columns(
                    ["company_id", "person_id", "currency", "balance_minor"]
                        .map(|c| (Alias::new("ledger_balances"), Alias::new(c))),
                )
                .expr_as(Expr::cust(name), Alias::new("name"))
                .column((Alias::new(parties), Alias::new("sort_key")))
                .from(Alias::new("ledger_balances"))
                .inner_join(
                    Alias::new(parties),
                    col(parties, "id").equals((Alias::new("ledger_balances"), Alias::new(key))),
                )
                .cond_where(
                    scope("ledger_balances").add(col("ledger_balances", key).is_not_null()),
                );
            for row in self.fetch_rows(&select).await? {
                let account = account_of(&row)?;
                let currency = row.get::<String>("currency")?;
                let later = entered_later
                    .get(&(account, currency.clone()))
                    .copied()
                    .unwrap_or_default();
                accounts.push((
                    row.get::<String>("sort_key")?,
                    (
                        account,
                        currency,
                        row.get::<String>("name")?,
                        row.get::<i64>("balance_minor")?.saturating_sub(later),
                    ),
                ));
            }
        }
        // The lists' Turkish alphabetical key, compared byte by byte as they compare it.
        accounts.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(accounts.into_iter().map(|(_, account)| account).collect())
    }
}

impl Scoped<'_> {
    /// The aging at `as_of` of `account` (or of every account in view), one row per account
    /// and currency with anything on it, by customer name.
    pub async fn aging(
        &self,
        as_of: Date,
        account: Option<Account>,
    ) -> Result<Vec<AgingRow>, StoreError> {
        let scope = |table: &str| {
            let mut condition = account_scope(self, table);
            if let Some(account) = account {
                condition = condition.add(account_condition(table, account));
            }
            condition
        };
        let mut columns = self.store().open_at(scope("invoices"), as_of).await?;
        let balances = self.store().balances_at(scope, as_of).await?;
        let mut rows = Vec::with_capacity(balances.len());
        for (account, currency, name, balance) in balances {
            let mut aging = columns
                .remove(&(account, currency.clone()))
                .unwrap_or_default();
            aging.unallocated = balance.saturating_sub(aging.balance());
            if balance == 0 && aging == Aging::default() {
                continue;
            }
            rows.push(AgingRow {
                account,
                name,
                currency,
                aging,
                balance,
            });
        }
        Ok(rows)
    }
}
