//! İYS hand-over, administrators only: `GET /api/v1/consents/iys-pending` lists the
//! commercial permissions not yet sent to İYS with the last business day it accepts each;
//! `…/iys-pending/file?format=csv|xlsx` is İYS's bulk file of them; `POST
//! …/iys-pending/sent` marks the answers of a file as uploaded; `GET/PUT /settings/iys`
//! lists the holidays that move each year (the rules: `rehber_app::iys`).

use super::extract::{ApiBody, DocumentedBody};
use super::records::schema_fields;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderValue;
use axum::response::Response;
use rehber_app::AppError;
use rehber_app::iys::{IysFormat, IysItem};
use rehber_domain::Error;
use rehber_sheets::CsvProfile;
use rehber_web_core::auth::{ApiOrSessionUser, ApiUser};
use rehber_web_core::export::{ExportFile, ExportFormat};
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::{IntoParams, ToSchema};

/// The header that names the highest id a bulk file holds.
pub const THROUGH_ID_HEADER: &str = "x-rehber-iys-through-id";
/// The header that names the file as kept: marking it marks exactly its answers.
pub const FILE_ID_HEADER: &str = "x-rehber-iys-file-id";

/// A commercial permission not yet sent to İYS.
#[derive(Debug, Serialize, ToSchema)]
pub struct IysPendingResponse {
    /// The consent's id.
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    /// `email`, `sms` or `call`.
    pub channel: String,
    /// The channel as İYS names it: `EPOSTA`, `MESAJ` or `ARAMA`.
    pub iys_type: String,
    /// `granted` or `denied`.
    pub status: String,
    pub source: String,
    /// The e-mail address or E.164 phone.
    pub address: String,
    /// RFC 3339, UTC.
    pub given_at: String,
    /// RFC 3339, UTC.
    pub recorded_at: String,
    pub recorded_by_name: Option<String>,
    /// The last day İYS accepts it (three business days after it was given), `YYYY-MM-DD`.
    pub deadline: String,
    /// The deadline has passed.
    pub overdue: bool,
}

impl From<IysItem> for IysPendingResponse {
    fn from(item: IysItem) -> Self {
        let c = item.consent;
        IysPendingResponse {
            id: c.id,
            person_id: c.person_id.0,
            person_name: c.person_name,
            channel: c.channel.as_str().into(),
            iys_type: c.channel.iys_name().into(),
            status: c.status.as_str().into(),
            source: c.source,
            address: c.address,
            given_at: c.given_at.to_string(),
            recorded_at: c.recorded_at.to_string(),
            recorded_by_name: c.recorded_by_name,
            deadline: item.deadline.to_string(),
            overdue: item.overdue,
        }
    }
}

/// The permissions still to send, oldest recorded first.
#[derive(Debug, Serialize, ToSchema)]
pub struct IysPendingList {
    pub items: Vec<IysPendingResponse>,
    /// The highest id listed; `POST /consents/iys-pending/sent` with it marks exactly these.
    pub through_id: Option<i64>,
    /// More are pending than one list holds (50,000); mark these sent to see the rest.
    pub truncated: bool,
}

/// The answers of an uploaded file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IysSentRequest {
    /// The uploaded file (its `x-rehber-iys-file-id` header): exactly its answers are
    /// marked.
    #[serde(default)]
    pub file_id: Option<i64>,
    /// Or the highest id of the uploaded file (its `x-rehber-iys-through-id` header, or the
    /// list's `through_id`): the answers up to it that a downloaded file held are marked.
    #[serde(default)]
    pub through_id: Option<i64>,
}

impl DocumentedBody for IysSentRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<IysSentRequest>)
    }
}

/// How many answers were marked as sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct IysSentResponse {
    pub marked: u64,
}

/// The holidays İYS's deadlines skip besides weekends and the fixed public holidays.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IysSettings {
    /// Dates as `YYYY-MM-DD`: the religious holidays, which move every year.
    #[schema(example = json!(["2026-05-26", "2026-05-27"]))]
    pub holidays: Vec<String>,
}

impl DocumentedBody for IysSettings {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<IysSettings>)
    }
}

/// The file's format.
#[derive(Debug, Clone, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct IysFileParams {
    /// `csv` (the default; UTF-8, commas) or `xlsx`.
    format: Option<String>,
}

