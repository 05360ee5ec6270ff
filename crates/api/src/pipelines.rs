//! `/api/v1/pipelines`: sales pipelines and their ordered stages (open, won or lost, with a
//! probability and a rotting age). Everyone signed in reads them; administrators change
//! them (the service's rules: `rehber_app::pipelines`).

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use super::{etag, expected_version};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::pipelines::PipelinePatch;
use rehber_domain::pipeline::{LostReason, Pipeline, PipelineDraft, Stage, StageDraft};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// A stage as given: with the `id` of a stored stage to keep it (PATCH), without to add one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StageRequest {
    pub id: Option<i64>,
    /// Up to 60 characters, unique in the pipeline.
    #[schema(example = "Teklif verildi")]
    pub name: Option<String>,
    /// `open`, `won` or `lost`.
    #[schema(example = "open")]
    pub kind: Option<String>,
    /// 0–100: the chance a deal in this stage is won. Won stages are 100 and lost ones 0;
    /// absent on an open stage, the open stages share 0–100 evenly.
    #[schema(example = 50)]
    pub probability: Option<i64>,
    /// Open stages: days without a change after which a deal here is rotting (1–365).
    #[schema(example = 14)]
    pub rotting_days: Option<i64>,
}

/// A pipeline to create, or the fields of one to change (PATCH: absent fields stay; given
/// `stages` replace the list, and a stored stage left out is removed).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PipelineRequest {
    /// Required on create; up to 100 characters.
    #[schema(example = "Kurumsal satış")]
    pub name: Option<String>,
    /// ISO 4217; `TRY` when absent.
    #[schema(example = "TRY")]
    pub currency: Option<String>,
    /// In order; at least one open, one won and one lost stage; at most 30.
    pub stages: Option<Vec<StageRequest>>,
    /// The version read (PATCH), instead of an `If-Match` header.
    pub version: Option<i64>,
}

impl DocumentedBody for PipelineRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<PipelineRequest>)
    }
}

fn stage_draft(s: StageRequest) -> StageDraft {
    StageDraft {
        id: s.id,
        name: s.name.unwrap_or_default(),
        kind: s.kind.unwrap_or_default(),
        probability: s.probability,
        rotting_days: s.rotting_days,
    }
}

/// A stored stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageResponse {
    pub id: i64,
    pub name: String,
    #[schema(example = "open")]
    pub kind: String,
    pub probability: u8,
    pub rotting_days: Option<u32>,
    /// 1 for the first stage.
    pub position: i64,
}

/// A stored pipeline with its stages in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineResponse {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub position: i64,
    pub stages: Vec<StageResponse>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Stage> for StageResponse {
    fn from(s: Stage) -> Self {
        StageResponse {
            id: s.id,
            name: s.name,
            kind: s.kind.as_str().into(),
            probability: s.probability,
            rotting_days: s.rotting_days,
            position: s.position,
        }
    }
}

impl From<Pipeline> for PipelineResponse {
    fn from(p: Pipeline) -> Self {
        PipelineResponse {
            id: p.id,
            name: p.name,
            currency: p.currency,
            position: p.position,
            stages: p.stages.into_iter().map(Into::into).collect(),
            version: p.version,
            created_at: p.created_at.to_string(),
            updated_at: p.updated_at.to_string(),
        }
    }
}

/// Every pipeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineList {
    pub items: Vec<PipelineResponse>,
}

fn one(pipeline: Pipeline) -> impl IntoResponse {
    (
        etag(pipeline.version),
        Json(PipelineResponse::from(pipeline)),
    )
}

/// Every pipeline with its stages, in order.
#[utoipa::path(get, path = "/pipelines", tag = "pipelines", responses(
    (status = 200, body = PipelineList)
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<PipelineList>, ApiError> {
    let all = state
        .app
        .pipelines(&caller.actor())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(PipelineList {
        items: all.into_iter().map(Into::into).collect(),
    }))
}

/// Create a pipeline (administrators).
#[utoipa::path(post, path = "/pipelines", tag = "pipelines", request_body = PipelineRequest, responses(
    (status = 201, body = PipelineResponse),
    (status = 403, description = "Only administrators shape pipelines", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields; stages named by JSON pointer (`stages/1/name`)", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<PipelineRequest>,
) -> Result<Response, ApiError> {
    let request = body.0;
    let draft = PipelineDraft {
        name: request.name.unwrap_or_default(),
        currency: request.currency.unwrap_or_default(),
        stages: request
            .stages
            .unwrap_or_default()
            .into_iter()
            .map(stage_draft)
            .collect(),
    };
    let pipeline = state
        .app
        .create_pipeline(&caller.actor(), &draft)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!("/api/v1/pipelines/{}", pipeline.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        one(pipeline),
    )
        .into_response())
}

