//! Roles, visibility scopes and the acting user.
//!
//! The rules here are the only place that decides who may see and change which records; the
//! store turns a [`Visibility`] into its single SQL scope filter.

use crate::ids::{TeamId, UserId};
use serde::{Deserialize, Serialize};

/// Built-in roles. The identifiers (`as_str`) are a public contract of the CLI and API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    SalesManager,
    SalesRep,
    SupportAgent,
    Marketer,
    ReadOnly,
}

/// Record kinds with a visibility scope of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Company,
    Person,
    /// Deals: seen by their owner (a rep), the owner's team (a manager) or everyone.
    Deal,
    /// Activities: seen with the record they were logged against (its owner and team are
    /// copied onto them).
    Activity,
    /// Tasks: seen with their assignee's records (the assignee is their owner).
    Task,
}

/// How far a role sees: its own records, its team's, or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Own,
    Team,
    All,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Administrator,
        Role::SalesManager,
        Role::SalesRep,
        Role::SupportAgent,
        Role::Marketer,
        Role::ReadOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::SalesManager => "sales_manager",
            Role::SalesRep => "sales_rep",
            Role::SupportAgent => "support_agent",
            Role::Marketer => "marketer",
            Role::ReadOnly => "read_only",
        }
    }

    pub fn parse(input: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == input.trim())
    }

    /// The visibility scope of this role for a kind of record. Support agents and marketers
    /// work across the whole customer base (tickets and campaigns reach every customer);
    /// sales works its own portfolio, managers their team's.
    pub fn scope(self, kind: RecordKind) -> Scope {
        match (self, kind) {
            (Role::SalesRep, _) => Scope::Own,
            (Role::SalesManager, _) => Scope::Team,
            (Role::Administrator | Role::SupportAgent | Role::Marketer | Role::ReadOnly, _) => {
                Scope::All
            }
        }
    }

    /// May this role create and edit records of the kind (within its scope)?
    pub fn can_write(self, _kind: RecordKind) -> bool {
        !matches!(self, Role::ReadOnly)
    }

    /// May this role delete records (within its scope)?
    pub fn can_delete(self, _kind: RecordKind) -> bool {
        matches!(
            self,
            Role::Administrator | Role::SalesManager | Role::SalesRep
        )
    }

    /// May this role reassign records to another owner or team?
    pub fn can_reassign(self) -> bool {
        matches!(self, Role::Administrator | Role::SalesManager)
    }

    pub fn is_admin(self) -> bool {
        self == Role::Administrator
    }

    /// May this role share a saved view of a list with everyone? (Anyone keeps their own.)
    pub fn can_share_views(self) -> bool {
        matches!(
            self,
            Role::Administrator | Role::SalesManager | Role::Marketer
        )
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The user on whose behalf a service call runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub team_id: Option<TeamId>,
    pub role: Role,
}

/// What a read may return, resolved for one actor and one kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    All,
    Team(TeamId),
    Owner(UserId),
}

impl Actor {
    /// The rows this actor may see. A team scope without a team narrows to the actor's own
    /// records rather than widening to everything.
    pub fn visibility(&self, kind: RecordKind) -> Visibility {
        match self.role.scope(kind) {
            Scope::All => Visibility::All,
            Scope::Team => match self.team_id {
                Some(team) => Visibility::Team(team),
                None => Visibility::Owner(self.user_id),
            },
            Scope::Own => Visibility::Owner(self.user_id),
        }
    }

    /// Whether a record with this owner and team is visible to the actor.
    pub fn sees(&self, kind: RecordKind, owner: Option<UserId>, team: Option<TeamId>) -> bool {
        match self.visibility(kind) {
            Visibility::All => true,
            Visibility::Team(t) => team == Some(t),
            Visibility::Owner(u) => owner == Some(u),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, team: Option<i64>) -> Actor {
        Actor {
            user_id: UserId(7),
            team_id: team.map(TeamId),
            role,
        }
    }

    #[test]
    fn role_identifiers_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn sales_rep_sees_only_own_records() {
        let rep = actor(Role::SalesRep, Some(1));
        assert!(rep.sees(RecordKind::Person, Some(UserId(7)), Some(TeamId(2))));
        assert!(!rep.sees(RecordKind::Person, Some(UserId(8)), Some(TeamId(1))));
        assert!(!rep.sees(RecordKind::Company, None, Some(TeamId(1))));
    }

    #[test]
    fn manager_without_team_is_narrowed_to_own_records() {
        let manager = actor(Role::SalesManager, None);
        assert_eq!(
            manager.visibility(RecordKind::Company),
            Visibility::Owner(UserId(7))
        );
        let manager = actor(Role::SalesManager, Some(3));
        assert_eq!(
            manager.visibility(RecordKind::Company),
            Visibility::Team(TeamId(3))
        );
    }

    #[test]
    fn read_only_sees_all_but_cannot_write() {
        let ro = actor(Role::ReadOnly, None);
        assert_eq!(ro.visibility(RecordKind::Person), Visibility::All);
        assert!(!ro.role.can_write(RecordKind::Person));
        assert!(!ro.role.can_delete(RecordKind::Person));
    }
}
