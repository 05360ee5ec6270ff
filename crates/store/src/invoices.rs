//! Invoices and credit notes: a draft written and changed with its lines, posted (its
//! number taken without gaps and its ledger entry written in the same transaction) and
//! cancelled (by a reversing entry). Read through the scope of the customer whose account
//! they are on.

use crate::audit::AuditEntry;
use crate::codec::timestamp;
use crate::documents::{insert_lines, next_number, read_date, read_optional_date};
use crate::ledger::{NewEntry, account_scope, insert_entry};
use crate::scoped::Scoped;
use crate::sql::{Conn, Row};
use crate::{Store, StoreError, now_micros};
use jiff::civil::Date;
use rehber_domain::ids::{CompanyId, PersonId, UserId};
use rehber_domain::ledger::{Account, EntryKind, Invoice, InvoiceKind, InvoiceStatus};
use rehber_domain::quote::{DocumentLine, DocumentTotals, document_number};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SimpleExpr, Value};

/// The most invoices one page of a list holds.
pub const MAX_INVOICE_PAGE: u32 = 200;

/// What an invoice says, as the services checked and priced it: the part a draft edit
/// replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceContent {
    pub kind: InvoiceKind,
    pub company_id: Option<CompanyId>,
    pub person_id: Option<PersonId>,
    pub order_id: Option<i64>,
    pub currency: String,
    pub issue_date: Date,
    pub due_date: Date,
    pub lines: Vec<DocumentLine>,
    pub totals: DocumentTotals,
    pub notes: String,
    pub e_invoice_number: String,
    pub ettn: String,
}

/// Which invoices a list shows, the latest issued first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceFilter {
    pub status: Option<InvoiceStatus>,
    pub account: Option<Account>,
    /// Posted invoices with something still to pay.
    pub open_only: bool,
    pub limit: u32,
    pub offset: u64,
}

pub(crate) fn col(name: &str) -> SimpleExpr {
    Expr::col((Alias::new("invoices"), Alias::new(name)))
}

const COLUMNS: [&str; 24] = [
    "id",
    "kind",
    "number",
    "status",
    "company_id",
    "person_id",
    "order_id",
    "currency",
    "issue_date",
    "due_date",
    "subtotal_minor",
    "discount_minor",
    "net_minor",
    "vat_minor",
    "gross_minor",
    "notes",
    "e_invoice_number",
    "ettn",
    "posted_at",
    "cancelled_on",
    "created_by",
    "version",
    "created_at",
    "updated_at",
];

/// What payments allocated to the invoice in the row being read, kept on the row by the
/// database on every allocation (migration 0024).
pub(crate) fn allocated_expr() -> SimpleExpr {
    Expr::col((Alias::new("invoices"), Alias::new("paid_minor")))
}

fn read(row: &Row) -> Result<Invoice, StoreError> {
    let corrupt = |what: &str, text: &str| StoreError::Corrupt(format!("invoice {what} {text:?}"));
    let kind: String = row.get("kind")?;
    let status: String = row.get("status")?;
    Ok(Invoice {
        id: row.get("id")?,
        kind: InvoiceKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        number: row.get("number")?,
        status: InvoiceStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        company_id: row.get::<Option<i64>>("company_id")?.map(CompanyId),
        person_id: row.get::<Option<i64>>("person_id")?.map(PersonId),
        order_id: row.get("order_id")?,
        currency: row.get("currency")?,
        issue_date: read_date(row, "issue_date")?,
        due_date: read_date(row, "due_date")?,
        lines: Vec::new(),
        totals: DocumentTotals {
            subtotal: row.get("subtotal_minor")?,
            discount: row.get("discount_minor")?,
            net: row.get("net_minor")?,
            vat: row.get("vat_minor")?,
            gross: row.get("gross_minor")?,
        },
        notes: row.get("notes")?,
        e_invoice_number: row.get("e_invoice_number")?,
        ettn: row.get("ettn")?,
        posted_at: row
            .get::<Option<i64>>("posted_at")?
            .map(timestamp)
            .transpose()?,
        cancelled_on: read_optional_date(row, "cancelled_on")?,
        allocated: row.get("allocated")?,
        created_by: row.get::<Option<i64>>("created_by")?.map(UserId),
        version: row.get("version")?,
        created_at: timestamp(row.get("created_at")?)?,
        updated_at: timestamp(row.get("updated_at")?)?,
    })
}

