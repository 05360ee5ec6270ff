//! `/api/v1/quotes`: quotes (teklif) written, read, changed while they are drafts and moved
//! through send, accept, reject, revise and cancel (the service's rules:
//! `rehber_app::quotes`), and the running total of a quote as it is typed
//! (`POST /quotes/preview-totals`, nothing stored), priced by the same money rule.

use super::document_lines::{Amount, DocumentTotals, PricedLine, QuoteLineRequest, VatSummaryLine};
use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use super::{etag, expected_version};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::QuoteFilter;
use rehber_app::pricing::PricedDocument;
use rehber_app::quotes::QuoteDraft;
use rehber_domain::money::{Money, in_words_tr};
use rehber_domain::quote::{Quote, QuoteStatus, vat_summary};
use rehber_domain::{CompanyId, DealId, PersonId};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// A quote as typed: the body of a new quote, of its preview, and of a draft's change
/// (PATCH: absent fields stay, `lines` replaces every line).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct QuoteRequest {
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    pub deal_id: Option<i64>,
    /// ISO 4217; `TRY` when absent.
    #[schema(example = "TRY")]
    pub currency: Option<String>,
    /// `YYYY-MM-DD`.
    pub valid_until: Option<String>,
    /// Up to 500 lines.
    pub lines: Option<Vec<QuoteLineRequest>>,
    /// Payment and delivery terms printed on the PDF; up to 5,000 characters.
    pub terms: Option<String>,
    /// Internal notes, not printed.
    pub notes: Option<String>,
    /// On PATCH: the version read (or `If-Match`).
    pub version: Option<i64>,
}

impl DocumentedBody for QuoteRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<QuoteRequest>)
    }
}

