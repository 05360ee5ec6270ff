//! `/api/v1/people`: the person kind's wire types and its documented endpoints; the work is
//! the generic `records` handlers'.

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::{self, ApiKind, schema_fields};
use super::wire::{
    ListParams, OwnershipInput, PeopleListParams, PersonPage, PersonRequest, PersonResponse,
};
use crate::auth::ApiUser;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rehber_domain::party::{People, PersonPatch};
use std::sync::OnceLock;

impl DocumentedBody for PersonRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<PersonRequest>)
    }
}

impl ApiKind for People {
    const PATH: &'static str = "people";
    const OWN_PARAMS: &'static [&'static str] = &["company_id"];
    type Request = PersonRequest;
    type Response = PersonResponse;
    type Page = PersonPage;

    fn into_patch(request: PersonRequest) -> (PersonPatch, OwnershipInput, Option<i64>) {
        request.into_patch()
    }

    fn page(items: Vec<PersonResponse>, next_cursor: Option<String>) -> PersonPage {
        PersonPage { items, next_cursor }
    }
}

/// List and search people you can see.
#[utoipa::path(get, path = "/people", tag = "people", params(ListParams, PeopleListParams), responses(
    (status = 200, body = PersonPage),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<PersonPage>, ApiError> {
    records::list::<People>(&state, &caller, raw.as_deref()).await
}

/// Create a person.
#[utoipa::path(post, path = "/people", tag = "people", request_body = PersonRequest, responses(
    (status = 201, body = PersonResponse),
    (status = 422, description = "Invalid or unknown fields", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<PersonRequest>,
) -> Result<Response, ApiError> {
    records::create::<People>(&state, &caller, body).await
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
) -> Result<Response, ApiError> {
    records::get::<People>(&state, &caller, id).await
}

/// Change some fields of a person. Send `If-Match: "<version>"` (or `version`) to refuse
/// overwriting a change made since you read it.
#[utoipa::path(patch, path = "/people/{id}", tag = "people", params(("id" = i64, Path)), request_body = PersonRequest, responses(
    (status = 200, body = PersonResponse),
    (status = 409, description = "Changed since the given version", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    body: ApiBody<PersonRequest>,
) -> Result<Response, ApiError> {
    records::update::<People>(&state, &caller, id, &headers, body).await
}

/// Delete a person (administrators can restore).
#[utoipa::path(delete, path = "/people/{id}", tag = "people", params(("id" = i64, Path)), responses(
    (status = 204),
    (status = 403, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn delete(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    records::delete::<People>(&state, &caller, id).await
}

/// Restore a deleted person (administrators).
#[utoipa::path(post, path = "/people/{id}/restore", tag = "people", params(("id" = i64, Path)), responses(
    (status = 200, body = PersonResponse),
    (status = 403, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn restore(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    records::restore::<People>(&state, &caller, id).await
}
