//! What each customer owes, kept on the customer's row (`balance_minor`, `overdue_minor`)
//! so that lists sort and filter by it: the balance of their TRY account and the part of
//! it overdue (posted invoices past their due date, less what is allocated to them). Every
//! ledger write refreshes its account's figures in its own transaction; the nightly job
//! moves the overdue part on as due dates pass. Accounts in other currencies are never
//! summed into these (their balances are on the customer's page).

use crate::scope::scope_condition;
use crate::sql::Conn;
use crate::{Scoped, Store, StoreError};
use jiff::civil::Date;
use rehber_domain::access::RecordKind;
use rehber_domain::ledger::Account;
use sea_query::{Alias, Expr, ExprTrait, Query};
use std::collections::HashMap;

/// The currency whose account the lists show.
pub const LIST_CURRENCY: &str = "TRY";

/// The SQL of an account's figures, for the row of `table` (`companies` or `people`) the
/// statement updates. `today` is a checked date: digits and dashes only.
fn figures_sql(table: &str, today: Date) -> (String, String) {
    let (balance_of, invoices_of) = match table {
        "companies" => (
            "ledger_balances.company_id = companies.id",
            "invoices.company_id = companies.id",
        ),
        _ => (
            "ledger_balances.person_id = people.id",
            "invoices.company_id IS NULL AND invoices.person_id = people.id",
        ),
    };
    // Both read the totals the database keeps on write (migration 0024).
    let balance = format!(
        "COALESCE((SELECT ledger_balances.balance_minor FROM ledger_balances \
         WHERE {balance_of} AND ledger_balances.currency = '{LIST_CURRENCY}'), 0)"
    );
    let overdue = format!(
        "COALESCE((SELECT SUM(invoices.gross_minor - invoices.paid_minor) \
         FROM invoices WHERE {invoices_of} AND invoices.status = 'posted' \
         AND invoices.kind = 'invoice' AND invoices.currency = '{LIST_CURRENCY}' \
         AND invoices.due_date < '{today}'), 0)"
    );
    (balance, overdue)
}

fn table_and_id(account: Account) -> (&'static str, i64) {
    match account {
        Account::Company(id) => ("companies", id.0),
        Account::Person(id) => ("people", id.0),
    }
}

/// Recomputes `account`'s figures on its row, in the caller's transaction (after a ledger
/// write in `currency`; other currencies do not touch them).
pub(crate) async fn refresh_account(
    conn: &mut Conn<'_>,
    account: Account,
    currency: &str,
    today: Date,
) -> Result<(), StoreError> {
    if currency != LIST_CURRENCY {
        return Ok(());
    }
    let (table, id) = table_and_id(account);
    let (balance, overdue) = figures_sql(table, today);
    let mut update = Query::update();
    update
        .table(Alias::new(table))
        .value(Alias::new("balance_minor"), Expr::cust(balance))
        .value(Alias::new("overdue_minor"), Expr::cust(overdue))
        .and_where(Expr::col((Alias::new(table), Alias::new("id"))).eq(id));
    conn.queue(&update).await
}

impl Store {
    /// Moves every customer's overdue figure to `today` (the nightly job): the rows that
    /// had some, and those with an invoice now past due. How many rows changed.
    pub async fn refresh_overdue(&self, today: Date) -> Result<u64, StoreError> {
        let day = today.to_string();
        self.write(async |conn| {
            let mut changed = 0;
            for (table, key) in [("companies", "company_id"), ("people", "person_id")] {
                let (_, overdue) = figures_sql(table, today);
                let mut due = Query::select();
                due.column(Alias::new(key))
                    .from(Alias::new("invoices"))
                    .and_where(Expr::col(Alias::new("status")).eq("posted"))
                    .and_where(Expr::col(Alias::new("currency")).eq(LIST_CURRENCY))
                    .and_where(Expr::col(Alias::new("due_date")).lt(day.clone()))
                    .and_where(Expr::col(Alias::new(key)).is_not_null());
                let mut update = Query::update();
                update
                    .table(Alias::new(table))
                    .value(Alias::new("overdue_minor"), Expr::cust(overdue))
                    .cond_where(
                        sea_query::Cond::any()
                            .add(Expr::col((Alias::new(table), Alias::new("overdue_minor"))).ne(0))
                            .add(Expr::col((Alias::new(table), Alias::new("id"))).in_subquery(due)),
                    );
                changed += conn.execute(&update).await?;
            }
            Ok(changed)
        })
        .await
    }
}

impl Scoped<'_> {
    /// The balance and overdue figures (TRY, minor units) of the companies or people `ids`
    /// the caller may see, by id.
    pub async fn receivables(
        &self,
        kind: RecordKind,
        ids: &[i64],
    ) -> Result<HashMap<i64, (i64, i64)>, StoreError> {
        let table = match kind {
            RecordKind::Company => "companies",
            RecordKind::Person => "people",
            _ => return Ok(HashMap::new()),
        };
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let col = |name: &str| Expr::col((Alias::new(table), Alias::new(name)));
        let mut select = Query::select();
        select
            .columns(
                ["id", "balance_minor", "overdue_minor"]
                    .map(|c| (Alias::new(table), Alias::new(c))),
            )
            .from(Alias::new(table))
            .and_where(col("id").is_in(ids.iter().copied()))
            .cond_where(scope_condition(table, self.visibility_of(kind)));
        let rows = self.store().fetch_rows(&select).await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.get::<i64>("id")?,
                    (row.get("balance_minor")?, row.get("overdue_minor")?),
                ))
            })
            .collect()
    }
}
