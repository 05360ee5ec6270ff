//! The life of a quote (teklif) and of the order it becomes: which statuses there are, which
//! step leads from which status, and how their numbers read. Pure rules; the services
//! apply them and the store keeps the result.

use crate::ids::{CompanyId, DealId, PersonId, TeamId, UserId};
use crate::pricing::{LineAmounts, LineInput, Quantity, VatRate, VatSummary};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The series of quote numbers (`TKF-2026-000123`).
pub const QUOTE_SERIES: &str = "TKF";
/// The series of order numbers (`SIP-2026-000045`).
pub const ORDER_SERIES: &str = "SIP";
/// How long a quote is valid when its validity is not given, in days.
pub const DEFAULT_VALIDITY_DAYS: i64 = 15;

/// A document number: the series, the year and the number within them, six digits.
pub fn document_number(series: &str, year: i64, number: i64) -> String {
    format!("{series}-{year}-{number:06}")
}

/// A quote's number with its revision as printed: the first revision is the bare number,
/// later ones carry ` / R2`.
pub fn numbered_revision(number: &str, revision: i64) -> String {
    if revision <= 1 {
        number.to_string()
    } else {
        format!("{number} / R{revision}")
    }
}

/// Where a quote is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Being written; the only status whose lines and fields change.
    Draft,
    /// Sent to the customer, waiting for an answer.
    Sent,
    /// The customer said yes: immutable, and an order can be made from it.
    Accepted,
    Rejected,
    /// Its `valid_until` passed without an answer.
    Expired,
    /// A later revision of the same number was sent.
    Superseded,
    Cancelled,
}

/// A step a user asks of a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteAction {
    Send,
    Accept,
    Reject,
    Revise,
    Cancel,
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 7] = [
        QuoteStatus::Draft,
        QuoteStatus::Sent,
        QuoteStatus::Accepted,
        QuoteStatus::Rejected,
        QuoteStatus::Expired,
        QuoteStatus::Superseded,
        QuoteStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Rejected => "rejected",
            QuoteStatus::Expired => "expired",
            QuoteStatus::Superseded => "superseded",
            QuoteStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<QuoteStatus> {
        QuoteStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether its lines and fields may change.
    pub fn is_editable(self) -> bool {
        self == QuoteStatus::Draft
    }

    /// The status `action` leads to from this one, or `None` when it is not allowed.
    /// A revision is a new draft: the quote revised keeps its status until the revision is
    /// sent, and only then becomes [`QuoteStatus::Superseded`].
    pub fn after(self, action: QuoteAction) -> Option<QuoteStatus> {
        use QuoteAction as A;
        use QuoteStatus as S;
        match (self, action) {
            (S::Draft | S::Sent, A::Send) => Some(S::Sent),
            (S::Sent, A::Accept) => Some(S::Accepted),
            (S::Sent, A::Reject) => Some(S::Rejected),
            (S::Sent | S::Rejected | S::Expired, A::Revise) => Some(self),
            (S::Draft | S::Sent, A::Cancel) => Some(S::Cancelled),
            _ => None,
        }
    }
}

impl QuoteAction {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteAction::Send => "send",
            QuoteAction::Accept => "accept",
            QuoteAction::Reject => "reject",
            QuoteAction::Revise => "revise",
            QuoteAction::Cancel => "cancel",
        }
    }
}

