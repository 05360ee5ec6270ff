//! The start page: `/` sends a new installation to setup and a visitor to the login page;
//! a signed-in user sees a welcome, how many people and companies they can see, quick
//! links, and (administrators) the latest entries of the audit log.

use crate::admin::{AuditRow, audit_rows};
use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use rehber_app::{AuditFilter, PartyFilter};
use rehber_domain::access::RecordKind;
use rehber_domain::party::{Companies, People};
use rehber_web_core::auth::{SignedIn, UiContext};
use rehber_web_core::state::AppState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home/index.html")]
struct HomePage {
    page: Page,
    people: String,
    companies: String,
    recent: Vec<AuditRow>,
    /// The quick links offer only what the role may do.
    can_create_person: bool,
    can_create_company: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct HomeQuery {
    notice: Option<String>,
}

async fn home(
    State(state): State<AppState>,
    UiContext(context): UiContext,
    Query(query): Query<HomeQuery>,
) -> Result<Response, UiError> {
    let Some(session) = context.session.clone() else {
        let needs_setup = state
            .app
            .needs_setup()
            .await
            .map_err(|e| UiError::anonymous(&context, e))?;
        let target = if needs_setup { "/setup" } else { "/login" };
        return Ok(Redirect::to(target).into_response());
    };
    let who = SignedIn {
        session,
        lang: context.lang,
    };
    let actor = who.actor();
    // "Bugün" is a sales rep's start page: the day's work first.
    if actor.role == rehber_domain::Role::SalesRep {
        let target = match query.notice.as_deref() {
            Some(notice) => format!(
                "/today?notice={}",
                rehber_web_core::auth::percent_encode(notice)
            ),
            None => "/today".to_string(),
        };
        return Ok(Redirect::to(&target).into_response());
    }
    let filter = PartyFilter::default();
    let people = state.app.count::<People>(&actor, &filter).await.ui(&who)?;
    let companies = state
        .app
        .count::<Companies>(&actor, &filter)
        .await
        .ui(&who)?;
    let recent = if actor.role.is_admin() {
        let events = state
            .app
            .audit_log(
                &actor,
                &AuditFilter {
                    limit: 8,
                    ..AuditFilter::default()
                },
            )
            .await
            .ui(&who)?;
        let names = state.app.audit_names(&actor, &events).await.ui(&who)?;
        audit_rows(who.lang, events, &names)
    } else {
        Vec::new()
    };
    let page = Page::signed_in(&who, "home-title", "home").with_notice_key(query.notice.as_deref());
    Ok(render(&HomePage {
        can_create_person: actor.role.can_write(RecordKind::Person),
        can_create_company: actor.role.can_write(RecordKind::Company),
        people: who.lang.number(people),
        companies: who.lang.number(companies),
        page,
        recent,
    }))
}
