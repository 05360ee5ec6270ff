//! The calendar: a month or a week of planned and logged activities and open tasks,
//! rendered on the server (no calendar script), for oneself, a colleague or everyone one may
//! see. A day's "+" opens that day in "Bugün", where a task is added; an entry links to the
//! record it concerns.

use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use crate::records::{Choice, directory};
use crate::tasks::link_href;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use jiff::civil::Date;
use jiff::{Span, ToSpan};
use rehber_app::calendar::Whose;
use rehber_domain::UserId;
use rehber_domain::access::RecordKind;
use rehber_domain::task::{Due, parse_date};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/calendar", get(calendar))
}

/// One entry in a day.
struct Entry {
    /// `HH:MM`, empty for an all-day entry or a task due some time that day.
    time: String,
    title: String,
    /// `activity-visit`, `task`, … for its colour.
    class: String,
    status: &'static str,
    href: String,
}

struct Day {
    number: i8,
    iso: String,
    label: String,
    in_range: bool,
    today: bool,
    entries: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "calendar/index.html")]
struct CalendarPage {
    page: Page,
    heading: String,
    month: bool,
    weekdays: Vec<String>,
    weeks: Vec<Vec<Day>>,
    previous: String,
    next: String,
    today: String,
    whose: Vec<Choice>,
    who: String,
    view: &'static str,
    date: String,
    truncated: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CalendarQuery {
    /// `month` (the default) or `week`.
    view: String,
    date: String,
    /// `me` (the default), `all`, or a user's id.
    who: String,
    /// A message to show (after planning an activity).
    notice: String,
}

fn monday_of(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(back.days()).unwrap_or(date)
}

fn month_name(lang: Lang, month: i8) -> String {
    lang.t(&format!("month-{month}"))
}

async fn calendar(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<CalendarQuery>,
) -> Result<Response, UiError> {
    let lang = who.lang;
    let actor = who.actor();
    let today = state.app.today();
    let date = parse_date(&query.date).unwrap_or(today);
    let month = query.view != "week";
    let (first, last, shown_first, shown_last) = if month {
        let first = date.first_of_month();
        let last = date.last_of_month();
        let start = monday_of(first);
        let end = monday_of(last).checked_add(6.days()).unwrap_or(last);
        (first, last, start, end)
    } else {
        let start = monday_of(date);
        let end = start.checked_add(6.days()).unwrap_or(start);
        (start, end, start, end)
    };
    let whose = match query.who.trim() {
        "all" => Whose::Everyone,
        "" | "me" => Whose::Me,
        other => other
            .parse()
            .ok()
            .map(|id| Whose::User(UserId(id)))
            .unwrap_or(Whose::Me),
    };
    let range = state
        .app
        .calendar_range(&actor, whose, shown_first, shown_last)
        .await
        .ui(&who)?;
    let zone = rehber_app::home_zone();
    let mut days: Vec<Day> = Vec::new();
    let mut day = shown_first;
    while day <= shown_last {
        days.push(Day {
            number: day.day(),
            iso: day.to_string(),
            label: lang.date(day),
            in_range: day >= first && day <= last,
            today: day == today,
            entries: Vec::new(),
        });
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    let count = days.len();
    let index = |date: Date| -> Option<usize> {
        let offset = (date - shown_first).get_days();
        usize::try_from(offset).ok().filter(|i| *i < count)
    };
    for activity in range.activities {
        let f = &activity.fields;
        let local = f.starts_at.to_zoned_datetime(zone.clone());
        let Some(i) = index(local.date()) else {
            continue;
        };
        let title = if f.subject.is_empty() {
            lang.t(&format!("activity-kind-{}", f.kind))
        } else {
            f.subject.clone()
        };
        days[i].entries.push(Entry {
            time: if f.all_day {
                String::new()
            } else {
                format!("{:02}:{:02}", local.hour(), local.minute())
            },
            title,
            class: format!("activity-{}", f.kind),
            status: f.status.as_str(),
            href: activity
                .links
                .first()
                .map(|l| link_href(l.link))
                .unwrap_or_default(),
        });
    }
    for task in range.tasks {
        let Some(due) = task.fields.due else { continue };
        let Some(i) = index(due.date(&zone)) else {
            continue;
        };
        days[i].entries.push(Entry {
            time: match due {
                Due::At(at) => {
                    let local = at.to_zoned_datetime(zone.clone());
                    format!("{:02}:{:02}", local.hour(), local.minute())
                }
                Due::Date(_) => String::new(),
            },
            title: task.fields.title,
            class: "task".to_string(),
            status: "open",
            href: format!("/today?date={}", due.date(&zone)),
        });
    }
    for day in &mut days {
        day.entries.sort_by(|a, b| a.time.cmp(&b.time));
    }
    let mut weeks = Vec::new();
    let mut rest = days.into_iter().peekable();
    while rest.peek().is_some() {
        weeks.push(rest.by_ref().take(7).collect::<Vec<_>>());
    }
    let step: Span = if month { 1.month() } else { 7.days() };
    let heading = if month {
        format!("{} {}", month_name(lang, first.month()), first.year())
    } else {
        format!("{} – {}", lang.date(first), lang.date(last))
    };
    let mut whose_choices = vec![
        Choice::new("me", lang.t("calendar-who-me")),
        Choice::new("all", lang.t("calendar-who-all")),
    ];
    if actor.role.can_reassign() {
        let directory = directory(&state, &who).await?;
        whose_choices.extend(
            directory
                .owner_choices(&actor, RecordKind::Task, None)
                .into_iter()
                .filter(|c| c.value != actor.user_id.to_string()),
        );
    }
    let view = if month { "month" } else { "week" };
    let page = CalendarPage {
        page: Page::signed_in(&who, "calendar-title", "calendar")
            .with_notice_key(Some(query.notice.as_str()).filter(|n| !n.is_empty())),
        heading,
        month,
        weekdays: (1..=7).map(|d| lang.t(&format!("weekday-{d}"))).collect(),
        weeks,
        previous: date.checked_sub(step).unwrap_or(date).to_string(),
        next: date.checked_add(step).unwrap_or(date).to_string(),
        today: today.to_string(),
        whose: whose_choices,
        // Only what the filter understood goes back into the links.
        who: match whose {
            Whose::Me => "me".to_string(),
            Whose::Everyone => "all".to_string(),
            Whose::User(user) => user.to_string(),
        },
        view,
        date: date.to_string(),
        truncated: range.truncated,
    };
    Ok(render(&page))
}
