//! "Fırsata dönüştür": a person's or company's page offers to turn the lead into a deal. The
//! page asks for the deal's name, stage, amount and expected close (all prefilled); the
//! conversion is the services' idempotent step, so a second click opens the same deal.

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::records::CURRENCIES;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use rehber_app::convert::Conversion;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::party::{Companies, People};
use rehber_domain::pipeline::StageKind;
use rehber_domain::{CompanyId, PersonId};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/people/{id}/convert",
            get(person_form).post(person_convert),
        )
        .route(
            "/companies/{id}/convert",
            get(company_form).post(company_convert),
        )
}

/// The form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ConvertForm {
    name: String,
    /// `<pipeline>:<stage>`, as the deal form's stage select.
    stage_id: String,
    amount: String,
    currency: String,
    expected_close: String,
}

#[derive(Template)]
#[template(path = "deals/convert.html")]
struct ConvertPage {
    page: Page,
    lead_name: String,
    lead_href: String,
    action: String,
    form: ConvertForm,
    stages: Vec<crate::deals::StageGroup>,
    currencies: Vec<String>,
    errors: HashMap<String, String>,
}

/// The lead a path names, with its name and page, if the viewer can see it.
async fn lead(
    state: &AppState,
    who: &SignedIn,
    record_type: LinkType,
    id: &str,
) -> Result<(Link, String), UiError> {
    let actor = who.actor();
    let id = crate::paths::path_id(who, id)?;
    let name = match record_type {
        LinkType::Person => state
            .app
            .get::<People>(&actor, PersonId(id))
            .await
            .ui(who)?
            .fields
            .full_name(),
        _ => {
            state
                .app
                .get::<Companies>(&actor, CompanyId(id))
                .await
                .ui(who)?
                .fields
                .name
        }
    };
    Ok((
        Link {
            record_type,
            record_id: id,
        },
        name,
    ))
}

async fn form_page(
    state: &AppState,
    who: &SignedIn,
    lead: Link,
    lead_name: String,
    form: ConvertForm,
    errors: HashMap<String, String>,
) -> Result<ConvertPage, UiError> {
    let pipelines = state.app.pipelines(&who.actor()).await.ui(who)?;
    let nav = match lead.record_type {
        LinkType::Person => "people",
        _ => "companies",
    };
    let mut form = form;
    if form.stage_id.is_empty() {
        form.stage_id = pipelines
            .first()
            .and_then(|p| {
                p.stages
                    .iter()
                    .find(|s| s.kind == StageKind::Open)
                    .map(|s| format!("{}:{}", p.id, s.id))
            })
            .unwrap_or_default();
    }
    Ok(ConvertPage {
        page: Page::signed_in(who, "deals-convert-title", nav),
        lead_href: crate::paths::record_href(lead),
        action: format!("{}/convert", crate::paths::record_href(lead)),
        stages: crate::deals::stage_groups(who.lang, &pipelines),
        currencies: CURRENCIES.iter().map(|c| c.to_string()).collect(),
        lead_name,
        form,
        errors,
    })
}

async fn show(
    state: AppState,
    who: SignedIn,
    record_type: LinkType,
    id: String,
) -> Result<Response, UiError> {
    let (lead, name) = lead(&state, &who, record_type, &id).await?;
    let form = ConvertForm {
        name: name.clone(),
        currency: "TRY".into(),
        ..ConvertForm::default()
    };
    Ok(render(
        &form_page(&state, &who, lead, name, form, HashMap::new()).await?,
    ))
}

async fn convert(
    state: AppState,
    who: SignedIn,
    record_type: LinkType,
    id: String,
    form: ConvertForm,
) -> Result<Response, UiError> {
    let (lead, name) = lead(&state, &who, record_type, &id).await?;
    let typed = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
    let (pipeline_id, stage_id) = match form.stage_id.split_once(':') {
        Some((p, s)) => (p.trim().parse().ok(), s.trim().parse().ok()),
        None => (None, form.stage_id.trim().parse().ok()),
    };
    let conversion = Conversion {
        name: typed(&form.name),
        pipeline_id,
        stage_id,
        amount: typed(&form.amount),
        currency: typed(&form.currency),
        expected_close: typed(&form.expected_close),
    };
    match state.app.convert_lead(&who.actor(), lead, conversion).await {
        Ok(converted) => {
            let notice = if converted.created {
                "notice-deal-converted"
            } else {
                "notice-deal-already-converted"
            };
            Ok(
                Redirect::to(&format!("/deals/{}?notice={notice}", converted.deal.id.0))
                    .into_response(),
            )
        }
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let view = form_page(&state, &who, lead, name, form, errors).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

async fn person_form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    show(state, who, LinkType::Person, id).await
}

async fn company_form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    show(state, who, LinkType::Company, id).await
}

async fn person_convert(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ConvertForm>,
) -> Result<Response, UiError> {
    convert(state, who, LinkType::Person, id, form).await
}

async fn company_convert(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ConvertForm>,
) -> Result<Response, UiError> {
    convert(state, who, LinkType::Company, id, form).await
}