impl QuoteRequest {
    /// The request over `base` (the stored draft on PATCH, empty on create).
    fn over(self, mut base: QuoteDraft) -> (QuoteDraft, Option<i64>) {
        if self.company_id.is_some() {
            base.company_id = self.company_id;
        }
        if self.person_id.is_some() {
            base.person_id = self.person_id;
        }
        if self.deal_id.is_some() {
            base.deal_id = self.deal_id;
        }
        if let Some(currency) = self.currency {
            base.currency = currency;
        }
        if let Some(valid_until) = self.valid_until {
            base.valid_until = valid_until;
        }
        if let Some(terms) = self.terms {
            base.terms = terms;
        }
        if let Some(notes) = self.notes {
            base.notes = notes;
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

/// A priced quote that was not stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewResponse {
    pub currency: String,
    pub lines: Vec<PricedLine>,
    pub totals: DocumentTotals,
    /// One entry per KDV rate used, highest first.
    pub vat_summary: Vec<VatSummaryLine>,
    /// The total in Turkish words, as the PDF prints it.
    #[schema(example = "Yalnız bin iki yüz elli Türk lirası elli kuruş")]
    pub in_words: String,
}

impl From<PricedDocument> for PreviewResponse {
    fn from(p: PricedDocument) -> Self {
        let money = |minor: i64| Amount {
            minor,
            currency: p.currency.clone(),
        };
        let t = &p.totals;
        PreviewResponse {
            lines: p
                .lines
                .iter()
                .map(|(line, a)| PricedLine {
                    position: None,
                    unit: None,
                    product_id: line.product_id,
                    description: line.description.clone(),
                    quantity: line.input.quantity.to_decimal_string(),
                    unit_price: money(line.input.unit_price),
                    discount_percent: line.input.discount.to_decimal_string(),
                    vat_rate: line.input.vat_rate.percent(),
                    vat_exemption_code: line.vat_exemption_code.clone(),
                    subtotal: money(a.subtotal),
                    discount: money(a.discount),
                    net: money(a.net),
                    vat: money(a.vat),
                    gross: money(a.gross),
                })
                .collect(),
            totals: DocumentTotals {
                subtotal: money(t.subtotal),
                discount: money(t.discount),
                net: money(t.net),
                vat: money(t.vat),
                gross: money(t.gross),
            },
            vat_summary: t
                .vat_summary
                .iter()
                .map(|s| VatSummaryLine {
                    vat_rate: s.rate.percent(),
                    net: money(s.net),
                    vat: money(s.vat),
                })
                .collect(),
            in_words: p.in_words.clone(),
            currency: p.currency.clone(),
        }
    }
}

/// Price a quote without storing it: each line's amounts, the totals and the KDV summary
/// by the money rule (per line: `gross = round(quantity × unit_price)`,
/// `discount = round(gross × discount_percent / 100)`, `net = gross − discount`,
/// `vat = round(net × vat_rate / 100)`, half away from zero; totals are sums of lines).
#[utoipa::path(post, path = "/quotes/preview-totals", tag = "quotes", request_body = QuoteRequest, responses(
    (status = 200, body = PreviewResponse),
    (status = 422, description = "Invalid fields, named by JSON pointer (`lines/1/quantity`)", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn preview_totals(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<QuoteRequest>,
) -> Result<Json<PreviewResponse>, ApiError> {
    let (draft, _) = body.0.over(QuoteDraft::default());
    let priced = state
        .app
        .preview_document(&caller.actor(), &draft)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(priced.into()))
}

/// A stored quote revision with its priced lines.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteResponse {
    pub id: i64,
    /// `TKF-2026-000123`: one per year without gaps, kept by every revision.
    #[schema(example = "TKF-2026-000123")]
    pub number: String,
    /// 1, 2, …
    pub revision: i64,
    /// The number as printed: `TKF-2026-000123 / R2` from the second revision on.
    pub display_number: String,
    /// `draft`, `sent`, `accepted`, `rejected`, `expired`, `superseded` or `cancelled`.
    #[schema(example = "draft")]
    pub status: String,
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub issue_date: String,
    pub valid_until: String,
    pub lines: Vec<PricedLine>,
    pub totals: DocumentTotals,
    pub vat_summary: Vec<VatSummaryLine>,
    #[schema(example = "Yalnız bin iki yüz elli Türk lirası elli kuruş")]
    pub in_words: String,
    pub terms: String,
    pub notes: String,
    /// RFC 3339.
    pub sent_at: Option<String>,
    pub sent_to: Option<String>,
    /// Why the last e-mail could not be sent; it is retried.
    pub send_error: Option<String>,
    /// When it was accepted or rejected.
    pub decided_at: Option<String>,
    pub reject_reason: String,
    /// The PDF as sent, an attachment of the customer.
    pub pdf_attachment_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Quote> for QuoteResponse {
    fn from(q: Quote) -> Self {
        let money = |minor: i64| Amount {
            minor,
            currency: q.currency.clone(),
        };
        let t = &q.totals;
        QuoteResponse {
            id: q.id,
            display_number: q.display_number(),
            number: q.number.clone(),
            revision: q.revision,
            status: q.status.as_str().into(),
            company_id: q.parties.company_id.map(|c| c.0),
            person_id: q.parties.person_id.map(|p| p.0),
            deal_id: q.parties.deal_id.map(|d| d.0),
            issue_date: q.issue_date.to_string(),
            valid_until: q.valid_until.to_string(),
            lines: q
                .lines
                .iter()
                .map(|l| PricedLine::stored(l, &q.currency))
                .collect(),
            totals: DocumentTotals {
                subtotal: money(t.subtotal),
                discount: money(t.discount),
                net: money(t.net),
                vat: money(t.vat),
                gross: money(t.gross),
            },
            vat_summary: vat_summary(&q.lines)
                .iter()
                .map(|s| VatSummaryLine {
                    vat_rate: s.rate.percent(),
                    net: money(s.net),
                    vat: money(s.vat),
                })
                .collect(),
            in_words: in_words_tr(&Money {
                minor: t.gross,
                currency: q.currency.clone(),
            }),
            terms: q.terms.clone(),
            notes: q.notes.clone(),
            sent_at: q.sent_at.map(|t| t.to_string()),
            sent_to: q.sent_to.clone(),
            send_error: q.send_error.clone(),
            decided_at: q.decided_at.map(|t| t.to_string()),
            reject_reason: q.reject_reason.clone(),
            pdf_attachment_id: q.pdf_attachment_id,
            owner_id: q.owner_id.map(|u| u.0),
            team_id: q.team_id.map(|t| t.0),
            version: q.version,
            created_at: q.created_at.to_string(),
            updated_at: q.updated_at.to_string(),
            currency: q.currency,
        }
    }
}

pub(crate) fn one(quote: Quote) -> impl IntoResponse {
    (etag(quote.version), Json(QuoteResponse::from(quote)))
}

pub(super) fn created(quote: Quote) -> Response {
    let location = format!("/api/v1/quotes/{}", quote.id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        one(quote),
    )
        .into_response()
}

/// A page of quotes.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotePage {
    pub items: Vec<QuoteResponse>,
    /// The `offset` of the next page, when there is one.
    pub next_offset: Option<u64>,
}

/// Write a draft quote for a customer you can see: lines with a product take its text,
/// unit, price and KDV rate unless given; every line is priced by the money rule; the
/// quote gets the year's next number (`TKF-2026-000123`).
#[utoipa::path(post, path = "/quotes", tag = "quotes", request_body = QuoteRequest, responses(
    (status = 201, body = QuoteResponse),
    (status = 403, description = "Read-only users write no quotes", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields, named by JSON pointer (`lines/1/quantity`), or a customer outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<QuoteRequest>,
) -> Result<Response, ApiError> {
    let (draft, _) = body.0.over(QuoteDraft::default());
    let quote = state
        .app
        .create_quote(&caller.actor(), &draft)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(created(quote))
}

/// The quotes you can see, most recently changed first.
#[utoipa::path(get, path = "/quotes", tag = "quotes", params(
    ("status" = Option<String>, Query, description = "`draft`, `sent`, `accepted`, …"),
    ("company_id" = Option<i64>, Query),
    ("person_id" = Option<i64>, Query),
    ("deal_id" = Option<i64>, Query),
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("offset" = Option<i64>, Query)
), responses(
    (status = 200, body = QuotePage),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<QuotePage>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(
        raw.as_deref(),
        &[&[
            "status",
            "company_id",
            "person_id",
            "deal_id",
            "limit",
            "offset",
        ]],
        &mut errors,
    );
    let status = params.text("status", 20, &mut errors).and_then(|s| {
        let found = QuoteStatus::parse(&s);
        if found.is_none() {
            errors.invalid.add("status", "invalid-choice");
        }
        found
    });
    let id = |name: &str, errors: &mut QueryErrors| params.integer(name, 1..=i64::MAX, errors);
    let company_id = id("company_id", &mut errors).map(CompanyId);
    let person_id = id("person_id", &mut errors).map(PersonId);
    let deal_id = id("deal_id", &mut errors).map(DealId);
    let limit = params
        .integer(
            "limit",
            1..=i64::from(rehber_app::MAX_QUOTE_PAGE),
            &mut errors,
        )
        .unwrap_or(50);
    let offset = params
        .integer("offset", 0..=1_000_000, &mut errors)
        .unwrap_or(0);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let filter = QuoteFilter {
        status,
        company_id,
        person_id,
        deal_id,
        limit: u32::try_from(limit).unwrap_or(50),
        offset: u64::try_from(offset).unwrap_or(0),
    };
    let (items, more) = state
        .app
        .quotes(&caller.actor(), &filter)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let next_offset = more.then(|| filter.offset + items.len() as u64);
    Ok(Json(QuotePage {
        items: items.into_iter().map(Into::into).collect(),
        next_offset,
    }))
}

