//! The JSON REST API under `/api/v1`: people, companies and the caller, authenticated by
//! bearer tokens, documented by an OpenAPI 3.1 document generated from the handlers
//! (routes are registered through utoipa's router, so none can lack documentation).

mod activities;
pub mod attachments;
pub mod calendar;
mod comments;
mod companies;
mod consents;
mod convert;
mod custom_fields;
mod deals;
pub mod docs;
mod document;
mod document_lines;
mod duplicates;
mod events;
mod exports;
mod extract;
mod imports;
mod invoices;
mod iys;
mod ledger;
mod list_exports;
mod notifications;
mod orders;
mod payments;
mod people;
mod pipelines;
mod price_lists;
mod privacy;
mod products;
mod quote_steps;
mod quotes;
mod rates;
mod records;
mod scoring;
mod search;
mod targets;
mod tasks;
mod timeline;
pub mod wire;

use axum::Json;
use rehber_app::list::ListRequest;
use rehber_domain::{TeamId, UserId};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::i18n::Lang;
use rehber_web_core::list_params::Reading;
use rehber_web_core::problem::ApiError;
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use wire::MeResponse;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rehber API",
        description = "The JSON API of Rehber, the CRM. Authenticate with `Authorization: Bearer <token>` \
            (create a token under Settings → API tokens, or `rehber token issue`). Records outside your \
            visibility scope answer 404 and are absent from lists. Errors are RFC 9457 problem documents.",
        version = "1.0.0"
    ),
    paths(
        attachments::upload_to_person,
        attachments::upload_to_company,
        imports::upload_import,
        imports::list_imports,
        imports::get_import,
        imports::map_import,
        imports::check_import,
        imports::commit_import,
        imports::undo_import,
        imports::import_error_report
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "people", description = "People (contacts)"),
        (name = "activities", description = "Calls, e-mails, SMS, meetings, visits and notes with customers"),
        (name = "companies", description = "Companies (accounts)"),
        (name = "custom-fields", description = "Administrator-defined fields of people and companies"),
        (name = "tasks", description = "Tasks with a due date or time, an assignee and the records they concern"),
        (name = "attachments", description = "Files attached to people and companies"),
        (name = "imports", description = "Imports of people and companies from CSV, XLSX, XLS or ODS: upload, map, check, commit all or nothing, undo"),
        (name = "duplicates", description = "People and companies that may be one: the review list, and merging one into another"),
        (name = "consents", description = "A person's KVKK explicit consents and İYS commercial permissions, with their history"),
        (name = "comments", description = "Comments on people and companies, with @mentions"),
        (name = "notifications", description = "Your notifications: mentions, tasks handed to you, reminders"),
        (name = "pipelines", description = "Sales pipelines and their stages"),
        (name = "deals", description = "Deals (opportunities) in the stages of a pipeline, and a pipeline's board"),
        (name = "exchange-rates", description = "Exchange rates into TRY, by hand or from the central bank's daily file"),
        (name = "products", description = "The product catalogue: SKU, unit, KDV rate and list price"),
        (name = "quotes", description = "Quotes (teklif): lines priced by the money rule, numbered without gaps, sent as PDF"),
        (name = "orders", description = "Orders from accepted quotes: delivery status, shipments and returns"),
        (name = "ledger", description = "The customer ledger (cari hesap): invoices and credit notes, payments with their allocations, statements, aging and the lock date"),
        (name = "targets", description = "Sales targets per rep or team and period, and the forecast of a month or quarter against them"),
        (name = "scoring", description = "Lead-scoring rules, the recalculation of every score, and the BANT gate of \"qualified\""),
        (name = "timeline", description = "One record's activities, tasks and changes, newest first"),
        (name = "events", description = "Changes you may see, as a server-sent-events stream"),
        (name = "search", description = "One search across every kind of record"),
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

/// The routes that take uploads (under `/api/v1`): served with a body limit of their own,
/// the upload cap, instead of the one every other request has; documented with the rest.
pub fn upload_router() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            "/api/v1/people/{id}/attachments",
            axum::routing::post(attachments::upload_to_person),
        )
        .route(
            "/api/v1/companies/{id}/attachments",
            axum::routing::post(attachments::upload_to_company),
        )
}

