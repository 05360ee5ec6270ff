//! The walk of an erasure: what it finds, and when applied, writes.

use super::redact::{TextColumn, redact_column};
use super::{Erasure, ErasureBlocker, ErasureFindings, RetainedDocument, hashed_address, ids_list};
use crate::kind::StoredKind;
use crate::sql::{Conn, Row};
use crate::{Backend, StoreError};
use rehber_domain::party::People;
use sea_query::Value;
use sea_query_sqlx::SqlxValues;

impl Conn<'_> {
    /// Rows of a hand-written statement (`?` placeholders on SQLite, `$n` on PostgreSQL).
    pub(super) async fn fetch_sql(
        &mut self,
        sql: String,
        values: Vec<Value>,
    ) -> Result<Vec<Row>, StoreError> {
        self.fetch_raw(sql, SqlxValues(sea_query::Values(values)))
            .await
    }

    pub(super) async fn execute_sql(
        &mut self,
        sql: String,
        values: Vec<Value>,
    ) -> Result<u64, StoreError> {
        self.execute_raw(sql, SqlxValues(sea_query::Values(values)))
            .await
    }

    async fn ids_of(&mut self, sql: String) -> Result<Vec<i64>, StoreError> {
        let rows = self.fetch_sql(sql, Vec::new()).await?;
        rows.iter().map(|r| r.get::<i64>("id")).collect()
    }

    async fn count(&mut self, sql: String) -> Result<i64, StoreError> {
        let rows = self.fetch_sql(sql, Vec::new()).await?;
        rows.first().map_or(Ok(0), |r| r.get::<i64>("n"))
    }
}

