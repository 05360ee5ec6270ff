//! "Bugün" (my day): the signed-in user's overdue tasks (highlighted), the day's tasks and
//! planned activities in time order, with done and snooze buttons and a quick-add form. The
//! home page of sales reps; any day can be looked at (`/today?date=2026-12-07`).

use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use crate::records::directory;
use crate::tasks::{NewTask, QuickAdd, TaskRow, link_rows, link_titles, task_links, task_rows};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use rehber_domain::activity::{Activity, Link};
use rehber_domain::task::{Date, parse_date};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/today", get(today))
}

/// A planned activity as the day lists it.
struct PlannedRow {
    kind: &'static str,
    kind_label: String,
    subject: String,
    time: String,
    when_iso: String,
    location: String,
    links: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "today/index.html")]
struct TodayPage {
    page: Page,
    heading: String,
    is_today: bool,
    previous: String,
    next: String,
    overdue: Vec<TaskRow>,
    more_overdue: bool,
    tasks: Vec<TaskRow>,
    activities: Vec<PlannedRow>,
    add: QuickAdd,
    here: String,
    can_write: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TodayQuery {
    date: String,
    notice: String,
}

async fn today(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<TodayQuery>,
) -> Result<Response, UiError> {
    let date = parse_date(&query.date);
    let notice = Some(query.notice.as_str()).filter(|n| n.starts_with("notice-task"));
    let mut page = page_of(&state, &who, date, NewTask::default(), HashMap::new()).await?;
    page.page = page.page.with_notice_key(notice);
    Ok(render(&page))
}

/// The day's page, the quick-add form as typed with its messages.
pub(crate) async fn page(
    state: &AppState,
    who: &SignedIn,
    date: Option<Date>,
    typed: NewTask,
    errors: HashMap<String, String>,
) -> Result<Response, UiError> {
    Ok(render(&page_of(state, who, date, typed, errors).await?))
}

async fn page_of(
    state: &AppState,
    who: &SignedIn,
    date: Option<Date>,
    mut typed: NewTask,
    errors: HashMap<String, String>,
) -> Result<TodayPage, UiError> {
    let lang = who.lang;
    let actor = who.actor();
    let today = state.app.today();
    let date = date.unwrap_or(today);
    let agenda = state.app.agenda(&actor, date).await.ui(who)?;
    let directory = directory(state, who).await?;
    // The records of every entry of the day named in one read per kind.
    let mut links = task_links(&agenda.overdue);
    links.extend(task_links(&agenda.tasks));
    links.extend(
        agenda
            .activities
            .iter()
            .flat_map(|a| a.links.iter().map(|l| l.link)),
    );
    let titles = link_titles(state, who, links).await?;
    let activities = agenda
        .activities
        .into_iter()
        .map(|a| planned_row(lang, a, &titles))
        .collect();
    let here = if date == today {
        "/today".to_string()
    } else {
        format!("/today?date={date}")
    };
    if typed.due_date.is_empty() {
        typed.due_date = date.to_string();
    }
    Ok(TodayPage {
        page: Page::signed_in(who, "today-title", "today"),
        heading: day_heading(lang, date),
        is_today: date == today,
        previous: date.yesterday().map(|d| d.to_string()).unwrap_or_default(),
        next: date.tomorrow().map(|d| d.to_string()).unwrap_or_default(),
        overdue: task_rows(lang, agenda.overdue, &titles, &directory),
        more_overdue: agenda.more_overdue,
        tasks: task_rows(lang, agenda.tasks, &titles, &directory),
        activities,
        add: QuickAdd::new(who, &directory, typed, errors),
        here,
        can_write: actor
            .role
            .can_write(rehber_domain::access::RecordKind::Task),
    })
}

/// `Cuma, 04.12.2026` / `Friday, 4 Dec 2026`.
fn day_heading(lang: Lang, date: Date) -> String {
    let weekday = date.weekday().to_monday_one_offset();
    format!(
        "{}, {}",
        lang.t(&format!("weekday-{weekday}")),
        lang.date(date)
    )
}

fn planned_row(lang: Lang, activity: Activity, titles: &HashMap<Link, String>) -> PlannedRow {
    let f = activity.fields;
    let local = f.starts_at.to_zoned_datetime(rehber_app::home_zone());
    PlannedRow {
        kind: f.kind.as_str(),
        kind_label: lang.t(&format!("activity-kind-{}", f.kind)),
        subject: f.subject,
        time: if f.all_day {
            lang.t("today-all-day")
        } else {
            format!("{:02}:{:02}", local.hour(), local.minute())
        },
        when_iso: f.starts_at.to_string(),
        location: f.location,
        links: link_rows(&activity.links, titles),
    }
}
