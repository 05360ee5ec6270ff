//! `GET/POST /api/v1/people/{id}/consents`: a person's KVKK and İYS consent history and a
//! new answer (the rules: `rehber_app::consents`).

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rehber_domain::PersonId;
use rehber_domain::consent::{Consent, ConsentForm, current};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// A person's answer to record.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ConsentRequest {
    /// `email`, `sms` or `call`; required for a commercial (İYS) permission.
    #[schema(example = "email")]
    pub channel: Option<String>,
    /// `granted` or `denied`.
    #[schema(example = "granted")]
    pub status: Option<String>,
    /// Where the answer was given; required. İYS source codes (`HS_WEB`, `HS_ISLAK_IMZA`,
    /// `HS_CAGRI_MERKEZI`, …) are sent to İYS as they are.
    #[schema(example = "HS_WEB")]
    pub source: Option<String>,
    /// RFC 3339: when the person gave the answer (not when it is recorded). Neither in the
    /// future nor before the latest answer kept for the same purpose and channel.
    #[schema(example = "2026-12-01T09:30:00+03:00")]
    pub given_at: Option<String>,
    /// `commercial` (İYS permission; the default), `kvkk_marketing`, `kvkk_profiling` or
    /// `kvkk_transfer_abroad` (KVKK explicit consent; the channel may be left out).
    #[schema(example = "commercial")]
    pub purpose: Option<String>,
    /// One of the person's e-mail addresses or phone numbers; their first of the channel's
    /// kind when absent.
    pub address: Option<String>,
    /// One of the person's attachments kept as evidence (a signed form).
    pub evidence_attachment_id: Option<i64>,
}

impl DocumentedBody for ConsentRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<ConsentRequest>)
    }
}

/// One recorded answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentResponse {
    pub id: i64,
    pub person_id: i64,
    pub purpose: String,
    /// `null` for a KVKK purpose given for every channel.
    pub channel: Option<String>,
    pub status: String,
    pub source: String,
    /// RFC 3339, UTC.
    pub given_at: String,
    pub address: Option<String>,
    pub evidence_attachment_id: Option<i64>,
    pub recorded_by: Option<i64>,
    pub recorded_by_name: Option<String>,
    /// RFC 3339, UTC.
    pub recorded_at: String,
}

impl From<&Consent> for ConsentResponse {
    fn from(c: &Consent) -> Self {
        ConsentResponse {
            id: c.id,
            person_id: c.person_id.0,
            purpose: c.fields.purpose.as_str().into(),
            channel: c.fields.channel.map(|ch| ch.as_str().into()),
            status: c.fields.status.as_str().into(),
            source: c.fields.source.clone(),
            given_at: c.fields.given_at.to_string(),
            address: c.fields.address.clone(),
            evidence_attachment_id: c.evidence_attachment_id,
            recorded_by: c.recorded_by.map(|u| u.0),
            recorded_by_name: c.recorded_by_name.clone(),
            recorded_at: c.recorded_at.to_string(),
        }
    }
}

/// A person's consents.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentsResponse {
    /// The current answer of each purpose and channel (its latest by `given_at`).
    pub current: Vec<ConsentResponse>,
    /// Every answer, the latest given first.
    pub items: Vec<ConsentResponse>,
}

/// A person's consent history and current answers.
#[utoipa::path(get, path = "/people/{id}/consents", tag = "consents", params(("id" = i64, Path)),
    responses(
    (status = 200, body = ConsentsResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list_consents(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ConsentsResponse>, ApiError> {
    let history = state
        .app
        .consents(&caller.actor(), PersonId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(ConsentsResponse {
        current: current(&history).into_iter().map(Into::into).collect(),
        items: history.iter().map(Into::into).collect(),
    }))
}

/// Record a person's answer (KVKK explicit consent or an İYS commercial permission); the
/// history keeps every answer.
#[utoipa::path(post, path = "/people/{id}/consents", tag = "consents", params(("id" = i64, Path)),
    request_body = ConsentRequest, responses(
    (status = 201, body = ConsentResponse),
    (status = 403, description = "Read-only users", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A missing source, a date in the future or before the latest answer, an unknown channel or status, an address or evidence that is not the person's", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn record_consent(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiBody(body): ApiBody<ConsentRequest>,
) -> Result<Response, ApiError> {
    let text = |value: Option<String>| value.unwrap_or_default();
    let form = ConsentForm {
        purpose: text(body.purpose),
        channel: text(body.channel),
        status: text(body.status),
        source: text(body.source),
        given_at: text(body.given_at),
        address: text(body.address),
    };
    let consent = state
        .app
        .record_consent(
            &caller.actor(),
            PersonId(id),
            &form,
            body.evidence_attachment_id,
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((StatusCode::CREATED, Json(ConsentResponse::from(&consent))).into_response())
}