/// The import routes (under `/api/v1`): served with a body limit of their own (the import
/// cap) and the long timeout of uploads, since a check or commit of a large file takes a
/// while; documented with the rest.
pub fn import_router() -> axum::Router<AppState> {
    use axum::routing::{get, post, put};
    axum::Router::new()
        .route(
            "/api/v1/imports",
            post(imports::upload_import).get(imports::list_imports),
        )
        .route("/api/v1/imports/{id}", get(imports::get_import))
        .route("/api/v1/imports/{id}/mapping", put(imports::map_import))
        .route("/api/v1/imports/{id}/check", post(imports::check_import))
        .route("/api/v1/imports/{id}/commit", post(imports::commit_import))
        .route("/api/v1/imports/{id}/undo", post(imports::undo_import))
        .route(
            "/api/v1/imports/{id}/error-report",
            get(imports::import_error_report),
        )
}

/// The API routes (under `/api/v1`) and their OpenAPI document, finished with the bounds
/// and refusals the server enforces (`document`).
pub fn router() -> (axum::Router<AppState>, serde_json::Value) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(exports::export_people))
        .routes(routes!(exports::export_companies))
        .routes(routes!(
            list_exports::request_list_export,
            list_exports::list_list_exports
        ))
        .routes(routes!(list_exports::get_list_export))
        .routes(routes!(list_exports::download_list_export))
        .routes(routes!(
            exports::export_settings,
            exports::put_export_settings
        ))
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
        .routes(routes!(custom_fields::list, custom_fields::create))
        .routes(routes!(
            custom_fields::get,
            custom_fields::update,
            custom_fields::delete
        ))
        .routes(routes!(activities::list, activities::create))
        .routes(routes!(
            activities::get,
            activities::update,
            activities::delete
        ))
        .routes(routes!(tasks::list, tasks::create))
        .routes(routes!(tasks::get, tasks::update, tasks::delete))
        .routes(routes!(tasks::complete))
        .routes(routes!(tasks::agenda))
        .routes(routes!(calendar::create))
        .routes(routes!(calendar::feed))
        .routes(routes!(
            comments::create_on_person,
            comments::list_on_person
        ))
        .routes(routes!(
            comments::create_on_company,
            comments::list_on_company
        ))
        .routes(routes!(duplicates::list_duplicates))
        .routes(routes!(duplicates::merge_people))
        .routes(routes!(duplicates::merge_companies))
        .routes(routes!(consents::list_consents, consents::record_consent))
        .routes(routes!(iys::list_iys_pending))
        .routes(routes!(iys::download_iys_pending_file))
        .routes(routes!(iys::mark_iys_sent))
        .routes(routes!(iys::iys_settings, iys::put_iys_settings))
        .routes(routes!(privacy::request_person_data_export))
        .routes(routes!(privacy::erase_person))
        .routes(routes!(privacy::list_data_requests))
        .routes(routes!(privacy::get_data_request))
        .routes(routes!(privacy::download_data_request))
        .routes(routes!(comments::mentionable_on_person))
        .routes(routes!(comments::mentionable_on_company))
        .routes(routes!(comments::delete))
        .routes(routes!(attachments::list_on_person))
        .routes(routes!(attachments::list_on_company))
        .routes(routes!(attachments::download))
        .routes(routes!(attachments::delete))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::read))
        .routes(routes!(notifications::read_all))
        .routes(routes!(pipelines::list, pipelines::create))
        .routes(routes!(
            pipelines::get,
            pipelines::update,
            pipelines::delete
        ))
        .routes(routes!(
            pipelines::lost_reasons,
            pipelines::create_lost_reason
        ))
        .routes(routes!(pipelines::update_lost_reason))
        .routes(routes!(convert::person))
        .routes(routes!(convert::company))
        .routes(routes!(deals::board))
        .routes(routes!(deals::list, deals::create))
        .routes(routes!(deals::get, deals::update, deals::delete))
        .routes(routes!(deals::restore))
        .routes(routes!(deals::stage))
        .routes(routes!(comments::create_on_deal, comments::list_on_deal))
        .routes(routes!(timeline::deal))
        .routes(routes!(rates::list, rates::create))
        .routes(routes!(rates::import_tcmb))
        .routes(routes!(products::list, products::create))
        .routes(routes!(products::get, products::update))
        .routes(routes!(price_lists::list, price_lists::create))
        .routes(routes!(price_lists::get, price_lists::update))
        .routes(routes!(quotes::preview_totals))
        .routes(routes!(quotes::list, quotes::create))
        .routes(routes!(quotes::get, quotes::update))
        .routes(routes!(quote_steps::accept))
        .routes(routes!(quote_steps::reject))
        .routes(routes!(quote_steps::cancel))
        .routes(routes!(quote_steps::revise))
        .routes(routes!(quote_steps::send))
        .routes(routes!(quote_steps::pdf))
        .routes(routes!(scoring::list, scoring::create))
        .routes(routes!(scoring::recalculate))
        .routes(routes!(scoring::recalculation))
        .routes(routes!(scoring::get, scoring::update, scoring::delete))
        .routes(routes!(scoring::qualification, scoring::set_qualification))
        .routes(routes!(orders::from_quote))
        .routes(routes!(orders::list))
        .routes(routes!(orders::get, orders::update))
        .routes(routes!(orders::ship))
        .routes(routes!(orders::request_return))
        .routes(routes!(orders::return_status))
        .routes(routes!(invoices::list, invoices::create))
        .routes(routes!(invoices::get, invoices::update))
        .routes(routes!(invoices::post))
        .routes(routes!(invoices::cancel))
        .routes(routes!(payments::create))
        .routes(routes!(payments::get))
        .routes(routes!(ledger::company_ledger))
        .routes(routes!(ledger::person_ledger))
        .routes(routes!(ledger::company_statement_file))
        .routes(routes!(ledger::person_statement_file))
        .routes(routes!(ledger::aging))
        .routes(routes!(ledger::settings, ledger::put_settings))
        .routes(routes!(targets::list, targets::create))
        .routes(routes!(targets::get, targets::update, targets::delete))
        .routes(routes!(targets::forecast))
        .routes(routes!(timeline::person))
        .routes(routes!(timeline::company))
        .routes(routes!(events::stream))
        .routes(routes!(search::search))
        .routes(routes!(me))
        .split_for_parts();
    doc.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    let doc = serde_json::to_value(doc).unwrap_or_default();
    (router, document::finish(doc))
}

