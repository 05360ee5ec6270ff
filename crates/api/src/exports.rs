//! Lists as files: `GET /people/export` and `GET /companies/export` take the list's own
//! parameters (its filters, search and sort) plus `format` and `profile`, and answer the
//! whole list as the caller sees it, as CSV or XLSX; `/settings/exports` says whether sales
//! reps may export. The work is `rehber_web_core::export`'s and `rehber_app::export`'s.
//! The handlers' names are the operations' ids in the OpenAPI document, so they carry the
//! word "export": `people` is already `GET /companies/{id}/people`, and links between
//! operations name them by id.

use super::extract::{ApiBody, DocumentedBody};
use super::records::schema_fields;
use super::wire::{ListParams, PeopleListParams};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use rehber_domain::Error;
use rehber_web_core::auth::ApiUser;
use rehber_web_core::export::{ExportFormat, ExportKind, export_list};
use rehber_web_core::list_params::Reading;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::{IntoParams, ToSchema};

/// How the list is written.
#[derive(Debug, Clone, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ExportParams {
    /// `csv` (the default) or `xlsx`.
    format: Option<String>,
    /// For CSV: `standard` (UTF-8, commas, a decimal point; the default) or `excel-tr`
    /// (a byte-order mark, semicolons and a decimal comma, as Excel set to Turkish reads it).
    profile: Option<String>,
}

async fn export(
    state: &AppState,
    caller: &ApiUser,
    kind: ExportKind,
    own: &[&str],
    raw: Option<&str>,
) -> Result<Response, ApiError> {
    let mut known = own.to_vec();
    known.extend(["format", "profile"]);
    let mut errors = QueryErrors::default();
    let request =
        rehber_web_core::list_params::read(raw, Reading::Strict { own: &known }, &mut errors);
    // Read again for the two names of its own: the strict reading has named any problem.
    let params = QueryParams::parse_lenient(raw);
    let format = params
        .text("format", 10, &mut errors)
        .unwrap_or_else(|| "csv".into());
    let profile = params.text("profile", 20, &mut errors);
    let format = ExportFormat::parse(&format, profile.as_deref());
    if format.is_none() {
        errors.invalid.add("format", "invalid-export-format");
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
    let file = export_list(
        &state.app,
        caller.lang,
        &caller.actor(),
        kind,
        &request,
        format,
        raw.unwrap_or_default(),
    )
    .await
    .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(file.into_response(format))
}

/// The people list as a file: every person the list with these parameters shows you (no
/// paging), as CSV or XLSX. Written to the audit log with the parameters and the row count.
#[utoipa::path(get, path = "/people/export", tag = "people",
    params(ListParams, PeopleListParams, ExportParams),
    responses(
        (status = 200, description = "The file (`text/csv` or XLSX), as an attachment"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Sales reps, unless an administrator allows them", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad parameter, or more than 100,000 rows", body = Problem, content_type = "application/problem+json")
    ))]
pub(super) async fn export_people(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    export(
        &state,
        &caller,
        ExportKind::People,
        &["company_id"],
        raw.as_deref(),
    )
    .await
}

/// The company list as a file, like the people list's.
#[utoipa::path(get, path = "/companies/export", tag = "companies",
    params(ListParams, ExportParams),
    responses(
        (status = 200, description = "The file (`text/csv` or XLSX), as an attachment"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Sales reps, unless an administrator allows them", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad parameter, or more than 100,000 rows", body = Problem, content_type = "application/problem+json")
    ))]
pub(super) async fn export_companies(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    export(&state, &caller, ExportKind::Companies, &[], raw.as_deref()).await
}

/// Who may export lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ExportSettings {
    /// Sales reps may export the lists they see (off unless an administrator turns it on;
    /// everyone else may).
    pub sales_reps_allowed: bool,
}

impl DocumentedBody for ExportSettings {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<ExportSettings>)
    }
}

/// Who may export lists.
#[utoipa::path(get, path = "/settings/exports", tag = "people", responses(
    (status = 200, body = ExportSettings)
))]
pub(super) async fn export_settings(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ExportSettings>, ApiError> {
    let allowed = state
        .app
        .reps_may_export()
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(ExportSettings {
        sales_reps_allowed: allowed,
    }))
}

/// Let sales reps export lists, or stop them (administrators).
#[utoipa::path(put, path = "/settings/exports", tag = "people", request_body = ExportSettings, responses(
    (status = 200, body = ExportSettings),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn put_export_settings(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<ExportSettings>,
) -> Result<Json<ExportSettings>, ApiError> {
    let allowed = body.0.sales_reps_allowed;
    state
        .app
        .set_reps_may_export(&caller.actor(), allowed)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(ExportSettings {
        sales_reps_allowed: allowed,
    }))
}
