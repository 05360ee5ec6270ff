//! "İYS'ye gönderilecek izinler", administrators only: the commercial permissions not yet
//! handed to İYS with the last business day it accepts each (overdue ones first in red),
//! the bulk file to upload (CSV or XLSX, downloaded through the API with the session, which
//! keeps what each file held), the form that marks the downloaded answers as uploaded, and
//! the holidays that move each year (the
//! rules: `rehber_app::iys`).

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::iys::IysQueue;
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;

/// The most rows the page shows; the file holds them all.
const SHOWN: usize = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/iys", get(show))
        .route("/admin/iys/sent", post(mark_sent))
        .route("/admin/iys/holidays", post(save_holidays))
}

/// One pending answer as the page lists it.
pub struct PendingRow {
    pub id: i64,
    pub person_href: String,
    pub person_name: String,
    pub channel: String,
    pub status: String,
    pub status_code: &'static str,
    pub source: String,
    pub address: String,
    pub given: String,
    pub recorded_by: String,
    pub deadline: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "admin/iys.html")]
struct IysPage {
    page: Page,
    rows: Vec<PendingRow>,
    /// Every pending answer, shown or not.
    total: usize,
    overdue: usize,
    through_id: Option<i64>,
    truncated: bool,
    holidays: String,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    marked: String,
    holidays_saved: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SentForm {
    through_id: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HolidaysForm {
    holidays: String,
}

fn rows(lang: Lang, queue: IysQueue) -> Vec<PendingRow> {
    let mut items = queue.items;
    // The overdue first, then by deadline: what needs doing today is on top.
    items.sort_by_key(|i| (!i.overdue, i.deadline, i.consent.id));
    items
        .into_iter()
        .map(|item| {
            let c = item.consent;
            let source_key = format!("consent-source-{}", c.source);
            PendingRow {
                id: c.id,
                person_href: format!("/people/{}", c.person_id.0),
                person_name: c.person_name,
                channel: lang.t(&format!("consent-channel-{}", c.channel.as_str())),
                status: lang.t(&format!("consent-status-{}", c.status.as_str())),
                status_code: c.status.as_str(),
                source: match lang.has(&source_key) {
                    true => format!("{} ({})", lang.t(&source_key), c.source),
                    false => c.source,
                },
                address: c.address,
                given: lang.datetime(c.given_at),
                recorded_by: c.recorded_by_name.unwrap_or_default(),
                deadline: lang.date(item.deadline),
                overdue: item.overdue,
            }
        })
        .collect()
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    notice: Option<String>,
    error: Option<String>,
    holidays_typed: Option<String>,
) -> Result<IysPage, UiError> {
    let actor = who.actor();
    let queue = state.app.iys_pending(&actor).await.ui(who)?;
    let holidays = match holidays_typed {
        Some(typed) => typed,
        None => state
            .app
            .iys_holidays(&actor)
            .await
            .ui(who)?
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let through_id = queue.through_id;
    let truncated = queue.truncated;
    let total = queue.items.len();
    let overdue = queue.items.iter().filter(|i| i.overdue).count();
    let mut rows = rows(who.lang, queue);
    rows.truncate(SHOWN);
    Ok(IysPage {
        page: Page::signed_in(who, "iys-title", "admin-iys"),
        total,
        overdue,
        rows,
        through_id,
        truncated,
        holidays,
        notice,
        error,
    })
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ShowQuery>,
) -> Result<Response, UiError> {
    // A notice the redirect asked for; anything else in the address is ignored.
    let marked = query.marked.parse::<u64>().ok();
    let notice = match (marked, query.holidays_saved == "1") {
        (Some(0), _) => Some(who.lang.t("iys-notice-none-marked")),
        (Some(count), _) => Some(
            who.lang
                .t_args("iys-notice-marked", &[("count", count.to_string())]),
        ),
        (None, true) => Some(who.lang.t("iys-notice-holidays")),
        (None, false) => None,
    };
    Ok(render(&page(&state, &who, notice, None, None).await?))
}

async fn mark_sent(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<SentForm>,
) -> Result<Response, UiError> {
    let Ok(through) = form.through_id.trim().parse::<i64>() else {
        let message = who.lang.t("iys-nothing-to-mark");
        let view = page(&state, &who, None, Some(message), None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)).into_response());
    };
    let marked = state
        .app
        .mark_iys_sent(&who.actor(), through)
        .await
        .ui(&who)?;
    Ok(Redirect::to(&format!("/admin/iys?marked={marked}")).into_response())
}

async fn save_holidays(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<HolidaysForm>,
) -> Result<Response, UiError> {
    match state
        .app
        .set_iys_holidays(&who.actor(), &form.holidays)
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/iys?holidays_saved=1").into_response()),
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let message = errors.into_values().next();
                let view = page(&state, &who, None, message, Some(form.holidays)).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}
