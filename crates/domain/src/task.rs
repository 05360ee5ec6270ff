//! Tasks: something a user has to do, by a date or a time, for the records it concerns; the
//! "Bugün" (my day) page lists what is overdue and due today.
//!
//! Here: the fields and their checks ([`TaskInput`] → [`TaskFields`]) and the arithmetic of
//! due dates in a zone. Who may assign a task to whom, and which records it may concern, are
//! the services' business.

use crate::activity::{Link, StoredLink};
use crate::error::FieldErrors;
use crate::fields::{line, names, optional_choice, optional_instant, put_given, text};
use crate::ids::{TaskId, UserId};
use crate::party::{Ownership, RecordMeta};
use crate::validate::Invalid;
pub use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

/// The longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest notes, in characters.
pub const MAX_NOTES: usize = 5_000;
/// The most records one task concerns.
pub const MAX_TASK_LINKS: usize = 10;

names! {
    /// How urgent a task is.
    Priority { Low = "low", Normal = "normal", High = "high" }
}

names! {
    /// To do, or done.
    TaskStatus { Open = "open", Done = "done" }
}

/// When a task falls due: some time on a date (in the zone of whoever reads it), or at an
/// instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Date(Date),
    At(Timestamp),
}

impl Due {
    /// The instant it is due from: the time, or the start of the date in `zone`. Lists sort
    /// by it, so a date's tasks come before that day's timed ones.
    pub fn starts(self, zone: &TimeZone) -> Timestamp {
        match self {
            Due::At(at) => at,
            Due::Date(date) => start_of(date, zone),
        }
    }

    /// The instant after which it is late: the time, or the end of the date in `zone`.
    pub fn deadline(self, zone: &TimeZone) -> Timestamp {
        match self {
            Due::At(at) => at,
            Due::Date(date) => start_of(date.tomorrow().unwrap_or(date), zone),
        }
    }

    /// The date it falls on in `zone`.
    pub fn date(self, zone: &TimeZone) -> Date {
        match self {
            Due::At(at) => at.to_zoned_datetime(zone.clone()).date(),
            Due::Date(date) => date,
        }
    }

    /// The same due `days` later (a snooze), keeping the time of day in `zone`.
    pub fn later_by(self, days: i32, zone: &TimeZone) -> Due {
        let span = Span::new().days(days);
        match self {
            Due::Date(date) => Due::Date(date.checked_add(span).unwrap_or(date)),
            Due::At(at) => Due::At(
                at.to_zoned_datetime(zone.clone())
                    .checked_add(span)
                    .map(|z| z.timestamp())
                    .unwrap_or(at),
            ),
        }
    }
}

/// A date as `YYYY-MM-DD`; `None` when the text is not one.
pub fn parse_date(text: &str) -> Option<Date> {
    text.trim().parse().ok()
}

/// The first instant of `date` in `zone` (the last instant there is, for a date beyond the
/// range of instants).
pub fn start_of(date: Date, zone: &TimeZone) -> Timestamp {
    date.to_zoned_datetime(zone.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MAX)
}

/// A stored task. Its owner is its assignee (with the assignee's team): whoever sees the
/// assignee's records sees their tasks.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: TaskId,
    pub fields: TaskFields,
    /// Every link, the automatic ones (a linked person's company) included.
    pub links: Vec<StoredLink>,
    pub completed_at: Option<Timestamp>,
    pub completed_by: Option<UserId>,
    pub ownership: Ownership,
    pub created_by: Option<UserId>,
    pub meta: RecordMeta,
}

impl Task {
    /// Open and past its deadline at `now`.
    pub fn is_overdue(&self, now: Timestamp, zone: &TimeZone) -> bool {
        self.fields.status == TaskStatus::Open
            && self.fields.due.is_some_and(|due| due.deadline(zone) <= now)
    }
}

/// A task as asked for: every field as given, checked by [`TaskInput::validate`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskInput {
    pub title: String,
    pub notes: String,
    /// `YYYY-MM-DD`; or `due_at`, not both.
    pub due_date: String,
    /// RFC 3339.
    pub due_at: String,
    /// `normal` when empty.
    pub priority: String,
    /// `open` when empty.
    pub status: String,
    /// Whoever asks, when absent.
    pub assignee_id: Option<i64>,
    /// RFC 3339, not after the due.
    pub reminder_at: String,
    /// `(record_type, record_id)` as given.
    pub links: Vec<(String, i64)>,
}

/// A checked task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskFields {
    pub title: String,
    pub notes: String,
    pub due: Option<Due>,
    pub priority: Priority,
    pub status: TaskStatus,
    /// `None` until the service puts in whoever asks.
    pub assignee_id: Option<UserId>,
    pub reminder_at: Option<Timestamp>,
    /// The records it concerns, as given (without repeats).
    pub links: Vec<Link>,
}

