//! The attachments card of a person's and a company's page: the record's files (pictures
//! with a thumbnail, PDFs with a preview, everything downloadable), a drop zone with a
//! progress bar that uploads with htmx and swaps only the card, and delete. The bytes are
//! served by the API's download endpoint, which takes the browser's session too.

use crate::activities::{ActivityHost, Host};
use crate::custom::parse_id;
use crate::error::{UiError, UiResultExt, render, wants_partial};
use crate::page::Page;
use crate::paths::{path_id, record_href};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rehber_domain::Error;
use rehber_domain::activity::Link;
use rehber_domain::attachment::Attachment;
use rehber_domain::deal::Deals;
use rehber_domain::party::{Companies, People};
use rehber_web_core::auth::{SignedIn, redirect};
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;

/// The upload routes, served with the upload cap as their body limit (see `rehber_web`).
pub fn upload_router() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/attachments", post(upload::<People>))
        .route("/companies/{id}/attachments", post(upload::<Companies>))
        .route("/deals/{id}/attachments", post(upload::<Deals>))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/attachments", get(show::<People>))
        .route("/companies/{id}/attachments", get(show::<Companies>))
        .route("/deals/{id}/attachments", get(show::<Deals>))
        .route("/attachments/{id}/delete", post(delete))
}

/// One file as the card lists it.
struct Row {
    id: i64,
    filename: String,
    size: String,
    by: String,
    when: String,
    when_iso: String,
    image: bool,
    preview: bool,
}

#[derive(Template)]
#[template(path = "attachments/card.html")]
pub(crate) struct Card {
    page: Page,
    /// Where a file is posted (`/people/12/attachments`).
    action: String,
    rows: Vec<Row>,
    can_write: bool,
    limit: String,
    /// The refused upload's message.
    error: Option<String>,
    /// The event that means the record changed (`person-12`, see `events.js`).
    live: String,
    /// Where the card is fetched again.
    refresh: String,
}

/// A size for people: `980 B`, `12,5 KB`, `3,2 MB`.
fn size_text(lang: Lang, bytes: i64) -> String {
    let (value, unit) = if bytes < 1024 {
        return format!("{bytes} B");
    } else if bytes < 1024 * 1024 {
        (bytes as f64 / 1024.0, "KB")
    } else {
        (bytes as f64 / (1024.0 * 1024.0), "MB")
    };
    let text = format!("{value:.1}");
    let text = if lang.code() == "tr" {
        text.replace('.', ",")
    } else {
        text
    };
    format!("{text} {unit}")
}

fn row(lang: Lang, a: Attachment) -> Row {
    Row {
        id: a.id,
        image: a.is_image(),
        preview: a.previewable(),
        size: size_text(lang, a.size),
        by: a.uploaded_by_name.clone().unwrap_or_default(),
        when: lang.datetime(a.created_at),
        when_iso: a.created_at.to_string(),
        filename: a.filename,
    }
}

/// The card of record `id` of the host kind.
pub(crate) async fn card(
    state: &AppState,
    who: &SignedIn,
    host: Host,
    id: i64,
    error: Option<String>,
) -> Result<Card, UiError> {
    let record = Link {
        record_type: host.link,
        record_id: id,
    };
    let found = state.app.attachments(&who.actor(), record).await.ui(who)?;
    Ok(Card {
        page: Page::signed_in(who, host.nav, host.nav),
        action: format!("{}/{id}/attachments", host.base),
        rows: found.into_iter().map(|a| row(who.lang, a)).collect(),
        can_write: who
            .actor()
            .role
            .can_write(rehber_domain::access::RecordKind::Activity),
        limit: rehber_web_core::problem::megabytes(state.app.settings.max_upload_bytes),
        error,
        live: format!("{}-{id}", host.link.as_str()),
        refresh: format!("{}/{id}/attachments", host.base),
    })
}

/// The card's HTML for a record page.
pub(crate) async fn card_html(
    state: &AppState,
    who: &SignedIn,
    host: Host,
    id: i64,
) -> Result<String, UiError> {
    let card = card(state, who, host, id, None).await?;
    Ok(card.render().unwrap_or_else(|error| {
        tracing::error!(%error, "rendering the attachments card failed");
        String::new()
    }))
}

/// `GET /{people|companies}/{id}/attachments`: the card alone (htmx refreshes it).
pub(crate) async fn show<K: ActivityHost>(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = K::raw(parse_id::<K>(&who, &id)?);
    Ok(render(
        &card(&state, &who, Host::of::<K>(), id, None).await?,
    ))
}

async fn upload<K: ActivityHost>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, UiError> {
    let id = K::raw(parse_id::<K>(&who, &id)?);
    let host = Host::of::<K>();
    let record = Link {
        record_type: K::LINK,
        record_id: id,
    };
    let lang = who.lang;
    let mut refusal: Option<String> = None;
    let mut stored = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                refusal = Some(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large(lang, &state)
                } else {
                    lang.t("invalid-file-upload")
                });
                break;
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or("dosya").to_string();
        match state
            .app
            .attach(&who.actor(), record, &filename, field)
            .await
        {
            Ok(_) => stored = true,
            Err(e) => {
                refusal = Some(match e.domain() {
                    Some(Error::Validation(errors)) => errors
                        .0
                        .first()
                        .map(|f| lang.t(&f.code))
                        .unwrap_or_default(),
                    Some(Error::TooLarge { .. }) => too_large(lang, &state),
                    _ => return Err(UiError::signed_in(&who, e)),
                });
            }
        }
        break;
    }
    if !stored && refusal.is_none() {
        refusal = Some(lang.t("invalid-file-missing"));
    }
    if !wants_partial(&headers) {
        let notice = if stored {
            "notice-file-attached"
        } else {
            "notice-file-refused"
        };
        return Ok(redirect(
            &headers,
            &format!("{}?notice={notice}#card-attachments", record_href(record)),
        ));
    }
    let status = if refusal.is_some() {
        crate::records::form_status(&headers, StatusCode::UNPROCESSABLE_ENTITY)
    } else {
        StatusCode::OK
    };
    let card = card(&state, &who, host, id, refusal).await?;
    Ok((status, render(&card)).into_response())
}

fn too_large(lang: Lang, state: &AppState) -> String {
    lang.t_args(
        "problem-file-too-large-detail",
        &[(
            "limit",
            rehber_web_core::problem::megabytes(state.app.settings.max_upload_bytes),
        )],
    )
}

async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let actor = who.actor();
    let found = state.app.attachment(&actor, id).await.ui(&who)?;
    state.app.delete_attachment(&actor, id).await.ui(&who)?;
    Ok(redirect(
        &headers,
        &format!(
            "{}?notice=notice-file-deleted#card-attachments",
            record_href(found.record)
        ),
    ))
}
