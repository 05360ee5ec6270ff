//! Tasks and "Bugün" (my day): creating, assigning, completing and snoozing tasks, and the
//! agenda of one day.
//!
//! The rules: whoever may write records may create a task (read-only users may not), for
//! records they can see; it is assigned to them unless they name an active colleague who
//! can see every record it concerns (a task about a customer its assignee cannot open is
//! refused). The assignee owns the task, with their team: whoever sees the assignee's
//! records sees their tasks.

use crate::error::AppResult;
use crate::{App, home_zone};
use rehber_domain::access::RecordKind;
use rehber_domain::activity::{Activity, ActivityStatus};
use rehber_domain::ids::{TaskId, UserId};
use rehber_domain::party::Ownership;
use rehber_domain::task::{
    Due, Task, TaskFields, TaskInput, TaskPatch, TaskStatus, audit_values, start_of,
};
use rehber_domain::{Actor, Error};
use rehber_store::{
    ActivityFilter, AuditChange, AuditEntry, MAX_ACTIVITY_PAGE, MAX_TASK_PAGE, NO_DUE, Page,
    PageRequest, StoreError, TaskFilter, TaskWrite, parse_task_cursor,
};

const RECORD_TYPE: &str = "task";

/// One user's day: what is overdue, what is due that day, and the activities planned for
/// it, each in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct Agenda {
    pub date: jiff::civil::Date,
    /// Open, due before the day (oldest first).
    pub overdue: Vec<Task>,
    /// Due that day, open ones first: tasks with a date, then by time.
    pub tasks: Vec<Task>,
    /// Planned activities starting that day that the user owns or logged.
    pub activities: Vec<Activity>,
    /// More overdue tasks than one agenda shows.
    pub more_overdue: bool,
}

/// What a bulk action does to each task chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkTaskAction {
    Complete,
    Reassign(UserId),
}

/// The first instant of `date` in the home zone, as a task's `due_key` or an activity's
/// start (UTC microseconds).
pub fn day_start(date: jiff::civil::Date) -> i64 {
    start_of(date, &home_zone()).as_microsecond()
}

/// The first instant after `date` in the home zone (UTC microseconds).
pub fn day_end(date: jiff::civil::Date) -> i64 {
    day_start(date.tomorrow().unwrap_or(date))
}

/// The sort key of a due.
fn due_key(due: Option<Due>) -> i64 {
    due.map_or(NO_DUE, |due| due.starts(&home_zone()).as_microsecond())
}

impl App {
    /// Creates a task, assigned to `input.assignee_id` or to the actor.
    pub async fn create_task(&self, actor: &Actor, input: &TaskInput) -> AppResult<Task> {
        if !actor.role.can_write(RecordKind::Task) {
            return Err(Error::Forbidden.into());
        }
        let mut fields = input.validate(&home_zone()).map_err(Error::Validation)?;
        let (links, _) = self.resolve_links(actor, &fields.links, &[]).await?;
        let ownership = self.assignee(actor, &mut fields).await?;
        let completed = (fields.status == TaskStatus::Done)
            .then(|| (jiff::Timestamp::now().as_microsecond(), actor.user_id));
        let changes = crate::audit::created_changes(audit_values(&fields));
        let entry = self.task_entry(actor, 0, "created", changes);
        let write = TaskWrite {
            fields: &fields,
            links: &links,
            ownership,
            due_key: due_key(fields.due),
            completed,
        };
        let id = self.store.insert_task(write, actor.user_id, entry).await?;
        let task = self.store.unscoped().task(id).await?;
        self.announce_task("task.created", &task).await;
        self.notify_assignment(actor, &task).await;
        self.schedule_reminder(&task).await;
        Ok(task)
    }

    /// One live task the actor can see; any other is not found.
    pub async fn task(&self, actor: &Actor, id: TaskId) -> AppResult<Task> {
        Ok(self.store.scoped(actor).task(id).await?)
    }

