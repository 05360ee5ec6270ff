//! Tasks and their links: insert (with the links and the audit entry, in one write), get,
//! list (by assignee, status, due and linked record; soonest due first, by key), update
//! with the version check, and soft delete.
//!
//! A task's owner is its assignee: the scope filter reads it like any record's owner. The
//! order of lists is `due_key`, which the services compute (the due time, or the start of
//! the due date in the home zone; [`NO_DUE`] for a task without one).

use crate::audit::AuditEntry;
use crate::codec::{parse_stored, timestamp};
use crate::links::TASK_LINKS;
use crate::listing::{Page, PageRequest};
use crate::party::{ownership_values, read_meta, read_ownership};
use crate::scope::scope_condition;
use crate::sql::Row;
use crate::{Scoped, Store, StoreError};
use rehber_domain::access::RecordKind;
use rehber_domain::activity::{Link, StoredLink};
use rehber_domain::ids::{TaskId, UserId};
use rehber_domain::party::Ownership;
use rehber_domain::task::{Due, Priority, Task, TaskFields, TaskStatus};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SimpleExpr, Value};

const TABLE: &str = "tasks";
/// The most tasks one page holds.
pub const MAX_TASK_PAGE: u32 = 500;
/// The `due_key` of a task without a due: after every other.
pub const NO_DUE: i64 = i64::MAX;

/// What a list of tasks is narrowed to (all given conditions hold).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskFilter {
    pub assignee: Option<UserId>,
    pub status: Option<TaskStatus>,
    /// Linked to this record.
    pub link: Option<Link>,
    /// `due_key` at or after (UTC microseconds).
    pub due_from: Option<i64>,
    /// `due_key` before.
    pub due_before: Option<i64>,
}

/// A task as the store writes it: its checked fields, its assignee's ownership and its
/// sort key.
#[derive(Debug, Clone, Copy)]
pub struct TaskWrite<'a> {
    pub fields: &'a TaskFields,
    pub links: &'a [StoredLink],
    pub ownership: Ownership,
    pub due_key: i64,
    /// When and by whom it was done, while it is.
    pub completed: Option<(i64, UserId)>,
}

/// A list page's position: after the task with sort key `.0` and id `.1`. As text,
/// `<due_key>.<id>`.
pub fn encode_task_cursor(due_key: i64, id: i64) -> String {
    format!("{due_key}.{id}")
}

/// The position a cursor names; `None` when it is not one [`encode_task_cursor`] makes.
pub fn parse_task_cursor(text: &str) -> Option<(i64, i64)> {
    let (due_key, id) = text.trim().split_once('.')?;
    Some((due_key.parse().ok()?, id.parse().ok()?))
}

fn col(name: &str) -> SimpleExpr {
    Expr::col((Alias::new(TABLE), Alias::new(name)))
}

/// The content columns and their values.
fn values(task: &TaskWrite<'_>) -> Vec<(&'static str, Value)> {
    let f = task.fields;
    let (due_date, due_at) = match f.due {
        Some(Due::Date(date)) => (Some(date.to_string()), None),
        Some(Due::At(at)) => (None, Some(at.as_microsecond())),
        None => (None, None),
    };
    let mut values: Vec<(&'static str, Value)> = vec![
        ("title", f.title.clone().into()),
        ("notes", f.notes.clone().into()),
        ("due_date", due_date.into()),
        ("due_at", due_at.into()),
        ("due_key", task.due_key.into()),
        ("priority", f.priority.as_str().into()),
        ("status", f.status.as_str().into()),
        (
            "reminder_at",
            f.reminder_at.map(|t| t.as_microsecond()).into(),
        ),
        ("completed_at", task.completed.map(|c| c.0).into()),
        ("completed_by", task.completed.map(|c| c.1.0).into()),
    ];
    values.extend(ownership_values(task.ownership));
    values
}

