//! Planning an activity from the calendar: a click on a day's empty space (or its "+")
//! opens `/calendar/new?date=…` with the day filled in; the form picks the person or
//! company it concerns by a search as you type (only records the user may see), and the
//! planned activity then shows in the calendar, on "Bugün" and on the record's timeline.

use crate::activities::local_to_instant;
use crate::error::{UiError, UiResultExt, field_messages, render};
use crate::page::Page;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use rehber_domain::Error;
use rehber_domain::activity::{ActivityInput, ActivityKind};
use rehber_domain::task::parse_date;
use rehber_web_core::auth::{SignedIn, redirect};
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

/// How many records of each kind the picker offers.
const PICKS: u32 = 6;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calendar/new", get(form).post(plan))
        .route("/calendar/records", get(records))
}

/// The form as typed.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
struct Typed {
    kind: String,
    /// `datetime-local`, in Rehber's home zone.
    starts_at: String,
    subject: String,
    body: String,
    location: String,
    /// `person:12` or `company:3`.
    record: String,
    /// The picked record's name, shown again after a refusal.
    record_name: String,
}

#[derive(Template)]
#[template(path = "calendar/new.html")]
struct PlanPage {
    page: Page,
    typed: Typed,
    kinds: Vec<(&'static str, String)>,
    errors: HashMap<String, String>,
    /// Where "back" goes: the calendar's week of that day.
    back: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewQuery {
    date: String,
    time: String,
}

fn kinds(lang: rehber_web_core::i18n::Lang) -> Vec<(&'static str, String)> {
    [
        ActivityKind::Meeting,
        ActivityKind::Visit,
        ActivityKind::Call,
        ActivityKind::Email,
        ActivityKind::Sms,
        ActivityKind::Note,
    ]
    .iter()
    .map(|k| (k.as_str(), lang.t(&format!("activity-kind-{k}"))))
    .collect()
}

fn back_to(date: &str) -> String {
    match parse_date(date) {
        Some(day) => format!("/calendar?view=week&date={day}"),
        None => "/calendar".to_string(),
    }
}

async fn form(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NewQuery>,
) -> Response {
    let date = parse_date(&query.date).unwrap_or_else(|| state.app.today());
    let time = if query.time.len() == 5 && query.time.as_bytes()[2] == b':' {
        query.time.clone()
    } else {
        "09:00".to_string()
    };
    let typed = Typed {
        kind: ActivityKind::Meeting.as_str().to_string(),
        starts_at: format!("{date}T{time}"),
        ..Typed::default()
    };
    render(&PlanPage {
        page: Page::signed_in(&who, "calendar-plan-title", "calendar"),
        typed,
        kinds: kinds(who.lang),
        errors: HashMap::new(),
        back: back_to(&date.to_string()),
    })
}

async fn plan(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Form(typed): Form<Typed>,
) -> Result<Response, UiError> {
    let lang = who.lang;
    let mut errors = HashMap::new();
    let link = typed
        .record
        .split_once(':')
        .and_then(|(kind, id)| Some((kind.to_string(), id.parse::<i64>().ok()?)));
    if link.is_none() {
        errors.insert(
            "record".to_string(),
            lang.t("calendar-plan-record-required"),
        );
    }
    let day = typed.starts_at.get(..10).unwrap_or("").to_string();
    if errors.is_empty() {
        let input = ActivityInput {
            kind: typed.kind.clone(),
            status: "planned".into(),
            subject: typed.subject.clone(),
            body: typed.body.clone(),
            location: typed.location.clone(),
            starts_at: local_to_instant(&typed.starts_at),
            links: link.into_iter().collect(),
            ..ActivityInput::default()
        };
        match state.app.create_activity(&who.actor(), &input).await {
            Ok(_) => {
                let target = format!("{}&notice=notice-activity-planned", back_to(&day));
                return Ok(redirect(&headers, &target));
            }
            Err(e) => match e.domain() {
                Some(Error::Validation(fields)) => {
                    for (field, message) in field_messages(lang, fields) {
                        let field = if field.starts_with("links") {
                            "record".to_string()
                        } else {
                            field
                        };
                        errors.insert(field, message);
                    }
                }
                _ => return Err(UiError::signed_in(&who, e)),
            },
        }
    }
    let page = PlanPage {
        page: Page::signed_in(&who, "calendar-plan-title", "calendar"),
        kinds: kinds(lang),
        errors,
        back: back_to(&day),
        typed,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

/// A found record the picker offers: `person:12`, its name and what it is.
struct Pick {
    value: String,
    title: String,
    subtitle: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "calendar/records.html")]
struct Picks {
    page: Page,
    picks: Vec<Pick>,
    searched: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RecordQuery {
    /// What is typed in the picker (named so the form posts it back with the choice).
    record_name: String,
}

/// The picker's choices for what was typed: people and companies the user may see.
async fn records(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<RecordQuery>,
) -> Result<Response, UiError> {
    let q: String = query.record_name.chars().take(100).collect();
    let groups = state
        .app
        .search_everything(&who.actor(), &q, PICKS)
        .await
        .ui(&who)?;
    let picks = groups
        .into_iter()
        .flat_map(|g| g.hits)
        .map(|hit| Pick {
            value: format!("{}:{}", hit.record_type, hit.id),
            kind: who.lang.t(&format!("calendar-pick-{}", hit.record_type)),
            title: hit.title,
            subtitle: hit.subtitle.unwrap_or_default(),
        })
        .collect();
    Ok(render(&Picks {
        page: Page::signed_in(&who, "calendar-plan-title", "calendar"),
        picks,
        searched: !q.trim().is_empty(),
    }))
}
