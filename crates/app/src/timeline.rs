//! One timeline per record: its activities, its tasks, its comments and the changes to its
//! fields (one entry per save, from the audit log), newest first, one page at a time by key.
//!
//! Every entry obeys its own scope: an activity or task shows only to whoever may see it, so
//! a rep who sees a company never sees what came from a colleague's records. The page's
//! cursor is `<at>.<rank>.<id>` of its last entry; each source is read from that position
//! on, and the sources are merged.

use crate::App;
use crate::error::AppResult;
use rehber_domain::activity::{Activity, Link, LinkType};
use rehber_domain::comment::Comment;
use rehber_domain::deal::Deals;
use rehber_domain::party::{Companies, People};
use rehber_domain::task::Task;
use rehber_domain::{Actor, CompanyId, DealId, Error, PersonId};
use rehber_store::{ActivityFilter, AuditEvent, PageRequest};

/// The most entries one page holds.
pub const MAX_TIMELINE_PAGE: u32 = 200;

/// What a timeline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimelineKind {
    Activity,
    Task,
    Comment,
    Change,
}

impl TimelineKind {
    pub const ALL: [TimelineKind; 4] = [
        TimelineKind::Activity,
        TimelineKind::Task,
        TimelineKind::Comment,
        TimelineKind::Change,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TimelineKind::Activity => "activity",
            TimelineKind::Task => "task",
            TimelineKind::Comment => "comment",
            TimelineKind::Change => "change",
        }
    }

    pub fn parse(text: &str) -> Option<TimelineKind> {
        TimelineKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text.trim())
    }

    /// The order of entries at the same instant.
    fn rank(self) -> u8 {
        match self {
            TimelineKind::Activity => 0,
            TimelineKind::Task => 1,
            TimelineKind::Comment => 2,
            TimelineKind::Change => 3,
        }
    }
}

/// One entry and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub enum TimelineEntry {
    /// At its start.
    Activity(Activity),
    /// At its creation.
    Task(Task),
    /// At its writing.
    Comment(Comment),
    /// One save of the record.
    Change(AuditEvent),
}

/// An entry at its place in time.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineItem {
    pub at: jiff::Timestamp,
    pub entry: TimelineEntry,
}

impl TimelineItem {
    pub fn kind(&self) -> TimelineKind {
        match self.entry {
            TimelineEntry::Activity(_) => TimelineKind::Activity,
            TimelineEntry::Task(_) => TimelineKind::Task,
            TimelineEntry::Comment(_) => TimelineKind::Comment,
            TimelineEntry::Change(_) => TimelineKind::Change,
        }
    }

    /// The id of the activity, task or audit entry it shows.
    pub fn source_id(&self) -> i64 {
        match &self.entry {
            TimelineEntry::Activity(a) => a.id.0,
            TimelineEntry::Task(t) => t.id.0,
            TimelineEntry::Comment(c) => c.id,
            TimelineEntry::Change(c) => c.id,
        }
    }

    /// What the source is called in the API: `activity`, `task`, `comment` or
    /// `audit_event`.
    pub fn source_type(&self) -> &'static str {
        match self.entry {
            TimelineEntry::Activity(_) => "activity",
            TimelineEntry::Task(_) => "task",
            TimelineEntry::Comment(_) => "comment",
            TimelineEntry::Change(_) => "audit_event",
        }
    }

    fn key(&self) -> (i64, u8, i64) {
        (
            self.at.as_microsecond(),
            self.kind().rank(),
            self.source_id(),
        )
    }
}

/// A page of a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub items: Vec<TimelineItem>,
    /// Give it back for the next (older) page; `None` on the last.
    pub next_cursor: Option<String>,
}

fn parse_cursor(text: &str) -> Option<(i64, u8, i64)> {
    let mut parts = text.trim().splitn(3, '.');
    let at = parts.next()?.parse().ok()?;
    let rank = parts.next()?.parse().ok()?;
    let id = parts.next()?.parse().ok()?;
    Some((at, rank, id))
}

/// Where a source with `rank` resumes after `cursor`: before `(at, id)`, where an id bound
/// of `i64::MAX` takes every entry at that instant and `i64::MIN` none.
fn resume(cursor: Option<(i64, u8, i64)>, rank: u8) -> Option<(i64, i64)> {
    cursor.map(|(at, r, id)| match rank.cmp(&r) {
        std::cmp::Ordering::Equal => (at, id),
        std::cmp::Ordering::Greater => (at, i64::MAX),
        std::cmp::Ordering::Less => (at, i64::MIN),
    })
}

