//! Users and teams. Users are not customer records: they carry no scope of their own, and
//! only services decide who may list or change them.

use crate::codec::timestamp;
use crate::{Store, StoreError, now_micros, on_pool, on_writer};
use rehber_domain::{Role, TeamId, UserId};

/// A user account (without its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    pub locale: Option<String>,
    pub active: bool,
    pub created_at: jiff::Timestamp,
}

impl User {
    /// The acting user for service calls.
    pub fn actor(&self) -> rehber_domain::Actor {
        rehber_domain::Actor {
            user_id: self.id,
            team_id: self.team_id,
            role: self.role,
        }
    }
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub password_hash: Option<String>,
    pub locale: Option<String>,
}

/// A team with its member count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub members: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    team_id: Option<i64>,
    team_name: Option<String>,
    locale: Option<String>,
    active: bool,
    created_at: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(row: UserRow) -> Result<Self, StoreError> {
        Ok(User {
            id: UserId(row.id),
            email: row.email,
            name: row.name,
            role: Role::parse(&row.role)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown role {:?}", row.role)))?,
            team_id: row.team_id.map(TeamId),
            team_name: row.team_name,
            locale: row.locale,
            active: row.active,
            created_at: timestamp(row.created_at)?,
        })
    }
}

const USER_COLUMNS: &str = "SELECT u.id, u.email, u.name, u.role, u.team_id, t.name AS team_name, \
     u.locale, u.active, u.created_at FROM users u LEFT JOIN teams t ON t.id = u.team_id";

/// A user row and one more table's columns, read in one query.
#[derive(sqlx::FromRow)]
pub(crate) struct UserWith<T> {
    #[sqlx(flatten)]
    pub user: UserRow,
    #[sqlx(flatten)]
    pub other: T,
}

impl Store {
    pub async fn create_user(&self, user: &NewUser) -> Result<User, StoreError> {
        let now = now_micros();
        let id: i64 = on_writer!(self, pool => sqlx::query_scalar(
            "INSERT INTO users (email, name, role, team_id, password_hash, locale, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $7) RETURNING id")
            .bind(&user.email)
            .bind(&user.name)
            .bind(user.role.as_str())
            .bind(user.team_id.map(|t| t.0))
            .bind(&user.password_hash)
            .bind(&user.locale)
            .bind(now)
            .fetch_one(pool)
            .await?);
        self.get_user(UserId(id)).await
    }

    pub async fn get_user(&self, id: UserId) -> Result<User, StoreError> {
        let sql = format!("{USER_COLUMNS} WHERE u.id = $1");
        let row: UserRow = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_one(pool).await?);
        row.try_into()
    }

    /// The user with this e-mail (compared case-insensitively) and their password hash.
    pub async fn find_user_by_email(
        &self,
        email: &str,
    ) -> Result<Option<(User, Option<String>)>, StoreError> {
        let sql = format!("{USER_COLUMNS} WHERE lower(u.email) = lower($1)");
        let row: Option<UserRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email.trim()).fetch_optional(pool).await?);
        let Some(row) = row else { return Ok(None) };
        let hash: Option<String> = on_pool!(self, pool => sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(row.id).fetch_one(pool).await?);
        Ok(Some((row.try_into()?, hash)))
    }

    pub async fn password_hash(&self, id: UserId) -> Result<Option<String>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(id.0).fetch_one(pool).await?),
        )
    }

    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let sql = format!("{USER_COLUMNS} ORDER BY u.active DESC, u.name, u.id");
        let rows: Vec<UserRow> =
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?);
        rows.into_iter().map(User::try_from).collect()
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?),
        )
    }

    /// Changes a user's name, role, team and active flag.
    pub async fn update_user(
        &self,
        id: UserId,
        name: &str,
        role: Role,
        team_id: Option<TeamId>,
        active: bool,
    ) -> Result<User, StoreError> {
        let done = on_writer!(self, pool => sqlx::query(
            "UPDATE users SET name = $2, role = $3, team_id = $4, active = $5, updated_at = $6 WHERE id = $1")
            .bind(id.0).bind(name).bind(role.as_str()).bind(team_id.map(|t| t.0)).bind(active).bind(now_micros())
            .execute(pool).await?.rows_affected());
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        self.get_user(id).await
    }

    pub async fn set_user_locale(
        &self,
        id: UserId,
        locale: Option<&str>,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => sqlx::query("UPDATE users SET locale = $2, updated_at = $3 WHERE id = $1")
            .bind(id.0).bind(locale).bind(now_micros()).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Replaces a user's password hash and ends all their sessions.
    pub async fn set_password_hash(&self, id: UserId, hash: &str) -> Result<(), StoreError> {
        crate::in_tx!(self, conn => {
            let done = sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(id.0).bind(hash).bind(now_micros()).execute(&mut *conn).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.0).execute(&mut *conn).await?;
        });
        Ok(())
    }

    pub async fn create_team(&self, name: &str) -> Result<Team, StoreError> {
        let id: i64 = on_writer!(self, pool => sqlx::query_scalar(
            "INSERT INTO teams (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name.trim()).bind(now_micros()).fetch_one(pool).await?);
        Ok(Team {
            id: TeamId(id),
            name: name.trim().to_string(),
            members: 0,
        })
    }

    pub async fn find_team_by_name(&self, name: &str) -> Result<Option<Team>, StoreError> {
        Ok(self
            .list_teams()
            .await?
            .into_iter()
            .find(|t| t.name == name.trim()))
    }

    pub async fn get_team(&self, id: TeamId) -> Result<Team, StoreError> {
        self.list_teams()
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(StoreError::NotFound)
    }

    pub async fn list_teams(&self) -> Result<Vec<Team>, StoreError> {
        let rows: Vec<(i64, String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT t.id, t.name, (SELECT COUNT(*) FROM users u WHERE u.team_id = t.id AND u.active) \
             FROM teams t ORDER BY t.name")
            .fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(id, name, members)| Team {
                id: TeamId(id),
                name,
                members,
            })
            .collect())
    }
}
