//! In-app notifications: a mention, a task handed to someone, a reminder. Each user reads
//! only their own; what a notification is about is named only while the user may still see
//! it (a record taken from them since shows as one they cannot open).
//!
//! A notification still unread after the configured delay is e-mailed once: writing one
//! queues a job ([`NOTIFICATION_EMAIL`]) for then, whose handler the server registers with
//! its mail transport.

use crate::App;
use crate::error::AppResult;
use crate::jobs::Schedule;
use rehber_domain::Actor;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::comment::{NewNotification, Notification, NotificationKind, SubjectType};
use rehber_domain::ids::TaskId;
use rehber_domain::task::Due;
use rehber_store::{MAX_NOTIFICATION_PAGE, StoreError, now_micros};

/// The most notifications one page holds.
pub const MAX_PAGE: u32 = MAX_NOTIFICATION_PAGE;

/// The job kind that e-mails one notification still unread after the delay.
pub const NOTIFICATION_EMAIL: &str = "notification_email";
/// The job kind that rings one task reminder.
pub const TASK_REMINDER: &str = "task_reminder";
/// How much of a comment a notification quotes.
const EXCERPT_CHARS: usize = 140;

/// A notification and what it is about, as its user may see it now.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationView {
    pub notification: Notification,
    /// The record's or task's name; `None` when the user can no longer see it.
    pub title: Option<String>,
    /// Where it is shown: `/people/3`, `/companies/5`, `/today?date=…` for a task.
    pub path: Option<String>,
    /// The start of the comment that mentioned the user.
    pub excerpt: Option<String>,
}

/// A page of notifications, newest first, and how many are unread in all.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    pub next_cursor: Option<String>,
    pub unread: i64,
}

fn excerpt(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(EXCERPT_CHARS).collect();
    format!("{}…", cut.trim_end())
}

impl App {
    /// A page of the actor's notifications, newest first; unread ones only when asked.
    pub async fn notifications(
        &self,
        actor: &Actor,
        unread_only: bool,
        cursor: Option<&str>,
        limit: u32,
    ) -> AppResult<NotificationPage> {
        let before = crate::read_cursor(cursor, |c| c.trim().parse::<i64>().ok())?;
        let limit = limit.clamp(1, MAX_NOTIFICATION_PAGE);
        let (found, more) = self
            .store
            .notifications(actor.user_id, unread_only, before, limit)
            .await?;
        let next_cursor = found.last().filter(|_| more).map(|n| n.id.to_string());
        let items = self.describe(actor, found).await?;
        let unread = self.store.unread_notifications(actor.user_id).await?;
        Ok(NotificationPage {
            items,
            next_cursor,
            unread,
        })
    }

    /// How many of the actor's notifications are unread (the bell's count).
    pub async fn unread_notifications(&self, actor: &Actor) -> AppResult<i64> {
        Ok(self.store.unread_notifications(actor.user_id).await?)
    }

    /// Marks one of the actor's notifications read; any other is not found.
    pub async fn mark_notification_read(&self, actor: &Actor, id: i64) -> AppResult<()> {
        self.store.mark_notification_read(actor.user_id, id).await?;
        self.announce_notification("notification.read", id, actor.user_id)
            .await;
        Ok(())
    }

    /// Marks all of the actor's notifications read; how many were unread.
    pub async fn mark_all_notifications_read(&self, actor: &Actor) -> AppResult<u64> {
        let marked = self
            .store
            .mark_all_notifications_read(actor.user_id)
            .await?;
        if marked > 0 {
            self.announce_notification("notification.read", 0, actor.user_id)
                .await;
        }
        Ok(marked)
    }

    /// Tells one user's open pages that their notifications changed.
    async fn announce_notification(&self, kind: &str, id: i64, user_id: rehber_domain::UserId) {
        self.publish(crate::events::Event {
            kind: kind.to_string(),
            record_type: "notification".to_string(),
            id,
            records: Vec::new(),
            audience: crate::events::Audience::User { user_id },
        })
        .await;
    }

