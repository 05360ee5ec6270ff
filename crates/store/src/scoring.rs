//! Lead scoring as stored: the rules (each write with its audit entry), the questions the
//! scoring asks a batch of records — which live records in an id range a filter lists,
//! which have held activities in a window — and the scores written back. Writing a score
//! moves neither the record's version nor its `updated_at`: a score is worked out, not
//! edited, and must not make an open form stale.
//!
//! The organisation's settings (a key and a JSON value) live here too: the BANT gate is
//! the first of them.

use crate::audit::AuditEntry;
use crate::codec::to_json;
use crate::kind::StoredKind;
use crate::listing::{PartyFilter, matching};
use crate::sql::{Conn, Row};
use crate::{Store, StoreError, now_micros};
use rehber_domain::access::Visibility;
use rehber_domain::filter::Rule;
use rehber_domain::scoring::{LeadScore, RuleContent, RuleTest, ScoringRule};
use sea_query::{Alias, Expr, ExprTrait, Func, OnConflict, Order, Query, SimpleExpr};
use std::collections::HashMap;

/// Outcomes of activities that did not happen with the customer: they do not count as
/// engagement.
const NOT_HELD: [&str; 6] = [
    "no_show",
    "rescheduled",
    "no_answer",
    "busy",
    "voicemail",
    "wrong_number",
];

const RULE_COLUMNS: [&str; 10] = [
    "id",
    "record_type",
    "name",
    "kind",
    "condition",
    "window_days",
    "points",
    "active",
    "position",
    "version",
];

fn read_rule(row: &Row) -> Result<ScoringRule, StoreError> {
    let kind: String = row.get("kind")?;
    let condition: String = row.get("condition")?;
    let condition: serde_json::Value = crate::codec::from_json(&condition)?;
    let test = RuleTest::read(&kind, &condition, row.get("window_days")?)
        .map_err(|code| StoreError::Corrupt(format!("scoring rule condition: {code}")))?;
    Ok(ScoringRule {
        id: row.get("id")?,
        record_type: row.get("record_type")?,
        name: row.get("name")?,
        test,
        points: row.get("points")?,
        active: row.get("active")?,
        position: row.get("position")?,
        version: row.get("version")?,
    })
}

fn rule_values(rule: &RuleContent) -> Vec<(&'static str, sea_query::Value)> {
    vec![
        ("record_type", rule.record_type.clone().into()),
        ("name", rule.name.clone().into()),
        ("kind", rule.test.kind().into()),
        ("condition", rule.test.condition_json().to_string().into()),
        ("window_days", rule.test.window_days().into()),
        ("points", rule.points.into()),
        ("active", rule.active.into()),
    ]
}

/// Which held activities an engagement question counts.
#[derive(Debug, Clone, Copy)]
pub struct Engagement<'a> {
    /// `person` or `company`.
    pub record_type: &'a str,
    /// An activity kind, or any kind when `None`.
    pub activity: Option<&'a str>,
    /// Held at or after (UTC microseconds)…
    pub since: i64,
    /// …and not after.
    pub until: i64,
}

impl Store {
    /// The scoring rules of a record type (every type when `None`), in their order.
    pub async fn scoring_rules(
        &self,
        record_type: Option<&str>,
    ) -> Result<Vec<ScoringRule>, StoreError> {
        let mut select = Query::select();
        select
            .columns(RULE_COLUMNS.map(Alias::new))
            .from(Alias::new("scoring_rules"))
            .order_by(Alias::new("record_type"), Order::Desc)
            .order_by(Alias::new("position"), Order::Asc)
            .order_by(Alias::new("id"), Order::Asc);
        if let Some(record_type) = record_type {
            select.and_where(Expr::col(Alias::new("record_type")).eq(record_type));
        }
        self.fetch_rows(&select)
            .await?
            .iter()
            .map(read_rule)
            .collect()
    }

    /// One rule.
    pub async fn scoring_rule(&self, id: i64) -> Result<ScoringRule, StoreError> {
        let mut select = Query::select();
        select
            .columns(RULE_COLUMNS.map(Alias::new))
            .from(Alias::new("scoring_rules"))
            .and_where(Expr::col(Alias::new("id")).eq(id));
        let rows = self.fetch_rows(&select).await?;
        read_rule(rows.first().ok_or(StoreError::NotFound)?)
    }

