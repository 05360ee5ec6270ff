//! The commit of a checked import (every row or none, audited) and its undo.

use super::{Importable, StoredImport, UNDO_DAYS, UndoOutcome};
use crate::App;
use crate::error::{AppError, AppResult};
use rehber_domain::import::{ImportKind, ImportStatus, Lexicon};
use rehber_domain::party::{Companies, People};
use rehber_domain::{Actor, Error};
use rehber_store::{AuditChange, AuditEntry, UndoRestore};

/// Imports of up to this many records have their lead scores worked out before the commit
/// answers.
const SCORE_AT_ONCE: usize = 2_000;
/// Imports writing at least this many records give the database's planner their tables'
/// new statistics before answering.
const ANALYZE_AFTER: usize = 5_000;

impl App {
    /// Creates every row of a checked import without errors, or none (a row that repeats
    /// a record added since the check fails the commit, naming its line). With
    /// `skip_errors`, the rows the check found wrong are left out (listed in its report) and
    /// the others created, still all or none. A second commit of the same import is
    /// refused (409).
    pub async fn commit_import(
        &self,
        actor: &Actor,
        id: i64,
        lexicon: &Lexicon,
        skip_errors: bool,
    ) -> AppResult<StoredImport> {
        let import = self.get_import(actor, id).await?;
        match import.status {
            ImportStatus::Checked if import.counts.errors > 0 && !skip_errors => {
                return Err(Error::InvalidState("import-has-errors").into());
            }
            ImportStatus::Checked => {}
            ImportStatus::Uploaded | ImportStatus::Failed | ImportStatus::Checking => {
                return Err(Error::InvalidState("import-not-checked").into());
            }
            ImportStatus::Committing | ImportStatus::Committed | ImportStatus::Undone => {
                return Err(Error::Conflict("import-committed").into());
            }
        }
        if !self
            .store
            .move_import(id, &[ImportStatus::Checked], ImportStatus::Committing)
            .await?
        {
            return Err(Error::Conflict("import-committed").into());
        }
        // As it is now that it is ours: a mapping changed and checked again since the read
        // above is the one to commit, with its report.
        let import = self.store.import(id).await?;
        if import.counts.errors > 0 && !skip_errors {
            self.store
                .move_import(id, &[ImportStatus::Committing], ImportStatus::Checked)
                .await?;
            return Err(Error::InvalidState("import-has-errors").into());
        }
        let outcome = match import.kind {
            ImportKind::People => self.commit_rows::<People>(actor, &import, lexicon).await,
            ImportKind::Companies => self.commit_rows::<Companies>(actor, &import, lexicon).await,
        };
        match outcome {
            Ok(()) => {}
            // The rows' own refusal is already written on the import.
            Err(error @ AppError::Domain(Error::Conflict(_))) => return Err(error),
            Err(error) => {
                self.store.fail_import(id, &error.to_string()).await?;
                return Err(error);
            }
        }
        Ok(self.store.import(id).await?)
    }

