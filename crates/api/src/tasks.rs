//! `/api/v1/tasks` and `/api/v1/me/agenda`: tasks with a due date or time, an assignee and
//! the records they concern, and one user's day (the service's rules: `rehber_app::tasks`).

use super::activities::{ActivityResponse, LinkInput, LinkResponse, choice};
use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use super::{etag, expected_version};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::TaskFilter;
use rehber_app::tasks::{Agenda, day_end, day_start};
use rehber_domain::UserId;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::ids::TaskId;
use rehber_domain::task::{Date, Due, Task, TaskInput, TaskPatch, TaskStatus, parse_date};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// Tasks per page unless `limit` says otherwise.
const DEFAULT_LIMIT: i64 = 50;

/// A task to create, or the fields of one to change (PATCH: absent fields stay; `""`
/// clears a text, a due or the reminder).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct TaskRequest {
    /// Required on create; up to 200 characters.
    #[schema(example = "Teklifi gözden geçirip ara")]
    pub title: Option<String>,
    /// Up to 5,000 characters.
    pub notes: Option<String>,
    /// Due some time that day (`YYYY-MM-DD`); give this or `due_at`.
    #[schema(example = "2026-12-07")]
    pub due_date: Option<String>,
    /// Due at an instant (RFC 3339).
    pub due_at: Option<String>,
    /// `low`, `normal` (the default) or `high`.
    pub priority: Option<String>,
    /// `open` (the default) or `done`.
    pub status: Option<String>,
    /// The user to do it (you when absent): active, and able to see every linked record.
    pub assignee_id: Option<i64>,
    /// When to remind the assignee (RFC 3339), not after the due.
    pub reminder_at: Option<String>,
    /// The records it concerns (0–10). A person's company is added by itself.
    pub links: Option<Vec<LinkInput>>,
    /// The version read (PATCH), instead of an `If-Match` header.
    pub version: Option<i64>,
}

impl DocumentedBody for TaskRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<TaskRequest>)
    }
}

impl TaskRequest {
    fn into_patch(self) -> (TaskPatch, Option<i64>) {
        let patch = TaskPatch {
            title: self.title,
            notes: self.notes,
            due_date: self.due_date,
            due_at: self.due_at,
            priority: self.priority,
            status: self.status,
            assignee_id: self.assignee_id,
            reminder_at: self.reminder_at,
            links: self.links.map(|links| {
                links
                    .into_iter()
                    .map(|l| (l.record_type, l.record_id))
                    .collect()
            }),
        };
        (patch, self.version)
    }
}

/// A stored task.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskResponse {
    pub id: i64,
    pub title: String,
    pub notes: String,
    /// `YYYY-MM-DD` when due some time that day.
    pub due_date: Option<String>,
    /// RFC 3339, UTC, when due at an instant.
    pub due_at: Option<String>,
    #[schema(example = "normal")]
    pub priority: String,
    #[schema(example = "open")]
    pub status: String,
    /// Open and past its due (the end of its due date in Europe/Istanbul).
    pub overdue: bool,
    pub assignee_id: Option<i64>,
    pub reminder_at: Option<String>,
    /// Every link, those added by Rehber included.
    pub links: Vec<LinkResponse>,
    pub completed_at: Option<String>,
    pub completed_by: Option<i64>,
    /// The assignee's team.
    pub team_id: Option<i64>,
    pub created_by: Option<i64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Task> for TaskResponse {
    fn from(t: Task) -> Self {
        let overdue = t.is_overdue(rehber_app::now(), &rehber_app::home_zone());
        let f = t.fields;
        TaskResponse {
            id: t.id.0,
            title: f.title,
            notes: f.notes,
            due_date: match f.due {
                Some(Due::Date(date)) => Some(date.to_string()),
                _ => None,
            },
            due_at: match f.due {
                Some(Due::At(at)) => Some(at.to_string()),
                _ => None,
            },
            priority: f.priority.to_string(),
            status: f.status.to_string(),
            overdue,
            assignee_id: f.assignee_id.map(|u| u.0),
            reminder_at: f.reminder_at.map(|t| t.to_string()),
            links: t.links.into_iter().map(LinkResponse::from).collect(),
            completed_at: t.completed_at.map(|t| t.to_string()),
            completed_by: t.completed_by.map(|u| u.0),
            team_id: t.ownership.team_id.map(|t| t.0),
            created_by: t.created_by.map(|u| u.0),
            version: t.meta.version,
            created_at: t.meta.created_at.to_string(),
            updated_at: t.meta.updated_at.to_string(),
        }
    }
}

