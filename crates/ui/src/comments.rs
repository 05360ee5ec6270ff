//! What the comment composer needs besides posting (which the timeline card's form does):
//! the `@` autocomplete's choices — only users who can see the record — and deleting a
//! comment from the timeline.

use crate::activities::ActivityHost;
use crate::custom::parse_id;
use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use crate::paths::{path_id, record_href};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use rehber_domain::activity::Link;
use rehber_domain::deal::Deals;
use rehber_domain::party::{Companies, People};
use rehber_web_core::auth::{SignedIn, redirect};
use rehber_web_core::state::AppState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/mentions", get(mentions::<People>))
        .route("/companies/{id}/mentions", get(mentions::<Companies>))
        .route("/deals/{id}/mentions", get(mentions::<Deals>))
        .route("/comments/{id}/delete", post(delete))
}

#[derive(Template)]
#[template(path = "comments/mentions.html")]
struct Choices {
    page: Page,
    users: Vec<(i64, String)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MentionQuery {
    q: String,
}

async fn mentions<K: ActivityHost>(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<MentionQuery>,
) -> Result<Response, UiError> {
    let id = K::raw(parse_id::<K>(&who, &id)?);
    let record = Link {
        record_type: K::LINK,
        record_id: id,
    };
    let query: String = query.q.chars().take(100).collect();
    let users = state
        .app
        .mentionable_users(&who.actor(), record, &query)
        .await
        .ui(&who)?
        .into_iter()
        .map(|u| (u.id.0, u.name))
        .collect();
    let page = Page::signed_in(&who, "activities-title", K::NAV);
    Ok(render(&Choices { page, users }))
}

/// Deletes a comment and goes back to its record's timeline.
async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let actor = who.actor();
    let comment = state.app.comment(&actor, id).await.ui(&who)?;
    state.app.delete_comment(&actor, id).await.ui(&who)?;
    Ok(redirect(
        &headers,
        &format!(
            "{}?notice=notice-comment-deleted#card-activities",
            record_href(comment.record)
        ),
    ))
}
