//! The API's error renderer: every refusal becomes an RFC 9457 problem document
//! (`application/problem+json`) with a localized title and, for validation, field details.
//! Internal errors are 500 with a request id; their cause is only logged.
//!
//! [`http_errors`] does the same for the HTTP layer's own refusals (a body or address too
//! large, a method not allowed, a timeout, a panic), which the layers below answer with an
//! empty or plain-text body.

use crate::i18n::Lang;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::AppError;
use rehber_domain::Error;
use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field in a problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The input field (`tax_number`, `phones[0]`, …).
    pub field: String,
    /// Stable error code (`invalid-vkn-checksum`, …).
    pub code: String,
    /// The message in the caller's language.
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// For a `duplicate` (409): the id of the record already kept that this one repeats
    /// (give `allow_duplicate=true` to save anyway).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_id: Option<i64>,
}

/// An API refusal, rendered in the caller's language.
#[derive(Debug)]
pub struct ApiError {
    pub lang: Lang,
    pub error: AppError,
}

impl ApiError {
    pub fn new(lang: Lang, error: impl Into<AppError>) -> Self {
        ApiError {
            lang,
            error: error.into(),
        }
    }

    /// A body that could not be parsed (400).
    pub fn bad_request(lang: Lang, detail: String) -> Response {
        problem(
            StatusCode::BAD_REQUEST,
            "bad-request",
            lang.t("problem-bad-request"),
            Some(detail),
            Vec::new(),
        )
    }
}

/// Where problem types are named (`type` is this followed by the kind).
pub const PROBLEM_TYPES: &str = "https://rehber.dev/problems/";

/// The longest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// The longest path and query accepted, in bytes (longer ones get 414).
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Turns the HTTP layer's own error responses (no body type, or plain text) into problem
/// documents in the caller's language, keeping their status and headers such as `Allow`;
/// refuses an over-long address with 414 before anything else reads it.
pub async fn http_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let lang = Lang::from_accept_language(
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let uri = request.uri();
    let uri_bytes = uri.path().len() + uri.query().map_or(0, str::len);
    if uri_bytes > MAX_URI_BYTES {
        return layer_problem(lang, StatusCode::URI_TOO_LONG);
    }
    let response = next.run(request).await;
    let status = response.status();
    let plain = match response.headers().get(header::CONTENT_TYPE) {
        None => true,
        Some(kind) => kind.as_bytes().starts_with(b"text/plain"),
    };
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let (parts, _) = response.into_parts();
    let mut replaced = layer_problem(lang, status);
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(value) = parts.headers.get(&name) {
            replaced.headers_mut().insert(name, value.clone());
        }
    }
    replaced
}

/// The problem document for an HTTP-layer status.
pub fn layer_problem(lang: Lang, status: StatusCode) -> Response {
    let body = layer_problem_body(lang, status);
    problem(status, &body.kind, body.title, body.detail, Vec::new())
}

/// The document [`layer_problem`] sends, for callers that write the response themselves
/// (the listener answers the HTTP parser's own refusals).
pub fn layer_problem_body(lang: Lang, status: StatusCode) -> Problem {
    let limit = |bytes: usize| vec![("limit", bytes.to_string())];
    let (kind, title, detail) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload-too-large",
            "problem-payload-too-large",
            Some(lang.t_args("problem-payload-too-large-detail", &limit(MAX_BODY_BYTES))),
        ),
        StatusCode::URI_TOO_LONG => (
            "uri-too-long",
            "problem-uri-too-long",
            Some(lang.t_args("problem-uri-too-long-detail", &limit(MAX_URI_BYTES))),
        ),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            ("headers-too-large", "problem-headers-too-large", None)
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method-not-allowed", "problem-method-not-allowed", None)
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported-media-type",
            "problem-unsupported-media-type",
            Some(lang.t("problem-unsupported-media-type-detail")),
        ),
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => (
            "timeout",
            "problem-timeout",
            Some(lang.t("problem-timeout-detail")),
        ),
        StatusCode::NOT_FOUND => ("not-found", "problem-not-found", None),
        StatusCode::UNAUTHORIZED => ("unauthenticated", "problem-unauthenticated", None),
        StatusCode::FORBIDDEN => ("forbidden", "problem-forbidden", None),
        StatusCode::TOO_MANY_REQUESTS => ("rate-limited", "problem-rate-limited", None),
        StatusCode::UNPROCESSABLE_ENTITY => ("validation", "problem-validation", None),
        status if status.is_server_error() => {
            let request_id = crate::security::new_request_id();
            tracing::error!(%request_id, %status, "the HTTP layer failed a request");
            (
                "internal",
                "problem-internal",
                Some(lang.t_args("problem-internal-detail", &[("request_id", request_id)])),
            )
        }
        _ => ("bad-request", "problem-bad-request", None),
    };
    Problem {
        kind: format!("{PROBLEM_TYPES}{kind}"),
        title: lang.t(title),
        status: status.as_u16(),
        detail,
        errors: Vec::new(),
        duplicate_id: None,
    }
}

