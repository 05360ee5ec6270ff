//! Comments on records, with @mentions: a comment is written by someone who can see the
//! record and may mention only active users who can see it too (anyone else is refused,
//! naming the mention, and nothing is stored). Each mentioned user but the author is
//! notified.

use crate::App;
use crate::error::AppResult;
use rehber_domain::access::RecordKind;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::comment::{
    Comment, CommentInput, NewNotification, NotificationKind, SubjectType,
};
use rehber_domain::validate::text::search_key;
use rehber_domain::{Actor, Error};
use rehber_store::{AuditEntry, MAX_COMMENT_PAGE, NewComment, StoreError, User};

/// The most users the `@` autocomplete offers.
pub const MAX_MENTION_CHOICES: usize = 8;

/// A page of a record's comments, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentPage {
    pub items: Vec<Comment>,
    /// Give it back for older comments; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// What a notification about a record is about.
pub(crate) fn subject_of(record: Link) -> SubjectType {
    match record.record_type {
        LinkType::Person => SubjectType::Person,
        LinkType::Company => SubjectType::Company,
        LinkType::Deal => SubjectType::Deal,
    }
}

fn parse_cursor(text: &str) -> Option<(i64, i64)> {
    let (at, id) = text.trim().split_once('.')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

impl App {
    /// Writes a comment on the record `record` names, notifying the users it mentions.
    pub async fn add_comment(
        &self,
        actor: &Actor,
        record: Link,
        input: &CommentInput,
    ) -> AppResult<Comment> {
        if !self.can_see_link(actor, record).await? {
            return Err(Error::NotFound.into());
        }
        if !actor.role.can_write(RecordKind::Activity) {
            return Err(Error::Forbidden.into());
        }
        let fields = input.validate().map_err(Error::Validation)?;
        let mut refused = rehber_domain::FieldErrors::new();
        for (i, id) in fields.mentions.iter().enumerate() {
            let field = format!("mentions[{i}]");
            match self.store.get_user(*id).await {
                Ok(user) if user.active => {
                    if !self.can_see_link(&user.actor(), record).await? {
                        refused.add(field, "invalid-mention-cannot-see");
                    }
                }
                Ok(_) | Err(StoreError::NotFound) => refused.add(field, "invalid-mention"),
                Err(other) => return Err(other.into()),
            }
        }
        refused.into_result()?;
        // Mentioning yourself notifies no one.
        let notify: Vec<NewNotification> = fields
            .mentions
            .iter()
            .filter(|u| **u != actor.user_id)
            .map(|user| NewNotification {
                user_id: *user,
                kind: NotificationKind::Mention,
                subject_type: subject_of(record),
                subject_id: record.record_id,
                actor_id: Some(actor.user_id),
            })
            .collect();
        let comment = NewComment {
            record,
            body: &fields.body,
            author: actor.user_id,
            mentions: &fields.mentions,
        };
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: "comment",
            record_id: 0,
            action: "created",
            changes: Vec::new(),
        };
        let (id, notified) = self.store.insert_comment(comment, &notify, entry).await?;
        self.notified(&notify, &notified).await;
        self.announce_comment("comment.created", id, record).await;
        Ok(self.store.scoped(actor).comment(id).await?)
    }

    /// A page of the comments on a record the actor can see, newest first.
    pub async fn comments(
        &self,
        actor: &Actor,
        record: Link,
        cursor: Option<&str>,
        limit: u32,
    ) -> AppResult<CommentPage> {
        let after = crate::read_cursor(cursor, parse_cursor)?;
        if !self.can_see_link(actor, record).await? {
            return Err(Error::NotFound.into());
        }
        let limit = limit.clamp(1, MAX_COMMENT_PAGE);
        let (items, more) = self
            .store
            .scoped(actor)
            .comments(record, after, limit)
            .await?;
        let next_cursor = items
            .last()
            .filter(|_| more)
            .map(|c| format!("{}.{}", c.created_at.as_microsecond(), c.id));
        Ok(CommentPage { items, next_cursor })
    }

    /// One comment on a record the actor can see.
    pub async fn comment(&self, actor: &Actor, id: i64) -> AppResult<Comment> {
        Ok(self.store.scoped(actor).comment(id).await?)
    }

    /// Deletes a comment: its author's or an administrator's to delete.
    pub async fn delete_comment(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let comment = self.comment(actor, id).await?;
        if comment.author_id != actor.user_id && !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: "comment",
            record_id: id,
            action: "deleted",
            changes: Vec::new(),
        };
        self.store.delete_comment(id, entry).await?;
        self.announce_comment("comment.deleted", id, comment.record)
            .await;
        Ok(())
    }

    /// Tells whoever may see the record, and its page, that a comment on it changed.
    async fn announce_comment(&self, kind: &str, id: i64, record: Link) {
        let ownership = match self.record_ownership(record).await {
            Ok(Some(ownership)) => ownership,
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(%error, "a comment's record could not be read for its event");
                return;
            }
        };
        let access = record.record_type.access();
        let event = crate::events::scoped(kind, "comment", id, (access, ownership), vec![record]);
        self.publish(event).await;
    }

    /// The active users who can see the record and whose name or e-mail starts a word
    /// with `query` (any, when empty), by name: whom a comment on it may mention.
    pub async fn mentionable_users(
        &self,
        actor: &Actor,
        record: Link,
        query: &str,
    ) -> AppResult<Vec<User>> {
        if !self.can_see_link(actor, record).await? {
            return Err(Error::NotFound.into());
        }
        let wanted = search_key(query);
        let mut users = self.store.list_users().await?;
        users.sort_by_key(|u| search_key(&u.name));
        let mut out = Vec::new();
        for user in users {
            if out.len() == MAX_MENTION_CHOICES {
                break;
            }
            let words = search_key(&format!(
                "{} {}",
                user.name,
                user.email.replace(['@', '.'], " ")
            ));
            let matches =
                wanted.is_empty() || words.split(' ').any(|w| w.starts_with(wanted.as_str()));
            if user.active && matches && self.can_see_link(&user.actor(), record).await? {
                out.push(user);
            }
        }
        Ok(out)
    }
}
