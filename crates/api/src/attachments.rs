//! Attachments of people and companies: `POST /api/v1/{people|companies}/{id}/attachments`
//! (multipart, field `file`; routed apart from the rest so its body may be as large as the
//! upload cap), `GET …/attachments`, `GET /api/v1/attachments/{id}/download` and
//! `DELETE /api/v1/attachments/{id}` (the service's rules: `rehber_app::attachments`).

use super::extract::ApiId;
use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_domain::Error;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::attachment::Attachment;
use rehber_web_core::auth::{ApiOrSessionUser, ApiUser};
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::Serialize;
use utoipa::ToSchema;

/// An attachment.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentResponse {
    pub id: i64,
    #[schema(example = "Teklif TKF-2026-000123.pdf")]
    pub filename: String,
    /// Bytes.
    pub size: i64,
    /// As sniffed from the content.
    #[schema(example = "application/pdf")]
    pub content_type: String,
    /// `person` or `company`.
    pub record_type: String,
    pub record_id: i64,
    pub uploaded_by: Option<i64>,
    pub uploaded_by_name: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// Where its bytes are (`/api/v1/attachments/{id}/download`).
    pub download_url: String,
}

impl From<Attachment> for AttachmentResponse {
    fn from(a: Attachment) -> Self {
        AttachmentResponse {
            download_url: format!("/api/v1/attachments/{}/download", a.id),
            id: a.id,
            filename: a.filename,
            size: a.size,
            content_type: a.content_type,
            record_type: a.record.record_type.as_str().to_string(),
            record_id: a.record.record_id,
            uploaded_by: a.uploaded_by.map(|u| u.0),
            uploaded_by_name: a.uploaded_by_name,
            created_at: a.created_at.to_string(),
        }
    }
}

/// A record's attachments, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentsResponse {
    pub items: Vec<AttachmentResponse>,
}

fn link(record_type: LinkType, record_id: i64) -> Link {
    Link {
        record_type,
        record_id,
    }
}

/// Attach a file to a person (multipart, field `file`; up to 25 MB unless configured).
#[utoipa::path(post, path = "/people/{id}/attachments", tag = "attachments", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "A form with the file in the field `file`"),
    responses(
    (status = 201, body = AttachmentResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 413, description = "Larger than the cap; nothing kept", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "No file, an empty one or a program", body = Problem, content_type = "application/problem+json")
))]
pub async fn upload_to_person(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    multipart: Multipart,
) -> Response {
    upload(&state, &caller, link(LinkType::Person, id), multipart)
        .await
        .unwrap_or_else(|refusal| refusal)
}

/// Attach a file to a company (multipart, field `file`).
#[utoipa::path(post, path = "/companies/{id}/attachments", tag = "attachments", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "A form with the file in the field `file`"),
    responses(
    (status = 201, body = AttachmentResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 413, description = "Larger than the cap; nothing kept", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "No file, an empty one or a program", body = Problem, content_type = "application/problem+json")
))]
pub async fn upload_to_company(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    multipart: Multipart,
) -> Response {
    upload(&state, &caller, link(LinkType::Company, id), multipart)
        .await
        .unwrap_or_else(|refusal| refusal)
}

async fn upload(
    state: &AppState,
    caller: &ApiUser,
    record: Link,
    mut multipart: Multipart,
) -> Result<Response, Response> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                caller.lang,
                Error::TooLarge {
                    limit_bytes: state.app.settings.max_upload_bytes,
                },
            )
            .into_response()
        } else {
            ApiError::bad_request(caller.lang, e.body_text())
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or("dosya").to_string();
        let attachment = state
            .app
            .attach(&caller.actor(), record, &filename, field)
            .await
            .map_err(|e| ApiError::new(caller.lang, e).into_response())?;
        let location = format!("/api/v1/attachments/{}/download", attachment.id);
        return Ok((
            StatusCode::CREATED,
            [(header::LOCATION, location)],
            Json(AttachmentResponse::from(attachment)),
        )
            .into_response());
    }
    Err(ApiError::new(caller.lang, Error::field("file", "invalid-required")).into_response())
}

