//! The server-rendered user interface: askama templates, htmx for partial updates, our own
//! CSS. Handlers parse the form or query, call one service, and render a page or fragment.
//!
//! Layout: `page.rs` (the frame every page gets), `error.rs` (UI error rendering), and one
//! module per area. Templates live in `crates/web/templates/<area>/`.

pub mod page;

use crate::state::AppState;

/// The UI routes (wrapped by the session/CSRF middleware in `lib.rs`).
pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
}
