//! The customer ledger (cari hesap): invoices and credit notes, payments (tahsilat) and the
//! entries they write, the statement's running balance, how a payment is spread over open
//! invoices, and aging. Pure rules; the services apply them and the store keeps the result.
//!
//! Signs: a balance is positive when the customer owes (borçlu, B) and negative when the
//! business owes the customer (alacaklı, A).

use crate::ids::{CompanyId, PersonId, UserId};
use crate::quote::{DocumentLine, DocumentTotals};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

mod report;
pub use report::{Aging, AgingBucket, Statement, StatementLine, balance_side};

/// Days from the issue date to the due date when the customer has no terms of their own.
pub const DEFAULT_PAYMENT_DAYS: i64 = 30;

/// The largest amount one document or payment may carry, in minor units (ten trillion
/// lira): sums over an account's entries then stay far inside an `i64`.
pub const MAX_LEDGER_AMOUNT: i64 = 1_000_000_000_000_000;

/// The number series of payments (`THS-2026-000001`).
pub const PAYMENT_SERIES: &str = "THS";

/// The longest payment reference (a cheque number, a bank reference), in characters.
pub const MAX_REFERENCE: usize = 200;

/// Whose account a document or entry is on: the company when there is one, else the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Account {
    Company(CompanyId),
    Person(PersonId),
}

impl Account {
    /// The account of a document naming these parties; `None` when it names neither.
    pub fn of(company: Option<CompanyId>, person: Option<PersonId>) -> Option<Account> {
        match (company, person) {
            (Some(company), _) => Some(Account::Company(company)),
            (None, Some(person)) => Some(Account::Person(person)),
            (None, None) => None,
        }
    }

    pub fn company_id(self) -> Option<CompanyId> {
        match self {
            Account::Company(id) => Some(id),
            Account::Person(_) => None,
        }
    }

    pub fn person_id(self) -> Option<PersonId> {
        match self {
            Account::Person(id) => Some(id),
            Account::Company(_) => None,
        }
    }
}

/// An invoice or a credit note (iade faturası): the same document, opposite sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    Invoice,
    CreditNote,
}

impl InvoiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "invoice",
            InvoiceKind::CreditNote => "credit_note",
        }
    }

    pub fn parse(text: &str) -> Option<InvoiceKind> {
        [InvoiceKind::Invoice, InvoiceKind::CreditNote]
            .into_iter()
            .find(|k| k.as_str() == text)
    }

    /// The number series it is posted in (`FTR-2026-000001`, `IAD-2026-000001`).
    pub fn series(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "FTR",
            InvoiceKind::CreditNote => "IAD",
        }
    }

    /// The entry its posting writes: an invoice is a debit (the customer owes more), a
    /// credit note a credit.
    pub fn posting(self, amount: i64) -> (i64, i64) {
        match self {
            InvoiceKind::Invoice => (amount, 0),
            InvoiceKind::CreditNote => (0, amount),
        }
    }
}

/// Where an invoice is: a draft changes and has no number; posting writes its entry;
/// cancelling a posted one writes the reversal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Draft,
    Posted,
    Cancelled,
}

impl InvoiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Posted => "posted",
            InvoiceStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<InvoiceStatus> {
        [
            InvoiceStatus::Draft,
            InvoiceStatus::Posted,
            InvoiceStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// How a payment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    /// Havale/EFT.
    Transfer,
    Card,
    Cheque,
    /// Senet.
    PromissoryNote,
    /// Mahsup: set off against something the business owes the customer.
    Offset,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 6] = [
        PaymentMethod::Cash,
        PaymentMethod::Transfer,
        PaymentMethod::Card,
        PaymentMethod::Cheque,
        PaymentMethod::PromissoryNote,
        PaymentMethod::Offset,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::Card => "card",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::PromissoryNote => "promissory_note",
            PaymentMethod::Offset => "offset",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == text.trim())
    }

    /// Whether the instrument has a due date of its own (a cheque, a senet).
    pub fn has_due_date(self) -> bool {
        matches!(self, PaymentMethod::Cheque | PaymentMethod::PromissoryNote)
    }
}

/// What wrote a ledger entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Invoice,
    CreditNote,
    Payment,
    /// The undoing of an earlier entry (a cancelled invoice).
    Reversal,
    Opening,
    Adjustment,
}

impl EntryKind {
    pub const ALL: [EntryKind; 6] = [
        EntryKind::Invoice,
        EntryKind::CreditNote,
        EntryKind::Payment,
        EntryKind::Reversal,
        EntryKind::Opening,
        EntryKind::Adjustment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Invoice => "invoice",
            EntryKind::CreditNote => "credit_note",
            EntryKind::Payment => "payment",
            EntryKind::Reversal => "reversal",
            EntryKind::Opening => "opening",
            EntryKind::Adjustment => "adjustment",
        }
    }

    pub fn parse(text: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A stored invoice or credit note with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub id: i64,
    pub kind: InvoiceKind,
    /// Given when posted (`FTR-2026-000001`).
    pub number: Option<String>,
    pub status: InvoiceStatus,
    pub company_id: Option<CompanyId>,
    pub person_id: Option<PersonId>,
    pub order_id: Option<i64>,
    pub currency: String,
    pub issue_date: Date,
    pub due_date: Date,
    pub lines: Vec<DocumentLine>,
    pub totals: DocumentTotals,
    pub notes: String,
    /// The legal e-invoice number and its ETTN, as the accounting system gave them.
    pub e_invoice_number: String,
    pub ettn: String,
    pub posted_at: Option<Timestamp>,
    pub cancelled_on: Option<Date>,
    /// What payments allocated to it (posted invoices only).
    pub allocated: i64,
    pub created_by: Option<UserId>,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Invoice {
    /// Whose account it is on.
    pub fn account(&self) -> Option<Account> {
        Account::of(self.company_id, self.person_id)
    }

    /// What is still to be paid of a posted invoice.
    pub fn open_amount(&self) -> i64 {
        match (self.kind, self.status) {
            (InvoiceKind::Invoice, InvoiceStatus::Posted) => self.totals.gross - self.allocated,
            _ => 0,
        }
    }
}

/// A stored payment and how it was spread over invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: i64,
    /// `THS-2026-000001`.
    pub number: String,
    pub account: Account,
    pub currency: String,
    pub amount: i64,
    pub method: PaymentMethod,
    pub received_at: Date,
    pub reference: String,
    /// A cheque's or senet's own due date.
    pub due_date: Option<Date>,
    pub notes: String,
    pub collected_by: Option<UserId>,
    pub allocations: Vec<Allocation>,
    pub created_at: Timestamp,
}

