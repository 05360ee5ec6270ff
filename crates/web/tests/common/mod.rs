//! The API test harness shared by the web crate's API test binaries: the router in process
//! over a test database, requests with a bearer token, replies with status, headers and the
//! JSON body.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use rehber_app::App;
use rehber_web::{WebConfig, router};
use serde_json::Value;
use tower::ServiceExt;

#[derive(Clone)]
pub struct Api {
    pub app: App,
    pub router: axum::Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: HeaderMap,
    pub body: Value,
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
            router: router(app.clone(), config),
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
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            content_type,
            headers,
            body,
        }
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