    async fn commit_rows<K: Importable>(
        &self,
        actor: &Actor,
        import: &StoredImport,
        lexicon: &Lexicon,
    ) -> AppResult<()> {
        let prepared = self.reread(import).await?;
        let checked = self
            .tracked_check::<K>(actor, import.id, &prepared, lexicon)
            .await?;
        // A row with an error the check did not find: records were added (or fields
        // changed) since, and the rows the user saw going in no longer all can.
        let error_lines = |report: &[rehber_domain::import::ReportRow]| {
            report
                .iter()
                .filter(|r| r.status == rehber_domain::import::RowStatus::Error)
                .map(|r| r.line)
                .collect::<std::collections::BTreeSet<usize>>()
        };
        let known = error_lines(&import.report);
        let new_error = error_lines(&checked.report)
            .into_iter()
            .find(|line| !known.contains(line));
        if let Some(line) = new_error {
            self.store
                .fail_import(import.id, &format!("line {line}: changed since the check"))
                .await?;
            return Err(Error::Conflict("import-changed").into());
        }
        let rows: Vec<_> = checked.rows.iter().map(|(_, row)| row.clone()).collect();
        let updates: Vec<_> = checked.updates.iter().map(|(_, u)| u.clone()).collect();
        let mut keys = checked.keys.clone();
        keys.extend(
            checked
                .update_keys
                .iter()
                .map(|(key, index)| (key.clone(), rows.len() + index)),
        );
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: "import",
            record_id: import.id,
            action: "committed",
            changes: vec![
                AuditChange {
                    field: "import_kind".into(),
                    from: String::new(),
                    to: import.kind.as_str().into(),
                },
                AuditChange {
                    field: "import_rows".into(),
                    from: String::new(),
                    to: rows.len().to_string(),
                },
                AuditChange {
                    field: "import_updated".into(),
                    from: String::new(),
                    to: updates.len().to_string(),
                },
                AuditChange {
                    field: "import_skipped".into(),
                    from: String::new(),
                    to: checked.counts.errors.to_string(),
                },
                AuditChange {
                    field: "file_name".into(),
                    from: String::new(),
                    to: import.file_name.clone(),
                },
            ],
        };
        match self
            .store
            .commit_import::<K>(import.id, (&rows, &updates), &keys, &entry)
            .await?
        {
            Ok(ids) => {
                let mut raw: Vec<i64> = ids.into_iter().map(K::raw).collect();
                raw.extend(updates.iter().map(|u| u.record_id));
                // The import is committed whatever happens here: a planner without the new
                // statistics is slower, not wrong.
                if raw.len() >= ANALYZE_AFTER
                    && let Err(error) = self.store.after_import::<K>().await
                {
                    tracing::warn!(%error, "an import's tables were not analysed");
                }
                if raw.len() <= SCORE_AT_ONCE {
                    self.rescore::<K>(&raw).await;
                } else {
                    // A large import's scores are worked out after the answer (the night's
                    // job works every score out again should the process stop first).
                    let app = self.clone();
                    tokio::spawn(async move { app.rescore::<K>(&raw).await });
                }
                Ok(())
            }
            Err(conflict) => {
                let line = checked
                    .rows
                    .iter()
                    .map(|(line, _)| *line)
                    .chain(checked.updates.iter().map(|(line, _)| *line))
                    .nth(conflict.row)
                    .unwrap_or(0);
                self.store
                    .fail_import(
                        import.id,
                        // Not by id: it may be a record the importer cannot see.
                        &format!("line {line}: repeats a record added since the check"),
                    )
                    .await?;
                Err(Error::Conflict("import-changed").into())
            }
        }
    }

    /// Undoes a committed import within [`UNDO_DAYS`] of the commit: the records it created
    /// go to the trash and the records it updated take back their content; records changed
    /// since (or, created ones, linked to: an activity, a deal, a company's person…) are
    /// kept, and counted.
    pub async fn undo_import(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<(StoredImport, UndoOutcome)> {
        let import = self.get_import(actor, id).await?;
        let access = match import.kind {
            ImportKind::People => <People as rehber_domain::Kind>::ACCESS,
            ImportKind::Companies => <Companies as rehber_domain::Kind>::ACCESS,
        };
        // An undo moves records to the trash: only roles that may delete them.
        if !actor.role.can_delete(access) {
            return Err(Error::Forbidden.into());
        }
        if import.status != ImportStatus::Committed {
            return Err(Error::Conflict("import-not-committed").into());
        }
        let deadline = import
            .committed_at
            .map(|at| at + jiff::SignedDuration::from_hours(24 * UNDO_DAYS));
        if deadline.is_some_and(|d| jiff::Timestamp::now() > d) {
            return Err(Error::InvalidState("import-undo-expired").into());
        }
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: "import",
            record_id: id,
            action: "undone",
            changes: Vec::new(),
        };
        let outcome = match import.kind {
            ImportKind::People => self.undo_kind::<People>(id, &entry).await?,
            ImportKind::Companies => self.undo_kind::<Companies>(id, &entry).await?,
        };
        Ok((self.store.import(id).await?, outcome))
    }

    async fn undo_kind<K: Importable>(
        &self,
        id: i64,
        entry: &AuditEntry,
    ) -> AppResult<UndoOutcome> {
        let restores = self.undo_restores::<K>(id).await?;
        self.store
            .undo_import::<K>(id, &restores, entry)
            .await
            .map_err(|e| match e {
                rehber_store::StoreError::StaleVersion => {
                    Error::Conflict("import-not-committed").into()
                }
                other => AppError::from(other),
            })
    }

    /// The records import `id` updated that nobody changed since, each with its content
    /// from before the import and what putting it back changes.
    async fn undo_restores<K: Importable>(
        &self,
        id: i64,
    ) -> AppResult<Vec<UndoRestore<K::Fields>>> {
        let updated = self.store.import_updates(id).await?;
        let ids: Vec<K::Id> = updated.iter().map(|u| K::id(u.record_id)).collect();
        // Not through the importer's scope: an undo puts back what the import wrote,
        // whoever holds the record now.
        let records: std::collections::HashMap<i64, K::Record> = self
            .store
            .unscoped()
            .get_many::<K>(&ids)
            .await?
            .into_iter()
            .map(|r| (K::raw(K::record_id(&r)), r))
            .collect();
        let today = self.today();
        let mut restores = Vec::new();
        for kept in updated {
            let Some(record) = records.get(&kept.record_id) else {
                continue;
            };
            if K::meta(record).version != kept.version_after {
                continue;
            }
            let Some(fields) =
                K::form_from_json(&kept.before).and_then(|form| K::validate(&form, today).ok())
            else {
                continue;
            };
            let mut changes =
                crate::changes::diff(&K::Form::from(K::fields(record)), &K::Form::from(&fields));
            K::name_links(self, &mut changes).await?;
            restores.push(UndoRestore {
                record_id: kept.record_id,
                version_after: kept.version_after,
                fields,
                ownership: K::ownership(record),
                changes,
            });
        }
        Ok(restores)
    }
}