/// One quote with its lines, totals and KDV summary.
#[utoipa::path(get, path = "/quotes/{id}", tag = "quotes", params(("id" = i64, Path)), responses(
    (status = 200, body = QuoteResponse),
    (status = 404, description = "No such quote in your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let quote = state
        .app
        .quote(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(quote).into_response())
}

/// Change a draft (absent fields stay; `lines` replaces every line). A quote that is no
/// longer a draft is a 409: revise it instead.
#[utoipa::path(patch, path = "/quotes/{id}", tag = "quotes", params(("id" = i64, Path)), request_body = QuoteRequest, responses(
    (status = 200, body = QuoteResponse),
    (status = 404, description = "No such quote in your scope", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Not a draft, or changed since the version given", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    body: ApiBody<QuoteRequest>,
) -> Result<Response, ApiError> {
    let actor = caller.actor();
    let fail = |e| ApiError::new(caller.lang, e);
    let stored = state.app.quote(&actor, id).await.map_err(fail)?;
    let (draft, version) = body.0.over(rehber_app::App::quote_as_draft(&stored));
    let version = expected_version(caller.lang, &headers, version)?;
    let quote = state
        .app
        .update_quote(&actor, id, version, &draft)
        .await
        .map_err(fail)?;
    Ok(one(quote).into_response())
}
