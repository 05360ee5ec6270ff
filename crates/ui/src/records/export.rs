//! A list page's "Dışa aktar": the people or company list as it is filtered and sorted,
//! every page of it, as a file (`rehber_web_core::export` writes it; the services check
//! who may and write the audit entry).

use super::pages::RecordPages;
use crate::error::{UiError, UiResultExt};
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use rehber_domain::Error;
use rehber_domain::access::RecordKind;
use rehber_web_core::auth::SignedIn;
use rehber_web_core::export::{ExportFormat, ExportKind, export_list};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;

/// The export of a kind's list, for the kinds that have one.
pub(crate) fn kind_of(kind: RecordKind) -> Option<ExportKind> {
    match kind {
        RecordKind::Person => Some(ExportKind::People),
        RecordKind::Company => Some(ExportKind::Companies),
        _ => None,
    }
}

pub(super) async fn export<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let Some(kind) = kind_of(K::ACCESS) else {
        return Err(UiError::not_found(&who));
    };
    let (mut request, problems) = super::list::list_request(who.lang, raw.as_deref());
    K::narrow(&mut request);
    if !problems.is_empty() {
        // The list page names what it could not read.
        return Ok(
            Redirect::to(&format!("{}?{}", K::BASE, raw.unwrap_or_default())).into_response(),
        );
    }
    let params = QueryParams::parse_lenient(raw.as_deref());
    let mut errors = QueryErrors::default();
    let format = params
        .text("format", 10, &mut errors)
        .unwrap_or_else(|| "xlsx".into());
    let profile = params.text("profile", 20, &mut errors);
    let Some(format) = ExportFormat::parse(&format, profile.as_deref()) else {
        return Err(UiError::signed_in(
            &who,
            Error::field("format", "invalid-export-format"),
        ));
    };
    let file = export_list(
        &state.app,
        who.lang,
        &who.actor(),
        kind,
        &request,
        format,
        raw.as_deref().unwrap_or_default(),
    )
    .await
    .ui(&who)?;
    Ok(file.into_response(format))
}
