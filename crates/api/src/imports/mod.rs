//! Imports of people and companies: `POST /api/v1/imports` (multipart: `file`, `kind`, and
//! optionally `mapping`, `encoding` and `on_match`), `GET /api/v1/imports[/{id}]`,
//! `PUT …/{id}/mapping`, `POST …/{id}/check|commit|undo` and
//! `GET …/{id}/error-report?format=csv|xlsx`. Served apart from the other routes (see
//! [`import_router`]): a file may be as large as the import cap, and a check or commit of
//! 200,000 rows takes longer than an ordinary request may. The rules are
//! `rehber_app::imports`'.

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::imports::{ImportOptions, MAX_IMPORT_BYTES, OnMatch, UndoOutcome};
use rehber_domain::Error;
use rehber_domain::import::ImportKind;
use rehber_web_core::auth::ApiUser;
use rehber_web_core::imports::{error_report, lexicon};
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

mod answer;

use answer::response;
pub use answer::*;

/// Your imports (everyone's, for administrators), newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportsResponse {
    pub items: Vec<ImportResponse>,
}

/// Upload a file to import (multipart): `file` (CSV in UTF-8, UTF-16 or windows-1254,
/// XLSX, XLS or ODS; up to 50 MB and 200,000 rows), `kind` (`people` or `companies`), and
/// optionally `mapping` (JSON: a header or column number → a field code or `null`, laid over
/// the mapping the headers suggest) and `encoding` (when the guess is wrong). Nothing is
/// checked or written yet: see `…/check`.
#[utoipa::path(post, path = "/imports", tag = "imports",
    request_body(content_type = "multipart/form-data", description = "`file`, `kind`, and optionally `mapping`, `encoding` and `on_match` (`refuse`, `update` or `skip`)"),
    responses(
    (status = 201, body = ImportResponse),
    (status = 403, description = "A role that may not create these records", body = Problem, content_type = "application/problem+json"),
    (status = 413, description = "Larger than 50 MB; nothing kept", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "No file, an empty or unreadable one, a password-protected workbook, too many rows or columns, or a mapping that leaves the name out", body = Problem, content_type = "application/problem+json")
))]
pub async fn upload_import(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
    multipart: Multipart,
) -> Response {
    upload(&state, &caller, raw.as_deref(), multipart)
        .await
        .unwrap_or_else(|refusal| refusal)
}

async fn upload(
    state: &AppState,
    caller: &ApiUser,
    raw: Option<&str>,
    mut multipart: Multipart,
) -> Result<Response, Response> {
    let lang = caller.lang;
    let refuse = |e: Error| ApiError::new(lang, e).into_response();
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            refuse(Error::TooLarge {
                limit_bytes: MAX_IMPORT_BYTES,
            })
        } else {
            ApiError::bad_request(lang, e.body_text())
        }
    };
    let mut errors = rehber_web_core::query::QueryErrors::default();
    let params = rehber_web_core::query::QueryParams::parse(raw, &[&["kind"]], &mut errors);
    let mut kind = params.text("kind", 20, &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(lang, e).into_response())?;
    let mut file: Option<(String, Bytes)> = None;
    let mut options = ImportOptions::default();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("import").to_string();
                file = Some((name, field.bytes().await.map_err(unreadable)?));
            }
            Some("kind") => kind = Some(field.text().await.map_err(unreadable)?),
            Some("encoding") => {
                let text = field.text().await.map_err(unreadable)?;
                options.encoding = Some(text).filter(|t| !t.trim().is_empty());
            }
            Some("on_match") => {
                let text = field.text().await.map_err(unreadable)?;
                options.on_match = on_match(&text).map_err(refuse)?;
            }
            Some("mapping") => {
                let text = field.text().await.map_err(unreadable)?;
                if !text.trim().is_empty() {
                    match serde_json::from_str::<serde_json::Value>(&text) {
                        Ok(serde_json::Value::Object(map)) => options.mapping = Some(map),
                        _ => {
                            return Err(refuse(Error::field("mapping", "invalid-type")));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let kind = match kind.as_deref().map(str::trim) {
        None | Some("") => return Err(refuse(Error::field("kind", "invalid-required"))),
        Some(text) => ImportKind::parse(text)
            .ok_or_else(|| refuse(Error::field("kind", "invalid-import-kind")))?,
    };
    let Some((name, bytes)) = file else {
        return Err(refuse(Error::field("file", "invalid-required")));
    };
    let import = state
        .app
        .upload_import(&caller.actor(), kind, &name, bytes, &options)
        .await
        .map_err(|e| ApiError::new(lang, e).into_response())?;
    let location = format!("/api/v1/imports/{}", import.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(response(lang, &import)),
    )
        .into_response())
}

/// Your imports (everyone's, for administrators), newest first.
#[utoipa::path(get, path = "/imports", tag = "imports", responses(
    (status = 200, body = ImportsResponse)
))]
pub async fn list_imports(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<ImportsResponse>, ApiError> {
    super::no_query(caller.lang, raw.as_deref())?;
    let imports = state
        .app
        .list_imports(&caller.actor())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(ImportsResponse {
        items: imports.iter().map(|i| response(caller.lang, i)).collect(),
    }))
}

