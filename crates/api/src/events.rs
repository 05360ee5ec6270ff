//! `GET /api/v1/events`: a server-sent-events stream of the changes the caller may see
//! (the service's rules: `rehber_app::events`). Each change is a message whose `data` is
//! JSON of identifiers: `{"type": "record.updated", "record_type": "person", "id": 12,
//! "records": [...]}`; `event: resync` says some may have been missed (refresh what is
//! shown); a comment line every 15 seconds keeps proxies from closing the stream.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use rehber_app::events::{Delivery, Event};
use rehber_domain::Error;
use rehber_domain::activity::Link;
use rehber_web_core::auth::ApiOrSessionUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::Serialize;
use std::convert::Infallible;
use std::time::Duration;
use utoipa::ToSchema;

/// How often an idle stream sends a keep-alive comment.
const PING_EVERY: Duration = Duration::from_secs(15);

/// One change, as the stream's `data`.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventData {
    /// `record.created`, `record.updated`, `record.deleted`, `activity.created`,
    /// `activity.updated`, `activity.deleted`, `task.created`, `task.updated`,
    /// `task.deleted`, `comment.created`, `comment.deleted`, `attachment.created`,
    /// `attachment.deleted`, `notification`, `notification.read`.
    #[serde(rename = "type")]
    #[schema(example = "record.updated")]
    pub kind: String,
    /// `person`, `company`, `activity`, `task`, `comment`, `attachment` or `notification`.
    #[schema(example = "person")]
    pub record_type: String,
    #[schema(example = 12)]
    pub id: i64,
    /// The records whose pages show the change (an activity's, a task's or a comment's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<RecordRef>,
}

/// A record by type and id.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordRef {
    pub record_type: String,
    pub record_id: i64,
}

impl From<Event> for EventData {
    fn from(event: Event) -> Self {
        EventData {
            kind: event.kind,
            record_type: event.record_type,
            id: event.id,
            records: event.records.into_iter().map(record_ref).collect(),
        }
    }
}

fn record_ref(link: Link) -> RecordRef {
    RecordRef {
        record_type: link.record_type.as_str().to_string(),
        record_id: link.record_id,
    }
}

fn message(delivery: Delivery) -> SseEvent {
    match delivery {
        Delivery::Event(event) => SseEvent::default()
            .json_data(EventData::from(event))
            .unwrap_or_else(|_| SseEvent::default().event("resync").data("{}")),
        Delivery::Resync => SseEvent::default().event("resync").data("{}"),
    }
}

/// The changes you may see, as they happen (`text/event-stream`). Authenticate with a
/// bearer token or a signed-in browser session. At most 8 streams per user.
#[utoipa::path(get, path = "/events", tag = "events", responses(
    (status = 200, description = "A stream of `data: <EventData JSON>` messages; `event: resync` when some may have been missed", body = EventData, content_type = "text/event-stream"),
    (status = 401, description = "No or invalid token or session", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Already 8 streams open", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn stream(
    State(state): State<AppState>,
    ApiOrSessionUser(caller): ApiOrSessionUser,
) -> Result<Response, ApiError> {
    let Some(subscription) = state.app.subscribe(&caller.actor()) else {
        return Err(ApiError::new(
            caller.lang,
            Error::RateLimited {
                retry_after_secs: 30,
            },
        ));
    };
    let messages = stream::unfold(subscription, |mut subscription| async move {
        let delivery = subscription.next().await?;
        Some((Ok::<_, Infallible>(message(delivery)), subscription))
    });
    let mut response = Sse::new(messages)
        .keep_alive(KeepAlive::new().interval(PING_EVERY).text("ping"))
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // Proxies such as nginx buffer responses unless told not to.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}
