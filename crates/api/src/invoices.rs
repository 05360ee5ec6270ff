//! `/api/v1/invoices`: invoices and credit notes, by hand or from an order, posted with a
//! number and a ledger entry, cancelled by a reversing entry (the service's rules:
//! `rehber_app::invoices`).

use super::document_lines::{Amount, DocumentTotals, PricedLine, QuoteLineRequest, VatSummaryLine};
use super::extract::{ApiBody, ApiId, DocumentedBody, OptionalBody};
use super::records::schema_fields;
use super::{etag, expected_version};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::InvoiceFilter;
use rehber_app::invoices::InvoiceDraft;
use rehber_domain::ledger::{Account, Invoice, InvoiceStatus};
use rehber_domain::money::{Money, in_words_tr};
use rehber_domain::quote::vat_summary;
use rehber_domain::{CompanyId, PersonId};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// An invoice or credit note as written.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct InvoiceRequest {
    /// `invoice` (the default) or `credit_note`.
    pub kind: Option<String>,
    /// The customer: a company, else a person (one is required, unless the order names it).
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    /// The order billed: its customer, currency and, without `lines`, its lines.
    pub order_id: Option<i64>,
    /// ISO 4217; the order's, else TRY.
    #[schema(example = "TRY")]
    pub currency: Option<String>,
    /// `YYYY-MM-DD`; today when absent.
    #[schema(example = "2026-03-01")]
    pub issue_date: Option<String>,
    /// `YYYY-MM-DD`; 30 days after the issue date when absent.
    pub due_date: Option<String>,
    /// Lines as on a quote, priced by the same money rule.
    pub lines: Option<Vec<QuoteLineRequest>>,
    pub notes: Option<String>,
    /// The legal e-invoice number, as the accounting system gave it.
    pub e_invoice_number: Option<String>,
    /// The e-invoice's ETTN (a UUID).
    pub ettn: Option<String>,
    pub version: Option<i64>,
}

impl DocumentedBody for InvoiceRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<InvoiceRequest>)
    }
}

impl InvoiceRequest {
    /// The draft these fields make over `base` (an edit changes only what it names).
    fn over(self, mut base: InvoiceDraft) -> (InvoiceDraft, Option<i64>) {
        let set = |field: Option<String>, target: &mut String| {
            if let Some(value) = field {
                *target = value;
            }
        };
        set(self.kind, &mut base.kind);
        set(self.currency, &mut base.currency);
        set(self.issue_date, &mut base.issue_date);
        set(self.due_date, &mut base.due_date);
        set(self.notes, &mut base.notes);
        set(self.e_invoice_number, &mut base.e_invoice_number);
        set(self.ettn, &mut base.ettn);
        if self.company_id.is_some() {
            base.company_id = self.company_id;
        }
        if self.person_id.is_some() {
            base.person_id = self.person_id;
        }
        if self.order_id.is_some() {
            base.order_id = self.order_id;
        }
        if let Some(lines) = self.lines {
            base.lines = lines
                .into_iter()
                .map(QuoteLineRequest::into_draft)
                .collect();
        }
        (base, self.version)
    }
}

