//! Comments on people and companies, with @mentions: `POST/GET
//! /api/v1/{people|companies}/{id}/comments`, `DELETE /api/v1/comments/{id}` and the users
//! a comment may mention (the service's rules: `rehber_app::comments`).

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::comments::MAX_MENTION_CHOICES;
use rehber_app::timeline::MAX_TIMELINE_PAGE;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::comment::{Comment, CommentInput};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

const DEFAULT_LIMIT: i64 = 50;

/// A comment to write.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CommentRequest {
    /// The text, 1–20,000 characters; mentions are typed as `@Ad Soyad`.
    #[schema(example = "@Ayşe Kaya fiyatı onaylar mısın?")]
    pub body: Option<String>,
    /// The ids of the users it mentions (at most 20). Each must be an active user who can
    /// see the record; anyone else is refused (422) and nothing is stored.
    pub mentions: Option<Vec<i64>>,
}

impl DocumentedBody for CommentRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<CommentRequest>)
    }
}

/// A user, by id and name.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserRef {
    pub id: i64,
    pub name: String,
}

/// A comment on a record.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentResponse {
    pub id: i64,
    /// `person` or `company`.
    pub record_type: String,
    pub record_id: i64,
    pub body: String,
    pub author_id: i64,
    pub author_name: String,
    pub mentions: Vec<UserRef>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

impl From<Comment> for CommentResponse {
    fn from(c: Comment) -> Self {
        CommentResponse {
            id: c.id,
            record_type: c.record.record_type.as_str().to_string(),
            record_id: c.record.record_id,
            body: c.body,
            author_id: c.author_id.0,
            author_name: c.author_name,
            mentions: c
                .mentions
                .into_iter()
                .map(|(id, name)| UserRef { id: id.0, name })
                .collect(),
            created_at: c.created_at.to_string(),
        }
    }
}

/// A page of a record's comments, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentsResponse {
    pub items: Vec<CommentResponse>,
    /// Give it as `cursor` for older comments; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Comment on a person; the users it mentions are notified.
#[utoipa::path(post, path = "/people/{id}/comments", tag = "comments", params(("id" = i64, Path)),
    request_body = CommentRequest, responses(
    (status = 201, body = CommentResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "An empty or too long body, or a mention of someone who cannot see the person", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create_on_person(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    body: ApiBody<CommentRequest>,
) -> Result<Response, ApiError> {
    create(&state, &caller, link(LinkType::Person, id), body.0).await
}

/// Comment on a company; the users it mentions are notified.
#[utoipa::path(post, path = "/companies/{id}/comments", tag = "comments", params(("id" = i64, Path)),
    request_body = CommentRequest, responses(
    (status = 201, body = CommentResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "An empty or too long body, or a mention of someone who cannot see the company", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create_on_company(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    body: ApiBody<CommentRequest>,
) -> Result<Response, ApiError> {
    create(&state, &caller, link(LinkType::Company, id), body.0).await
}

/// Comment on a deal; the users it mentions are notified.
#[utoipa::path(post, path = "/deals/{id}/comments", tag = "comments", params(("id" = i64, Path)),
    request_body = CommentRequest, responses(
    (status = 201, body = CommentResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "An empty or too long body, or a mention of someone who cannot see the deal", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create_on_deal(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    body: ApiBody<CommentRequest>,
) -> Result<Response, ApiError> {
    create(&state, &caller, link(LinkType::Deal, id), body.0).await
}

/// A person's comments, newest first.
#[utoipa::path(get, path = "/people/{id}/comments", tag = "comments", params(
    ("id" = i64, Path),
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = CommentsResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list_on_person(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<CommentsResponse>, ApiError> {
    list(&state, &caller, link(LinkType::Person, id), raw.as_deref()).await
}

/// A company's comments, newest first.
#[utoipa::path(get, path = "/companies/{id}/comments", tag = "comments", params(
    ("id" = i64, Path),
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = CommentsResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list_on_company(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<CommentsResponse>, ApiError> {
    list(&state, &caller, link(LinkType::Company, id), raw.as_deref()).await
}

/// A deal's comments, newest first.
#[utoipa::path(get, path = "/deals/{id}/comments", tag = "comments", params(
    ("id" = i64, Path),
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = CommentsResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list_on_deal(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<CommentsResponse>, ApiError> {
    list(&state, &caller, link(LinkType::Deal, id), raw.as_deref()).await
}

/// The users a comment on this person may mention: active, able to see it, whose name or
/// e-mail starts a word with `q`.
#[utoipa::path(get, path = "/people/{id}/mentionable-users", tag = "comments", params(
    ("id" = i64, Path),
    ("q" = Option<String>, Query, description = "The start of a name or e-mail")
), responses(
    (status = 200, body = Vec<UserRef>),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn mentionable_on_person(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<UserRef>>, ApiError> {
    mentionable(&state, &caller, link(LinkType::Person, id), raw.as_deref()).await
}

/// The users a comment on this company may mention.
#[utoipa::path(get, path = "/companies/{id}/mentionable-users", tag = "comments", params(
    ("id" = i64, Path),
    ("q" = Option<String>, Query, description = "The start of a name or e-mail")
), responses(
    (status = 200, body = Vec<UserRef>),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn mentionable_on_company(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<UserRef>>, ApiError> {
    mentionable(&state, &caller, link(LinkType::Company, id), raw.as_deref()).await
}

/// Delete a comment (yours, or any as an administrator).
#[utoipa::path(delete, path = "/comments/{id}", tag = "comments", params(("id" = i64, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, description = "Someone else's comment", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn delete(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .delete_comment(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

fn link(record_type: LinkType, record_id: i64) -> Link {
    Link {
        record_type,
        record_id,
    }
}

async fn create(
    state: &AppState,
    caller: &ApiUser,
    record: Link,
    request: CommentRequest,
) -> Result<Response, ApiError> {
    let input = CommentInput {
        body: request.body.unwrap_or_default(),
        mentions: request.mentions.unwrap_or_default(),
    };
    let comment = state
        .app
        .add_comment(&caller.actor(), record, &input)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!(
        "/api/v1/{}/{}/comments",
        record.record_type.plural(),
        record.record_id
    );
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(CommentResponse::from(comment)),
    )
        .into_response())
}

async fn list(
    state: &AppState,
    caller: &ApiUser,
    record: Link,
    raw: Option<&str>,
) -> Result<Json<CommentsResponse>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(raw, &[&["limit", "cursor"]], &mut errors);
    let limit = params
        .integer("limit", 1..=i64::from(MAX_TIMELINE_PAGE), &mut errors)
        .unwrap_or(DEFAULT_LIMIT);
    let cursor = params.text("cursor", 100, &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let page = state
        .app
        .comments(
            &caller.actor(),
            record,
            cursor.as_deref(),
            u32::try_from(limit).unwrap_or(1),
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(CommentsResponse {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

async fn mentionable(
    state: &AppState,
    caller: &ApiUser,
    record: Link,
    raw: Option<&str>,
) -> Result<Json<Vec<UserRef>>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(raw, &[&["q"]], &mut errors);
    let query = params.text("q", 100, &mut errors).unwrap_or_default();
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let users = state
        .app
        .mentionable_users(&caller.actor(), record, &query)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    debug_assert!(users.len() <= MAX_MENTION_CHOICES);
    Ok(Json(
        users
            .into_iter()
            .map(|u| UserRef {
                id: u.id.0,
                name: u.name,
            })
            .collect(),
    ))
}