impl Payment {
    /// The part allocated to no invoice: a credit on the account.
    pub fn unallocated(&self) -> i64 {
        self.amount - self.allocations.iter().map(|a| a.amount).sum::<i64>()
    }
}

/// A part of a payment set against one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub invoice_id: i64,
    /// The invoice's number, for showing.
    pub invoice_number: String,
    pub amount: i64,
}

/// An open invoice as a payment sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoice {
    pub id: i64,
    pub due_date: Date,
    pub issue_date: Date,
    pub open: i64,
}

/// Spreads `amount` over `open` invoices, the oldest due first (then the oldest issued):
/// each gets what is open of it until the amount runs out. What is left is the caller's
/// on-account credit.
pub fn allocate_oldest_first(open: &[OpenInvoice], amount: i64) -> Vec<(i64, i64)> {
    let mut ordered: Vec<&OpenInvoice> = open.iter().filter(|i| i.open > 0).collect();
    ordered.sort_by_key(|i| (i.due_date, i.issue_date, i.id));
    let mut left = amount.max(0);
    let mut parts = Vec::new();
    for invoice in ordered {
        if left == 0 {
            break;
        }
        let part = invoice.open.min(left);
        parts.push((invoice.id, part));
        left -= part;
    }
    parts
}

/// A stored ledger entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub id: i64,
    pub account: Account,
    pub currency: String,
    pub date: Date,
    pub kind: EntryKind,
    /// The document's number (`FTR-2026-000001`, `THS-2026-000012` for a payment).
    pub document: String,
    pub description: String,
    pub due_date: Option<Date>,
    pub debit: i64,
    pub credit: i64,
    pub invoice_id: Option<i64>,
    pub payment_id: Option<i64>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn open(id: i64, due: Date, amount: i64) -> OpenInvoice {
        OpenInvoice {
            id,
            due_date: due,
            issue_date: date(2026, 1, 1),
            open: amount,
        }
    }

    #[test]
    fn a_payment_goes_to_the_oldest_due_first_and_leaves_the_rest_on_account() {
        let invoices = [
            open(1, date(2026, 3, 1), 50_000),
            open(2, date(2026, 2, 1), 30_000),
            open(3, date(2026, 4, 1), 10_000),
        ];
        assert_eq!(
            allocate_oldest_first(&invoices, 60_000),
            vec![(2, 30_000), (1, 30_000)]
        );
        let all = allocate_oldest_first(&invoices, 100_000);
        assert_eq!(all, vec![(2, 30_000), (1, 50_000), (3, 10_000)]);
        assert_eq!(all.iter().map(|(_, a)| a).sum::<i64>(), 90_000);
        assert!(allocate_oldest_first(&[], 5).is_empty());
        assert!(allocate_oldest_first(&invoices, 0).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn a_payment_never_takes_more_than_is_open_or_than_it_is(
            opens in proptest::collection::vec((0i64..5_000_000, 0i16..400), 0..30),
            amount in 0i64..50_000_000,
        ) {
            let invoices: Vec<OpenInvoice> = opens
                .iter()
                .enumerate()
                .map(|(i, (open, due))| OpenInvoice {
                    id: i as i64,
                    due_date: date(2026, 1, 1).checked_add(jiff::Span::new().days(i64::from(*due))).unwrap(),
                    issue_date: date(2025, 12, 1),
                    open: *open,
                })
                .collect();
            let parts = allocate_oldest_first(&invoices, amount);
            let total: i64 = parts.iter().map(|(_, a)| a).sum();
            let open: i64 = invoices.iter().map(|i| i.open).sum();
            proptest::prop_assert_eq!(total, amount.min(open));
            for (id, part) in &parts {
                let invoice = &invoices[*id as usize];
                proptest::prop_assert!(*part > 0 && *part <= invoice.open);
            }
            // Only the last invoice paid may be paid in part, and none due earlier is skipped.
            for window in parts.windows(2) {
                let first = &invoices[window[0].0 as usize];
                proptest::prop_assert_eq!(window[0].1, first.open);
                proptest::prop_assert!(first.due_date <= invoices[window[1].0 as usize].due_date);
            }
        }
    }

    #[test]
    fn names_read_back() {
        for method in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(method.as_str()), Some(method));
        }
        for kind in EntryKind::ALL {
            assert_eq!(EntryKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(InvoiceKind::CreditNote.posting(5), (0, 5));
        assert_eq!(InvoiceStatus::parse("posted"), Some(InvoiceStatus::Posted));
        assert_eq!(
            Account::of(Some(CompanyId(2)), Some(PersonId(3))),
            Some(Account::Company(CompanyId(2)))
        );
    }
}
