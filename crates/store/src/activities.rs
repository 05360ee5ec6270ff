//! Activities and their links: insert (with the links and the audit entry, in one write),
//! get, list (by linked record, kind, status and time; latest first, by key), update with
//! the version check, and soft delete.
//!
//! Reads go through a [`Scoped`] handle: an activity carries the owner and team of the record
//! it was first linked to, and the scope filter reads them like any record's. Which links a
//! caller may make, and whose ownership an activity takes, are the services' decisions.

use crate::audit::AuditEntry;
use crate::codec::{parse_stored, timestamp};
use crate::links::ACTIVITY_LINKS;
use crate::listing::{Page, PageRequest};
use crate::party::{ownership_values, read_meta, read_ownership};
use crate::scope::scope_condition;
use crate::sql::Row;
use crate::{Scoped, Store, StoreError};
use rehber_domain::access::RecordKind;
use rehber_domain::activity::{
    Activity, ActivityFields, ActivityKind, ActivityStatus, Direction, Link, Outcome, StoredLink,
};
use rehber_domain::ids::{ActivityId, UserId};
use rehber_domain::party::Ownership;
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SimpleExpr, Value};

const TABLE: &str = "activities";
/// The most activities one page holds.
pub const MAX_ACTIVITY_PAGE: u32 = 200;

/// What a list of activities is narrowed to (all given conditions hold).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityFilter {
    /// Linked to this record.
    pub link: Option<Link>,
    pub kind: Option<ActivityKind>,
    pub status: Option<ActivityStatus>,
    /// Starting at or after (UTC microseconds).
    pub from: Option<i64>,
    /// Starting before.
    pub to: Option<i64>,
    /// Owned (through the record it was logged against) or logged by this user: their
    /// agenda and calendar.
    pub involving: Option<UserId>,
}

/// A list page's position: after the activity starting at `.0` with id `.1` (latest first).
/// As text, `<starts_at>.<id>`.
pub fn encode_activity_cursor(starts_at: i64, id: i64) -> String {
    format!("{starts_at}.{id}")
}

/// The position a cursor names; `None` when it is not one [`encode_activity_cursor`] makes.
pub fn parse_activity_cursor(text: &str) -> Option<(i64, i64)> {
    let (starts_at, id) = text.trim().split_once('.')?;
    Some((starts_at.parse().ok()?, id.parse().ok()?))
}

fn col(name: &str) -> SimpleExpr {
    Expr::col((Alias::new(TABLE), Alias::new(name)))
}

fn micros(at: jiff::Timestamp) -> i64 {
    at.as_microsecond()
}

/// The content columns and their values.
fn values(fields: &ActivityFields) -> Vec<(&'static str, Value)> {
    vec![
        ("kind", fields.kind.as_str().into()),
        ("direction", fields.direction.map(|d| d.as_str()).into()),
        ("status", fields.status.as_str().into()),
        ("subject", fields.subject.clone().into()),
        ("body", fields.body.clone().into()),
        ("starts_at", micros(fields.starts_at).into()),
        ("ends_at", fields.ends_at.map(micros).into()),
        ("all_day", fields.all_day.into()),
        ("outcome", fields.outcome.map(|o| o.as_str()).into()),
        ("location", fields.location.clone().into()),
        ("latitude", fields.coordinates.map(|c| c.0).into()),
        ("longitude", fields.coordinates.map(|c| c.1).into()),
    ]
}

const COLUMNS: [&str; 20] = [
    "id",
    "kind",
    "direction",
    "status",
    "subject",
    "body",
    "starts_at",
    "ends_at",
    "all_day",
    "outcome",
    "location",
    "latitude",
    "longitude",
    "owner_id",
    "team_id",
    "created_by",
    "version",
    "created_at",
    "updated_at",
    "deleted_at",
];

fn choice<T>(
    row: &Row,
    column: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, StoreError> {
    parse_stored(row.get::<Option<String>>(column)?.as_deref(), parse)
}

fn required<T>(row: &Row, column: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    choice(row, column, parse)?
        .ok_or_else(|| StoreError::Corrupt(format!("activities.{column} is empty")))
}

/// An activity from its row and its links.
fn read(row: &Row, links: Vec<StoredLink>) -> Result<Activity, StoreError> {
    let coordinates = match (
        row.get::<Option<f64>>("latitude")?,
        row.get::<Option<f64>>("longitude")?,
    ) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        _ => None,
    };
    let fields = ActivityFields {
        kind: required(row, "kind", ActivityKind::parse)?,
        direction: choice(row, "direction", Direction::parse)?,
        status: required(row, "status", ActivityStatus::parse)?,
        subject: row.get("subject")?,
        body: row.get("body")?,
        starts_at: timestamp(row.get("starts_at")?)?,
        ends_at: row
            .get::<Option<i64>>("ends_at")?
            .map(timestamp)
            .transpose()?,
        all_day: row.get("all_day")?,
        outcome: choice(row, "outcome", Outcome::parse)?,
        location: row.get("location")?,
        coordinates,
        links: links
            .iter()
            .filter(|l| !l.automatic)
            .map(|l| l.link)
            .collect(),
    };
    Ok(Activity {
        id: ActivityId(row.get("id")?),
        fields,
        links,
        ownership: read_ownership(row)?,
        created_by: row.get::<Option<i64>>("created_by")?.map(UserId),
        meta: read_meta(row)?,
    })
}

