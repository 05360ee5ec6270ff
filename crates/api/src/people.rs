//! `/api/v1/people`: the person kind's wire types and its documented endpoints; the work is
//! the generic `records` handlers'.

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::{self, ApiKind, schema_fields};
use super::wire::{
    ListParams, OwnershipInput, PeopleListParams, PersonPage, PersonRequest, PersonResponse,
};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rehber_domain::party::{People, PersonPatch};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
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

    fn allow_duplicate(request: &PersonRequest) -> bool {
        request.allow_duplicate == Some(true)
    }

    fn page(items: Vec<PersonResponse>, next_cursor: Option<String>) -> PersonPage {
        PersonPage { items, next_cursor }
    }
}

records::kind_endpoints! {
    kind = People,
    tag = "people",
    paths = ("/people", "/people/{id}", "/people/{id}/restore"),
    list_params = (ListParams, PeopleListParams),
    request = PersonRequest,
    response = PersonResponse,
    page = PersonPage,
    docs = {
        list: "List and search people you can see.",
        create: "Create a person.",
        get: "One person.",
        update: "Change some fields of a person. Send `If-Match: \"<version>\"` (or `version`) to refuse overwriting a change made since you read it.",
        delete: "Delete a person (administrators can restore).",
        restore: "Restore a deleted person (administrators).",
    }
}
