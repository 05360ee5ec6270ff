//! Sales targets as stored: read through the caller's sales scope (a rep their own, a
//! manager their team's and its members', everyone else all), written with their audit
//! entry. Two targets of the same subject and measure never overlap: the check runs in the
//! write's transaction, with the subject's row locked on PostgreSQL, so two writes at once
//! cannot both pass it.

use crate::audit::AuditEntry;
use crate::sql::{Conn, Row};
use crate::{Scoped, Store, StoreError, now_micros};
use jiff::civil::Date;
use rehber_domain::access::RecordKind;
use rehber_domain::target::{Period, SalesTarget, TargetFields, TargetMetric, TargetSubject};
use rehber_domain::{TeamId, UserId, Visibility};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SimpleExpr};

/// The name a refused overlap carries (as if it were a constraint of the table).
pub const OVERLAP: &str = "sales_targets_overlap";

const COLUMNS: [&str; 9] = [
    "id",
    "period_start",
    "period_end",
    "user_id",
    "team_id",
    "metric",
    "target_minor",
    "currency",
    "version",
];

fn col(name: &str) -> Expr {
    Expr::col((Alias::new("sales_targets"), Alias::new(name)))
}

fn read(row: &Row) -> Result<SalesTarget, StoreError> {
    let date = |column: &str| -> Result<Date, StoreError> {
        let text: String = row.get(column)?;
        text.parse()
            .map_err(|_| StoreError::Corrupt(format!("{column} {text}")))
    };
    let user: Option<i64> = row.get("user_id")?;
    let team: Option<i64> = row.get("team_id")?;
    let subject = match (user, team) {
        (Some(user), _) => TargetSubject::User(UserId(user)),
        (None, Some(team)) => TargetSubject::Team(TeamId(team)),
        (None, None) => return Err(StoreError::Corrupt("target without a subject".into())),
    };
    let metric: String = row.get("metric")?;
    Ok(SalesTarget {
        id: row.get("id")?,
        fields: TargetFields {
            period: Period {
                start: date("period_start")?,
                end: date("period_end")?,
            },
            subject,
            metric: TargetMetric::parse(&metric).ok_or(StoreError::Corrupt(metric))?,
            target: row.get("target_minor")?,
            currency: row.get("currency")?,
        },
        version: row.get("version")?,
    })
}

fn values(fields: &TargetFields) -> Vec<(&'static str, sea_query::Value)> {
    let (user, team) = match fields.subject {
        TargetSubject::User(user) => (Some(user.0), None),
        TargetSubject::Team(team) => (None, Some(team.0)),
    };
    vec![
        ("period_start", fields.period.start.to_string().into()),
        ("period_end", fields.period.end.to_string().into()),
        ("user_id", user.into()),
        ("team_id", team.into()),
        ("metric", fields.metric.as_str().into()),
        ("target_minor", fields.target.into()),
        ("currency", fields.currency.clone().into()),
    ]
}

/// The targets a visibility reaches: all; a team's own and its members'; a user's own.
fn target_scope(visibility: Visibility) -> Cond {
    match visibility {
        Visibility::All => Cond::all(),
        Visibility::Team(team) => {
            let mut members = Query::select();
            members
                .column(Alias::new("id"))
                .from(Alias::new("users"))
                .and_where(Expr::col((Alias::new("users"), Alias::new("team_id"))).eq(team.0));
            Cond::any()
                .add(col("team_id").eq(team.0))
                .add(col("user_id").in_subquery(members))
        }
        Visibility::Owner(user) => Cond::all().add(col("user_id").eq(user.0)),
    }
}

fn subject_condition(subject: TargetSubject) -> SimpleExpr {
    match subject {
        TargetSubject::User(user) => col("user_id").eq(user.0),
        TargetSubject::Team(team) => col("team_id").eq(team.0),
    }
}

