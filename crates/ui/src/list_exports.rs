//! "Dışa aktarımlarım": the lists a user asked to export in the background, newest first,
//! each with where its job is and, once done, the file to download for a day; and the form
//! of a long list's export menu that asks for one (the rules: `rehber_app::list_exports`).

use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use rehber_app::list_exports::ListExport;
use rehber_domain::Error;
use rehber_web_core::auth::SignedIn;
use rehber_web_core::export::ExportFormat;
use rehber_web_core::i18n::Lang;
use rehber_web_core::list_params::{self, Reading};
use rehber_web_core::query::QueryErrors;
use rehber_web_core::state::AppState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/exports", get(show).post(request))
}

/// One export as the page lists it.
pub struct ExportRow {
    pub id: i64,
    pub kind: String,
    pub format: String,
    /// `queued`, `running`, `done`, `failed` or `expired`.
    pub status: &'static str,
    pub status_label: String,
    pub requested: String,
    pub rows: String,
    pub file_name: String,
    pub download: Option<String>,
    pub failure: Option<String>,
    /// The list it was taken from, with its filters.
    pub list_href: String,
}

#[derive(Template)]
#[template(path = "exports/index.html")]
struct ExportsPage {
    page: Page,
    rows: Vec<ExportRow>,
    notice: Option<String>,
    /// Some export is still being written: the page looks again shortly.
    pending: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    notice: String,
}

fn row(lang: Lang, e: ListExport) -> ExportRow {
    let status: &'static str = match e.status.as_str() {
        "queued" => "queued",
        "running" => "running",
        "done" => "done",
        "failed" => "failed",
        _ => "expired",
    };
    let base = if e.record_type == "company" {
        "/companies"
    } else {
        "/people"
    };
    let requested = jiff::Timestamp::from_microsecond(e.requested_at)
        .map(|t| lang.datetime(t))
        .unwrap_or_default();
    ExportRow {
        id: e.id,
        kind: lang.t(if e.record_type == "company" {
            "companies-title"
        } else {
            "people-title"
        }),
        format: lang.t(match e.format.as_str() {
            "xlsx" => "export-xlsx",
            "csv excel-tr" => "export-excel-tr",
            _ => "export-csv",
        }),
        status,
        status_label: lang.t(&format!("exports-status-{status}")),
        requested,
        rows: e.row_count.map(|n| lang.number(n)).unwrap_or_default(),
        file_name: e.file_name.clone().unwrap_or_default(),
        download: (status == "done" && e.file_key.is_some())
            .then(|| format!("/api/v1/exports/{}/file", e.id)),
        failure: e.failure.map(|code| lang.t(&code)),
        list_href: if e.query.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", e.query)
        },
    }
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ShowQuery>,
) -> Result<Response, UiError> {
    let exports = state.app.list_exports(&who.actor()).await.ui(&who)?;
    let rows: Vec<ExportRow> = exports.into_iter().map(|e| row(who.lang, e)).collect();
    let pending = rows
        .iter()
        .any(|r| matches!(r.status, "queued" | "running"));
    let notice = (query.notice == "export-queued").then(|| who.lang.t("exports-queued"));
    Ok(render(&ExportsPage {
        page: Page::signed_in(&who, "exports-title", ""),
        rows,
        notice,
        pending,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RequestForm {
    record_type: String,
    format: String,
    query: String,
}

/// A long list's export menu: the export is queued and the page of exports says so.
async fn request(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<RequestForm>,
) -> Result<Response, UiError> {
    let (record_type, base): (&'static str, &str) = match form.record_type.as_str() {
        "company" => ("company", "/companies"),
        "person" => ("person", "/people"),
        _ => return Err(UiError::not_found(&who)),
    };
    let format = match form.format.as_str() {
        "excel-tr" => ExportFormat::parse("csv", Some("excel-tr")),
        other => ExportFormat::parse(other, None),
    };
    let Some(format) = format else {
        return Err(UiError::signed_in(
            &who,
            Error::field("format", "invalid-export-format"),
        ));
    };
    let query = form.query.trim().trim_start_matches('?');
    let mut errors = QueryErrors::default();
    list_params::read(Some(query), Reading::Lenient, &mut errors);
    if errors.into_result().is_err() || query.len() > 4_000 {
        // The list page names what it could not read.
        return Ok(Redirect::to(&format!("{base}?{query}")).into_response());
    }
    state
        .app
        .request_list_export(
            &who.actor(),
            record_type,
            format.label(),
            query,
            who.lang.code(),
        )
        .await
        .ui(&who)?;
    Ok(Redirect::to("/exports?notice=export-queued").into_response())
}
