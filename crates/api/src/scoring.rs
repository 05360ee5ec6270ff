//! `/api/v1/scoring-rules`: the lead-scoring rules (administrators; the service's rules:
//! `rehber_app::scoring`), the recalculation of every score as a job with progress, and
//! `/api/v1/settings/qualification`: the BANT gate a move into "qualified" passes.

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use super::{etag, expected_version};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::JobRow;
use rehber_app::scoring::RulePatch;
use rehber_domain::scoring::{RuleDraft, ScoringRule};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// A rule to add, or the fields of one to change (PATCH: absent fields stay).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ScoringRuleRequest {
    /// `person` or `company`; required on create, fixed after (a PATCH naming another is
    /// `422`).
    #[schema(example = "person")]
    pub record_type: Option<String>,
    /// Shown in the score's breakdown; up to 120 characters.
    #[schema(example = "İzmir'deki müşteri adayları")]
    pub name: Option<String>,
    /// `field` (the record is one a list filter lists) or `engagement` (held activities in
    /// the last `window_days` days, or none).
    #[schema(example = "field")]
    pub kind: Option<String>,
    /// A field rule: a list filter, as the lists' `filter` parameter takes it
    /// (`{"field": "city", "op": "eq", "value": "İzmir"}`, `{"all": [...]}`, custom fields as
    /// `custom.<key>`). An engagement rule: `{"activity": "meeting"|"call"|"email"|"sms"|
    /// "visit"|"note"|"any", "absent": false}`; `absent: true` gives the points when there
    /// was no such activity.
    #[schema(value_type = Object)]
    pub condition: Option<serde_json::Value>,
    /// An engagement rule's window in days (1–3650).
    #[schema(example = 30)]
    pub window_days: Option<i64>,
    /// −100 to 100, not 0.
    #[schema(example = 15)]
    pub points: Option<i64>,
    /// `true` when absent on create.
    pub active: Option<bool>,
    /// The version read (PATCH), instead of an `If-Match` header.
    pub version: Option<i64>,
}

impl DocumentedBody for ScoringRuleRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<ScoringRuleRequest>)
    }
}

/// A stored rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoringRuleResponse {
    pub id: i64,
    pub record_type: String,
    pub name: String,
    pub kind: String,
    #[schema(value_type = Object)]
    pub condition: serde_json::Value,
    pub window_days: Option<i64>,
    pub points: i64,
    pub active: bool,
    pub position: i64,
    pub version: i64,
}

impl From<ScoringRule> for ScoringRuleResponse {
    fn from(rule: ScoringRule) -> Self {
        ScoringRuleResponse {
            id: rule.id,
            kind: rule.test.kind().to_string(),
            condition: rule.test.condition_json(),
            window_days: rule.test.window_days(),
            record_type: rule.record_type,
            name: rule.name,
            points: rule.points,
            active: rule.active,
            position: rule.position,
            version: rule.version,
        }
    }
}

/// Every rule, people's then companies', each in its order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoringRuleList {
    pub items: Vec<ScoringRuleResponse>,
}

/// A recalculation of every score and how far it got.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recalculation {
    pub job_id: i64,
    /// `queued`, `running`, `done`, `failed` or `dead`.
    pub status: String,
    /// Records scored so far, of `total` (both absent until it starts).
    pub done: Option<i64>,
    pub total: Option<i64>,
}

impl From<JobRow> for Recalculation {
    fn from(job: JobRow) -> Self {
        Recalculation {
            job_id: job.id,
            status: job.status,
            done: job.progress_done,
            total: job.progress_total,
        }
    }
}

/// The qualification settings.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct QualificationSettings {
    /// How many of the four BANT checks (budget, authority, need, timing) a person or
    /// company needs to move into `lifecycle_stage: qualified`: 0 (no gate) to 4; 3 by
    /// default.
    #[schema(example = 3)]
    pub bant_gate: i64,
}

impl DocumentedBody for QualificationSettings {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<QualificationSettings>)
    }
}

fn one(rule: ScoringRule) -> impl IntoResponse {
    (etag(rule.version), Json(ScoringRuleResponse::from(rule)))
}

/// Every scoring rule (administrators).
#[utoipa::path(get, path = "/scoring-rules", tag = "scoring", responses(
    (status = 200, body = ScoringRuleList),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ScoringRuleList>, ApiError> {
    let rules = state
        .app
        .scoring_rules(&caller.actor())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(ScoringRuleList {
        items: rules.into_iter().map(Into::into).collect(),
    }))
}