/// The commercial permissions not yet sent to İYS (administrators).
#[utoipa::path(get, path = "/consents/iys-pending", tag = "consents", responses(
    (status = 200, body = IysPendingList),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list_iys_pending(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<IysPendingList>, ApiError> {
    let queue = state
        .app
        .iys_pending(&caller.actor())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(IysPendingList {
        through_id: queue.through_id,
        truncated: queue.truncated,
        items: queue.items.into_iter().map(Into::into).collect(),
    }))
}

/// İYS's bulk file of the pending permissions (administrators; the page downloads it with
/// the browser's session): the columns `type`, `source`, `recipient`, `status`,
/// `consentDate` (Turkey's time) and `recipientType`, the oldest given first. The header
/// `x-rehber-iys-through-id` names the highest id it holds, `x-rehber-iys-file-id` the file
/// as kept (which answers it held). Written to the audit log; nothing is marked as sent.
#[utoipa::path(get, path = "/consents/iys-pending/file", tag = "consents", params(IysFileParams), responses(
    (status = 200, description = "The file (`text/csv` or XLSX), as an attachment"),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "An unknown format", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn download_iys_pending_file(
    State(state): State<AppState>,
    ApiOrSessionUser(caller): ApiOrSessionUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let fail = |e: AppError| ApiError::new(caller.lang, e);
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(raw.as_deref(), &[&["format"]], &mut errors);
    let format = params
        .text("format", 10, &mut errors)
        .unwrap_or_else(|| "csv".into());
    let format = IysFormat::parse(&format);
    if format.is_none() {
        errors.invalid.add("format", "invalid-export-format");
    }
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let Some(format) = format else {
        return Err(fail(Error::field("format", "invalid-export-format").into()));
    };
    let file = state
        .app
        .iys_file(&caller.actor(), format)
        .await
        .map_err(fail)?;
    // Written like a list export, with the highest id it holds besides.
    let as_export = match format {
        IysFormat::Csv => ExportFormat::Csv(CsvProfile::Standard),
        IysFormat::Xlsx => ExportFormat::Xlsx,
    };
    let mut response = ExportFile {
        bytes: file.bytes,
        file_name: file.name,
        rows: file.rows,
    }
    .into_response(as_export);
    if let Some(through) = file.through_id {
        response
            .headers_mut()
            .insert(THROUGH_ID_HEADER, HeaderValue::from(through));
    }
    response
        .headers_mut()
        .insert(FILE_ID_HEADER, HeaderValue::from(file.file_id));
    Ok(response)
}

/// Mark the permissions of a downloaded file as uploaded to İYS (administrators): exactly
/// those of `file_id`, or those up to `through_id` that a downloaded file held. One recorded
/// after the file was made stays pending.
#[utoipa::path(post, path = "/consents/iys-pending/sent", tag = "consents", request_body = IysSentRequest, responses(
    (status = 200, body = IysSentResponse),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such file", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn mark_iys_sent(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<IysSentRequest>,
) -> Result<Json<IysSentResponse>, ApiError> {
    let fail = |e: AppError| ApiError::new(caller.lang, e);
    let IysSentRequest {
        file_id,
        through_id,
    } = body.0;
    for (field, id) in [("file_id", file_id), ("through_id", through_id)] {
        if id.is_some_and(|id| id < 1) {
            return Err(fail(Error::field(field, "invalid-number").into()));
        }
    }
    let marked = match (file_id, through_id) {
        (Some(file), _) => state.app.mark_iys_file_sent(&caller.actor(), file).await,
        (None, Some(through)) => state.app.mark_iys_sent(&caller.actor(), through).await,
        (None, None) => Err(Error::field("file_id", "invalid-required").into()),
    }
    .map_err(fail)?;
    Ok(Json(IysSentResponse { marked }))
}

/// The holidays İYS deadlines skip (administrators).
#[utoipa::path(get, path = "/settings/iys", tag = "consents", responses(
    (status = 200, body = IysSettings),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn iys_settings(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<IysSettings>, ApiError> {
    let days = state
        .app
        .iys_holidays(&caller.actor())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(IysSettings {
        holidays: days.iter().map(ToString::to_string).collect(),
    }))
}

/// Replace the list of holidays (administrators).
#[utoipa::path(put, path = "/settings/iys", tag = "consents", request_body = IysSettings, responses(
    (status = 200, body = IysSettings),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A date that does not read, or more than 200", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn put_iys_settings(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<IysSettings>,
) -> Result<Json<IysSettings>, ApiError> {
    let days = state
        .app
        .set_iys_holidays(&caller.actor(), &body.0.holidays.join(","))
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(IysSettings {
        holidays: days.iter().map(ToString::to_string).collect(),
    }))
}