impl Scoped<'_> {
    /// The targets the caller may see that share a day with `within` (all when `None`),
    /// by period, then subject.
    pub async fn targets(&self, within: Option<Period>) -> Result<Vec<SalesTarget>, StoreError> {
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(|c| (Alias::new("sales_targets"), Alias::new(c))))
            .from(Alias::new("sales_targets"))
            .cond_where(target_scope(self.visibility_of(RecordKind::Deal)))
            .order_by(
                (Alias::new("sales_targets"), Alias::new("period_start")),
                Order::Asc,
            )
            .order_by(
                (Alias::new("sales_targets"), Alias::new("team_id")),
                Order::Asc,
            )
            .order_by(
                (Alias::new("sales_targets"), Alias::new("user_id")),
                Order::Asc,
            )
            .order_by(
                (Alias::new("sales_targets"), Alias::new("metric")),
                Order::Asc,
            );
        if let Some(period) = within {
            select
                .and_where(col("period_start").lte(period.end.to_string()))
                .and_where(col("period_end").gte(period.start.to_string()));
        }
        self.store()
            .fetch_rows(&select)
            .await?
            .iter()
            .map(read)
            .collect()
    }

    /// One target the caller may see; one outside the view is not found.
    pub async fn target(&self, id: i64) -> Result<SalesTarget, StoreError> {
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(|c| (Alias::new("sales_targets"), Alias::new(c))))
            .from(Alias::new("sales_targets"))
            .and_where(col("id").eq(id))
            .cond_where(target_scope(self.visibility_of(RecordKind::Deal)));
        let rows = self.store().fetch_rows(&select).await?;
        rows.first()
            .map(read)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }
}

/// Refuses `fields` when another target (not `except`) of its subject and measure shares a
/// day with it.
async fn check_overlap(
    conn: &mut Conn<'_>,
    fields: &TargetFields,
    except: Option<i64>,
) -> Result<(), StoreError> {
    if conn.backend() == crate::Backend::Postgres {
        let (table, id) = match fields.subject {
            TargetSubject::User(user) => ("users", user.0),
            TargetSubject::Team(team) => ("teams", team.0),
        };
        let mut lock = Query::select();
        lock.column(Alias::new("id"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("id")).eq(id))
            .lock(sea_query::LockType::Update);
        conn.fetch_all(&lock).await?;
    }
    let mut select = Query::select();
    select
        .expr(Expr::cust("COUNT(*)"))
        .from(Alias::new("sales_targets"))
        .and_where(subject_condition(fields.subject))
        .and_where(col("metric").eq(fields.metric.as_str()))
        .and_where(col("period_start").lte(fields.period.end.to_string()))
        .and_where(col("period_end").gte(fields.period.start.to_string()));
    if let Some(id) = except {
        select.and_where(col("id").ne(id));
    }
    if conn.fetch_i64(&select).await? > 0 {
        return Err(StoreError::Unique(OVERLAP.into()));
    }
    Ok(())
}

impl Store {
    /// Adds a target unless it overlaps another of its subject and measure, with its audit
    /// entry (whose `record_id` is filled in).
    pub async fn insert_target(
        &self,
        fields: &TargetFields,
        created_by: UserId,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            check_overlap(conn, fields, None).await?;
            let mut row = values(fields);
            row.extend([
                ("created_by", created_by.0.into()),
                ("created_at", now.into()),
                ("updated_at", now.into()),
            ]);
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("sales_targets"))
                .columns(row.iter().map(|(c, _)| Alias::new(*c)))
                .values_panic(row.into_iter().map(|(_, v)| SimpleExpr::from(v)))
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            conn.audit(
                &AuditEntry {
                    record_id: id,
                    ..entry
                },
                now,
            )
            .await?;
            Ok(id)
        })
        .await
    }

    /// Replaces target `id` if it is still at `version` and the new content overlaps no
    /// other target of its subject and measure, with its audit entry.
    pub async fn update_target(
        &self,
        id: i64,
        version: i64,
        fields: &TargetFields,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            check_overlap(conn, fields, Some(id)).await?;
            conn.update_versioned("sales_targets", id, version, values(fields), now)
                .await?;
            conn.audit(&entry, now).await
        })
        .await
    }

    /// Removes target `id`, with its audit entry.
    pub async fn delete_target(&self, id: i64, entry: AuditEntry) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut delete = Query::delete();
            delete
                .from_table(Alias::new("sales_targets"))
                .and_where(Expr::col(Alias::new("id")).eq(id));
            if conn.execute(&delete).await? == 0 {
                return Err(StoreError::NotFound);
            }
            conn.audit(&entry, now).await
        })
        .await
    }
}
