//! `/api/v1/companies`: the company kind's wire types and its documented endpoints; the work is
//! the generic `records` handlers'.

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::{self, ApiKind, schema_fields};
use super::wire::{CompanyPage, CompanyRequest, CompanyResponse, ListParams, OwnershipInput};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rehber_domain::CompanyId;
use rehber_domain::party::{Companies, CompanyPatch};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use std::sync::OnceLock;

impl DocumentedBody for CompanyRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<CompanyRequest>)
    }
}

impl ApiKind for Companies {
    const PATH: &'static str = "companies";
    const OWN_PARAMS: &'static [&'static str] = &[];
    type Request = CompanyRequest;
    type Response = CompanyResponse;
    type Page = CompanyPage;

    fn into_patch(request: CompanyRequest) -> (CompanyPatch, OwnershipInput, Option<i64>) {
        request.into_patch()
    }

    fn allow_duplicate(request: &CompanyRequest) -> bool {
        request.allow_duplicate == Some(true)
    }

    fn page(items: Vec<CompanyResponse>, next_cursor: Option<String>) -> CompanyPage {
        CompanyPage { items, next_cursor }
    }
}

records::kind_endpoints! {
    kind = Companies,
    tag = "companies",
    paths = ("/companies", "/companies/{id}", "/companies/{id}/restore"),
    list_params = (ListParams),
    request = CompanyRequest,
    response = CompanyResponse,
    page = CompanyPage,
    docs = {
        list: "List and search companies you can see.",
        create: "Create a company.",
        get: "One company.",
        update: "Change some fields of a company. Send `If-Match: \"<version>\"` (or `version`) to refuse overwriting a change made since you read it.",
        delete: "Delete a company (administrators can restore).",
        restore: "Restore a deleted company (administrators).",
    }
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
