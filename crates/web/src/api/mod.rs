//! The JSON REST API under `/api/v1`: people, companies and the caller, authenticated by
//! bearer tokens, documented by an OpenAPI 3.1 document generated from the handlers
//! (routes are registered through utoipa's router, so none can lack documentation).

mod companies;
pub mod docs;
mod extract;
mod people;
pub mod wire;

use crate::auth::ApiUser;
use crate::i18n::Lang;
use crate::problem::ApiError;
use crate::state::AppState;
use axum::Json;
use rehber_app::people::ListRequest;
use rehber_app::{PageRequest, PartyFilter, PartySort, SortDirection};
use rehber_domain::party::LifecycleStage;
use rehber_domain::{CompanyId, Error, FieldErrors, TeamId, UserId};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use wire::{ListParams, MeResponse};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rehber API",
        description = "The JSON API of Rehber, the CRM. Authenticate with `Authorization: Bearer <token>` \
            (create a token under Settings → API tokens, or `rehber token issue`). Records outside your \
            visibility scope answer 404 and are absent from lists. Errors are RFC 9457 problem documents.",
        version = "1.0.0"
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "people", description = "People (contacts)"),
        (name = "companies", description = "Companies (accounts)"),
        (name = "me", description = "The caller")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The API routes (under `/api/v1`) and their OpenAPI document.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(people::list, people::create))
        .routes(routes!(people::get, people::update, people::delete))
        .routes(routes!(people::restore))
        .routes(routes!(companies::list, companies::create))
        .routes(routes!(
            companies::get,
            companies::update,
            companies::delete
        ))
        .routes(routes!(companies::restore))
        .routes(routes!(companies::people))
        .routes(routes!(me))
        .split_for_parts();
    doc.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    (router, doc)
}

/// The caller's own account.
#[utoipa::path(get, path = "/me", tag = "me", responses(
    (status = 200, body = MeResponse),
    (status = 401, description = "No or invalid token", body = crate::problem::Problem, content_type = "application/problem+json")
))]
async fn me(caller: ApiUser) -> Json<MeResponse> {
    let u = caller.user;
    Json(MeResponse {
        id: u.id.0,
        email: u.email,
        name: u.name,
        role: u.role.to_string(),
        team_id: u.team_id.map(|t| t.0),
        team_name: u.team_name,
    })
}

/// Converts list parameters into a service request, collecting every bad parameter.
fn list_request(lang: Lang, params: ListParams) -> Result<ListRequest, ApiError> {
    let mut errors = FieldErrors::new();
    let lifecycle_stage = match params.lifecycle_stage.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let stage = LifecycleStage::parse(s);
            if stage.is_none() {
                errors.add("lifecycle_stage", "invalid-unknown-value");
            }
            stage
        }
    };
    let mut day = |field: &str, value: Option<&str>, next_day: bool| -> Option<i64> {
        let text = value.filter(|s| !s.is_empty())?;
        match text.parse::<jiff::civil::Date>() {
            Ok(date) => {
                let date = if next_day {
                    date.tomorrow().ok()?
                } else {
                    date
                };
                date.to_zoned_datetime(rehber_app::home_zone())
                    .ok()
                    .map(|z| z.timestamp().as_microsecond())
            }
            Err(_) => {
                errors.add(field, "invalid-date");
                None
            }
        }
    };
    let created_from = day("created_from", params.created_from.as_deref(), false);
    let created_to = day("created_to", params.created_to.as_deref(), true);
    let (sort, direction) = match params.sort.as_deref().filter(|s| !s.is_empty()) {
        None => (PartySort::Name, SortDirection::Asc),
        Some(s) => {
            let (name, direction) = match s.strip_prefix('-') {
                Some(rest) => (rest, SortDirection::Desc),
                None => (s, SortDirection::Asc),
            };
            match PartySort::parse(name) {
                Some(sort) => (sort, direction),
                None => {
                    errors.add("sort", "invalid-unknown-value");
                    (PartySort::Name, SortDirection::Asc)
                }
            }
        }
    };
    let limit = params.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        errors.add("limit", "invalid-number");
    }
    if !errors.is_empty() {
        return Err(ApiError::new(lang, Error::Validation(errors)));
    }
    Ok(ListRequest {
        filter: PartyFilter {
            q: params.q.filter(|q| !q.trim().is_empty()),
            owner: params.owner_id.map(UserId),
            team: params.team_id.map(TeamId),
            lifecycle_stage,
            tag: params.tag.filter(|t| !t.trim().is_empty()),
            city: params.city.filter(|c| !c.trim().is_empty()),
            created_from,
            created_to,
            company: params.company_id.map(CompanyId),
            deleted: params.deleted.unwrap_or(false),
        },
        sort,
        direction,
        page: PageRequest {
            after: params.cursor.filter(|c| !c.is_empty()),
            limit,
        },
    })
}

/// The version an update expects: the `If-Match` header (`"3"` or `3`) or the body's field.
fn expected_version(headers: &axum::http::HeaderMap, body: Option<i64>) -> Option<i64> {
    headers
        .get(axum::http::header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.trim()
                .trim_start_matches("W/")
                .trim_matches('"')
                .parse()
                .ok()
        })
        .or(body)
}

fn ownership(input: wire::OwnershipInput) -> rehber_app::ownership::OwnershipRequest {
    rehber_app::ownership::OwnershipRequest {
        owner_id: input.owner_id.map(UserId),
        team_id: input.team_id.map(TeamId),
    }
}