/// An import: its status, counts, progress and the first rows with something to say.
#[utoipa::path(get, path = "/imports/{id}", tag = "imports", params(("id" = i64, Path)), responses(
    (status = 200, body = ImportResponse),
    (status = 404, description = "Absent, or another user's import", body = Problem, content_type = "application/problem+json")
))]
pub async fn get_import(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ImportResponse>, ApiError> {
    let import = state
        .app
        .get_import(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(response(caller.lang, &import)))
}

/// What rows matching a kept record do, as written (`refuse` when empty).
fn on_match(text: &str) -> Result<OnMatch, Error> {
    if text.trim().is_empty() {
        return Ok(OnMatch::default());
    }
    OnMatch::parse(text).ok_or_else(|| Error::field("on_match", "invalid-import-on-match"))
}

/// A new mapping for an import.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MappingRequest {
    /// `refuse`, `update` or `skip` (see the import's `on_match`); unchanged when absent.
    #[serde(default)]
    pub on_match: Option<String>,
    /// A header as written (or a column number counted from 1) → a field code
    /// (`first_name`, `emails`, `custom.<key>`…) or `null` to leave the column out; columns
    /// not named keep the field their header suggests.
    #[serde(default)]
    #[schema(value_type = Object, example = json!({"GSM": "phones", "Notlar": null}))]
    pub mapping: serde_json::Map<String, serde_json::Value>,
}

impl DocumentedBody for MappingRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<MappingRequest>)
    }
}

/// Map the file's columns again, or change what rows matching a kept record do; the
/// import is then to be checked again.
#[utoipa::path(put, path = "/imports/{id}/mapping", tag = "imports", params(("id" = i64, Path)),
    request_body = MappingRequest, responses(
    (status = 200, body = ImportResponse),
    (status = 404, description = "Absent, or another user's import", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Being checked or committed, or committed", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "An unknown column or field, a field twice, or the name left out", body = Problem, content_type = "application/problem+json")
))]
pub async fn map_import(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiBody(body): ApiBody<MappingRequest>,
) -> Result<Json<ImportResponse>, ApiError> {
    let on_match = body
        .on_match
        .as_deref()
        .map(on_match)
        .transpose()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let import = state
        .app
        .remap_import(&caller.actor(), id, &body.mapping, on_match)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(response(caller.lang, &import)))
}

/// Check every row (a dry run: nothing but the report is written). Errors in rows never
/// stop the check; each row gets all its messages.
#[utoipa::path(post, path = "/imports/{id}/check", tag = "imports", params(("id" = i64, Path)), responses(
    (status = 200, body = ImportResponse),
    (status = 404, description = "Absent, or another user's import", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Being checked or committed, or committed", body = Problem, content_type = "application/problem+json")
))]
pub async fn check_import(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ImportResponse>, ApiError> {
    let import = state
        .app
        .check_import(&caller.actor(), id, lexicon())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(response(caller.lang, &import)))
}

