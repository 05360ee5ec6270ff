//! `GET /api/v1/{people|companies}/{id}/timeline`: one record's activities, tasks and field
//! changes, newest first (the service's rules: `rehber_app::timeline`).

use super::activities::ActivityResponse;
use super::comments::CommentResponse;
use super::extract::ApiId;
use super::tasks::TaskResponse;
use axum::Json;
use axum::extract::{RawQuery, State};
use rehber_app::timeline::{MAX_TIMELINE_PAGE, TimelineEntry, TimelineItem, TimelineKind};
use rehber_domain::activity::{Link, LinkType};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::Serialize;
use utoipa::ToSchema;

/// Entries per page unless `limit` says otherwise.
const DEFAULT_LIMIT: i64 = 50;

/// One save of the record: who changed which fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeResponse {
    /// `created`, `updated`, `deleted`, `restored`, …
    #[schema(example = "updated")]
    pub action: String,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub changes: Vec<FieldChange>,
}

/// One field of a save, as displayed text.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChange {
    #[schema(example = "city")]
    pub field: String,
    pub from: String,
    pub to: String,
}

/// One timeline entry: what it is, when, where it comes from, and the entry itself under
/// the key of its kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineItemResponse {
    /// `activity`, `task`, `comment` or `change`.
    #[schema(example = "activity")]
    pub kind: String,
    /// An activity's start, a task's or comment's creation, a change's save (RFC 3339, UTC).
    #[schema(example = "2026-12-03T11:30:00Z")]
    pub at: String,
    /// `activity`, `task`, `comment` or `audit_event`.
    #[schema(example = "activity")]
    pub source_type: String,
    #[schema(example = 1)]
    pub source_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<TaskResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<CommentResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangeResponse>,
}

impl From<TimelineItem> for TimelineItemResponse {
    fn from(item: TimelineItem) -> Self {
        let mut response = TimelineItemResponse {
            kind: item.kind().as_str().to_string(),
            at: item.at.to_string(),
            source_type: item.source_type().to_string(),
            source_id: item.source_id(),
            activity: None,
            task: None,
            comment: None,
            change: None,
        };
        match item.entry {
            TimelineEntry::Activity(a) => response.activity = Some(a.into()),
            TimelineEntry::Task(t) => response.task = Some(t.into()),
            TimelineEntry::Comment(c) => response.comment = Some(c.into()),
            TimelineEntry::Change(c) => {
                response.change = Some(ChangeResponse {
                    action: c.action,
                    actor_id: c.actor_id.map(|u| u.0),
                    actor_name: c.actor_name,
                    changes: c
                        .changes
                        .into_iter()
                        .map(|f| FieldChange {
                            field: f.field,
                            from: f.from,
                            to: f.to,
                        })
                        .collect(),
                });
            }
        }
        response
    }
}

/// A page of a record's timeline, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineResponse {
    pub items: Vec<TimelineItemResponse>,
    /// Give it as `cursor` for older entries; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A person's timeline: their activities, tasks and field changes, newest first. Entries
/// you may not see (a colleague's task about the same person) are left out.
#[utoipa::path(get, path = "/people/{id}/timeline", tag = "timeline", params(
    ("id" = i64, Path),
    ("kind" = Option<String>, Query, description = "Only these kinds, comma-separated: `activity`, `task`, `comment`, `change`"),
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = TimelineResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn person(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<TimelineResponse>, ApiError> {
    timeline(&state, &caller, LinkType::Person, id, raw.as_deref()).await
}

/// A company's timeline: its activities (those logged against its people while they
/// worked there included), tasks and field changes, newest first.
#[utoipa::path(get, path = "/companies/{id}/timeline", tag = "timeline", params(
    ("id" = i64, Path),
    ("kind" = Option<String>, Query, description = "Only these kinds, comma-separated: `activity`, `task`, `comment`, `change`"),
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = TimelineResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn company(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<TimelineResponse>, ApiError> {
    timeline(&state, &caller, LinkType::Company, id, raw.as_deref()).await
}

/// A deal's timeline: its activities, tasks, comments and field changes (its stage moves
/// among them), newest first.
#[utoipa::path(get, path = "/deals/{id}/timeline", tag = "timeline", params(
    ("id" = i64, Path),
    ("kind" = Option<String>, Query, description = "Only these kinds, comma-separated: `activity`, `task`, `comment`, `change`"),
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = TimelineResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn deal(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<TimelineResponse>, ApiError> {
    timeline(&state, &caller, LinkType::Deal, id, raw.as_deref()).await
}

async fn timeline(
    state: &AppState,
    caller: &ApiUser,
    record_type: LinkType,
    id: i64,
    raw: Option<&str>,
) -> Result<Json<TimelineResponse>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(raw, &[&["kind", "limit", "cursor"]], &mut errors);
    let mut kinds = Vec::new();
    if let Some(text) = params.text("kind", 100, &mut errors) {
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            match TimelineKind::parse(part) {
                Some(kind) => kinds.push(kind),
                None => errors.invalid.add("kind", "invalid-unknown-value"),
            }
        }
    }
    let limit = params
        .integer("limit", 1..=i64::from(MAX_TIMELINE_PAGE), &mut errors)
        .unwrap_or(DEFAULT_LIMIT);
    let cursor = params.text("cursor", 100, &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let record = Link {
        record_type,
        record_id: id,
    };
    let page = state
        .app
        .timeline(
            &caller.actor(),
            record,
            &kinds,
            cursor.as_deref(),
            u32::try_from(limit).unwrap_or(1),
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(TimelineResponse {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}
