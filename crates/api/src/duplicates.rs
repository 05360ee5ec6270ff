//! `GET /api/v1/duplicates` (the review list of people or companies sharing an e-mail
//! address, phone, national ID or tax number, or with similar names) and `POST /api/v1/{people|companies}/{id}/merge`
//! (the rules: `rehber_app::duplicates` and `rehber_app::merge`). The handlers' names are
//! the operations' ids, so they name their kind.

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use super::wire::{CompanyResponse, PersonResponse};
use axum::Json;
use axum::extract::{RawQuery, State};
use rehber_app::duplicates::{DuplicatePage, MAX_DUPLICATE_PAGE};
use rehber_domain::party::{Companies, People};
use rehber_domain::{CompanyId, Error, PersonId};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// Two records that may be one: each by id and name (the lower id as `a`), and what they
/// share.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicateResponse {
    /// `person` or `company`.
    pub record_type: String,
    pub a_id: i64,
    pub a_name: String,
    pub b_id: i64,
    pub b_name: String,
    /// The fields they share: `emails`, `phones`, `national_id`, `tax_number`, and `name`
    /// for a similar name (see docs/api.md).
    pub reasons: Vec<String>,
    /// 100: an exact match on a key; 60: a similar name only.
    pub score: u8,
}

/// A page of possible duplicates.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicateList {
    pub items: Vec<DuplicateResponse>,
    /// Give it as `cursor` for more; absent on the last page.
    pub next_cursor: Option<String>,
}

fn list_of(record_type: &str, page: DuplicatePage) -> DuplicateList {
    DuplicateList {
        items: page
            .items
            .into_iter()
            .map(|pair| DuplicateResponse {
                record_type: record_type.into(),
                a_id: pair.a.0,
                a_name: pair.a.1,
                b_id: pair.b.0,
                b_name: pair.b.1,
                score: if pair.fields.iter().any(|f| *f != "name") {
                    100
                } else {
                    60
                },
                reasons: pair.fields.iter().map(|f| (*f).to_string()).collect(),
            })
            .collect(),
        next_cursor: page.next_cursor,
    }
}

/// People or companies you can see that share an e-mail address (in any case), a phone
/// (in any form), a national ID or a tax number, or whose names are alike (folded, a
/// person's at the same company or in the same city, a company's without its legal form):
/// possible duplicates to merge. Pairs that can never be merged (different tax numbers or
/// national IDs) are left out.
#[utoipa::path(get, path = "/duplicates", tag = "duplicates", params(
    ("record_type" = String, Query, description = "`person` or `company`"),
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page")
), responses(
    (status = 200, body = DuplicateList),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list_duplicates(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<DuplicateList>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(
        raw.as_deref(),
        &[&["record_type", "limit", "cursor"]],
        &mut errors,
    );
    let record_type = params.text("record_type", 20, &mut errors);
    let limit = params.integer("limit", 1..=MAX_DUPLICATE_PAGE as i64, &mut errors);
    let cursor = params.text("cursor", 60, &mut errors);
    match record_type.as_deref() {
        Some("person" | "company") => {}
        None => errors.invalid.add("record_type", "invalid-required"),
        Some(_) => errors.invalid.add("record_type", "invalid-unknown-value"),
    }
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let limit = limit.and_then(|n| u64::try_from(n).ok()).unwrap_or(50);
    let actor = caller.actor();
    let page = match record_type.as_deref() {
        Some("company") => {
            state
                .app
                .duplicates::<Companies>(&actor, cursor.as_deref(), limit)
                .await
        }
        _ => {
            state
                .app
                .duplicates::<People>(&actor, cursor.as_deref(), limit)
                .await
        }
    }
    .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(list_of(
        record_type.as_deref().unwrap_or("person"),
        page,
    )))
}

/// Which record to merge into the one named in the path.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MergeRequest {
    /// The record that goes: its links move to the one in the path, and it goes to the
    /// trash pointing at it.
    pub duplicate_id: Option<i64>,
    /// Fields whose value comes from the duplicate instead (`job_title`, `address`,
    /// `custom.<key>`, …; a list taken puts the duplicate's items first). By default the
    /// record in the path keeps every value it has.
    #[serde(default)]
    pub take: Vec<String>,
}

impl DocumentedBody for MergeRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<MergeRequest>)
    }
}

fn duplicate_id(caller: &ApiUser, body: &MergeRequest) -> Result<i64, ApiError> {
    body.duplicate_id.ok_or_else(|| {
        ApiError::new(
            caller.lang,
            Error::field("duplicate_id", "invalid-required"),
        )
    })
}

/// Merge a duplicate into this person: the person keeps their values (except those named in
/// `take`) and takes the other's where theirs are empty (e-mails, phones and tags joined); every activity, task,
/// comment, file, deal, quote, order and consent of the other moves here; the other goes
/// to the trash pointing here. Both are audited.
#[utoipa::path(post, path = "/people/{id}/merge", tag = "duplicates", params(("id" = i64, Path)),
    request_body = MergeRequest, responses(
    (status = 200, body = PersonResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Either person changed meanwhile", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "The same person, one you cannot see, different national IDs, or a duplicate with ledger rows", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn merge_people(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiBody(body): ApiBody<MergeRequest>,
) -> Result<Json<PersonResponse>, ApiError> {
    let other = duplicate_id(&caller, &body)?;
    let person = state
        .app
        .merge::<People>(&caller.actor(), PersonId(id), PersonId(other), &body.take)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(person.into()))
}

/// Merge a duplicate into this company (as for people; its people move here too). Two
/// companies with different tax numbers are different legal entities and are refused.
#[utoipa::path(post, path = "/companies/{id}/merge", tag = "duplicates", params(("id" = i64, Path)),
    request_body = MergeRequest, responses(
    (status = 200, body = CompanyResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Either company changed meanwhile", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "The same company, one you cannot see, different tax numbers, or a duplicate with ledger rows", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn merge_companies(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiBody(body): ApiBody<MergeRequest>,
) -> Result<Json<CompanyResponse>, ApiError> {
    let other = duplicate_id(&caller, &body)?;
    let company = state
        .app
        .merge::<Companies>(&caller.actor(), CompanyId(id), CompanyId(other), &body.take)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(company.into()))
}
