//! The notification bell and page: the bell's unread count (fetched by htmx on every page
//! and refreshed when something new arrives), the list of the signed-in user's
//! notifications (unread ones marked, all or unread only), opening one (marks it read and
//! goes where it points), and marking one or all read.

use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use crate::paths::path_id;
use crate::tasks::safe_back;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::notifications::NotificationView;
use rehber_domain::comment::NotificationKind;
use rehber_web_core::auth::{SignedIn, redirect};
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;

/// Notifications one page lists.
const SHOWN: u32 = 30;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/count", get(count))
        .route("/notifications/read-all", post(read_all))
        .route("/notifications/{id}/open", get(open))
        .route("/notifications/{id}/read", post(read))
}

/// One notification as the page lists it.
struct Row {
    id: i64,
    kind: &'static str,
    text: String,
    excerpt: String,
    when: String,
    when_iso: String,
    unread: bool,
    /// Where opening it leads; empty when its subject is out of sight now.
    opens: bool,
}

fn row(lang: Lang, view: NotificationView) -> Row {
    let n = &view.notification;
    let actor = n.actor_name.clone().unwrap_or_default();
    let title = view
        .title
        .clone()
        .unwrap_or_else(|| lang.t("notification-hidden-record"));
    let text = match n.kind {
        NotificationKind::Mention => lang.t_args(
            "notification-mention",
            &[("actor", actor.clone()), ("title", title.clone())],
        ),
        NotificationKind::Assignment => lang.t_args(
            "notification-assignment",
            &[("actor", actor), ("title", title)],
        ),
        NotificationKind::Reminder => lang.t_args("notification-reminder", &[("title", title)]),
        NotificationKind::ExportReady => {
            lang.t_args("notification-export-ready", &[("title", title)])
        }
    };
    Row {
        id: n.id,
        kind: n.kind.as_str(),
        text,
        excerpt: view.excerpt.clone().unwrap_or_default(),
        when: lang.datetime(n.created_at),
        when_iso: n.created_at.to_string(),
        unread: n.read_at.is_none(),
        opens: view.path.is_some(),
    }
}

#[derive(Template)]
#[template(path = "notifications/index.html")]
struct ListPage {
    page: Page,
    rows: Vec<Row>,
    unread: i64,
    unread_only: bool,
    older: Option<String>,
    here: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    unread: String,
    cursor: String,
    notice: String,
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, UiError> {
    let unread_only = query.unread == "1" || query.unread == "true";
    let cursor = Some(query.cursor.as_str()).filter(|c| !c.is_empty());
    let found = state
        .app
        .notifications(&who.actor(), unread_only, cursor, SHOWN)
        .await
        .ui(&who)?;
    let filter = if unread_only { "unread=1&" } else { "" };
    let older = found
        .next_cursor
        .map(|c| format!("/notifications?{filter}cursor={c}"));
    let mut page = Page::signed_in(&who, "notifications-title", "notifications");
    page.notice = (query.notice == "notice-notifications-read").then(|| who.lang.t(&query.notice));
    let here = if unread_only {
        "/notifications?unread=1".to_string()
    } else {
        "/notifications".to_string()
    };
    Ok(render(&ListPage {
        page,
        rows: found.items.into_iter().map(|v| row(who.lang, v)).collect(),
        unread: found.unread,
        unread_only,
        older,
        here,
    }))
}

#[derive(Template)]
#[template(path = "notifications/count.html")]
struct Count {
    page: Page,
    unread: i64,
}

/// The bell's count, as a fragment.
async fn count(State(state): State<AppState>, who: SignedIn) -> Result<Response, UiError> {
    let unread = state
        .app
        .unread_notifications(&who.actor())
        .await
        .ui(&who)?;
    let page = Page::signed_in(&who, "notifications-title", "notifications");
    Ok(render(&Count { page, unread }))
}

/// Marks a notification read and goes to what it is about (the list when that is out of
/// sight now).
async fn open(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let actor = who.actor();
    state
        .app
        .mark_notification_read(&actor, id)
        .await
        .ui(&who)?;
    let target = state
        .app
        .notification_path(&actor, id)
        .await
        .ui(&who)?
        .unwrap_or_else(|| "/notifications".to_string());
    Ok(redirect(&headers, &target))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Back {
    back: String,
}

async fn read(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<Back>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    state
        .app
        .mark_notification_read(&who.actor(), id)
        .await
        .ui(&who)?;
    Ok(redirect(&headers, &safe_back(&form.back, "/notifications")))
}

async fn read_all(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Form(form): Form<Back>,
) -> Result<Response, UiError> {
    state
        .app
        .mark_all_notifications_read(&who.actor())
        .await
        .ui(&who)?;
    let back = safe_back(&form.back, "/notifications");
    let joiner = if back.contains('?') { '&' } else { '?' };
    Ok(redirect(
        &headers,
        &format!("{back}{joiner}notice=notice-notifications-read"),
    ))
}
