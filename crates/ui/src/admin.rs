//! Administration pages (administrators only; everyone else gets the 403 page): users
//! (`/admin/users`, `/admin/users/{id}`), teams (`/admin/teams`) and the audit log
//! (`/admin/audit`). Each handler calls one service; generated passwords are shown once on
//! the resulting page and never put into a URL.

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::records::pages::record_href;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use rehber_app::users::UserInput;
use rehber_app::{AuditEvent, AuditFilter, Team, User};
use rehber_domain::party::{Companies, People};
use rehber_domain::{CompanyId, PersonId, Role, TeamId, UserId};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users).post(create_user))
        .route("/admin/users/{id}", get(edit_user).post(update_user))
        .route("/admin/users/{id}/password", post(reset_password))
        .route("/admin/teams", get(teams).post(create_team))
        .route("/admin/audit", get(audit))
}

/// Administration is for administrators: everyone else sees the 403 page.
pub(crate) fn require_admin(who: &SignedIn) -> Result<(), UiError> {
    if who.session.user.role.is_admin() {
        Ok(())
    } else {
        Err(UiError::forbidden(who))
    }
}

/// A role for a `<select>`: its identifier and localized name.
pub struct RoleOption {
    pub value: &'static str,
    pub label: String,
}

fn role_options(lang: Lang) -> Vec<RoleOption> {
    Role::ALL
        .into_iter()
        .map(|r| RoleOption {
            value: r.as_str(),
            label: lang.t(&format!("role-{}", r.as_str())),
        })
        .collect()
}

// ----- users -----

