//! The customer ledger: append-only entries (the database refuses every change of one),
//! payments written with their allocations and entry in one transaction, and the reads a
//! statement, an account summary and aging need. Every read goes through the scope of the
//! customer whose account it is: a ledger follows its customer's owner and team.

use crate::audit::AuditEntry;
use crate::codec::timestamp;
use crate::documents::{next_number, read_date, read_optional_date};
use crate::invoices::col as invoice_col;
use crate::scope::scope_condition;
use crate::scoped::Scoped;
use crate::sql::{Conn, Row};
use crate::{Store, StoreError, now_micros};
use jiff::civil::Date;
use rehber_domain::access::{RecordKind, Visibility};
use rehber_domain::ids::{CompanyId, PersonId, UserId};
use rehber_domain::ledger::{
    Account, Allocation, EntryKind, InvoiceKind, InvoiceStatus, LedgerEntry, OpenInvoice,
    PAYMENT_SERIES, Payment, PaymentMethod, allocate_oldest_first,
};
use rehber_domain::quote::document_number;
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SimpleExpr};

/// The most entries one statement holds; a longer period is asked for in parts.
pub const MAX_STATEMENT_ENTRIES: u32 = 100_000;

/// An entry to append.
#[derive(Debug, Clone)]
pub(crate) struct NewEntry<'a> {
    pub account: Account,
    pub currency: &'a str,
    pub date: Date,
    pub kind: EntryKind,
    pub document: &'a str,
    pub description: &'a str,
    pub due_date: Option<Date>,
    pub debit: i64,
    pub credit: i64,
    pub invoice_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub reverses_id: Option<i64>,
    pub created_by: Option<UserId>,
}

/// A payment as the services checked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentContent {
    pub account: Account,
    pub currency: String,
    pub amount: i64,
    pub method: PaymentMethod,
    pub received_at: Date,
    pub reference: String,
    pub due_date: Option<Date>,
    pub notes: String,
}

/// How a payment is spread over the account's open invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocationPlan {
    /// The oldest due first; the rest stays on account.
    OldestFirst,
    /// These amounts to these invoices (each at most what is open of it); the rest stays on
    /// account.
    Given(Vec<(i64, i64)>),
}

