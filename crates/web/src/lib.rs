//! Rehber's web skins: the JSON API under `/api/v1` and the server-rendered UI, both thin
//! layers over `rehber-app`. Handlers parse input, call one service, render the result.
//! No SQL here.

use rehber_app::App;

/// Settings of the web layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (when served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` for the client address (behind a reverse proxy).
    pub trust_proxy: bool,
}

/// The whole application router: UI, API, assets and health checks.
pub fn router(app: App, config: WebConfig) -> axum::Router {
    let _ = (app, config);
    axum::Router::new().route("/healthz", axum::routing::get(|| async { "ok" }))
}
