//! `/api/v1/people`.

use super::extract::{ApiId, ApiJson, ApiQuery};
use super::wire::{ListParams, PersonPage, PersonRequest, PersonResponse};
use super::{expected_version, list_request, ownership};
use crate::auth::ApiUser;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use rehber_domain::PersonId;

/// List and search people you can see.
#[utoipa::path(get, path = "/people", tag = "people", params(ListParams), responses(
    (status = 200, body = PersonPage),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<PersonPage>, ApiError> {
    let request = list_request(caller.lang, params)?;
    let page = state
        .app
        .list_people(&caller.actor(), &request)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(PersonPage {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Create a person.
#[utoipa::path(post, path = "/people", tag = "people", request_body = PersonRequest, responses(
    (status = 201, body = PersonResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<PersonRequest>,
) -> Result<(StatusCode, Json<PersonResponse>), ApiError> {
    let (patch, owner, _) = body.into_patch();
    let person = state
        .app
        .create_person(&caller.actor(), patch, ownership(owner))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((StatusCode::CREATED, Json(person.into())))
}

/// One person.
#[utoipa::path(get, path = "/people/{id}", tag = "people", params(("id" = i64, Path)), responses(
    (status = 200, body = PersonResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<PersonResponse>, ApiError> {
    let person = state
        .app
        .get_person(&caller.actor(), PersonId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(person.into()))
}

/// Change some fields of a person. Send `If-Match: "<version>"` (or `version`) to refuse
/// overwriting a change made since you read it.
#[utoipa::path(patch, path = "/people/{id}", tag = "people", params(("id" = i64, Path)), request_body = PersonRequest, responses(
    (status = 200, body = PersonResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Changed since the given version", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PersonRequest>,
) -> Result<Json<PersonResponse>, ApiError> {
    let (patch, owner, version) = body.into_patch();
    let version = expected_version(&headers, version);
    let person = state
        .app
        .update_person(
            &caller.actor(),
            PersonId(id),
            version,
            patch,
            ownership(owner),
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(person.into()))
}

/// Delete a person (administrators can restore).
#[utoipa::path(delete, path = "/people/{id}", tag = "people", params(("id" = i64, Path)), responses(
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
        .delete_person(&caller.actor(), PersonId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Restore a deleted person (administrators).
#[utoipa::path(post, path = "/people/{id}/restore", tag = "people", params(("id" = i64, Path)), responses(
    (status = 200, body = PersonResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn restore(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<PersonResponse>, ApiError> {
    let person = state
        .app
        .restore_person(&caller.actor(), PersonId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(person.into()))
}