fn account_columns(account: Account) -> [(&'static str, sea_query::Value); 2] {
    [
        ("company_id", account.company_id().map(|c| c.0).into()),
        ("person_id", account.person_id().map(|p| p.0).into()),
    ]
}

/// The rows of `table` on `account`: the company's, or the person's without a company.
pub(crate) fn account_condition(table: &str, account: Account) -> Cond {
    let col = |name: &str| Expr::col((Alias::new(table), Alias::new(name)));
    match account {
        Account::Company(id) => Cond::all().add(col("company_id").eq(id.0)),
        Account::Person(id) => Cond::all()
            .add(col("company_id").is_null())
            .add(col("person_id").eq(id.0)),
    }
}

/// The rows of `table` (invoices, payments, entries) on accounts of customers the viewer
/// sees: through the company when there is one, else through the person.
pub(crate) fn account_scope(scoped: &Scoped<'_>, table: &str) -> Cond {
    let companies = scoped.visibility_of(RecordKind::Company);
    let people = scoped.visibility_of(RecordKind::Person);
    if companies == Visibility::All && people == Visibility::All {
        return Cond::all();
    }
    let col = |name: &str| Expr::col((Alias::new(table), Alias::new(name)));
    let visible = |parties: &str, visibility: Visibility| {
        let mut select = Query::select();
        select
            .column((Alias::new(parties), Alias::new("id")))
            .from(Alias::new(parties))
            .cond_where(scope_condition(parties, visibility));
        select
    };
    // Wrapped in an `all` so that what callers add narrows the scope, not widens it.
    Cond::all().add(
        Cond::any()
            .add(
                Cond::all()
                    .add(col("company_id").is_not_null())
                    .add(col("company_id").in_subquery(visible("companies", companies))),
            )
            .add(
                Cond::all()
                    .add(col("company_id").is_null())
                    .add(col("person_id").in_subquery(visible("people", people))),
            ),
    )
}

/// Appends an entry in the caller's transaction; its id.
pub(crate) async fn insert_entry(
    conn: &mut Conn<'_>,
    entry: &NewEntry<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    let mut pairs: Vec<(&'static str, sea_query::Value)> = account_columns(entry.account).into();
    pairs.extend([
        ("currency", entry.currency.into()),
        ("entry_date", entry.date.to_string().into()),
        ("kind", entry.kind.as_str().into()),
        ("document", entry.document.into()),
        ("description", entry.description.into()),
        ("due_date", entry.due_date.map(|d| d.to_string()).into()),
        ("debit_minor", entry.debit.into()),
        ("credit_minor", entry.credit.into()),
        ("invoice_id", entry.invoice_id.into()),
        ("payment_id", entry.payment_id.into()),
        ("reverses_id", entry.reverses_id.into()),
        ("created_by", entry.created_by.map(|u| u.0).into()),
        ("created_at", now.into()),
    ]);
    let (columns, values) = crate::kind::split(pairs);
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("ledger_entries"))
        .columns(columns)
        .values_panic(values)
        .returning_col(Alias::new("id"));
    conn.fetch_i64(&insert).await
}

/// The entry that posted invoice `invoice_id`, which its reversal points back to.
pub(crate) async fn posting_entry_id(
    conn: &mut Conn<'_>,
    invoice_id: i64,
) -> Result<Option<i64>, StoreError> {
    let mut select = Query::select();
    select
        .column(Alias::new("id"))
        .from(Alias::new("ledger_entries"))
        .and_where(Expr::col(Alias::new("invoice_id")).eq(invoice_id))
        .and_where(Expr::col(Alias::new("kind")).is_in(["invoice", "credit_note"]))
        .order_by(Alias::new("id"), Order::Asc)
        .limit(1);
    conn.fetch_all(&select)
        .await?
        .first()
        .map(|row| row.get::<i64>("id"))
        .transpose()
}

/// The posted invoices of `account` in `currency` with something still open, as this
/// transaction sees them (locked on PostgreSQL, so two payments never allocate the same
/// open amount twice).
async fn open_invoices_for_update(
    conn: &mut Conn<'_>,
    account: Account,
    currency: &str,
) -> Result<Vec<OpenInvoice>, StoreError> {
    let condition = account_condition("invoices", account)
        .add(invoice_col("currency").eq(currency))
        .add(invoice_col("kind").eq(InvoiceKind::Invoice.as_str()))
        .add(invoice_col("status").eq(InvoiceStatus::Posted.as_str()));
    if conn.backend() == crate::Backend::Postgres {
        let mut lock = Query::select();
        lock.column(Alias::new("id"))
            .from(Alias::new("invoices"))
            .cond_where(condition.clone())
            .lock(sea_query::LockType::Update);
        conn.fetch_all(&lock).await?;
    }
    let mut select = Query::select();
    select
        .columns(
            ["id", "due_date", "issue_date", "gross_minor"]
                .map(|c| (Alias::new("invoices"), Alias::new(c))),
        )
        .expr_as(crate::invoices::allocated_expr(), Alias::new("allocated"))
        .from(Alias::new("invoices"))
        .cond_where(condition);
    conn.fetch_all(&select)
        .await?
        .iter()
        .map(|row| {
            let gross: i64 = row.get("gross_minor")?;
            let allocated: i64 = row.get("allocated")?;
            Ok(OpenInvoice {
                id: row.get("id")?,
                due_date: read_date(row, "due_date")?,
                issue_date: read_date(row, "issue_date")?,
                open: gross - allocated,
            })
        })
        .filter(|open: &Result<OpenInvoice, StoreError>| open.as_ref().map_or(true, |o| o.open > 0))
        .collect()
}

/// Checks a plan against what is open: each invoice must be open on the account and get at
/// most its open amount, and the parts at most the payment.
fn checked_plan(
    plan: &AllocationPlan,
    open: &[OpenInvoice],
    amount: i64,
) -> Result<Vec<(i64, i64)>, StoreError> {
    let refuse = |field: String, code| Err(StoreError::Refused { field, code });
    let parts = match plan {
        AllocationPlan::OldestFirst => return Ok(allocate_oldest_first(open, amount)),
        AllocationPlan::Given(parts) => parts,
    };
    let mut total = 0i64;
    for (index, (invoice_id, part)) in parts.iter().enumerate() {
        let Some(invoice) = open.iter().find(|i| i.id == *invoice_id) else {
            return refuse(
                format!("allocations/{index}/invoice_id"),
                "invalid-allocation-invoice",
            );
        };
        let earlier: i64 = parts[..index]
            .iter()
            .filter(|(id, _)| id == invoice_id)
            .fold(0i64, |sum, (_, a)| sum.saturating_add(*a));
        if *part > invoice.open - earlier {
            return refuse(
                format!("allocations/{index}/amount"),
                "invalid-allocation-exceeds-open",
            );
        }
        total = total.saturating_add(*part);
    }
    if total > amount {
        return refuse("allocations".into(), "invalid-allocation-exceeds-payment");
    }
    // One row per invoice: parts naming the same invoice twice are added up.
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for (invoice_id, part) in parts {
        match merged.iter_mut().find(|(id, _)| id == invoice_id) {
            Some((_, sum)) => *sum = sum.saturating_add(*part),
            None => merged.push((*invoice_id, *part)),
        }
    }
    Ok(merged)
}

fn read_entry(row: &Row) -> Result<LedgerEntry, StoreError> {
    let kind: String = row.get("kind")?;
    let account = Account::of(
        row.get::<Option<i64>>("company_id")?.map(CompanyId),
        row.get::<Option<i64>>("person_id")?.map(PersonId),
    )
    .ok_or_else(|| StoreError::Corrupt("ledger entry without an account".into()))?;
    Ok(LedgerEntry {
        id: row.get("id")?,
        account,
        currency: row.get("currency")?,
        date: read_date(row, "entry_date")?,
        kind: EntryKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("ledger entry kind {kind:?}")))?,
        document: row.get("document")?,
        description: row.get("description")?,
        due_date: read_optional_date(row, "due_date")?,
        debit: row.get("debit_minor")?,
        credit: row.get("credit_minor")?,
        invoice_id: row.get("invoice_id")?,
        payment_id: row.get("payment_id")?,
    })
}