/// The walk of an erasure: finds, and when `apply` writes, everything it does.
pub(super) async fn walk(
    conn: &mut Conn<'_>,
    erasure: &Erasure<'_>,
    columns: &[TextColumn],
    apply: bool,
    now: i64,
) -> Result<ErasureFindings, StoreError> {
    let people: Vec<i64> = erasure.records.iter().map(|r| r.0).collect();
    let ids = ids_list(&people);
    let mut found = ErasureFindings {
        people: people.clone(),
        ..ErasureFindings::default()
    };
    blockers_and_retained(conn, &ids, &mut found).await?;
    same_contact(conn, erasure, &ids, &mut found).await?;

    // Activities and tasks linked to no one else go; shared ones stay (their texts are
    // redacted below).
    let only_theirs = |item: &str, links: &str| {
        format!(
            "SELECT DISTINCT {item} AS id FROM {links} WHERE record_type = 'person' AND record_id IN ({ids}) \
             AND {item} NOT IN (SELECT {item} FROM {links} WHERE NOT (record_type = 'person' AND record_id IN ({ids})))"
        )
    };
    let activities = conn
        .ids_of(only_theirs("activity_id", "activity_links"))
        .await?;
    let tasks = conn.ids_of(only_theirs("task_id", "task_links")).await?;
    let comments = conn
        .ids_of(format!(
            "SELECT id FROM comments WHERE record_type = 'person' AND record_id IN ({ids})"
        ))
        .await?;
    let attachment_rows = conn
        .fetch_sql(
            format!("SELECT id, storage_key FROM attachments WHERE record_type = 'person' AND record_id IN ({ids})"),
            Vec::new(),
        )
        .await?;
    let attachments: Vec<i64> = attachment_rows
        .iter()
        .map(|r| r.get::<i64>("id"))
        .collect::<Result<_, _>>()?;
    let (a, t, c, f) = (
        ids_list(&activities),
        ids_list(&tasks),
        ids_list(&comments),
        ids_list(&attachments),
    );
    let exports = conn
        .fetch_sql(
            format!("SELECT id, file_key FROM data_requests WHERE person_id IN ({ids}) AND file_key IS NOT NULL"),
            Vec::new(),
        )
        .await?;
    let notifications = format!(
        "(subject_type = 'person' AND subject_id IN ({ids})) OR (subject_type = 'task' AND subject_id IN ({}))\
         {}",
        if t.is_empty() { "0".into() } else { t.clone() },
        if c.is_empty() {
            String::new()
        } else {
            format!(" OR comment_id IN ({c})")
        }
    );
    let person_fields = "SELECT id FROM custom_fields WHERE record_type = 'person'";
    let counts = [
        ("activities", activities.len() as i64),
        ("tasks", tasks.len() as i64),
        ("comments", comments.len() as i64),
        ("attachments", attachments.len() as i64),
        ("data_exports", exports.len() as i64),
        (
            "notifications",
            conn.count(format!("SELECT COUNT(*) AS n FROM notifications WHERE {notifications}"))
                .await?,
        ),
        (
            "custom_values",
            conn.count(format!(
                "SELECT COUNT(*) AS n FROM custom_values WHERE record_id IN ({ids}) AND field_id IN ({person_fields})"
            ))
            .await?,
        ),
        (
            "tags",
            conn.count(format!("SELECT COUNT(*) AS n FROM person_tags WHERE person_id IN ({ids})"))
                .await?,
        ),
        (
            "price_lists",
            conn.count(format!(
                "SELECT COUNT(*) AS n FROM price_list_customers WHERE record_type = 'person' AND record_id IN ({ids})"
            ))
            .await?,
        ),
    ];
    found.deleted = counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    found.consents_hashed = conn
        .count(format!(
            "SELECT COUNT(*) AS n FROM consents WHERE person_id IN ({ids}) AND address IS NOT NULL AND address NOT LIKE 'sha256:%'"
        ))
        .await?;

    if apply {
        let mut deletes = vec![
            format!("DELETE FROM notifications WHERE {notifications}"),
            format!(
                "DELETE FROM custom_values WHERE record_id IN ({ids}) AND field_id IN ({person_fields})"
            ),
            format!("DELETE FROM person_tags WHERE person_id IN ({ids})"),
            // An import's undo must never bring their content back.
            format!(
                "DELETE FROM import_updates WHERE record_type = 'person' AND record_id IN ({ids})"
            ),
            format!(
                "DELETE FROM price_list_customers WHERE record_type = 'person' AND record_id IN ({ids})"
            ),
            format!(
                "UPDATE data_requests SET file_key = NULL, file_size = NULL WHERE person_id IN ({ids})"
            ),
        ];
        if !a.is_empty() {
            deletes.push(format!(
                "DELETE FROM activity_links WHERE activity_id IN ({a})"
            ));
            deletes.push(format!("DELETE FROM activities WHERE id IN ({a})"));
        }
        if !t.is_empty() {
            deletes.push(format!("DELETE FROM task_links WHERE task_id IN ({t})"));
            deletes.push(format!("DELETE FROM tasks WHERE id IN ({t})"));
        }
        if !c.is_empty() {
            deletes.push(format!(
                "DELETE FROM comment_mentions WHERE comment_id IN ({c})"
            ));
            deletes.push(format!("DELETE FROM comments WHERE id IN ({c})"));
        }
        if !f.is_empty() {
            deletes.push(format!(
                "UPDATE consents SET evidence_attachment_id = NULL WHERE evidence_attachment_id IN ({f})"
            ));
            deletes.push(format!("DELETE FROM attachments WHERE id IN ({f})"));
        }
        for sql in deletes {
            conn.execute_sql(sql, Vec::new()).await?;
        }
        for row in attachment_rows.iter().chain(&exports) {
            let key: String = row
                .get::<String>("storage_key")
                .or_else(|_| row.get::<String>("file_key"))?;
            found.orphaned_files.push(key);
        }
        anonymise(conn, erasure, now).await?;
        hash_consents(conn, erasure.pepper, &ids).await?;
    }

    for column in columns {
        redact_column(conn, erasure.terms, column, &ids, apply, now, &mut found).await?;
    }
    if apply {
        // The contact keys follow the record's addresses (triggers); none may stay behind.
        conn.execute_sql(
            format!(
                "DELETE FROM contact_keys WHERE record_type = 'person' AND record_id IN ({ids})"
            ),
            Vec::new(),
        )
        .await?;
    }
    Ok(found)
}

