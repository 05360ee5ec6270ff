//! The administrators' audit view.

use crate::App;
use crate::error::AppResult;
use rehber_domain::{Actor, Error};
use rehber_store::{AuditEvent, AuditFilter};

impl App {
    /// The whole audit log, newest first (administrators only).
    pub async fn audit_log(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
    ) -> AppResult<Vec<AuditEvent>> {
        if !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        Ok(self.store.audit_log(filter).await?)
    }
}
