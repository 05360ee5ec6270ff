//! "Olası kopyalar": the people (or companies) in the viewer's scope that share an e-mail
//! address, phone, national ID or tax number, or have similar names, side by side with what
//! tells them apart, each pair with a quick merge either way and a link to the merge screen
//! (`crate::merge`), where values are picked field by field.

use crate::custom::UiKind;
use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use crate::records::party::{FirstContact, Party};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use rehber_domain::party::{Companies, People};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::state::AppState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/duplicates", get(show))
}

/// One record of a pair, as the review shows it, with the other's id (merged into it when
/// this one is kept).
pub struct Side {
    pub id: i64,
    pub other: i64,
    pub href: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub city: String,
}

/// A pair: the lower id first, and what they share.
pub struct PairView {
    pub sides: [Side; 2],
    pub reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "duplicates/index.html")]
pub(crate) struct DuplicatesPage {
    page: Page,
    record_type: &'static str,
    /// `/people` or `/companies`: where merges are posted.
    base: &'static str,
    pairs: Vec<PairView>,
    next_href: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    record_type: String,
    cursor: Option<String>,
}

/// A record of the pair, read through the viewer's scope.
async fn side<K>(state: &AppState, who: &SignedIn, (id, other): (i64, i64)) -> Result<Side, UiError>
where
    K: UiKind,
    K::Fields: Party,
{
    let record = state.app.get::<K>(&who.actor(), K::id(id)).await.ui(who)?;
    let fields = K::fields(&record);
    let contact = FirstContact::of(fields);
    Ok(Side {
        id,
        other,
        href: format!("{}/{id}", K::BASE),
        name: K::title(&record),
        email: contact.email,
        phone: contact.phone,
        city: fields.address().city.clone(),
    })
}

async fn pairs<K>(
    state: &AppState,
    who: &SignedIn,
    cursor: Option<&str>,
) -> Result<(Vec<PairView>, Option<String>), UiError>
where
    K: UiKind,
    K::Fields: Party,
{
    let found = state
        .app
        .duplicates::<K>(&who.actor(), cursor, 50)
        .await
        .ui(who)?;
    let mut views = Vec::new();
    for pair in found.items {
        views.push(PairView {
            sides: [
                side::<K>(state, who, (pair.a.0, pair.b.0)).await?,
                side::<K>(state, who, (pair.b.0, pair.a.0)).await?,
            ],
            reasons: pair
                .fields
                .iter()
                .map(|f| match *f {
                    "name" => who.lang.t("duplicates-similar-name"),
                    f => who.lang.t(&format!("field-{f}")),
                })
                .collect(),
        });
    }
    Ok((views, found.next_cursor))
}

pub(crate) async fn page(
    state: &AppState,
    who: &SignedIn,
    record_type: &str,
    cursor: Option<&str>,
    error: Option<String>,
) -> Result<DuplicatesPage, UiError> {
    let (record_type, base, nav, (pairs, next)) = match record_type {
        "company" => (
            "company",
            "/companies",
            "companies",
            pairs::<Companies>(state, who, cursor).await?,
        ),
        _ => (
            "person",
            "/people",
            "people",
            pairs::<People>(state, who, cursor).await?,
        ),
    };
    Ok(DuplicatesPage {
        page: Page::signed_in(who, "duplicates-title", nav),
        record_type,
        base,
        pairs,
        next_href: next.map(|c| format!("/duplicates?record_type={record_type}&cursor={c}")),
        error,
    })
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ShowQuery>,
) -> Result<Response, UiError> {
    let view = page(
        &state,
        &who,
        &query.record_type,
        query.cursor.as_deref(),
        None,
    )
    .await?;
    Ok(render(&view))
}
