//! The UI's error renderer and rendering helpers.
//!
//! - [`UiError`]: a service refusal turned into a page — 404, 403, 409 (stale record), 422,
//!   429, 500 with a request id (the cause only goes to the log) — or, when the session is
//!   gone, a redirect to the login page.
//! - [`form_messages`] / [`field_messages`]: validation errors as one localized message per
//!   input, so a form can be shown again with each error under its field.
//! - [`page_or_partial`] / [`render`]: the one place that decides between a whole page and
//!   an htmx fragment.
//!
//! Handlers never build error pages by hand and never branch on htmx themselves.

use crate::page::Page;
use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use rehber_app::AppError;
use rehber_domain::{Error, FieldErrors};
use rehber_web_core::auth::{RequestSession, SignedIn};
use rehber_web_core::i18n::Lang;
use std::collections::HashMap;

/// A failed UI request, rendered as a localized page in the frame of `page` (boxed: a
/// page frame is large, and handlers return this on every error path).
#[derive(Debug)]
pub struct UiError {
    pub page: Box<Page>,
    pub error: AppError,
}

impl UiError {
    /// An error for the page frame `page` (its language, user and navigation).
    pub fn new(page: Page, error: impl Into<AppError>) -> Self {
        UiError {
            page: Box::new(page),
            error: error.into(),
        }
    }

    /// An error on a signed-in page.
    pub fn signed_in(who: &SignedIn, error: impl Into<AppError>) -> Self {
        UiError::new(Page::signed_in(who, "error-title", ""), error)
    }

    /// An error on a page shown before signing in.
    pub fn anonymous(context: &RequestSession, error: impl Into<AppError>) -> Self {
        UiError::new(Page::from_context(context, "error-title", ""), error)
    }

    /// A 404 page.
    pub fn not_found(who: &SignedIn) -> Self {
        UiError::signed_in(who, Error::NotFound)
    }

    /// A 403 page.
    pub fn forbidden(who: &SignedIn) -> Self {
        UiError::signed_in(who, Error::Forbidden)
    }
}

/// `result.ui(&who)?` in handlers: a service error becomes a [`UiError`] for that user.
pub trait UiResultExt<T> {
    fn ui(self, who: &SignedIn) -> Result<T, UiError>;
}

impl<T, E: Into<AppError>> UiResultExt<T> for Result<T, E> {
    fn ui(self, who: &SignedIn) -> Result<T, UiError> {
        self.map_err(|e| UiError::signed_in(who, e))
    }
}

/// One localized message per input field (the first error of each field wins), for showing
/// validation errors under their inputs: `errors.get("email")`.
pub fn field_messages(lang: Lang, errors: &FieldErrors) -> HashMap<String, String> {
    let mut messages = HashMap::new();
    for error in &errors.0 {
        messages
            .entry(error.field.clone())
            .or_insert_with(|| lang.t(&error.code));
    }
    messages
}

/// The per-field messages of an error a form can show (invalid fields, a unique value
/// already taken, a refused state change with its own message under the key `_form`);
/// `None` for every other error, which should become a [`UiError`].
pub fn form_messages(lang: Lang, error: &AppError) -> Option<HashMap<String, String>> {
    match error.domain()? {
        Error::Validation(fields) | Error::Unreadable(fields) => Some(field_messages(lang, fields)),
        Error::Taken { field } => Some(HashMap::from([(field.clone(), lang.t("invalid-taken"))])),
        // A refused state change with a message of its own is shown above the form
        // (key `_form`), e.g. an administrator removing their own administrator role.
        Error::InvalidState(what) | Error::Conflict(what) => {
            let key = format!("invalid-state-{what}");
            lang.has(&key)
                .then(|| HashMap::from([("_form".to_string(), lang.t(&key))]))
        }
        _ => None,
    }
}

/// Whether a request wants only a fragment: an htmx request that is not a boosted
/// navigation (boosted links and forms expect the whole page).
pub fn wants_partial(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request") && !headers.contains_key("hx-boosted")
}

/// Renders a template into an HTML response; a rendering failure is a logged 500.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            let request_id = rehber_web_core::security::new_request_id();
            tracing::error!(%request_id, error = %e, "template rendering failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("Internal error (request id {request_id})"),
            )
                .into_response()
        }
    }
}

