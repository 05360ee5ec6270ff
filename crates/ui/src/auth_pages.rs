//! First run and signing in: `/setup` (the first administrator), `/login`, `/logout`, and
//! the language switch (`/settings/language`, for signed-in and signed-out visitors).
//!
//! The forms shown before a session exists are protected by a double-submit token: the
//! `rehber_csrf` cookie set here and the same value in the form's `_csrf` field, checked by
//! `auth::load_session`. No business rule lives here: setup and login are service calls.

use crate::error::{UiError, form_messages, render};
use crate::page::Page;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rehber_domain::{Error, FieldErrors};
use rehber_web_core::auth::{
    LANG_COOKIE, PRE_SESSION_COOKIE, RequestSession, SESSION_COOKIE, SignedIn, UiContext,
    session_cookie,
};
use rehber_web_core::i18n::Lang;
use rehber_web_core::security::client_address;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/setup", get(setup_form).post(setup))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/settings/language", post(set_language))
}

/// 32 random bytes as hex, from the operating system's random source.
pub(crate) fn random_hex() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    let filled = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if !filled {
        // No /dev/urandom (not Unix): SipHash keyed by the standard library's per-process
        // random keys, mixed with the clock — unpredictable without those keys.
        use std::hash::{BuildHasher, Hasher};
        let now = jiff::Timestamp::now().as_nanosecond();
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_i128(now);
            h.write_usize(i);
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The pre-session CSRF token of this browser, creating the cookie when missing.
pub(crate) fn pre_session_token(context: &RequestSession, jar: CookieJar) -> (CookieJar, String) {
    match &context.pre_session_csrf {
        Some(token) if token.len() >= 32 && token.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (jar, token.clone())
        }
        _ => {
            let token = random_hex();
            let mut cookie = Cookie::new(PRE_SESSION_COOKIE, token.clone());
            cookie.set_http_only(true);
            cookie.set_same_site(SameSite::Lax);
            cookie.set_path("/");
            (jar.add(cookie), token)
        }
    }
}

/// Only local paths are followed after signing in (`/people?q=x`, not `//evil.example`).
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control() || c == '\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The socket peer when the server was started with connect info (absent in router tests).
pub(crate) struct Peer(pub Option<ConnectInfo<SocketAddr>>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts.extensions.get::<ConnectInfo<SocketAddr>>().cloned(),
        ))
    }
}

// ----- setup -----

#[derive(Template)]
#[template(path = "auth/setup.html")]
struct SetupPage {
    page: Page,
    email: String,
    name: String,
    errors: HashMap<String, String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SetupForm {
    email: String,
    name: String,
    password: String,
    password_confirm: String,
}

async fn setup_form(
    State(state): State<AppState>,
    UiContext(context): UiContext,
    jar: CookieJar,
) -> Result<Response, UiError> {
    if !state
        .app
        .needs_setup()
        .await
        .map_err(|e| UiError::anonymous(&context, e))?
    {
        return Ok(Redirect::to("/login").into_response());
    }
    let (jar, csrf) = pre_session_token(&context, jar);
    let body = SetupPage {
        page: Page::anonymous(&context, "setup-title", csrf),
        email: String::new(),
        name: String::new(),
        errors: HashMap::new(),
    };
    Ok((jar, render(&body)).into_response())
}

async fn setup(
    State(state): State<AppState>,
    UiContext(context): UiContext,
    jar: CookieJar,
    Form(form): Form<SetupForm>,
) -> Result<Response, UiError> {
    let lang = context.lang;
    let result = if form.password != form.password_confirm {
        let mut errors = FieldErrors::new();
        errors.add("password_confirm", "invalid-password-mismatch");
        Err(Error::Validation(errors).into())
    } else {
        state
            .app
            .setup_first_admin(&form.email, &form.name, &form.password)
            .await
    };
    match result {
        Ok(user) => {
            // Sign the new administrator in with the password just chosen.
            let session = state
                .app
                .login(&user.email, &form.password, "setup")
                .await
                .map_err(|e| UiError::anonymous(&context, e))?;
            let jar = jar
                .add(session_cookie(session.token, state.config.secure_cookies))
                .remove(Cookie::build(PRE_SESSION_COOKIE).path("/"));
            Ok((jar, Redirect::to("/")).into_response())
        }
        Err(e) => match form_messages(lang, &e) {
            Some(errors) => {
                let (jar, csrf) = pre_session_token(&context, jar);
                let body = SetupPage {
                    page: Page::anonymous(&context, "setup-title", csrf),
                    email: form.email,
                    name: form.name,
                    errors,
                };
                Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, render(&body)).into_response())
            }
            None => Err(UiError::anonymous(&context, e)),
        },
    }
}

// ----- login -----

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    page: Page,
    email: String,
    next: String,
    /// The one message above the form (wrong credentials, too many attempts).
    message: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

