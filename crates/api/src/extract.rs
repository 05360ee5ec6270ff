//! API extractors whose rejections are problem documents (never axum's plain-text errors).

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use rehber_domain::Error;
use rehber_web_core::problem::{ApiError, layer_problem};
use serde::de::DeserializeOwned;

/// A JSON body; unreadable bodies are 400 problem documents naming the problem.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;
    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let lang = Lang::of(request.headers());
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => match rejection.status() {
                // A body over the limit (also a chunked one) or not declared as JSON.
                status @ (StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNSUPPORTED_MEDIA_TYPE) => {
                    Err(layer_problem(lang, status))
                }
                _ => Err(ApiError::bad_request(lang, rejection.body_text())),
            },
        }
    }
}

/// A request body type whose fields are documented: those are the only ones accepted.
pub(crate) trait DocumentedBody: DeserializeOwned + Send {
    /// The fields the body may name.
    fn known_fields() -> &'static [String];
}

/// A JSON object body of a documented type. A field the type does not document is a 422
/// naming it — a misspelt `job_titel` must not be dropped while the caller believes it was
/// saved; a body that is not a JSON object of the right types is a 400; one too large or not
/// declared as JSON keeps the HTTP layer's 413 or 415.
pub struct ApiBody<T>(pub T);

impl<S: Send + Sync, T: DocumentedBody> FromRequest<S> for ApiBody<T> {
    type Rejection = Response;
    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let lang = Lang::of(request.headers());
        let ApiJson(value) = ApiJson::<serde_json::Value>::from_request(request, state).await?;
        documented(lang, value).map(ApiBody).map_err(|e| *e)
    }
}

/// `value` read as the documented body `T`: unknown fields are a 422 naming them, a value
/// of the wrong shape a 400.
fn documented<T: DocumentedBody>(
    lang: rehber_web_core::i18n::Lang,
    value: serde_json::Value,
) -> Result<T, Box<Response>> {
    let Some(object) = value.as_object() else {
        return Err(Box::new(ApiError::bad_request(
            lang,
            "the body must be a JSON object".into(),
        )));
    };
    let known = T::known_fields();
    let mut unknown = rehber_domain::FieldErrors::new();
    for key in object.keys().filter(|k| !known.iter().any(|f| f == *k)) {
        unknown.add(
            key.chars().take(100).collect::<String>(),
            "invalid-unknown-field",
        );
    }
    if !unknown.is_empty() {
        return Err(Box::new(
            ApiError::new(lang, Error::Validation(unknown)).into_response(),
        ));
    }
    serde_json::from_value(value).map_err(|e| Box::new(ApiError::bad_request(lang, e.to_string())))
}

/// A documented body that may be left out entirely (`POST /quotes/{id}/accept` with no
/// body is the default); a body that is there is read as [`ApiBody`] reads it.
pub struct OptionalBody<T>(pub T);

impl<S: Send + Sync, T: DocumentedBody + Default> FromRequest<S> for OptionalBody<T> {
    type Rejection = Response;
    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let lang = Lang::of(request.headers());
        let bytes = match axum::body::Bytes::from_request(request, state).await {
            Ok(bytes) => bytes,
            Err(rejection) => return Err(layer_problem(lang, rejection.status())),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalBody(T::default()));
        }
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::bad_request(lang, e.to_string()))?;
        documented(lang, value).map(OptionalBody).map_err(|e| *e)
    }
}

/// A numeric record id in the path; anything else is "not found".
pub struct ApiId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiId {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let lang = Lang::of(&parts.headers);
        match axum::extract::Path::<String>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(text)) => match text.parse::<i64>() {
                Ok(id) if id > 0 => Ok(ApiId(id)),
                _ => Err(ApiError::new(lang, Error::NotFound).into_response()),
            },
            Err(_) => Err(ApiError::new(lang, Error::NotFound).into_response()),
        }
    }
}

struct Lang;

impl Lang {
    fn of(headers: &axum::http::HeaderMap) -> rehber_web_core::i18n::Lang {
        rehber_web_core::i18n::Lang::from_accept_language(
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        )
    }
}
