//! User and team administration (administrators only; the CLI acts as the system).

use crate::App;
use crate::auth::check_new_password;
use crate::error::AppResult;
use crate::secrets::{generated_password, hash_password};
use rehber_domain::validate::Email;
use rehber_domain::{Actor, Error, FieldErrors, Role, TeamId, UserId};
use rehber_store::{AuditChange, AuditEntry, NewUser, Team, User};

/// A user to create, as typed.
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub email: String,
    pub name: String,
    pub role: String,
    /// Team by name; created when it does not exist yet.
    pub team: String,
    /// Empty: a password is generated and returned once.
    pub password: String,
}

/// A created user and, when Rehber chose the password, that password (shown once).
#[derive(Debug, Clone)]
pub struct CreatedUser {
    pub user: User,
    pub generated_password: Option<String>,
}

/// The longest user, team or API token name.
pub const MAX_NAME: usize = 100;

/// Checks a one-line name (of a user, a team, an API token): present when `required`, at
/// most [`MAX_NAME`] characters, no control characters.
pub(crate) fn check_name(errors: &mut FieldErrors, field: &str, name: &str, required: bool) {
    let name = name.trim();
    if name.is_empty() {
        if required {
            errors.add(field, "invalid-required");
        }
    } else if name.chars().count() > MAX_NAME {
        errors.add(field, "invalid-too-long");
    } else if let Err(invalid) = rehber_domain::validate::text::check_line(name) {
        errors.add(field, invalid.code());
    }
}

fn require_admin(actor: Option<&Actor>) -> AppResult<()> {
    match actor {
        None => Ok(()), // the command line acts as the system
        Some(a) if a.role.is_admin() => Ok(()),
        Some(_) => Err(Error::Forbidden.into()),
    }
}

impl App {
    /// Every user, for administrators and for owner pickers (names and teams only).
    pub async fn list_users(&self) -> AppResult<Vec<User>> {
        Ok(self.store.list_users().await?)
    }

    pub async fn list_teams(&self) -> AppResult<Vec<Team>> {
        Ok(self.store.list_teams().await?)
    }

    /// The team with this name, created if missing.
    pub async fn ensure_team(&self, actor: Option<&Actor>, name: &str) -> AppResult<Team> {
        require_admin(actor)?;
        let name = name.trim();
        let mut errors = FieldErrors::new();
        check_name(&mut errors, "team", name, true);
        errors.into_result()?;
        if let Some(team) = self.store.find_team_by_name(name).await? {
            return Ok(team);
        }
        let team = self.store.create_team(name).await?;
        self.store
            .append_audit(&AuditEntry {
                actor: actor.map(|a| a.user_id),
                record_type: "team",
                record_id: team.id.0,
                action: "created",
                changes: vec![AuditChange {
                    field: "name".into(),
                    from: String::new(),
                    to: team.name.clone(),
                }],
            })
            .await?;
        Ok(team)
    }

