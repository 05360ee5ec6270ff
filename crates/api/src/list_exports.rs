//! Lists exported in the background: `POST /api/v1/exports` asks for a list as a file
//! written by a job (202), `GET /api/v1/exports` and `/exports/{id}` follow the caller's
//! exports, `/exports/{id}/file` downloads one once it is done. A notification says when
//! (the rules: `rehber_app::list_exports`; the file is the one `GET /people/export` would
//! answer).

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::privacy::rfc3339;
use super::records::schema_fields;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rehber_app::list_exports::ListExport;
use rehber_domain::Error;
use rehber_web_core::auth::{ApiOrSessionUser, ApiUser};
use rehber_web_core::export::ExportFormat;
use rehber_web_core::i18n::Lang;
use rehber_web_core::list_params::{self, Reading};
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::QueryErrors;
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// A list exported in the background.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListExportResponse {
    pub id: i64,
    /// `person` or `company`.
    pub record_type: String,
    /// `csv`, `csv excel-tr` or `xlsx`.
    pub format: String,
    /// The list's parameters, as asked.
    pub query: String,
    /// `queued`, `running`, `done`, `failed` or `expired` (the file is kept for a day).
    pub status: String,
    /// RFC 3339, UTC.
    pub requested_at: String,
    /// RFC 3339, UTC.
    pub finished_at: Option<String>,
    pub rows: Option<i64>,
    pub file_name: Option<String>,
    pub size_bytes: Option<i64>,
    /// Where the file is downloaded, while it is kept.
    pub download: Option<String>,
    /// Why it failed, in the caller's language.
    pub failure: Option<String>,
}

impl ListExportResponse {
    pub fn of(lang: Lang, e: ListExport) -> Self {
        let download = (e.status == "done" && e.file_key.is_some())
            .then(|| format!("/api/v1/exports/{}/file", e.id));
        ListExportResponse {
            id: e.id,
            record_type: e.record_type,
            format: e.format,
            query: e.query,
            status: e.status,
            requested_at: rfc3339(e.requested_at),
            finished_at: e.finished_at.map(rfc3339),
            rows: e.row_count,
            file_name: e.file_name,
            size_bytes: e.file_size,
            download,
            failure: e.failure.map(|code| lang.t(&code)),
        }
    }
}

/// The caller's latest exports.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListExportList {
    pub items: Vec<ListExportResponse>,
}

/// A list to export in the background.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ListExportRequest {
    /// `person` or `company`.
    pub record_type: Option<String>,
    /// `csv` (the default) or `xlsx`.
    pub format: Option<String>,
    /// For CSV: `standard` (the default) or `excel-tr`.
    pub profile: Option<String>,
    /// The list's parameters as its address holds them (`stage=customer&q=ankara`); empty
    /// for the whole list.
    #[serde(default)]
    pub query: String,
}

impl DocumentedBody for ListExportRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<ListExportRequest>)
    }
}

/// Export a people or company list in the background: answered at once with the export
/// to follow; the file is written as your list shows it, with the same rules as a
/// download (sales reps only when an administrator allows them; at most 100,000 rows),
/// kept for a day, and announced by a notification.
#[utoipa::path(post, path = "/exports", tag = "people", request_body = ListExportRequest, responses(
    (status = 202, body = ListExportResponse),
    (status = 403, description = "Sales reps, unless an administrator allows them", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A bad kind, format or list parameter", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn request_list_export(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiBody(body): ApiBody<ListExportRequest>,
) -> Result<(StatusCode, Json<ListExportResponse>), ApiError> {
    let mut errors = QueryErrors::default();
    let (record_type, own): (&'static str, &[&str]) = match body.record_type.as_deref() {
        Some("person") => ("person", &["company_id"]),
        Some("company") => ("company", &[]),
        None => {
            errors.invalid.add("record_type", "invalid-required");
            ("person", &[])
        }
        Some(_) => {
            errors.invalid.add("record_type", "invalid-unknown-value");
            ("person", &[])
        }
    };
    let format = ExportFormat::parse(
        body.format.as_deref().unwrap_or("csv"),
        body.profile.as_deref(),
    );
    if format.is_none() {
        errors.invalid.add("format", "invalid-export-format");
    }
    let query = body.query.trim().trim_start_matches('?');
    if query.len() > 4_000 {
        errors.invalid.add("query", "invalid-too-long");
    } else {
        // Read now so that a bad parameter is refused here, not by the job.
        list_params::read(Some(query), Reading::Strict { own }, &mut errors);
    }
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let Some(format) = format else {
        return Err(ApiError::new(
            caller.lang,
            Error::field("format", "invalid-export-format"),
        ));
    };
    let export = state
        .app
        .request_list_export(
            &caller.actor(),
            record_type,
            format.label(),
            query,
            caller.lang.code(),
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ListExportResponse::of(caller.lang, export)),
    ))
}

/// Your latest exports, newest first (at most 50).
#[utoipa::path(get, path = "/exports", tag = "people", responses(
    (status = 200, body = ListExportList)
))]
pub(super) async fn list_list_exports(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ListExportList>, ApiError> {
    let items = state
        .app
        .list_exports(&caller.actor())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(ListExportList {
        items: items
            .into_iter()
            .map(|e| ListExportResponse::of(caller.lang, e))
            .collect(),
    }))
}

/// One of your exports.
#[utoipa::path(get, path = "/exports/{id}", tag = "people", params(("id" = i64, Path)), responses(
    (status = 200, body = ListExportResponse),
    (status = 404, description = "No such export of yours", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get_list_export(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ListExportResponse>, ApiError> {
    let export = state
        .app
        .list_export(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(ListExportResponse::of(caller.lang, export)))
}

/// The file of one of your exports (the exports page downloads it with the browser's
/// session); 404 until it is done and once it is removed.
#[utoipa::path(get, path = "/exports/{id}/file", tag = "people", params(("id" = i64, Path)), responses(
    (status = 200, description = "The file (`text/csv` or XLSX), as an attachment"),
    (status = 404, description = "No such file", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn download_list_export(
    State(state): State<AppState>,
    ApiOrSessionUser(caller): ApiOrSessionUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let file = state
        .app
        .list_export_file(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let content_type = if file.name.ends_with(".xlsx") {
        ExportFormat::Xlsx.content_type()
    } else {
        "text/csv; charset=utf-8"
    };
    Ok(super::privacy::stored_file(
        file.bytes,
        content_type,
        &file.name,
    ))
}
