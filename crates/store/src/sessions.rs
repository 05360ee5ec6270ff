//! Server-side sessions and login attempts, both in the database so that several `rehber
//! serve` instances share them. Session ids are stored only as hashes (the service hashes).

use crate::users::UserWith;
use crate::{Store, StoreError, User, on_pool, on_writer};
use rehber_domain::UserId;

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub id: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// The session columns read beside its user.
#[derive(sqlx::FromRow)]
struct SessionColumns {
    csrf_token: String,
    expires_at: i64,
}

/// A live session and its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: i64,
}

impl Store {
    pub async fn insert_session(&self, session: &SessionRow) -> Result<(), StoreError> {
        on_writer!(self, pool => sqlx::query(
            "INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&session.id).bind(session.user_id).bind(&session.csrf_token)
            .bind(session.created_at).bind(session.expires_at)
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// The unexpired session with this hashed id and its user (active or not, the caller
    /// decides). One query: this runs before every request of a signed-in browser.
    pub async fn find_session_user(
        &self,
        id_hash: &str,
        now: i64,
    ) -> Result<Option<SessionUser>, StoreError> {
        let row: Option<UserWith<SessionColumns>> = on_pool!(self, pool => sqlx::query_as(
            "SELECT u.id, u.email, u.name, u.role, u.team_id, t.name AS team_name, u.locale, u.active, \
             u.created_at, s.csrf_token, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN teams t ON t.id = u.team_id \
             WHERE s.id = $1 AND s.expires_at > $2")
            .bind(id_hash).bind(now).fetch_optional(pool).await?);
        row.map(|row| {
            Ok(SessionUser {
                user: row.user.try_into()?,
                csrf_token: row.other.csrf_token,
                expires_at: row.other.expires_at,
            })
        })
        .transpose()
    }

    /// Moves a session's expiry forward (sliding expiry).
    pub async fn touch_session(&self, id_hash: &str, expires_at: i64) -> Result<(), StoreError> {
        on_writer!(self, pool => sqlx::query("UPDATE sessions SET expires_at = $2 WHERE id = $1")
            .bind(id_hash).bind(expires_at).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        on_writer!(self, pool => sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id_hash).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn delete_user_sessions(&self, user: UserId) -> Result<(), StoreError> {
        on_writer!(self, pool => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Removes expired sessions and login attempts older than `attempts_before`.
    pub async fn purge_expired(&self, now: i64, attempts_before: i64) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(pool).await?.rows_affected();
            sqlx::query("DELETE FROM login_attempts WHERE at < $1").bind(attempts_before).execute(pool).await?.rows_affected();
        });
        Ok(())
    }

    pub async fn record_login_attempt(
        &self,
        email_key: &str,
        client: &str,
        succeeded: bool,
        at: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => sqlx::query(
            "INSERT INTO login_attempts (email_key, client, succeeded, at) VALUES ($1, $2, $3, $4)")
            .bind(email_key).bind(client).bind(succeeded).bind(at).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// One account's failed sign-ins since its last successful one (and not before
    /// `since`): how many, and when the latest was.
    pub async fn account_failures(
        &self,
        email_key: &str,
        since: i64,
    ) -> Result<(i64, Option<i64>), StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as::<_, (i64, Option<i64>)>(
            "SELECT COUNT(*), MAX(at) FROM login_attempts
             WHERE email_key = $1 AND NOT succeeded AND at >= $2
               AND at > COALESCE(
                   (SELECT MAX(at) FROM login_attempts WHERE email_key = $1 AND succeeded), -1)")
            .bind(email_key).bind(since).fetch_one(pool).await?),
        )
    }

    /// Failed sign-ins from one client address since `since`, for any account.
    pub async fn client_failures(&self, client: &str, since: i64) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_attempts WHERE client = $1 AND at >= $2 AND NOT succeeded")
            .bind(client).bind(since).fetch_one(pool).await?))
    }
}
