//! Rehber's web skins: the JSON API under `/api/v1` and the server-rendered UI, both thin
//! layers over `rehber-app`. Handlers parse input, call one service, render the result.
//! No SQL here.

pub mod api;
pub mod assets;
pub mod auth;
pub mod i18n;
pub(crate) mod list_params;
pub mod listener;
pub mod problem;
pub mod security;
pub mod state;
pub mod ui;

use axum::routing::get;
use rehber_app::App;
use state::AppState;
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (when served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` for the client address (behind a reverse proxy).
    pub trust_proxy: bool,
    /// The longest a request may take, body included; a slower one gets 408.
    pub request_timeout: std::time::Duration,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            request_timeout: REQUEST_TIMEOUT,
        }
    }
}

/// The whole application router: UI, API, assets and health checks.
pub fn router(app: App, config: WebConfig) -> axum::Router {
    let request_timeout = config.request_timeout;
    let state = AppState {
        app,
        config: Arc::new(config),
    };
    let (api_routes, api_doc) = api::router();
    let document = api::docs::ApiDocument(Arc::new(api_doc));
    let docs = axum::Router::new()
        .route("/api/v1/openapi.json", get(api::docs::openapi_json))
        .route("/api/docs", get(api::docs::docs_page))
        .with_state(document);
    let ui = ui::router().layer(axum::middleware::from_fn_with_state(
        state.clone(),
        auth::load_session,
    ));
    axum::Router::new()
        .nest("/api/v1", api_routes.fallback(api_not_found))
        .merge(ui)
        .route("/healthz", get(healthz))
        .with_state(state)
        .merge(docs)
        .merge(assets::router())
        .layer(RequestBodyLimitLayer::new(problem::MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(CatchPanicLayer::new())
        // Outside the layers above, so their bare refusals become problem documents.
        .layer(axum::middleware::from_fn(problem::http_errors))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(TraceLayer::new_for_http())
}

/// How long a request may take by default, body included.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, &'static str) {
    match state.app.store.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok"),
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        ),
    }
}

async fn api_not_found(headers: axum::http::HeaderMap) -> axum::response::Response {
    let lang = i18n::Lang::from_accept_language(
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    axum::response::IntoResponse::into_response(problem::ApiError::new(
        lang,
        rehber_domain::Error::NotFound,
    ))
}
