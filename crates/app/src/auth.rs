//! Signing in and out: first-run setup, password login with rate limiting, server-side
//! sessions (stored hashed, shared by every instance), API token authentication.

use crate::error::AppResult;
use crate::secrets::{hash_password, random_token, token_hash, verify_password};
use crate::{App, AppError};
use rehber_domain::UserId;
use rehber_domain::validate::Email;
use rehber_domain::{Error, FieldErrors, Role};
use rehber_store::{AuditChange, AuditEntry, NewUser, SessionRow, User, now_micros};

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
        crate::users::check_name(&mut errors, "name", name, true);
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

    /// Checks e-mail and password and opens a session, under the sign-in throttle (see
    /// `throttle`): an account inside its delay is refused unchecked with `RateLimited`; an
    /// address with many failures is slowed but still checked, so the right password always
    /// gets in once the account's own delay is over.
    pub async fn login(&self, email: &str, password: &str, client: &str) -> AppResult<NewSession> {
        self.login_at(email, password, client, now_micros()).await
    }

    /// [`Self::login`] at a given time (microseconds since the epoch), for tests that need
    /// a delay to pass without waiting for it.
    pub async fn login_at(
        &self,
        email: &str,
        password: &str,
        client: &str,
        now: i64,
    ) -> AppResult<NewSession> {
        let policy = &self.settings.sign_in;
        let email_key = login_key(email);
        let client = login_key(client);
        let (failures, last_failure) = self
            .store
            .account_failures(&email_key, now - policy.memory.as_micros() as i64)
            .await?;
        if let Some(retry_after_secs) = policy.wait(failures, last_failure, now) {
            tracing::warn!(
                retry_after_secs,
                "sign-in refused: the account is in its delay"
            );
            return Err(Error::RateLimited { retry_after_secs }.into());
        }
        let client_failures = self
            .store
            .client_failures(&client, now - policy.client_window.as_micros() as i64)
            .await?;
        let found = self.store.find_user_by_email(&email_key).await?;
        // Every refusal costs one password check, so the time taken does not tell an unknown
        // or deactivated account from a wrong password.
        let verified = match &found {
            Some((_, Some(hash))) => verify_password(password, hash),
            _ => verify_password(password, dummy_hash(self.settings.fast_password_hashing)),
        };
        let user = match found {
            Some((user, Some(_))) if verified && user.active => user,
            other => {
                self.store
                    .record_login_attempt(&email_key, &client, false, now)
                    .await?;
                let account = other.map(|(user, _)| user.id);
                self.audit_failed_sign_in(account, &email_key, &client, failures + 1)
                    .await?;
                if policy.slows_client(client_failures + 1) {
                    if client_failures + 1 == policy.client_failures {
                        tracing::warn!(%client, "sign-in: address slowed after many failures");
                    }
                    tokio::time::sleep(policy.client_pause).await;
                }
                return Err(Error::Unauthenticated.into());
            }
        };
        self.store
            .record_login_attempt(&email_key, &client, true, now)
            .await?;
        self.store
            .append_audit(&AuditEntry {
                actor: Some(user.id),
                record_type: "user",
                record_id: user.id.0,
                action: "signed_in",
                changes: vec![change("address", &client)],
            })
            .await?;
        self.open_session(user).await
    }

    /// One failed sign-in in the audit log: the account (or, for an unknown one, the e-mail
    /// typed), the address, and the delay the account is now under.
    async fn audit_failed_sign_in(
        &self,
        account: Option<UserId>,
        email_key: &str,
        client: &str,
        failures: i64,
    ) -> AppResult<()> {
        let mut changes = vec![change("address", client)];
        if account.is_none() {
            changes.push(change("email", email_key));
        }
        changes.push(change("failures", &failures.to_string()));
        let delay = self.settings.sign_in.delay_after(failures);
        if delay.is_positive() {
            changes.push(change("delay_seconds", &delay.as_secs().to_string()));
        }
        self.store
            .append_audit(&AuditEntry {
                actor: None,
                record_type: "user",
                record_id: account.map_or(0, |id| id.0),
                action: "sign_in_failed",
                changes,
            })
            .await?;
        Ok(())
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
        let Some(row) = self.store.find_session_user(&id, now).await? else {
            return Ok(None);
        };
        let user = row.user;
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

/// The form an e-mail (or client address) is counted and logged under: trimmed, lower-case,
/// without control characters, at most 254 characters. What a sign-in form sends is
/// untrusted; it must not reach the database as it came.
fn login_key(typed: &str) -> String {
    typed
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_control())
        .take(254)
        .collect()
}

fn change(field: &str, to: &str) -> AuditChange {
    AuditChange {
        field: field.to_string(),
        from: String::new(),
        to: to.to_string(),
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
