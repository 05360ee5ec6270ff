//! Teammates by e-mail: an administrator invites a new user, who gets a one-time link to
//! set their first password; anyone who forgot theirs asks for a link to choose a new one.
//! Links are random, kept only as hashes, work once and expire (an invitation after three
//! days, a reset after an hour); using one ends the user's sessions. The links are built on
//! the configured public address, never on a request's `Host` (which a stranger controls).
//!
//! The e-mails go out as jobs ([`ACCOUNT_EMAIL`]): the job makes the link when it runs, so
//! no usable link is ever written to the database.

use crate::App;
use crate::auth::check_new_password;
use crate::error::AppResult;
use crate::jobs::Schedule;
use crate::secrets::{hash_password, random_token, token_hash};
use crate::users::UserInput;
use rehber_domain::{Actor, Error, FieldErrors, UserId};
use rehber_store::{AuditEntry, User, now_micros};

/// The job kind that e-mails an invitation or a reset link.
pub const ACCOUNT_EMAIL: &str = "account_email";
/// How long an invitation link works.
pub const INVITE_VALID: jiff::SignedDuration = jiff::SignedDuration::from_hours(72);
/// How long a reset link works.
pub const RESET_VALID: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);
/// At most one reset e-mail per account in this long, however often it is asked for.
const RESET_EVERY: i64 = 2 * 60 * 1_000_000;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Invite,
    Reset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invite => "invite",
            LinkPurpose::Reset => "reset",
        }
    }

    pub fn parse(text: &str) -> Option<LinkPurpose> {
        match text {
            "invite" => Some(LinkPurpose::Invite),
            "reset" => Some(LinkPurpose::Reset),
            _ => None,
        }
    }

    fn valid_for(self) -> jiff::SignedDuration {
        match self {
            LinkPurpose::Invite => INVITE_VALID,
            LinkPurpose::Reset => RESET_VALID,
        }
    }
}

/// The address of the page that takes a link's token.
pub fn link_path(token: &str) -> String {
    format!("/set-password/{token}")
}

impl App {
    /// Whether Rehber can send e-mail (a mail server is configured).
    pub fn can_email(&self) -> bool {
        self.mailer.is_some()
    }

    /// Creates a user and e-mails them an invitation to set their password (administrators;
    /// only when e-mail is configured). Nobody ever sees the password made for the account.
    pub async fn invite_user(&self, actor: &Actor, input: &UserInput) -> AppResult<User> {
        if !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        if !self.can_email() {
            return Err(Error::InvalidState("mail-not-configured").into());
        }
        let input = UserInput {
            password: String::new(),
            ..input.clone()
        };
        let created = self.create_user(Some(actor), &input).await?;
        self.queue_account_email(created.user.id, LinkPurpose::Invite, None)
            .await?;
        Ok(created.user)
    }

    /// Sends a user a new invitation (administrators), for one that expired or went astray.
    pub async fn resend_invitation(&self, actor: &Actor, user: UserId) -> AppResult<()> {
        if !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        if !self.can_email() {
            return Err(Error::InvalidState("mail-not-configured").into());
        }
        let found = self.store.get_user(user).await?;
        if !found.active {
            return Err(Error::InvalidState("user-inactive").into());
        }
        self.queue_account_email(user, LinkPurpose::Invite, None)
            .await
    }

    /// "Forgot password": e-mails a reset link if an active account has this address. The
    /// answer is the same either way, so nobody learns which addresses have accounts.
    pub async fn request_password_reset(&self, email: &str) -> AppResult<()> {
        if !self.can_email() {
            return Ok(());
        }
        let Some(user) = self.find_user_by_email(email.trim()).await? else {
            return Ok(());
        };
        if !user.active {
            return Ok(());
        }
        let period = now_micros() / RESET_EVERY;
        let key = format!("{ACCOUNT_EMAIL}:reset:{}:{period}", user.id.0);
        self.queue_account_email(user.id, LinkPurpose::Reset, Some(key))
            .await
    }

    async fn queue_account_email(
        &self,
        user: UserId,
        purpose: LinkPurpose,
        dedupe_key: Option<String>,
    ) -> AppResult<()> {
        let payload = serde_json::json!({ "user_id": user.0, "purpose": purpose.as_str() });
        let schedule = Schedule {
            dedupe_key,
            max_attempts: Some(5),
            ..Schedule::default()
        };
        self.enqueue_job(ACCOUNT_EMAIL, &payload, schedule).await?;
        Ok(())
    }

    /// Makes a fresh link for the job that e-mails it: the user and the link's path
    /// (`/set-password/…`); `None` when the user is gone or inactive.
    pub async fn issue_account_link(
        &self,
        user: UserId,
        purpose: LinkPurpose,
    ) -> AppResult<Option<(User, String)>> {
        let found = match self.store.get_user(user).await {
            Ok(found) if found.active => found,
            Ok(_) | Err(rehber_store::StoreError::NotFound) => return Ok(None),
            Err(other) => return Err(other.into()),
        };
        let token = random_token()?;
        let now = now_micros();
        let expires = now + purpose.valid_for().as_micros().min(i128::from(i64::MAX)) as i64;
        self.store
            .insert_account_token(&token_hash(&token), user, purpose.as_str(), now, expires)
            .await?;
        Ok(Some((found, link_path(&token))))
    }

    /// Whom a live link is for and why; `None` for a link that was used, expired or never
    /// existed.
    pub async fn account_link(&self, token: &str) -> AppResult<Option<(User, LinkPurpose)>> {
        let Some((user, purpose)) = self
            .store
            .account_token(&token_hash(token.trim()), now_micros())
            .await?
        else {
            return Ok(None);
        };
        let Some(purpose) = LinkPurpose::parse(&purpose) else {
            return Ok(None);
        };
        let user = self.store.get_user(user).await?;
        Ok(user.active.then_some((user, purpose)))
    }

    /// Sets the password a live link allows, spends the link (and the user's others) and
    /// ends the user's sessions. A dead link is not found.
    pub async fn set_password_with_link(&self, token: &str, password: &str) -> AppResult<User> {
        let mut errors = FieldErrors::new();
        check_new_password(&mut errors, "password", password);
        errors.into_result()?;
        if self.account_link(token).await?.is_none() {
            return Err(Error::NotFound.into());
        }
        let hash = hash_password(password, self.settings.fast_password_hashing)?;
        let Some(user) = self
            .store
            .redeem_account_token(&token_hash(token.trim()), now_micros(), &hash)
            .await?
        else {
            return Err(Error::NotFound.into());
        };
        self.store
            .append_audit(&AuditEntry {
                actor: Some(user),
                record_type: "user",
                record_id: user.0,
                action: "password_set",
                changes: Vec::new(),
            })
            .await?;
        Ok(self.store.get_user(user).await?)
    }
}
