//! Aging as of a date, for one account or every account in view: each posted invoice's
//! amount still open at that date (payments received later do not count yet, invoices
//! cancelled later still count) in its column, and whatever else of the balance at that
//! date is on the account as unallocated credit. The balance comes from the ledger, so the
//! columns always add up to it.

use crate::ledger::{account_condition, account_scope};
use crate::scoped::Scoped;
use crate::{Store, StoreError};
use jiff::civil::Date;
use rehber_domain::ids::{CompanyId, PersonId};
use rehber_domain::ledger::{Account, Aging, AgingBucket};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query};
use std::collections::BTreeMap;

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

impl Store {
    /// Open amounts at `as_of` by account, currency and due date. For every account, what
    /// was paid of each invoice by then is one grouped pass over the allocations, joined
    /// once; for one account (`few`), a question per invoice through the allocations' index
    /// is faster than grouping them all.
    async fn open_at(
        &self,
        scope: Cond,
        as_of: Date,
        few: bool,
    ) -> Result<Vec<(Account, String, Date, i64)>, StoreError> {
        let day = as_of.to_string();
        // `as_of` is a checked date: digits and dashes only, safe to write into the text.
        let per_invoice = format!(
            "CAST(SUM(invoices.gross_minor - COALESCE((SELECT SUM(payment_allocations.amount_minor) \
             FROM payment_allocations JOIN payments ON payments.id = payment_allocations.payment_id \
             WHERE payment_allocations.invoice_id = invoices.id AND payments.received_at <= '{day}'), 0)) AS BIGINT)"
        );
        let mut paid = Query::select();
        paid.column((Alias::new("payment_allocations"), Alias::new("invoice_id")))
            .expr_as(
                Expr::cust("SUM(payment_allocations.amount_minor)"),
                Alias::new("paid_minor"),
            )
            .from(Alias::new("payment_allocations"))
            .inner_join(
                Alias::new("payments"),
                col("payments", "id")
                    .equals((Alias::new("payment_allocations"), Alias::new("payment_id"))),
            )
            .and_where(col("payments", "received_at").lte(day.clone()))
            .group_by_col((Alias::new("payment_allocations"), Alias::new("invoice_id")));
        let mut select = Query::select();
        select
            .columns(
                ["company_id", "person_id", "currency", "due_date"]
                    .map(|c| (Alias::new("invoices"), Alias::new(c))),
            )
            .from(Alias::new("invoices"));
        if few {
            select.expr_as(Expr::cust(per_invoice), Alias::new("open_minor"));
        } else {
            select
                .expr_as(
                    Expr::cust(
                        "CAST(SUM(invoices.gross_minor - COALESCE(paid.paid_minor, 0)) AS BIGINT)",
                    ),
                    Alias::new("open_minor"),
                )
                .join_subquery(
                    sea_query::JoinType::LeftJoin,
                    paid,
                    Alias::new("paid"),
                    col("paid", "invoice_id").equals((Alias::new("invoices"), Alias::new("id"))),
                );
        }
        select
            .cond_where(
                scope
                    .add(col("invoices", "kind").eq("invoice"))
                    .add(col("invoices", "posted_at").is_not_null())
                    .add(col("invoices", "issue_date").lte(day.clone()))
                    .add(
                        Cond::any()
                            .add(col("invoices", "cancelled_on").is_null())
                            .add(col("invoices", "cancelled_on").gt(day)),
                    ),
            )
            .group_by_columns(
                ["company_id", "person_id", "currency", "due_date"]
                    .map(|c| (Alias::new("invoices"), Alias::new(c))),
            );
        self.fetch_rows(&select)
            .await?
            .iter()
            .map(|row| {
                Ok((
                    account_of(row)?,
                    row.get::<String>("currency")?,
                    crate::documents::read_date(row, "due_date")?,
                    row.get::<i64>("open_minor")?,
                ))
            })
            .collect()
    }

    /// Ledger balances at `as_of` by account and currency, with the customer's name (joined
    /// after grouping: one lookup per account, not per entry).
    async fn balances_at(
        &self,
        scope: Cond,
        as_of: Date,
    ) -> Result<Vec<(Account, String, String, i64)>, StoreError> {
        let mut sums = Query::select();
        sums.columns(
            ["company_id", "person_id", "currency"]
                .map(|c| (Alias::new("ledger_entries"), Alias::new(c))),
        )
        .expr_as(
            Expr::cust(
                "CAST(SUM(ledger_entries.debit_minor - ledger_entries.credit_minor) AS BIGINT)",
            ),
            Alias::new("balance_minor"),
        )
        .from(Alias::new("ledger_entries"))
        .cond_where(scope.add(col("ledger_entries", "entry_date").lte(as_of.to_string())))
        .group_by_columns(
            ["company_id", "person_id", "currency"]
                .map(|c| (Alias::new("ledger_entries"), Alias::new(c))),
        );
        let mut select = Query::select();
        select
            .columns(
                ["company_id", "person_id", "currency", "balance_minor"]
                    .map(|c| (Alias::new("sums"), Alias::new(c))),
            )
            .expr_as(
                Expr::cust(
                    "COALESCE(companies.name, people.first_name || ' ' || people.last_name)",
                ),
                Alias::new("name"),
            )
            .from_subquery(sums, Alias::new("sums"))
            .left_join(
                Alias::new("companies"),
                col("companies", "id").equals((Alias::new("sums"), Alias::new("company_id"))),
            )
            .left_join(
                Alias::new("people"),
                col("people", "id").equals((Alias::new("sums"), Alias::new("person_id"))),
            )
            .order_by_expr(Expr::cust("name"), Order::Asc);
        self.fetch_rows(&select)
            .await?
            .iter()
            .map(|row| {
                Ok((
                    account_of(row)?,
                    row.get::<String>("currency")?,
                    row.get::<Option<String>>("name")?.unwrap_or_default(),
                    row.get::<i64>("balance_minor")?,
                ))
            })
            .collect()
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
        let open = self
            .store()
            .open_at(scope("invoices"), as_of, account.is_some())
            .await?;
        let balances = self
            .store()
            .balances_at(scope("ledger_entries"), as_of)
            .await?;
        let mut columns: BTreeMap<(Account, String), Aging> = BTreeMap::new();
        for (account, currency, due, amount) in open {
            if amount != 0 {
                columns
                    .entry((account, currency))
                    .or_default()
                    .add_open(AgingBucket::of(due, as_of), amount);
            }
        }
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
