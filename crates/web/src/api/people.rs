//! `/api/v1/people`.

use super::extract::{ApiId, ApiJson};
use super::wire::{
    ListParams, PEOPLE_LIST_PARAMS, PeopleListParams, PersonPage, PersonRequest, PersonResponse,
};
use super::{etag, expected_version, list_request, ownership};
use crate::auth::ApiUser;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use rehber_domain::PersonId;
use rehber_domain::party::People;

/// List and search people you can see.
#[utoipa::path(get, path = "/people", tag = "people", params(ListParams, PeopleListParams), responses(
    (status = 200, body = PersonPage),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<PersonPage>, ApiError> {
    let request = list_request(caller.lang, raw.as_deref(), PEOPLE_LIST_PARAMS)?;
    let page = state
        .app
        .list::<People>(&caller.actor(), &request)
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
) -> Result<impl IntoResponse, ApiError> {
    let (patch, owner, _) = body.into_patch();
    let person = state
        .app
        .create::<People>(&caller.actor(), patch, ownership(owner))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!("/api/v1/people/{}", person.id.0);
    let [tag] = etag(person.meta.version);
    Ok((
        StatusCode::CREATED,
        [tag, (header::LOCATION, location)],
        Json(PersonResponse::from(person)),
    ))
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
) -> Result<impl IntoResponse, ApiError> {
    let person = state
        .app
        .get::<People>(&caller.actor(), PersonId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((
        etag(person.meta.version),
        Json(PersonResponse::from(person)),
    ))
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
) -> Result<impl IntoResponse, ApiError> {
    let (patch, owner, version) = body.into_patch();
    let version = expected_version(caller.lang, &headers, version)?;
    let person = state
        .app
        .update::<People>(
            &caller.actor(),
            PersonId(id),
            version,
            patch,
            ownership(owner),
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((
        etag(person.meta.version),
        Json(PersonResponse::from(person)),
    ))
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
        .delete::<People>(&caller.actor(), PersonId(id))
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
) -> Result<impl IntoResponse, ApiError> {
    let person = state
        .app
        .restore::<People>(&caller.actor(), PersonId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((
        etag(person.meta.version),
        Json(PersonResponse::from(person)),
    ))
}
