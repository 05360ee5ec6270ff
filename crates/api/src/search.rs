//! `GET /api/v1/search`: one search across every record kind, in the caller's scope (the
//! service's `search_everything`).

use axum::Json;
use axum::extract::{RawQuery, State};
use rehber_app::search::{MAX_PER_KIND, MAX_QUERY_CHARS};
use rehber_domain::FieldErrors;
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::Serialize;
use utoipa::ToSchema;

/// Matches per kind unless `limit` says otherwise.
const DEFAULT_PER_KIND: i64 = 10;

/// What a search found, kind by kind (people first), each kind's matches in its list's order.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// The query as it was searched (trimmed).
    #[schema(example = "çağlar")]
    pub query: String,
    pub items: Vec<SearchItem>,
    /// The kinds with more matches than returned: their list, searched the same way
    /// (`/people?q=…`), holds them all.
    #[schema(example = json!(["person"]))]
    pub more: Vec<String>,
}

/// One record found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchItem {
    /// `person` or `company`.
    #[schema(example = "person")]
    pub record_type: String,
    #[schema(example = 12)]
    pub id: i64,
    /// A person's full name, a company's name.
    #[schema(example = "Işık Çağlar")]
    pub title: String,
    /// A person's company (else job title, else e-mail); a company's city (else website).
    #[schema(example = "Anadolu Tekstil A.Ş.")]
    pub subtitle: Option<String>,
    /// The record in this API.
    #[schema(example = "/api/v1/people/12")]
    pub url: String,
}

/// Search people and companies at once, as their lists search (Turkish-aware: `caglar`
/// finds Çağlar), among the records you can see.
#[utoipa::path(get, path = "/search", tag = "search", params(
    ("q" = String, Query, description = "What to look for: words or the start of words, a phone number, an e-mail address (at most 200 characters)"),
    ("limit" = Option<i64>, Query, description = "Matches per kind, 1–50 (default 10)")
), responses(
    (status = 200, body = SearchResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "No `q`, or a parameter out of range", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn search(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResponse>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(raw.as_deref(), &[&["q", "limit"]], &mut errors);
    let q = params.text("q", MAX_QUERY_CHARS, &mut errors);
    let limit = params
        .integer("limit", 1..=i64::from(MAX_PER_KIND), &mut errors)
        .unwrap_or(DEFAULT_PER_KIND);
    if q.is_none() && errors.invalid.is_empty() && errors.unreadable.is_empty() {
        let mut missing = FieldErrors::new();
        missing.add("q", "invalid-required");
        errors.invalid = missing;
    }
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let q = q.unwrap_or_default();
    let groups = state
        .app
        .search_everything(&caller.actor(), &q, u32::try_from(limit).unwrap_or(1))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let more = groups
        .iter()
        .filter(|g| g.more)
        .map(|g| g.record_type.to_string())
        .collect();
    let items = groups
        .into_iter()
        .flat_map(|g| g.hits)
        .map(|hit| SearchItem {
            url: format!("/api/v1/{}/{}", collection(hit.record_type), hit.id),
            record_type: hit.record_type.to_string(),
            id: hit.id,
            title: hit.title,
            subtitle: hit.subtitle,
        })
        .collect();
    Ok(Json(SearchResponse {
        query: q,
        items,
        more,
    }))
}

/// The API collection of a record kind.
fn collection(record_type: &str) -> &str {
    match record_type {
        "person" => "people",
        "company" => "companies",
        other => other,
    }
}
