//! `/api/v1/activities`: calls, e-mails, SMS, meetings, visits and notes, logged or planned
//! against people and companies (the service's rules: `rehber_app::activities`).

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use super::{etag, expected_version};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::ActivityFilter;
use rehber_domain::activity::{
    Activity, ActivityInput, ActivityKind, ActivityPatch, ActivityStatus, StoredLink, parse_instant,
};
use rehber_domain::ids::ActivityId;
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// Activities per page unless `limit` says otherwise.
const DEFAULT_LIMIT: i64 = 50;

/// A record an activity concerns.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LinkInput {
    /// `person` or `company`.
    #[schema(example = "person")]
    pub record_type: String,
    #[schema(example = 12)]
    pub record_id: i64,
}

/// An activity to log or plan, or the fields of one to change (PATCH: absent fields stay;
/// `""` clears a text or `ends_at`).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ActivityRequest {
    /// `call`, `email`, `sms`, `meeting`, `visit` or `note` (required on create).
    #[schema(example = "call")]
    pub kind: Option<String>,
    /// `inbound`, `outbound` or `internal`.
    pub direction: Option<String>,
    /// `done` (the default), `planned` or `cancelled`.
    #[schema(example = "done")]
    pub status: Option<String>,
    #[schema(example = "Teklif hakkında")]
    pub subject: Option<String>,
    /// Up to 20,000 characters.
    pub body: Option<String>,
    /// RFC 3339; now when absent on create.
    #[schema(example = "2026-12-03T14:30:00+03:00")]
    pub starts_at: Option<String>,
    /// RFC 3339, not before `starts_at`.
    pub ends_at: Option<String>,
    pub all_day: Option<bool>,
    /// A call's `connected`, `no_answer`, `busy`, `voicemail`, `wrong_number`; a meeting's
    /// or visit's `held`, `no_show`, `rescheduled`.
    pub outcome: Option<String>,
    pub location: Option<String>,
    /// Degrees, with `longitude` (a visit's check-in).
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The records it concerns (1–10; the first one's owner and team become the
    /// activity's). A person's company is added by itself.
    pub links: Option<Vec<LinkInput>>,
    /// The version read (PATCH), instead of an `If-Match` header.
    pub version: Option<i64>,
}

impl DocumentedBody for ActivityRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<ActivityRequest>)
    }
}

impl ActivityRequest {
    fn into_patch(self) -> (ActivityPatch, Option<i64>) {
        let patch = ActivityPatch {
            kind: self.kind,
            direction: self.direction,
            status: self.status,
            subject: self.subject,
            body: self.body,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            all_day: self.all_day,
            outcome: self.outcome,
            location: self.location,
            latitude: self.latitude.map(Some),
            longitude: self.longitude.map(Some),
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

/// A linked record.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkResponse {
    #[schema(example = "company")]
    pub record_type: String,
    #[schema(example = 3)]
    pub record_id: i64,
    /// Added by Rehber (the company of a linked person, when it was logged).
    pub automatic: bool,
}

impl From<StoredLink> for LinkResponse {
    fn from(l: StoredLink) -> Self {
        LinkResponse {
            record_type: l.link.record_type.to_string(),
            record_id: l.link.record_id,
            automatic: l.automatic,
        }
    }
}

/// A stored activity.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityResponse {
    pub id: i64,
    #[schema(example = "call")]
    pub kind: String,
    pub direction: Option<String>,
    #[schema(example = "done")]
    pub status: String,
    pub subject: String,
    pub body: String,
    /// RFC 3339, UTC.
    #[schema(example = "2026-12-03T11:30:00Z")]
    pub starts_at: String,
    pub ends_at: Option<String>,
    pub all_day: bool,
    pub outcome: Option<String>,
    pub location: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Every link, those added by Rehber included.
    pub links: Vec<LinkResponse>,
    /// The owner and team of the record it was first linked to.
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    pub created_by: Option<i64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Activity> for ActivityResponse {
    fn from(a: Activity) -> Self {
        let f = a.fields;
        ActivityResponse {
            id: a.id.0,
            kind: f.kind.to_string(),
            direction: f.direction.map(|d| d.to_string()),
            status: f.status.to_string(),
            subject: f.subject,
            body: f.body,
            starts_at: f.starts_at.to_string(),
            ends_at: f.ends_at.map(|t| t.to_string()),
            all_day: f.all_day,
            outcome: f.outcome.map(|o| o.to_string()),
            location: f.location,
            latitude: f.coordinates.map(|c| c.0),
            longitude: f.coordinates.map(|c| c.1),
            links: a.links.into_iter().map(LinkResponse::from).collect(),
            owner_id: a.ownership.owner_id.map(|u| u.0),
            team_id: a.ownership.team_id.map(|t| t.0),
            created_by: a.created_by.map(|u| u.0),
            version: a.meta.version,
            created_at: a.meta.created_at.to_string(),
            updated_at: a.meta.updated_at.to_string(),
        }
    }
}

/// A page of activities, latest start first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityPage {
    pub items: Vec<ActivityResponse>,
    /// Give it as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

fn one(activity: Activity) -> impl IntoResponse {
    (
        etag(activity.meta.version),
        Json(ActivityResponse::from(activity)),
    )
}

/// Log a call, an e-mail, an SMS, a note, or plan a meeting or visit, against people and
/// companies you can see. Logging against a person links their company too.
#[utoipa::path(post, path = "/activities", tag = "activities", request_body = ActivityRequest, responses(
    (status = 201, body = ActivityResponse),
    (status = 403, description = "Read-only users log nothing", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields, or a linked record that does not exist or is outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<ActivityRequest>,
) -> Result<Response, ApiError> {
    let (patch, _) = body.0.into_patch();
    let mut input = ActivityInput::default();
    patch.apply(&mut input);
    let activity = state
        .app
        .create_activity(&caller.actor(), &input)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!("/api/v1/activities/{}", activity.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        one(activity),
    )
        .into_response())
}

/// One activity.
#[utoipa::path(get, path = "/activities/{id}", tag = "activities", params(("id" = i64, Path)), responses(
    (status = 200, body = ActivityResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let activity = state
        .app
        .activity(&caller.actor(), ActivityId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(activity).into_response())
}

/// Change some fields of an activity (`links` replaces the given links). Send
/// `If-Match: "<version>"` (or `version`) to refuse overwriting a change made since you read
/// it.
#[utoipa::path(patch, path = "/activities/{id}", tag = "activities", params(("id" = i64, Path)), request_body = ActivityRequest, responses(
    (status = 200, body = ActivityResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Changed since the given version", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    body: ApiBody<ActivityRequest>,
) -> Result<Response, ApiError> {
    let (patch, version) = body.0.into_patch();
    let version = expected_version(caller.lang, &headers, version)?;
    let activity = state
        .app
        .update_activity(&caller.actor(), ActivityId(id), version, patch)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(activity).into_response())
}

