//! "Kişisel veri talepleri" of one person (KVKK article 11), administrators only: the
//! exports of what Rehber holds about them (asked for, followed, downloaded) and the
//! erasure, previewed in full (anonymised, deleted, redacted, retained with its basis, what
//! stops it) and run once the administrator types the person's name (the rules:
//! `rehber_app::privacy`).

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::paths::path_id;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::privacy::{ErasurePlan, retention_basis};
use rehber_domain::PersonId;
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/privacy", get(show))
        .route("/people/{id}/privacy/export", post(export))
        .route("/people/{id}/privacy/erase", post(erase))
}

/// One request as the page lists it.
pub struct RequestRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub requested: String,
    pub due: String,
    pub download: Option<String>,
}

/// One line of the preview: what, how many or which.
pub struct PlanLine {
    pub label: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "people/privacy.html")]
struct PrivacyPage {
    page: Page,
    person_id: i64,
    name: String,
    erased: bool,
    allowed: bool,
    requests: Vec<RequestRow>,
    deleted: Vec<PlanLine>,
    redacted: Vec<PlanLine>,
    retained: Vec<PlanLine>,
    blockers: Vec<PlanLine>,
    same_contact: Vec<i64>,
    /// Ledger entries kept and consents hashed, as sentences.
    kept_lines: Vec<String>,
    confirm_label: String,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EraseForm {
    confirm: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    notice: String,
}

fn time(lang: Lang, micros: i64) -> String {
    jiff::Timestamp::from_microsecond(micros)
        .map(|t| lang.datetime(t))
        .unwrap_or_default()
}

fn document(lang: Lang, kind: &str, number: Option<&str>, id: i64) -> String {
    let name = lang.t(&format!("privacy-document-{kind}"));
    match number {
        Some(number) => format!("{name} {number}"),
        None => format!("{name} #{id}"),
    }
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    id: i64,
    notice: Option<String>,
    error: Option<String>,
) -> Result<PrivacyPage, UiError> {
    let actor = who.actor();
    let lang = who.lang;
    let plan: ErasurePlan = state
        .app
        .erasure_preview(&actor, PersonId(id))
        .await
        .ui(who)?;
    let requests = state
        .app
        .data_requests(&actor, Some(PersonId(id)))
        .await
        .ui(who)?
        .into_iter()
        .map(|r| RequestRow {
            id: r.id,
            kind: lang.t(&format!("privacy-kind-{}", r.kind)),
            status: lang.t(&format!("privacy-status-{}", r.status)),
            requested: time(lang, r.requested_at),
            due: time(lang, r.due_at),
            download: (r.status == "done" && r.file_key.is_some())
                .then(|| format!("/api/v1/data-requests/{}/file", r.id)),
        })
        .collect();
    let f = plan.findings;
    let deleted = f
        .deleted
        .iter()
        .map(|(kind, count)| PlanLine {
            label: lang.t(&format!("privacy-deleted-{kind}")),
            detail: count.to_string(),
        })
        .collect();
    let redacted = f
        .redacted
        .iter()
        .map(|r| PlanLine {
            label: format!(
                "{}.{}{}",
                r.table,
                r.column,
                r.record_id.map(|id| format!(" #{id}")).unwrap_or_default()
            ),
            detail: r.after.clone(),
        })
        .collect();
    let retained = f
        .retained
        .iter()
        .map(|r| PlanLine {
            label: document(lang, &r.kind, r.number.as_deref(), r.id),
            detail: lang.t(&format!("privacy-{}", retention_basis(&r.kind))),
        })
        .collect();
    let blockers = f
        .blockers
        .iter()
        .map(|b| PlanLine {
            label: document(lang, &b.kind, b.number.as_deref(), b.id),
            detail: lang.t(&format!("privacy-blocker-{}", b.kind)),
        })
        .collect();
    Ok(PrivacyPage {
        page: Page::signed_in(who, "privacy-title", "people"),
        person_id: id,
        name: plan.name.clone(),
        erased: plan.erased,
        allowed: f.blockers.is_empty(),
        requests,
        deleted,
        redacted,
        retained,
        blockers,
        same_contact: f.same_contact,
        kept_lines: [
            ("privacy-ledger-entries", f.ledger_entries),
            ("privacy-consents-hashed", f.consents_hashed),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(key, n)| lang.t_args(key, &[("count", n.to_string())]))
        .collect(),
        confirm_label: lang.t_args("privacy-confirm", &[("name", plan.name.clone())]),
        notice,
        error,
    })
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<ShowQuery>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let notice = ["notice-export-queued", "notice-erased"]
        .contains(&query.notice.as_str())
        .then(|| who.lang.t(&format!("privacy-{}", query.notice)));
    Ok(render(&page(&state, &who, id, notice, None).await?))
}

async fn export(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    state
        .app
        .request_data_export(&who.actor(), PersonId(id))
        .await
        .ui(&who)?;
    Ok(Redirect::to(&format!("/people/{id}/privacy?notice=notice-export-queued")).into_response())
}

async fn erase(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<EraseForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let actor = who.actor();
    let plan = state
        .app
        .erasure_preview(&actor, PersonId(id))
        .await
        .ui(&who)?;
    if form.confirm.trim() != plan.name.trim() {
        let message = who.lang.t("privacy-confirm-mismatch");
        let view = page(&state, &who, id, None, Some(message)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)).into_response());
    }
    match state.app.erase_person(&actor, PersonId(id)).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/people/{id}/privacy?notice=notice-erased")).into_response())
        }
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let message = errors.into_values().next();
                let view = page(&state, &who, id, None, message).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}
