//! Notifications: written with what caused them (a comment, a task handed over, a
//! reminder), read by their one user only (newest first, unread ones alone when asked),
//! marked read, and marked once an e-mail about them went out.
//!
//! A reminder is rung once: [`Store::ring_task_reminder`] marks the task's reminder sent
//! and writes the notification in one write that only the first of racing workers wins.

use crate::codec::{parse_stored, timestamp};
use crate::sql::{Conn, Row};
use crate::{Store, StoreError, now_micros, on_pool, on_writer};
use rehber_domain::comment::{NewNotification, Notification, NotificationKind, SubjectType};
use rehber_domain::ids::{TaskId, UserId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query};

const TABLE: &str = "notifications";
/// The most notifications one page holds.
pub const MAX_NOTIFICATION_PAGE: u32 = 100;

/// Writes `notify` in an open write (each about `comment` when given); their ids.
pub(crate) async fn insert_notifications(
    conn: &mut Conn<'_>,
    notify: &[NewNotification],
    comment: Option<i64>,
    now: i64,
) -> Result<Vec<i64>, StoreError> {
    let mut ids = Vec::with_capacity(notify.len());
    for n in notify {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(TABLE))
            .columns(
                [
                    "user_id",
                    "kind",
                    "subject_type",
                    "subject_id",
                    "comment_id",
                    "actor_id",
                    "created_at",
                ]
                .map(Alias::new),
            )
            .values_panic([
                n.user_id.0.into(),
                n.kind.as_str().into(),
                n.subject_type.as_str().into(),
                n.subject_id.into(),
                comment.into(),
                n.actor_id.map(|u| u.0).into(),
                now.into(),
            ])
            .returning_col(Alias::new("id"));
        ids.push(conn.fetch_i64(&insert).await?);
    }
    Ok(ids)
}

fn col(name: &str) -> Expr {
    Expr::col((Alias::new(TABLE), Alias::new(name)))
}

/// Notifications with their actor's name.
fn select_notifications() -> sea_query::SelectStatement {
    let mut select = Query::select();
    select
        .columns(
            [
                "id",
                "user_id",
                "kind",
                "subject_type",
                "subject_id",
                "comment_id",
                "actor_id",
                "created_at",
                "read_at",
            ]
            .map(|c| (Alias::new(TABLE), Alias::new(c))),
        )
        .expr_as(
            Expr::col((Alias::new("users"), Alias::new("name"))),
            Alias::new("actor_name"),
        )
        .from(Alias::new(TABLE))
        .left_join(
            Alias::new("users"),
            Expr::col((Alias::new("users"), Alias::new("id")))
                .equals((Alias::new(TABLE), Alias::new("actor_id"))),
        );
    select
}

fn read(row: &Row) -> Result<Notification, StoreError> {
    let required = |column: &str| -> Result<String, StoreError> { row.get(column) };
    Ok(Notification {
        id: row.get("id")?,
        user_id: UserId(row.get("user_id")?),
        kind: parse_stored(Some(&required("kind")?), NotificationKind::parse)?
            .ok_or_else(|| StoreError::Corrupt("notifications.kind".into()))?,
        subject_type: parse_stored(Some(&required("subject_type")?), SubjectType::parse)?
            .ok_or_else(|| StoreError::Corrupt("notifications.subject_type".into()))?,
        subject_id: row.get("subject_id")?,
        comment_id: row.get("comment_id")?,
        actor_id: row.get::<Option<i64>>("actor_id")?.map(UserId),
        actor_name: row.get("actor_name")?,
        created_at: timestamp(row.get("created_at")?)?,
        read_at: row
            .get::<Option<i64>>("read_at")?
            .map(timestamp)
            .transpose()?,
    })
}

impl Store {
    /// Writes notifications on their own; their ids.
    pub async fn notify(&self, notify: &[NewNotification]) -> Result<Vec<i64>, StoreError> {
        if notify.is_empty() {
            return Ok(Vec::new());
        }
        let now = now_micros();
        self.write(async |conn| insert_notifications(conn, notify, None, now).await)
            .await
    }

