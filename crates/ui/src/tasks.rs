//! Tasks in the browser: the tasks list (filters, bulk complete and reassign), quick add,
//! and the done and snooze buttons that "Bugün" and the list share. Forms post and come back
//! to the page they were sent from.

use crate::error::{UiError, UiResultExt, field_messages, render};
use crate::page::Page;
use crate::records::{Choice, Directory, directory};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::TaskFilter;
use rehber_app::tasks::{BulkTaskAction, day_end, day_start};
use rehber_domain::access::RecordKind;
use rehber_domain::activity::{Link, StoredLink};
use rehber_domain::ids::TaskId;
use rehber_domain::task::{Due, Priority, Task, TaskInput, TaskStatus};
use rehber_domain::{Error, UserId};
use rehber_web_core::auth::{SignedIn, percent_encode, redirect};
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

/// Tasks one list page shows.
const PAGE: u32 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tasks", get(list).post(create))
        .route("/tasks/bulk", post(bulk))
        .route("/tasks/{id}/complete", post(complete))
        .route("/tasks/{id}/snooze", post(snooze))
        .merge(crate::today::router())
}

/// One task as "Bugün" and the list show it.
pub(crate) struct TaskRow {
    pub id: i64,
    pub title: String,
    pub notes: String,
    pub due: String,
    pub due_iso: String,
    pub overdue: bool,
    pub done: bool,
    pub priority: &'static str,
    pub priority_label: String,
    pub assignee: String,
    /// The records it concerns that the viewer can see: address and name.
    pub links: Vec<(String, String)>,
}

/// Where a linked record's page is.
pub(crate) fn link_href(link: Link) -> String {
    crate::paths::record_href(link)
}

/// The records these links name, titled where the viewer can see them.
pub(crate) fn link_rows(
    links: &[StoredLink],
    titles: &HashMap<Link, String>,
) -> Vec<(String, String)> {
    links
        .iter()
        .filter_map(|l| {
            titles
                .get(&l.link)
                .map(|title| (link_href(l.link), title.clone()))
        })
        .collect()
}

/// A due as a reader sees it: a date, or a date and time, in the home zone.
pub(crate) fn due_label(lang: Lang, due: Option<Due>) -> (String, String) {
    match due {
        None => (lang.t("task-no-due"), String::new()),
        Some(Due::Date(date)) => (lang.date(date), date.to_string()),
        Some(Due::At(at)) => (lang.datetime(at), at.to_string()),
    }
}

pub(crate) fn task_row(
    lang: Lang,
    task: Task,
    titles: &HashMap<Link, String>,
    directory: &Directory,
) -> TaskRow {
    let overdue = task.is_overdue(rehber_app::now(), &rehber_app::home_zone());
    let (due, due_iso) = due_label(lang, task.fields.due);
    TaskRow {
        id: task.id.0,
        overdue,
        done: task.fields.status == TaskStatus::Done,
        due,
        due_iso,
        priority: task.fields.priority.as_str(),
        priority_label: lang.t(&format!("task-priority-{}", task.fields.priority)),
        assignee: directory.user_name(task.fields.assignee_id),
        links: link_rows(&task.links, titles),
        title: task.fields.title,
        notes: task.fields.notes,
    }
}

/// The names of the records these links name that the viewer can see, in one read per
/// kind of record.
pub(crate) async fn link_titles(
    state: &AppState,
    who: &SignedIn,
    links: Vec<Link>,
) -> Result<HashMap<Link, String>, UiError> {
    state.app.link_titles(&who.actor(), &links).await.ui(who)
}

/// The links of these tasks.
pub(crate) fn task_links(tasks: &[Task]) -> Vec<Link> {
    tasks
        .iter()
        .flat_map(|t| t.links.iter().map(|l| l.link))
        .collect()
}

/// Rows for these tasks, their linked records named from `titles`.
pub(crate) fn task_rows(
    lang: Lang,
    tasks: Vec<Task>,
    titles: &HashMap<Link, String>,
    directory: &Directory,
) -> Vec<TaskRow> {
    tasks
        .into_iter()
        .map(|t| task_row(lang, t, titles, directory))
        .collect()
}

/// The quick-add form as typed, and its messages.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct NewTask {
    pub title: String,
    pub due_date: String,
    /// `HH:MM` in the home zone; with a date, the task is due then.
    pub due_time: String,
    pub priority: String,
    pub assignee_id: String,
    /// The page the form was sent from (`/today`, `/tasks?…`).
    pub back: String,
}

