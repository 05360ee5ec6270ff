//! The server-rendered user interface: askama templates, htmx for partial updates, our own
//! CSS. Handlers parse the form or query, call one service, and render a page or fragment.
//!
//! Layout: `page.rs` (the frame every page gets), `error.rs` (UI error rendering and the
//! page-or-fragment helper), and one module per area. Templates live in
//! `crates/ui/templates/<area>/`, shared pieces in `templates/partials/`.

pub mod account_pages;
pub mod activities;
pub mod admin;
pub mod aging;
pub mod assets;
pub mod attachments;
pub mod auth_pages;
mod board;
pub mod calendar;
pub mod calendar_plan;
pub mod comments;
pub mod companies;
mod consents;
mod convert;
pub mod custom;
pub mod custom_admin;
pub mod deals;
mod duplicates;
pub mod error;
mod forecast;
pub mod home;
mod imports;
pub mod invoices;
mod iys;
pub mod ledger;
mod list_exports;
mod merge;
pub mod notifications;
mod orders;
pub mod page;
mod paths;
pub mod people;
mod pipelines_admin;
mod price_lists;
mod privacy;
mod products;
mod quotes;
mod rates;
pub mod records;
mod scoring_admin;
pub mod search;
pub mod settings;
pub mod tasks;
pub mod timeline;
pub mod today;
pub mod trash;

use axum::response::{IntoResponse, Response};
use error::UiError;
use rehber_web_core::auth::UiContext;
use rehber_web_core::state::AppState;

/// The UI's upload routes, served with the upload cap as their body limit (see
/// `rehber_web`).
pub fn upload_router() -> axum::Router<AppState> {
    attachments::upload_router()
}

/// The import upload, served with the import cap as its body limit (see `rehber_web`).
pub fn import_upload_router() -> axum::Router<AppState> {
    imports::upload_router()
}

/// The UI routes (wrapped by the session/CSRF middleware in `lib.rs`).
pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .merge(auth_pages::router())
        .merge(account_pages::router())
        .merge(home::router())
        .merge(imports::router())
        .merge(settings::router())
        .merge(admin::router())
        .merge(custom_admin::router())
        .merge(pipelines_admin::router())
        .merge(scoring_admin::router())
        .merge(products::router())
        .merge(price_lists::router())
        .merge(quotes::router())
        .merge(orders::router())
        .merge(invoices::router())
        .merge(ledger::router())
        .merge(aging::router())
        .merge(forecast::router())
        .merge(rates::router())
        .merge(people::router())
        .merge(companies::router())
        .merge(deals::router())
        .merge(consents::router())
        .merge(convert::router())
        .merge(duplicates::router())
        .merge(merge::router())
        .merge(list_exports::router())
        .merge(privacy::router())
        .merge(iys::router())
        .merge(trash::router())
        .merge(search::router())
        .merge(activities::router())
        .merge(comments::router())
        .merge(attachments::router())
        .merge(notifications::router())
        .merge(tasks::router())
        .merge(calendar::router())
        .merge(calendar_plan::router())
        .fallback(not_found)
}

/// Any other address: the localized 404 page.
async fn not_found(UiContext(context): UiContext) -> Response {
    UiError::anonymous(&context, rehber_domain::Error::NotFound).into_response()
}
