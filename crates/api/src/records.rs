//! The API's record endpoints, written once for every kind: list (typed query parameters),
//! create (`201`, `Location`, `ETag`), get, update (strict `If-Match`), delete and restore.
//!
//! utoipa cannot document a generic handler, so each kind keeps a few-line wrapper per
//! endpoint carrying its `#[utoipa::path]` (kanidm's REST helpers are the model); the work
//! is here. A kind's wire types say what the JSON looks like ([`ApiKind`]).

use super::extract::{ApiBody, DocumentedBody};
use super::wire::OwnershipInput;
use super::{etag, expected_version, list_request, ownership};
use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::duplicates::Duplicates;
use rehber_app::records::ServiceKind;
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::ApiError;
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
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
    /// Whether the body says the record may repeat one already kept (`allow_duplicate`).
    fn allow_duplicate(_request: &Self::Request) -> bool {
        false
    }
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

/// Whether a write may repeat a record already kept: `allow_duplicate=true` in the query or
/// the body.
fn duplicates<K: ApiKind>(
    caller: &ApiUser,
    raw_query: Option<&str>,
    body: &K::Request,
) -> Result<Duplicates, ApiError> {
    let mut errors = QueryErrors::default();
    let query = QueryParams::parse_lenient(raw_query).boolean("allow_duplicate", &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(match query == Some(true) || K::allow_duplicate(body) {
        true => Duplicates::Allow,
        false => Duplicates::Refuse,
    })
}

pub(crate) async fn create<K: ApiKind>(
    state: &AppState,
    caller: &ApiUser,
    raw_query: Option<&str>,
    body: ApiBody<K::Request>,
) -> Result<Response, ApiError> {
    let duplicates = duplicates::<K>(caller, raw_query, &body.0)?;
    let (patch, owner, _) = K::into_patch(body.0);
    let record = state
        .app
        .create_with::<K>(&caller.actor(), patch, ownership(owner), duplicates)
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
    (headers, raw_query): (&HeaderMap, Option<&str>),
    body: ApiBody<K::Request>,
) -> Result<Response, ApiError> {
    let duplicates = duplicates::<K>(caller, raw_query, &body.0)?;
    let (patch, owner, version) = K::into_patch(body.0);
    let version = expected_version(caller.lang, headers, version)?;
    let write = (version, duplicates);
    let record = state
        .app
        .update_with::<K>(&caller.actor(), K::id(id), write, patch, ownership(owner))
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

/// Declares a kind's documented endpoints — list, create, get, update, delete and restore,
/// each a thin `utoipa` wrapper over the generic handler above — with the kind's paths,
/// OpenAPI tag, list parameters, wire types and descriptions.
macro_rules! kind_endpoints {
    (
        kind = $kind:ty, tag = $tag:tt,
        paths = ($list:tt, $one:tt, $restore:tt),
        list_params = ($($param:tt),+),
        request = $request:ty, response = $response:ty, page = $page:ty,
        docs = {
            list: $list_doc:tt,
            create: $create_doc:tt,
            get: $get_doc:tt,
            update: $update_doc:tt,
            delete: $delete_doc:tt,
            restore: $restore_doc:tt $(,)?
        }
    ) => {
        #[doc = $list_doc]
        #[utoipa::path(get, path = $list, tag = $tag, params($($param),+), responses(
            (status = 200, body = $page),
            (status = 400, body = Problem, content_type = "application/problem+json"),
            (status = 422, body = Problem, content_type = "application/problem+json")
        ))]
        pub(super) async fn list(
            State(state): State<AppState>,
            caller: ApiUser,
            RawQuery(raw): RawQuery,
        ) -> Result<Json<$page>, ApiError> {
            records::list::<$kind>(&state, &caller, raw.as_deref()).await
        }

        #[doc = $create_doc]
        #[utoipa::path(post, path = $list, tag = $tag, request_body = $request, params(
            ("allow_duplicate" = Option<bool>, Query, description = "`true` saves a person or company even when it repeats one already kept (same e-mail, phone, national ID or tax number)")
        ), responses(
            (status = 201, body = $response),
            (status = 409, description = "Repeats a record already kept: `duplicate_id` names it (people and companies)", body = Problem, content_type = "application/problem+json"),
            (status = 422, description = "Invalid or unknown fields", body = Problem, content_type = "application/problem+json")
        ))]
        pub(super) async fn create(
            State(state): State<AppState>,
            caller: ApiUser,
            RawQuery(raw): RawQuery,
            body: ApiBody<$request>,
        ) -> Result<Response, ApiError> {
            records::create::<$kind>(&state, &caller, raw.as_deref(), body).await
        }

        #[doc = $get_doc]
        #[utoipa::path(get, path = $one, tag = $tag, params(("id" = i64, Path)), responses(
            (status = 200, body = $response),
            (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
        ))]
        pub(super) async fn get(
            State(state): State<AppState>,
            caller: ApiUser,
            ApiId(id): ApiId,
        ) -> Result<Response, ApiError> {
            records::get::<$kind>(&state, &caller, id).await
        }

        #[doc = $update_doc]
        #[utoipa::path(patch, path = $one, tag = $tag, params(
            ("id" = i64, Path),
            ("allow_duplicate" = Option<bool>, Query, description = "`true` saves an e-mail, phone, national ID or tax number another record already holds")
        ), request_body = $request, responses(
            (status = 200, body = $response),
            (status = 409, description = "Changed since the given version, or repeats a record already kept (`duplicate_id`)", body = Problem, content_type = "application/problem+json")
        ))]
        pub(super) async fn update(
            State(state): State<AppState>,
            caller: ApiUser,
            ApiId(id): ApiId,
            headers: HeaderMap,
            RawQuery(raw): RawQuery,
            body: ApiBody<$request>,
        ) -> Result<Response, ApiError> {
            records::update::<$kind>(&state, &caller, id, (&headers, raw.as_deref()), body).await
        }

        #[doc = $delete_doc]
        #[utoipa::path(delete, path = $one, tag = $tag, params(("id" = i64, Path)), responses(
            (status = 204),
            (status = 403, body = Problem, content_type = "application/problem+json")
        ))]
        pub(super) async fn delete(
            State(state): State<AppState>,
            caller: ApiUser,
            ApiId(id): ApiId,
        ) -> Result<StatusCode, ApiError> {
            records::delete::<$kind>(&state, &caller, id).await
        }

        #[doc = $restore_doc]
        #[utoipa::path(post, path = $restore, tag = $tag, params(("id" = i64, Path)), responses(
            (status = 200, body = $response),
            (status = 403, body = Problem, content_type = "application/problem+json")
        ))]
        pub(super) async fn restore(
            State(state): State<AppState>,
            caller: ApiUser,
            ApiId(id): ApiId,
        ) -> Result<Response, ApiError> {
            records::restore::<$kind>(&state, &caller, id).await
        }
    };
}
pub(super) use kind_endpoints;
