//! The timeline card of a person's and a company's page: a composer with a tab per kind
//! (note, call, e-mail, SMS, meeting, visit, task, comment) posted with htmx so only the card is
//! swapped (without JavaScript the form posts and the page comes back), over the record's
//! timeline (`timeline.rs`). A company's card also lists what was logged against its people
//! while they worked there (the company link the service adds).

use crate::custom::{UiKind, parse_id};
use crate::error::{UiError, UiResultExt, field_messages, render, wants_partial};
use crate::page::Page;
use crate::records::Directory;
use crate::timeline::TimelineView;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_domain::Error;
use rehber_domain::activity::{ActivityInput, ActivityKind, ActivityStatus, LinkType};
use rehber_domain::comment::CommentInput;
use rehber_domain::custom::CustomField;
use rehber_domain::deal::Deals;
use rehber_domain::party::{Companies, People};
use rehber_domain::task::TaskInput;
use rehber_web_core::auth::{SignedIn, redirect};
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/activities", post(log::<People>))
        .route("/companies/{id}/activities", post(log::<Companies>))
        .route("/deals/{id}/activities", post(log::<Deals>))
        .route(
            "/deals/{id}/timeline",
            get(crate::timeline::entries::<Deals>),
        )
        .route(
            "/people/{id}/timeline",
            get(crate::timeline::entries::<People>),
        )
        .route(
            "/companies/{id}/timeline",
            get(crate::timeline::entries::<Companies>),
        )
}

/// A kind whose pages carry the activities card.
pub(crate) trait ActivityHost: UiKind {
    const LINK: LinkType;
}

impl ActivityHost for People {
    const LINK: LinkType = LinkType::Person;
}

impl ActivityHost for Companies {
    const LINK: LinkType = LinkType::Company;
}

impl ActivityHost for Deals {
    const LINK: LinkType = LinkType::Deal;
}

/// Whose card it is: the record's link type, where its pages live, its navigation entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Host {
    pub link: LinkType,
    pub base: &'static str,
    pub nav: &'static str,
}

impl Host {
    pub(crate) fn of<K: ActivityHost>() -> Host {
        Host {
            link: K::LINK,
            base: K::BASE,
            nav: K::NAV,
        }
    }
}

/// The log form as typed, and its messages.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Typed {
    kind: String,
    status: String,
    subject: String,
    body: String,
    /// `datetime-local`, in Rehber's home zone.
    starts_at: String,
    /// The users a comment mentions (picked with the `@` autocomplete).
    mentions: Vec<i64>,
}

#[derive(Template)]
#[template(path = "activities/card.html")]
pub(crate) struct Card {
    page: Page,
    /// Where the form posts (`/people/12/activities`).
    action: String,
    timeline: TimelineView,
    can_write: bool,
    typed: Typed,
    errors: HashMap<String, String>,
    kinds: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
    /// After a save: focus stays in the card and the screen reader hears it.
    saved: bool,
    /// Where the `@` autocomplete asks (`/people/12/mentions`).
    mention_source: String,
    /// The users a refused comment had mentioned, kept for the next try.
    mentioned: Vec<(i64, String)>,
}

/// The card alone on a page (a form posted without JavaScript and refused).
#[derive(Template)]
#[template(path = "activities/page.html")]
struct CardPage {
    page: Page,
    back: String,
    card: String,
}

/// The card's HTML for a record page.
pub(crate) async fn card_html(
    state: &AppState,
    who: &SignedIn,
    host: Host,
    id: i64,
    directory: &Directory,
    custom: &[CustomField],
) -> Result<String, UiError> {
    let card = card(
        state,
        who,
        host,
        id,
        (directory, custom),
        ("", None),
        Typed::default(),
        HashMap::new(),
    )
    .await?;
    Ok(html(&card))
}

/// The card on a page of its own: a chip followed or a form posted without JavaScript.
pub(crate) fn alone<K: ActivityHost>(who: &SignedIn, id: i64, card: &Card) -> Response {
    let page = CardPage {
        page: Page::signed_in(who, "activities-title", K::NAV),
        back: format!("{}/{id}", K::BASE),
        card: html(card),
    };
    render(&page)
}