/// An invoice or credit note with its lines and what is still open of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceResponse {
    pub id: i64,
    /// `invoice` or `credit_note`.
    pub kind: String,
    /// Given when posted: `FTR-2026-000001` (credit notes `IAD-…`).
    pub number: Option<String>,
    /// `draft`, `posted` or `cancelled`.
    pub status: String,
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    pub order_id: Option<i64>,
    pub currency: String,
    pub issue_date: String,
    pub due_date: String,
    pub lines: Vec<PricedLine>,
    pub totals: DocumentTotals,
    pub vat_summary: Vec<VatSummaryLine>,
    pub in_words: String,
    /// What payments allocated to it.
    pub allocated: Amount,
    /// What is still to be paid (posted invoices).
    pub open: Amount,
    pub notes: String,
    pub e_invoice_number: String,
    pub ettn: String,
    pub posted_at: Option<String>,
    /// The date of the reversing entry.
    pub cancelled_on: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Invoice> for InvoiceResponse {
    fn from(i: Invoice) -> Self {
        let money = |minor: i64| Amount {
            minor,
            currency: i.currency.clone(),
        };
        let t = &i.totals;
        InvoiceResponse {
            id: i.id,
            kind: i.kind.as_str().into(),
            number: i.number.clone(),
            status: i.status.as_str().into(),
            company_id: i.company_id.map(|c| c.0),
            person_id: i.person_id.map(|p| p.0),
            order_id: i.order_id,
            issue_date: i.issue_date.to_string(),
            due_date: i.due_date.to_string(),
            lines: i
                .lines
                .iter()
                .map(|l| PricedLine::stored(l, &i.currency))
                .collect(),
            totals: DocumentTotals {
                subtotal: money(t.subtotal),
                discount: money(t.discount),
                net: money(t.net),
                vat: money(t.vat),
                gross: money(t.gross),
            },
            vat_summary: vat_summary(&i.lines)
                .iter()
                .map(|s| VatSummaryLine {
                    vat_rate: s.rate.percent(),
                    net: money(s.net),
                    vat: money(s.vat),
                })
                .collect(),
            in_words: in_words_tr(&Money {
                minor: t.gross,
                currency: i.currency.clone(),
            }),
            allocated: money(i.allocated),
            open: money(i.open_amount()),
            notes: i.notes.clone(),
            e_invoice_number: i.e_invoice_number.clone(),
            ettn: i.ettn.clone(),
            posted_at: i.posted_at.map(|t| t.to_string()),
            cancelled_on: i.cancelled_on.map(|d| d.to_string()),
            version: i.version,
            created_at: i.created_at.to_string(),
            updated_at: i.updated_at.to_string(),
            currency: i.currency,
        }
    }
}

fn one(invoice: Invoice) -> impl IntoResponse {
    (etag(invoice.version), Json(InvoiceResponse::from(invoice)))
}

fn fail(caller: &ApiUser) -> impl Fn(rehber_app::AppError) -> ApiError + '_ {
    move |e| ApiError::new(caller.lang, e)
}

/// Write a draft invoice or credit note for a customer you can see, by hand or from an
/// order; priced by the money rule. It gets its number when posted.
#[utoipa::path(post, path = "/invoices", tag = "ledger", request_body = InvoiceRequest, responses(
    (status = 201, body = InvoiceResponse),
    (status = 403, description = "Support agents, marketers and read-only users write no invoices", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields, named by JSON pointer (`lines/1/quantity`), or a customer or order outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<InvoiceRequest>,
) -> Result<Response, ApiError> {
    let (draft, _) = body.0.over(InvoiceDraft::default());
    let invoice = state
        .app
        .create_invoice(&caller.actor(), &draft)
        .await
        .map_err(fail(&caller))?;
    let location = format!("/api/v1/invoices/{}", invoice.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        one(invoice),
    )
        .into_response())
}

/// A page of invoices.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoicePage {
    pub items: Vec<InvoiceResponse>,
    pub next_offset: Option<u64>,
}

/// The invoices and credit notes you can see, the latest issued first (without lines).
#[utoipa::path(get, path = "/invoices", tag = "ledger", params(
    ("status" = Option<String>, Query, description = "`draft`, `posted` or `cancelled`"),
    ("company_id" = Option<i64>, Query),
    ("person_id" = Option<i64>, Query, description = "A person's own account (invoices without a company)"),
    ("open" = Option<bool>, Query, description = "`true`: posted invoices with something still to pay"),
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("offset" = Option<i64>, Query)
), responses(
    (status = 200, body = InvoicePage),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<InvoicePage>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(
        raw.as_deref(),
        &[&[
            "status",
            "company_id",
            "person_id",
            "open",
            "limit",
            "offset",
        ]],
        &mut errors,
    );
    let status = params.text("status", 20, &mut errors).and_then(|s| {
        let parsed = InvoiceStatus::parse(&s);
        if parsed.is_none() {
            errors.invalid.add("status", "invalid-choice");
        }
        parsed
    });
    let company = params.integer("company_id", 1..=i64::MAX, &mut errors);
    let person = params.integer("person_id", 1..=i64::MAX, &mut errors);
    let open = params.boolean("open", &mut errors).unwrap_or(false);
    let limit = params.integer("limit", 1..=200, &mut errors).unwrap_or(50);
    let offset = params
        .integer("offset", 0..=1_000_000, &mut errors)
        .unwrap_or(0);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let account = match (company, person) {
        (Some(id), _) => Some(Account::Company(CompanyId(id))),
        (None, Some(id)) => Some(Account::Person(PersonId(id))),
        (None, None) => None,
    };
    let offset = u64::try_from(offset).unwrap_or(0);
    let filter = InvoiceFilter {
        status,
        account,
        open_only: open,
        limit: u32::try_from(limit).unwrap_or(50),
        offset,
    };
    let (invoices, more) = state
        .app
        .invoices(&caller.actor(), &filter)
        .await
        .map_err(fail(&caller))?;
    Ok(Json(InvoicePage {
        next_offset: more.then(|| offset + invoices.len() as u64),
        items: invoices.into_iter().map(InvoiceResponse::from).collect(),
    }))
}

