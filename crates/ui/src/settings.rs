//! The signed-in user's own settings: language, password, API tokens (created with a
//! name, shown once, listed with their prefix and last use, revocable), and the personal
//! calendar feed (an address for calendar apps, shown once, replaceable and revocable). The language form
//! posts to `/settings/language` (in `auth_pages`, since it also works signed out).

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use rehber_domain::{Error, FieldErrors};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings", get(settings))
        .route("/settings/password", post(change_password))
        .route("/settings/tokens", post(create_token))
        .route("/settings/tokens/{id}/revoke", post(revoke_token))
        .route("/settings/calendar-feed", post(create_feed))
        .route("/settings/calendar-feed/revoke", post(revoke_feed))
}

/// One API token as listed.
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "settings/index.html")]
struct SettingsPage {
    page: Page,
    tokens: Vec<TokenRow>,
    /// Errors of the password form.
    password_errors: HashMap<String, String>,
    /// Errors of the token form and the name typed.
    token_errors: HashMap<String, String>,
    token_name: String,
    /// A token just created: its name and secret (shown once).
    new_token: Option<(String, String)>,
    /// Whether the user has a calendar feed, and its address just after it was made.
    has_feed: bool,
    new_feed: Option<String>,
    /// Minutes after which an unread notification is e-mailed; `None` without e-mail.
    email_after_minutes: Option<i64>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NoticeQuery {
    notice: Option<String>,
}

fn moment(lang: rehber_web_core::i18n::Lang, micros: i64) -> String {
    jiff::Timestamp::from_microsecond(micros)
        .map(|t| lang.datetime(t))
        .unwrap_or_default()
}

async fn settings_page(state: &AppState, who: &SignedIn) -> Result<SettingsPage, UiError> {
    let tokens = state
        .app
        .list_tokens(&who.session.user)
        .await
        .ui(who)?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            created: moment(who.lang, t.created_at),
            last_used: t.last_used_at.map(|m| moment(who.lang, m)),
            revoked: t.revoked_at.map(|m| moment(who.lang, m)),
            name: t.name,
            prefix: t.prefix,
        })
        .collect();
    Ok(SettingsPage {
        page: Page::signed_in(who, "settings-title", "settings"),
        tokens,
        password_errors: HashMap::new(),
        token_errors: HashMap::new(),
        token_name: String::new(),
        new_token: None,
        has_feed: state.app.has_calendar_feed(&who.actor()).await.ui(who)?,
        new_feed: None,
        email_after_minutes: state.app.settings.email_unread_after.map(|d| d.as_mins()),
    })
}

async fn settings(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let mut body = settings_page(&state, &who).await?;
    body.page = body.page.with_notice_key(query.notice.as_deref());
    Ok(render(&body))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    new_password_confirm: String,
}

async fn change_password(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<PasswordForm>,
) -> Result<Response, UiError> {
    let result = if form.new_password != form.new_password_confirm {
        let mut errors = FieldErrors::new();
        errors.add("new_password_confirm", "invalid-password-mismatch");
        Err(Error::Validation(errors).into())
    } else {
        state
            .app
            .change_password(
                &who.session.user,
                &form.current_password,
                &form.new_password,
            )
            .await
    };
    match result {
        Ok(()) => Ok(Redirect::to("/settings?notice=notice-password-changed").into_response()),
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let mut body = settings_page(&state, &who).await?;
                body.password_errors = errors;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&body)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<TokenForm>,
) -> Result<Response, UiError> {
    match state.app.issue_token(&who.session.user, &form.name).await {
        Ok(issued) => {
            let mut body = settings_page(&state, &who).await?;
            body.page.notice = Some(who.lang.t("notice-token-created"));
            body.new_token = Some((issued.row.name, issued.secret));
            let mut response = render(&body);
            // The secret is in this page only: do not let anything keep it.
            response.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let mut body = settings_page(&state, &who).await?;
                body.token_errors = errors;
                body.token_name = form.name;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&body)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, UiError> {
    state
        .app
        .revoke_token(&who.session.user, id)
        .await
        .ui(&who)?;
    Ok(Redirect::to("/settings?notice=notice-token-revoked#tokens").into_response())
}

async fn create_feed(
    State(state): State<AppState>,
    who: SignedIn,
    headers: axum::http::HeaderMap,
) -> Result<Response, UiError> {
    let token = state.app.issue_calendar_feed(&who.actor()).await.ui(&who)?;
    let mut body = settings_page(&state, &who).await?;
    body.page.notice = Some(who.lang.t("notice-feed-created"));
    body.new_feed = Some(format!(
        "{}/api/v1/calendar/{token}.ics",
        rehber_web_core::security::public_origin(&headers, &state.config)
    ));
    let mut response = render(&body);
    // The address is the credential: do not let anything keep this page.
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

async fn revoke_feed(State(state): State<AppState>, who: SignedIn) -> Result<Response, UiError> {
    state
        .app
        .revoke_calendar_feed(&who.actor())
        .await
        .ui(&who)?;
    Ok(Redirect::to("/settings?notice=notice-feed-revoked#calendar-feed").into_response())
}
