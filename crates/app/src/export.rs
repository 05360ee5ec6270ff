//! Taking a list out of Rehber: every record the list shows, page after page through the
//! same scope and filters as the list itself; who may; and the audit entry that says who
//! took which list, how, and how many rows (KVKK's "who took the customer list").

use crate::App;
use crate::audit::SettingChange;
use crate::error::AppResult;
use crate::list::ListRequest;
use crate::records::ServiceKind;
use rehber_domain::{Actor, Error, Role};
use rehber_store::{AuditChange, AuditEntry};
use serde_json::Value;

/// The most rows one export holds; a longer list is narrowed with filters first.
pub const MAX_EXPORT_ROWS: usize = 100_000;

/// Rows read per page while exporting (the largest page a list serves).
const EXPORT_PAGE: u32 = 500;

/// The organisation setting that lets sales reps export (off unless an administrator
/// turns it on).
const REPS_MAY_EXPORT: &str = "exports.sales_reps_allowed";

/// What an export is, for its audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportNote {
    /// `csv`, `csv excel-tr` or `xlsx`.
    pub format: String,
    /// The list's parameters as asked (its filters and sort).
    pub query: String,
}

impl App {
    /// Whether an administrator lets sales reps export lists.
    pub async fn reps_may_export(&self) -> AppResult<bool> {
        Ok(self
            .store
            .setting(REPS_MAY_EXPORT)
            .await?
            .and_then(|v| v.as_bool())
            .unwrap_or(false))
    }

    /// Lets sales reps export lists, or stops them (administrators).
    pub async fn set_reps_may_export(&self, actor: &Actor, allowed: bool) -> AppResult<()> {
        if !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        let before = self.reps_may_export().await?;
        self.put_audited_setting(
            actor,
            SettingChange {
                key: REPS_MAY_EXPORT,
                value: Value::Bool(allowed),
                field: "exports_by_reps",
                from: before.to_string(),
                to: allowed.to_string(),
            },
        )
        .await
    }

    /// Refuses a sales rep unless an administrator allows reps to export.
    pub async fn may_export(&self, actor: &Actor) -> AppResult<()> {
        if actor.role == Role::SalesRep && !self.reps_may_export().await? {
            return Err(Error::Forbidden.into());
        }
        Ok(())
    }

    /// Every record of the list `request` describes, as the actor's list would show them
    /// (its scope, filters and order), with the audit entry of the export. A list longer
    /// than [`MAX_EXPORT_ROWS`] is refused (`422` on `filter`) and nothing is recorded.
    pub async fn export<K: ServiceKind>(
        &self,
        actor: &Actor,
        request: &ListRequest,
        note: &ExportNote,
    ) -> AppResult<Vec<K::Record>> {
        self.may_export(actor).await?;
        let mut request = request.clone();
        request.page.after = None;
        request.page.limit = EXPORT_PAGE;
        let mut records = Vec::new();
        loop {
            let page = self.list::<K>(actor, &request).await?;
            records.extend(page.items);
            if records.len() > MAX_EXPORT_ROWS {
                return Err(Error::field("filter", "invalid-export-too-large").into());
            }
            match page.next_cursor {
                Some(next) => request.page.after = Some(next),
                None => break,
            }
        }
        let entry = exported_entry(
            actor,
            K::TYPE,
            vec![
                ("export_format", note.format.clone()),
                ("export_filter", note.query.clone()),
                ("export_rows", records.len().to_string()),
            ],
        );
        self.store.append_audit(&entry).await?;
        Ok(records)
    }
}

/// The audit entry of a file of `record_type` records the actor took, with what it held.
pub(crate) fn exported_entry(
    actor: &Actor,
    record_type: &'static str,
    values: Vec<(&str, String)>,
) -> AuditEntry {
    AuditEntry {
        actor: Some(actor.user_id),
        record_type,
        record_id: 0,
        action: "exported",
        changes: values
            .into_iter()
            .map(|(field, to)| AuditChange {
                field: field.into(),
                from: String::new(),
                to,
            })
            .collect(),
    }
}
