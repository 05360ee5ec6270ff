//! The API's error renderer: every refusal becomes an RFC 9457 problem document
//! (`application/problem+json`) with a localized title and, for validation, field details.
//! Internal errors are 500 with a request id; their cause is only logged.

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

fn problem(
    status: StatusCode,
    kind: &str,
    title: String,
    detail: Option<String>,
    errors: Vec<FieldProblem>,
) -> Response {
    let body = Problem {
        kind: format!("https://rehber.dev/problems/{kind}"),
        title,
        status: status.as_u16(),
        detail,
        errors,
    };
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
        match domain {
            Error::Validation(fields) => {
                let errors = fields
                    .0
                    .into_iter()
                    .map(|f| FieldProblem {
                        message: lang.t(&f.code),
                        field: f.field,
                        code: f.code,
                    })
                    .collect();
                problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation",
                    lang.t("problem-validation"),
                    None,
                    errors,
                )
            }
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
            Error::RateLimited => problem(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                lang.t("problem-rate-limited"),
                Some(lang.t("problem-rate-limited-detail")),
                Vec::new(),
            ),
            Error::InvalidState(what) => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-state",
                lang.t("problem-invalid-state"),
                Some(what.to_string()),
                Vec::new(),
            ),
        }
    }
}
