//! The one harness of the web crate's tests: a server on a real port over a test database
//! ([`server::TestServer`]), called as an API client ([`Api`]: a bearer token, JSON replies)
//! or as a browser ([`browser::Browser`]: cookies, the CSRF token, forms and htmx).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

pub mod browser;
pub mod ledger;
pub mod server;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use rehber_app::App;
use rehber_web::WebConfig;
use serde_json::Value;
use server::TestServer;

/// An API client of a server of its own.
#[derive(Clone)]
pub struct Api {
    pub app: App,
    pub server: TestServer,
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: HeaderMap,
    pub body: Value,
    /// The body as it came (a PDF, a file).
    pub bytes: Vec<u8>,
}

impl Reply {
    /// The field names of a problem document's errors.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

impl Api {
    pub fn new(app: &App) -> Api {
        Api::with_config(app, WebConfig::default())
    }

    pub fn with_config(app: &App, config: WebConfig) -> Api {
        Api {
            app: app.clone(),
            server: TestServer::spawn_with(app, config),
        }
    }

    pub async fn token_for(&self, user: &rehber_app::User) -> String {
        self.app.issue_token(user, "test").await.unwrap().secret
    }

    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        self.call_raw(method, uri, token, body.map(|b| b.to_string()), &[])
            .await
    }

    /// A request with a JSON body given as text (sent as `application/json`) and more headers.
    pub async fn call_raw(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let body = match body {
            Some(text) => {
                let mut all = vec![("content-type", "application/json")];
                all.extend_from_slice(headers);
                return self.send(method, uri, token, Body::from(text), &all).await;
            }
            None => Body::empty(),
        };
        self.send(method, uri, token, body, headers).await
    }

    /// Any body, with exactly the headers given (and the token; English unless the headers
    /// name a language).
    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Body,
        headers: &[(&str, &str)],
    ) -> Reply {
        self.try_send(method, uri, token, body, headers)
            .await
            .unwrap()
    }

    /// A body the server refuses for its size, sent until the answer arrives: the server
    /// may close the connection while the client still writes, and the client then sees a
    /// broken pipe instead of the refusal (`body` makes the body afresh each time).
    pub async fn send_refused(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: impl Fn() -> Body,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut last = None;
        for _ in 0..20 {
            match self
                .try_send(method.clone(), uri, token, body(), headers)
                .await
            {
                Ok(reply) => return reply,
                Err(error) => last = Some(error),
            }
        }
        panic!("no answer in 20 tries: {last:?}");
    }

    /// [`send`](Self::send), or the client's error.
    pub async fn try_send(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Body,
        headers: &[(&str, &str)],
    ) -> Result<Reply, hyper_util::client::legacy::Error> {
        let mut request = Request::builder().method(method).uri(uri);
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("accept-language"))
        {
            request = request.header("accept-language", "en");
        }
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = self.server.try_send(request.body(body).unwrap()).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
        Ok(Reply {
            status,
            content_type,
            headers,
            body,
            bytes: response.body().to_vec(),
        })
    }
}

pub fn ids(reply: &Reply) -> Vec<i64> {
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect()
}

/// `text` as a query string value.
#[allow(dead_code)]
pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

const BOUNDARY: &str = "rehber-test-boundary";

/// A multipart body with one file in the field `name`.
pub fn multipart(name: &str, filename: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A multipart form of several fields: `(name, file name, bytes)`, a file name of `None`
/// making a plain field.
pub fn multipart_fields(fields: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, filename, bytes) in fields {
        let disposition = match filename {
            Some(filename) => format!(
                "form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream"
            ),
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n").into_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").into_bytes());
    body
}

/// The content type of a [`multipart`] body.
pub fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}
