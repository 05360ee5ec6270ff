//! Files attached to people and companies: uploaded by someone who may write to the record
//! (streamed into the file store with the size cap checked on the way; an empty, oversize
//! or executable file is refused and nothing is recorded), listed and downloaded by whoever
//! may see the record, and deleted (to the trash) by those who may delete.
//!
//! The type is sniffed from the content, not trusted from the browser; only pictures and
//! PDFs are ever shown inline (`rehber_domain::attachment::previewable`).

use crate::App;
use crate::error::{AppError, AppResult};
use bytes::Bytes;
use futures_util::Stream;
use futures_util::stream::BoxStream;
use rehber_domain::access::RecordKind;
use rehber_domain::activity::Link;
use rehber_domain::attachment::{Attachment, clean_filename, type_from_name};
use rehber_domain::{Actor, Error};
use rehber_files::FilesError;
use rehber_store::{AuditChange, AuditEntry, NewAttachment};

/// The largest file accepted unless configured otherwise: 25 MiB.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 25 * 1024 * 1024;

/// The content type of a file from its first bytes, else from its name.
pub fn sniff(head: &[u8], filename: &str) -> String {
    match infer::get(head) {
        Some(kind) => kind.mime_type().to_string(),
        None => type_from_name(filename).to_string(),
    }
}

impl App {
    /// Stores a file sent for `record` and records it.
    pub async fn attach<S, E>(
        &self,
        actor: &Actor,
        record: Link,
        filename: &str,
        chunks: S,
    ) -> AppResult<Attachment>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        if !self.can_see_link(actor, record).await? {
            return Err(Error::NotFound.into());
        }
        if !actor.role.can_write(RecordKind::Activity) {
            return Err(Error::Forbidden.into());
        }
        let limit = self.settings.max_upload_bytes;
        let blob = self.files.put(chunks, limit).await.map_err(|e| match e {
            FilesError::TooLarge { limit } => Error::TooLarge { limit_bytes: limit }.into(),
            FilesError::Empty => Error::field("file", "invalid-file-empty").into(),
            FilesError::Upload(_) => Error::field("file", "invalid-file-upload").into(),
            other => AppError::Internal(other.to_string()),
        })?;
        // Programs are never kept: a download could run one on a colleague's machine.
        if infer::is_app(&blob.head) {
            return Err(Error::field("file", "invalid-file-executable").into());
        }
        let filename = clean_filename(filename);
        let content_type = sniff(&blob.head, &filename);
        let new = NewAttachment {
            record,
            filename: &filename,
            content_type: &content_type,
            size: i64::try_from(blob.size).unwrap_or(i64::MAX),
            sha256: &blob.sha256,
            storage_key: &blob.key,
            uploaded_by: actor.user_id,
        };
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: "attachment",
            record_id: 0,
            action: "created",
            changes: vec![AuditChange {
                field: "filename".into(),
                from: String::new(),
                to: filename.clone(),
            }],
        };
        let id = self.store.insert_attachment(new, entry).await?;
        self.announce_attachment("attachment.created", id, record)
            .await;
        Ok(self.store.scoped(actor).attachment(id).await?)
    }

    /// The attachments of a record the actor can see, newest first.
    pub async fn attachments(&self, actor: &Actor, record: Link) -> AppResult<Vec<Attachment>> {
        if !self.can_see_link(actor, record).await? {
            return Err(Error::NotFound.into());
        }
        Ok(self.store.scoped(actor).attachments(record).await?)
    }

    /// One attachment on a record the actor can see.
    pub async fn attachment(&self, actor: &Actor, id: i64) -> AppResult<Attachment> {
        Ok(self.store.scoped(actor).attachment(id).await?)
    }

    /// One attachment and its bytes, as they stream.
    pub async fn attachment_content(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<(Attachment, BoxStream<'static, Result<Bytes, FilesError>>)> {
        let found = self.attachment(actor, id).await?;
        let bytes = self
            .files
            .get(&found.storage_key)
            .await
            .map_err(|e| AppError::Internal(format!("attachment {id}: {e}")))?;
        Ok((found, bytes))
    }

    /// Moves an attachment to the trash (whoever may delete on the record). The bytes stay:
    /// another attachment may share them.
    pub async fn delete_attachment(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let found = self.attachment(actor, id).await?;
        if !actor.role.can_delete(RecordKind::Activity) && found.uploaded_by != Some(actor.user_id)
        {
            return Err(Error::Forbidden.into());
        }
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: "attachment",
            record_id: id,
            action: "deleted",
            changes: Vec::new(),
        };
        self.store.delete_attachment(id, entry).await?;
        self.announce_attachment("attachment.deleted", id, found.record)
            .await;
        Ok(())
    }

    async fn announce_attachment(&self, kind: &str, id: i64, record: Link) {
        let Ok(Some(ownership)) = self.record_ownership(record).await else {
            return;
        };
        let access = record.record_type.access();
        let event =
            crate::events::scoped(kind, "attachment", id, (access, ownership), vec![record]);
        self.publish(event).await;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_content_before_the_name() {
        assert_eq!(sniff(b"%PDF-1.7\n", "teklif.txt"), "application/pdf");
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "logo.pdf"),
            "image/png"
        );
        assert_eq!(sniff(b"Ad;Soyad\n", "liste.csv"), "text/csv");
        assert!(infer::is_app(
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        ));
    }
}
