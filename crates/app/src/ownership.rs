//! Who a new or reassigned record belongs to, and who may decide that.

use crate::App;
use crate::error::AppResult;
use rehber_domain::party::Ownership;
use rehber_domain::{Actor, Error, TeamId, UserId};

/// An owner and/or team a request asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OwnershipRequest {
    pub owner_id: Option<UserId>,
    pub team_id: Option<TeamId>,
}

impl App {
    /// Resolves the ownership of a record: `current` for an update, `None` for a new record
    /// (which defaults to the actor and their team). Reassigning to someone else needs a role
    /// that may reassign; the team follows the new owner unless given.
    pub(crate) async fn resolve_ownership(
        &self,
        actor: &Actor,
        current: Option<Ownership>,
        request: OwnershipRequest,
    ) -> AppResult<Ownership> {
        let base = current.unwrap_or(Ownership {
            owner_id: Some(actor.user_id),
            team_id: actor.team_id,
        });
        if request == OwnershipRequest::default() {
            return Ok(base);
        }
        let owner_id = request.owner_id.or(base.owner_id);
        let changes_owner = owner_id != base.owner_id;
        let changes_team = request.team_id.is_some() && request.team_id != base.team_id;
        // Without the right to reassign, the only owner change allowed is claiming a record
        // nobody owns. Taking another user's record is a reassignment too: support agents
        // and marketers see every record, and must not move customers out of a rep's
        // portfolio by naming themselves.
        let claims_unowned = base.owner_id.is_none() && owner_id == Some(actor.user_id);
        if (changes_owner && !claims_unowned || changes_team) && !actor.role.can_reassign() {
            return Err(Error::Forbidden.into());
        }
        let mut team_id = request.team_id.or(base.team_id);
        if let Some(owner) = owner_id.filter(|_| changes_owner) {
            let user = unknown_as_field(self.store.get_user(owner).await, "owner_id")?;
            if !user.active {
                return Err(Error::field("owner_id", "invalid-unknown-value").into());
            }
            if request.team_id.is_none() {
                team_id = user.team_id;
            }
        }
        if let Some(team) = request.team_id {
            unknown_as_field(self.store.get_team(team).await, "team_id")?;
        }
        Ok(Ownership { owner_id, team_id })
    }
}

/// A lookup of an id the request named: "not found" is the request's mistake (a field
/// error), any other failure is the store's and stays one (never a 422).
fn unknown_as_field<T>(result: Result<T, rehber_store::StoreError>, field: &str) -> AppResult<T> {
    match result {
        Ok(value) => Ok(value),
        Err(rehber_store::StoreError::NotFound) => {
            Err(Error::field(field, "invalid-unknown-value").into())
        }
        Err(e) => Err(e.into()),
    }
}
