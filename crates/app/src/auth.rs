//! Signing in and out: first-run setup, password login with rate limiting, server-side
//! sessions (stored hashed, shared by every instance), API token authentication.

use crate::error::AppResult;
use crate::secrets::{hash_password, random_token, token_hash, verify_password};
use crate::{App, AppError};
use rehber_domain::validate::Email;
use rehber_domain::{Error, FieldErrors, Role};
use rehber_store::{NewUser, SessionRow, User, now_micros};

/// A signed-in browser session as the web layer needs it.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

/// What a successful login hands to the browser: the cookie value (never stored as such).
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub session: Session,
}

pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password and returns its field error code, if any.
pub fn check_new_password(errors: &mut FieldErrors, field: &str, password: &str) {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        errors.add(field, "invalid-password-short");
    } else if password.len() > 1024 {
        errors.add(field, "invalid-too-long");
    }
}

impl App {
    /// True until the first user exists: the web shows the setup page then.
    pub async fn needs_setup(&self) -> AppResult<bool> {
        Ok(self.store.count_users().await? == 0)
    }

    /// Creates the first administrator. Refused once any user exists.
    pub async fn setup_first_admin(
        &self,
        email: &str,
        name: &str,
        password: &str,
    ) -> AppResult<User> {
        if !self.needs_setup().await? {
            return Err(Error::Forbidden.into());
        }
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(email));
        if name.trim().is_empty() {
            errors.add("name", "invalid-required");
        }
        check_new_password(&mut errors, "password", password);
        errors.into_result()?;
        let hash = hash_password(password, self.settings.fast_password_hashing)?;
        let user = self
            .store
            .create_user(&NewUser {
                // Lower-cased: sign-in compares e-mails case-insensitively, so the unique key
                // must too ("Ayse@…" and "ayse@…" are one account).
                email: email.map(|e| e.as_str().to_lowercase()).unwrap_or_default(),
                name: name.trim().to_string(),
                role: Role::Administrator,
                team_id: None,
                password_hash: Some(hash),
                locale: None,
            })
            .await?;
        tracing::info!(user = user.id.0, "first administrator created");
        Ok(user)
    }

    /// Checks e-mail and password and opens a session. Refuses with `RateLimited` after too
    /// many failures for the e-mail or the client address within the window, even for the
    /// right password, so guessing cannot continue.
    pub async fn login(&self, email: &str, password: &str, client: &str) -> AppResult<NewSession> {
        let now = now_micros();
        let email_key = email.trim().to_lowercase();
        let since = now - self.settings.login_window.as_micros() as i64;
        let (by_email, by_client) = self
            .store
            .failed_login_attempts(&email_key, client, since)
            .await?;
        if by_email >= self.settings.max_failed_logins_per_email
            || by_client >= self.settings.max_failed_logins_per_client
        {
            tracing::warn!("login refused: too many failed attempts");
            return Err(Error::RateLimited.into());
        }
        let found = self.store.find_user_by_email(&email_key).await?;
        // Every refusal costs one password check, so the time taken does not tell an unknown
        // or deactivated account from a wrong password.
        let verified = match &found {
            Some((_, Some(hash))) => verify_password(password, hash),
            _ => verify_password(password, dummy_hash(self.settings.fast_password_hashing)),
        };
        let user = match found {
            Some((user, Some(_))) if verified && user.active => user,
            _ => {
                self.store
                    .record_login_attempt(&email_key, client, false, now)
                    .await?;
                return Err(Error::Unauthenticated.into());
            }
        };
        self.store
            .record_login_attempt(&email_key, client, true, now)
            .await?;
        self.open_session(user).await
    }

    async fn open_session(&self, user: User) -> AppResult<NewSession> {
        let token = random_token()?;
        let csrf_token = random_token()?;
        let now = now_micros();
        self.store
            .insert_session(&SessionRow {
                id: token_hash(&token),
                user_id: user.id.0,
                csrf_token: csrf_token.clone(),
                created_at: now,
                expires_at: now + self.settings.session_ttl.as_micros() as i64,
            })
            .await?;
        Ok(NewSession {
            token,
            session: Session { user, csrf_token },
        })
    }

    /// The session behind a cookie value, if it is live and its user active. Extends it.
    pub async fn session(&self, token: &str) -> AppResult<Option<Session>> {
        let now = now_micros();
        let id = token_hash(token);
        let Some(row) = self.store.find_session(&id, now).await? else {
            return Ok(None);
        };
        let user = self
            .store
            .get_user(rehber_domain::UserId(row.user_id))
            .await?;
        if !user.active {
            return Ok(None);
        }
        let ttl = self.settings.session_ttl.as_micros() as i64;
        // Slide the expiry at most once a minute so page views do not each cost a write.
        if row.expires_at - now < ttl - 60_000_000 {
            self.store.touch_session(&id, now + ttl).await?;
        }
        Ok(Some(Session {
            user,
            csrf_token: row.csrf_token,
        }))
    }

    pub async fn logout(&self, token: &str) -> AppResult<()> {
        Ok(self.store.delete_session(&token_hash(token)).await?)
    }

    /// The active user owning a bearer API token.
    pub async fn token_user(&self, token: &str) -> AppResult<Option<User>> {
        let user = self.store.use_api_token(&token_hash(token.trim())).await?;
        Ok(user.filter(|u| u.active))
    }

    /// Changes one's own password after checking the current one; other sessions end.
    pub async fn change_password(&self, user: &User, current: &str, new: &str) -> AppResult<()> {
        let stored = self.store.password_hash(user.id).await?;
        if !stored
            .as_deref()
            .is_some_and(|h| verify_password(current, h))
        {
            return Err(Error::field("current_password", "invalid-password-wrong").into());
        }
        let mut errors = FieldErrors::new();
        check_new_password(&mut errors, "new_password", new);
        errors.into_result()?;
        let hash = hash_password(new, self.settings.fast_password_hashing)?;
        self.store.set_password_hash(user.id, &hash).await?;
        Ok(())
    }

    pub async fn set_locale(&self, user: &User, locale: Option<&str>) -> AppResult<()> {
        let locale = match locale {
            Some("tr") | Some("en") | None => locale,
            Some(_) => return Err(Error::field("locale", "invalid-unknown-value").into()),
        };
        Ok(self.store.set_user_locale(user.id, locale).await?)
    }

    /// Housekeeping: drop expired sessions and old login attempts.
    pub async fn purge_expired(&self) -> AppResult<()> {
        let now = now_micros();
        Ok(self.store.purge_expired(now, now - 86_400_000_000).await?)
    }
}

/// A hash with the parameters real hashes have, checked when there is no account to check.
fn dummy_hash(fast: bool) -> &'static str {
    static SLOW: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    static FAST: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let cell = if fast { &FAST } else { &SLOW };
    cell.get_or_init(|| hash_password("rehber-no-such-account", fast).unwrap_or_default())
}

impl From<argon2::password_hash::Error> for AppError {
    fn from(error: argon2::password_hash::Error) -> Self {
        AppError::Internal(error.to_string())
    }
}