impl Store {
    /// Inserts an activity, its links and its "created" audit entry (whose `record_id` is
    /// filled in).
    pub async fn insert_activity(
        &self,
        fields: &ActivityFields,
        links: &[StoredLink],
        ownership: Ownership,
        created_by: UserId,
        entry: AuditEntry,
    ) -> Result<ActivityId, StoreError> {
        let mut pairs = values(fields);
        pairs.extend(ownership_values(ownership));
        self.insert_linked(ACTIVITY_LINKS, pairs, links, created_by, entry)
            .await
            .map(ActivityId)
    }

    /// Replaces a live activity's content and links if `expected_version` is current (else
    /// [`StoreError::StaleVersion`]); its owner and team stay.
    pub async fn update_activity(
        &self,
        id: ActivityId,
        expected_version: i64,
        fields: &ActivityFields,
        links: &[StoredLink],
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        self.update_linked(
            ACTIVITY_LINKS,
            id.0,
            expected_version,
            values(fields),
            links,
            entry,
        )
        .await
    }

    /// Moves a live activity to the trash; [`StoreError::NotFound`] when there is none.
    pub async fn delete_activity(
        &self,
        id: ActivityId,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        self.trash_row(TABLE, id.0, entry).await
    }
}

impl Scoped<'_> {
    /// One live activity the viewer may see; any other is [`StoreError::NotFound`].
    pub async fn activity(&self, id: ActivityId) -> Result<Activity, StoreError> {
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(|c| (Alias::new(TABLE), Alias::new(c))))
            .from(Alias::new(TABLE))
            .and_where(col("id").eq(id.0))
            .and_where(col("deleted_at").is_null())
            .cond_where(scope_condition(
                TABLE,
                self.visibility_of(RecordKind::Activity),
            ));
        let rows = self.store().fetch_rows(&select).await?;
        let row = rows.first().ok_or(StoreError::NotFound)?;
        let mut links = self.store().links_of(ACTIVITY_LINKS, &[id.0]).await?;
        read(row, links.remove(&id.0).unwrap_or_default())
    }

    /// A page of the live activities the viewer may see that match `filter`, latest start
    /// first.
    pub async fn activities(
        &self,
        filter: &ActivityFilter,
        after: Option<(i64, i64)>,
        page: &PageRequest,
    ) -> Result<Page<Activity>, StoreError> {
        let limit = page.limit.clamp(1, MAX_ACTIVITY_PAGE);
        let mut condition = Cond::all()
            .add(col("deleted_at").is_null())
            .add(scope_condition(
                TABLE,
                self.visibility_of(RecordKind::Activity),
            ));
        if let Some(link) = filter.link {
            condition = condition.add(ACTIVITY_LINKS.linked_to(col("id"), link));
        }
        if let Some(user) = filter.involving {
            condition = condition.add(
                Cond::any()
                    .add(col("owner_id").eq(user.0))
                    .add(col("created_by").eq(user.0)),
            );
        }
        if let Some(kind) = filter.kind {
            condition = condition.add(col("kind").eq(kind.as_str()));
        }
        if let Some(status) = filter.status {
            condition = condition.add(col("status").eq(status.as_str()));
        }
        if let Some(from) = filter.from {
            condition = condition.add(col("starts_at").gte(from));
        }
        if let Some(to) = filter.to {
            condition = condition.add(col("starts_at").lt(to));
        }
        if let Some((starts_at, id)) = after {
            condition = condition.add(
                Cond::any()
                    .add(col("starts_at").lt(starts_at))
                    .add(col("starts_at").eq(starts_at).and(col("id").lt(id))),
            );
        }
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(|c| (Alias::new(TABLE), Alias::new(c))))
            .from(Alias::new(TABLE))
            .cond_where(condition)
            .order_by((Alias::new(TABLE), Alias::new("starts_at")), Order::Desc)
            .order_by((Alias::new(TABLE), Alias::new("id")), Order::Desc)
            .limit(u64::from(limit) + 1);
        let mut rows = self.store().fetch_rows(&select).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.get::<i64>("id"))
            .collect::<Result<_, _>>()?;
        let mut links = self.store().links_of(ACTIVITY_LINKS, &ids).await?;
        let items = rows
            .iter()
            .zip(&ids)
            .map(|(row, id)| read(row, links.remove(id).unwrap_or_default()))
            .collect::<Result<Vec<_>, _>>()?;
        let next_cursor = items
            .last()
            .filter(|_| more)
            .map(|last| encode_activity_cursor(micros(last.fields.starts_at), last.id.0));
        Ok(Page { items, next_cursor })
    }
}