    /// `user`'s notifications, newest first, older than the one with id `before` when
    /// given; unread ones only when asked. Up to `limit`, and whether there are more.
    pub async fn notifications(
        &self,
        user: UserId,
        unread_only: bool,
        before: Option<i64>,
        limit: u32,
    ) -> Result<(Vec<Notification>, bool), StoreError> {
        let limit = limit.clamp(1, MAX_NOTIFICATION_PAGE);
        let mut select = select_notifications();
        select
            .and_where(col("user_id").eq(user.0))
            .order_by((Alias::new(TABLE), Alias::new("id")), Order::Desc)
            .limit(u64::from(limit) + 1);
        if unread_only {
            select.and_where(col("read_at").is_null());
        }
        if let Some(before) = before {
            select.and_where(col("id").lt(before));
        }
        let rows = self.fetch_rows(&select).await?;
        let more = rows.len() > limit as usize;
        let items = rows
            .iter()
            .take(limit as usize)
            .map(read)
            .collect::<Result<_, _>>()?;
        Ok((items, more))
    }

    /// How many of `user`'s notifications are unread.
    pub async fn unread_notifications(&self, user: UserId) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user.0).fetch_one(pool).await?))
    }

    /// Marks one of `user`'s notifications read (one already read stays as it was);
    /// [`StoreError::NotFound`] when `user` has none with this id.
    pub async fn mark_notification_read(&self, user: UserId, id: i64) -> Result<(), StoreError> {
        let found = on_writer!(self, pool => sqlx::query(
            "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2")
            .bind(id).bind(user.0).bind(now_micros())
            .execute(pool).await?.rows_affected());
        if found == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Marks every unread notification of `user` read; how many there were.
    pub async fn mark_all_notifications_read(&self, user: UserId) -> Result<u64, StoreError> {
        Ok(on_writer!(self, pool => sqlx::query(
            "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
            .bind(user.0).bind(now_micros())
            .execute(pool).await?.rows_affected()))
    }

    /// One notification, whoever's it is (for the job that e-mails it).
    pub async fn notification(&self, id: i64) -> Result<Notification, StoreError> {
        let mut select = select_notifications();
        select.and_where(col("id").eq(id));
        self.fetch_rows(&select)
            .await?
            .first()
            .map(read)
            .ok_or(StoreError::NotFound)?
    }

    /// Marks that an e-mail about a still unread notification is going out; `false` when
    /// it was read or e-mailed meanwhile (nothing to send).
    pub async fn claim_notification_email(&self, id: i64) -> Result<bool, StoreError> {
        let claimed = on_writer!(self, pool => sqlx::query(
            "UPDATE notifications SET emailed_at = $2 WHERE id = $1 AND read_at IS NULL AND emailed_at IS NULL")
            .bind(id).bind(now_micros())
            .execute(pool).await?.rows_affected());
        Ok(claimed == 1)
    }

    /// Gives back a claim whose e-mail could not be sent, so a retry may claim it again.
    pub async fn release_notification_email(&self, id: i64) -> Result<(), StoreError> {
        on_writer!(self, pool => sqlx::query("UPDATE notifications SET emailed_at = NULL WHERE id = $1")
            .bind(id).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Rings a task's reminder set for `reminder_at`: marks it sent and writes `notify`, in
    /// one write. `None` when there is nothing to ring (the task is gone or done, its
    /// reminder moved, or another worker rang it first); the notification's id otherwise.
    pub async fn ring_task_reminder(
        &self,
        task: TaskId,
        reminder_at: i64,
        notify: &NewNotification,
    ) -> Result<Option<i64>, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut update = Query::update();
            let task_col = |name: &str| Expr::col((Alias::new("tasks"), Alias::new(name)));
            update
                .table(Alias::new("tasks"))
                .value(Alias::new("reminder_sent_at"), now)
                .and_where(task_col("id").eq(task.0))
                .and_where(task_col("reminder_at").eq(reminder_at))
                .and_where(task_col("reminder_sent_at").is_null())
                .and_where(task_col("status").eq("open"))
                .and_where(task_col("deleted_at").is_null());
            if conn.execute(&update).await? == 0 {
                return Ok(None);
            }
            let ids = insert_notifications(conn, std::slice::from_ref(notify), None, now).await?;
            Ok(ids.first().copied())
        })
        .await
    }
}