    /// Adds a rule after the others of its record type, with its audit entry.
    pub async fn insert_scoring_rule(
        &self,
        rule: &RuleContent,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut last = Query::select();
            last.expr(Func::coalesce([
                SimpleExpr::from(Func::max(Expr::col(Alias::new("position")))),
                Expr::val(0_i64),
            ]))
            .from(Alias::new("scoring_rules"))
            .and_where(Expr::col(Alias::new("record_type")).eq(rule.record_type.as_str()));
            let position = conn.fetch_i64(&last).await? + 1;
            let mut values = rule_values(rule);
            values.extend([
                ("position", position.into()),
                ("created_at", now.into()),
                ("updated_at", now.into()),
            ]);
            let (columns, values): (Vec<_>, Vec<_>) = values.into_iter().unzip();
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("scoring_rules"))
                .columns(columns.into_iter().map(Alias::new))
                .values_panic(values.into_iter().map(SimpleExpr::from))
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

    /// Changes rule `id` if it is still at `version`, with its audit entry.
    pub async fn update_scoring_rule(
        &self,
        id: i64,
        version: i64,
        rule: &RuleContent,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            conn.update_versioned("scoring_rules", id, version, rule_values(rule), now)
                .await?;
            conn.audit(&entry, now).await
        })
        .await
    }

    /// Removes rule `id`, with its audit entry. The scores it gave stay until the scores are
    /// worked out again (the services queue that).
    pub async fn delete_scoring_rule(&self, id: i64, entry: AuditEntry) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut delete = Query::delete();
            delete
                .from_table(Alias::new("scoring_rules"))
                .and_where(Expr::col(Alias::new("id")).eq(id));
            if conn.execute(&delete).await? == 0 {
                return Err(StoreError::NotFound);
            }
            conn.audit(&entry, now).await
        })
        .await
    }

    /// How many live records of a kind there are.
    pub async fn count_live<K: StoredKind>(&self) -> Result<i64, StoreError> {
        let mut select = Query::select();
        select
            .expr(Func::count(Expr::col(Alias::new("id"))))
            .from(Alias::new(K::TABLE.table))
            .and_where(Expr::col(Alias::new("deleted_at")).is_null());
        Ok(self
            .fetch_scalars(&select)
            .await?
            .first()
            .copied()
            .unwrap_or(0))
    }

    /// Up to `limit` ids of live records of a kind after `after`, in order: the batches a
    /// recalculation walks.
    pub async fn live_ids_after<K: StoredKind>(
        &self,
        after: i64,
        limit: u64,
    ) -> Result<Vec<i64>, StoreError> {
        let mut select = Query::select();
        select
            .column(Alias::new("id"))
            .from(Alias::new(K::TABLE.table))
            .and_where(Expr::col(Alias::new("id")).gt(after))
            .and_where(Expr::col(Alias::new("deleted_at")).is_null())
            .order_by(Alias::new("id"), Order::Asc)
            .limit(limit);
        self.fetch_scalars(&select).await
    }

    /// Which live records of a kind with ids from `first` to `last` the rule lists (a field
    /// rule's question; the rule is the one a list filter would use).
    pub async fn ids_matching<K: StoredKind>(
        &self,
        rule: &Rule,
        first: i64,
        last: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let filter = PartyFilter {
            rule: Some(rule.clone()),
            ..PartyFilter::default()
        };
        let dense = self.plan_custom(&filter).await?;
        let t = &K::TABLE;
        let id = Expr::col((Alias::new(t.table), Alias::new("id")));
        let mut query = matching(self.backend(), t, Visibility::All, &filter, &dense);
        query
            .expr(id.clone())
            .and_where(id.clone().gte(first))
            .and_where(id.lte(last));
        self.fetch_scalars(&query).await
    }

    /// Which records of `engagement.record_type` with ids from `first` to `last` have a held
    /// activity in the window: done, not deleted, and not one that did not take place (a
    /// no-show, an unanswered call).
    pub async fn ids_engaged(
        &self,
        engagement: Engagement<'_>,
        first: i64,
        last: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let link = |c: &str| Expr::col((Alias::new("activity_links"), Alias::new(c)));
        let activity = |c: &str| Expr::col((Alias::new("activities"), Alias::new(c)));
        let mut query = Query::select();
        query
            .distinct()
            .expr(link("record_id"))
            .from(Alias::new("activity_links"))
            .inner_join(
                Alias::new("activities"),
                activity("id").equals((Alias::new("activity_links"), Alias::new("activity_id"))),
            )
            .and_where(link("record_type").eq(engagement.record_type))
            .and_where(link("record_id").gte(first))
            .and_where(link("record_id").lte(last))
            .and_where(activity("deleted_at").is_null())
            .and_where(activity("status").eq("done"))
            .and_where(activity("starts_at").gte(engagement.since))
            .and_where(activity("starts_at").lte(engagement.until))
            .and_where(
                activity("outcome")
                    .is_null()
                    .or(activity("outcome").is_not_in(NOT_HELD)),
            );
        if let Some(kind) = engagement.activity {
            query.and_where(activity("kind").eq(kind));
        }
        self.fetch_scalars(&query).await
    }

    /// The stored scores of the live records of a kind with ids from `first` to `last`,
    /// by id; `None` for a record never scored.
    pub async fn stored_scores<K: StoredKind>(
        &self,
        first: i64,
        last: i64,
    ) -> Result<HashMap<i64, Option<LeadScore>>, StoreError> {
        let mut select = Query::select();
        select
            .columns(["id", "lead_score", "lead_score_breakdown", "lead_scored_at"].map(Alias::new))
            .from(Alias::new(K::TABLE.table))
            .and_where(Expr::col(Alias::new("id")).gte(first))
            .and_where(Expr::col(Alias::new("id")).lte(last))
            .and_where(Expr::col(Alias::new("deleted_at")).is_null());
        self.fetch_rows(&select)
            .await?
            .iter()
            .map(|row| {
                let score = crate::party::read_score(row)?;
                Ok((row.get("id")?, score.scored_at.is_some().then_some(score)))
            })
            .collect()
    }

    /// Writes the scores of records of a kind, in one transaction, without moving their
    /// versions.
    pub async fn write_scores<K: StoredKind>(
        &self,
        scores: &[(i64, LeadScore)],
    ) -> Result<(), StoreError> {
        if scores.is_empty() {
            return Ok(());
        }
        let table = K::TABLE.table;
        self.write(async |conn| {
            match conn {
                // One statement for the batch: a round trip per row is most of the time of
                // a recalculation on a server over a network.
                Conn::Postgres(c) => {
                    let sql = format!(
                        "UPDATE {table} AS t SET lead_score = u.score, \
                         lead_score_breakdown = u.breakdown, lead_scored_at = u.scored_at \
                         FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::bigint[]) \
                         AS u(id, score, breakdown, scored_at) WHERE t.id = u.id"
                    );
                    let ids: Vec<i64> = scores.iter().map(|(id, _)| *id).collect();
                    let values: Vec<i64> = scores.iter().map(|(_, s)| s.score).collect();
                    let breakdowns: Vec<String> =
                        scores.iter().map(|(_, s)| to_json(&s.breakdown)).collect();
                    let at: Vec<Option<i64>> = scores
                        .iter()
                        .map(|(_, s)| s.scored_at.map(|t| t.as_microsecond()))
                        .collect();
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(ids)
                        .bind(values)
                        .bind(breakdowns)
                        .bind(at)
                        .execute(&mut **c)
                        .await?;
                }
                // The process's writer already sends queued statements together.
                Conn::Sqlite(_) => {
                    for (id, score) in scores {
                        let mut update = Query::update();
                        update
                            .table(Alias::new(table))
                            .value(Alias::new("lead_score"), score.score)
                            .value(
                                Alias::new("lead_score_breakdown"),
                                to_json(&score.breakdown),
                            )
                            .value(
                                Alias::new("lead_scored_at"),
                                score.scored_at.map(|t| t.as_microsecond()),
                            )
                            .and_where(Expr::col(Alias::new("id")).eq(*id));
                        conn.queue(&update).await?;
                    }
                }
            }
            Ok(())
        })
        .await
    }

    /// An organisation setting's JSON value, if an administrator set it.
    pub async fn setting(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let mut select = Query::select();
        select
            .column(Alias::new("value"))
            .from(Alias::new("settings"))
            .and_where(Expr::col(Alias::new("key")).eq(key));
        let rows = self.fetch_rows(&select).await?;
        match rows.first() {
            Some(row) => Ok(Some(crate::codec::from_json(&row.get::<String>("value")?)?)),
            None => Ok(None),
        }
    }

    /// Sets an organisation setting, with its audit entry.
    pub async fn put_setting(
        &self,
        key: &str,
        value: &serde_json::Value,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("settings"))
                .columns(["key", "value", "updated_at"].map(Alias::new))
                .values_panic([key.into(), value.to_string().into(), now.into()])
                .on_conflict(
                    OnConflict::column(Alias::new("key"))
                        .update_columns(["value", "updated_at"].map(Alias::new))
                        .to_owned(),
                );
            conn.execute(&insert).await?;
            conn.audit(&entry, now).await
        })
        .await
    }
}