/// Where an order is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Confirmed,
    Preparing,
    PartiallyShipped,
    Shipped,
    Delivered,
    Closed,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 7] = [
        OrderStatus::Confirmed,
        OrderStatus::Preparing,
        OrderStatus::PartiallyShipped,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Closed,
        OrderStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Preparing => "preparing",
            OrderStatus::PartiallyShipped => "partially_shipped",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Closed => "closed",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether a user may set `to` by hand from this status. The shipping statuses follow
    /// the shipments and are not set by hand; nothing leaves closed or cancelled, and an
    /// order with shipments cannot be cancelled (`shipped` is whether any were made).
    pub fn may_become(self, to: OrderStatus, shipped: bool) -> bool {
        use OrderStatus as S;
        match (self, to) {
            (S::Closed | S::Cancelled, _) => false,
            (from, to) if from == to => true,
            (S::Confirmed, S::Preparing) => true,
            (S::Confirmed | S::Preparing, S::Cancelled) => !shipped,
            (S::Shipped, S::Delivered) => true,
            (S::Delivered, S::Closed) => true,
            _ => false,
        }
    }

    /// The status the shipments give: `ordered` and `shipped` are the totals of all lines
    /// in thousandths. Statuses past shipping are kept.
    pub fn from_shipments(self, ordered: i64, shipped: i64) -> OrderStatus {
        use OrderStatus as S;
        match self {
            S::Delivered | S::Closed | S::Cancelled => self,
            _ if shipped <= 0 => self,
            _ if shipped >= ordered => S::Shipped,
            _ => S::PartiallyShipped,
        }
    }
}

/// Where a return is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnStatus {
    Requested,
    Approved,
    Received,
    Credited,
    Rejected,
}

impl ReturnStatus {
    pub const ALL: [ReturnStatus; 5] = [
        ReturnStatus::Requested,
        ReturnStatus::Approved,
        ReturnStatus::Received,
        ReturnStatus::Credited,
        ReturnStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReturnStatus::Requested => "requested",
            ReturnStatus::Approved => "approved",
            ReturnStatus::Received => "received",
            ReturnStatus::Credited => "credited",
            ReturnStatus::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<ReturnStatus> {
        ReturnStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Requested → approved → received → credited; a request may be rejected.
    pub fn may_become(self, to: ReturnStatus) -> bool {
        use ReturnStatus as S;
        matches!(
            (self, to),
            (S::Requested, S::Approved)
                | (S::Requested, S::Rejected)
                | (S::Approved, S::Received)
                | (S::Received, S::Credited)
        )
    }
}

/// One stored line of a quote or an order: what was sold and its amounts by the money
/// rule, copied from the product when the line was written so later changes to the
/// product never change the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLine {
    /// 1, 2, … in the order shown.
    pub position: i64,
    pub product_id: Option<i64>,
    pub description: String,
    /// A UN/ECE unit code (`C62` piece, `KGM`, `HUR`).
    pub unit: String,
    pub input: LineInput,
    pub vat_exemption_code: Option<String>,
    pub amounts: LineAmounts,
}

/// A document's totals as stored: sums of its rounded lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocumentTotals {
    pub subtotal: i64,
    pub discount: i64,
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
}

impl DocumentTotals {
    /// The sums of `lines`' amounts, as [`crate::pricing::price`] made them.
    pub fn of(totals: &crate::pricing::Totals) -> DocumentTotals {
        DocumentTotals {
            subtotal: totals.subtotal,
            discount: totals.discount,
            net: totals.net,
            vat: totals.vat,
            gross: totals.gross,
        }
    }
}

/// The KDV summary of stored lines: net and KDV per rate, highest rate first.
pub fn vat_summary(lines: &[DocumentLine]) -> Vec<VatSummary> {
    VatRate::ALL
        .into_iter()
        .filter_map(|rate| {
            let at: Vec<&DocumentLine> =
                lines.iter().filter(|l| l.input.vat_rate == rate).collect();
            (!at.is_empty()).then(|| VatSummary {
                rate,
                net: at.iter().map(|l| l.amounts.net).sum(),
                vat: at.iter().map(|l| l.amounts.vat).sum(),
            })
        })
        .collect()
}

/// Who a sales document is for and what it is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Parties {
    pub company_id: Option<CompanyId>,
    pub person_id: Option<PersonId>,
    pub deal_id: Option<DealId>,
}

