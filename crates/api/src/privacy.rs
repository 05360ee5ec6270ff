//! Data-subject requests (KVKK article 11), administrators only: `POST
//! /api/v1/people/{id}/data-export` queues an export of everything Rehber holds about a
//! person (a job whose result is a ZIP), `GET /api/v1/data-requests/{id}` follows it and
//! `…/file` downloads it; `POST /api/v1/people/{id}/erase?preview=true|false` previews or
//! runs an erasure (the rules: `rehber_app::privacy`).

use super::extract::ApiId;
use axum::Json;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::AppError;
use rehber_app::privacy::{DataRequest, ErasurePlan, retention_basis};
use rehber_domain::PersonId;
use rehber_web_core::auth::{ApiOrSessionUser, ApiUser};
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// Microseconds since the epoch as RFC 3339, UTC.
pub(super) fn rfc3339(micros: i64) -> String {
    jiff::Timestamp::from_microsecond(micros)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// A data-subject request.
#[derive(Debug, Serialize, ToSchema)]
pub struct DataRequestResponse {
    pub id: i64,
    pub person_id: i64,
    /// `access` (an export) or `erasure`.
    pub kind: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    pub requested_by: Option<i64>,
    /// RFC 3339, UTC.
    pub requested_at: String,
    /// When the answer is due (30 days after the request; KVKK article 13). RFC 3339, UTC.
    pub due_at: String,
    /// RFC 3339, UTC.
    pub finished_at: Option<String>,
    pub job_id: Option<i64>,
    /// Where the export's ZIP is downloaded, once it is done (gone once the person is
    /// erased).
    pub download: Option<String>,
    pub size_bytes: Option<i64>,
    pub failure: Option<String>,
}

impl From<DataRequest> for DataRequestResponse {
    fn from(r: DataRequest) -> Self {
        let download = (r.status == "done" && r.file_key.is_some())
            .then(|| format!("/api/v1/data-requests/{}/file", r.id));
        DataRequestResponse {
            id: r.id,
            person_id: r.person_id,
            kind: r.kind,
            status: r.status,
            requested_by: r.requested_by,
            requested_at: rfc3339(r.requested_at),
            due_at: rfc3339(r.due_at),
            finished_at: r.finished_at.map(rfc3339),
            job_id: r.job_id,
            download,
            size_bytes: r.file_size,
            failure: r.failure,
        }
    }
}

/// Data-subject requests, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DataRequestList {
    pub items: Vec<DataRequestResponse>,
}

/// A text an erasure redacts.
#[derive(Debug, Serialize, ToSchema)]
pub struct RedactionResponse {
    pub table: String,
    pub column: String,
    pub record_id: Option<i64>,
    /// The text once redacted (its start).
    pub after: String,
}

/// A document kept after the erasure, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetainedResponse {
    /// `invoice`, `credit_note`, `payment`, `order` or `quote`.
    pub kind: String,
    pub id: i64,
    pub number: Option<String>,
    /// The legal basis it is kept on.
    pub basis: String,
}

/// An open account that stops the erasure.
#[derive(Debug, Serialize, ToSchema)]
pub struct BlockerResponse {
    /// `invoice` or `order`.
    pub kind: String,
    pub id: i64,
    pub number: Option<String>,
    pub status: String,
}

/// What an erasure does (a preview) or did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureResponse {
    pub person_id: i64,
    /// The name before the erasure.
    pub name: String,
    /// Whether this answer is a preview (nothing was changed).
    pub preview: bool,
    /// Whether the person is erased (by this request or an earlier one).
    pub erased: bool,
    /// Whether the erasure may run now (no open account).
    pub allowed: bool,
    /// The person and the records merged into them.
    pub records: Vec<i64>,
    /// The record keeps only an anonymous name ("Silinmiş kişi #42") and what says
    /// nothing about the person (company, stage, owner); it goes to the trash.
    pub anonymised: Vec<i64>,
    /// Rows deleted, by kind.
    pub deleted: BTreeMap<String, i64>,
    /// Texts shared with other records, with the person's name, e-mail addresses and
    /// phones replaced by `[silindi]`.
    pub redacted: Vec<RedactionResponse>,
    /// Consents kept as evidence, with only a hash of the address.
    pub consents_hashed: i64,
    pub retained: Vec<RetainedResponse>,
    /// Ledger entries kept (the customer ledger is append-only and kept by law).
    pub ledger_entries_retained: i64,
    pub blockers: Vec<BlockerResponse>,
    /// Other people with one of the same e-mail addresses, phones or national ID: perhaps
    /// the same person; they are not erased with this one.
    pub same_contact: Vec<i64>,
}

fn basis_text(kind: &str) -> &'static str {
    match retention_basis(kind) {
        "retained-ledger" => "VUK md. 253 (5 yıl), TTK md. 82 (10 yıl)",
        _ => "TTK md. 82 (10 yıl)",
    }
}