/// The quick-add form's choices, as typed, and its messages.
pub(crate) struct QuickAdd {
    pub typed: NewTask,
    pub errors: HashMap<String, String>,
    pub priorities: Vec<(&'static str, String)>,
    /// Empty when the actor can only give tasks to themselves.
    pub assignees: Vec<Choice>,
    pub me: String,
}

impl QuickAdd {
    pub fn new(
        who: &SignedIn,
        directory: &Directory,
        typed: NewTask,
        errors: HashMap<String, String>,
    ) -> QuickAdd {
        let actor = who.actor();
        let assignees = if actor.role.can_reassign() {
            directory.owner_choices(&actor, RecordKind::Task, None)
        } else {
            Vec::new()
        };
        QuickAdd {
            typed,
            errors,
            priorities: Priority::ALL
                .iter()
                .map(|p| (p.as_str(), who.lang.t(&format!("task-priority-{p}"))))
                .collect(),
            assignees,
            me: actor.user_id.to_string(),
        }
    }
}

/// A page to come back to: a local path only (never another site).
pub(crate) fn safe_back(back: &str, fallback: &str) -> String {
    let back = back.trim();
    if back.starts_with('/') && !back.starts_with("//") && !back.contains('\\') {
        back.to_string()
    } else {
        fallback.to_string()
    }
}

/// The service's input for the quick-add form: a time, when given, makes the date an
/// instant in the home zone.
fn task_input(typed: &NewTask, me: UserId) -> TaskInput {
    let date = typed.due_date.trim();
    let time = typed.due_time.trim();
    let (due_date, due_at) = if time.is_empty() || date.is_empty() {
        (date.to_string(), String::new())
    } else {
        (
            String::new(),
            crate::activities::local_to_instant(&format!("{date}T{time}")),
        )
    };
    TaskInput {
        title: typed.title.clone(),
        due_date,
        due_at,
        priority: typed.priority.clone(),
        assignee_id: Some(typed.assignee_id.trim().parse().unwrap_or(me.0)),
        ..TaskInput::default()
    }
}

async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Form(typed): Form<NewTask>,
) -> Result<Response, UiError> {
    let actor = who.actor();
    let back = safe_back(&typed.back, "/today");
    let result = state
        .app
        .create_task(&actor, &task_input(&typed, actor.user_id))
        .await;
    match result {
        Ok(_) => Ok(redirect(&headers, &with_notice(&back, "notice-task-saved"))),
        Err(e) => match e.domain() {
            Some(Error::Validation(errors)) => {
                let errors = field_messages(who.lang, errors);
                let status =
                    crate::records::form_status(&headers, StatusCode::UNPROCESSABLE_ENTITY);
                let page = if back.starts_with("/tasks") {
                    list_page(&state, &who, ListQuery::default(), typed, errors).await?
                } else {
                    crate::today::page(&state, &who, None, typed, errors).await?
                };
                Ok((status, page).into_response())
            }
            _ => Err(UiError::signed_in(&who, e)),
        },
    }
}

fn with_notice(back: &str, notice: &str) -> String {
    let (path, fragment) = back.split_once('#').unwrap_or((back, ""));
    let joiner = if path.contains('?') { '&' } else { '?' };
    let fragment = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    format!("{path}{joiner}notice={notice}{fragment}")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Back {
    back: String,
    days: String,
}

async fn complete(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<Back>,
) -> Result<Response, UiError> {
    let id = parse_task_id(&who, &id)?;
    state.app.complete_task(&who.actor(), id).await.ui(&who)?;
    let back = safe_back(&form.back, "/today");
    Ok(redirect(&headers, &with_notice(&back, "notice-task-done")))
}

async fn snooze(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<Back>,
) -> Result<Response, UiError> {
    let id = parse_task_id(&who, &id)?;
    let days = match form.days.trim() {
        "7" => 7,
        _ => 1,
    };
    state
        .app
        .snooze_task(&who.actor(), id, days)
        .await
        .ui(&who)?;
    let back = safe_back(&form.back, "/today");
    Ok(redirect(
        &headers,
        &with_notice(&back, "notice-task-snoozed"),
    ))
}

fn parse_task_id(who: &SignedIn, text: &str) -> Result<TaskId, UiError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(TaskId)
        .ok_or_else(|| UiError::signed_in(who, rehber_app::AppError::from(Error::NotFound)))
}

/// The list's filters, as the address carries them.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
pub(crate) struct ListQuery {
    /// `mine` (the default) or `all` (everything the viewer can see), or a user id.
    pub who: String,
    /// `open` (the default), `done` or `all`.
    pub status: String,
    /// `overdue`, `today`, `week` or empty (any).
    pub due: String,
    pub cursor: String,
    pub notice: String,
}

#[derive(Template)]
#[template(path = "tasks/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<TaskRow>,
    query: ListQuery,
    whos: Vec<Choice>,
    next: Option<String>,
    here: String,
    add: QuickAdd,
    can_write: bool,
    reassign_to: Vec<Choice>,
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, UiError> {
    list_page(&state, &who, query, NewTask::default(), HashMap::new()).await
}

