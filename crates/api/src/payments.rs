//! `/api/v1/payments`: a payment (tahsilat) taken from a customer, allocated to their open
//! invoices oldest-first or by hand (the service's rules: `rehber_app::ledger`).

use super::document_lines::Amount;
use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::ledger::PaymentDraft;
use rehber_domain::ledger::Payment;
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// An amount given in minor units; its currency, when given, is the payment's.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AmountInput {
    #[schema(example = 125050)]
    pub minor: i64,
    /// ISO 4217; TRY when absent.
    pub currency: Option<String>,
}

/// A part of a payment set against one invoice.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AllocationRequest {
    pub invoice_id: i64,
    pub amount: AmountInput,
}

/// A payment (tahsilat) taken from a customer.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PaymentRequest {
    /// The customer: a company, else a person.
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    pub amount: Option<AmountInput>,
    /// `cash`, `transfer` (havale/EFT), `card`, `cheque`, `promissory_note` (senet) or
    /// `offset` (mahsup).
    #[schema(example = "cash")]
    pub method: Option<String>,
    /// `YYYY-MM-DD`; today when absent; never in the future.
    #[schema(example = "2026-03-15")]
    pub received_at: Option<String>,
    /// A cheque number, a bank reference.
    pub reference: Option<String>,
    /// A cheque's or senet's own due date, `YYYY-MM-DD`.
    pub due_date: Option<String>,
    pub notes: Option<String>,
    /// Without it, the payment goes to the oldest due open invoices first; what is left
    /// stays on the account as credit.
    pub allocations: Option<Vec<AllocationRequest>>,
}

impl DocumentedBody for PaymentRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<PaymentRequest>)
    }
}

/// A part of a payment set against an invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllocationResponse {
    pub invoice_id: i64,
    pub invoice_number: String,
    pub amount: Amount,
}

/// A payment with its allocations.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentResponse {
    pub id: i64,
    /// `THS-2026-000001`.
    pub number: String,
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    pub amount: Amount,
    pub method: String,
    pub received_at: String,
    pub reference: String,
    pub due_date: Option<String>,
    pub notes: String,
    /// The user who collected it.
    pub collected_by: Option<i64>,
    pub allocations: Vec<AllocationResponse>,
    /// What is set against no invoice: a credit on the account.
    pub unallocated: Amount,
    pub created_at: String,
}

impl From<Payment> for PaymentResponse {
    fn from(p: Payment) -> Self {
        let money = |minor: i64| Amount {
            minor,
            currency: p.currency.clone(),
        };
        PaymentResponse {
            id: p.id,
            number: p.number.clone(),
            company_id: p.account.company_id().map(|c| c.0),
            person_id: p.account.person_id().map(|c| c.0),
            amount: money(p.amount),
            method: p.method.as_str().into(),
            received_at: p.received_at.to_string(),
            reference: p.reference.clone(),
            due_date: p.due_date.map(|d| d.to_string()),
            notes: p.notes.clone(),
            collected_by: p.collected_by.map(|u| u.0),
            allocations: p
                .allocations
                .iter()
                .map(|a| AllocationResponse {
                    invoice_id: a.invoice_id,
                    invoice_number: a.invoice_number.clone(),
                    amount: money(a.amount),
                })
                .collect(),
            unallocated: money(p.unallocated()),
            created_at: p.created_at.to_string(),
        }
    }
}

/// Take a payment from a customer you can see, collected by you: allocated by hand, or to
/// the oldest due invoices first; what is left is credit on the account.
#[utoipa::path(post, path = "/payments", tag = "ledger", request_body = PaymentRequest, responses(
    (status = 201, body = PaymentResponse),
    (status = 403, description = "Support agents, marketers and read-only users take no payments", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields; more allocated than an invoice has open (`allocations/0/amount`) or than the payment; a date in a locked period (`received_at`)", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<PaymentRequest>,
) -> Result<Response, ApiError> {
    let b = body.0;
    let currency = b
        .amount
        .as_ref()
        .and_then(|a| a.currency.clone())
        .unwrap_or_default();
    let draft = PaymentDraft {
        company_id: b.company_id,
        person_id: b.person_id,
        amount: String::new(),
        amount_minor: b.amount.as_ref().map(|a| a.minor),
        currency,
        method: b.method.unwrap_or_default(),
        received_at: b.received_at.unwrap_or_default(),
        reference: b.reference.unwrap_or_default(),
        due_date: b.due_date.unwrap_or_default(),
        notes: b.notes.unwrap_or_default(),
        allocations: b.allocations.map(|parts| {
            parts
                .into_iter()
                .map(|p| (p.invoice_id, p.amount.minor))
                .collect()
        }),
    };
    let payment = state
        .app
        .record_payment(&caller.actor(), &draft)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!("/api/v1/payments/{}", payment.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(PaymentResponse::from(payment)),
    )
        .into_response())
}

/// One payment with its allocations.
#[utoipa::path(get, path = "/payments/{id}", tag = "ledger", params(("id" = i64, Path)), responses(
    (status = 200, body = PaymentResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such payment in your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<PaymentResponse>, ApiError> {
    let payment = state
        .app
        .payment(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(payment.into()))
}