    /// Creates a user (administrators, or the command line with `actor` = `None`).
    pub async fn create_user(
        &self,
        actor: Option<&Actor>,
        input: &UserInput,
    ) -> AppResult<CreatedUser> {
        require_admin(actor)?;
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(&input.email));
        let name = input.name.trim().to_string();
        check_name(&mut errors, "name", &name, true);
        check_name(&mut errors, "team", &input.team, false);
        let role = Role::parse(&input.role);
        if role.is_none() {
            errors.add("role", "invalid-unknown-value");
        }
        if !input.password.is_empty() {
            check_new_password(&mut errors, "password", &input.password);
        }
        errors.into_result()?;
        let team_id = if input.team.trim().is_empty() {
            None
        } else {
            Some(self.ensure_team(actor, &input.team).await?.id)
        };
        let (password, generated) = if input.password.is_empty() {
            let p = generated_password()?;
            (p.clone(), Some(p))
        } else {
            (input.password.clone(), None)
        };
        let hash = hash_password(&password, self.settings.fast_password_hashing)?;
        let user = self
            .store
            .create_user(&NewUser {
                // Lower-cased: sign-in compares e-mails case-insensitively, so the unique key
                // must too ("Ayse@…" and "ayse@…" are one account).
                email: email.map(|e| e.as_str().to_lowercase()).unwrap_or_default(),
                name,
                role: role.unwrap_or(Role::ReadOnly),
                team_id,
                password_hash: Some(hash),
                locale: None,
            })
            .await?;
        self.store
            .append_audit(&AuditEntry {
                actor: actor.map(|a| a.user_id),
                record_type: "user",
                record_id: user.id.0,
                action: "created",
                changes: vec![
                    AuditChange {
                        field: "email".into(),
                        from: String::new(),
                        to: user.email.clone(),
                    },
                    AuditChange {
                        field: "role".into(),
                        from: String::new(),
                        to: user.role.to_string(),
                    },
                    AuditChange {
                        field: "team".into(),
                        from: String::new(),
                        to: user.team_name.clone().unwrap_or_default(),
                    },
                ],
            })
            .await?;
        Ok(CreatedUser {
            user,
            generated_password: generated,
        })
    }

    /// Changes a user's name, role, team or active flag. Administrators cannot deactivate or
    /// demote themselves (someone must remain able to administer).
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        name: &str,
        role: &str,
        team: Option<TeamId>,
        active: bool,
    ) -> AppResult<User> {
        require_admin(Some(actor))?;
        let before = self.store.get_user(id).await?;
        let mut errors = FieldErrors::new();
        check_name(&mut errors, "name", name, true);
        let role = Role::parse(role);
        if role.is_none() {
            errors.add("role", "invalid-unknown-value");
        }
        errors.into_result()?;
        let role = role.unwrap_or(before.role);
        if id == actor.user_id && (!active || role != Role::Administrator) {
            return Err(Error::InvalidState("self-demotion").into());
        }
        if let Some(team) = team {
            self.store.get_team(team).await?;
        }
        let after = self
            .store
            .update_user(id, name.trim(), role, team, active)
            .await?;
        if !after.active {
            self.store.delete_user_sessions(id).await?;
        }
        let mut changes = Vec::new();
        let mut note = |field: &str, from: String, to: String| {
            if from != to {
                changes.push(AuditChange {
                    field: field.into(),
                    from,
                    to,
                });
            }
        };
        note("name", before.name.clone(), after.name.clone());
        note("role", before.role.to_string(), after.role.to_string());
        note(
            "team",
            before.team_name.clone().unwrap_or_default(),
            after.team_name.clone().unwrap_or_default(),
        );
        note(
            "active",
            before.active.to_string(),
            after.active.to_string(),
        );
        self.store
            .append_audit(&AuditEntry {
                actor: Some(actor.user_id),
                record_type: "user",
                record_id: id.0,
                action: "updated",
                changes,
            })
            .await?;
        Ok(after)
    }

    /// Gives a user a new generated password (shown once to the administrator) and ends their
    /// sessions.
    pub async fn reset_password(&self, actor: &Actor, id: UserId) -> AppResult<String> {
        require_admin(Some(actor))?;
        self.store.get_user(id).await?;
        let password = generated_password()?;
        let hash = hash_password(&password, self.settings.fast_password_hashing)?;
        self.store.set_password_hash(id, &hash).await?;
        self.store
            .append_audit(&AuditEntry {
                actor: Some(actor.user_id),
                record_type: "user",
                record_id: id.0,
                action: "password_reset",
                changes: Vec::new(),
            })
            .await?;
        Ok(password)
    }

    pub async fn get_user(&self, id: UserId) -> AppResult<User> {
        Ok(self.store.get_user(id).await?)
    }

    pub async fn find_user_by_email(&self, email: &str) -> AppResult<Option<User>> {
        Ok(self
            .store
            .find_user_by_email(email)
            .await?
            .map(|(user, _)| user))
    }
}
