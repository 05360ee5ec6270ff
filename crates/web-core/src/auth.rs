//! Who is calling: the browser session (loaded once per request by [`load_session`], checked
//! for CSRF on every unsafe request) and the API's bearer tokens.

use crate::i18n::Lang;
use crate::problem::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rehber_app::auth::Session;
use rehber_domain::{Actor, Error};

pub const SESSION_COOKIE: &str = "rehber_session";
/// Double-submit token for forms shown before signing in (login, setup).
pub const PRE_SESSION_COOKIE: &str = "rehber_csrf";
/// Language chosen before signing in.
pub const LANG_COOKIE: &str = "rehber_lang";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "_csrf";
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// What [`load_session`] found for this request.
#[derive(Clone, Debug)]
pub struct RequestSession {
    pub session: Option<Session>,
    pub token: Option<String>,
    pub lang: Lang,
    pub pre_session_csrf: Option<String>,
}

/// The language of a request: the signed-in user's choice, else the language cookie, else
/// the browser's Accept-Language.
pub fn request_lang(headers: &HeaderMap, jar: &CookieJar, session: Option<&Session>) -> Lang {
    session
        .and_then(|s| s.user.locale.as_deref())
        .and_then(Lang::parse)
        .or_else(|| jar.get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())))
        .unwrap_or_else(|| {
            Lang::from_accept_language(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok()),
            )
        })
}

/// UI middleware: loads the session behind the cookie, and refuses unsafe requests whose
/// CSRF token does not match (the session's token, or the pre-session cookie on the login
/// and setup forms).
pub async fn load_session(
    State(state): State<AppState>,
    jar: CookieJar,
    request: Request,
    next: Next,
) -> Response {
    let token = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    let session = match &token {
        Some(t) => match state.app.session(t).await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return (StatusCode::SERVICE_UNAVAILABLE, "Service unavailable").into_response();
            }
        },
        None => None,
    };
    let lang = request_lang(request.headers(), &jar, session.as_ref());
    let pre_session_csrf = jar.get(PRE_SESSION_COOKIE).map(|c| c.value().to_string());
    let mut request = request;
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method {
        let expected = match &session {
            Some(s) => Some(s.csrf_token.clone()),
            None => pre_session_csrf.clone(),
        };
        // An upload is never read here (it may be far larger than a form): its token comes
        // in the header (htmx) or, from a form posted without JavaScript, in the address.
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if multipart {
            let presented = request
                .headers()
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .or_else(|| {
                    request
                        .uri()
                        .query()
                        .and_then(|q| form_field(q.as_bytes(), CSRF_FIELD))
                });
            let valid = matches!((&expected, &presented), (Some(e), Some(p)) if !e.is_empty() && constant_time_eq(e, p));
            if !valid {
                tracing::warn!(path = %request.uri().path(), "CSRF token missing or wrong");
                return (
                    StatusCode::FORBIDDEN,
                    axum::response::Html(lang.t("error-csrf")),
                )
                    .into_response();
            }
            request.extensions_mut().insert(RequestSession {
                session,
                token,
                lang,
                pre_session_csrf,
            });
            return next.run(request).await;
        }
        let (parts, body) = request.into_parts();
        let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
            Ok(b) => b,
            Err(_) => {
                return (StatusCode::PAYLOAD_TOO_LARGE, lang.t("problem-bad-request"))
                    .into_response();
            }
        };
        let presented = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| form_field(&bytes, CSRF_FIELD));
        let valid = matches!((&expected, &presented), (Some(e), Some(p)) if !e.is_empty() && constant_time_eq(e, p));
        if !valid {
            tracing::warn!(path = %parts.uri.path(), "CSRF token missing or wrong");
            // A page, not plain text: the HTTP layer turns plain-text errors into problem
            // documents, and this refusal is read by people in a browser.
            let message = lang.t("error-csrf");
            let page = format!(
                "<!doctype html><html lang=\"{}\"><meta charset=\"utf-8\"><title>{message}</title><p>{message}</p><p><a href=\"/\">Rehber</a></p></html>",
                lang.code()
            );
            return (StatusCode::FORBIDDEN, axum::response::Html(page)).into_response();
        }
        request = Request::from_parts(parts, axum::body::Body::from(bytes));
    }
    request.extensions_mut().insert(RequestSession {
        session,
        token,
        lang,
        pre_session_csrf,
    });
    next.run(request).await
}

