//! Passwords by e-mail, before signing in: `/forgot-password` asks for a reset link (the
//! answer never says whether the address has an account), `/set-password/{token}` takes a
//! link from an invitation or a reset and sets the password, then sends the user to sign
//! in. Without a mail server the forgot page says whom to ask instead.

use crate::auth_pages::pre_session_token;
use crate::error::{UiError, form_messages, render};
use crate::page::Page;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::cookie::CookieJar;
use rehber_app::account::LinkPurpose;
use rehber_web_core::auth::UiContext;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/forgot-password", get(forgot_form).post(forgot))
        .route("/set-password/{token}", get(set_form).post(set))
}

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    page: Page,
    can_email: bool,
    sent: bool,
    email: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ForgotForm {
    email: String,
}

async fn forgot_form(
    State(state): State<AppState>,
    UiContext(context): UiContext,
    jar: CookieJar,
) -> Response {
    let (jar, csrf) = pre_session_token(&context, jar);
    let body = ForgotPage {
        page: Page::anonymous(&context, "forgot-title", csrf),
        can_email: state.app.can_email(),
        sent: false,
        email: String::new(),
    };
    (jar, render(&body)).into_response()
}

async fn forgot(
    State(state): State<AppState>,
    UiContext(context): UiContext,
    jar: CookieJar,
    Form(form): Form<ForgotForm>,
) -> Result<Response, UiError> {
    let email: String = form.email.trim().chars().take(254).collect();
    state
        .app
        .request_password_reset(&email)
        .await
        .map_err(|e| UiError::anonymous(&context, e))?;
    let (jar, csrf) = pre_session_token(&context, jar);
    let body = ForgotPage {
        page: Page::anonymous(&context, "forgot-title", csrf),
        can_email: state.app.can_email(),
        sent: true,
        email,
    };
    Ok((jar, render(&body)).into_response())
}

#[derive(Template)]
#[template(path = "auth/set_password.html")]
struct SetPage {
    page: Page,
    /// `None`: the link is used, expired or unknown.
    purpose: Option<&'static str>,
    name: String,
    email: String,
    token: String,
    errors: HashMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SetForm {
    password: String,
    password_repeat: String,
}

fn purpose_key(purpose: LinkPurpose) -> &'static str {
    match purpose {
        LinkPurpose::Invite => "invite",
        LinkPurpose::Reset => "reset",
    }
}

async fn set_form(
    State(state): State<AppState>,
    UiContext(context): UiContext,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Result<Response, UiError> {
    let link = state
        .app
        .account_link(&token)
        .await
        .map_err(|e| UiError::anonymous(&context, e))?;
    let (jar, csrf) = pre_session_token(&context, jar);
    let status = if link.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let (purpose, name, email) = match link {
        Some((user, purpose)) => (Some(purpose_key(purpose)), user.name, user.email),
        None => (None, String::new(), String::new()),
    };
    let body = SetPage {
        page: Page::anonymous(&context, "set-password-title", csrf),
        purpose,
        name,
        email,
        token,
        errors: HashMap::new(),
    };
    Ok((status, jar, render(&body)).into_response())
}

async fn set(
    State(state): State<AppState>,
    UiContext(context): UiContext,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(form): Form<SetForm>,
) -> Result<Response, UiError> {
    let Some((user, purpose)) = state
        .app
        .account_link(&token)
        .await
        .map_err(|e| UiError::anonymous(&context, e))?
    else {
        return Ok(Redirect::to(&format!("/set-password/{token}")).into_response());
    };
    let mut errors = HashMap::new();
    if form.password != form.password_repeat {
        errors.insert(
            "password_repeat".to_string(),
            context.lang.t("invalid-password-mismatch"),
        );
    } else {
        match state
            .app
            .set_password_with_link(&token, &form.password)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to("/login?notice=notice-password-set").into_response());
            }
            Err(e) => match form_messages(context.lang, &e) {
                Some(messages) => errors = messages,
                None => return Err(UiError::anonymous(&context, e)),
            },
        }
    }
    let (jar, csrf) = pre_session_token(&context, jar);
    let body = SetPage {
        page: Page::anonymous(&context, "set-password-title", csrf),
        purpose: Some(purpose_key(purpose)),
        name: user.name,
        email: user.email,
        token,
        errors,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, render(&body)).into_response())
}
