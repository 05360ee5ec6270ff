//! Rehber's web skins put together: the JSON API under `/api/v1` (`rehber-api`) and the
//! server-rendered UI (`rehber-ui`), both thin layers over `rehber-app` on the shared
//! pieces of `rehber-web-core`, behind one router and one listener. No SQL here.

pub mod listener;

pub use rehber_api as api;
pub use rehber_ui as ui;
pub use rehber_ui::assets;
pub use rehber_web_core::{
    REQUEST_TIMEOUT, WebConfig, auth, documents, export, i18n, imports, mail, problem, security,
    state,
};

use axum::routing::get;
use rehber_app::App;
use state::AppState;
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The whole application router: UI, API, assets and health checks.
pub fn router(app: App, config: WebConfig) -> axum::Router {
    let timeout =
        |limit| TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, limit);
    let request_timeout = timeout(config.request_timeout);
    let upload_timeout = timeout(config.upload_timeout);
    let import_timeout = timeout(config.upload_timeout);
    // An upload may be as large as the cap, plus the multipart form around it.
    let upload_limit = usize::try_from(app.settings.max_upload_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
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
    let uploads = api::upload_router()
        .merge(
            ui::upload_router().layer(axum::middleware::from_fn_with_state(
                state.clone(),
                auth::load_session,
            )),
        )
        .layer(RequestBodyLimitLayer::new(upload_limit))
        .layer(upload_timeout);
    let import_limit = usize::try_from(rehber_app::imports::MAX_IMPORT_BYTES)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    let imports = api::import_router()
        .merge(
            ui::import_upload_router().layer(axum::middleware::from_fn_with_state(
                state.clone(),
                auth::load_session,
            )),
        )
        .layer(RequestBodyLimitLayer::new(import_limit))
        .layer(import_timeout);
    let everything_else = axum::Router::new()
        .nest("/api/v1", api_routes.fallback(api_not_found))
        .merge(ui)
        .route("/healthz", get(healthz))
        .layer(RequestBodyLimitLayer::new(problem::MAX_BODY_BYTES))
        .layer(request_timeout);
    axum::Router::new()
        .merge(uploads)
        .merge(imports)
        .merge(everything_else)
        .with_state(state)
        .merge(docs.layer(request_timeout))
        .merge(assets::router().layer(request_timeout))
        .layer(CatchPanicLayer::new())
        // Outside the layers above, so their bare refusals become problem documents.
        .layer(axum::middleware::from_fn(problem::http_errors))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(TraceLayer::new_for_http())
}

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
