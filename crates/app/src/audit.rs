//! The administrators' audit view.

use crate::App;
use crate::error::AppResult;
use rehber_domain::{Actor, Error};
use rehber_store::{AuditChange, AuditEntry, AuditEvent, AuditFilter};

/// What changing an organisation setting writes: the setting's `field` from what it
/// showed to what it shows.
pub(crate) struct SettingChange<'a> {
    pub key: &'a str,
    pub value: serde_json::Value,
    pub field: &'static str,
    pub from: String,
    pub to: String,
}

impl App {
    /// Stores a setting an administrator changed, with its audit entry.
    pub(crate) async fn put_audited_setting(
        &self,
        actor: &Actor,
        change: SettingChange<'_>,
    ) -> AppResult<()> {
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: "setting",
            record_id: 0,
            action: "updated",
            changes: vec![AuditChange {
                field: change.field.into(),
                from: change.from,
                to: change.to,
            }],
        };
        self.store
            .put_setting(change.key, &change.value, entry)
            .await?;
        Ok(())
    }
}

/// The audit changes of a creation: every field given a value, from nothing.
pub(crate) fn created_changes(values: Vec<(&'static str, String)>) -> Vec<AuditChange> {
    values
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(field, value)| AuditChange {
            field: field.to_string(),
            from: String::new(),
            to: value,
        })
        .collect()
}

/// The audit changes between two sets of the same named values: the fields that differ.
pub(crate) fn changed_fields(
    before: Vec<(&'static str, String)>,
    after: Vec<(&'static str, String)>,
) -> Vec<AuditChange> {
    before
        .into_iter()
        .zip(after)
        .filter(|((_, from), (_, to))| from != to)
        .map(|((field, from), (_, to))| AuditChange {
            field: field.to_string(),
            from,
            to,
        })
        .collect()
}

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

    /// The names of the records `events` point at, for an administrator's audit view
    /// (people, companies, users and teams; deleted records keep their names).
    pub async fn audit_names(
        &self,
        actor: &Actor,
        events: &[AuditEvent],
    ) -> AppResult<std::collections::HashMap<(String, i64), String>> {
        if !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        let refs: Vec<(String, i64)> = events
            .iter()
            .map(|e| (e.record_type.clone(), e.record_id))
            .collect();
        Ok(self.store.record_names(&refs).await?)
    }
}
