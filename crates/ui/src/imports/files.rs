//! The import's files: the upload (the kind, the encoding when the guess was wrong, the
//! file), and the rows with problems downloaded as CSV or XLSX.

use super::{index_page, refusal_text};
use crate::error::{UiError, UiResultExt, render};
use crate::paths::path_id;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use rehber_app::imports::{ImportOptions, OnMatch};
use rehber_domain::import::ImportKind;
use rehber_web_core::auth::SignedIn;
use rehber_web_core::imports::error_report;
use rehber_web_core::state::AppState;
use serde::Deserialize;

pub(super) async fn upload(
    State(state): State<AppState>,
    who: SignedIn,
    mut multipart: Multipart,
) -> Result<Response, UiError> {
    let lang = who.lang;
    let mut kind = String::new();
    let mut options = ImportOptions::default();
    let mut file = None;
    let mut broken = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                broken = true;
                break;
            }
        };
        match field.name() {
            Some("kind") => kind = field.text().await.unwrap_or_default(),
            Some("encoding") => {
                options.encoding = field.text().await.ok().filter(|t| !t.trim().is_empty());
            }
            Some("on_match") => {
                let text = field.text().await.unwrap_or_default();
                options.on_match = OnMatch::parse(&text).unwrap_or_default();
            }
            Some("file") => {
                // A form sent without a file chosen names none.
                let name = field.file_name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes)).filter(|(name, _)| !name.is_empty()),
                    Err(_) => broken = true,
                }
            }
            _ => {}
        }
    }
    let refuse = |text: String| async {
        let view = index_page(&state, &who, &kind, Some(text)).await?;
        Ok::<_, UiError>((StatusCode::UNPROCESSABLE_ENTITY, render(&view)).into_response())
    };
    if broken {
        return refuse(lang.t("invalid-import-too-large")).await;
    }
    let Some(import_kind) = ImportKind::parse(&kind) else {
        return refuse(lang.t("invalid-import-kind")).await;
    };
    let Some((name, bytes)) = file else {
        return refuse(lang.t("invalid-file-missing")).await;
    };
    match state
        .app
        .upload_import(&who.actor(), import_kind, &name, bytes, &options)
        .await
    {
        Ok(import) => Ok(Redirect::to(&format!("/imports/{}", import.id)).into_response()),
        Err(e) => match refusal_text(lang, &e) {
            Some(text) => refuse(text).await,
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ReportQuery {
    format: String,
}

/// The rows with problems as a file, in the reader's language.
pub(super) async fn report(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let (import, table) = state.app.import_source(&who.actor(), id).await.ui(&who)?;
    let custom = state
        .app
        .custom_fields(Some(import.kind.record_type()), true)
        .await
        .ui(&who)?;
    let sheet = error_report(who.lang, &table, (&import.report, &custom), false);
    let xlsx = query.format == "xlsx";
    let bytes = if xlsx {
        rehber_sheets::to_xlsx(&sheet)
    } else {
        rehber_sheets::to_csv(&sheet, rehber_sheets::CsvProfile::ExcelTurkish)
    }
    .map_err(|e| UiError::signed_in(&who, rehber_app::AppError::Internal(e.to_string())))?;
    let (content_type, extension) = if xlsx {
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        ("text/csv; charset=utf-8", "csv")
    };
    let name = format!("{}-{id}.{extension}", who.lang.t("import-report-file"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