/// The fields a change mentions; the others stay. A new `due_date` replaces a `due_at` and
/// the other way round; `""` clears either.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskPatch {
    pub title: Option<String>,
    pub notes: Option<String>,
    pub due_date: Option<String>,
    pub due_at: Option<String>,
    pub priority: Option<String>,
    pub status: Option<String>,
    pub assignee_id: Option<i64>,
    pub reminder_at: Option<String>,
    pub links: Option<Vec<(String, i64)>>,
}

impl TaskPatch {
    /// The input with this patch's fields put in.
    pub fn apply(self, input: &mut TaskInput) {
        match (&self.due_date, &self.due_at) {
            (Some(_), None) => input.due_at.clear(),
            (None, Some(_)) => input.due_date.clear(),
            _ => {}
        }
        let patch = self;
        put_given!(patch => input:
            title,
            notes,
            due_date,
            due_at,
            priority,
            status,
            reminder_at,
            links
        );
        if let Some(assignee) = patch.assignee_id {
            input.assignee_id = Some(assignee);
        }
    }
}

/// A task's fields as the audit log shows them, by name.
pub fn audit_values(fields: &TaskFields) -> Vec<(&'static str, String)> {
    vec![
        ("title", fields.title.clone()),
        ("notes", fields.notes.clone()),
        ("due", fields.due.map(due_text).unwrap_or_default()),
        ("priority", fields.priority.to_string()),
        ("status", fields.status.to_string()),
        (
            "assignee_id",
            fields
                .assignee_id
                .map(|u| u.to_string())
                .unwrap_or_default(),
        ),
        (
            "reminder_at",
            fields
                .reminder_at
                .map(|t| t.to_string())
                .unwrap_or_default(),
        ),
        (
            "links",
            fields
                .links
                .iter()
                .map(|l| format!("{} {}", l.record_type, l.record_id))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ]
}

fn due_text(due: Due) -> String {
    match due {
        Due::Date(date) => date.to_string(),
        Due::At(at) => at.to_string(),
    }
}

impl TaskInput {
    /// The input of a stored task, to apply a change to.
    pub fn from_fields(fields: &TaskFields) -> TaskInput {
        let (due_date, due_at) = match fields.due {
            Some(Due::Date(date)) => (date.to_string(), String::new()),
            Some(Due::At(at)) => (String::new(), at.to_string()),
            None => (String::new(), String::new()),
        };
        TaskInput {
            title: fields.title.clone(),
            notes: fields.notes.clone(),
            due_date,
            due_at,
            priority: fields.priority.to_string(),
            status: fields.status.to_string(),
            assignee_id: fields.assignee_id.map(|u| u.0),
            reminder_at: fields
                .reminder_at
                .map(|t| t.to_string())
                .unwrap_or_default(),
            links: fields
                .links
                .iter()
                .map(|l| (l.record_type.to_string(), l.record_id))
                .collect(),
        }
    }

    /// Checks every field at once; dates are days in `zone` (a reminder is judged against
    /// the end of its task's due date there).
    pub fn validate(&self, zone: &TimeZone) -> Result<TaskFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = line(&mut errors, "title", &self.title, MAX_TITLE);
        if title.as_deref() == Some("") {
            errors.add("title", Invalid::Required.code());
        }
        let notes = text(&mut errors, "notes", &self.notes, MAX_NOTES);
        let due = match (self.due_date.trim(), self.due_at.trim()) {
            ("", "") => None,
            (date, "") => match date.parse::<Date>() {
                Ok(date) => Some(Due::Date(date)),
                Err(_) => {
                    errors.add("due_date", "invalid-due-date");
                    None
                }
            },
            ("", at) => optional_instant(&mut errors, "due_at", at).map(Due::At),
            (_, _) => {
                errors.add("due_at", "invalid-due-twice");
                None
            }
        };
        let priority = if self.priority.trim().is_empty() {
            Some(Priority::Normal)
        } else {
            optional_choice(&mut errors, "priority", &self.priority, Priority::parse)
        };
        let status = if self.status.trim().is_empty() {
            Some(TaskStatus::Open)
        } else {
            optional_choice(&mut errors, "status", &self.status, TaskStatus::parse)
        };
        if self.assignee_id.is_some_and(|id| id <= 0) {
            errors.add("assignee_id", "invalid-assignee");
        }
        let reminder_at = optional_instant(&mut errors, "reminder_at", &self.reminder_at);
        if let (Some(reminder), Some(due)) = (reminder_at, due)
            && reminder > due.deadline(zone)
        {
            errors.add("reminder_at", "invalid-reminder-after-due");
        }
        let links = crate::fields::links(&mut errors, &self.links, MAX_TASK_LINKS);
        match (title, notes, priority, status) {
            (Some(title), Some(notes), Some(priority), Some(status)) if errors.is_empty() => {
                Ok(TaskFields {
                    title,
                    notes,
                    due,
                    priority,
                    status,
                    assignee_id: self.assignee_id.map(UserId),
                    reminder_at,
                    links,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::activity::LinkType;

    fn istanbul() -> TimeZone {
        TimeZone::get("Europe/Istanbul").unwrap()
    }

    fn call_back() -> TaskInput {
        TaskInput {
            title: "Teklifi ara".into(),
            due_date: "2026-12-04".into(),
            links: vec![("person".into(), 7)],
            ..TaskInput::default()
        }
    }

    fn codes(input: &TaskInput) -> Vec<String> {
        match input.validate(&istanbul()) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .0
                .iter()
                .map(|e| format!("{}={}", e.field, e.code))
                .collect(),
        }
    }

    #[test]
    fn a_task_with_a_date_is_open_normal_and_due_all_that_day() {
        let fields = call_back().validate(&istanbul()).unwrap();
        assert_eq!(fields.status, TaskStatus::Open);
        assert_eq!(fields.priority, Priority::Normal);
        let due = fields.due.unwrap();
        assert_eq!(due.starts(&istanbul()).to_string(), "2026-12-03T21:00:00Z");
        assert_eq!(
            due.deadline(&istanbul()).to_string(),
            "2026-12-04T21:00:00Z"
        );
        assert_eq!(
            fields.links,
            [Link {
                record_type: LinkType::Person,
                record_id: 7
            }]
        );
    }

    #[test]
    fn every_refusal_names_its_field() {
        let input = TaskInput {
            title: " ".into(),
            notes: "n".repeat(5_001),
            due_date: "04.12.2026".into(),
            priority: "urgent".into(),
            status: "later".into(),
            assignee_id: Some(0),
            reminder_at: "yarın".into(),
            links: vec![("ticket".into(), 1)],
            ..TaskInput::default()
        };
        assert_eq!(
            codes(&input),
            [
                "title=invalid-required",
                "notes=invalid-too-long",
                "due_date=invalid-due-date",
                "priority=invalid-unknown-value",
                "status=invalid-unknown-value",
                "assignee_id=invalid-assignee",
                "reminder_at=invalid-datetime",
                "links[0].record_type=invalid-unknown-value",
            ]
        );
        let both = TaskInput {
            due_at: "2026-12-04T10:00:00+03:00".into(),
            ..call_back()
        };
        assert_eq!(codes(&both), ["due_at=invalid-due-twice"]);
    }

    #[test]
    fn a_reminder_may_ring_until_the_due_date_is_over_but_not_after() {
        let on_the_day = TaskInput {
            reminder_at: "2026-12-04T23:59:00+03:00".into(),
            ..call_back()
        };
        assert!(codes(&on_the_day).is_empty());
        let after = TaskInput {
            reminder_at: "2026-12-05T00:00:01+03:00".into(),
            ..call_back()
        };
        assert_eq!(codes(&after), ["reminder_at=invalid-reminder-after-due"]);
        let timed = TaskInput {
            due_date: String::new(),
            due_at: "2026-12-04T10:00:00+03:00".into(),
            reminder_at: "2026-12-04T10:00:01+03:00".into(),
            ..call_back()
        };
        assert_eq!(codes(&timed), ["reminder_at=invalid-reminder-after-due"]);
    }

    #[test]
    fn a_snooze_keeps_the_time_of_day_and_a_patch_swaps_date_for_time() {
        let at = Due::At("2026-12-04T07:30:00Z".parse().unwrap());
        assert_eq!(
            at.later_by(7, &istanbul()),
            Due::At("2026-12-11T07:30:00Z".parse().unwrap())
        );
        let date = Due::Date("2026-12-31".parse().unwrap());
        assert_eq!(
            date.later_by(1, &istanbul()),
            Due::Date("2027-01-01".parse().unwrap())
        );
        let fields = call_back().validate(&istanbul()).unwrap();
        let mut input = TaskInput::from_fields(&fields);
        assert_eq!(input.validate(&istanbul()).unwrap(), fields);
        TaskPatch {
            due_at: Some("2026-12-05T09:00:00+03:00".into()),
            ..TaskPatch::default()
        }
        .apply(&mut input);
        let moved = input.validate(&istanbul()).unwrap();
        assert_eq!(
            moved.due,
            Some(Due::At("2026-12-05T06:00:00Z".parse().unwrap()))
        );
    }

    #[test]
    fn overdue_means_open_and_past_the_end_of_the_due_day() {
        let fields = call_back().validate(&istanbul()).unwrap();
        let task = Task {
            id: TaskId(1),
            fields,
            links: Vec::new(),
            completed_at: None,
            completed_by: None,
            ownership: Ownership::default(),
            created_by: None,
            meta: RecordMeta {
                version: 1,
                created_at: Timestamp::UNIX_EPOCH,
                updated_at: Timestamp::UNIX_EPOCH,
                deleted_at: None,
            },
        };
        let evening: Timestamp = "2026-12-04T20:59:59Z".parse().unwrap();
        let midnight: Timestamp = "2026-12-04T21:00:00Z".parse().unwrap();
        assert!(!task.is_overdue(evening, &istanbul()));
        assert!(task.is_overdue(midnight, &istanbul()));
    }
}
