//! The activities card of a person's and a company's page: the record's latest activities
//! (calls, e-mails, SMS, meetings, visits, notes) and a small form to log one, posted with
//! htmx so only the card is swapped (without JavaScript the form posts and the page comes
//! back). A company's card also lists what was logged against its people while they worked
//! there (the company link the service adds).

use crate::custom::{UiKind, parse_id};
use crate::error::{UiError, UiResultExt, field_messages, render, wants_partial};
use crate::page::Page;
use crate::records::Directory;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum_extra::extract::Form;
use rehber_app::ActivityFilter;
use rehber_domain::Error;
use rehber_domain::activity::{
    Activity, ActivityInput, ActivityKind, ActivityStatus, Link, LinkType,
};
use rehber_domain::party::{Companies, People};
use rehber_web_core::auth::{SignedIn, redirect};
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

/// Activities the card shows; the API pages through the rest.
const SHOWN: u32 = 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/activities", post(log::<People>))
        .route("/companies/{id}/activities", post(log::<Companies>))
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

/// Whose card it is: the record's link type, where its pages live, its navigation entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Host {
    pub link: LinkType,
    pub base: &'static str,
    pub nav: &'static str,
}

impl Host {
    fn of<K: ActivityHost>() -> Host {
        Host {
            link: K::LINK,
            base: K::BASE,
            nav: K::NAV,
        }
    }
}

/// One activity as the card lists it.
struct Row {
    kind: &'static str,
    kind_label: String,
    status: &'static str,
    status_label: String,
    subject: String,
    body: String,
    when: String,
    when_iso: String,
    by: String,
    outcome: String,
}

/// The log form as typed, and its messages.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Typed {
    kind: String,
    status: String,
    subject: String,
    body: String,
    /// `datetime-local`, in Rehber's home zone.
    starts_at: String,
}

#[derive(Template)]
#[template(path = "activities/card.html")]
struct Card {
    page: Page,
    /// Where the form posts (`/people/12/activities`).
    action: String,
    rows: Vec<Row>,
    more: bool,
    can_write: bool,
    typed: Typed,
    errors: HashMap<String, String>,
    kinds: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
    /// After a save: focus stays in the card and the screen reader hears it.
    saved: bool,
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
) -> Result<String, UiError> {
    let card = card(
        state,
        who,
        host,
        id,
        directory,
        Typed::default(),
        HashMap::new(),
    )
    .await?;
    Ok(html(&card))
}

/// A template embedded in another page; a rendering failure (a bug) is logged and leaves the
/// card out rather than the whole page.
fn html(template: &impl Template) -> String {
    template.render().unwrap_or_else(|error| {
        tracing::error!(%error, "rendering the activities card failed");
        String::new()
    })
}

async fn card(
    state: &AppState,
    who: &SignedIn,
    host: Host,
    id: i64,
    directory: &Directory,
    typed: Typed,
    errors: HashMap<String, String>,
) -> Result<Card, UiError> {
    let lang = who.lang;
    let filter = ActivityFilter {
        link: Some(Link {
            record_type: host.link,
            record_id: id,
        }),
        ..ActivityFilter::default()
    };
    let page = state
        .app
        .activities(&who.actor(), &filter, None, SHOWN)
        .await
        .ui(who)?;
    Ok(Card {
        page: Page::signed_in(who, host.nav, host.nav),
        action: format!("{}/{id}/activities", host.base),
        rows: page
            .items
            .into_iter()
            .map(|a| row(lang, a, directory))
            .collect(),
        more: page.next_cursor.is_some(),
        can_write: who
            .actor()
            .role
            .can_write(rehber_domain::access::RecordKind::Activity),
        typed,
        errors,
        kinds: ActivityKind::ALL
            .iter()
            .map(|k| (k.as_str(), lang.t(&format!("activity-kind-{k}"))))
            .collect(),
        statuses: [ActivityStatus::Done, ActivityStatus::Planned]
            .iter()
            .map(|s| (s.as_str(), lang.t(&format!("activity-status-{s}"))))
            .collect(),
        saved: false,
    })
}

fn row(lang: Lang, activity: Activity, directory: &Directory) -> Row {
    let f = activity.fields;
    Row {
        kind: f.kind.as_str(),
        kind_label: lang.t(&format!("activity-kind-{}", f.kind)),
        status: f.status.as_str(),
        status_label: lang.t(&format!("activity-status-{}", f.status)),
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
        when_iso: f.starts_at.to_string(),
        by: directory.user_name(activity.created_by),
        outcome: f
            .outcome
            .map(|o| lang.t(&format!("activity-outcome-{o}")))
            .unwrap_or_default(),
    }
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
    let input = ActivityInput {
        kind: typed.kind.clone(),
        status: typed.status.clone(),
        subject: typed.subject.clone(),
        body: typed.body.clone(),
        starts_at: local_to_instant(&typed.starts_at),
        links: vec![(K::LINK.as_str().to_string(), id)],
        ..ActivityInput::default()
    };
    let result = state.app.create_activity(&actor, &input).await;
    let inline = wants_partial(&headers);
    let errors = match result {
        Ok(_) if !inline => {
            return Ok(redirect(
                &headers,
                &format!(
                    "{}/{id}?notice=notice-activity-saved#card-activities",
                    K::BASE
                ),
            ));
        }
        Ok(_) => None,
        Err(e) => match e.domain() {
            Some(Error::Validation(errors)) => Some(field_messages(who.lang, errors)),
            _ => return Err(UiError::signed_in(&who, e)),
        },
    };
    let directory = crate::records::directory(&state, &who).await?;
    let Some(errors) = errors else {
        let host = Host::of::<K>();
        let mut card = card(
            &state,
            &who,
            host,
            id,
            &directory,
            Typed::default(),
            HashMap::new(),
        )
        .await?;
        card.saved = true;
        return Ok(render(&card));
    };
    let card = card(&state, &who, Host::of::<K>(), id, &directory, typed, errors).await?;
    let status = crate::records::form_status(&headers, StatusCode::UNPROCESSABLE_ENTITY);
    if inline {
        return Ok((status, render(&card)).into_response());
    }
    let page = CardPage {
        page: Page::signed_in(&who, "activities-title", K::NAV),
        back: format!("{}/{id}", K::BASE),
        card: html(&card),
    };
    Ok((status, render(&page)).into_response())
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