const COLUMNS: [&str; 19] = [
    "id",
    "title",
    "notes",
    "due_date",
    "due_at",
    "due_key",
    "priority",
    "status",
    "reminder_at",
    "completed_at",
    "completed_by",
    "owner_id",
    "team_id",
    "created_by",
    "version",
    "created_at",
    "updated_at",
    "deleted_at",
    "reminder_sent_at",
];

fn required<T>(row: &Row, column: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    parse_stored(row.get::<Option<String>>(column)?.as_deref(), parse)?
        .ok_or_else(|| StoreError::Corrupt(format!("tasks.{column} is empty")))
}

fn optional_time(row: &Row, column: &str) -> Result<Option<jiff::Timestamp>, StoreError> {
    row.get::<Option<i64>>(column)?.map(timestamp).transpose()
}

/// A task from its row and its links.
fn read(row: &Row, links: Vec<StoredLink>) -> Result<(Task, i64), StoreError> {
    let due = match (
        row.get::<Option<String>>("due_date")?,
        row.get::<Option<i64>>("due_at")?,
    ) {
        (Some(date), _) => {
            Some(Due::Date(date.parse().map_err(|_| {
                StoreError::Corrupt(format!("tasks.due_date {date:?}"))
            })?))
        }
        (None, Some(at)) => Some(Due::At(timestamp(at)?)),
        (None, None) => None,
    };
    let ownership = read_ownership(row)?;
    let fields = TaskFields {
        title: row.get("title")?,
        notes: row.get("notes")?,
        due,
        priority: required(row, "priority", Priority::parse)?,
        status: required(row, "status", TaskStatus::parse)?,
        assignee_id: ownership.owner_id,
        reminder_at: optional_time(row, "reminder_at")?,
        links: links
            .iter()
            .filter(|l| !l.automatic)
            .map(|l| l.link)
            .collect(),
    };
    let task = Task {
        id: TaskId(row.get("id")?),
        fields,
        links,
        completed_at: optional_time(row, "completed_at")?,
        completed_by: row.get::<Option<i64>>("completed_by")?.map(UserId),
        ownership,
        created_by: row.get::<Option<i64>>("created_by")?.map(UserId),
        meta: read_meta(row)?,
    };
    Ok((task, row.get("due_key")?))
}

impl Store {
    /// Inserts a task, its links and its "created" audit entry (whose `record_id` is filled
    /// in).
    pub async fn insert_task(
        &self,
        task: TaskWrite<'_>,
        created_by: UserId,
        entry: AuditEntry,
    ) -> Result<TaskId, StoreError> {
        self.insert_linked(TASK_LINKS, values(&task), task.links, created_by, entry)
            .await
            .map(TaskId)
    }

    /// Replaces a live task's content, assignee and links if `expected_version` is current
    /// (else [`StoreError::StaleVersion`]). A changed reminder rings again.
    pub async fn update_task(
        &self,
        id: TaskId,
        expected_version: i64,
        task: TaskWrite<'_>,
        reminder_changed: bool,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let mut pairs = values(&task);
        if reminder_changed {
            pairs.push(("reminder_sent_at", Option::<i64>::None.into()));
        }
        self.update_linked(TASK_LINKS, id.0, expected_version, pairs, task.links, entry)
            .await
    }

    /// Moves a live task to the trash; [`StoreError::NotFound`] when there is none.
    pub async fn delete_task(&self, id: TaskId, entry: AuditEntry) -> Result<(), StoreError> {
        self.trash_row(TABLE, id.0, entry).await
    }
}