fn content_values(content: &InvoiceContent) -> Vec<(&'static str, Value)> {
    let t = &content.totals;
    vec![
        ("kind", content.kind.as_str().into()),
        ("company_id", content.company_id.map(|c| c.0).into()),
        ("person_id", content.person_id.map(|p| p.0).into()),
        ("order_id", content.order_id.into()),
        ("currency", content.currency.clone().into()),
        ("issue_date", content.issue_date.to_string().into()),
        ("due_date", content.due_date.to_string().into()),
        ("subtotal_minor", t.subtotal.into()),
        ("discount_minor", t.discount.into()),
        ("net_minor", t.net.into()),
        ("vat_minor", t.vat.into()),
        ("gross_minor", t.gross.into()),
        ("notes", content.notes.clone().into()),
        ("e_invoice_number", content.e_invoice_number.clone().into()),
        ("ettn", content.ettn.clone().into()),
    ]
}

/// The invoice `id` as this transaction sees it (locked on PostgreSQL until it ends).
async fn invoice_for_update(conn: &mut Conn<'_>, id: i64) -> Result<Invoice, StoreError> {
    let mut select = Query::select();
    select
        .columns(COLUMNS.map(|c| (Alias::new("invoices"), Alias::new(c))))
        .expr_as(allocated_expr(), Alias::new("allocated"))
        .from(Alias::new("invoices"))
        .and_where(col("id").eq(id));
    if conn.backend() == crate::Backend::Postgres {
        // Locking the row makes a payment allocating to it wait for this step, and this
        // step for the payment (`FOR UPDATE` cannot carry the aggregate, so lock first).
        let mut lock = Query::select();
        lock.column(Alias::new("id"))
            .from(Alias::new("invoices"))
            .and_where(col("id").eq(id))
            .lock(sea_query::LockType::Update);
        conn.fetch_all(&lock).await?;
    }
    conn.fetch_all(&select)
        .await?
        .first()
        .map(read)
        .ok_or(StoreError::NotFound)?
}

impl Store {
    /// Writes a draft invoice with its lines and audit entry (whose `record_id` is filled
    /// in); its id.
    pub async fn insert_invoice(
        &self,
        content: &InvoiceContent,
        created_by: Option<UserId>,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut pairs = content_values(content);
            pairs.extend([
                ("status", InvoiceStatus::Draft.as_str().into()),
                ("created_by", created_by.map(|u| u.0).into()),
                ("created_at", now.into()),
                ("updated_at", now.into()),
            ]);
            let (columns, values) = crate::kind::split(pairs);
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("invoices"))
                .columns(columns)
                .values_panic(values)
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            insert_lines(
                conn,
                "invoice_lines",
                "invoice_id",
                id,
                &content.lines,
                true,
            )
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

