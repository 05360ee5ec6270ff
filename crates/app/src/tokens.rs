//! API tokens: created by a user for themselves, shown once, stored hashed, revocable.

use crate::App;
use crate::error::AppResult;
use crate::secrets::{random_token, token_hash};
use rehber_domain::{Error, UserId};
use rehber_store::{ApiTokenRow, AuditEntry, User};

/// Tokens start with this prefix so they are recognizable in configuration and secret scans.
pub const TOKEN_PREFIX: &str = "rhb_";

/// A new token: the secret (shown once) and its stored row.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub secret: String,
    pub row: ApiTokenRow,
}

impl App {
    pub async fn issue_token(&self, user: &User, name: &str) -> AppResult<IssuedToken> {
        let name = name.trim();
        let name = if name.is_empty() { "API" } else { name };
        let mut errors = rehber_domain::FieldErrors::new();
        crate::users::check_name(&mut errors, "name", name, false);
        errors.into_result()?;
        let secret = format!("{TOKEN_PREFIX}{}", random_token()?);
        let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
        let row = self
            .store
            .insert_api_token(user.id, name, &token_hash(&secret), &prefix)
            .await?;
        self.store
            .append_audit(&AuditEntry {
                actor: Some(user.id),
                record_type: "api_token",
                record_id: row.id,
                action: "created",
                changes: Vec::new(),
            })
            .await?;
        Ok(IssuedToken { secret, row })
    }

    pub async fn list_tokens(&self, user: &User) -> AppResult<Vec<ApiTokenRow>> {
        Ok(self.store.list_api_tokens(user.id).await?)
    }

    /// Revokes one of the user's own tokens.
    pub async fn revoke_token(&self, user: &User, token_id: i64) -> AppResult<()> {
        self.store.revoke_api_token(user.id, token_id).await?;
        self.store
            .append_audit(&AuditEntry {
                actor: Some(user.id),
                record_type: "api_token",
                record_id: token_id,
                action: "revoked",
                changes: Vec::new(),
            })
            .await?;
        Ok(())
    }

    /// For the command line: the user with this e-mail.
    pub async fn user_by_email(&self, email: &str) -> AppResult<User> {
        self.find_user_by_email(email)
            .await?
            .ok_or_else(|| Error::NotFound.into())
    }

    pub async fn user(&self, id: UserId) -> AppResult<User> {
        self.get_user(id).await
    }
}