    /// A page of the tasks the actor can see, soonest due first. `cursor` is the
    /// `next_cursor` of the page before.
    pub async fn tasks(
        &self,
        actor: &Actor,
        filter: &TaskFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> AppResult<Page<Task>> {
        let after = crate::read_cursor(cursor, parse_task_cursor)?;
        let page = PageRequest { after: None, limit };
        Ok(self.store.scoped(actor).tasks(filter, after, &page).await?)
    }

    /// Changes the fields a patch mentions. `expected_version` (an `If-Match`, a form's
    /// version) must be current; `None` applies to the current version.
    pub async fn update_task(
        &self,
        actor: &Actor,
        id: TaskId,
        expected_version: Option<i64>,
        patch: TaskPatch,
    ) -> AppResult<Task> {
        let before = self.task(actor, id).await?;
        if !actor.role.can_write(RecordKind::Task) {
            return Err(Error::Forbidden.into());
        }
        let version = expected_version.unwrap_or(before.meta.version);
        if version != before.meta.version {
            return Err(Error::StaleVersion.into());
        }
        let mut input = TaskInput::from_fields(&before.fields);
        patch.apply(&mut input);
        let mut fields = input.validate(&home_zone()).map_err(Error::Validation)?;
        // Links left as they were are kept as stored, even if a linked record has since
        // gone out of the actor's sight.
        let links = if fields.links == before.fields.links {
            before.links.clone()
        } else {
            self.resolve_links(actor, &fields.links, &before.links)
                .await?
                .0
        };
        let ownership = if fields.assignee_id == before.fields.assignee_id
            && fields.links == before.fields.links
        {
            before.ownership
        } else {
            self.assignee(actor, &mut fields).await?
        };
        let completed = match (before.fields.status, fields.status) {
            (_, TaskStatus::Open) => None,
            (TaskStatus::Done, TaskStatus::Done) => before
                .completed_at
                .map(|at| at.as_microsecond())
                .zip(before.completed_by),
            (TaskStatus::Open, TaskStatus::Done) => {
                Some((jiff::Timestamp::now().as_microsecond(), actor.user_id))
            }
        };
        let changes: Vec<AuditChange> =
            crate::audit::changed_fields(audit_values(&before.fields), audit_values(&fields));
        if changes.is_empty() {
            return Ok(before);
        }
        let entry = self.task_entry(actor, id.0, "updated", changes);
        let write = TaskWrite {
            fields: &fields,
            links: &links,
            ownership,
            due_key: due_key(fields.due),
            completed,
        };
        let reminder_changed =
            fields.reminder_at != before.fields.reminder_at || fields.due != before.fields.due;
        self.store
            .update_task(id, version, write, reminder_changed, entry)
            .await?;
        let task = self.store.unscoped().task(id).await?;
        self.announce_task("task.updated", &task).await;
        if task.fields.assignee_id != before.fields.assignee_id {
            self.notify_assignment(actor, &task).await;
        }
        if reminder_changed {
            self.schedule_reminder(&task).await;
        }
        Ok(task)
    }

    /// Marks a task done (a task already done stays as it was).
    pub async fn complete_task(&self, actor: &Actor, id: TaskId) -> AppResult<Task> {
        let patch = TaskPatch {
            status: Some(TaskStatus::Done.to_string()),
            ..TaskPatch::default()
        };
        self.update_task(actor, id, None, patch).await
    }

    /// Moves a task's due `days` later (from today when it had none or is overdue).
    pub async fn snooze_task(&self, actor: &Actor, id: TaskId, days: i32) -> AppResult<Task> {
        let task = self.task(actor, id).await?;
        let zone = home_zone();
        let today = Due::Date(self.today());
        let from = match task.fields.due {
            Some(due) if due.date(&zone) >= self.today() => due,
            Some(Due::At(at)) => {
                // Overdue at a time: the same time of day, from today.
                let time = at.to_zoned_datetime(zone.clone()).time();
                match self
                    .today()
                    .to_datetime(time)
                    .to_zoned_datetime(zone.clone())
                {
                    Ok(zoned) => Due::At(zoned.timestamp()),
                    Err(_) => today,
                }
            }
            _ => today,
        };
        let patch = match from.later_by(days, &zone) {
            Due::Date(date) => TaskPatch {
                due_date: Some(date.to_string()),
                ..TaskPatch::default()
            },
            Due::At(at) => TaskPatch {
                due_at: Some(at.to_string()),
                ..TaskPatch::default()
            },
        };
        // A reminder set for the old due would ring for nothing: it is cleared.
        let patch = TaskPatch {
            reminder_at: task.fields.reminder_at.map(|_| String::new()),
            ..patch
        };
        self.update_task(actor, id, Some(task.meta.version), patch)
            .await
    }

    /// Moves a task the actor can see to the trash.
    pub async fn delete_task(&self, actor: &Actor, id: TaskId) -> AppResult<()> {
        let task = self.task(actor, id).await?;
        if !actor.role.can_delete(RecordKind::Task) {
            return Err(Error::Forbidden.into());
        }
        let entry = self.task_entry(actor, id.0, "deleted", Vec::new());
        self.store.delete_task(id, entry).await?;
        self.announce_task("task.deleted", &task).await;
        Ok(())
    }

    /// Tells whoever may see a task, and the pages of its records, that it changed.
    async fn announce_task(&self, kind: &str, task: &Task) {
        let records = task.links.iter().map(|l| l.link).collect();
        let event = crate::events::scoped(
            kind,
            RECORD_TYPE,
            task.id.0,
            (RecordKind::Task, task.ownership),
            records,
        );
        self.publish(event).await;
    }

    /// Completes or reassigns each of these tasks the actor can see; the number changed.
    /// One that cannot be changed (gone, outside scope, refused) stops nothing else.
    pub async fn bulk_tasks(
        &self,
        actor: &Actor,
        ids: &[TaskId],
        action: BulkTaskAction,
    ) -> AppResult<usize> {
        let mut changed = 0;
        for id in ids {
            let done = match action {
                BulkTaskAction::Complete => self.complete_task(actor, *id).await,
                BulkTaskAction::Reassign(user) => {
                    let patch = TaskPatch {
                        assignee_id: Some(user.0),
                        ..TaskPatch::default()
                    };
                    self.update_task(actor, *id, None, patch).await
                }
            };
            match done {
                Ok(_) => changed += 1,
                Err(error) if error.domain().is_some() => {}
                Err(error) => return Err(error),
            }
        }
        Ok(changed)
    }

    /// The actor's day: overdue tasks, tasks due on `date`, and activities planned for it.
    pub async fn agenda(&self, actor: &Actor, date: jiff::civil::Date) -> AppResult<Agenda> {
        let (start, end) = (day_start(date), day_end(date));
        let scoped = self.store.scoped(actor);
        let mine = TaskFilter {
            assignee: Some(actor.user_id),
            status: Some(TaskStatus::Open),
            ..TaskFilter::default()
        };
        let whole = PageRequest {
            after: None,
            limit: MAX_TASK_PAGE,
        };
        let overdue = scoped
            .tasks(
                &TaskFilter {
                    due_before: Some(start),
                    ..mine.clone()
                },
                None,
                &whole,
            )
            .await?;
        let mut tasks = scoped
            .tasks(
                &TaskFilter {
                    due_from: Some(start),
                    due_before: Some(end),
                    status: None,
                    ..mine
                },
                None,
                &whole,
            )
            .await?
            .items;
        tasks.sort_by_key(|t| t.fields.status == TaskStatus::Done);
        let planned = ActivityFilter {
            status: Some(ActivityStatus::Planned),
            from: Some(start),
            to: Some(end),
            involving: Some(actor.user_id),
            ..ActivityFilter::default()
        };
        let whole_day = PageRequest {
            after: None,
            limit: MAX_ACTIVITY_PAGE,
        };
        let mut activities = scoped.activities(&planned, None, &whole_day).await?.items;
        activities.reverse();
        Ok(Agenda {
            date,
            more_overdue: overdue.next_cursor.is_some(),
            overdue: overdue.items,
            tasks,
            activities,
        })
    }

    /// The assignee's ownership: `fields.assignee_id` (the actor when absent, filled in),
    /// who must be active and able to see every linked record.
    async fn assignee(&self, actor: &Actor, fields: &mut TaskFields) -> AppResult<Ownership> {
        let id = *fields.assignee_id.get_or_insert(actor.user_id);
        let user = if id == actor.user_id {
            None
        } else {
            match self.store.get_user(id).await {
                Ok(user) if user.active => Some(user),
                Ok(_) | Err(StoreError::NotFound) => {
                    return Err(Error::field("assignee_id", "invalid-assignee").into());
                }
                Err(other) => return Err(other.into()),
            }
        };
        let assignee = user.as_ref().map_or_else(|| actor.clone(), |u| u.actor());
        for link in &fields.links {
            if !self.can_see_link(&assignee, *link).await? {
                return Err(Error::field("assignee_id", "invalid-assignee-cannot-see").into());
            }
        }
        Ok(Ownership {
            owner_id: Some(id),
            team_id: assignee.team_id,
        })
    }

    fn task_entry(
        &self,
        actor: &Actor,
        id: i64,
        action: &'static str,
        changes: Vec<AuditChange>,
    ) -> AuditEntry {
        AuditEntry {
            actor: Some(actor.user_id),
            record_type: RECORD_TYPE,
            record_id: id,
            action,
            changes,
        }
    }
}
