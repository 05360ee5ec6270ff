//! API tokens, stored only as hashes.

use crate::users::UserWith;
use crate::{Store, StoreError, User, now_micros, on_pool, on_writer};
use rehber_domain::UserId;

/// The token columns read beside its user.
#[derive(sqlx::FromRow)]
struct TokenUse {
    token_id: i64,
    last_used_at: Option<i64>,
}

/// A stored API token (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const COLUMNS: &str =
    "SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens";

impl Store {
    pub async fn insert_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
        prefix: &str,
    ) -> Result<ApiTokenRow, StoreError> {
        let id: i64 = on_writer!(self, pool => sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(user.0).bind(name).bind(token_hash).bind(prefix).bind(now_micros())
            .fetch_one(pool).await?);
        let sql = format!("{COLUMNS} WHERE id = $1");
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(pool).await?),
        )
    }

    /// The user owning an unrevoked token with this hash (active or not, the caller decides);
    /// marks the token used. One query: this runs before every API request.
    pub async fn use_api_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserWith<TokenUse>> = on_pool!(self, pool => sqlx::query_as(
            "SELECT u.id, u.email, u.name, u.role, u.team_id, t.name AS team_name, u.locale, u.active, \
             u.created_at, k.id AS token_id, k.last_used_at \
             FROM api_tokens k JOIN users u ON u.id = k.user_id LEFT JOIN teams t ON t.id = u.team_id \
             WHERE k.token_hash = $1 AND k.revoked_at IS NULL")
            .bind(token_hash).fetch_optional(pool).await?);
        let Some(row) = row else {
            return Ok(None);
        };
        // Record use at most once a minute: a write on every API request would queue all
        // requests behind SQLite's single writer.
        let now = now_micros();
        if row
            .other
            .last_used_at
            .is_none_or(|at| now - at >= 60_000_000)
        {
            on_writer!(self, pool => sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                .bind(row.other.token_id).bind(now).execute(pool).await?.rows_affected());
        }
        Ok(Some(row.user.try_into()?))
    }

    pub async fn list_api_tokens(&self, user: UserId) -> Result<Vec<ApiTokenRow>, StoreError> {
        let sql = format!("{COLUMNS} WHERE user_id = $1 ORDER BY id DESC");
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user.0).fetch_all(pool).await?),
        )
    }

    /// Revokes one of the user's tokens; another user's token is "not found".
    pub async fn revoke_api_token(&self, user: UserId, id: i64) -> Result<(), StoreError> {
        let done = on_writer!(self, pool => sqlx::query(
            "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL")
            .bind(id).bind(user.0).bind(now_micros()).execute(pool).await?.rows_affected());
        if done == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }
}
