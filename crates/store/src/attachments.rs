//! Attachments' rows: insert (with the audit entry), read a record's newest first, read one,
//! and move one to the trash. The bytes are the file store's business, not the database's.
//!
//! An attachment is seen with its record: every read keeps only rows on live records the
//! viewer's scope allows.

use crate::audit::AuditEntry;
use crate::codec::timestamp;
use crate::sql::Row;
use crate::{Scoped, Store, StoreError, now_micros};
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::attachment::Attachment;
use rehber_domain::ids::UserId;
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SimpleExpr};

const TABLE: &str = "attachments";
/// The most attachments one read returns.
pub const MAX_ATTACHMENTS: u32 = 500;

/// An attachment to record.
#[derive(Debug, Clone, Copy)]
pub struct NewAttachment<'a> {
    pub record: Link,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub storage_key: &'a str,
    pub uploaded_by: UserId,
}

fn col(name: &str) -> SimpleExpr {
    Expr::col((Alias::new(TABLE), Alias::new(name)))
}

impl Store {
    /// Records an attachment and its audit entry (whose `record_id` is filled in); its id.
    pub async fn insert_attachment(
        &self,
        new: NewAttachment<'_>,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new(TABLE))
                .columns(
                    [
                        "record_type",
                        "record_id",
                        "filename",
                        "content_type",
                        "size_bytes",
                        "sha256",
                        "storage_key",
                        "uploaded_by",
                        "created_at",
                    ]
                    .map(Alias::new),
                )
                .values_panic([
                    new.record.record_type.as_str().into(),
                    new.record.record_id.into(),
                    new.filename.into(),
                    new.content_type.into(),
                    new.size.into(),
                    new.sha256.into(),
                    new.storage_key.into(),
                    new.uploaded_by.0.into(),
                    now.into(),
                ])
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            conn.audit(
                &AuditEntry {
                    record_id: id,
                    ..entry
                },
                now,
            )
            .await?;
            Ok(id)
        })
        .await
    }

    /// Moves a live attachment to the trash with its audit entry.
    pub async fn delete_attachment(&self, id: i64, entry: AuditEntry) -> Result<(), StoreError> {
        self.soft_delete(TABLE, id, entry).await
    }
}

impl Scoped<'_> {
    /// The live attachments of `record` the viewer may see, newest first.
    pub async fn attachments(&self, record: Link) -> Result<Vec<Attachment>, StoreError> {
        let condition = Cond::all()
            .add(col("record_type").eq(record.record_type.as_str()))
            .add(col("record_id").eq(record.record_id));
        self.load_attachments(condition, MAX_ATTACHMENTS).await
    }

    /// One live attachment the viewer may see.
    pub async fn attachment(&self, id: i64) -> Result<Attachment, StoreError> {
        self.load_attachments(Cond::all().add(col("id").eq(id)), 1)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn load_attachments(
        &self,
        condition: Cond,
        limit: u32,
    ) -> Result<Vec<Attachment>, StoreError> {
        let mut select = Query::select();
        select
            .columns(
                [
                    "id",
                    "record_type",
                    "record_id",
                    "filename",
                    "content_type",
                    "size_bytes",
                    "sha256",
                    "storage_key",
                    "uploaded_by",
                    "created_at",
                ]
                .map(|c| (Alias::new(TABLE), Alias::new(c))),
            )
            .expr_as(
                Expr::col((Alias::new("users"), Alias::new("name"))),
                Alias::new("uploaded_by_name"),
            )
            .from(Alias::new(TABLE))
            .left_join(
                Alias::new("users"),
                Expr::col((Alias::new("users"), Alias::new("id")))
                    .equals((Alias::new(TABLE), Alias::new("uploaded_by"))),
            )
            .cond_where(condition)
            .and_where(col("deleted_at").is_null())
            .cond_where(self.on_visible_record(TABLE))
            .order_by((Alias::new(TABLE), Alias::new("created_at")), Order::Desc)
            .order_by((Alias::new(TABLE), Alias::new("id")), Order::Desc)
            .limit(u64::from(limit));
        self.store()
            .fetch_rows(&select)
            .await?
            .iter()
            .map(read)
            .collect()
    }
}

fn read(row: &Row) -> Result<Attachment, StoreError> {
    let record_type: String = row.get("record_type")?;
    let record_type = LinkType::parse(&record_type)
        .ok_or_else(|| StoreError::Corrupt(format!("attachments.record_type {record_type:?}")))?;
    Ok(Attachment {
        id: row.get("id")?,
        record: Link {
            record_type,
            record_id: row.get("record_id")?,
        },
        filename: row.get("filename")?,
        content_type: row.get("content_type")?,
        size: row.get("size_bytes")?,
        sha256: row.get("sha256")?,
        storage_key: row.get("storage_key")?,
        uploaded_by: row.get::<Option<i64>>("uploaded_by")?.map(UserId),
        uploaded_by_name: row.get("uploaded_by_name")?,
        created_at: timestamp(row.get("created_at")?)?,
    })
}