/// A page of tasks, soonest due first (tasks without a due last).
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskPage {
    pub items: Vec<TaskResponse>,
    /// Give it as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// One user's day.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaResponse {
    #[schema(example = "2026-12-07")]
    pub date: String,
    /// Your open tasks due before that day, oldest first (at most 500).
    pub overdue: Vec<TaskResponse>,
    /// Your tasks due that day: open ones first, tasks with a date before timed ones.
    pub tasks: Vec<TaskResponse>,
    /// Activities planned for that day that you own or planned, in time order.
    pub activities: Vec<ActivityResponse>,
    /// More than 500 tasks are overdue: the tasks list holds them all.
    pub more_overdue: bool,
}

impl From<Agenda> for AgendaResponse {
    fn from(a: Agenda) -> Self {
        AgendaResponse {
            date: a.date.to_string(),
            overdue: a.overdue.into_iter().map(TaskResponse::from).collect(),
            tasks: a.tasks.into_iter().map(TaskResponse::from).collect(),
            activities: a
                .activities
                .into_iter()
                .map(ActivityResponse::from)
                .collect(),
            more_overdue: a.more_overdue,
        }
    }
}

fn one(task: Task) -> impl IntoResponse {
    (etag(task.meta.version), Json(TaskResponse::from(task)))
}

/// Create a task for yourself or a colleague, about records you can see.
#[utoipa::path(post, path = "/tasks", tag = "tasks", request_body = TaskRequest, responses(
    (status = 201, body = TaskResponse),
    (status = 403, description = "Read-only users create nothing", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields, a linked record that does not exist or is outside your scope, or an assignee who cannot see it", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<TaskRequest>,
) -> Result<Response, ApiError> {
    let (patch, _) = body.0.into_patch();
    let mut input = TaskInput::default();
    patch.apply(&mut input);
    let task = state
        .app
        .create_task(&caller.actor(), &input)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!("/api/v1/tasks/{}", task.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        one(task),
    )
        .into_response())
}

/// One task.
#[utoipa::path(get, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), responses(
    (status = 200, body = TaskResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let task = state
        .app
        .task(&caller.actor(), TaskId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(task).into_response())
}

/// Change some fields of a task (`links` replaces the given links; a new `due_date`
/// replaces a `due_at` and the other way round). Send `If-Match: "<version>"` (or
/// `version`) to refuse overwriting a change made since you read it.
#[utoipa::path(patch, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), request_body = TaskRequest, responses(
    (status = 200, body = TaskResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Changed since the given version", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    body: ApiBody<TaskRequest>,
) -> Result<Response, ApiError> {
    let (patch, version) = body.0.into_patch();
    let version = expected_version(caller.lang, &headers, version)?;
    let task = state
        .app
        .update_task(&caller.actor(), TaskId(id), version, patch)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(task).into_response())
}