/// A stored quote revision with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub id: i64,
    /// `TKF-2026-000123`, shared by every revision.
    pub number: String,
    /// 1 for the first, then 2, 3, …
    pub revision: i64,
    /// The first revision's id (itself for the first).
    pub root_id: i64,
    pub status: QuoteStatus,
    pub parties: Parties,
    pub currency: String,
    pub issue_date: Date,
    pub valid_until: Date,
    pub lines: Vec<DocumentLine>,
    pub totals: DocumentTotals,
    pub terms: String,
    pub notes: String,
    pub sent_at: Option<Timestamp>,
    /// The address the last sending went to.
    pub sent_to: Option<String>,
    /// Why the last e-mail could not be sent (cleared when one is).
    pub send_error: Option<String>,
    /// When it was accepted or rejected.
    pub decided_at: Option<Timestamp>,
    pub reject_reason: String,
    /// The PDF as sent, kept as an attachment of the customer.
    pub pdf_attachment_id: Option<i64>,
    pub owner_id: Option<UserId>,
    pub team_id: Option<TeamId>,
    pub created_by: Option<UserId>,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Quote {
    /// The number as printed, with the revision (`TKF-2026-000123 / R2`).
    pub fn display_number(&self) -> String {
        numbered_revision(&self.number, self.revision)
    }
}

/// A stored order with its lines and what was shipped of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    /// `SIP-2026-000045`.
    pub number: String,
    pub quote_id: i64,
    pub status: OrderStatus,
    pub parties: Parties,
    pub currency: String,
    pub lines: Vec<DocumentLine>,
    pub totals: DocumentTotals,
    pub delivery_address: String,
    pub requested_date: Option<Date>,
    pub notes: String,
    pub owner_id: Option<UserId>,
    pub team_id: Option<TeamId>,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A shipment of an order: how much of which lines (by position), in thousandths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipment {
    pub id: i64,
    pub order_id: i64,
    pub shipped_on: Date,
    pub carrier: String,
    pub tracking_no: String,
    pub lines: Vec<(i64, Quantity)>,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
}

/// A return of goods from an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderReturn {
    pub id: i64,
    pub order_id: i64,
    pub status: ReturnStatus,
    pub reason: String,
    pub lines: Vec<(i64, Quantity)>,
    pub created_by: Option<UserId>,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_with_six_digits_and_a_revision_suffix() {
        let number = document_number(QUOTE_SERIES, 2026, 123);
        assert_eq!(number, "TKF-2026-000123");
        assert_eq!(numbered_revision(&number, 1), "TKF-2026-000123");
        assert_eq!(numbered_revision(&number, 2), "TKF-2026-000123 / R2");
    }

    #[test]
    fn only_the_allowed_steps_lead_anywhere() {
        use QuoteAction as A;
        use QuoteStatus as S;
        assert_eq!(S::Draft.after(A::Send), Some(S::Sent));
        assert_eq!(S::Sent.after(A::Accept), Some(S::Accepted));
        assert_eq!(S::Draft.after(A::Accept), None);
        for action in [A::Send, A::Accept, A::Reject, A::Revise, A::Cancel] {
            assert_eq!(S::Accepted.after(action), None, "accepted is immutable");
            assert_eq!(S::Cancelled.after(action), None);
        }
        assert_eq!(S::Expired.after(A::Revise), Some(S::Expired));
        for status in QuoteStatus::ALL {
            assert_eq!(QuoteStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn shipments_move_an_order_and_hand_steps_are_limited() {
        use OrderStatus as S;
        assert_eq!(S::Confirmed.from_shipments(2000, 1000), S::PartiallyShipped);
        assert_eq!(S::PartiallyShipped.from_shipments(2000, 2000), S::Shipped);
        assert_eq!(S::Preparing.from_shipments(2000, 0), S::Preparing);
        assert!(S::Confirmed.may_become(S::Preparing, false));
        assert!(!S::Preparing.may_become(S::Cancelled, true));
        assert!(!S::Confirmed.may_become(S::Shipped, false));
        assert!(S::Shipped.may_become(S::Delivered, true));
        assert!(!S::Closed.may_become(S::Delivered, true));
        assert!(ReturnStatus::Requested.may_become(ReturnStatus::Approved));
        assert!(!ReturnStatus::Requested.may_become(ReturnStatus::Credited));
    }
}