impl ErasureResponse {
    fn new(plan: ErasurePlan, preview: bool) -> Self {
        let f = plan.findings;
        ErasureResponse {
            person_id: plan.person_id,
            name: plan.name,
            preview,
            erased: plan.erased,
            allowed: f.blockers.is_empty(),
            anonymised: f.people.clone(),
            records: f.people,
            deleted: f.deleted,
            redacted: f
                .redacted
                .into_iter()
                .map(|r| RedactionResponse {
                    table: r.table,
                    column: r.column,
                    record_id: r.record_id,
                    after: r.after,
                })
                .collect(),
            consents_hashed: f.consents_hashed,
            retained: f
                .retained
                .into_iter()
                .map(|r| RetainedResponse {
                    basis: basis_text(&r.kind).into(),
                    kind: r.kind,
                    id: r.id,
                    number: r.number,
                })
                .collect(),
            ledger_entries_retained: f.ledger_entries,
            blockers: f
                .blockers
                .into_iter()
                .map(|b| BlockerResponse {
                    kind: b.kind,
                    id: b.id,
                    number: b.number,
                    status: b.status,
                })
                .collect(),
            same_contact: f.same_contact,
        }
    }
}

/// Whether an erasure is only previewed.
#[derive(Debug, Clone, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ErasureParams {
    /// `true` (the default) answers what the erasure would do and changes nothing;
    /// `false` erases.
    preview: Option<bool>,
}

/// Export everything Rehber holds about a person (administrators): 202 with the request
/// to follow; its `download` names the ZIP once the job is done.
#[utoipa::path(post, path = "/people/{id}/data-export", tag = "people", params(("id" = i64, Path)), responses(
    (status = 202, body = DataRequestResponse),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn request_person_data_export(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let request = state
        .app
        .request_data_export(&caller.actor(), PersonId(id))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!("/api/v1/data-requests/{}", request.id);
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(DataRequestResponse::from(request)),
    )
        .into_response())
}

/// Erase a person, or preview it (administrators). Refused (422) while an invoice of
/// theirs is open or a draft, or an order is not yet delivered.
#[utoipa::path(post, path = "/people/{id}/erase", tag = "people", params(("id" = i64, Path), ErasureParams), responses(
    (status = 200, body = ErasureResponse),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "An open account, or an unknown parameter", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn erase_person(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<ErasureResponse>, ApiError> {
    let fail = |e: AppError| ApiError::new(caller.lang, e);
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(raw.as_deref(), &[&["preview"]], &mut errors);
    let preview = params.boolean("preview", &mut errors).unwrap_or(true);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let actor = caller.actor();
    let plan = if preview {
        state.app.erasure_preview(&actor, PersonId(id)).await
    } else {
        state.app.erase_person(&actor, PersonId(id)).await
    }
    .map_err(fail)?;
    Ok(Json(ErasureResponse::new(plan, preview)))
}

/// Data-subject requests, newest first (administrators); `person_id` narrows them to one
/// person.
#[utoipa::path(get, path = "/data-requests", tag = "people", params(("person_id" = Option<i64>, Query)), responses(
    (status = 200, body = DataRequestList),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list_data_requests(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<DataRequestList>, ApiError> {
    let fail = |e: AppError| ApiError::new(caller.lang, e);
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(raw.as_deref(), &[&["person_id"]], &mut errors);
    let person = params.integer("person_id", 1..=i64::MAX, &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let items = state
        .app
        .data_requests(&caller.actor(), person.map(PersonId))
        .await
        .map_err(fail)?;
    Ok(Json(DataRequestList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// One data-subject request (administrators).
#[utoipa::path(get, path = "/data-requests/{id}", tag = "people", params(("id" = i64, Path)), responses(
    (status = 200, body = DataRequestResponse),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such request", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get_data_request(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<DataRequestResponse>, ApiError> {
    let request = state
        .app
        .data_request(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(request.into()))
}

/// An answered export's ZIP (administrators; the person's page downloads it with the
/// browser's session); 404 until it is done, and once the person was erased.
#[utoipa::path(get, path = "/data-requests/{id}/file", tag = "people", params(("id" = i64, Path)), responses(
    (status = 200, description = "The ZIP", content_type = "application/zip"),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such file", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn download_data_request(
    State(state): State<AppState>,
    ApiOrSessionUser(caller): ApiOrSessionUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let file = state
        .app
        .data_export_file(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(stored_file(file.bytes, "application/zip", &file.name))
}

/// A stored file streamed as a download named `name`.
pub(super) fn stored_file<S, E>(bytes: S, content_type: &'static str, name: &str) -> Response
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, E>> + Send + 'static,
    E: Into<axum::BoxError>,
{
    let mut response = Body::from_stream(bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    if let Ok(value) = header::HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
