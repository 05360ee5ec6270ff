//! Comments on records and the users they mention: insert (with the mentions, the
//! notifications of the mentioned and the audit entry, in one write), read a record's
//! comments newest first by key, and soft delete.
//!
//! A comment is seen with its record: every read keeps only comments on live records the
//! viewer's scope allows, through the one scope filter.

use crate::audit::AuditEntry;
use crate::codec::timestamp;
use crate::notifications::insert_notifications;
use crate::sql::Row;
use crate::{Scoped, Store, StoreError, now_micros};
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::comment::{Comment, NewNotification};
use rehber_domain::ids::UserId;
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SimpleExpr};
use std::collections::BTreeMap;

const TABLE: &str = "comments";
/// The most comments one page holds.
pub const MAX_COMMENT_PAGE: u32 = 200;

/// A comment to write.
#[derive(Debug, Clone, Copy)]
pub struct NewComment<'a> {
    pub record: Link,
    pub body: &'a str,
    pub author: UserId,
    pub mentions: &'a [UserId],
}

fn col(name: &str) -> SimpleExpr {
    Expr::col((Alias::new(TABLE), Alias::new(name)))
}

impl Store {
    /// Inserts a comment, its mentions, `notify` (each about this comment) and its audit
    /// entry (whose `record_id` is filled in), all or nothing; the comment's id and the
    /// notifications' ids.
    pub async fn insert_comment(
        &self,
        comment: NewComment<'_>,
        notify: &[NewNotification],
        entry: AuditEntry,
    ) -> Result<(i64, Vec<i64>), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new(TABLE))
                .columns(
                    [
                        "record_type",
                        "record_id",
                        "body",
                        "author_id",
                        "created_at",
                    ]
                    .map(Alias::new),
                )
                .values_panic([
                    comment.record.record_type.as_str().into(),
                    comment.record.record_id.into(),
                    comment.body.into(),
                    comment.author.0.into(),
                    now.into(),
                ])
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            if !comment.mentions.is_empty() {
                let mut mentions = Query::insert();
                mentions
                    .into_table(Alias::new("comment_mentions"))
                    .columns(["comment_id", "user_id"].map(Alias::new));
                for user in comment.mentions {
                    mentions.values_panic([id.into(), user.0.into()]);
                }
                conn.queue(&mentions).await?;
            }
            let notified = insert_notifications(conn, notify, Some(id), now).await?;
            conn.audit(
                &AuditEntry {
                    record_id: id,
                    ..entry
                },
                now,
            )
            .await?;
            Ok((id, notified))
        })
        .await
    }

    /// Moves a live comment to the trash with its audit entry; [`StoreError::NotFound`]
    /// when there is none.
    pub async fn delete_comment(&self, id: i64, entry: AuditEntry) -> Result<(), StoreError> {
        self.soft_delete(TABLE, id, entry).await
    }
}

impl Scoped<'_> {
    /// The live comments on `record` the viewer may see, newest first, before `after`
    /// (`(created_at, id)`) when given; up to `limit` and whether there are more.
    pub async fn comments(
        &self,
        record: Link,
        after: Option<(i64, i64)>,
        limit: u32,
    ) -> Result<(Vec<Comment>, bool), StoreError> {
        let limit = limit.clamp(1, MAX_COMMENT_PAGE);
        let mut condition = Cond::all()
            .add(col("record_type").eq(record.record_type.as_str()))
            .add(col("record_id").eq(record.record_id));
        if let Some((at, id)) = after {
            condition = condition.add(
                Cond::any()
                    .add(col("created_at").lt(at))
                    .add(col("created_at").eq(at).and(col("id").lt(id))),
            );
        }
        let mut found = self.load_comments(condition, limit + 1).await?;
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        Ok((found, more))
    }

    /// One live comment the viewer may see.
    pub async fn comment(&self, id: i64) -> Result<Comment, StoreError> {
        self.load_comments(Cond::all().add(col("id").eq(id)), 1)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn load_comments(&self, condition: Cond, limit: u32) -> Result<Vec<Comment>, StoreError> {
        let mut select = Query::select();
        select
            .columns(
                [
                    "id",
                    "record_type",
                    "record_id",
                    "body",
                    "author_id",
                    "created_at",
                ]
                .map(|c| (Alias::new(TABLE), Alias::new(c))),
            )
            .expr_as(
                Expr::col((Alias::new("users"), Alias::new("name"))),
                Alias::new("author_name"),
            )
            .from(Alias::new(TABLE))
            .inner_join(
                Alias::new("users"),
                Expr::col((Alias::new("users"), Alias::new("id")))
                    .equals((Alias::new(TABLE), Alias::new("author_id"))),
            )
            .cond_where(condition)
            .and_where(col("deleted_at").is_null())
            .cond_where(self.on_visible_record(TABLE))
            .order_by((Alias::new(TABLE), Alias::new("created_at")), Order::Desc)
            .order_by((Alias::new(TABLE), Alias::new("id")), Order::Desc)
            .limit(u64::from(limit));
        let rows = self.store().fetch_rows(&select).await?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.get::<i64>("id"))
            .collect::<Result<_, _>>()?;
        let mut mentions = self.store().mentions_of(&ids).await?;
        rows.iter()
            .map(|row| {
                read(
                    row,
                    mentions.remove(&row.get::<i64>("id")?).unwrap_or_default(),
                )
            })
            .collect()
    }
}

impl Store {
    /// The users these comments mention, with their names, by comment.
    async fn mentions_of(
        &self,
        ids: &[i64],
    ) -> Result<BTreeMap<i64, Vec<(UserId, String)>>, StoreError> {
        let mut out: BTreeMap<i64, Vec<(UserId, String)>> = BTreeMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let mut select = Query::select();
        select
            .column((Alias::new("comment_mentions"), Alias::new("comment_id")))
            .column((Alias::new("users"), Alias::new("id")))
            .column((Alias::new("users"), Alias::new("name")))
            .from(Alias::new("comment_mentions"))
            .inner_join(
                Alias::new("users"),
                Expr::col((Alias::new("users"), Alias::new("id")))
                    .equals((Alias::new("comment_mentions"), Alias::new("user_id"))),
            )
            .and_where(
                Expr::col((Alias::new("comment_mentions"), Alias::new("comment_id")))
                    .is_in(ids.iter().copied()),
            )
            .order_by((Alias::new("users"), Alias::new("name")), Order::Asc);
        for row in self.fetch_rows(&select).await? {
            out.entry(row.get("comment_id")?)
                .or_default()
                .push((UserId(row.get("id")?), row.get("name")?));
        }
        Ok(out)
    }
}

fn read(row: &Row, mentions: Vec<(UserId, String)>) -> Result<Comment, StoreError> {
    let record_type: String = row.get("record_type")?;
    let record_type = LinkType::parse(&record_type)
        .ok_or_else(|| StoreError::Corrupt(format!("comments.record_type {record_type:?}")))?;
    Ok(Comment {
        id: row.get("id")?,
        record: Link {
            record_type,
            record_id: row.get("record_id")?,
        },
        body: row.get("body")?,
        author_id: UserId(row.get("author_id")?),
        author_name: row.get("author_name")?,
        mentions,
        created_at: timestamp(row.get("created_at")?)?,
    })
}
