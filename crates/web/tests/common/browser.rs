//! A browser of the web tests: the cookies it was given, its language, and (when signed in
//! by the test kit rather than through the sign-in form) the session's CSRF token, which it
//! sends as htmx does.

use super::server::TestServer;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use rehber_app::User;
use std::collections::BTreeMap;
use std::sync::Mutex;

pub struct Browser {
    server: TestServer,
    cookies: Mutex<BTreeMap<String, String>>,
    accept_language: &'static str,
    csrf: Option<String>,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    /// Where a redirect goes (empty when it is none).
    pub fn location(&self) -> String {
        self.location.clone().unwrap_or_default()
    }
}

/// `fields` as a form body.
pub fn form_encode(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// The value of the first `_csrf` field in a page.
pub fn csrf_of(body: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = body.find(marker).expect("a page with a CSRF field") + marker.len();
    let end = body[start..].find('"').unwrap() + start;
    body[start..end].to_string()
}

impl Browser {
    /// A browser with no cookies that reads Turkish.
    pub fn new(server: &TestServer) -> Browser {
        Browser {
            server: server.clone(),
            cookies: Mutex::new(BTreeMap::new()),
            accept_language: "tr-TR,tr;q=0.9",
            csrf: None,
        }
    }

    /// A browser with no cookies, reading Turkish, of a server of its own over `app`.
    pub fn on(app: &rehber_app::App) -> Browser {
        Browser::new(&TestServer::spawn(app))
    }

    /// The value of a cookie the browser keeps.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn english(mut self) -> Browser {
        self.accept_language = "en-GB,en;q=0.9";
        self
    }

    /// An English browser with `user`'s session, signed in by the services (the sign-in
    /// form has tests of its own).
    pub async fn signed_in(server: &TestServer, user: &User, password: &str) -> Browser {
        let session = server
            .app
            .login(&user.email, password, "test")
            .await
            .unwrap();
        let browser = Browser::new(server).english();
        browser
            .cookies
            .lock()
            .unwrap()
            .insert("rehber_session".into(), session.token);
        Browser {
            csrf: Some(session.session.csrf_token),
            ..browser
        }
    }

    pub async fn send(&self, request: axum::http::request::Builder, body: Body) -> Page {
        let cookie = self
            .cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut request = request.header(header::ACCEPT_LANGUAGE, self.accept_language);
        if !cookie.is_empty() {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(csrf) = &self.csrf {
            request = request.header("x-csrf-token", csrf);
        }
        let response = self.server.send(request.body(body).unwrap()).await;
        for set in response.headers().get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let removed = value.is_empty() || set.to_ascii_lowercase().contains("max-age=0");
            let mut cookies = self.cookies.lock().unwrap();
            if removed {
                cookies.remove(name);
            } else {
                cookies.insert(name.to_string(), value.to_string());
            }
        }
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        Page {
            status: response.status(),
            headers: response.headers().clone(),
            location,
            body: String::from_utf8_lossy(response.body()).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str) -> Page {
        self.send(Request::get(uri), Body::empty()).await
    }

    /// A GET as htmx sends it (the page answers with a fragment).
    pub async fn htmx_get(&self, uri: &str) -> Page {
        self.send(
            Request::get(uri).header("hx-request", "true"),
            Body::empty(),
        )
        .await
    }

    pub async fn post(&self, uri: &str, fields: &[(&str, &str)]) -> Page {
        self.post_with(uri, fields, &[]).await
    }

    pub async fn htmx_post(&self, uri: &str, fields: &[(&str, &str)]) -> Page {
        self.post_with(uri, fields, &[("hx-request", "true")]).await
    }

    pub async fn post_with(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let mut request =
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        self.send(request, Body::from(form_encode(fields))).await
    }

    /// GETs `form_page`, then posts `fields` to `action` with the page's CSRF token.
    pub async fn submit(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(form_page).await;
        assert_eq!(page.status, StatusCode::OK, "{form_page}: {}", page.body);
        let csrf = csrf_of(&page.body);
        let mut all = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// Signs in through the sign-in form.
    pub async fn sign_in(&self, email: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/login",
            &[("email", email), ("password", password)],
        )
        .await
    }
}