impl Scoped<'_> {
    /// One live task the viewer may see; any other is [`StoreError::NotFound`].
    pub async fn task(&self, id: TaskId) -> Result<Task, StoreError> {
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(|c| (Alias::new(TABLE), Alias::new(c))))
            .from(Alias::new(TABLE))
            .and_where(col("id").eq(id.0))
            .and_where(col("deleted_at").is_null())
            .cond_where(scope_condition(TABLE, self.visibility_of(RecordKind::Task)));
        let rows = self.store().fetch_rows(&select).await?;
        let row = rows.first().ok_or(StoreError::NotFound)?;
        let mut links = self.store().links_of(TASK_LINKS, &[id.0]).await?;
        Ok(read(row, links.remove(&id.0).unwrap_or_default())?.0)
    }

    /// A page of the live tasks the viewer may see that match `filter`, soonest due first
    /// (tasks without a due last).
    pub async fn tasks(
        &self,
        filter: &TaskFilter,
        after: Option<(i64, i64)>,
        page: &PageRequest,
    ) -> Result<Page<Task>, StoreError> {
        let limit = page.limit.clamp(1, MAX_TASK_PAGE);
        let mut condition = Cond::all()
            .add(col("deleted_at").is_null())
            .add(scope_condition(TABLE, self.visibility_of(RecordKind::Task)));
        if let Some(user) = filter.assignee {
            condition = condition.add(col("owner_id").eq(user.0));
        }
        if let Some(status) = filter.status {
            condition = condition.add(col("status").eq(status.as_str()));
        }
        if let Some(link) = filter.link {
            condition = condition.add(TASK_LINKS.linked_to(col("id"), link));
        }
        if let Some(from) = filter.due_from {
            condition = condition.add(col("due_key").gte(from));
        }
        if let Some(before) = filter.due_before {
            condition = condition.add(col("due_key").lt(before));
        }
        if let Some((due_key, id)) = after {
            condition = condition.add(
                Cond::any()
                    .add(col("due_key").gt(due_key))
                    .add(col("due_key").eq(due_key).and(col("id").gt(id))),
            );
        }
        let (items, more) = self.load(condition, "due_key", Order::Asc, limit).await?;
        let next_cursor = items
            .last()
            .filter(|_| more)
            .map(|(task, due_key)| encode_task_cursor(*due_key, task.id.0));
        let items = items.into_iter().map(|(task, _)| task).collect();
        Ok(Page { items, next_cursor })
    }

    /// Up to `limit` live tasks linked to `link` that the viewer may see, newest first:
    /// created before `(created_at, id)` when given. And whether there are more.
    pub async fn linked_tasks(
        &self,
        link: Link,
        after: Option<(i64, i64)>,
        limit: u32,
    ) -> Result<(Vec<Task>, bool), StoreError> {
        let limit = limit.clamp(1, MAX_TASK_PAGE);
        let mut condition = Cond::all()
            .add(col("deleted_at").is_null())
            .add(scope_condition(TABLE, self.visibility_of(RecordKind::Task)))
            .add(TASK_LINKS.linked_to(col("id"), link));
        if let Some((at, id)) = after {
            condition = condition.add(
                Cond::any()
                    .add(col("created_at").lt(at))
                    .add(col("created_at").eq(at).and(col("id").lt(id))),
            );
        }
        let (items, more) = self
            .load(condition, "created_at", Order::Desc, limit)
            .await?;
        Ok((items.into_iter().map(|(task, _)| task).collect(), more))
    }

    /// Up to `limit` tasks matching `condition` in `order` of `key` then id, each with its
    /// sort key, and whether there are more.
    async fn load(
        &self,
        condition: Cond,
        key: &str,
        order: Order,
        limit: u32,
    ) -> Result<(Vec<(Task, i64)>, bool), StoreError> {
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(|c| (Alias::new(TABLE), Alias::new(c))))
            .from(Alias::new(TABLE))
            .cond_where(condition)
            .order_by((Alias::new(TABLE), Alias::new(key)), order.clone())
            .order_by((Alias::new(TABLE), Alias::new("id")), order)
            .limit(u64::from(limit) + 1);
        let mut rows = self.store().fetch_rows(&select).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.get::<i64>("id"))
            .collect::<Result<_, _>>()?;
        let mut links = self.store().links_of(TASK_LINKS, &ids).await?;
        let items = rows
            .iter()
            .zip(&ids)
            .map(|(row, id)| read(row, links.remove(id).unwrap_or_default()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((items, more))
    }
}