async fn blockers_and_retained(
    conn: &mut Conn<'_>,
    ids: &str,
    found: &mut ErasureFindings,
) -> Result<(), StoreError> {
    let rows = conn
        .fetch_sql(
            format!(
                "SELECT kind, id, number, status, CASE WHEN company_id IS NULL AND (status = 'draft' \
                 OR (status = 'posted' AND kind = 'invoice' AND gross_minor > paid_minor)) THEN 1 ELSE 0 END AS blocks \
                 FROM invoices WHERE person_id IN ({ids}) ORDER BY id"
            ),
            Vec::new(),
        )
        .await?;
    for row in rows {
        let (kind, id, number, status) = (
            row.get::<String>("kind")?,
            row.get::<i64>("id")?,
            row.get::<Option<String>>("number")?,
            row.get::<String>("status")?,
        );
        if row.get::<i32>("blocks")? == 1 {
            found.blockers.push(ErasureBlocker {
                kind: "invoice".into(),
                id,
                number,
                status,
            });
        } else if status != "draft" {
            found.retained.push(RetainedDocument { kind, id, number });
        }
    }
    let orders = conn
        .fetch_sql(
            format!("SELECT id, number, status, company_id FROM orders WHERE person_id IN ({ids}) ORDER BY id"),
            Vec::new(),
        )
        .await?;
    for row in orders {
        let (id, number, status) = (
            row.get::<i64>("id")?,
            row.get::<Option<String>>("number")?,
            row.get::<String>("status")?,
        );
        let open = !["delivered", "closed", "cancelled"].contains(&status.as_str());
        if open && row.get::<Option<i64>>("company_id")?.is_none() {
            found.blockers.push(ErasureBlocker {
                kind: "order".into(),
                id,
                number,
                status,
            });
        } else {
            found.retained.push(RetainedDocument {
                kind: "order".into(),
                id,
                number,
            });
        }
    }
    for (kind, table) in [("payment", "payments"), ("quote", "quotes")] {
        let rows = conn
            .fetch_sql(
                format!("SELECT id, number FROM {table} WHERE person_id IN ({ids}) ORDER BY id"),
                Vec::new(),
            )
            .await?;
        for row in rows {
            found.retained.push(RetainedDocument {
                kind: kind.into(),
                id: row.get::<i64>("id")?,
                number: row.get::<Option<String>>("number")?,
            });
        }
    }
    found.ledger_entries = conn
        .count(format!(
            "SELECT COUNT(*) AS n FROM ledger_entries WHERE person_id IN ({ids})"
        ))
        .await?;
    Ok(())
}

async fn same_contact(
    conn: &mut Conn<'_>,
    erasure: &Erasure<'_>,
    ids: &str,
    found: &mut ErasureFindings,
) -> Result<(), StoreError> {
    if erasure.contact_keys.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (1..=erasure.contact_keys.len())
        .map(|n| match conn.backend() {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${n}"),
        })
        .collect();
    let sql = format!(
        "SELECT DISTINCT record_id AS id FROM contact_keys WHERE record_type = 'person' \
         AND record_id NOT IN ({ids}) AND key IN ({}) ORDER BY 1",
        placeholders.join(", ")
    );
    let values = erasure
        .contact_keys
        .iter()
        .map(|k| Value::from(k.clone()))
        .collect();
    let rows = conn.fetch_sql(sql, values).await?;
    found.same_contact = rows
        .iter()
        .map(|r| r.get::<i64>("id"))
        .collect::<Result<_, _>>()?;
    Ok(())
}

/// Gives each record its anonymous content and moves it to the trash.
async fn anonymise(conn: &mut Conn<'_>, erasure: &Erasure<'_>, now: i64) -> Result<(), StoreError> {
    for (id, version, fields, ownership) in &erasure.records {
        let mut update = sea_query::Query::update();
        update.table(sea_query::Alias::new("people"));
        for (column, value) in People::values(fields, *ownership) {
            update.value(sea_query::Alias::new(column), value);
        }
        let col = |name: &str| sea_query::Expr::col(sea_query::Alias::new(name));
        use sea_query::ExprTrait;
        update
            .value(sea_query::Alias::new("version"), col("version").add(1))
            .value(sea_query::Alias::new("updated_at"), now)
            .value(
                sea_query::Alias::new("deleted_at"),
                sea_query::Func::coalesce([col("deleted_at"), sea_query::Expr::val(now)]),
            )
            .and_where(col("id").eq(*id))
            .and_where(col("version").eq(*version));
        if conn.execute(&update).await? == 0 {
            return Err(StoreError::StaleVersion);
        }
    }
    Ok(())
}

async fn hash_consents(conn: &mut Conn<'_>, pepper: &str, ids: &str) -> Result<(), StoreError> {
    let rows = conn
        .fetch_sql(
            format!(
                "SELECT id, address FROM consents WHERE person_id IN ({ids}) AND address IS NOT NULL AND address NOT LIKE 'sha256:%'"
            ),
            Vec::new(),
        )
        .await?;
    let sql = match conn.backend() {
        Backend::Sqlite => "UPDATE consents SET address = ? WHERE id = ?",
        Backend::Postgres => "UPDATE consents SET address = $1 WHERE id = $2",
    };
    for row in rows {
        let address: String = row.get("address")?;
        let id: i64 = row.get("id")?;
        conn.execute_sql(
            sql.into(),
            vec![hashed_address(pepper, &address).into(), id.into()],
        )
        .await?;
    }
    Ok(())
}