/// The create-user form as typed (kept when it comes back with errors).
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewUserForm {
    email: String,
    name: String,
    role: String,
    team: String,
    new_team: String,
    password: String,
    /// `on`: e-mail an invitation instead of setting a password here.
    invite: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    page: Page,
    users: Vec<User>,
    teams: Vec<Team>,
    roles: Vec<RoleOption>,
    form: NewUserForm,
    errors: HashMap<String, String>,
    /// The user just created and the password Rehber generated for them (shown once).
    created: Option<(User, String)>,
    /// Whether invitations can be e-mailed (a mail server is configured).
    can_email: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NoticeQuery {
    notice: Option<String>,
}

async fn users_page(
    state: &AppState,
    who: &SignedIn,
    form: NewUserForm,
    errors: HashMap<String, String>,
    created: Option<(User, String)>,
) -> Result<UsersPage, UiError> {
    let users = state.app.list_users().await.ui(who)?;
    let teams = state.app.list_teams().await.ui(who)?;
    Ok(UsersPage {
        page: Page::signed_in(who, "admin-users-title", "admin-users"),
        users,
        teams,
        roles: role_options(who.lang),
        form,
        errors,
        created,
        can_email: state.app.can_email(),
    })
}

async fn users(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let form = NewUserForm {
        role: Role::SalesRep.as_str().into(),
        // With a mail server, inviting is the default: nobody passes a password on by hand.
        invite: if state.app.can_email() {
            "on".into()
        } else {
            String::new()
        },
        ..NewUserForm::default()
    };
    let mut body = users_page(&state, &who, form, HashMap::new(), None).await?;
    body.page = body.page.with_notice_key(query.notice.as_deref());
    Ok(render(&body))
}

async fn create_user(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<NewUserForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let actor = who.actor();
    let input = UserInput {
        email: form.email.clone(),
        name: form.name.clone(),
        role: form.role.clone(),
        team: if form.new_team.trim().is_empty() {
            form.team.clone()
        } else {
            form.new_team.clone()
        },
        password: form.password.clone(),
    };
    let created = if form.invite == "on" && state.app.can_email() {
        state.app.invite_user(&actor, &input).await.map(|_| None)
    } else {
        state.app.create_user(Some(&actor), &input).await.map(Some)
    };
    match created {
        // Invited: the user sets their own password from the e-mail.
        Ok(None) => Ok(Redirect::to("/admin/users?notice=notice-user-invited").into_response()),
        Ok(Some(created)) => match created.generated_password {
            Some(password) => {
                let fresh = NewUserForm {
                    role: Role::SalesRep.as_str().into(),
                    ..NewUserForm::default()
                };
                let mut body = users_page(&state, &who, fresh, HashMap::new(), None).await?;
                body.page.notice = Some(who.lang.t("notice-user-created"));
                body.created = Some((created.user, password));
                Ok(render(&body))
            }
            None => Ok(Redirect::to("/admin/users?notice=notice-user-created").into_response()),
        },
        Err(e) => match form_messages(who.lang, &e) {
            Some(mut errors) => {
                // The service names the team input `team`; the form has two of them.
                if let Some(m) = errors.remove("team") {
                    errors.insert("new_team".into(), m);
                }
                let keep = NewUserForm {
                    password: String::new(),
                    ..form
                };
                let body = users_page(&state, &who, keep, errors, None).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&body)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

/// The edit-user form as typed.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct EditUserForm {
    name: String,
    role: String,
    team_id: String,
    new_team: String,
    active: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    page: Page,
    user: User,
    teams: Vec<Team>,
    roles: Vec<RoleOption>,
    form: EditUserForm,
    errors: HashMap<String, String>,
    /// A password just reset (shown once).
    new_password: Option<String>,
    is_self: bool,
}

impl UserPage {
    fn team_selected(&self, team: &Team) -> bool {
        self.form.team_id == team.id.0.to_string()
    }
}

fn edit_form_of(user: &User) -> EditUserForm {
    EditUserForm {
        name: user.name.clone(),
        role: user.role.as_str().into(),
        team_id: user.team_id.map(|t| t.0.to_string()).unwrap_or_default(),
        new_team: String::new(),
        active: user.active.then(|| "on".to_string()),
    }
}

async fn user_page(
    state: &AppState,
    who: &SignedIn,
    id: i64,
    form: Option<EditUserForm>,
    errors: HashMap<String, String>,
) -> Result<UserPage, UiError> {
    let user = state.app.get_user(UserId(id)).await.ui(who)?;
    let teams = state.app.list_teams().await.ui(who)?;
    let mut page = Page::signed_in(who, "admin-user-title", "admin-users");
    page.title = user.name.clone();
    Ok(UserPage {
        page,
        form: form.unwrap_or_else(|| edit_form_of(&user)),
        is_self: user.id == who.session.user.id,
        user,
        teams,
        roles: role_options(who.lang),
        errors,
        new_password: None,
    })
}

async fn edit_user(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let mut body = user_page(&state, &who, id, None, HashMap::new()).await?;
    body.page = body.page.with_notice_key(query.notice.as_deref());
    Ok(render(&body))
}

async fn update_user(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<EditUserForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let actor = who.actor();
    let team = if form.new_team.trim().is_empty() {
        Ok(form.team_id.trim().parse::<i64>().ok().map(TeamId))
    } else {
        state
            .app
            .ensure_team(Some(&actor), &form.new_team)
            .await
            .map(|t| Some(t.id))
    };
    let result = match team {
        Ok(team) => {
            state
                .app
                .update_user(
                    &actor,
                    UserId(id),
                    &form.name,
                    &form.role,
                    team,
                    form.active.is_some(),
                )
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/users/{id}?notice=notice-saved")).into_response())
        }
        Err(e) => match form_messages(who.lang, &e) {
            Some(mut errors) => {
                if let Some(m) = errors.remove("team") {
                    errors.insert("new_team".into(), m);
                }
                let body = user_page(&state, &who, id, Some(form), errors).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&body)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

async fn reset_password(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let password = state
        .app
        .reset_password(&who.actor(), UserId(id))
        .await
        .ui(&who)?;
    let mut body = user_page(&state, &who, id, None, HashMap::new()).await?;
    body.new_password = Some(password);
    Ok(render(&body))
}

// ----- teams -----

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct TeamForm {
    name: String,
}

#[derive(Template)]
#[template(path = "admin/teams.html")]
struct TeamsPage {
    page: Page,
    teams: Vec<Team>,
    name: String,
    errors: HashMap<String, String>,
}

async fn teams(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let teams = state.app.list_teams().await.ui(&who)?;
    Ok(render(&TeamsPage {
        page: Page::signed_in(&who, "admin-teams-title", "admin-teams")
            .with_notice_key(query.notice.as_deref()),
        teams,
        name: String::new(),
        errors: HashMap::new(),
    }))
}

async fn create_team(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<TeamForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    match state.app.ensure_team(Some(&who.actor()), &form.name).await {
        Ok(_) => Ok(Redirect::to("/admin/teams?notice=notice-team-created").into_response()),
        Err(e) => match form_messages(who.lang, &e) {
            Some(mut errors) => {
                if let Some(m) = errors.remove("team") {
                    errors.insert("name".into(), m);
                }
                let teams = state.app.list_teams().await.ui(&who)?;
                let body = TeamsPage {
                    page: Page::signed_in(&who, "admin-teams-title", "admin-teams"),
                    teams,
                    name: form.name,
                    errors,
                };
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&body)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

// ----- audit log -----

/// Entries per audit page.
const AUDIT_PAGE: u32 = 50;

/// Record types an audit filter offers.
const RECORD_TYPES: [&str; 6] = ["person", "company", "deal", "user", "team", "api_token"];

/// One field change, ready to show.
pub struct ChangeRow {
    pub field: String,
    pub from: String,
    pub to: String,
}

/// One audit entry, ready to show (time in the user's language, names localized).
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub record_label: String,
    pub record_id: i64,
    /// The record's name ("Ayşe Yılmaz"), when it has one.
    pub record_name: Option<String>,
    pub link: Option<String>,
    pub action_code: String,
    pub action: String,
    pub changes: Vec<ChangeRow>,
}

/// A translation when the key exists, else the raw text (for values Rehber has no name for).
fn t_or(lang: Lang, key: &str, raw: &str) -> String {
    if lang.has(key) {
        lang.t(key)
    } else {
        raw.to_string()
    }
}

fn change_value(lang: Lang, field: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    let key = match field {
        "role" => format!("role-{value}"),
        "lifecycle_stage" => format!("lifecycle-{value}"),
        "lead_status" => format!("lead-status-{value}"),
        "lead_source" => format!("lead-source-{value}"),
        "consent" => return crate::consents::audit_words(lang, value),
        _ if value == "true" || value == "false" => format!("value-{value}"),
        _ => return value.to_string(),
    };
    t_or(lang, &key, value)
}

/// Audit events as table rows in the user's language.
pub fn audit_rows(lang: Lang, events: Vec<AuditEvent>, names: &RecordNames) -> Vec<AuditRow> {
    events
        .into_iter()
        .map(|e| {
            let record_name = names.get(&(e.record_type.clone(), e.record_id)).cloned();
            let link = match e.record_type.as_str() {
                _ if e.record_id <= 0 => None,
                "person" => Some(record_href::<People>(PersonId(e.record_id))),
                "company" => Some(record_href::<Companies>(CompanyId(e.record_id))),
                "deal" => Some(format!("/deals/{}", e.record_id)),
                "user" => Some(format!("/admin/users/{}", e.record_id)),
                "team" => Some("/admin/teams".to_string()),
                _ => None,
            };
            AuditRow {
                id: e.id,
                at: lang.datetime(e.at),
                actor: e.actor_name.unwrap_or_else(|| lang.t("audit-system")),
                record_label: t_or(lang, &format!("record-{}", e.record_type), &e.record_type),
                record_id: e.record_id,
                record_name,
                link,
                action: t_or(lang, &format!("action-{}", e.action), &e.action),
                action_code: e.action,
                changes: e
                    .changes
                    .into_iter()
                    .map(|c| ChangeRow {
                        from: change_value(lang, &c.field, &c.from),
                        to: change_value(lang, &c.field, &c.to),
                        field: t_or(lang, &format!("field-{}", c.field), &c.field),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Record names by `(record_type, record_id)` (`App::audit_names`).
pub type RecordNames = std::collections::HashMap<(String, i64), String>;

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AuditQuery {
    actor: Option<String>,
    record_type: Option<String>,
    before_id: Option<String>,
}

/// A record type for the filter `<select>`.
pub struct TypeOption {
    pub value: &'static str,
    pub label: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    page: Page,
    rows: Vec<AuditRow>,
    users: Vec<User>,
    types: Vec<TypeOption>,
    actor: String,
    record_type: String,
    older: Option<String>,
    newest: Option<String>,
}

async fn audit(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<AuditQuery>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let actor_id = query
        .actor
        .as_deref()
        .and_then(|a| a.trim().parse::<i64>().ok())
        .map(UserId);
    let record_type = query
        .record_type
        .as_deref()
        .map(str::trim)
        .filter(|t| RECORD_TYPES.contains(t))
        .map(str::to_string);
    let before_id = query
        .before_id
        .as_deref()
        .and_then(|b| b.trim().parse::<i64>().ok());
    let filter = AuditFilter {
        actor: actor_id,
        record_type: record_type.clone(),
        before_id,
        limit: AUDIT_PAGE + 1,
    };
    let mut events = state.app.audit_log(&who.actor(), &filter).await.ui(&who)?;
    let has_older = events.len() > AUDIT_PAGE as usize;
    events.truncate(AUDIT_PAGE as usize);
    let names = state
        .app
        .audit_names(&who.actor(), &events)
        .await
        .ui(&who)?;
    let base_query = |before: Option<i64>| {
        let mut parts = Vec::new();
        if let Some(a) = actor_id {
            parts.push(format!("actor={}", a.0));
        }
        if let Some(t) = &record_type {
            parts.push(format!("record_type={t}"));
        }
        if let Some(b) = before {
            parts.push(format!("before_id={b}"));
        }
        if parts.is_empty() {
            "/admin/audit".to_string()
        } else {
            format!("/admin/audit?{}", parts.join("&"))
        }
    };
    let older = match (has_older, events.last()) {
        (true, Some(last)) => Some(base_query(Some(last.id))),
        _ => None,
    };
    let newest = before_id.map(|_| base_query(None));
    let users = state.app.list_users().await.ui(&who)?;
    let types = RECORD_TYPES
        .into_iter()
        .map(|t| TypeOption {
            value: t,
            label: who.lang.t(&format!("record-{t}")),
        })
        .collect();
    Ok(render(&AuditPage {
        page: Page::signed_in(&who, "admin-audit-title", "admin-audit"),
        rows: audit_rows(who.lang, events, &names),
        users,
        types,
        actor: actor_id.map(|a| a.0.to_string()).unwrap_or_default(),
        record_type: record_type.unwrap_or_default(),
        older,
        newest,
    }))
}
