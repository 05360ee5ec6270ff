//! Saved views on a kind's list page: the menu of the reader's own and the shared views,
//! saving the list as it stands (its filters, rule and sort, and the columns the chooser
//! keeps), opening one and deleting one.

use super::RecordPages;
use crate::error::{UiError, UiResultExt};
use crate::records::list::ListQuery;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum_extra::extract::Form;
use rehber_app::views::ViewInput;
use rehber_domain::Error;
use rehber_web_core::auth::{SignedIn, redirect};
use rehber_web_core::state::AppState;
use serde::Deserialize;

/// The views menu of a list page.
#[derive(Debug, Clone, Default)]
pub struct ViewMenu {
    pub items: Vec<ViewItem>,
    /// The list's address as a view keeps it (filters, rule, sort).
    pub save_query: String,
    /// The name the save form offers: the view the list is showing, if it is the reader's.
    pub save_name: String,
    /// Whether that view is shared (saving it again keeps it so unless unticked).
    pub save_shared: bool,
    pub can_share: bool,
    /// The columns of the view just opened (JSON), for the column chooser to take over.
    pub opened_columns: String,
}

#[derive(Debug, Clone)]
pub struct ViewItem {
    pub id: i64,
    pub name: String,
    pub href: String,
    /// Whose it is, for a colleague's shared view (empty for one's own).
    pub owner: String,
    pub shared: bool,
    /// The list shows exactly this view's filters and sort.
    pub current: bool,
    /// Where its delete form posts, when the reader may delete it.
    pub delete_href: Option<String>,
}

/// The views menu for a list showing `query`.
pub(crate) async fn menu<K: RecordPages>(
    state: &AppState,
    who: &SignedIn,
    query: &ListQuery,
) -> Result<ViewMenu, UiError> {
    let actor = who.actor();
    let views = state.app.views::<K>(&actor).await.ui(who)?;
    let showing = query.filters_query();
    let opened = query.view.trim().parse::<i64>().ok();
    let mut menu = ViewMenu {
        save_query: showing.clone(),
        can_share: actor.role.can_share_views(),
        ..ViewMenu::default()
    };
    for view in views {
        let own = view.owner_id == actor.user_id.0;
        let current = view.query == showing;
        if current && own {
            menu.save_name.clone_from(&view.name);
            menu.save_shared = view.shared;
        }
        if opened == Some(view.id) {
            menu.opened_columns.clone_from(&view.columns);
        }
        menu.items.push(ViewItem {
            id: view.id,
            href: format!("{}/views/{}", K::BASE, view.id),
            owner: if own { String::new() } else { view.owner_name },
            shared: view.shared,
            current,
            delete_href: (own || actor.role.is_admin())
                .then(|| format!("{}/views/{}/delete", K::BASE, view.id)),
            name: view.name,
        });
    }
    Ok(menu)
}

/// The save form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ViewForm {
    pub name: String,
    /// The list's address when the form was shown.
    pub query: String,
    /// The column chooser's state, filled in by the page's script.
    pub columns: String,
    pub shared: String,
}

/// The list parameters of an address (anything else it held is left out).
fn list_address(raw: &str) -> String {
    let uri = format!("/?{}", raw.trim_start_matches('?'));
    match uri
        .parse()
        .ok()
        .and_then(|uri| Query::<ListQuery>::try_from_uri(&uri).ok())
    {
        Some(Query(query)) => query.with_custom(Some(raw)).filters_query(),
        None => String::new(),
    }
}

fn list_href<K: RecordPages>(query: &str, extra: &str) -> String {
    match (query.is_empty(), extra.is_empty()) {
        (true, true) => K::BASE.to_string(),
        (true, false) => format!("{}?{extra}", K::BASE),
        (false, true) => format!("{}?{query}", K::BASE),
        (false, false) => format!("{}?{query}&{extra}", K::BASE),
    }
}

pub(super) async fn save<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Form(form): Form<ViewForm>,
) -> Result<Response, UiError> {
    let query = list_address(&form.query);
    let input = ViewInput {
        name: form.name.clone(),
        query: query.clone(),
        columns: form.columns,
        shared: matches!(form.shared.as_str(), "on" | "true" | "1"),
    };
    let notice = match state.app.save_view::<K>(&who.actor(), &input).await {
        Ok(id) => {
            let saved = format!("notice=notice-view-saved&view={id}");
            return Ok(redirect(&headers, &list_href::<K>(&query, &saved)));
        }
        Err(e) => match e.domain() {
            Some(Error::Validation(errors)) => match errors.get("name").map(|e| e.code.as_str()) {
                Some("invalid-required") => "notice-view-name-required",
                Some("invalid-too-many-views") => "notice-view-too-many",
                Some(_) => "notice-view-name-invalid",
                None => "notice-view-unreadable",
            },
            _ => return Err(UiError::signed_in(&who, e)),
        },
    };
    let extra = format!("notice={notice}");
    Ok(redirect(&headers, &list_href::<K>(&query, &extra)))
}

/// A view's id from its address; anything else is "not found".
fn view_id(who: &SignedIn, text: &str) -> Result<i64, UiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| UiError::not_found(who))
}

pub(super) async fn open<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = view_id(&who, &id)?;
    match state.app.view::<K>(&who.actor(), id).await {
        Ok(view) => Ok(redirect(
            &headers,
            &list_href::<K>(&view.query, &format!("view={}", view.id)),
        )),
        Err(e) if matches!(e.domain(), Some(Error::NotFound)) => Ok(redirect(
            &headers,
            &list_href::<K>("", "notice=notice-view-not-found"),
        )),
        Err(e) => Err(UiError::signed_in(&who, e)),
    }
}

pub(super) async fn delete<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = view_id(&who, &id)?;
    state
        .app
        .delete_view::<K>(&who.actor(), id)
        .await
        .ui(&who)?;
    Ok(redirect(
        &headers,
        &list_href::<K>("", "notice=notice-view-deleted"),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_view_keeps_only_the_list_parameters_of_an_address() {
        assert_eq!(
            list_address(
                "?city=%C4%B0zmir&cursor=5.abc&page=2&notice=x&custom.sektor=gida&combine=any&sort=-created_at"
            ),
            "city=%C4%B0zmir&custom.sektor=gida&combine=any&sort=-created_at"
        );
        assert_eq!(list_address(""), "");
        assert_eq!(list_address("junk=%ZZ"), "");
    }
}