/// A token field of an url-encoded form (tokens are hex, so no decoding is needed).
fn form_field(body: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    text.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A signed-in browser user. Handlers that take it are only reached when signed in; others
/// are sent to the login page (or to setup on a new installation).
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub session: Session,
    pub lang: Lang,
}

impl SignedIn {
    pub fn actor(&self) -> Actor {
        self.session.user.actor()
    }
}

/// The language of a UI request, signed in or not.
#[derive(Clone, Debug)]
pub struct UiContext(pub RequestSession);

impl<S: Send + Sync> FromRequestParts<S> for UiContext {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        parts
            .extensions
            .get::<RequestSession>()
            .cloned()
            .map(UiContext)
            .ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let UiContext(rs) = UiContext::from_request_parts(parts, state).await?;
        match rs.session {
            Some(session) => Ok(SignedIn {
                session,
                lang: rs.lang,
            }),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let target = format!("/login?next={}", percent_encode(next));
                Err(redirect(&parts.headers, &target))
            }
        }
    }
}

/// A redirect that also works for htmx requests (which follow `HX-Redirect`).
pub fn redirect(headers: &HeaderMap, target: &str) -> Response {
    if headers.contains_key("hx-request") {
        let mut response = StatusCode::OK.into_response();
        if let Ok(value) = target.parse() {
            response.headers_mut().insert("hx-redirect", value);
        }
        response
    } else {
        Redirect::to(target).into_response()
    }
}

pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure when configured.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    let mut cookie = Cookie::new(SESSION_COOKIE, token);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    cookie.set_secure(secure);
    cookie
}

/// An API caller authenticated by `Authorization: Bearer <token>`.
#[derive(Clone, Debug)]
pub struct ApiUser {
    pub user: rehber_app::User,
    pub lang: Lang,
}

impl ApiUser {
    pub fn actor(&self) -> Actor {
        self.user.actor()
    }
}

/// An API caller authenticated by a bearer token or, for endpoints a signed-in page also
/// calls (the event stream), by the browser's session cookie.
#[derive(Clone, Debug)]
pub struct ApiOrSessionUser(pub ApiUser);

impl FromRequestParts<AppState> for ApiOrSessionUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            return ApiUser::from_request_parts(parts, state)
                .await
                .map(ApiOrSessionUser);
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let ApiLang(lang) = ApiLang::from_request_parts(parts, state)
            .await
            .unwrap_or(ApiLang(Lang::default()));
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
            return Err(ApiError::new(lang, Error::Unauthenticated));
        };
        match state.app.session(&token).await {
            Ok(Some(session)) => {
                let lang = request_lang(&parts.headers, &jar, Some(&session));
                Ok(ApiOrSessionUser(ApiUser {
                    user: session.user,
                    lang,
                }))
            }
            Ok(None) => Err(ApiError::new(lang, Error::Unauthenticated)),
            Err(e) => Err(ApiError::new(lang, e)),
        }
    }
}

/// The language of an API request (for errors): the Accept-Language header.
#[derive(Clone, Copy, Debug)]
pub struct ApiLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiLang(Lang::from_accept_language(
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        )))
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ApiLang(lang) = ApiLang::from_request_parts(parts, state)
            .await
            .unwrap_or(ApiLang(Lang::default()));
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            return Err(ApiError::new(lang, Error::Unauthenticated));
        };
        match state.app.token_user(token).await {
            Ok(Some(user)) => {
                let lang = match parts.headers.get(header::ACCEPT_LANGUAGE) {
                    Some(_) => lang,
                    None => user.locale.as_deref().and_then(Lang::parse).unwrap_or(lang),
                };
                Ok(ApiUser { user, lang })
            }
            Ok(None) => Err(ApiError::new(lang, Error::Unauthenticated)),
            Err(e) => Err(ApiError::new(lang, e)),
        }
    }
}
