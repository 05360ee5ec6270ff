//! The trash (`/trash`, administrators only): deleted people and companies, newest deletion
//! first, each with a restore button. Reads and restores go through the services, which
//! refuse everyone but administrators as well.

use crate::custom::UiKind;
use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use crate::records::pages::record_href;
use crate::records::{self, Directory, PAGE_SIZE};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use rehber_app::list::ListRequest;
use rehber_app::{PageRequest, PartyFilter, PartySort, SortDirection};
use rehber_domain::party::{Companies, People};
use rehber_web_core::auth::{SignedIn, redirect};
use rehber_web_core::state::AppState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/trash", get(list))
        .route("/trash/people/{id}/restore", post(restore::<People>))
        .route("/trash/companies/{id}/restore", post(restore::<Companies>))
}

/// A deleted record as listed.
#[derive(Debug, Clone)]
pub struct TrashRow {
    pub id: i64,
    pub name: String,
    pub detail: String,
    pub owner: String,
    pub deleted: String,
}

#[derive(Template)]
#[template(path = "trash/list.html")]
struct TrashPage {
    page: Page,
    people: Vec<TrashRow>,
    companies: Vec<TrashRow>,
    people_next: Option<String>,
    companies_next: Option<String>,
    paged: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct TrashQuery {
    people_cursor: String,
    companies_cursor: String,
    notice: Option<String>,
}

fn require_admin(who: &SignedIn) -> Result<(), UiError> {
    if who.session.user.role.is_admin() {
        Ok(())
    } else {
        Err(UiError::forbidden(who))
    }
}

fn deleted(cursor: &str) -> ListRequest {
    ListRequest {
        filter: PartyFilter {
            deleted: true,
            ..PartyFilter::default()
        },
        sort: PartySort::Updated,
        direction: SortDirection::Desc,
        page: PageRequest {
            after: Some(cursor.trim().to_string()).filter(|c| !c.is_empty()),
            limit: PAGE_SIZE,
        },
        ..ListRequest::default()
    }
}

fn deleted_at(
    lang: rehber_web_core::i18n::Lang,
    meta: &rehber_domain::party::RecordMeta,
) -> String {
    lang.datetime(meta.deleted_at.unwrap_or(meta.updated_at))
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<TrashQuery>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let actor = who.actor();
    let lang = who.lang;
    let people = state
        .app
        .list::<People>(&actor, &deleted(&query.people_cursor))
        .await
        .ui(&who)?;
    let companies = state
        .app
        .list::<Companies>(&actor, &deleted(&query.companies_cursor))
        .await
        .ui(&who)?;
    let directory: Directory = records::directory(&state, &who).await?;
    let people_rows = people
        .items
        .into_iter()
        .map(|p| TrashRow {
            id: p.id.0,
            name: p.fields.full_name(),
            detail: p.company_name.clone().unwrap_or_default(),
            owner: directory.user_name(p.ownership.owner_id),
            deleted: deleted_at(lang, &p.meta),
        })
        .collect();
    let company_rows = companies
        .items
        .into_iter()
        .map(|c| TrashRow {
            id: c.id.0,
            name: c.fields.name.clone(),
            detail: c.fields.address.city.clone(),
            owner: directory.user_name(c.ownership.owner_id),
            deleted: deleted_at(lang, &c.meta),
        })
        .collect();
    let page =
        Page::signed_in(&who, "trash-title", "trash").with_notice_key(query.notice.as_deref());
    let next = |param: &str, cursor: Option<String>| {
        cursor.map(|c| {
            format!(
                "/trash?{param}={}",
                rehber_web_core::auth::percent_encode(&c)
            )
        })
    };
    Ok(render(&TrashPage {
        page,
        people: people_rows,
        companies: company_rows,
        people_next: next("people_cursor", people.next_cursor),
        companies_next: next("companies_cursor", companies.next_cursor),
        paged: !query.people_cursor.is_empty() || !query.companies_cursor.is_empty(),
    }))
}

/// Restores a record of kind `K` and opens it.
async fn restore<K: UiKind>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let id = crate::custom::parse_id::<K>(&who, &id)?;
    let record = state.app.restore::<K>(&who.actor(), id).await.ui(&who)?;
    let href = record_href::<K>(K::record_id(&record));
    Ok(redirect(
        &headers,
        &format!("{href}?notice=notice-record-restored"),
    ))
}