async fn login_form(
    State(state): State<AppState>,
    UiContext(context): UiContext,
    jar: CookieJar,
    Query(query): Query<NextQuery>,
) -> Result<Response, UiError> {
    let next = safe_next(query.next.as_deref());
    if context.session.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    if state
        .app
        .needs_setup()
        .await
        .map_err(|e| UiError::anonymous(&context, e))?
    {
        return Ok(Redirect::to("/setup").into_response());
    }
    let (jar, csrf) = pre_session_token(&context, jar);
    let body = LoginPage {
        page: Page::anonymous(&context, "login-title", csrf)
            .with_notice_key(query.notice.as_deref()),
        email: String::new(),
        next,
        message: None,
    };
    Ok((jar, render(&body)).into_response())
}

async fn login(
    State(state): State<AppState>,
    UiContext(context): UiContext,
    jar: CookieJar,
    headers: HeaderMap,
    Peer(peer): Peer,
    Form(form): Form<LoginForm>,
) -> Result<Response, UiError> {
    let next = safe_next(form.next.as_deref());
    let client = client_address(&headers, peer.as_ref(), state.config.trust_proxy);
    match state.app.login(&form.email, &form.password, &client).await {
        Ok(session) => {
            let jar = jar
                .add(session_cookie(session.token, state.config.secure_cookies))
                .remove(Cookie::build(PRE_SESSION_COOKIE).path("/"));
            Ok((jar, Redirect::to(&next)).into_response())
        }
        Err(e) => {
            let (status, message, retry_after) = match e.domain() {
                Some(Error::Unauthenticated) => (
                    StatusCode::UNAUTHORIZED,
                    context.lang.t("login-failed"),
                    None,
                ),
                Some(Error::RateLimited { retry_after_secs }) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    context.lang.t_args(
                        "login-rate-limited",
                        &[("seconds", retry_after_secs.to_string())],
                    ),
                    Some(*retry_after_secs),
                ),
                _ => return Err(UiError::anonymous(&context, e)),
            };
            let (jar, csrf) = pre_session_token(&context, jar);
            let body = LoginPage {
                page: Page::anonymous(&context, "login-title", csrf),
                email: form.email,
                next,
                message: Some(message),
            };
            let mut response = (status, jar, render(&body)).into_response();
            if let Some(seconds) = retry_after {
                response.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from(seconds),
                );
            }
            Ok(response)
        }
    }
}

async fn logout(
    State(state): State<AppState>,
    UiContext(context): UiContext,
    jar: CookieJar,
) -> Result<Response, UiError> {
    if let Some(token) = &context.token {
        state
            .app
            .logout(token)
            .await
            .map_err(|e| UiError::anonymous(&context, e))?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login?notice=notice-signed-out")).into_response())
}

// ----- language -----

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LanguageForm {
    locale: String,
}

/// Switches the language: stored on the user when signed in, and in a cookie in any case
/// (so the login page keeps it after signing out). Goes back to the page it came from.
async fn set_language(
    State(state): State<AppState>,
    UiContext(context): UiContext,
    jar: CookieJar,
    headers: HeaderMap,
    Form(form): Form<LanguageForm>,
) -> Result<Response, UiError> {
    let Some(lang) = Lang::parse(&form.locale) else {
        let mut errors = FieldErrors::new();
        errors.add("locale", "invalid-unknown-value");
        return Err(UiError::anonymous(&context, Error::Validation(errors)));
    };
    if let Some(session) = &context.session {
        let who = SignedIn {
            session: session.clone(),
            lang,
        };
        state
            .app
            .set_locale(&session.user, Some(lang.code()))
            .await
            .map_err(|e| UiError::signed_in(&who, e))?;
    }
    let mut cookie = Cookie::new(LANG_COOKIE, lang.code());
    cookie.set_path("/");
    cookie.set_same_site(SameSite::Lax);
    cookie.set_http_only(true);
    cookie.make_permanent();
    let back = referer_path(&headers);
    Ok((jar.add(cookie), Redirect::to(&back)).into_response())
}

/// The local path of the Referer (same-origin pages send it), for going back after a switch.
fn referer_path(headers: &HeaderMap) -> String {
    let Some(referer) = headers.get(header::REFERER).and_then(|v| v.to_str().ok()) else {
        return "/".into();
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let path = referer
        .split_once("://")
        .and_then(|(_, rest)| {
            let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
            (authority == host).then(|| format!("/{path}"))
        })
        .or_else(|| referer.starts_with('/').then(|| referer.to_string()));
    safe_next(path.as_deref())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/people?q=a")), "/people?q=a");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn random_tokens_are_long_hex_and_differ() {
        let a = random_hex();
        let b = random_hex();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn the_referer_is_followed_back_only_on_the_same_host() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "rehber.local:8080".parse().unwrap());
        headers.insert(
            header::REFERER,
            "http://rehber.local:8080/people?page=2".parse().unwrap(),
        );
        assert_eq!(referer_path(&headers), "/people?page=2");
        headers.insert(header::REFERER, "http://evil.example/x".parse().unwrap());
        assert_eq!(referer_path(&headers), "/");
    }
}
