//! `/api/v1/companies`.

use super::extract::{ApiId, ApiJson};
use super::wire::{CompanyPage, CompanyRequest, CompanyResponse, ListParams};
use super::{etag, expected_version, list_request, ownership};
use crate::auth::ApiUser;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use rehber_domain::CompanyId;
use rehber_domain::party::Companies;

/// List and search companies you can see.
#[utoipa::path(get, path = "/companies", tag = "companies", params(ListParams), responses(
    (status = 200, body = CompanyPage),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<CompanyPage>, ApiError> {
    let request = list_request(caller.lang, raw.as_deref(), &[])?;
    let page = state
        .app
        .list::<Companies>(&caller.actor(), &request)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(CompanyPage {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Create a company.
#[utoipa::path(post, path = "/companies", tag = "companies", request_body = CompanyRequest, responses(
    (status = 201, body = CompanyResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<CompanyRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let (patch, owner, _) = body.into_patch();
    let company = state
        .app
        .create::<Companies>(&caller.actor(), patch, ownership(owner))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!("/api/v1/companies/{}", company.id.0);
    let [tag] = etag(company.meta.version);
    Ok((
        StatusCode::CREATED,
        [tag, (header::LOCATION, location)],
        Json(CompanyResponse::from(company)),
    ))
}

/// One company.
#[utoipa::path(get, path = "/companies/{id}", tag = "companies", params(("id" = i64, Path)), responses(
    (status = 200, body = CompanyResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<impl IntoResponse, ApiError> {
    let company = state
        .app
        .get::<Companies>(&caller.actor(), CompanyId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((
        etag(company.meta.version),
        Json(CompanyResponse::from(company)),
    ))
}

/// Change some fields of a company. Send `If-Match: "<version>"` (or `version`) to refuse
/// overwriting a change made since you read it.
#[utoipa::path(patch, path = "/companies/{id}", tag = "companies", params(("id" = i64, Path)), request_body = CompanyRequest, responses(
    (status = 200, body = CompanyResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Changed since the given version", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CompanyRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let (patch, owner, version) = body.into_patch();
    let version = expected_version(caller.lang, &headers, version)?;
    let company = state
        .app
        .update::<Companies>(
            &caller.actor(),
            CompanyId(id),
            version,
            patch,
            ownership(owner),
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((
        etag(company.meta.version),
        Json(CompanyResponse::from(company)),
    ))
}

/// Delete a company (administrators can restore).
#[utoipa::path(delete, path = "/companies/{id}", tag = "companies", params(("id" = i64, Path)), responses(
    (status = 204),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn delete(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .delete::<Companies>(&caller.actor(), CompanyId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Restore a deleted company (administrators).
#[utoipa::path(post, path = "/companies/{id}/restore", tag = "companies", params(("id" = i64, Path)), responses(
    (status = 200, body = CompanyResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn restore(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<impl IntoResponse, ApiError> {
    let company = state
        .app
        .restore::<Companies>(&caller.actor(), CompanyId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((
        etag(company.meta.version),
        Json(CompanyResponse::from(company)),
    ))
}

/// The people working at a company (as far as you can see them).
#[utoipa::path(get, path = "/companies/{id}/people", tag = "companies", params(("id" = i64, Path)), responses(
    (status = 200, body = super::wire::PersonPage),
    (status = 404, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn people(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<super::wire::PersonPage>, ApiError> {
    super::no_query(caller.lang, raw.as_deref())?;
    let page = state
        .app
        .company_people(&caller.actor(), CompanyId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(super::wire::PersonPage {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}