impl App {
    /// A page of the timeline of the person or company `record` names, of the `kinds`
    /// asked for (all when empty), newest first. A record the actor cannot see is not
    /// found.
    pub async fn timeline(
        &self,
        actor: &Actor,
        record: Link,
        kinds: &[TimelineKind],
        cursor: Option<&str>,
        limit: u32,
    ) -> AppResult<Timeline> {
        let limit = limit.clamp(1, MAX_TIMELINE_PAGE);
        let cursor = crate::read_cursor(cursor, parse_cursor)?;
        if !self.can_see_link(actor, record).await? {
            return Err(Error::NotFound.into());
        }
        let wanted = |kind: TimelineKind| kinds.is_empty() || kinds.contains(&kind);
        let scoped = self.store.scoped(actor);
        let mut items: Vec<TimelineItem> = Vec::new();
        let mut more = false;
        if wanted(TimelineKind::Activity) {
            let filter = ActivityFilter {
                link: Some(record),
                ..ActivityFilter::default()
            };
            let page = scoped
                .activities(
                    &filter,
                    resume(cursor, TimelineKind::Activity.rank()),
                    &PageRequest { after: None, limit },
                )
                .await?;
            more |= page.next_cursor.is_some();
            items.extend(page.items.into_iter().map(|a| TimelineItem {
                at: a.fields.starts_at,
                entry: TimelineEntry::Activity(a),
            }));
        }
        if wanted(TimelineKind::Task) {
            let (tasks, more_tasks) = scoped
                .linked_tasks(record, resume(cursor, TimelineKind::Task.rank()), limit)
                .await?;
            more |= more_tasks;
            items.extend(tasks.into_iter().map(|t| TimelineItem {
                at: t.meta.created_at,
                entry: TimelineEntry::Task(t),
            }));
        }
        if wanted(TimelineKind::Comment) {
            let (comments, more_comments) = scoped
                .comments(record, resume(cursor, TimelineKind::Comment.rank()), limit)
                .await?;
            more |= more_comments;
            items.extend(comments.into_iter().map(|c| TimelineItem {
                at: c.created_at,
                entry: TimelineEntry::Comment(c),
            }));
        }
        if wanted(TimelineKind::Change) {
            let after = resume(cursor, TimelineKind::Change.rank());
            // One more than the page: whether there are older changes.
            let fetch = limit + 1;
            let mut changes = match record.record_type {
                LinkType::Person => {
                    scoped
                        .changes::<People>(PersonId(record.record_id), after, fetch)
                        .await?
                }
                LinkType::Company => {
                    scoped
                        .changes::<Companies>(CompanyId(record.record_id), after, fetch)
                        .await?
                }
                LinkType::Deal => {
                    scoped
                        .changes::<Deals>(DealId(record.record_id), after, fetch)
                        .await?
                }
            };
            more |= changes.len() > limit as usize;
            changes.truncate(limit as usize);
            items.extend(changes.into_iter().map(|c| TimelineItem {
                at: c.at,
                entry: TimelineEntry::Change(c),
            }));
        }
        // Newest first; at one instant, activities, tasks, comments, then changes.
        items.sort_by(|a, b| {
            let (a_at, a_rank, a_id) = a.key();
            let (b_at, b_rank, b_id) = b.key();
            b_at.cmp(&a_at)
                .then(a_rank.cmp(&b_rank))
                .then(b_id.cmp(&a_id))
        });
        more |= items.len() > limit as usize;
        items.truncate(limit as usize);
        let next_cursor = items.last().filter(|_| more).map(|last| {
            let (at, rank, id) = last.key();
            format!("{at}.{rank}.{id}")
        });
        Ok(Timeline { items, next_cursor })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_resumes_each_source_where_the_merged_order_left_off() {
        let cursor = parse_cursor("1000.1.42");
        assert_eq!(cursor, Some((1000, 1, 42)));
        assert_eq!(
            resume(cursor, 0),
            Some((1000, i64::MIN)),
            "activities at 1000 came first"
        );
        assert_eq!(resume(cursor, 1), Some((1000, 42)));
        assert_eq!(
            resume(cursor, 2),
            Some((1000, i64::MAX)),
            "changes at 1000 are still to come"
        );
        assert_eq!(resume(None, 1), None);
        assert_eq!(parse_cursor("1000.1"), None);
        assert_eq!(parse_cursor("zzz"), None);
    }
}
