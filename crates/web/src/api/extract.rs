//! API extractors whose rejections are problem documents (never axum's plain-text errors).

use crate::problem::{ApiError, layer_problem};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use rehber_domain::Error;
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
    fn of(headers: &axum::http::HeaderMap) -> crate::i18n::Lang {
        crate::i18n::Lang::from_accept_language(
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        )
    }
}
