//! The company picker of person and deal forms and of the list filters, and the person
//! picker of deal forms: the records in the caller's scope that match what was typed, found
//! on the server.

use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use crate::records::Choice;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use rehber_app::records::ServiceKind;
use rehber_domain::party::{Companies, People};
use rehber_domain::{CompanyId, PersonId};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::state::AppState;
use serde::Deserialize;

/// Picker choices of a kind: the visible records matching `q` (first 20 by name), with
/// `selected` kept even when it is not among them.
async fn choices<K: ServiceKind>(
    state: &AppState,
    who: &SignedIn,
    q: &str,
    selected: Option<K::Id>,
) -> Result<Vec<Choice>, UiError> {
    let actor = who.actor();
    let found = state.app.choices::<K>(&actor, q).await.ui(who)?;
    let mut choices: Vec<Choice> = found
        .iter()
        .map(|(id, name)| Choice::new(id.to_string(), name.clone()))
        .collect();
    if let Some(id) = selected.filter(|id| !found.iter().any(|(f, _)| f == id))
        && let Ok(record) = state.app.get::<K>(&actor, id).await
    {
        choices.insert(0, Choice::new(id.to_string(), K::title(&record)));
    }
    Ok(choices)
}

/// Company picker choices (person and deal forms, list filters).
pub(crate) async fn company_choices(
    state: &AppState,
    who: &SignedIn,
    q: &str,
    selected: Option<CompanyId>,
) -> Result<Vec<Choice>, UiError> {
    choices::<Companies>(state, who, q, selected).await
}

/// Person picker choices (deal forms).
pub(crate) async fn person_choices(
    state: &AppState,
    who: &SignedIn,
    q: &str,
    selected: Option<PersonId>,
) -> Result<Vec<Choice>, UiError> {
    choices::<People>(state, who, q, selected).await
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct OptionsQuery {
    company_q: String,
    company_id: String,
    person_q: String,
    person_id: String,
}

#[derive(Template)]
#[template(path = "records/company_options.html")]
struct CompanyOptions {
    page: Page,
    choices: Vec<Choice>,
    selected: String,
    none_key: &'static str,
}

/// The company picker's `<option>`s for a search (htmx swaps them into the select).
pub(crate) async fn company_options(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<OptionsQuery>,
) -> Result<Response, UiError> {
    let selected = query.company_id.trim().parse().ok().map(CompanyId);
    let choices = company_choices(&state, &who, query.company_q.trim(), selected).await?;
    Ok(render(&CompanyOptions {
        page: Page::signed_in(&who, "people-title", "people"),
        choices,
        selected: query.company_id.trim().to_string(),
        none_key: "records-no-company",
    }))
}

/// The person picker's `<option>`s for a search.
pub(crate) async fn person_options(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<OptionsQuery>,
) -> Result<Response, UiError> {
    let selected = query.person_id.trim().parse().ok().map(PersonId);
    let choices = person_choices(&state, &who, query.person_q.trim(), selected).await?;
    Ok(render(&CompanyOptions {
        page: Page::signed_in(&who, "deals-title", "deals"),
        choices,
        selected: query.person_id.trim().to_string(),
        none_key: "deals-no-person",
    }))
}
