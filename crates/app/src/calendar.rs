//! The calendar: the activities and tasks of a range of days for oneself, a colleague or
//! everyone in scope ([`App::calendar_range`], the month and week views), and the personal
//! calendar feed: a secret address per user that calendar apps poll for the user's planned
//! activities and open tasks (RFC 5545). The address is the only credential: only its
//! token's hash is kept, a new one revokes the old, and the feed shows what the user may see
//! today (a deactivated user's feed answers nothing).

use crate::App;
use crate::error::AppResult;
use crate::secrets::{random_token, token_hash};
use rehber_domain::activity::{Activity, ActivityStatus};
use rehber_domain::ics::{IcsEvent, IcsTime, render};
use rehber_domain::task::{Due, Task, TaskStatus};
use rehber_domain::{Actor, Error};
use rehber_store::{
    ActivityFilter, AuditEntry, MAX_ACTIVITY_PAGE, NO_DUE, PageRequest, TaskFilter,
};

/// Feed tokens start with this prefix, so they are recognizable in a leaked address.
pub const FEED_PREFIX: &str = "rcf_";
/// How far back a feed reaches: calendar apps keep what they saw before.
const FEED_PAST_DAYS: i64 = 30;
/// The most activities and tasks a feed holds, each.
const FEED_MAX: usize = 1_000;

impl App {
    /// A new feed token for the actor (shown once); the earlier one stops working.
    pub async fn issue_calendar_feed(&self, actor: &Actor) -> AppResult<String> {
        let token = format!("{FEED_PREFIX}{}", random_token()?);
        self.store
            .replace_calendar_feed(actor.user_id, &token_hash(&token))
            .await?;
        self.feed_audit(actor, "created").await?;
        Ok(token)
    }

    /// Revokes the actor's feed.
    pub async fn revoke_calendar_feed(&self, actor: &Actor) -> AppResult<()> {
        self.store.revoke_calendar_feed(actor.user_id).await?;
        self.feed_audit(actor, "revoked").await
    }

    /// Whether the actor has a feed.
    pub async fn has_calendar_feed(&self, actor: &Actor) -> AppResult<bool> {
        Ok(self.store.has_calendar_feed(actor.user_id).await?)
    }

    /// The iCalendar text of the feed whose token this is: the owner's planned activities
    /// from a month back on and their open tasks with a due, as the owner may see them now.
    /// An unknown or revoked token, or a deactivated owner, is not found.
    pub async fn calendar_feed(&self, token: &str) -> AppResult<String> {
        let token = token.trim();
        if !token.starts_with(FEED_PREFIX) {
            return Err(Error::NotFound.into());
        }
        let Some(user_id) = self.store.calendar_feed_user(&token_hash(token)).await? else {
            return Err(Error::NotFound.into());
        };
        let user = self.store.get_user(user_id).await?;
        if !user.active {
            return Err(Error::NotFound.into());
        }
        let actor = user.actor();
        let now = jiff::Timestamp::now();
        let from = now.as_microsecond() - FEED_PAST_DAYS * 86_400_000_000;
        let activities = self.feed_activities(&actor, from).await?;
        let tasks = self.feed_tasks(&actor).await?;
        let mut events: Vec<IcsEvent> = activities.iter().map(activity_event).collect();
        events.extend(tasks.iter().filter_map(task_event));
        Ok(render(&format!("Rehber — {}", user.name), &events, now))
    }

    async fn feed_activities(&self, actor: &Actor, from: i64) -> AppResult<Vec<Activity>> {
        let filter = ActivityFilter {
            status: Some(ActivityStatus::Planned),
            from: Some(from),
            involving: Some(actor.user_id),
            ..ActivityFilter::default()
        };
        Ok(self.activities_up_to(actor, &filter).await?.0)
    }

