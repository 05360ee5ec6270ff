//! Personal calendar feeds: the hash of each user's one feed token.

use crate::{Store, StoreError, now_micros, on_pool, on_writer};
use rehber_domain::UserId;

impl Store {
    /// Gives `user` a feed token with this hash, replacing (revoking) any earlier one.
    pub async fn replace_calendar_feed(
        &self,
        user: UserId,
        token_hash: &str,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => sqlx::query(
            "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at")
            .bind(user.0).bind(token_hash).bind(now_micros())
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Revokes `user`'s feed token, if any.
    pub async fn revoke_calendar_feed(&self, user: UserId) -> Result<(), StoreError> {
        on_writer!(self, pool => sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
            .bind(user.0).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// The user whose current feed token has this hash.
    pub async fn calendar_feed_user(&self, token_hash: &str) -> Result<Option<UserId>, StoreError> {
        let id: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT user_id FROM calendar_feeds WHERE token_hash = $1")
            .bind(token_hash).fetch_optional(pool).await?);
        Ok(id.map(UserId))
    }

    /// Whether `user` has a feed.
    pub async fn has_calendar_feed(&self, user: UserId) -> Result<bool, StoreError> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT user_id FROM calendar_feeds WHERE user_id = $1")
            .bind(user.0).fetch_optional(pool).await?);
        Ok(found.is_some())
    }
}
