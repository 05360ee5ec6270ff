//! `/api/v1/notifications`: the caller's own notifications (mentions, tasks handed to them,
//! reminders), newest first, and marking them read (the service's rules:
//! `rehber_app::notifications`).

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use rehber_app::notifications::NotificationView;
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::Serialize;
use utoipa::ToSchema;

use super::extract::ApiId;

const DEFAULT_LIMIT: i64 = 20;

/// One notification and what it is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationResponse {
    pub id: i64,
    /// `mention`, `assignment`, `reminder` or `export_ready` (a list exported in the
    /// background).
    #[schema(example = "mention")]
    pub kind: String,
    /// What it is about: `person`, `company`, `deal`, `task` or `export`.
    #[schema(example = "person")]
    pub record_type: String,
    pub record_id: i64,
    /// Its name, while you may see it; absent otherwise.
    pub title: Option<String>,
    /// The page that shows it, while you may see it.
    pub url: Option<String>,
    /// The comment that mentioned you.
    pub comment_id: Option<i64>,
    /// The start of that comment.
    pub excerpt: Option<String>,
    /// Who caused it; absent for a reminder.
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub read: bool,
    pub read_at: Option<String>,
}

impl From<NotificationView> for NotificationResponse {
    fn from(v: NotificationView) -> Self {
        let n = v.notification;
        NotificationResponse {
            id: n.id,
            kind: n.kind.as_str().to_string(),
            record_type: n.subject_type.as_str().to_string(),
            record_id: n.subject_id,
            title: v.title,
            url: v.path,
            comment_id: n.comment_id,
            excerpt: v.excerpt,
            actor_id: n.actor_id.map(|u| u.0),
            actor_name: n.actor_name,
            created_at: n.created_at.to_string(),
            read: n.read_at.is_some(),
            read_at: n.read_at.map(|t| t.to_string()),
        }
    }
}

/// A page of notifications, and how many of yours are unread in all.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationsResponse {
    pub items: Vec<NotificationResponse>,
    pub next_cursor: Option<String>,
    pub unread_count: i64,
}

/// After marking all read: how many were unread.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadAllResponse {
    pub marked: u64,
    pub unread_count: i64,
}

/// Your notifications, newest first.
#[utoipa::path(get, path = "/notifications", tag = "notifications", params(
    ("unread" = Option<bool>, Query, description = "`true`: unread ones only"),
    ("limit" = Option<i64>, Query, description = "1–100, default 20"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = NotificationsResponse),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<NotificationsResponse>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(
        raw.as_deref(),
        &[&["unread", "limit", "cursor"]],
        &mut errors,
    );
    let unread = params.boolean("unread", &mut errors).unwrap_or(false);
    let limit = params
        .integer(
            "limit",
            1..=i64::from(rehber_app::notifications::MAX_PAGE),
            &mut errors,
        )
        .unwrap_or(DEFAULT_LIMIT);
    let cursor = params.text("cursor", 30, &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let page = state
        .app
        .notifications(
            &caller.actor(),
            unread,
            cursor.as_deref(),
            u32::try_from(limit).unwrap_or(1),
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(NotificationsResponse {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
        unread_count: page.unread,
    }))
}

/// Mark one of your notifications read.
#[utoipa::path(post, path = "/notifications/{id}/read", tag = "notifications", params(("id" = i64, Path)), responses(
    (status = 204, description = "Read"),
    (status = 404, description = "Not one of yours", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn read(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .mark_notification_read(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark all your notifications read.
#[utoipa::path(post, path = "/notifications/read-all", tag = "notifications", responses(
    (status = 200, body = ReadAllResponse)
))]
pub(super) async fn read_all(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ReadAllResponse>, ApiError> {
    let marked = state
        .app
        .mark_all_notifications_read(&caller.actor())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(ReadAllResponse {
        marked,
        unread_count: 0,
    }))
}