/// Delete an activity.
#[utoipa::path(delete, path = "/activities/{id}", tag = "activities", params(("id" = i64, Path)), responses(
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
        .delete_activity(&caller.actor(), ActivityId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The activities you can see, latest start first; narrowed to one record's (`record_type`
/// and `record_id` together), a kind, a status, or a time range (`from` inclusive, `to`
/// exclusive, RFC 3339).
#[utoipa::path(get, path = "/activities", tag = "activities", params(
    ("record_type" = Option<String>, Query, description = "`person` or `company`, with `record_id`"),
    ("record_id" = Option<i64>, Query, description = "With `record_type`"),
    ("kind" = Option<String>, Query, description = "`call`, `email`, `sms`, `meeting`, `visit` or `note`"),
    ("status" = Option<String>, Query, description = "`planned`, `done` or `cancelled`"),
    ("from" = Option<String>, Query, description = "Starting at or after (RFC 3339)"),
    ("to" = Option<String>, Query, description = "Starting before (RFC 3339)"),
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = ActivityPage),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<ActivityPage>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(
        raw.as_deref(),
        &[&[
            "record_type",
            "record_id",
            "kind",
            "status",
            "from",
            "to",
            "limit",
            "cursor",
        ]],
        &mut errors,
    );
    let link = super::tasks::record_link(&params, &mut errors);
    let kind = choice(&params, "kind", ActivityKind::parse, &mut errors);
    let status = choice(&params, "status", ActivityStatus::parse, &mut errors);
    let from = instant(&params, "from", &mut errors);
    let to = instant(&params, "to", &mut errors);
    let limit = params
        .integer(
            "limit",
            1..=i64::from(rehber_app::MAX_ACTIVITY_PAGE),
            &mut errors,
        )
        .unwrap_or(DEFAULT_LIMIT);
    let cursor = params.text("cursor", 100, &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let filter = ActivityFilter {
        link,
        kind,
        status,
        from,
        to,
        involving: None,
    };
    let page = state
        .app
        .activities(
            &caller.actor(),
            &filter,
            cursor.as_deref(),
            u32::try_from(limit).unwrap_or(1),
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(ActivityPage {
        items: page.items.into_iter().map(ActivityResponse::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

pub(super) fn choice<T>(
    params: &QueryParams,
    name: &str,
    parse: fn(&str) -> Option<T>,
    errors: &mut QueryErrors,
) -> Option<T> {
    let text = params.text(name, 40, errors)?;
    let parsed = parse(&text);
    if parsed.is_none() {
        errors.invalid.add(name, "invalid-unknown-value");
    }
    parsed
}

/// An RFC 3339 instant, as UTC microseconds.
pub(super) fn instant(params: &QueryParams, name: &str, errors: &mut QueryErrors) -> Option<i64> {
    let text = params.text(name, 40, errors)?;
    let at = parse_instant(&text);
    if at.is_none() {
        errors.invalid.add(name, "invalid-datetime");
    }
    at
}