/// The caller's own account.
#[utoipa::path(get, path = "/me", tag = "me", responses(
    (status = 200, body = MeResponse),
    (status = 401, description = "No or invalid token", body = rehber_web_core::problem::Problem, content_type = "application/problem+json")
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

/// Reads a list's query string into a service request: only the parameters every list
/// takes ([`wire::LIST_PARAMS`]) and the kind's `own`, each parsed into its type, every
/// problem reported at once (400 for a value not of its type, else 422).
fn list_request(lang: Lang, raw: Option<&str>, own: &[&str]) -> Result<ListRequest, ApiError> {
    let mut errors = QueryErrors::default();
    let request = rehber_web_core::list_params::read(raw, Reading::Strict { own }, &mut errors);
    errors.into_result().map_err(|e| ApiError::new(lang, e))?;
    Ok(request)
}

/// Refuses every query parameter of an endpoint that takes none (422 naming them).
fn no_query(lang: Lang, raw: Option<&str>) -> Result<(), ApiError> {
    let mut errors = QueryErrors::default();
    QueryParams::parse(raw, &[], &mut errors);
    errors.into_result().map_err(|e| ApiError::new(lang, e))
}

pub use rehber_web_core::list_params::{MAX_CURSOR, MAX_PAGE};

/// The version an update expects. `If-Match` carries exactly one entity tag as `ETag` gave
/// it (`"3"`; a bare `3` is read too); `*`, a list, a weak tag or anything else unreadable is
/// refused (400), never ignored. Without the header, the body's `version` field; without
/// both, none (the update applies to the current record). A header and a body that disagree
/// are refused too.
fn expected_version(
    lang: Lang,
    headers: &axum::http::HeaderMap,
    body: Option<i64>,
) -> Result<Option<i64>, ApiError> {
    let mut values = headers.get_all(axum::http::header::IF_MATCH).iter();
    let Some(value) = values.next() else {
        return Ok(body);
    };
    let refused = || {
        let mut errors = rehber_domain::FieldErrors::new();
        errors.add("If-Match", "invalid-if-match");
        ApiError::new(lang, rehber_domain::Error::Unreadable(errors))
    };
    if values.next().is_some() {
        return Err(refused());
    }
    let text = value.to_str().map_err(|_| refused())?.trim();
    let digits = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    let valid =
        !digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit());
    let version: i64 = if valid {
        digits.parse().map_err(|_| refused())?
    } else {
        return Err(refused());
    };
    match body {
        Some(stated) if stated != version => Err(refused()),
        _ => Ok(Some(version)),
    }
}

/// The `ETag` of a record at a version: the version as a strong entity tag.
fn etag(version: i64) -> [(axum::http::HeaderName, String); 1] {
    [(axum::http::header::ETAG, format!("\"{version}\""))]
}

fn ownership(input: wire::OwnershipInput) -> rehber_app::ownership::OwnershipRequest {
    rehber_app::ownership::OwnershipRequest {
        owner_id: input.owner_id.map(UserId),
        team_id: input.team_id.map(TeamId),
    }
}
