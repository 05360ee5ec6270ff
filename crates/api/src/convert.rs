//! `POST /api/v1/{people|companies}/{id}/convert`: a lead becomes a deal in one idempotent
//! step (`rehber_app::convert`): `201` with the new deal, or `200` with the deal the lead
//! was already converted into.

use super::deals::DealResponse;
use super::document_lines::UnitPriceInput;
use super::etag;
use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rehber_app::convert::Conversion;
use rehber_domain::activity::{Link, LinkType};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::sync::OnceLock;
use utoipa::ToSchema;

/// What the new deal may be given; everything has a default.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ConvertRequest {
    /// The lead's name when absent.
    pub name: Option<String>,
    /// The first pipeline when absent.
    pub pipeline_id: Option<i64>,
    /// The pipeline's first open stage when absent.
    pub stage_id: Option<i64>,
    pub amount: Option<UnitPriceInput>,
    #[schema(format = Date)]
    pub expected_close: Option<String>,
}

impl DocumentedBody for ConvertRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<ConvertRequest>)
    }
}

async fn convert(
    state: &AppState,
    caller: &ApiUser,
    lead: Link,
    body: ConvertRequest,
) -> Result<Response, ApiError> {
    let (amount, currency) = match body.amount {
        Some(price) => (Some(super::deals::decimal(price.minor)), price.currency),
        None => (None, None),
    };
    let conversion = Conversion {
        name: body.name,
        pipeline_id: body.pipeline_id,
        stage_id: body.stage_id,
        amount,
        currency,
        expected_close: body.expected_close,
    };
    let converted = state
        .app
        .convert_lead(&caller.actor(), lead, conversion)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let status = if converted.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let deal = converted.deal;
    let location = format!("/api/v1/deals/{}", deal.id.0);
    Ok((
        status,
        [(axum::http::header::LOCATION, location)],
        etag(deal.meta.version),
        Json(DealResponse::from(deal)),
    )
        .into_response())
}

/// Converts a person (a lead) into a deal with them and their company; moves them to the
/// "opportunity" stage. Converting again answers the same deal (200).
#[utoipa::path(post, path = "/people/{id}/convert", tag = "deals", params(("id" = i64, Path)),
    request_body = ConvertRequest, responses(
    (status = 201, body = DealResponse),
    (status = 200, description = "Already converted: the deal it became", body = DealResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn person(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiBody(body): ApiBody<ConvertRequest>,
) -> Result<Response, ApiError> {
    let lead = Link {
        record_type: LinkType::Person,
        record_id: id,
    };
    convert(&state, &caller, lead, body).await
}

/// Converts a company (a lead) into a deal; moves it to the "opportunity" stage.
/// Converting again answers the same deal (200).
#[utoipa::path(post, path = "/companies/{id}/convert", tag = "deals", params(("id" = i64, Path)),
    request_body = ConvertRequest, responses(
    (status = 201, body = DealResponse),
    (status = 200, description = "Already converted: the deal it became", body = DealResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn company(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiBody(body): ApiBody<ConvertRequest>,
) -> Result<Response, ApiError> {
    let lead = Link {
        record_type: LinkType::Company,
        record_id: id,
    };
    convert(&state, &caller, lead, body).await
}