    /// Replaces a draft's content and lines if it is still a draft at `version`.
    pub async fn update_invoice_draft(
        &self,
        id: i64,
        version: i64,
        content: &InvoiceContent,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let stored = invoice_for_update(conn, id).await?;
            if stored.status != InvoiceStatus::Draft {
                return Err(StoreError::StaleVersion);
            }
            conn.update_versioned("invoices", id, version, content_values(content), now)
                .await?;
            let mut delete = Query::delete();
            delete
                .from_table(Alias::new("invoice_lines"))
                .and_where(Expr::col(Alias::new("invoice_id")).eq(id));
            conn.queue(&delete).await?;
            insert_lines(
                conn,
                "invoice_lines",
                "invoice_id",
                id,
                &content.lines,
                true,
            )
            .await?;
            conn.audit(&entry, now).await
        })
        .await
    }

    /// Posts draft `id` at `version`: takes the next number of its series and issue year
    /// and writes its ledger entry (and the customer's figures as of `today`), in one
    /// transaction; the number.
    pub async fn post_invoice(
        &self,
        id: i64,
        version: i64,
        actor: Option<UserId>,
        today: Date,
        entry: AuditEntry,
    ) -> Result<String, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let invoice = invoice_for_update(conn, id).await?;
            if invoice.status != InvoiceStatus::Draft || invoice.version != version {
                return Err(StoreError::StaleVersion);
            }
            let account = invoice
                .account()
                .ok_or_else(|| StoreError::Corrupt(format!("invoice {id} has no customer")))?;
            let series = invoice.kind.series();
            let year = i64::from(invoice.issue_date.year());
            let number = document_number(series, year, next_number(conn, series, year).await?);
            conn.update_versioned(
                "invoices",
                id,
                version,
                vec![
                    ("status", InvoiceStatus::Posted.as_str().into()),
                    ("number", number.clone().into()),
                    ("posted_at", now.into()),
                ],
                now,
            )
            .await?;
            let (debit, credit) = invoice.kind.posting(invoice.totals.gross);
            insert_entry(
                conn,
                &NewEntry {
                    account,
                    currency: &invoice.currency,
                    date: invoice.issue_date,
                    kind: match invoice.kind {
                        InvoiceKind::Invoice => EntryKind::Invoice,
                        InvoiceKind::CreditNote => EntryKind::CreditNote,
                    },
                    document: &number,
                    description: &invoice.notes,
                    due_date: Some(invoice.due_date),
                    debit,
                    credit,
                    invoice_id: Some(id),
                    payment_id: None,
                    reverses_id: None,
                    created_by: actor,
                },
                now,
            )
            .await?;
            crate::receivables::refresh_account(conn, account, &invoice.currency, today).await?;
            conn.audit(&entry, now).await?;
            Ok(number)
        })
        .await
    }

    /// Cancels invoice `id` at `version`: a draft simply; a posted one by a reversing entry
    /// dated `on`, refused while payments are allocated to it.
    pub async fn cancel_invoice(
        &self,
        id: i64,
        version: i64,
        on: Date,
        actor: Option<UserId>,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let invoice = invoice_for_update(conn, id).await?;
            if invoice.version != version || invoice.status == InvoiceStatus::Cancelled {
                return Err(StoreError::StaleVersion);
            }
            let posted = invoice.status == InvoiceStatus::Posted;
            if posted && invoice.allocated > 0 {
                return Err(StoreError::Refused {
                    field: "status".into(),
                    code: "invalid-invoice-has-payments",
                });
            }
            let mut values = vec![("status", InvoiceStatus::Cancelled.as_str().into())];
            if posted {
                values.push(("cancelled_on", on.to_string().into()));
            }
            conn.update_versioned("invoices", id, version, values, now)
                .await?;
            if posted {
                let (Some(account), Some(number)) = (invoice.account(), invoice.number.as_deref())
                else {
                    return Err(StoreError::Corrupt(format!("posted invoice {id}")));
                };
                let original = crate::ledger::posting_entry_id(conn, id).await?;
                let (debit, credit) = invoice.kind.posting(invoice.totals.gross);
                insert_entry(
                    conn,
                    &NewEntry {
                        account,
                        currency: &invoice.currency,
                        date: on,
                        kind: EntryKind::Reversal,
                        document: number,
                        description: "",
                        due_date: None,
                        debit: credit,
                        credit: debit,
                        invoice_id: Some(id),
                        payment_id: None,
                        reverses_id: original,
                        created_by: actor,
                    },
                    now,
                )
                .await?;
                crate::receivables::refresh_account(conn, account, &invoice.currency, on).await?;
            }
            conn.audit(&entry, now).await
        })
        .await
    }

    pub(crate) async fn load_invoices(
        &self,
        condition: Cond,
        limit: u32,
        offset: u64,
        with_lines: bool,
    ) -> Result<Vec<Invoice>, StoreError> {
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(|c| (Alias::new("invoices"), Alias::new(c))))
            .expr_as(allocated_expr(), Alias::new("allocated"))
            .from(Alias::new("invoices"))
            .cond_where(condition)
            .order_by(
                (Alias::new("invoices"), Alias::new("issue_date")),
                Order::Desc,
            )
            .order_by((Alias::new("invoices"), Alias::new("id")), Order::Desc)
            .limit(u64::from(limit))
            .offset(offset);
        let mut invoices = self
            .fetch_rows(&select)
            .await?
            .iter()
            .map(read)
            .collect::<Result<Vec<_>, _>>()?;
        if with_lines {
            let ids: Vec<i64> = invoices.iter().map(|i| i.id).collect();
            for (invoice_id, line) in self
                .document_lines("invoice_lines", "invoice_id", &ids, true)
                .await?
            {
                if let Some(invoice) = invoices.iter_mut().find(|i| i.id == invoice_id) {
                    invoice.lines.push(line);
                }
            }
        }
        Ok(invoices)
    }
}

impl Scoped<'_> {
    /// The invoices on accounts of customers in view.
    fn invoice_scope(&self) -> Cond {
        account_scope(self, "invoices")
    }

    /// One invoice with its lines; one outside the view is [`StoreError::NotFound`].
    pub async fn invoice(&self, id: i64) -> Result<Invoice, StoreError> {
        self.store()
            .load_invoices(self.invoice_scope().add(col("id").eq(id)), 1, 0, true)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// A page of invoices (without their lines), the latest issued first, and whether there
    /// are more.
    pub async fn invoices(
        &self,
        filter: &InvoiceFilter,
    ) -> Result<(Vec<Invoice>, bool), StoreError> {
        let limit = filter.limit.clamp(1, MAX_INVOICE_PAGE);
        let mut condition = self.invoice_scope();
        if let Some(status) = filter.status {
            condition = condition.add(col("status").eq(status.as_str()));
        }
        if let Some(account) = filter.account {
            condition = condition.add(crate::ledger::account_condition("invoices", account));
        }
        if filter.open_only {
            condition = condition
                .add(col("status").eq(InvoiceStatus::Posted.as_str()))
                .add(col("kind").eq(InvoiceKind::Invoice.as_str()))
                .add(col("gross_minor").gt(allocated_expr()));
        }
        let mut found = self
            .store()
            .load_invoices(condition, limit + 1, filter.offset, false)
            .await?;
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        Ok((found, more))
    }
}
