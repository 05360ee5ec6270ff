//! One-time account links (an invitation, a password reset): kept as hashes, looked up
//! while live, and spent together with the new password in one write.

use crate::{Store, StoreError, in_tx, on_pool, on_writer};
use rehber_domain::UserId;

impl Store {
    /// Keeps a link's hash for `user` until `expires_at`.
    pub async fn insert_account_token(
        &self,
        token_hash: &str,
        user: UserId,
        purpose: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => sqlx::query(
            "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash).bind(user.0).bind(purpose).bind(now).bind(expires_at)
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// The user and purpose of a live link (not spent, not expired at `now`).
    pub async fn account_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(UserId, String)>, StoreError> {
        let row: Option<(i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT user_id, purpose FROM account_tokens \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
            .bind(token_hash).bind(now).fetch_optional(pool).await?);
        Ok(row.map(|(user, purpose)| (UserId(user), purpose)))
    }

    /// Spends a live link: sets its user's password, spends their other links and ends
    /// their sessions, all at once. The user, or `None` when the link was not live (spent by
    /// a racing request, expired, unknown).
    pub async fn redeem_account_token(
        &self,
        token_hash: &str,
        now: i64,
        password_hash: &str,
    ) -> Result<Option<UserId>, StoreError> {
        let user: Option<i64> = in_tx!(self, conn => {
            let user: Option<i64> = sqlx::query_scalar(
                "UPDATE account_tokens SET used_at = $2 \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id")
                .bind(token_hash).bind(now).fetch_optional(&mut *conn).await?;
            if let Some(user) = user {
                sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
                    .bind(user).bind(password_hash).bind(now).execute(&mut *conn).await?;
                sqlx::query("UPDATE account_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
                    .bind(user).bind(now).execute(&mut *conn).await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user).execute(&mut *conn).await?;
            }
            user
        });
        Ok(user.map(UserId))
    }
}
