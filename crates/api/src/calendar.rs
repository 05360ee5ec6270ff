//! The personal calendar feed: `POST /api/v1/me/calendar-feed` gives the caller a secret
//! address (a new one revokes the old), and `GET /api/v1/calendar/{token}.ics` answers
//! calendar apps without a session (the service's rules: `rehber_app::calendar`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::i18n::Lang;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::security::public_origin;
use rehber_web_core::state::AppState;
use serde::Serialize;
use utoipa::ToSchema;

/// A new feed address.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarFeedResponse {
    /// Give it to a calendar app; it is shown once, and works until a new one is made.
    #[schema(example = "https://crm.example.com/api/v1/calendar/rcf_3f…9a.ics")]
    pub url: String,
}

/// The address of a feed token, as the caller reached Rehber.
pub fn feed_url(headers: &HeaderMap, state: &AppState, token: &str) -> String {
    format!(
        "{}/api/v1/calendar/{token}.ics",
        public_origin(headers, &state.config)
    )
}

/// A new address for your calendar feed (your planned activities and open tasks, for
/// calendar apps). The address is the credential: the one before it stops working.
#[utoipa::path(post, path = "/me/calendar-feed", tag = "me", responses(
    (status = 200, body = CalendarFeedResponse),
    (status = 401, description = "No or invalid token", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    headers: HeaderMap,
) -> Result<Json<CalendarFeedResponse>, ApiError> {
    let token = state
        .app
        .issue_calendar_feed(&caller.actor())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(CalendarFeedResponse {
        url: feed_url(&headers, &state, &token),
    }))
}

/// A calendar feed (iCalendar, RFC 5545; times in UTC, all-day events as dates). No
/// session or bearer token: the address is the credential. An unknown or revoked address
/// answers 404.
#[utoipa::path(get, path = "/calendar/{file}", tag = "me", security(()), params(
    ("file" = String, Path, description = "The feed's token followed by `.ics`")
), responses(
    (status = 200, description = "The feed", content_type = "text/calendar"),
    (status = 404, description = "No such feed (unknown or revoked)", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let lang = Lang::from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let token = file.strip_suffix(".ics").unwrap_or("");
    let text = state
        .app
        .calendar_feed(token)
        .await
        .map_err(|e| ApiError::new(lang, e))?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        text,
    )
        .into_response())
}