const ENTRY_COLUMNS: [&str; 14] = [
    "id",
    "company_id",
    "person_id",
    "currency",
    "entry_date",
    "kind",
    "document",
    "description",
    "due_date",
    "debit_minor",
    "credit_minor",
    "invoice_id",
    "payment_id",
    "reverses_id",
];

fn entry_col(name: &str) -> SimpleExpr {
    Expr::col((Alias::new("ledger_entries"), Alias::new(name)))
}

impl Store {
    /// Writes a payment with its number, its allocations by `plan`, its ledger entry and
    /// the customer's figures as of `today` in one transaction, with the audit entry (whose `record_id` is filled in); its id.
    pub async fn insert_payment(
        &self,
        content: &PaymentContent,
        plan: &AllocationPlan,
        collected_by: Option<UserId>,
        today: Date,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let open = open_invoices_for_update(conn, content.account, &content.currency).await?;
            let parts = checked_plan(plan, &open, content.amount)?;
            let year = i64::from(content.received_at.year());
            let number = document_number(
                PAYMENT_SERIES,
                year,
                next_number(conn, PAYMENT_SERIES, year).await?,
            );
            let mut pairs: Vec<(&'static str, sea_query::Value)> =
                account_columns(content.account).into();
            pairs.extend([
                ("number", number.clone().into()),
                ("currency", content.currency.clone().into()),
                ("amount_minor", content.amount.into()),
                ("method", content.method.as_str().into()),
                ("received_at", content.received_at.to_string().into()),
                ("reference", content.reference.clone().into()),
                ("due_date", content.due_date.map(|d| d.to_string()).into()),
                ("notes", content.notes.clone().into()),
                ("collected_by", collected_by.map(|u| u.0).into()),
                ("created_at", now.into()),
            ]);
            let (columns, values) = crate::kind::split(pairs);
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("payments"))
                .columns(columns)
                .values_panic(values)
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            if !parts.is_empty() {
                let mut allocations = Query::insert();
                allocations
                    .into_table(Alias::new("payment_allocations"))
                    .columns(["payment_id", "invoice_id", "amount_minor"].map(Alias::new));
                for (invoice_id, part) in &parts {
                    allocations.values_panic([id.into(), (*invoice_id).into(), (*part).into()]);
                }
                conn.queue(&allocations).await?;
            }
            let description = if content.reference.is_empty() {
                content.notes.as_str()
            } else {
                content.reference.as_str()
            };
            insert_entry(
                conn,
                &NewEntry {
                    account: content.account,
                    currency: &content.currency,
                    date: content.received_at,
                    kind: EntryKind::Payment,
                    document: &number,
                    description,
                    due_date: content.due_date,
                    debit: 0,
                    credit: content.amount,
                    invoice_id: None,
                    payment_id: Some(id),
                    reverses_id: None,
                    created_by: collected_by,
                },
                now,
            )
            .await?;
            crate::receivables::refresh_account(conn, content.account, &content.currency, today)
                .await?;
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

    async fn load_payments(&self, condition: Cond, limit: u64) -> Result<Vec<Payment>, StoreError> {
        let mut select = Query::select();
        select
            .columns(
                [
                    "id",
                    "number",
                    "company_id",
                    "person_id",
                    "currency",
                    "amount_minor",
                    "method",
                    "received_at",
                    "reference",
                    "due_date",
                    "notes",
                    "collected_by",
                    "created_at",
                ]
                .map(|c| (Alias::new("payments"), Alias::new(c))),
            )
            .from(Alias::new("payments"))
            .cond_where(condition)
            .order_by(
                (Alias::new("payments"), Alias::new("received_at")),
                Order::Desc,
            )
            .order_by((Alias::new("payments"), Alias::new("id")), Order::Desc)
            .limit(limit);
        let mut payments = Vec::new();
        for row in self.fetch_rows(&select).await? {
            let method: String = row.get("method")?;
            payments.push(Payment {
                id: row.get("id")?,
                number: row.get("number")?,
                account: Account::of(
                    row.get::<Option<i64>>("company_id")?.map(CompanyId),
                    row.get::<Option<i64>>("person_id")?.map(PersonId),
                )
                .ok_or_else(|| StoreError::Corrupt("payment without an account".into()))?,
                currency: row.get("currency")?,
                amount: row.get("amount_minor")?,
                method: PaymentMethod::parse(&method)
                    .ok_or_else(|| StoreError::Corrupt(format!("payment method {method:?}")))?,
                received_at: read_date(&row, "received_at")?,
                reference: row.get("reference")?,
                due_date: read_optional_date(&row, "due_date")?,
                notes: row.get("notes")?,
                collected_by: row.get::<Option<i64>>("collected_by")?.map(UserId),
                allocations: Vec::new(),
                created_at: timestamp(row.get("created_at")?)?,
            });
        }
        let ids: Vec<i64> = payments.iter().map(|p| p.id).collect();
        if ids.is_empty() {
            return Ok(payments);
        }
        let mut select = Query::select();
        select
            .columns(
                ["payment_id", "invoice_id", "amount_minor"]
                    .map(|c| (Alias::new("payment_allocations"), Alias::new(c))),
            )
            .column((Alias::new("invoices"), Alias::new("number")))
            .from(Alias::new("payment_allocations"))
            .inner_join(
                Alias::new("invoices"),
                Expr::col((Alias::new("invoices"), Alias::new("id")))
                    .equals((Alias::new("payment_allocations"), Alias::new("invoice_id"))),
            )
            .and_where(
                Expr::col((Alias::new("payment_allocations"), Alias::new("payment_id"))).is_in(ids),
            )
            .order_by((Alias::new("invoices"), Alias::new("due_date")), Order::Asc)
            .order_by((Alias::new("invoices"), Alias::new("id")), Order::Asc);
        for row in self.fetch_rows(&select).await? {
            let payment_id: i64 = row.get("payment_id")?;
            if let Some(payment) = payments.iter_mut().find(|p| p.id == payment_id) {
                payment.allocations.push(Allocation {
                    invoice_id: row.get("invoice_id")?,
                    invoice_number: row.get::<Option<String>>("number")?.unwrap_or_default(),
                    amount: row.get("amount_minor")?,
                });
            }
        }
        Ok(payments)
    }
}

impl Scoped<'_> {
    /// One payment with its allocations; one outside the view is [`StoreError::NotFound`].
    pub async fn payment(&self, id: i64) -> Result<Payment, StoreError> {
        let condition = account_scope(self, "payments")
            .add(Expr::col((Alias::new("payments"), Alias::new("id"))).eq(id));
        self.store()
            .load_payments(condition, 1)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// The latest `limit` payments on `account` (in view), the latest received first.
    pub async fn payments(&self, account: Account, limit: u64) -> Result<Vec<Payment>, StoreError> {
        let condition = account_scope(self, "payments").add(account_condition("payments", account));
        self.store().load_payments(condition, limit).await
    }

    /// The balance of `account` in `currency` brought forward to a page of its statement
    /// from `from` to `to`, and up to `limit` + 1 of the page's entries oldest first (the
    /// extra one tells the caller another page follows). The first page starts at `from`
    /// with what came before it; a later one just after the entry `after` (its date and
    /// id), with everything up to and including that entry. An account out of view has no
    /// entries.
    pub async fn ledger(
        &self,
        account: Account,
        currency: &str,
        (from, to): (Date, Date),
        after: Option<(Date, i64)>,
        limit: u32,
    ) -> Result<(i64, Vec<LedgerEntry>), StoreError> {
        let base = account_scope(self, "ledger_entries")
            .add(account_condition("ledger_entries", account))
            .add(entry_col("currency").eq(currency));
        // Up to (date, id) inclusive, or before `from`.
        let (brought, start) = match after {
            Some((day, id)) => {
                let day = day.to_string();
                let up_to = Cond::any()
                    .add(entry_col("entry_date").lt(day.clone()))
                    .add(
                        Cond::all()
                            .add(entry_col("entry_date").eq(day.clone()))
                            .add(entry_col("id").lte(id)),
                    );
                let past = Cond::any()
                    .add(entry_col("entry_date").gt(day.clone()))
                    .add(
                        Cond::all()
                            .add(entry_col("entry_date").eq(day))
                            .add(entry_col("id").gt(id)),
                    );
                (up_to, past)
            }
            None => (
                Cond::all().add(entry_col("entry_date").lt(from.to_string())),
                Cond::all().add(entry_col("entry_date").gte(from.to_string())),
            ),
        };
        let mut opening = Query::select();
        opening
            .expr(Expr::cust(
                "CAST(COALESCE(SUM(ledger_entries.debit_minor - ledger_entries.credit_minor), 0) AS BIGINT)",
            ))
            .from(Alias::new("ledger_entries"))
            .cond_where(base.clone().add(brought));
        let opening = self
            .store()
            .fetch_scalars(&opening)
            .await?
            .first()
            .copied()
            .unwrap_or_default();
        let mut select = Query::select();
        select
            .columns(ENTRY_COLUMNS.map(|c| (Alias::new("ledger_entries"), Alias::new(c))))
            .from(Alias::new("ledger_entries"))
            .cond_where(
                base.add(start)
                    .add(entry_col("entry_date").lte(to.to_string())),
            )
            .order_by(
                (Alias::new("ledger_entries"), Alias::new("entry_date")),
                Order::Asc,
            )
            .order_by((Alias::new("ledger_entries"), Alias::new("id")), Order::Asc)
            .limit(u64::from(limit) + 1);
        let entries = self
            .store()
            .fetch_rows(&select)
            .await?
            .iter()
            .map(read_entry)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((opening, entries))
    }
}
