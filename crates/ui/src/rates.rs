//! Exchange rates: the list every signed-in user reads (boards convert with these), and for
//! administrators and sales managers a form to enter one by hand and the upload of the
//! central bank's daily file.

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::products::may_edit_products;
use rehber_domain::rate::rate_text;
use rehber_web_core::auth::SignedIn;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/exchange-rates", get(list).post(add))
        .route("/exchange-rates/tcmb", post(upload))
}

/// One rate as listed.
pub struct RateRow {
    pub currency: String,
    pub date: String,
    pub rate: String,
    pub source: String,
}

/// The hand-entry form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct RateForm {
    currency: String,
    date: String,
    rate: String,
}

#[derive(Template)]
#[template(path = "rates/index.html")]
struct RatesPage {
    page: Page,
    rows: Vec<RateRow>,
    may_edit: bool,
    form: RateForm,
    errors: HashMap<String, String>,
    upload_error: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    notice: Option<String>,
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    form: RateForm,
    errors: HashMap<String, String>,
    upload_error: String,
) -> Result<RatesPage, UiError> {
    let lang = who.lang;
    let rows = state
        .app
        .exchange_rates(&who.actor())
        .await
        .ui(who)?
        .into_iter()
        .map(|r| RateRow {
            currency: r.currency,
            date: lang.date(r.date),
            rate: rate_text(r.rate_e6),
            source: lang.t(&format!("rates-source-{}", r.source)),
        })
        .collect();
    Ok(RatesPage {
        page: Page::signed_in(who, "rates-title", "deals"),
        rows,
        may_edit: may_edit_products(&who.actor()),
        form,
        errors,
        upload_error,
    })
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, UiError> {
    let form = RateForm {
        currency: "USD".into(),
        date: state.app.today().to_string(),
        ..RateForm::default()
    };
    let mut view = page(&state, &who, form, HashMap::new(), String::new()).await?;
    view.page = view.page.with_notice_key(query.notice.as_deref());
    Ok(render(&view))
}

async fn add(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<RateForm>,
) -> Result<Response, UiError> {
    match state
        .app
        .put_rate(&who.actor(), &form.currency, &form.date, &form.rate)
        .await
    {
        Ok(_) => Ok(Redirect::to("/exchange-rates?notice=notice-rate-saved").into_response()),
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let view = page(&state, &who, form, errors, String::new()).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

async fn upload(
    State(state): State<AppState>,
    who: SignedIn,
    mut multipart: Multipart,
) -> Result<Response, UiError> {
    let mut file = Vec::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            file = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        }
    }
    match state.app.import_tcmb_rates(&who.actor(), &file).await {
        Ok(_) => Ok(Redirect::to("/exchange-rates?notice=notice-rates-imported").into_response()),
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let message = errors.into_values().next().unwrap_or_default();
                let form = RateForm {
                    currency: "USD".into(),
                    date: state.app.today().to_string(),
                    ..RateForm::default()
                };
                let view = page(&state, &who, form, HashMap::new(), message).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}