    /// Where one of the actor's notifications points, while its subject is in sight.
    pub async fn notification_path(&self, actor: &Actor, id: i64) -> AppResult<Option<String>> {
        let found = self.store.notification(id).await?;
        if found.user_id != actor.user_id {
            return Err(rehber_domain::Error::NotFound.into());
        }
        let view = self.describe(actor, vec![found]).await?;
        Ok(view.into_iter().next().and_then(|v| v.path))
    }

    /// Names what each notification is about, as `actor` may see it now.
    async fn describe(
        &self,
        actor: &Actor,
        found: Vec<Notification>,
    ) -> AppResult<Vec<NotificationView>> {
        let links: Vec<Link> = found.iter().filter_map(record_of).collect();
        let titles = self.link_titles(actor, &links).await?;
        let scoped = self.store.scoped(actor);
        let mut out = Vec::with_capacity(found.len());
        for notification in found {
            let (title, path) = match (notification.subject_type, record_of(&notification)) {
                (_, Some(link)) => match titles.get(&link) {
                    Some(title) => (Some(title.clone()), Some(record_path(link))),
                    None => (None, None),
                },
                (SubjectType::Export, None) => {
                    match self.store.list_export(notification.subject_id).await {
                        Ok(export) if export.requested_by == actor.user_id.0 => (
                            export.file_name.clone(),
                            Some(format!("/exports#export-{}", export.id)),
                        ),
                        Ok(_) | Err(StoreError::NotFound) => (None, None),
                        Err(other) => return Err(other.into()),
                    }
                }
                (SubjectType::Task, None) => {
                    match scoped.task(TaskId(notification.subject_id)).await {
                        Ok(task) => (Some(task.fields.title.clone()), Some(task_path(&task))),
                        Err(StoreError::NotFound) => (None, None),
                        Err(other) => return Err(other.into()),
                    }
                }
                _ => (None, None),
            };
            let excerpt = match notification.comment_id {
                Some(id) if title.is_some() => match scoped.comment(id).await {
                    Ok(comment) => Some(excerpt(&comment.body)),
                    Err(StoreError::NotFound) => None,
                    Err(other) => return Err(other.into()),
                },
                _ => None,
            };
            out.push(NotificationView {
                notification,
                title,
                path,
                excerpt,
            });
        }
        Ok(out)
    }

    /// Writes notifications caused outside a comment (a task handed over) and queues
    /// their e-mails. A failure is logged, never the cause's failure: the work is saved.
    pub(crate) async fn notify(&self, notify: &[NewNotification]) {
        match self.store.notify(notify).await {
            Ok(ids) => self.notified(notify, &ids).await,
            Err(error) => tracing::error!(%error, "a notification could not be written"),
        }
    }

    /// Tells each new notification's user's open pages, and queues its e-mail for when it
    /// is still unread after the delay (when e-mail is on). `ids` are those the store gave
    /// `written`, in the same order.
    pub(crate) async fn notified(&self, written: &[NewNotification], ids: &[i64]) {
        for (notification, id) in written.iter().zip(ids) {
            self.announce_notification("notification", *id, notification.user_id)
                .await;
        }
        let Some(delay) = self.settings.email_unread_after else {
            return;
        };
        let run_at = now_micros() + delay.as_micros().min(i128::from(i64::MAX)) as i64;
        for id in ids {
            let schedule = Schedule {
                run_at: Some(run_at),
                dedupe_key: Some(format!("{NOTIFICATION_EMAIL}:{id}")),
                max_attempts: None,
            };
            let payload = serde_json::json!({ "notification_id": id });
            if let Err(error) = self
                .enqueue_job(NOTIFICATION_EMAIL, &payload, schedule)
                .await
            {
                tracing::error!(%error, notification = id, "a notification e-mail could not be queued");
            }
        }
    }

    /// The notification to e-mail and its user, once: `None` when it was read or e-mailed
    /// meanwhile, or its user is inactive. Call [`App::email_not_sent`] if sending fails.
    pub async fn notification_to_email(
        &self,
        id: i64,
    ) -> AppResult<Option<(rehber_store::User, NotificationView)>> {
        let notification = match self.store.notification(id).await {
            Ok(n) => n,
            Err(StoreError::NotFound) => return Ok(None),
            Err(other) => return Err(other.into()),
        };
        let user = self.store.get_user(notification.user_id).await?;
        if !user.active || !self.store.claim_notification_email(id).await? {
            return Ok(None);
        }
        let view = self.describe(&user.actor(), vec![notification]).await?;
        Ok(view.into_iter().next().map(|v| (user, v)))
    }

