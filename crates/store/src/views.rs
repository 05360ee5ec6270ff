//! Saved views of the lists: a user's own and the ones shared with everyone. A view is only an
//! address (filters, rule, sort) and columns; the records it lists are read through the
//! viewer's scope like any list's.

use crate::{Store, StoreError, now_micros, on_pool, on_writer};
use rehber_domain::UserId;

/// A stored view.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SavedView {
    pub id: i64,
    pub record_type: String,
    pub owner_id: i64,
    /// The owner's name, for shared views.
    pub owner_name: String,
    pub name: String,
    /// The list's query string (`city=izmir&sort=-created_at`).
    pub query: String,
    /// The columns shown and hidden, as the list's column chooser keeps them (JSON).
    pub columns: String,
    pub shared: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What a view is saved with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewView<'a> {
    pub record_type: &'a str,
    pub name: &'a str,
    pub query: &'a str,
    pub columns: &'a str,
    pub shared: bool,
}

const COLUMNS: &str = "SELECT v.id, v.record_type, v.owner_id, u.name AS owner_name, v.name, \
    v.query, v.columns, v.shared, v.created_at, v.updated_at \
    FROM saved_views v JOIN users u ON u.id = v.owner_id";

impl Store {
    /// Saves `owner`'s view; one of the same name and kind is replaced.
    pub async fn save_view(&self, owner: UserId, view: &NewView<'_>) -> Result<i64, StoreError> {
        let now = now_micros();
        Ok(on_writer!(self, pool => sqlx::query_scalar(
            "INSERT INTO saved_views (record_type, owner_id, name, query, columns, shared, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
             ON CONFLICT (owner_id, record_type, name) DO UPDATE SET query = excluded.query, \
             columns = excluded.columns, shared = excluded.shared, updated_at = excluded.updated_at \
             RETURNING id")
            .bind(view.record_type).bind(owner.0).bind(view.name).bind(view.query)
            .bind(view.columns).bind(view.shared).bind(now)
            .fetch_one(pool).await?))
    }

    /// The views of a kind `viewer` may open: their own and the shared ones.
    pub async fn views_for(
        &self,
        viewer: UserId,
        record_type: &str,
    ) -> Result<Vec<SavedView>, StoreError> {
        let sql = format!(
            "{COLUMNS} WHERE v.record_type = $1 AND (v.owner_id = $2 OR v.shared) ORDER BY v.id"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(record_type).bind(viewer.0).fetch_all(pool).await?),
        )
    }

    /// One view `viewer` may open; another user's private view is "not found".
    pub async fn view_for(&self, viewer: UserId, id: i64) -> Result<SavedView, StoreError> {
        let sql = format!("{COLUMNS} WHERE v.id = $1 AND (v.owner_id = $2 OR v.shared)");
        let found: Option<SavedView> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id).bind(viewer.0).fetch_optional(pool).await?);
        found.ok_or(StoreError::NotFound)
    }

    /// Deletes a view: `owner`'s own, or (`owner` is `None`, an administrator's deletion)
    /// any shared one.
    pub async fn delete_view(&self, owner: Option<UserId>, id: i64) -> Result<(), StoreError> {
        let done = match owner {
            Some(owner) => on_writer!(self, pool => sqlx::query(
                "DELETE FROM saved_views WHERE id = $1 AND owner_id = $2")
                .bind(id).bind(owner.0).execute(pool).await?.rows_affected()),
            None => on_writer!(self, pool => sqlx::query(
                "DELETE FROM saved_views WHERE id = $1 AND shared")
                .bind(id).execute(pool).await?.rows_affected()),
        };
        if done == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }
}
