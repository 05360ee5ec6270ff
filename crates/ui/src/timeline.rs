//! The timeline of a person's and a company's page: activities, tasks, comments and saves in one list,
//! newest first, with filter chips and "load older" (htmx swaps the card or appends the next
//! entries; without JavaScript the links open the card on a page of its own).

use crate::activities::{ActivityHost, Host};
use crate::custom::parse_id;
use crate::error::{UiError, UiResultExt, render, wants_partial};
use crate::records::Directory;
use crate::records::history::{ChangeRow, history_rows};
use crate::tasks::due_label;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use rehber_app::timeline::{TimelineEntry, TimelineItem, TimelineKind};
use rehber_domain::Actor;
use rehber_domain::activity::Link;
use rehber_domain::comment::segments;
use rehber_domain::custom::CustomField;
use rehber_domain::task::TaskStatus;
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

/// Entries one page of the card shows.
pub(crate) const SHOWN: u32 = 20;

/// One entry as the card lists it.
pub(crate) struct EntryRow {
    /// `activity`, `task` or `change`, and classes for its look.
    pub kind: &'static str,
    pub classes: String,
    pub badge: String,
    /// A planned or cancelled activity's status, an open or done task's.
    pub status: String,
    pub subject: String,
    pub body: String,
    pub when: String,
    pub when_iso: String,
    pub by: String,
    pub outcome: String,
    /// A task's due.
    pub due: String,
    pub changes: Vec<ChangeRow>,
    /// A comment's text, its mentioned names marked.
    pub segments: Vec<(String, bool)>,
    /// The comment's id, when the viewer may delete it.
    pub deletable: Option<i64>,
}

/// A filter chip: its label, where it leads, whether it is the one shown.
pub(crate) struct Chip {
    pub label: String,
    pub href: String,
    pub active: bool,
}

/// The entries of one page of the card, the chips and where older entries are.
pub(crate) struct TimelineView {
    pub entries: Vec<EntryRow>,
    pub chips: Vec<Chip>,
    pub older: Option<String>,
    /// Where the chips and entries are fetched again when the record changes.
    pub refresh: String,
    /// The event that means the record changed (`person-12`, see `events.js`).
    pub live: String,
}

/// The filter a chip or query names; anything else is every kind.
fn chosen(filter: &str) -> Option<TimelineKind> {
    TimelineKind::parse(filter)
}

/// The address of the card's entries with `filter`, after `cursor`.
fn address(host: Host, id: i64, filter: &str, cursor: Option<&str>) -> String {
    let mut href = format!("{}/{id}/timeline", host.base);
    let mut parts = Vec::new();
    if !filter.is_empty() {
        parts.push(format!("kind={filter}"));
    }
    if let Some(cursor) = cursor {
        parts.push(format!("cursor={cursor}"));
    }
    if !parts.is_empty() {
        href.push('?');
        href.push_str(&parts.join("&"));
    }
    href
}

/// A page of the record's timeline, ready for the card.
pub(crate) async fn view(
    state: &AppState,
    who: &SignedIn,
    host: Host,
    id: i64,
    (directory, custom): (&Directory, &[CustomField]),
    filter: &str,
    cursor: Option<&str>,
) -> Result<TimelineView, UiError> {
    let lang = who.lang;
    let kind = chosen(filter);
    let filter = kind.map(|k| k.as_str()).unwrap_or_default();
    let record = Link {
        record_type: host.link,
        record_id: id,
    };
    let kinds: Vec<TimelineKind> = kind.into_iter().collect();
    let page = state
        .app
        .timeline(&who.actor(), record, &kinds, cursor, SHOWN)
        .await
        .ui(who)?;
    let older = page
        .next_cursor
        .as_deref()
        .map(|c| address(host, id, filter, Some(c)));
    let entries = page
        .items
        .into_iter()
        .map(|item| entry_row(lang, &who.actor(), item, directory, custom))
        .collect();
    let chips = [
        ("", "timeline-all"),
        ("activity", "timeline-activities"),
        ("task", "timeline-tasks"),
        ("comment", "timeline-comments"),
        ("change", "timeline-changes"),
    ]
    .into_iter()
    .map(|(value, key)| Chip {
        label: lang.t(key),
        href: address(host, id, value, None),
        active: value == filter,
    })
    .collect();
    let first = address(host, id, filter, None);
    let joiner = if first.contains('?') { '&' } else { '?' };
    Ok(TimelineView {
        entries,
        chips,
        older,
        refresh: format!("{first}{joiner}part=feed"),
        live: format!("{}-{id}", host.link.as_str()),
    })
}