    /// Every activity the actor sees under `filter`, latest first, page after page up to
    /// [`FEED_MAX`]; and whether there were more.
    async fn activities_up_to(
        &self,
        actor: &Actor,
        filter: &ActivityFilter,
    ) -> AppResult<(Vec<Activity>, bool)> {
        let scoped = self.store.scoped(actor);
        let page = PageRequest {
            after: None,
            limit: MAX_ACTIVITY_PAGE,
        };
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let found = scoped.activities(filter, after, &page).await?;
            out.extend(found.items);
            match found
                .next_cursor
                .as_deref()
                .and_then(rehber_store::parse_activity_cursor)
            {
                Some(_) if out.len() >= FEED_MAX => return Ok((out, true)),
                Some(next) => after = Some(next),
                None => return Ok((out, false)),
            }
        }
    }

    async fn feed_tasks(&self, actor: &Actor) -> AppResult<Vec<Task>> {
        let filter = TaskFilter {
            assignee: Some(actor.user_id),
            status: Some(TaskStatus::Open),
            due_before: Some(NO_DUE),
            ..TaskFilter::default()
        };
        let page = PageRequest {
            after: None,
            limit: FEED_MAX as u32,
        };
        Ok(self
            .store
            .scoped(actor)
            .tasks(&filter, None, &page)
            .await?
            .items)
    }

    async fn feed_audit(&self, actor: &Actor, action: &'static str) -> AppResult<()> {
        Ok(self
            .store
            .append_audit(&AuditEntry {
                actor: Some(actor.user_id),
                record_type: "calendar_feed",
                record_id: actor.user_id.0,
                action,
                changes: Vec::new(),
            })
            .await?)
    }
}

fn activity_event(activity: &Activity) -> IcsEvent {
    let f = &activity.fields;
    let zone = crate::home_zone();
    let (start, end) = if f.all_day {
        // An all-day event is a date in Turkey, whatever the reader's zone.
        let day = f.starts_at.to_zoned_datetime(zone.clone()).date();
        let last = f
            .ends_at
            .map(|e| e.to_zoned_datetime(zone).date())
            .unwrap_or(day);
        (
            IcsTime::Day(day),
            Some(IcsTime::Day(last.tomorrow().unwrap_or(last))),
        )
    } else {
        (IcsTime::At(f.starts_at), f.ends_at.map(IcsTime::At))
    };
    let summary = if f.subject.is_empty() {
        f.kind.to_string()
    } else {
        f.subject.clone()
    };
    IcsEvent {
        uid: format!("activity-{}@rehber", activity.id.0),
        start,
        end,
        summary,
        description: f.body.clone(),
        location: f.location.clone(),
        updated: activity.meta.updated_at,
    }
}

fn task_event(task: &Task) -> Option<IcsEvent> {
    let (start, end) = match task.fields.due? {
        Due::Date(date) => (
            IcsTime::Day(date),
            Some(IcsTime::Day(date.tomorrow().unwrap_or(date))),
        ),
        Due::At(at) => (IcsTime::At(at), None),
    };
    Some(IcsEvent {
        uid: format!("task-{}@rehber", task.id.0),
        start,
        end,
        summary: format!("☐ {}", task.fields.title),
        description: task.fields.notes.clone(),
        location: String::new(),
        updated: task.meta.updated_at,
    })
}

/// Whose calendar to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// The actor's own: activities they own or planned, tasks assigned to them.
    Me,
    /// One colleague's, as far as the actor may see it.
    User(rehber_domain::UserId),
    /// Everything the actor may see (a manager's team, an administrator's company).
    Everyone,
}

/// What a calendar shows over some days: activities (not cancelled) and open tasks with a
/// due in that range.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarRange {
    pub activities: Vec<Activity>,
    pub tasks: Vec<Task>,
    /// More entries than one calendar page holds: the rest are left out.
    pub truncated: bool,
}

impl App {
    /// The activities and open tasks of the days from `first` to `last` (inclusive), in the
    /// home zone, of `whose` calendar, each in the actor's scope.
    pub async fn calendar_range(
        &self,
        actor: &Actor,
        whose: Whose,
        first: jiff::civil::Date,
        last: jiff::civil::Date,
    ) -> AppResult<CalendarRange> {
        let from = crate::tasks::day_start(first);
        let until = crate::tasks::day_end(last);
        let user = match whose {
            Whose::Me => Some(actor.user_id),
            Whose::User(user) => Some(user),
            Whose::Everyone => None,
        };
        let filter = ActivityFilter {
            from: Some(from),
            to: Some(until),
            involving: user,
            ..ActivityFilter::default()
        };
        let (mut activities, mut truncated) = self.activities_up_to(actor, &filter).await?;
        activities.retain(|a| a.fields.status != ActivityStatus::Cancelled);
        activities.reverse();
        let tasks = self
            .store
            .scoped(actor)
            .tasks(
                &TaskFilter {
                    assignee: user,
                    status: Some(TaskStatus::Open),
                    due_from: Some(from),
                    due_before: Some(until),
                    ..TaskFilter::default()
                },
                None,
                &PageRequest {
                    after: None,
                    limit: rehber_store::MAX_TASK_PAGE,
                },
            )
            .await?;
        truncated |= tasks.next_cursor.is_some();
        Ok(CalendarRange {
            activities,
            tasks: tasks.items,
            truncated,
        })
    }
}
