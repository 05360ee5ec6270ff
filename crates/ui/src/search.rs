//! The search across every kind (`/search?q=`), reached from the search box on every page
//! (the `/` key focuses it): people and companies found in the caller's scope, each kind's
//! first matches with a link to its whole list searched the same way.

use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use rehber_app::search::SearchGroup;
use rehber_web_core::auth::{SignedIn, percent_encode};
use rehber_web_core::state::AppState;
use serde::Deserialize;

/// Matches shown per kind; the kind's list has the rest.
const PER_KIND: u32 = 10;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(search))
}

/// One kind's matches as shown.
struct Section {
    /// The message key of the section's heading.
    heading: &'static str,
    rows: Vec<Row>,
    /// The kind's list searched for the same query, when it holds more.
    more: Option<String>,
}

struct Row {
    href: String,
    title: String,
    subtitle: String,
}

#[derive(Template)]
#[template(path = "search/results.html")]
struct SearchPage {
    page: Page,
    q: String,
    sections: Vec<Section>,
    found: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct SearchQuery {
    q: String,
}

async fn search(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<SearchQuery>,
) -> Result<Response, UiError> {
    let groups = state
        .app
        .search_everything(&who.actor(), &query.q, PER_KIND)
        .await
        .ui(&who)?;
    let q = query.q.trim().to_string();
    let sections: Vec<Section> = groups.into_iter().map(|g| section(g, &q)).collect();
    let found = sections.iter().any(|s| !s.rows.is_empty());
    Ok(render(&SearchPage {
        page: Page::signed_in(&who, "search-title", "search"),
        q,
        sections,
        found,
    }))
}

fn section(group: SearchGroup, q: &str) -> Section {
    // The service returns people and companies only (see `search_everything`).
    let (heading, path) = match group.record_type {
        "company" => ("search-companies", "companies"),
        _ => ("search-people", "people"),
    };
    Section {
        heading,
        rows: group
            .hits
            .into_iter()
            .map(|hit| Row {
                href: format!("/{path}/{}", hit.id),
                title: hit.title,
                subtitle: hit.subtitle.unwrap_or_default(),
            })
            .collect(),
        more: group
            .more
            .then(|| format!("/{path}?q={}", percent_encode(q))),
    }
}