/// Create every row of a checked import, or none: one transaction, audited. Rows with
/// errors stop it unless `skip_errors=true` leaves them out. A second commit is refused
/// (409); so is one where records added since the check repeat rows (the import is then
/// `failed`, naming the line, and nothing is written).
#[utoipa::path(post, path = "/imports/{id}/commit", tag = "imports", params(
    ("id" = i64, Path),
    ("skip_errors" = Option<bool>, Query, description = "`true`: create the rows without errors and leave the others out (they stay in the report)"),
), responses(
    (status = 200, body = ImportResponse),
    (status = 404, description = "Absent, or another user's import", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Already committed, or rows repeat records added since the check", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Not checked, or rows with errors", body = Problem, content_type = "application/problem+json")
))]
pub async fn commit_import(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<ImportResponse>, ApiError> {
    let mut errors = rehber_web_core::query::QueryErrors::default();
    let params = rehber_web_core::query::QueryParams::parse(
        raw.as_deref(),
        &[&["skip_errors"]],
        &mut errors,
    );
    let skip_errors = params.boolean("skip_errors", &mut errors).unwrap_or(false);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let import = state
        .app
        .commit_import(&caller.actor(), id, lexicon(), skip_errors)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(response(caller.lang, &import)))
}

/// Undo a committed import within 7 days: its records not changed since go to the trash
/// (an administrator can restore them); changed ones are kept and counted.
#[utoipa::path(post, path = "/imports/{id}/undo", tag = "imports", params(("id" = i64, Path)), responses(
    (status = 200, body = ImportResponse),
    (status = 403, description = "A role that may not delete the records (an undo moves them to the trash)", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Absent, or another user's import", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Not committed (or undone already)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "More than 7 days after the commit", body = Problem, content_type = "application/problem+json")
))]
pub async fn undo_import(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ImportResponse>, ApiError> {
    let (
        import,
        UndoOutcome {
            trashed,
            restored,
            kept,
        },
    ) = state
        .app
        .undo_import(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let mut answer = response(caller.lang, &import);
    answer.undo = Some(UndoResponse {
        trashed,
        restored: (import.rows_updated > 0).then_some(restored),
        kept,
    });
    Ok(Json(answer))
}

/// The error report: every row the check had something to say about, errors first, with
/// its line, its original values and a last column of problems. Fix it in a spreadsheet
/// and import it again.
#[utoipa::path(get, path = "/imports/{id}/error-report", tag = "imports", params(
    ("id" = i64, Path),
    ("format" = Option<String>, Query, description = "`csv` (Excel set to Turkish: a byte-order mark and semicolons; the default) or `xlsx`"),
), responses(
    (status = 200, description = "The report", content_type = "text/csv"),
    (status = 404, description = "Absent, or another user's import", body = Problem, content_type = "application/problem+json")
))]
pub async fn import_error_report(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let lang = caller.lang;
    let mut errors = rehber_web_core::query::QueryErrors::default();
    let params =
        rehber_web_core::query::QueryParams::parse(raw.as_deref(), &[&["format"]], &mut errors);
    let format = params
        .text("format", 10, &mut errors)
        .unwrap_or_else(|| "csv".into());
    errors.into_result().map_err(|e| ApiError::new(lang, e))?;
    let xlsx = match format.as_str() {
        "csv" => false,
        "xlsx" => true,
        _ => {
            return Err(ApiError::new(
                lang,
                Error::field("format", "invalid-export-format"),
            ));
        }
    };
    let (import, table) = state
        .app
        .import_source(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(lang, e))?;
    let custom = state
        .app
        .custom_fields(Some(import.kind.record_type()), true)
        .await
        .map_err(|e| ApiError::new(lang, e))?;
    let sheet = error_report(lang, &table, (&import.report, &custom), false);
    let bytes = if xlsx {
        rehber_sheets::to_xlsx(&sheet)
    } else {
        rehber_sheets::to_csv(&sheet, rehber_sheets::CsvProfile::ExcelTurkish)
    }
    .map_err(|e| ApiError::new(lang, rehber_app::AppError::Internal(e.to_string())))?;
    let (content_type, extension) = if xlsx {
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        ("text/csv; charset=utf-8", "csv")
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"import-{id}-errors.{extension}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