fn entry_row(
    lang: Lang,
    viewer: &Actor,
    item: TimelineItem,
    directory: &Directory,
    custom: &[CustomField],
) -> EntryRow {
    let when_iso = item.at.to_string();
    match item.entry {
        TimelineEntry::Activity(activity) => {
            let f = activity.fields;
            EntryRow {
                kind: "activity",
                classes: format!("activity activity-{} activity-{}", f.kind, f.status),
                badge: lang.t(&format!("activity-kind-{}", f.kind)),
                status: if f.status.as_str() == "done" {
                    String::new()
                } else {
                    lang.t(&format!("activity-status-{}", f.status))
                },
                subject: f.subject,
                body: f.body,
                when: if f.all_day {
                    lang.date(
                        f.starts_at
                            .to_zoned_datetime(rehber_app::home_zone())
                            .date(),
                    )
                } else {
                    lang.datetime(f.starts_at)
                },
                when_iso,
                by: directory.user_name(activity.created_by),
                outcome: f
                    .outcome
                    .map(|o| lang.t(&format!("activity-outcome-{o}")))
                    .unwrap_or_default(),
                due: String::new(),
                changes: Vec::new(),
                segments: Vec::new(),
                deletable: None,
            }
        }
        TimelineEntry::Task(task) => {
            let done = task.fields.status == TaskStatus::Done;
            let overdue = task.is_overdue(rehber_app::now(), &rehber_app::home_zone());
            EntryRow {
                kind: "task",
                classes: format!(
                    "task-entry{}{}",
                    if done { " task-done" } else { "" },
                    if overdue { " task-overdue" } else { "" }
                ),
                badge: lang.t("timeline-task"),
                status: lang.t(&format!("task-status-{}", task.fields.status)),
                subject: task.fields.title,
                body: task.fields.notes,
                when: lang.datetime(item.at),
                when_iso,
                by: directory.user_name(task.fields.assignee_id),
                outcome: String::new(),
                due: due_label(lang, task.fields.due).0,
                changes: Vec::new(),
                segments: Vec::new(),
                deletable: None,
            }
        }
        TimelineEntry::Comment(comment) => {
            let names: Vec<&str> = comment.mentions.iter().map(|(_, n)| n.as_str()).collect();
            let segments = segments(&comment.body, &names)
                .into_iter()
                .map(|s| (s.text.to_string(), s.mention))
                .collect();
            let mine = comment.author_id == viewer.user_id || viewer.role.is_admin();
            EntryRow {
                kind: "comment",
                classes: "comment".to_string(),
                badge: lang.t("timeline-comment"),
                status: String::new(),
                subject: String::new(),
                body: String::new(),
                when: lang.datetime(item.at),
                when_iso,
                by: comment.author_name,
                outcome: String::new(),
                due: String::new(),
                changes: Vec::new(),
                segments,
                deletable: mine.then_some(comment.id),
            }
        }
        TimelineEntry::Change(event) => {
            let row = history_rows(lang, vec![event], custom).into_iter().next();
            let (badge, by, changes) = row
                .map(|r| (r.action, r.actor, r.changes))
                .unwrap_or_default();
            EntryRow {
                kind: "change",
                classes: "change".to_string(),
                badge,
                status: String::new(),
                subject: String::new(),
                body: String::new(),
                when: lang.datetime(item.at),
                when_iso,
                by,
                outcome: String::new(),
                due: String::new(),
                changes,
                segments: Vec::new(),
                deletable: None,
            }
        }
    }
}

/// The chips and first entries alone, fetched again when the record changes.
#[derive(Template)]
#[template(path = "activities/feed.html")]
struct Feed {
    page: crate::page::Page,
    timeline: TimelineView,
}

/// The entries after a cursor, for "load older": list items and the next button.
#[derive(Template)]
#[template(path = "activities/entries.html")]
struct Entries {
    page: crate::page::Page,
    timeline: TimelineView,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TimelineQuery {
    kind: String,
    cursor: String,
    /// `feed`: the chips and entries alone.
    part: String,
}

/// `GET /{people|companies}/{id}/timeline`: with a cursor and htmx, the older entries
/// alone; else the whole card (a chip), on a page of its own without htmx.
pub(crate) async fn entries<K: ActivityHost>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<TimelineQuery>,
) -> Result<Response, UiError> {
    let id = K::raw(parse_id::<K>(&who, &id)?);
    let host = Host::of::<K>();
    let directory = crate::records::directory(&state, &who).await?;
    let custom = state
        .app
        .custom_fields(Some(host.link.as_str()), true)
        .await
        .ui(&who)?;
    let cursor = Some(query.cursor.as_str()).filter(|c| !c.is_empty());
    let partial = wants_partial(&headers);
    if partial && query.part == "feed" {
        let timeline = view(
            &state,
            &who,
            host,
            id,
            (&directory, &custom),
            &query.kind,
            None,
        )
        .await?;
        let page = crate::page::Page::signed_in(&who, host.nav, host.nav);
        return Ok(render(&Feed { page, timeline }));
    }
    if partial && cursor.is_some() {
        let timeline = view(
            &state,
            &who,
            host,
            id,
            (&directory, &custom),
            &query.kind,
            cursor,
        )
        .await?;
        let page = crate::page::Page::signed_in(&who, host.nav, host.nav);
        return Ok(render(&Entries { page, timeline }));
    }
    let card = crate::activities::card(
        &state,
        &who,
        host,
        id,
        (&directory, &custom),
        (&query.kind, cursor),
        Default::default(),
        HashMap::new(),
    )
    .await?;
    if partial {
        return Ok(render(&card));
    }
    Ok(crate::activities::alone::<K>(&who, id, &card).into_response())
}
