//! Lists exported in the background. A list too long to write while its reader waits
//! (more than [`BACKGROUND_EXPORT_ROWS`] rows on the page's count) is asked for here: the
//! job ([`LIST_EXPORT`], whose handler the web layer registers, since it words the file)
//! writes it as the requester's list shows it when the job runs, through the same scope,
//! rules and audit entry as a download, keeps the file for a day and tells the requester
//! with a notification. Only the requester sees an export or its file. An erasure removes
//! every file kept, since any list may hold the person.

use crate::App;
use crate::error::{AppError, AppResult};
use crate::jobs::{JobFailure, Schedule};
use bytes::Bytes;
use futures_util::stream::BoxStream;
use rehber_domain::comment::{NewNotification, NotificationKind, SubjectType};
use rehber_domain::{Actor, Error, UserId};
use rehber_files::FilesError;
pub use rehber_store::ListExport;
use rehber_store::{ListExportChange, NewListExport, now_micros};
use serde_json::json;

/// The job kind that writes one export.
pub const LIST_EXPORT: &str = "export.list";

/// The longest list the pages write while their reader waits; a longer one is exported in
/// the background.
pub const BACKGROUND_EXPORT_ROWS: u64 = 5_000;
/// An export still not written this long after it was asked for has been given up on (its
/// job's attempts, retried with growing pauses, end well before): housekeeping marks it
/// failed.
pub const STALLED_AFTER: std::time::Duration = std::time::Duration::from_secs(2 * 3_600);

/// How long a written file is kept.
const KEEP_MICROS: i64 = 24 * 3_600 * 1_000_000;

/// The largest file kept (an XLSX of the longest list allowed is far smaller).
const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// How many of a user's exports their page shows.
const LISTED: i64 = 50;

/// An export's file, as it streams.
pub struct ListExportFile {
    pub name: String,
    pub bytes: BoxStream<'static, Result<Bytes, FilesError>>,
}

/// What a finished job wrote: the file, its name and how many rows it holds.
pub struct WrittenList {
    pub bytes: Vec<u8>,
    pub file_name: String,
    pub rows: usize,
}

/// Why a job could not write its list: a message key the pages translate (`invalid-…` or
/// `problem-…`), or `export-failed` for anything else.
pub fn failure_code(error: &AppError) -> String {
    match error {
        AppError::Domain(Error::Validation(errors) | Error::Unreadable(errors)) => errors
            .0
            .first()
            .map_or_else(|| "export-failed".to_string(), |e| e.code.clone()),
        AppError::Domain(Error::Forbidden) => "problem-forbidden".to_string(),
        _ => "export-failed".to_string(),
    }
}

impl App {
    /// Queues an export of the list `query` describes (`record_type` `person` or `company`,
    /// `format` as the audit log names it), worded in `lang`. Refused as a download is
    /// (sales reps, unless an administrator allows them).
    pub async fn request_list_export(
        &self,
        actor: &Actor,
        record_type: &'static str,
        format: &str,
        query: &str,
        lang: &str,
    ) -> AppResult<ListExport> {
        self.may_export(actor).await?;
        let export = self
            .store
            .create_list_export(NewListExport {
                requested_by: actor.user_id.0,
                record_type,
                format,
                query,
                lang,
            })
            .await?;
        self.enqueue_job(
            LIST_EXPORT,
            &json!({ "export_id": export.id }),
            Schedule::default(),
        )
        .await?;
        Ok(export)
    }

    /// One of the actor's exports (anyone else's is not found).
    pub async fn list_export(&self, actor: &Actor, id: i64) -> AppResult<ListExport> {
        let export = self.store.list_export(id).await?;
        if export.requested_by != actor.user_id.0 {
            return Err(Error::NotFound.into());
        }
        Ok(export)
    }

    /// The actor's latest exports, newest first.
    pub async fn list_exports(&self, actor: &Actor) -> AppResult<Vec<ListExport>> {
        Ok(self.store.list_exports_of(actor.user_id.0, LISTED).await?)
    }