/// Mark a task done (a task already done stays as it was).
#[utoipa::path(post, path = "/tasks/{id}/complete", tag = "tasks", params(("id" = i64, Path)), responses(
    (status = 200, body = TaskResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn complete(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let task = state
        .app
        .complete_task(&caller.actor(), TaskId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(task).into_response())
}

/// Delete a task.
#[utoipa::path(delete, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn delete(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .delete_task(&caller.actor(), TaskId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The tasks you can see, soonest due first; narrowed to an assignee, a status, one
/// record's (`record_type` and `record_id` together), or a due range (`due_from`
/// inclusive, `due_to` inclusive, dates).
#[utoipa::path(get, path = "/tasks", tag = "tasks", params(
    ("assignee_id" = Option<i64>, Query, description = "Assigned to this user"),
    ("status" = Option<String>, Query, description = "`open` or `done`"),
    ("record_type" = Option<String>, Query, description = "`person` or `company`, with `record_id`"),
    ("record_id" = Option<i64>, Query, description = "With `record_type`"),
    ("due_from" = Option<String>, Query, description = "Due on or after this date (YYYY-MM-DD)"),
    ("due_to" = Option<String>, Query, description = "Due on or before this date (YYYY-MM-DD)"),
    ("limit" = Option<i64>, Query, description = "1–500, default 50"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = TaskPage),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<TaskPage>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(
        raw.as_deref(),
        &[&[
            "assignee_id",
            "status",
            "record_type",
            "record_id",
            "due_from",
            "due_to",
            "limit",
            "cursor",
        ]],
        &mut errors,
    );
    let assignee = params
        .integer("assignee_id", 1..=i64::MAX, &mut errors)
        .map(UserId);
    let status = choice(&params, "status", TaskStatus::parse, &mut errors);
    let link = record_link(&params, &mut errors);
    let due_from = date(&params, "due_from", &mut errors).map(day_start);
    let due_before = date(&params, "due_to", &mut errors).map(day_end);
    let limit = params
        .integer(
            "limit",
            1..=i64::from(rehber_app::MAX_TASK_PAGE),
            &mut errors,
        )
        .unwrap_or(DEFAULT_LIMIT);
    let cursor = params.text("cursor", 100, &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let filter = TaskFilter {
        assignee,
        status,
        link,
        due_from,
        due_before,
    };
    let page = state
        .app
        .tasks(
            &caller.actor(),
            &filter,
            cursor.as_deref(),
            u32::try_from(limit).unwrap_or(1),
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(TaskPage {
        items: page.items.into_iter().map(TaskResponse::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Your day: open tasks overdue before it, tasks due on it and the activities planned for
/// it (today in Europe/Istanbul unless `date` says otherwise).
#[utoipa::path(get, path = "/me/agenda", tag = "me", params(
    ("date" = Option<String>, Query, description = "The day (YYYY-MM-DD), today by default")
), responses(
    (status = 200, body = AgendaResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn agenda(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<AgendaResponse>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(raw.as_deref(), &[&["date"]], &mut errors);
    let day = date(&params, "date", &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let agenda = state
        .app
        .agenda(&caller.actor(), day.unwrap_or_else(|| state.app.today()))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(AgendaResponse::from(agenda)))
}

/// `record_type` and `record_id`, both or neither.
pub(super) fn record_link(params: &QueryParams, errors: &mut QueryErrors) -> Option<Link> {
    let record_type = params.text("record_type", 20, errors);
    let record_id = params.integer("record_id", 1..=i64::MAX, errors);
    match (record_type, record_id) {
        (None, None) => None,
        (Some(record_type), Some(record_id)) => match LinkType::parse(&record_type) {
            Some(record_type) => Some(Link {
                record_type,
                record_id,
            }),
            None => {
                errors.invalid.add("record_type", "invalid-unknown-value");
                None
            }
        },
        (None, Some(_)) => {
            errors.invalid.add("record_type", "invalid-required");
            None
        }
        (Some(_), None) => {
            errors.invalid.add("record_id", "invalid-required");
            None
        }
    }
}

/// A date (`YYYY-MM-DD`).
fn date(params: &QueryParams, name: &str, errors: &mut QueryErrors) -> Option<Date> {
    let text = params.text(name, 20, errors)?;
    let parsed = parse_date(&text);
    if parsed.is_none() {
        errors.invalid.add(name, "invalid-due-date");
    }
    parsed
}
