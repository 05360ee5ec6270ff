//! A person's consents: the chips of the "İzinler" card on their page (İYS e-mail, SMS and
//! call permissions, and any KVKK purpose answered), and the page that records an answer
//! — the source is required, the date is the one the person gave it, a signed form among
//! their attachments may be kept as evidence — above the whole history.

use crate::activities::local_to_instant;
use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::records::Choice;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use rehber_domain::PersonId;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::consent::{
    Consent, ConsentChannel, ConsentForm, ConsentPurpose, ConsentStatus, IYS_SOURCES, current,
};
use rehber_domain::party::{People, Person};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/people/{id}/consents", get(show).post(record))
}

/// One answer as a chip: `E-posta ✓`.
pub struct Chip {
    pub label: String,
    /// `success`, `danger` or `` (no answer yet).
    pub tone: &'static str,
    pub mark: &'static str,
    /// The answer in words, with its date, for the tooltip and screen readers.
    pub title: String,
}

/// One line of the history.
pub struct HistoryRow {
    pub given_at: String,
    pub purpose: String,
    pub channel: String,
    pub status: String,
    pub tone: &'static str,
    pub source: String,
    pub address: String,
    pub recorded: String,
    pub evidence: Option<(i64, String)>,
}

fn status_tone(status: ConsentStatus) -> (&'static str, &'static str) {
    match status {
        ConsentStatus::Granted => ("success", "✓"),
        ConsentStatus::Denied => ("danger", "✗"),
    }
}

fn channel_label(lang: Lang, channel: Option<ConsentChannel>) -> String {
    match channel {
        Some(channel) => lang.t(&format!("consent-channel-{channel}")),
        None => lang.t("consent-channel-all"),
    }
}

/// The chips: one per İYS channel (answered or not), then each KVKK purpose answered.
pub fn chips(lang: Lang, history: &[Consent]) -> Vec<Chip> {
    let latest = current(history);
    let chip = |label: String, answer: Option<&Consent>| match answer {
        Some(c) => {
            let (tone, mark) = status_tone(c.fields.status);
            Chip {
                title: format!(
                    "{}: {} ({})",
                    label,
                    lang.t(&format!("consent-status-{}", c.fields.status)),
                    lang.datetime(c.fields.given_at)
                ),
                label,
                tone,
                mark,
            }
        }
        None => Chip {
            title: format!("{label}: {}", lang.t("consent-status-unknown")),
            label,
            tone: "",
            mark: "?",
        },
    };
    let mut chips: Vec<Chip> = ConsentChannel::ALL
        .iter()
        .map(|channel| {
            let answer = latest.iter().copied().find(|c| {
                c.fields.purpose == ConsentPurpose::Commercial && c.fields.channel == Some(*channel)
            });
            chip(channel_label(lang, Some(*channel)), answer)
        })
        .collect();
    chips.extend(
        latest
            .iter()
            .filter(|c| !c.fields.purpose.is_commercial())
            .map(|c| {
                let label = format!(
                    "{} · {}",
                    lang.t(&format!("consent-purpose-{}", c.fields.purpose)),
                    channel_label(lang, c.fields.channel)
                );
                chip(label, Some(*c))
            }),
    );
    chips
}

#[derive(Template)]
#[template(path = "people/consent_card.html")]
struct Card<'a> {
    page: &'a Page,
    person_id: i64,
    chips: Vec<Chip>,
}

/// The "İzinler" card of a person's page.
pub async fn side_card(
    state: &AppState,
    who: &SignedIn,
    page: &Page,
    person: PersonId,
) -> Result<String, UiError> {
    let history = state.app.consents(&who.actor(), person).await.ui(who)?;
    Ok(crate::records::pages::html(&Card {
        page,
        person_id: person.0,
        chips: chips(who.lang, &history),
    }))
}

/// The form as typed: the date as a `datetime-local` value in the home zone.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct Typed {
    purpose: String,
    channel: String,
    status: String,
    source: String,
    given_at: String,
    address: String,
    evidence_attachment_id: String,
}

#[derive(Template)]
#[template(path = "people/consents.html")]
struct ConsentsPage {
    page: Page,
    person_id: i64,
    name: String,
    chips: Vec<Chip>,
    rows: Vec<HistoryRow>,
    may_record: bool,
    typed: Typed,
    purposes: Vec<Choice>,
    channels: Vec<Choice>,
    statuses: Vec<Choice>,
    sources: Vec<Choice>,
    addresses: Vec<Choice>,
    evidence: Vec<Choice>,
    errors: HashMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    notice: Option<String>,
}

fn choices<T: Copy + std::fmt::Display>(lang: Lang, prefix: &str, all: &[T]) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice::new(v.to_string(), lang.t(&format!("{prefix}-{v}"))))
        .collect()
}