/// A person's attachments, newest first.
#[utoipa::path(get, path = "/people/{id}/attachments", tag = "attachments", params(("id" = i64, Path)), responses(
    (status = 200, body = AttachmentsResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list_on_person(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<AttachmentsResponse>, ApiError> {
    list(&state, &caller, link(LinkType::Person, id), raw.as_deref()).await
}

/// A company's attachments, newest first.
#[utoipa::path(get, path = "/companies/{id}/attachments", tag = "attachments", params(("id" = i64, Path)), responses(
    (status = 200, body = AttachmentsResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list_on_company(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<AttachmentsResponse>, ApiError> {
    list(&state, &caller, link(LinkType::Company, id), raw.as_deref()).await
}

async fn list(
    state: &AppState,
    caller: &ApiUser,
    record: Link,
    raw: Option<&str>,
) -> Result<Json<AttachmentsResponse>, ApiError> {
    super::no_query(caller.lang, raw)?;
    let found = state
        .app
        .attachments(&caller.actor(), record)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(AttachmentsResponse {
        items: found.into_iter().map(Into::into).collect(),
    }))
}

/// An attachment's bytes, always as a download (`Content-Disposition: attachment`,
/// `X-Content-Type-Options: nosniff`); `?inline=true` shows pictures and PDFs in the
/// browser instead.
#[utoipa::path(get, path = "/attachments/{id}/download", tag = "attachments", params(
    ("id" = i64, Path),
    ("inline" = Option<bool>, Query, description = "`true`: show a picture or PDF in the browser")
), responses(
    (status = 200, description = "The file", content_type = "application/octet-stream"),
    (status = 404, description = "Absent, deleted or on a record outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn download(
    State(state): State<AppState>,
    ApiOrSessionUser(caller): ApiOrSessionUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut errors = rehber_web_core::query::QueryErrors::default();
    let params =
        rehber_web_core::query::QueryParams::parse(raw.as_deref(), &[&["inline"]], &mut errors);
    let inline = params.boolean("inline", &mut errors).unwrap_or(false);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let (attachment, bytes) = state
        .app
        .attachment_content(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(file_response(&attachment, inline, Body::from_stream(bytes)))
}

/// A stored file as an HTTP answer: a download, or inline for a picture or PDF when asked.
pub fn file_response(attachment: &Attachment, inline: bool, body: Body) -> Response {
    let inline = inline && attachment.previewable();
    let disposition = format!(
        "{}; filename=\"{}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        ascii_fallback(&attachment.filename),
        rfc5987(&attachment.filename)
    );
    let mut response = body.into_response();
    let headers = response.headers_mut();
    let content_type = if inline {
        attachment.content_type.as_str()
    } else {
        "application/octet-stream"
    };
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(attachment.size));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// The name for clients that do not read `filename*`: Turkish letters spelled in ASCII,
/// anything else unsafe replaced.
fn ascii_fallback(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'ç' => 'c',
            'Ç' => 'C',
            'ğ' => 'g',
            'Ğ' => 'G',
            'ı' => 'i',
            'İ' => 'I',
            'ö' => 'o',
            'Ö' => 'O',
            'ş' => 's',
            'Ş' => 'S',
            'ü' => 'u',
            'Ü' => 'U',
            c if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' => c,
            _ => '_',
        })
        .collect()
}

/// RFC 5987 percent-encoding of UTF-8.
fn rfc5987(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Delete an attachment (to the trash).
#[utoipa::path(delete, path = "/attachments/{id}", tag = "attachments", params(("id" = i64, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 403, description = "Not yours to delete", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn delete(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .delete_attachment(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn turkish_file_names_survive_the_disposition_header() {
        assert_eq!(
            ascii_fallback("Şubat teklifi \"son\".pdf"),
            "Subat teklifi _son_.pdf"
        );
        assert_eq!(rfc5987("Şubat teklifi.pdf"), "%C5%9Eubat%20teklifi.pdf");
    }
}