fn problem(
    status: StatusCode,
    kind: &str,
    title: String,
    detail: Option<String>,
    errors: Vec<FieldProblem>,
) -> Response {
    let kind = kind.strip_prefix(PROBLEM_TYPES).unwrap_or(kind);
    problem_response(Problem {
        kind: format!("{PROBLEM_TYPES}{kind}"),
        title,
        status: status.as_u16(),
        detail,
        errors,
        duplicate_id: None,
    })
}

fn problem_response(body: Problem) -> Response {
    let status = StatusCode::from_u16(body.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let lang = self.lang;
        let domain = match self.error {
            AppError::Domain(e) => e,
            AppError::Internal(cause) => {
                let request_id = crate::security::new_request_id();
                tracing::error!(%request_id, %cause, "internal error");
                let detail = lang.t_args("problem-internal-detail", &[("request_id", request_id)]);
                return problem(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    lang.t("problem-internal"),
                    Some(detail),
                    Vec::new(),
                );
            }
        };
        let field_problems = |fields: rehber_domain::FieldErrors| -> Vec<FieldProblem> {
            fields
                .0
                .into_iter()
                .map(|f| FieldProblem {
                    message: lang.t(&f.code),
                    field: f.field,
                    code: f.code,
                })
                .collect()
        };
        match domain {
            Error::Validation(fields) => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                lang.t("problem-validation"),
                None,
                field_problems(fields),
            ),
            Error::Unreadable(fields) => problem(
                StatusCode::BAD_REQUEST,
                "bad-request",
                lang.t("problem-bad-request"),
                None,
                field_problems(fields),
            ),
            Error::NotFound => problem(
                StatusCode::NOT_FOUND,
                "not-found",
                lang.t("problem-not-found"),
                None,
                Vec::new(),
            ),
            Error::StaleVersion => problem(
                StatusCode::CONFLICT,
                "stale-version",
                lang.t("problem-stale"),
                Some(lang.t("problem-stale-detail")),
                Vec::new(),
            ),
            Error::Taken { field } => {
                let errors = vec![FieldProblem {
                    message: lang.t("invalid-taken"),
                    code: "invalid-taken".into(),
                    field,
                }];
                problem(
                    StatusCode::CONFLICT,
                    "taken",
                    lang.t("problem-taken"),
                    None,
                    errors,
                )
            }
            Error::Duplicate { field, id, name } => {
                let detail = match name {
                    Some(name) => lang.t_args(
                        "problem-duplicate-detail",
                        &[("name", name), ("id", id.to_string())],
                    ),
                    None => lang.t_args("problem-duplicate-hidden", &[("id", id.to_string())]),
                };
                problem_response(Problem {
                    kind: format!("{PROBLEM_TYPES}duplicate"),
                    title: lang.t("problem-duplicate"),
                    status: StatusCode::CONFLICT.as_u16(),
                    detail: Some(detail),
                    errors: vec![FieldProblem {
                        message: lang.t("invalid-duplicate-record"),
                        code: "invalid-duplicate-record".into(),
                        field,
                    }],
                    duplicate_id: Some(id),
                })
            }
            Error::Forbidden => problem(
                StatusCode::FORBIDDEN,
                "forbidden",
                lang.t("problem-forbidden"),
                None,
                Vec::new(),
            ),
            Error::Unauthenticated => {
                let mut response = problem(
                    StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    lang.t("problem-unauthenticated"),
                    Some(lang.t("problem-unauthenticated-detail")),
                    Vec::new(),
                );
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            Error::RateLimited { retry_after_secs } => {
                let mut response = problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate-limited",
                    lang.t("problem-rate-limited"),
                    Some(lang.t_args(
                        "problem-rate-limited-detail",
                        &[("seconds", retry_after_secs.to_string())],
                    )),
                    Vec::new(),
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
                response
            }
            Error::Conflict(what) => {
                let key = format!("invalid-state-{what}");
                let detail = if lang.has(&key) {
                    lang.t(&key)
                } else {
                    what.to_string()
                };
                problem(
                    StatusCode::CONFLICT,
                    "conflict",
                    lang.t("problem-invalid-state"),
                    Some(detail),
                    Vec::new(),
                )
            }
            Error::InvalidState(what) => {
                // The reason in the caller's language where one is written (the key the
                // pages use too: `invalid-state-<what>`), else its code.
                let key = format!("invalid-state-{what}");
                let detail = if lang.has(&key) {
                    lang.t(&key)
                } else {
                    what.to_string()
                };
                problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-state",
                    lang.t("problem-invalid-state"),
                    Some(detail),
                    Vec::new(),
                )
            }
            Error::TooLarge { limit_bytes } => problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                lang.t("problem-payload-too-large"),
                Some(lang.t_args(
                    "problem-file-too-large-detail",
                    &[("limit", megabytes(limit_bytes))],
                )),
                Vec::new(),
            ),
        }
    }
}

/// A size for people: `25 MB`.
pub fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes.div_ceil(1024 * 1024))
}