/// One invoice with its lines and open amount.
#[utoipa::path(get, path = "/invoices/{id}", tag = "ledger", params(("id" = i64, Path)), responses(
    (status = 200, body = InvoiceResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such invoice in your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let invoice = state
        .app
        .invoice(&caller.actor(), id)
        .await
        .map_err(fail(&caller))?;
    Ok(one(invoice).into_response())
}

/// Change a draft (only drafts change).
#[utoipa::path(patch, path = "/invoices/{id}", tag = "ledger", params(("id" = i64, Path)), request_body = InvoiceRequest, responses(
    (status = 200, body = InvoiceResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Posted or cancelled, or changed since the version given", body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json"),
    (status = 415, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    body: ApiBody<InvoiceRequest>,
) -> Result<Response, ApiError> {
    let actor = caller.actor();
    let stored = state.app.invoice(&actor, id).await.map_err(fail(&caller))?;
    let base = InvoiceDraft {
        kind: stored.kind.as_str().into(),
        company_id: stored.company_id.map(|c| c.0),
        person_id: stored.person_id.map(|p| p.0),
        order_id: stored.order_id,
        currency: stored.currency.clone(),
        issue_date: stored.issue_date.to_string(),
        due_date: stored.due_date.to_string(),
        notes: stored.notes.clone(),
        e_invoice_number: stored.e_invoice_number.clone(),
        ettn: stored.ettn.clone(),
        lines: rehber_app::App::document_lines_as_drafts(&stored.lines),
    };
    let (draft, version) = body.0.over(base);
    let version = expected_version(caller.lang, &headers, version)?;
    let invoice = state
        .app
        .update_invoice(&actor, id, version, &draft)
        .await
        .map_err(fail(&caller))?;
    Ok(one(invoice).into_response())
}

/// A step's version check.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct InvoiceStepRequest {
    /// The version you saw; absent is the current one.
    pub version: Option<i64>,
}

impl DocumentedBody for InvoiceStepRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<InvoiceStepRequest>)
    }
}

/// Post a draft: it takes the next number of its series and year (no gaps) and writes its
/// entry on the customer's account.
#[utoipa::path(post, path = "/invoices/{id}/post", tag = "ledger", params(("id" = i64, Path)), request_body(content = Option<InvoiceStepRequest>), responses(
    (status = 200, body = InvoiceResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Not a draft, or changed since the version given", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "The issue date is in a locked period (`issue_date`)", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn post(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    OptionalBody(body): OptionalBody<InvoiceStepRequest>,
) -> Result<Response, ApiError> {
    let version = expected_version(caller.lang, &headers, body.version)?;
    let invoice = state
        .app
        .post_invoice(&caller.actor(), id, version)
        .await
        .map_err(fail(&caller))?;
    Ok(one(invoice).into_response())
}

/// Cancel an invoice: a draft simply, a posted one by a reversing entry dated today.
#[utoipa::path(post, path = "/invoices/{id}/cancel", tag = "ledger", params(("id" = i64, Path)), request_body(content = Option<InvoiceStepRequest>), responses(
    (status = 200, body = InvoiceResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Already cancelled, or changed since the version given", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Payments are allocated to it (`status`), or today is in a locked period", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn cancel(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    OptionalBody(body): OptionalBody<InvoiceStepRequest>,
) -> Result<Response, ApiError> {
    let version = expected_version(caller.lang, &headers, body.version)?;
    let invoice = state
        .app
        .cancel_invoice(&caller.actor(), id, version)
        .await
        .map_err(fail(&caller))?;
    Ok(one(invoice).into_response())
}
