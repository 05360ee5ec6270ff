//! Invoices and credit notes as use cases: a draft for a customer the caller can see, by
//! hand or from an order (lines priced by the same money rule as quotes), posted (a number
//! without gaps and a ledger entry) and cancelled (a reversing entry). The lock date keeps
//! every entry out of closed periods.

use crate::App;
use crate::error::AppResult;
use crate::quotes::QuoteDraft;
use jiff::civil::Date;
use rehber_domain::error::FieldErrors;
use rehber_domain::ledger::{
    DEFAULT_PAYMENT_DAYS, Invoice, InvoiceKind, InvoiceStatus, MAX_LEDGER_AMOUNT,
};
use rehber_domain::pricing::LineDraft;
use rehber_domain::{Actor, Error, Role};
use rehber_store::{AuditChange, AuditEntry, InvoiceContent, InvoiceFilter};

/// The longest e-invoice number as the accounting system gives it.
pub const MAX_E_INVOICE_NUMBER: usize = 50;

/// An invoice as typed (the API body, the form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceDraft {
    /// `invoice` (empty) or `credit_note`.
    pub kind: String,
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    /// The order it bills: its customer, currency and (when no lines are given) its lines.
    pub order_id: Option<i64>,
    /// ISO 4217; empty is the order's, else TRY.
    pub currency: String,
    /// `YYYY-MM-DD`; empty is today.
    pub issue_date: String,
    /// `YYYY-MM-DD`; empty is the customer's terms after the issue date (30 days).
    pub due_date: String,
    pub notes: String,
    pub e_invoice_number: String,
    pub ettn: String,
    pub lines: Vec<LineDraft>,
}

pub(crate) fn audit(actor: &Actor, id: i64, action: &'static str) -> AuditEntry {
    AuditEntry {
        actor: Some(actor.user_id),
        record_type: "invoice",
        record_id: id,
        action,
        changes: Vec::new(),
    }
}

/// A date as typed, or `default` when empty; the field's error otherwise.
pub(crate) fn typed_date(
    typed: &str,
    field: &str,
    default: Date,
    errors: &mut FieldErrors,
) -> Date {
    match typed.trim() {
        "" => default,
        text => text.parse::<Date>().unwrap_or_else(|_| {
            errors.add(field, "invalid-date");
            default
        }),
    }
}