fn history_rows(lang: Lang, history: &[Consent], files: &HashMap<i64, String>) -> Vec<HistoryRow> {
    history
        .iter()
        .map(|c| {
            let f = &c.fields;
            HistoryRow {
                given_at: lang.datetime(f.given_at),
                purpose: lang.t(&format!("consent-purpose-{}", f.purpose)),
                channel: channel_label(lang, f.channel),
                status: lang.t(&format!("consent-status-{}", f.status)),
                tone: status_tone(f.status).0,
                source: match IYS_SOURCES.contains(&f.source.as_str()) {
                    true => lang.t(&format!("consent-source-{}", f.source)),
                    false => f.source.clone(),
                },
                address: f.address.clone().unwrap_or_default(),
                recorded: format!(
                    "{} · {}",
                    c.recorded_by_name.clone().unwrap_or_default(),
                    lang.datetime(c.recorded_at)
                ),
                evidence: c.evidence_attachment_id.map(|id| {
                    (
                        id,
                        files.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
                    )
                }),
            }
        })
        .collect()
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    person: Person,
    typed: Typed,
    errors: HashMap<String, String>,
) -> Result<ConsentsPage, UiError> {
    let lang = who.lang;
    let actor = who.actor();
    let history = state.app.consents(&actor, person.id).await.ui(who)?;
    let link = Link {
        record_type: LinkType::Person,
        record_id: person.id.0,
    };
    let attachments = state.app.attachments(&actor, link).await.ui(who)?;
    let files: HashMap<i64, String> = attachments
        .iter()
        .map(|a| (a.id, a.filename.clone()))
        .collect();
    let f = &person.fields;
    let addresses = f
        .emails
        .iter()
        .map(|e| Choice::new(e.to_string(), e.to_string()))
        .chain(
            f.phones
                .iter()
                .map(|p| Choice::new(p.to_string(), p.to_string())),
        )
        .collect();
    let sources = IYS_SOURCES
        .iter()
        .map(|s| Choice::new(*s, lang.t(&format!("consent-source-{s}"))))
        .collect();
    Ok(ConsentsPage {
        page: Page::signed_in(who, "consent-title", "people"),
        person_id: person.id.0,
        name: f.full_name(),
        chips: chips(lang, &history),
        rows: history_rows(lang, &history, &files),
        may_record: actor
            .role
            .can_write(rehber_domain::access::RecordKind::Person),
        typed,
        purposes: choices(lang, "consent-purpose", ConsentPurpose::ALL),
        channels: choices(lang, "consent-channel", ConsentChannel::ALL),
        statuses: choices(lang, "consent-status", ConsentStatus::ALL),
        sources,
        addresses,
        evidence: attachments
            .into_iter()
            .map(|a| Choice::new(a.id.to_string(), a.filename))
            .collect(),
        errors,
    })
}

async fn person(state: &AppState, who: &SignedIn, id: &str) -> Result<Person, UiError> {
    let id = crate::paths::path_id(who, id)?;
    state
        .app
        .get::<People>(&who.actor(), PersonId(id))
        .await
        .ui(who)
}

/// The typed form with today's moment in the home zone, as `datetime-local` shows it.
fn blank() -> Typed {
    let now = rehber_app::now().to_zoned_datetime(rehber_app::home_zone());
    Typed {
        purpose: ConsentPurpose::Commercial.to_string(),
        channel: ConsentChannel::Email.to_string(),
        status: ConsentStatus::Granted.to_string(),
        given_at: now.datetime().strftime("%Y-%m-%dT%H:%M").to_string(),
        ..Typed::default()
    }
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, UiError> {
    let person = person(&state, &who, &id).await?;
    let mut view = page(&state, &who, person, blank(), HashMap::new()).await?;
    view.page = view.page.with_notice_key(query.notice.as_deref());
    Ok(render(&view))
}

async fn record(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(typed): Form<Typed>,
) -> Result<Response, UiError> {
    let person = person(&state, &who, &id).await?;
    let form = ConsentForm {
        purpose: typed.purpose.clone(),
        channel: typed.channel.clone(),
        status: typed.status.clone(),
        source: typed.source.clone(),
        given_at: local_to_instant(&typed.given_at),
        address: typed.address.clone(),
    };
    let evidence = typed.evidence_attachment_id.trim().parse::<i64>().ok();
    match state
        .app
        .record_consent(&who.actor(), person.id, &form, evidence)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/people/{}/consents?notice=notice-consent-saved",
            person.id.0
        ))
        .into_response()),
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let view = page(&state, &who, person, typed, errors).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

/// An answer as its audit entry quotes it (`commercial sms: denied (HS_WEB, <RFC 3339>)`)
/// in the reader's words; a text of another shape (an erasure's redaction) as it is.
pub(crate) fn audit_words(lang: Lang, value: &str) -> String {
    let worded = || {
        let (head, rest) = value.split_once(": ")?;
        let (purpose, channel) = head.split_once(' ')?;
        let (status, tail) = rest.split_once(" (")?;
        let (source, given) = tail.strip_suffix(')')?.rsplit_once(", ")?;
        let given: jiff::Timestamp = given.parse().ok()?;
        let word = |key: String, raw: &str| match lang.has(&key) {
            true => lang.t(&key),
            false => raw.to_string(),
        };
        Some(format!(
            "{}, {}: {} ({}, {})",
            word(format!("consent-purpose-{purpose}"), purpose),
            word(format!("consent-channel-{channel}"), channel),
            word(format!("consent-status-{status}"), status),
            word(format!("consent-source-{source}"), source),
            lang.datetime(given)
        ))
    };
    worded().unwrap_or_else(|| value.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_on_the_audit_log_reads_in_words() {
        let stored = "commercial sms: denied (HS_CAGRI_MERKEZI, 2026-11-15T11:30:00Z)";
        assert_eq!(
            audit_words(Lang::En, stored),
            "Commercial messages (İYS), SMS: Denied (Call centre, 15 Nov 2026, 14:30)"
        );
        let kvkk = "kvkk_profiling all: granted (Fuarda imzalı form, 2026-11-03T09:00:00Z)";
        assert!(audit_words(Lang::Tr, kvkk).contains("Fuarda imzalı form"));
        assert_eq!(audit_words(Lang::En, "[silindi]"), "[silindi]");
    }
}