/// The whole page for normal requests and boosted navigation, only the fragment for other
/// htmx requests. Both are built lazily, so only the one sent is constructed.
///
/// ```ignore
/// Ok(page_or_partial(&headers, || ListPage { page, rows: rows.clone() }, || ListRows { rows }))
/// ```
pub fn page_or_partial<P: Template, F: Template>(
    headers: &HeaderMap,
    page: impl FnOnce() -> P,
    partial: impl FnOnce() -> F,
) -> Response {
    if wants_partial(headers) {
        render(&partial())
    } else {
        render(&page())
    }
}

/// The error page (`templates/error.html`).
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    status: u16,
    heading: String,
    detail: String,
    messages: Vec<String>,
    request_id: Option<String>,
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let UiError { page, error } = self;
        let mut page = *page;
        let lang = page.lang;
        let domain = match error {
            AppError::Domain(e) => e,
            AppError::Internal(cause) => {
                let request_id = rehber_web_core::security::new_request_id();
                tracing::error!(%request_id, %cause, "internal error");
                page.title = lang.t("error-internal-title");
                let body = ErrorPage {
                    heading: lang.t("error-internal-title"),
                    detail: lang.t("error-internal-detail"),
                    page,
                    status: 500,
                    messages: Vec::new(),
                    request_id: Some(request_id),
                };
                return (StatusCode::INTERNAL_SERVER_ERROR, render(&body)).into_response();
            }
        };
        let (status, key, messages) = match domain {
            Error::Unauthenticated => return Redirect::to("/login").into_response(),
            Error::NotFound => (StatusCode::NOT_FOUND, "error-not-found", Vec::new()),
            Error::Forbidden => (StatusCode::FORBIDDEN, "error-forbidden", Vec::new()),
            Error::StaleVersion => (StatusCode::CONFLICT, "error-stale", Vec::new()),
            Error::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "error-rate-limited",
                Vec::new(),
            ),
            Error::InvalidState(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "error-invalid-state",
                Vec::new(),
            ),
            Error::Conflict(what) => (
                StatusCode::CONFLICT,
                "error-invalid-state",
                lang.has(&format!("invalid-state-{what}"))
                    .then(|| lang.t(&format!("invalid-state-{what}")))
                    .into_iter()
                    .collect(),
            ),
            Error::TooLarge { limit_bytes } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "error-file-too-large",
                vec![lang.t_args(
                    "problem-file-too-large-detail",
                    &[("limit", rehber_web_core::problem::megabytes(limit_bytes))],
                )],
            ),
            Error::Duplicate { field, .. } => (
                StatusCode::CONFLICT,
                "error-validation",
                vec![format!(
                    "{}: {}",
                    lang.t(&format!("field-{field}")),
                    lang.t("invalid-duplicate-record")
                )],
            ),
            Error::Taken { field } => (
                StatusCode::CONFLICT,
                "error-validation",
                vec![format!(
                    "{}: {}",
                    lang.t(&format!("field-{field}")),
                    lang.t("invalid-taken")
                )],
            ),
            Error::Validation(fields) | Error::Unreadable(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "error-validation",
                fields
                    .0
                    .iter()
                    .map(|f| {
                        format!(
                            "{}: {}",
                            lang.t(&format!("field-{}", f.field)),
                            lang.t(&f.code)
                        )
                    })
                    .collect(),
            ),
        };
        page.title = lang.t(&format!("{key}-title"));
        let body = ErrorPage {
            heading: lang.t(&format!("{key}-title")),
            detail: lang.t(&format!("{key}-detail")),
            page,
            status: status.as_u16(),
            messages,
            request_id: None,
        };
        let mut response = (status, render(&body)).into_response();
        // An htmx request does not swap an error response; app.js shows a toast instead.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_messages_keep_the_first_error_of_each_field_in_the_users_language() {
        let mut errors = FieldErrors::new();
        errors.add("email", "invalid-email");
        errors.add("email", "invalid-too-long");
        errors.add("name", "invalid-required");
        let tr = field_messages(Lang::Tr, &errors);
        assert_eq!(tr.len(), 2);
        assert_eq!(tr.get("email"), Some(&Lang::Tr.t("invalid-email")));
        let en = field_messages(Lang::En, &errors);
        assert_eq!(
            en.get("name").map(String::as_str),
            Some("This field is required.")
        );
    }

    #[test]
    fn only_plain_htmx_requests_get_fragments() {
        let mut headers = HeaderMap::new();
        assert!(!wants_partial(&headers));
        headers.insert("hx-request", HeaderValue::from_static("true"));
        assert!(wants_partial(&headers));
        headers.insert("hx-boosted", HeaderValue::from_static("true"));
        assert!(!wants_partial(&headers));
    }
}
