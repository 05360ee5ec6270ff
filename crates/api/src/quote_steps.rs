//! `/api/v1/quotes/{id}/…`: a quote's steps — accept, reject, cancel, revise, send with its
//! PDF — and the PDF itself (`rehber_app::quote_steps`, `rehber_app::quote_send`).

use super::expected_version;
use super::extract::{ApiId, DocumentedBody, OptionalBody};
use super::quotes::{QuoteResponse, created, one};
use super::records::schema_fields;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use rehber_app::quotes::QuoteStep;
use rehber_domain::quote::QuoteAction;
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::sync::OnceLock;
use utoipa::ToSchema;

/// What accepting, rejecting or cancelling may say; the body may be left out.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct QuoteStepRequest {
    /// The version read (or `If-Match`).
    pub version: Option<i64>,
    /// Why it was rejected or cancelled.
    pub reason: Option<String>,
}

impl DocumentedBody for QuoteStepRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<QuoteStepRequest>)
    }
}

async fn step(
    state: &AppState,
    caller: &ApiUser,
    id: i64,
    headers: &HeaderMap,
    body: QuoteStepRequest,
    action: QuoteAction,
) -> Result<Response, ApiError> {
    let version = expected_version(caller.lang, headers, body.version)?;
    let quote = state
        .app
        .quote_step(
            &caller.actor(),
            id,
            action,
            &QuoteStep {
                version,
                reason: body.reason.unwrap_or_default(),
            },
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(quote).into_response())
}

/// The customer accepted a sent quote: it becomes immutable, and an order can be made from
/// it. An expired or not yet sent quote is a 409.
#[utoipa::path(post, path = "/quotes/{id}/accept", tag = "quotes", params(("id" = i64, Path)), request_body(content = Option<QuoteStepRequest>), responses(
    (status = 200, body = QuoteResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Not sent, expired, or changed since the version given", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn accept(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    OptionalBody(body): OptionalBody<QuoteStepRequest>,
) -> Result<Response, ApiError> {
    step(&state, &caller, id, &headers, body, QuoteAction::Accept).await
}

/// The customer turned a sent quote down (`reason` optional). It can still be revised.
#[utoipa::path(post, path = "/quotes/{id}/reject", tag = "quotes", params(("id" = i64, Path)), request_body(content = Option<QuoteStepRequest>), responses(
    (status = 200, body = QuoteResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn reject(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    OptionalBody(body): OptionalBody<QuoteStepRequest>,
) -> Result<Response, ApiError> {
    step(&state, &caller, id, &headers, body, QuoteAction::Reject).await
}

/// Withdraw a draft or sent quote. Its number stays used.
#[utoipa::path(post, path = "/quotes/{id}/cancel", tag = "quotes", params(("id" = i64, Path)), request_body(content = Option<QuoteStepRequest>), responses(
    (status = 200, body = QuoteResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Accepted, already closed, or changed since the version given", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn cancel(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    OptionalBody(body): OptionalBody<QuoteStepRequest>,
) -> Result<Response, ApiError> {
    step(&state, &caller, id, &headers, body, QuoteAction::Cancel).await
}

/// A new draft revision of a sent, rejected or expired quote, with the same number and the
/// next revision (`/ R2`) and its lines copied; 201. The quote revised becomes superseded
/// when the revision is sent.
#[utoipa::path(post, path = "/quotes/{id}/revise", tag = "quotes", params(("id" = i64, Path)), responses(
    (status = 201, body = QuoteResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "A draft, accepted, or cancelled quote is not revised", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn revise(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let quote = state
        .app
        .revise_quote(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(created(quote))
}

/// Sending a quote; the body may be left out.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SendRequest {
    /// The address; the customer person's (else the company's) first e-mail when absent.
    /// Without any address, or without a mail server, the quote is marked sent and its PDF
    /// kept, and no e-mail goes.
    pub to: Option<String>,
    /// The version read (or `If-Match`).
    pub version: Option<i64>,
}

impl DocumentedBody for SendRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<SendRequest>)
    }
}

/// Send a draft (or a sent quote again): its PDF, in the caller's language, is made and
/// kept as an attachment of the customer, the quote becomes `sent` (earlier open revisions
/// of its number become `superseded`), and the e-mail with the PDF goes out through the
/// job queue; a failure shows in `send_error` and is retried.
#[utoipa::path(post, path = "/quotes/{id}/send", tag = "quotes", params(("id" = i64, Path)), request_body(content = Option<SendRequest>), responses(
    (status = 200, body = QuoteResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Accepted, rejected, cancelled, or changed since the version given", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A bad address (`to`), or a validity date already past (`valid_until`)", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn send(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    OptionalBody(body): OptionalBody<SendRequest>,
) -> Result<Response, ApiError> {
    let version = expected_version(caller.lang, &headers, body.version)?;
    let (quote, _) = rehber_web_core::documents::send_quote(
        &state.app,
        &caller.actor(),
        caller.lang,
        id,
        body.to.unwrap_or_default(),
        version,
    )
    .await
    .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(quote).into_response())
}

/// The quote as a PDF (A4): the copy kept when it was sent, else made now in the caller's
/// language (`Accept-Language`).
#[utoipa::path(get, path = "/quotes/{id}/pdf", tag = "quotes", params(("id" = i64, Path)), responses(
    (status = 200, description = "The PDF", content_type = "application/pdf"),
    (status = 404, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn pdf(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let (bytes, filename) =
        rehber_web_core::documents::quote_pdf_file(&state.app, &caller.actor(), caller.lang, id)
            .await
            .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
