//! Static assets embedded into the binary: our stylesheet and script, and the pinned htmx
//! build copied from npm at build time. Served with long cache lifetimes and a version in
//! the URL query string.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const HTMX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/htmx.min.js"));
/// SortableJS: the deal board's drag and drop (touch included), loaded by that page only.
const SORTABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/Sortable.min.js"));
/// One stylesheet: the base design, the record pages' and the tasks' rules, concatenated at
/// build time.
const APP_CSS: &str = concat!(
    include_str!("../assets/app.css"),
    include_str!("../assets/records.css"),
    include_str!("../assets/tasks.css"),
    include_str!("../assets/board.css"),
    include_str!("../assets/quotes.css")
);
/// One script: the page behaviours, the record forms' (`forms.js`), the comment composer's
/// `@` autocomplete (`mentions.js`), live updates (`events.js`) and the attachments' drop
/// zone (`uploads.js`), the deal board's (`board.js`) and the quote editor's (`quotes.js`),
/// concatenated.
const APP_JS: &str = concat!(
    include_str!("../assets/app.js"),
    include_str!("../assets/forms.js"),
    include_str!("../assets/mentions.js"),
    include_str!("../assets/events.js"),
    include_str!("../assets/uploads.js"),
    include_str!("../assets/board.js"),
    include_str!("../assets/quotes.js")
);
const ICON: &str = include_str!("../assets/icon.svg");

fn asset(body: impl Into<axum::body::Body>, content_type: &'static str) -> Response {
    let mut response = body.into().into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}

pub fn router() -> axum::Router {
    axum::Router::new()
        .route(
            "/assets/htmx.min.js",
            get(|| async { asset(HTMX, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/assets/sortable.min.js",
            get(|| async { asset(SORTABLE, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/assets/app.css",
            get(|| async { asset(APP_CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/assets/app.js",
            get(|| async { asset(APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/assets/icon.svg",
            get(|| async { asset(ICON, "image/svg+xml") }),
        )
        .route(
            "/favicon.ico",
            get(|| async { asset(ICON, "image/svg+xml") }),
        )
}