/// Add a rule (administrators); every score is then worked out again in the background.
#[utoipa::path(post, path = "/scoring-rules", tag = "scoring", request_body = ScoringRuleRequest, responses(
    (status = 201, body = ScoringRuleResponse),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields; a filter's problems are named `condition.<field>`", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<ScoringRuleRequest>,
) -> Result<Response, ApiError> {
    let request = body.0;
    let draft = RuleDraft {
        record_type: request.record_type.unwrap_or_default(),
        name: request.name.unwrap_or_default(),
        kind: request.kind.unwrap_or_default(),
        condition: request.condition.unwrap_or_default(),
        window_days: request.window_days,
        points: request.points,
        active: request.active.unwrap_or(true),
    };
    let rule = state
        .app
        .create_scoring_rule(&caller.actor(), &draft)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!("/api/v1/scoring-rules/{}", rule.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        one(rule),
    )
        .into_response())
}

/// One rule (administrators).
#[utoipa::path(get, path = "/scoring-rules/{id}", tag = "scoring", params(("id" = i64, Path)), responses(
    (status = 200, body = ScoringRuleResponse),
    (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let rule = state
        .app
        .scoring_rule(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(rule).into_response())
}

/// Change a rule (administrators); every score is then worked out again.
#[utoipa::path(patch, path = "/scoring-rules/{id}", tag = "scoring", params(("id" = i64, Path)), request_body = ScoringRuleRequest, responses(
    (status = 200, body = ScoringRuleResponse),
    (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Changed by someone else since the version given", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    body: ApiBody<ScoringRuleRequest>,
) -> Result<Response, ApiError> {
    let request = body.0;
    let version = expected_version(caller.lang, &headers, request.version)?;
    let patch = RulePatch {
        record_type: request.record_type,
        name: request.name,
        kind: request.kind,
        condition: request.condition,
        window_days: request.window_days.map(Some),
        points: request.points,
        active: request.active,
    };
    let rule = state
        .app
        .update_scoring_rule(&caller.actor(), id, version, patch)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(rule).into_response())
}

/// Remove a rule (administrators); the points it gave go at the next recalculation, which
/// is queued at once.
#[utoipa::path(delete, path = "/scoring-rules/{id}", tag = "scoring", params(("id" = i64, Path)), responses(
    (status = 204, description = "Removed"),
    (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn delete(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .delete_scoring_rule(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Work out every score again now (administrators): 202 with the job to follow. A
/// recalculation that waits to start already is the one answered.
#[utoipa::path(post, path = "/scoring-rules/recalculate", tag = "scoring", responses(
    (status = 202, body = Recalculation),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn recalculate(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Response, ApiError> {
    let actor = caller.actor();
    let fail = |e| ApiError::new(caller.lang, e);
    let id = state.app.recalculate_scores(&actor).await.map_err(fail)?;
    let job = state.app.scoring_job(&actor, id).await.map_err(fail)?;
    let location = format!("/api/v1/scoring-rules/recalculations/{id}");
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(Recalculation::from(job)),
    )
        .into_response())
}

/// A recalculation and how far it got (administrators).
#[utoipa::path(get, path = "/scoring-rules/recalculations/{id}", tag = "scoring", params(("id" = i64, Path)), responses(
    (status = 200, body = Recalculation),
    (status = 404, description = "No such recalculation", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn recalculation(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<Recalculation>, ApiError> {
    let job = state
        .app
        .scoring_job(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(job.into()))
}

/// The BANT gate (everyone signed in reads it: forms say what "qualified" needs).
#[utoipa::path(get, path = "/settings/qualification", tag = "scoring", responses(
    (status = 200, body = QualificationSettings)
))]
pub(super) async fn qualification(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<QualificationSettings>, ApiError> {
    let gate = state
        .app
        .bant_gate()
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(QualificationSettings {
        bant_gate: i64::from(gate),
    }))
}

/// Set the BANT gate (administrators). Records already qualified keep their stage.
#[utoipa::path(put, path = "/settings/qualification", tag = "scoring", request_body = QualificationSettings, responses(
    (status = 200, body = QualificationSettings),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Not 0 to 4", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn set_qualification(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<QualificationSettings>,
) -> Result<Json<QualificationSettings>, ApiError> {
    let gate = state
        .app
        .set_bant_gate(&caller.actor(), body.0.bant_gate)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(QualificationSettings {
        bant_gate: i64::from(gate),
    }))
}