    /// Gives back the claim of a notification whose e-mail failed, for the retry.
    pub async fn email_not_sent(&self, id: i64) -> AppResult<()> {
        Ok(self.store.release_notification_email(id).await?)
    }

    /// Queues the ringing of a task's reminder at its time (at once when it is past). The
    /// key names the task's version, so each save that moves the reminder queues its own
    /// job and a job for an older time finds nothing to ring.
    pub(crate) async fn schedule_reminder(&self, task: &rehber_domain::task::Task) {
        let Some(at) = task.fields.reminder_at else {
            return;
        };
        let at = at.as_microsecond();
        let schedule = Schedule {
            run_at: Some(at),
            dedupe_key: Some(format!(
                "{TASK_REMINDER}:{}:{}",
                task.id.0, task.meta.version
            )),
            max_attempts: None,
        };
        let payload = serde_json::json!({ "task_id": task.id.0, "at": at });
        if let Err(error) = self.enqueue_job(TASK_REMINDER, &payload, schedule).await {
            tracing::error!(%error, task = task.id.0, "a reminder could not be queued");
        }
    }

    /// Rings a task's reminder for `at` unless it moved, was rung, or the task is done or
    /// gone: its assignee is notified, once however many workers race.
    pub async fn ring_task_reminder(&self, task: TaskId, at: i64) -> AppResult<bool> {
        let found = match self.store.unscoped().task(task).await {
            Ok(found) => found,
            Err(StoreError::NotFound) => return Ok(false),
            Err(other) => return Err(other.into()),
        };
        let Some(assignee) = found.fields.assignee_id else {
            return Ok(false);
        };
        let notify = NewNotification {
            user_id: assignee,
            kind: NotificationKind::Reminder,
            subject_type: SubjectType::Task,
            subject_id: task.0,
            actor_id: None,
        };
        match self.store.ring_task_reminder(task, at, &notify).await? {
            Some(id) => {
                self.notified(std::slice::from_ref(&notify), &[id]).await;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Notifies a task's assignee that `actor` handed it to them (not when they took it
    /// themselves).
    pub(crate) async fn notify_assignment(&self, actor: &Actor, task: &rehber_domain::task::Task) {
        match task.fields.assignee_id {
            Some(assignee) if assignee != actor.user_id => {
                self.notify(&[NewNotification {
                    user_id: assignee,
                    kind: NotificationKind::Assignment,
                    subject_type: SubjectType::Task,
                    subject_id: task.id.0,
                    actor_id: Some(actor.user_id),
                }])
                .await;
            }
            _ => {}
        }
    }
}

/// The record a notification is about, when it is a person or a company.
fn record_of(n: &Notification) -> Option<Link> {
    let record_type = match n.subject_type {
        SubjectType::Person => LinkType::Person,
        SubjectType::Company => LinkType::Company,
        SubjectType::Deal => LinkType::Deal,
        SubjectType::Task | SubjectType::Export => return None,
    };
    Some(Link {
        record_type,
        record_id: n.subject_id,
    })
}

fn record_path(link: Link) -> String {
    format!("/{}/{}", link.record_type.plural(), link.record_id)
}

/// A task is shown on "Bugün" of its due day (today's when it has none).
fn task_path(task: &rehber_domain::task::Task) -> String {
    match task.fields.due {
        Some(Due::Date(date)) => format!("/today?date={date}"),
        Some(Due::At(at)) => format!(
            "/today?date={}",
            at.to_zoned_datetime(crate::home_zone()).date()
        ),
        None => "/tasks".to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(excerpt("Merhaba\n\n  @Ayşe Kaya"), "Merhaba @Ayşe Kaya");
        let long = "ç".repeat(EXCERPT_CHARS + 10);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}