    /// A finished export's file (not found before it is done, or once removed).
    pub async fn list_export_file(&self, actor: &Actor, id: i64) -> AppResult<ListExportFile> {
        let export = self.list_export(actor, id).await?;
        let (Some(key), Some(name)) = (
            export.file_key.filter(|_| export.status == "done"),
            export.file_name,
        ) else {
            return Err(Error::NotFound.into());
        };
        let bytes = self
            .files
            .get(&key)
            .await
            .map_err(|e| AppError::Internal(format!("list export {id}: {e}")))?;
        Ok(ListExportFile { name, bytes })
    }

    /// The job's start: the export, marked running, and its requester as they are now (an
    /// inactive one's export fails).
    pub async fn start_list_export(&self, id: i64) -> Result<(ListExport, Actor), JobFailure> {
        let retry = |e: AppError| JobFailure::Retry(e.to_string());
        let export = match self.store.list_export(id).await {
            Ok(export) => export,
            Err(rehber_store::StoreError::NotFound) => {
                return Err(JobFailure::Permanent(format!("no list export {id}")));
            }
            Err(e) => return Err(retry(e.into())),
        };
        let user = self
            .user(UserId(export.requested_by))
            .await
            .map_err(retry)?;
        if !user.active {
            self.finish_list_export(&export, Err("problem-forbidden".into()))
                .await?;
            return Err(JobFailure::Permanent(format!(
                "list export {id}: its requester is inactive"
            )));
        }
        self.store
            .update_list_export(id, ListExportChange::Running)
            .await
            .map_err(|e| retry(e.into()))?;
        Ok((export, user.actor()))
    }

    /// The job's end: keeps the file and tells the requester, or records why it failed
    /// (`failure_code`). Files kept longer than a day are removed on the way.
    pub async fn finish_list_export(
        &self,
        export: &ListExport,
        written: Result<WrittenList, String>,
    ) -> Result<(), JobFailure> {
        let retry = |e: String| JobFailure::Retry(e);
        match written {
            Ok(list) => {
                let size = list.bytes.len() as i64;
                let stream = futures_util::stream::once(async move {
                    Ok::<_, std::io::Error>(Bytes::from(list.bytes))
                });
                let stored = self
                    .files
                    .put(stream, MAX_FILE_BYTES)
                    .await
                    .map_err(|e| retry(e.to_string()))?;
                self.store
                    .update_list_export(
                        export.id,
                        ListExportChange::Done {
                            rows: list.rows as i64,
                            file_name: &list.file_name,
                            file_key: &stored.key,
                            size,
                        },
                    )
                    .await
                    .map_err(|e| retry(e.to_string()))?;
            }
            Err(code) => {
                self.store
                    .update_list_export(export.id, ListExportChange::Failed(&code))
                    .await
                    .map_err(|e| retry(e.to_string()))?;
            }
        }
        self.notify(&[NewNotification {
            user_id: UserId(export.requested_by),
            kind: NotificationKind::ExportReady,
            subject_type: SubjectType::Export,
            subject_id: export.id,
            actor_id: None,
        }])
        .await;
        if let Err(error) = self.expire_list_exports().await {
            tracing::warn!(%error, "old list exports were not removed");
        }
        Ok(())
    }

    /// Removes the files of exports finished more than a day ago; how many.
    pub async fn expire_list_exports(&self) -> AppResult<u64> {
        self.remove_list_exports_before(now_micros() - KEEP_MICROS)
            .await
    }

    /// Removes the files of exports finished before `before` (microseconds): after a day,
    /// and all of them when a person is erased, since any list may hold them.
    pub(crate) async fn remove_list_exports_before(&self, before: i64) -> AppResult<u64> {
        let mut removed = 0;
        // The store hands them over in batches; each is marked expired as it goes.
        loop {
            let old = self.store.list_exports_to_expire(before).await?;
            if old.is_empty() {
                return Ok(removed);
            }
            for export in &old {
                self.store
                    .update_list_export(export.id, ListExportChange::Expired)
                    .await?;
                removed += 1;
                // Files are stored by their content: the same bytes may be another export's
                // or an attachment's.
                let Some(key) = &export.file_key else {
                    continue;
                };
                if !self.store.file_in_use(key).await? {
                    self.files.delete(key).await.map_err(|e| {
                        AppError::Internal(format!("list export {}: {e}", export.id))
                    })?;
                }
            }
        }
    }
}
