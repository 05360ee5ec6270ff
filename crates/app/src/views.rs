//! Saved views of the lists (filters, rule, sort and columns under a name): every user keeps
//! their own; administrators, managers and marketers may share one with everyone. A view lists
//! nothing by itself: whoever opens it sees its records through their own scope.

use crate::App;
use crate::error::AppResult;
use rehber_domain::validate::text::sort_key;
use rehber_domain::{Actor, Error, FieldErrors, Kind};
use rehber_store::{NewView, SavedView, StoreError};

/// At most this many views per user and record kind.
pub const MAX_VIEWS: i64 = 50;
/// The longest view name.
pub const MAX_VIEW_NAME: usize = 80;
/// The longest saved address (filters, rule and sort) and column set.
pub const MAX_VIEW_QUERY: usize = 8_000;

/// A view to save, as typed.
#[derive(Debug, Clone, Default)]
pub struct ViewInput {
    pub name: String,
    /// The list's query string, already read by the list reader.
    pub query: String,
    /// The column chooser's state (a JSON object of column keys to shown/hidden); empty keeps
    /// the reader's own columns.
    pub columns: String,
    pub shared: bool,
}

impl App {
    /// Saves the actor's view of a kind's list (one of the same name is replaced).
    pub async fn save_view<K: Kind>(&self, actor: &Actor, input: &ViewInput) -> AppResult<i64> {
        let mut errors = FieldErrors::new();
        crate::users::check_name(&mut errors, "name", &input.name, true);
        if input.name.trim().chars().count() > MAX_VIEW_NAME {
            errors.add("name", "invalid-too-long");
        }
        if input.query.len() > MAX_VIEW_QUERY {
            errors.add("query", "invalid-too-long");
        }
        let columns = input.columns.trim();
        let readable = columns.is_empty()
            || serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(columns)
                .is_ok_and(|m| m.values().all(serde_json::Value::is_boolean));
        if !readable || columns.len() > MAX_VIEW_QUERY {
            errors.add("columns", "invalid-json");
        }
        errors.into_result()?;
        if input.shared && !actor.role.can_share_views() {
            return Err(Error::Forbidden.into());
        }
        let name = input.name.trim();
        let existing = self.store.views_for(actor.user_id, K::TYPE).await?;
        let own: Vec<_> = existing
            .iter()
            .filter(|v| v.owner_id == actor.user_id.0)
            .collect();
        let replaces = own.iter().any(|v| v.name == name);
        if !replaces && own.len() as i64 >= MAX_VIEWS {
            return Err(Error::field("name", "invalid-too-many-views").into());
        }
        let view = NewView {
            record_type: K::TYPE,
            name,
            query: input.query.trim_start_matches('?'),
            columns: if columns.is_empty() { "{}" } else { columns },
            shared: input.shared,
        };
        Ok(self.store.save_view(actor.user_id, &view).await?)
    }

    /// The views of a kind's list the actor may open: their own and the shared ones, in
    /// Turkish alphabetical order.
    pub async fn views<K: Kind>(&self, actor: &Actor) -> AppResult<Vec<SavedView>> {
        let mut views = self.store.views_for(actor.user_id, K::TYPE).await?;
        views.sort_by_cached_key(|v| (sort_key(&v.name), v.id));
        Ok(views)
    }

    /// One view the actor may open (of this kind); any other is "not found".
    pub async fn view<K: Kind>(&self, actor: &Actor, id: i64) -> AppResult<SavedView> {
        let view = self.store.view_for(actor.user_id, id).await?;
        if view.record_type != K::TYPE {
            return Err(StoreError::NotFound.into());
        }
        Ok(view)
    }

    /// Deletes one of the actor's views; administrators may delete any shared one.
    pub async fn delete_view<K: Kind>(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let view = self.view::<K>(actor, id).await?;
        let own = view.owner_id == actor.user_id.0;
        if !own && !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        let owner = own.then_some(actor.user_id);
        Ok(self.store.delete_view(owner, id).await?)
    }
}