/// One pipeline.
#[utoipa::path(get, path = "/pipelines/{id}", tag = "pipelines", params(("id" = i64, Path)), responses(
    (status = 200, body = PipelineResponse),
    (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let pipeline = state
        .app
        .pipeline(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(pipeline).into_response())
}

/// Change a pipeline (administrators): rename it, or reorder, add, change and remove stages.
#[utoipa::path(patch, path = "/pipelines/{id}", tag = "pipelines", params(("id" = i64, Path)), request_body = PipelineRequest, responses(
    (status = 200, body = PipelineResponse),
    (status = 403, description = "Only administrators shape pipelines", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Changed by someone else since the version given", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    body: ApiBody<PipelineRequest>,
) -> Result<Response, ApiError> {
    let request = body.0;
    let version = expected_version(caller.lang, &headers, request.version)?;
    let patch = PipelinePatch {
        name: request.name,
        currency: request.currency,
        stages: request
            .stages
            .map(|stages| stages.into_iter().map(stage_draft).collect()),
    };
    let pipeline = state
        .app
        .update_pipeline(&caller.actor(), id, version, patch)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(pipeline).into_response())
}

/// Delete a pipeline and its stages (administrators); the last pipeline stays.
#[utoipa::path(delete, path = "/pipelines/{id}", tag = "pipelines", params(("id" = i64, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, description = "Only administrators shape pipelines", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "The last pipeline cannot be deleted", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn delete(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .delete_pipeline(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A lost reason to add, or the fields of one to change.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LostReasonRequest {
    /// Up to 100 characters, unique ignoring case; required on create.
    #[schema(example = "Fiyat yüksek bulundu")]
    pub name: Option<String>,
    /// `false` keeps it on lost deals and out of new choices.
    pub active: Option<bool>,
}

impl DocumentedBody for LostReasonRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<LostReasonRequest>)
    }
}

/// A lost reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct LostReasonResponse {
    pub id: i64,
    pub name: String,
    pub position: i64,
    pub active: bool,
}

impl From<LostReason> for LostReasonResponse {
    fn from(r: LostReason) -> Self {
        LostReasonResponse {
            id: r.id,
            name: r.name,
            position: r.position,
            active: r.active,
        }
    }
}

/// Every lost reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct LostReasonList {
    pub items: Vec<LostReasonResponse>,
}

/// The reasons a deal can be lost for, in order (inactive ones too, marked).
#[utoipa::path(get, path = "/lost-reasons", tag = "pipelines", responses(
    (status = 200, body = LostReasonList)
))]
pub(super) async fn lost_reasons(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<LostReasonList>, ApiError> {
    let all = state
        .app
        .lost_reasons(&caller.actor())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(LostReasonList {
        items: all.into_iter().map(Into::into).collect(),
    }))
}

/// Add a lost reason (administrators).
#[utoipa::path(post, path = "/lost-reasons", tag = "pipelines", request_body = LostReasonRequest, responses(
    (status = 201, body = LostReasonResponse),
    (status = 403, description = "Only administrators keep the list", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The name is already used", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create_lost_reason(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<LostReasonRequest>,
) -> Result<Response, ApiError> {
    let reason = state
        .app
        .create_lost_reason(&caller.actor(), body.0.name.as_deref().unwrap_or_default())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((StatusCode::CREATED, Json(LostReasonResponse::from(reason))).into_response())
}

/// Rename a lost reason or retire it (administrators).
#[utoipa::path(patch, path = "/lost-reasons/{id}", tag = "pipelines", params(("id" = i64, Path)), request_body = LostReasonRequest, responses(
    (status = 200, body = LostReasonResponse),
    (status = 403, description = "Only administrators keep the list", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such reason", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The name is already used", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update_lost_reason(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    body: ApiBody<LostReasonRequest>,
) -> Result<Json<LostReasonResponse>, ApiError> {
    let request = body.0;
    let reason = state
        .app
        .update_lost_reason(&caller.actor(), id, request.name.as_deref(), request.active)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(reason.into()))
}