/// A template embedded in another page; a rendering failure (a bug) is logged and leaves the
/// card out rather than the whole page.
fn html(template: &impl Template) -> String {
    template.render().unwrap_or_else(|error| {
        tracing::error!(%error, "rendering the activities card failed");
        String::new()
    })
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn card(
    state: &AppState,
    who: &SignedIn,
    host: Host,
    id: i64,
    context: (&Directory, &[CustomField]),
    (filter, cursor): (&str, Option<&str>),
    typed: Typed,
    errors: HashMap<String, String>,
) -> Result<Card, UiError> {
    let lang = who.lang;
    let timeline = crate::timeline::view(state, who, host, id, context, filter, cursor).await?;
    let mut kinds: Vec<(&'static str, String)> = ActivityKind::ALL
        .iter()
        .map(|k| (k.as_str(), lang.t(&format!("activity-kind-{k}"))))
        .collect();
    // A note first: the commonest entry; a task last, the one that is not an activity.
    kinds.rotate_right(1);
    kinds.push(("task", lang.t("timeline-task")));
    kinds.push(("comment", lang.t("timeline-comment")));
    let mentioned = typed
        .mentions
        .iter()
        .map(|id| (*id, context.0.user_name(Some(rehber_domain::UserId(*id)))))
        .collect();
    Ok(Card {
        page: Page::signed_in(who, host.nav, host.nav),
        action: format!("{}/{id}/activities", host.base),
        timeline,
        can_write: who
            .actor()
            .role
            .can_write(rehber_domain::access::RecordKind::Activity),
        typed,
        errors,
        kinds,
        statuses: [ActivityStatus::Done, ActivityStatus::Planned]
            .iter()
            .map(|s| (s.as_str(), lang.t(&format!("activity-status-{s}"))))
            .collect(),
        saved: false,
        mention_source: format!("{}/{id}/mentions", host.base),
        mentioned,
    })
}

/// A `datetime-local` value (`2026-12-03T14:30`) in Rehber's home zone, as RFC 3339; the
/// text as it is when it is not one (the service then names the field).
pub(crate) fn local_to_instant(text: &str) -> String {
    let text = text.trim();
    match text.parse::<jiff::civil::DateTime>() {
        Ok(local) => match local.to_zoned_datetime(rehber_app::home_zone()) {
            Ok(zoned) => zoned.timestamp().to_string(),
            Err(_) => text.to_string(),
        },
        Err(_) => text.to_string(),
    }
}

async fn log<K: ActivityHost>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(typed): Form<Typed>,
) -> Result<Response, UiError> {
    let id = K::raw(parse_id::<K>(&who, &id)?);
    let actor = who.actor();
    // The record first: one outside the caller's scope is "not found", as on its page.
    state.app.get::<K>(&actor, K::id(id)).await.ui(&who)?;
    let link = (K::LINK.as_str().to_string(), id);
    let result = if typed.kind == "comment" {
        let input = CommentInput {
            body: typed.body.clone(),
            mentions: typed.mentions.clone(),
        };
        let record = rehber_domain::activity::Link {
            record_type: K::LINK,
            record_id: id,
        };
        state
            .app
            .add_comment(&actor, record, &input)
            .await
            .map(|_| ())
    } else if typed.kind == "task" {
        let input = TaskInput {
            title: typed.subject.clone(),
            notes: typed.body.clone(),
            due_at: local_to_instant(&typed.starts_at),
            links: vec![link],
            ..TaskInput::default()
        };
        state.app.create_task(&actor, &input).await.map(|_| ())
    } else {
        let input = ActivityInput {
            kind: typed.kind.clone(),
            status: typed.status.clone(),
            subject: typed.subject.clone(),
            body: typed.body.clone(),
            starts_at: local_to_instant(&typed.starts_at),
            links: vec![link],
            ..ActivityInput::default()
        };
        state.app.create_activity(&actor, &input).await.map(|_| ())
    };
    let inline = wants_partial(&headers);
    let errors = match result {
        Ok(()) if !inline => {
            return Ok(redirect(
                &headers,
                &format!(
                    "{}/{id}?notice=notice-activity-saved#card-activities",
                    K::BASE
                ),
            ));
        }
        Ok(()) => None,
        Err(e) => match e.domain() {
            // A task's title is its subject, its due the time field.
            Some(Error::Validation(errors)) => Some(
                field_messages(who.lang, errors)
                    .into_iter()
                    .map(|(field, message)| {
                        let field = match field.as_str() {
                            "title" => "subject".to_string(),
                            "notes" => "body".to_string(),
                            "due_at" | "due_date" => "starts_at".to_string(),
                            _ => field,
                        };
                        (field, message)
                    })
                    .collect(),
            ),
            _ => return Err(UiError::signed_in(&who, e)),
        },
    };
    let directory = crate::records::directory(&state, &who).await?;
    let custom = state
        .app
        .custom_fields(Some(K::LINK.as_str()), true)
        .await
        .ui(&who)?;
    let host = Host::of::<K>();
    let context = (&directory, custom.as_slice());
    let Some(errors) = errors else {
        let mut card = card(
            &state,
            &who,
            host,
            id,
            context,
            ("", None),
            Typed {
                kind: typed.kind,
                ..Typed::default()
            },
            HashMap::new(),
        )
        .await?;
        card.saved = true;
        return Ok(render(&card));
    };
    let card = card(&state, &who, host, id, context, ("", None), typed, errors).await?;
    let status = crate::records::form_status(&headers, StatusCode::UNPROCESSABLE_ENTITY);
    if inline {
        return Ok((status, render(&card)).into_response());
    }
    Ok((status, alone::<K>(&who, id, &card)).into_response())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn local_times_are_read_in_istanbul_and_anything_else_is_left_for_the_service() {
        assert_eq!(local_to_instant("2026-12-03T14:30"), "2026-12-03T11:30:00Z");
        assert_eq!(local_to_instant(""), "");
        assert_eq!(local_to_instant("yarın"), "yarın");
    }
}