/// An ETTN is a UUID (`8-4-4-4-12` hexadecimal digits).
fn is_ettn(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

impl App {
    /// Who may write invoices and payments: those who sell (not support agents, marketers
    /// or read-only users, who see balances or read).
    pub fn may_write_ledger(actor: &Actor) -> AppResult<()> {
        match actor.role {
            Role::Administrator | Role::SalesManager | Role::SalesRep => Ok(()),
            _ => Err(Error::Forbidden.into()),
        }
    }

    /// Who may read invoices, payments and statements: everyone but support agents and
    /// marketers, who see balances only.
    pub fn may_read_ledger(actor: &Actor) -> AppResult<()> {
        match actor.role {
            Role::SupportAgent | Role::Marketer => Err(Error::Forbidden.into()),
            _ => Ok(()),
        }
    }

    /// Checks, fills and prices a draft into what an invoice stores; every refusal at once.
    async fn invoice_content(
        &self,
        actor: &Actor,
        draft: &InvoiceDraft,
    ) -> AppResult<InvoiceContent> {
        let mut errors = FieldErrors::new();
        let kind = match draft.kind.trim() {
            "" => InvoiceKind::Invoice,
            typed => InvoiceKind::parse(typed).unwrap_or_else(|| {
                errors.add("kind", "invalid-choice");
                InvoiceKind::Invoice
            }),
        };
        let mut quote = QuoteDraft {
            company_id: draft.company_id,
            person_id: draft.person_id,
            currency: draft.currency.clone(),
            notes: draft.notes.clone(),
            lines: draft.lines.clone(),
            ..QuoteDraft::default()
        };
        if let Some(order_id) = draft.order_id {
            match self.store.scoped(actor).order(order_id).await {
                Ok(order) => {
                    quote.company_id = quote.company_id.or(order.parties.company_id.map(|c| c.0));
                    quote.person_id = quote.person_id.or(order.parties.person_id.map(|p| p.0));
                    if quote.currency.trim().is_empty() {
                        quote.currency = order.currency.clone();
                    }
                    if quote.lines.is_empty() {
                        quote.lines = Self::document_lines_as_drafts(&order.lines);
                    }
                }
                Err(rehber_store::StoreError::NotFound) => {
                    errors.add("order_id", "invalid-unknown-record")
                }
                Err(other) => return Err(other.into()),
            }
        }
        if quote.company_id.is_none() && quote.person_id.is_none() {
            errors.add("company_id", "invalid-invoice-customer");
        }
        let today = self.today();
        let issue_date = typed_date(&draft.issue_date, "issue_date", today, &mut errors);
        let default_due = issue_date
            .checked_add(jiff::Span::new().days(DEFAULT_PAYMENT_DAYS))
            .unwrap_or(issue_date);
        let due_date = typed_date(&draft.due_date, "due_date", default_due, &mut errors);
        if due_date < issue_date {
            errors.add("due_date", "invalid-due-before-issue");
        }
        let e_invoice_number = draft.e_invoice_number.trim().to_string();
        if e_invoice_number.chars().count() > MAX_E_INVOICE_NUMBER {
            errors.add("e_invoice_number", "invalid-too-long");
        }
        let ettn = draft.ettn.trim().to_ascii_lowercase();
        if !ettn.is_empty() && !is_ettn(&ettn) {
            errors.add("ettn", "invalid-ettn");
        }
        let content = match self.quote_content(actor, &quote, issue_date).await {
            Ok(content) => Some(content),
            Err(crate::AppError::Domain(Error::Validation(more))) => {
                for error in more.0 {
                    if !errors.0.iter().any(|e| e.field == error.field) {
                        errors.0.push(error);
                    }
                }
                None
            }
            Err(other) => return Err(other),
        };
        errors.into_result()?;
        let Some(content) = content else {
            return Err(Error::field("lines", "invalid-required").into());
        };
        if content.totals.gross > MAX_LEDGER_AMOUNT {
            return Err(Error::field("lines", "invalid-amount-too-large").into());
        }
        Ok(InvoiceContent {
            kind,
            company_id: content.parties.company_id,
            person_id: content.parties.person_id,
            order_id: draft.order_id,
            currency: content.currency,
            issue_date,
            due_date,
            lines: content.lines,
            totals: content.totals,
            notes: content.notes,
            e_invoice_number,
            ettn,
        })
    }

    /// Stored lines as typed again, for a draft built from them (an order, an edit).
    pub fn document_lines_as_drafts(
        lines: &[rehber_domain::quote::DocumentLine],
    ) -> Vec<LineDraft> {
        lines
            .iter()
            .map(|l| LineDraft {
                product_id: l.product_id,
                description: l.description.clone(),
                unit: l.unit.clone(),
                quantity: l.input.quantity.to_decimal_string(),
                unit_price: Some(l.input.unit_price),
                price_currency: String::new(),
                discount_percent: l.input.discount.to_decimal_string(),
                vat_rate: Some(i64::from(l.input.vat_rate.percent())),
                vat_exemption_code: l.vat_exemption_code.clone().unwrap_or_default(),
            })
            .collect()
    }

    /// Writes a new draft invoice or credit note.
    pub async fn create_invoice(&self, actor: &Actor, draft: &InvoiceDraft) -> AppResult<Invoice> {
        Self::may_write_ledger(actor)?;
        let content = self.invoice_content(actor, draft).await?;
        let id = self
            .store
            .insert_invoice(&content, Some(actor.user_id), audit(actor, 0, "create"))
            .await?;
        Ok(self.store.unscoped().invoice(id).await?)
    }

    /// Replaces a draft's content; an invoice posted or cancelled is a conflict.
    pub async fn update_invoice(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        draft: &InvoiceDraft,
    ) -> AppResult<Invoice> {
        Self::may_write_ledger(actor)?;
        let stored = self.invoice(actor, id).await?;
        if stored.status != InvoiceStatus::Draft {
            return Err(Error::Conflict("invoice-not-draft").into());
        }
        let content = self.invoice_content(actor, draft).await?;
        let mut entry = audit(actor, id, "update");
        if stored.totals.gross != content.totals.gross {
            entry.changes.push(AuditChange {
                field: "total".into(),
                from: stored.totals.gross.to_string(),
                to: content.totals.gross.to_string(),
            });
        }
        self.store
            .update_invoice_draft(id, version.unwrap_or(stored.version), &content, entry)
            .await?;
        self.invoice(actor, id).await
    }

    /// One invoice the actor can see, with its lines.
    pub async fn invoice(&self, actor: &Actor, id: i64) -> AppResult<Invoice> {
        Self::may_read_ledger(actor)?;
        Ok(self.store.scoped(actor).invoice(id).await?)
    }

    /// A page of the invoices the actor can see, and whether there are more.
    pub async fn invoices(
        &self,
        actor: &Actor,
        filter: &InvoiceFilter,
    ) -> AppResult<(Vec<Invoice>, bool)> {
        Self::may_read_ledger(actor)?;
        Ok(self.store.scoped(actor).invoices(filter).await?)
    }

    /// Posts a draft: its number and its entry on the customer's account. A date in a
    /// locked period is refused.
    pub async fn post_invoice(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
    ) -> AppResult<Invoice> {
        Self::may_write_ledger(actor)?;
        let stored = self.invoice(actor, id).await?;
        if stored.status != InvoiceStatus::Draft {
            return Err(Error::Conflict("invoice-not-draft").into());
        }
        self.check_open_period(stored.issue_date, "issue_date")
            .await?;
        self.store
            .post_invoice(
                id,
                version.unwrap_or(stored.version),
                Some(actor.user_id),
                self.today(),
                audit(actor, id, "post"),
            )
            .await?;
        self.invoice(actor, id).await
    }

    /// Cancels an invoice: a draft simply, a posted one by a reversing entry dated today (or
    /// its issue date, when that is later). One with payments allocated is refused.
    pub async fn cancel_invoice(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
    ) -> AppResult<Invoice> {
        Self::may_write_ledger(actor)?;
        let stored = self.invoice(actor, id).await?;
        if stored.status == InvoiceStatus::Cancelled {
            return Err(Error::Conflict("invoice-cancelled").into());
        }
        if stored.allocated > 0 {
            return Err(Error::field("status", "invalid-invoice-has-payments").into());
        }
        let on = self.today().max(stored.issue_date);
        if stored.status == InvoiceStatus::Posted {
            self.check_open_period(on, "status").await?;
        }
        self.store
            .cancel_invoice(
                id,
                version.unwrap_or(stored.version),
                on,
                Some(actor.user_id),
                audit(actor, id, "cancel"),
            )
            .await?;
        self.invoice(actor, id).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn an_ettn_is_a_uuid() {
        assert!(is_ettn("f47ac10b-58cc-4372-a567-0e02b2c3d479"));
        assert!(!is_ettn("f47ac10b58cc4372a5670e02b2c3d479"));
        assert!(!is_ettn("g47ac10b-58cc-4372-a567-0e02b2c3d479"));
    }

    #[test]
    fn an_empty_date_is_the_default_and_a_bad_one_is_named() {
        let mut errors = FieldErrors::new();
        let day = jiff::civil::date(2026, 3, 1);
        assert_eq!(typed_date("", "due_date", day, &mut errors), day);
        assert_eq!(
            typed_date("2026-04-01", "due_date", day, &mut errors),
            jiff::civil::date(2026, 4, 1)
        );
        assert!(errors.is_empty());
        typed_date("1 Nisan", "due_date", day, &mut errors);
        assert_eq!(errors.0[0].field, "due_date");
    }
}
