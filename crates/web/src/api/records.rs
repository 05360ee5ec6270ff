//! The API's record endpoints, written once for every kind: list (typed query parameters),
//! create (`201`, `Location`, `ETag`), get, update (strict `If-Match`), delete and restore.
//!
//! utoipa cannot document a generic handler, so each kind keeps a few-line wrapper per
//! endpoint carrying its `#[utoipa::path]` (kanidm's REST helpers are the model); the work
//! is here. A kind's wire types say what the JSON looks like ([`ApiKind`]).

use super::extract::{ApiBody, DocumentedBody};
use super::wire::OwnershipInput;
use super::{etag, expected_version, list_request, ownership};
use crate::auth::ApiUser;
use crate::problem::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::records::ServiceKind;
use serde::Serialize;

/// A record kind as the API serves it: where, with which extra list parameters, and what its
/// requests and responses look like.
pub(crate) trait ApiKind: ServiceKind {
    /// The collection's path under `/api/v1` (`people`).
    const PATH: &'static str;
    /// The list parameters of this kind beside the ones every list takes.
    const OWN_PARAMS: &'static [&'static str];

    /// A create or update body; its documented fields are the only ones accepted.
    type Request: DocumentedBody;
    type Response: Serialize + From<Self::Record> + Send;
    type Page: Serialize + Send;

    /// A request as a patch, the ownership it asks for, and the version it names.
    fn into_patch(request: Self::Request) -> (Self::Patch, OwnershipInput, Option<i64>);
    fn page(items: Vec<Self::Response>, next_cursor: Option<String>) -> Self::Page;
}

/// The property names of a documented object schema.
pub(crate) fn schema_fields<T: utoipa::PartialSchema>() -> Vec<String> {
    use utoipa::openapi::{RefOr, Schema};
    match T::schema() {
        RefOr::T(Schema::Object(object)) => object.properties.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

fn record_response<K: ApiKind>(record: K::Record) -> (impl IntoResponse, String) {
    let version = K::meta(&record).version;
    let location = format!("/api/v1/{}/{}", K::PATH, K::raw(K::record_id(&record)));
    ((etag(version), Json(K::Response::from(record))), location)
}

pub(crate) async fn list<K: ApiKind>(
    state: &AppState,
    caller: &ApiUser,
    raw_query: Option<&str>,
) -> Result<Json<K::Page>, ApiError> {
    let request = list_request(caller.lang, raw_query, K::OWN_PARAMS)?;
    let page = state
        .app
        .list::<K>(&caller.actor(), &request)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let items = page.items.into_iter().map(K::Response::from).collect();
    Ok(Json(K::page(items, page.next_cursor)))
}

pub(crate) async fn create<K: ApiKind>(
    state: &AppState,
    caller: &ApiUser,
    body: ApiBody<K::Request>,
) -> Result<Response, ApiError> {
    let (patch, owner, _) = K::into_patch(body.0);
    let record = state
        .app
        .create::<K>(&caller.actor(), patch, ownership(owner))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let (response, location) = record_response::<K>(record);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        response,
    )
        .into_response())
}

pub(crate) async fn get<K: ApiKind>(
    state: &AppState,
    caller: &ApiUser,
    id: i64,
) -> Result<Response, ApiError> {
    let record = state
        .app
        .get::<K>(&caller.actor(), K::id(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(record_response::<K>(record).0.into_response())
}

pub(crate) async fn update<K: ApiKind>(
    state: &AppState,
    caller: &ApiUser,
    id: i64,
    headers: &HeaderMap,
    body: ApiBody<K::Request>,
) -> Result<Response, ApiError> {
    let (patch, owner, version) = K::into_patch(body.0);
    let version = expected_version(caller.lang, headers, version)?;
    let record = state
        .app
        .update::<K>(&caller.actor(), K::id(id), version, patch, ownership(owner))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(record_response::<K>(record).0.into_response())
}

pub(crate) async fn delete<K: ApiKind>(
    state: &AppState,
    caller: &ApiUser,
    id: i64,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .delete::<K>(&caller.actor(), K::id(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn restore<K: ApiKind>(
    state: &AppState,
    caller: &ApiUser,
    id: i64,
) -> Result<Response, ApiError> {
    let record = state
        .app
        .restore::<K>(&caller.actor(), K::id(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(record_response::<K>(record).0.into_response())
}