async fn list_page(
    state: &AppState,
    who: &SignedIn,
    query: ListQuery,
    typed: NewTask,
    errors: HashMap<String, String>,
) -> Result<Response, UiError> {
    let actor = who.actor();
    let today = state.app.today();
    let start = day_start(today);
    let tomorrow = day_end(today);
    let week = today
        .checked_add(jiff::Span::new().days(7))
        .map(day_start)
        .unwrap_or(tomorrow);
    let assignee = match query.who.trim() {
        "all" => None,
        "" | "mine" => Some(actor.user_id),
        other => Some(other.parse().map(UserId).unwrap_or(actor.user_id)),
    };
    let status = match query.status.trim() {
        "all" => None,
        "done" => Some(TaskStatus::Done),
        _ => Some(TaskStatus::Open),
    };
    let (due_from, due_before) = match query.due.trim() {
        "overdue" => (None, Some(start)),
        "today" => (Some(start), Some(tomorrow)),
        "week" => (None, Some(week)),
        _ => (None, None),
    };
    let filter = TaskFilter {
        assignee,
        status,
        due_from,
        due_before,
        ..TaskFilter::default()
    };
    let cursor = Some(query.cursor.as_str()).filter(|c| !c.is_empty());
    let page = state
        .app
        .tasks(&actor, &filter, cursor, PAGE)
        .await
        .ui(who)?;
    let directory = directory(state, who).await?;
    let titles = link_titles(state, who, task_links(&page.items)).await?;
    let rows = task_rows(who.lang, page.items, &titles, &directory);
    let here = list_address(&query, "");
    let next = page.next_cursor.map(|c| list_address(&query, &c));
    let mut whos = vec![
        Choice::new("mine", who.lang.t("tasks-who-mine")),
        Choice::new("all", who.lang.t("tasks-who-all")),
    ];
    if actor.role.can_reassign() {
        whos.extend(directory.owner_choices(&actor, RecordKind::Task, None));
    }
    let reassign_to = directory.owner_choices(&actor, RecordKind::Task, None);
    let add = QuickAdd::new(who, &directory, typed, errors);
    let notice = Some(query.notice.as_str()).filter(|n| n.starts_with("notice-task"));
    let page = ListPage {
        page: Page::signed_in(who, "tasks-title", "tasks").with_notice_key(notice),
        rows,
        query,
        whos,
        next,
        here,
        add,
        can_write: actor.role.can_write(RecordKind::Task),
        reassign_to,
    };
    Ok(render(&page))
}

/// The list's address with these filters (and a cursor, when given).
fn list_address(query: &ListQuery, cursor: &str) -> String {
    let mut parts = Vec::new();
    for (name, value) in [
        ("who", query.who.as_str()),
        ("status", query.status.as_str()),
        ("due", query.due.as_str()),
        ("cursor", cursor),
    ] {
        if !value.trim().is_empty() {
            parts.push(format!("{name}={}", percent_encode(value.trim())));
        }
    }
    if parts.is_empty() {
        "/tasks".to_string()
    } else {
        format!("/tasks?{}", parts.join("&"))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BulkForm {
    ids: Vec<String>,
    action: String,
    assignee_id: String,
    back: String,
}

async fn bulk(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Form(form): Form<BulkForm>,
) -> Result<Response, UiError> {
    let ids: Vec<TaskId> = form
        .ids
        .iter()
        .filter_map(|id| id.trim().parse().ok().map(TaskId))
        .collect();
    let action = match (form.action.as_str(), form.assignee_id.trim().parse()) {
        ("reassign", Ok(user)) => BulkTaskAction::Reassign(UserId(user)),
        ("complete", _) => BulkTaskAction::Complete,
        _ => {
            return Err(UiError::signed_in(
                &who,
                rehber_app::AppError::from(Error::field("action", "invalid-unknown-value")),
            ));
        }
    };
    let changed = state
        .app
        .bulk_tasks(&who.actor(), &ids, action)
        .await
        .ui(&who)?;
    let back = safe_back(&form.back, "/tasks");
    let notice = if changed == ids.len() {
        "notice-tasks-changed"
    } else {
        "notice-tasks-some-changed"
    };
    Ok(redirect(&headers, &with_notice(&back, notice)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn only_local_pages_are_returned_to_and_notices_join_their_query() {
        assert_eq!(safe_back("/tasks?due=today", "/today"), "/tasks?due=today");
        assert_eq!(safe_back("//evil.example", "/today"), "/today");
        assert_eq!(safe_back("https://evil.example", "/today"), "/today");
        assert_eq!(safe_back("/\\evil", "/today"), "/today");
        assert_eq!(with_notice("/today", "n"), "/today?notice=n");
        assert_eq!(
            with_notice("/tasks?due=week#list", "n"),
            "/tasks?due=week&notice=n#list"
        );
    }

    #[test]
    fn a_time_makes_the_date_an_instant_in_istanbul() {
        let typed = NewTask {
            title: "Ara".into(),
            due_date: "2026-12-07".into(),
            due_time: "09:30".into(),
            ..NewTask::default()
        };
        let input = task_input(&typed, UserId(3));
        assert_eq!(
            (input.due_date.as_str(), input.due_at.as_str()),
            ("", "2026-12-07T06:30:00Z")
        );
        assert_eq!(input.assignee_id, Some(3));
        let dated = task_input(
            &NewTask {
                due_time: String::new(),
                ..typed
            },
            UserId(3),
        );
        assert_eq!(
            (dated.due_date.as_str(), dated.due_at.as_str()),
            ("2026-12-07", "")
        );
    }
}
