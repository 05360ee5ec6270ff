//! Where an erasure looks for the person's strings (every text column the catalog lists,
//! but those below) and how one column is redacted.

use super::{ErasureFindings, Redaction};
use crate::sql::Conn;
use crate::{Backend, Store, StoreError};
use rehber_domain::erasure::{Terms, redact_own_changes};
use sea_query::Value;

/// Tables whose texts an erasure leaves as they are: staff and sign-in rows (not about
/// customers), the ledger and its documents (kept by law, listed as retained), consents
/// (their address is hashed instead), the erasure's own records, and configuration.
const NOT_SCANNED: [&str; 28] = [
    "_sqlx_migrations",
    "users",
    "teams",
    "sessions",
    "login_attempts",
    "api_tokens",
    "account_tokens",
    "calendar_feeds",
    "invoices",
    "invoice_lines",
    "payments",
    "payment_allocations",
    "ledger_entries",
    "ledger_balances",
    "document_numbers",
    "consents",
    "erasure_log",
    "data_requests",
    "contact_keys",
    "settings",
    "exchange_rates",
    "pipelines",
    "pipeline_stages",
    "products",
    "lost_reasons",
    "price_lists",
    "custom_fields",
    "scoring_rules",
];

/// Columns that hold another record's own identity or typed contact data (a company's name,
/// another person's phone): a redaction there would break the other record, and a match is
/// another party with the same name. Folded copies (`*_key`, `search_*`) follow their source.
const NOT_SCANNED_COLUMNS: [&str; 9] = [
    "first_name",
    "last_name",
    "name",
    "emails",
    "phones",
    "primary_email",
    "primary_phone",
    "national_id",
    "tax_number",
];

/// One text column to look in.
#[derive(Debug, Clone)]
pub(super) struct TextColumn {
    table: String,
    column: String,
    has_id: bool,
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Rows of `table` an erasure reads as "about the person" (first and last names alone are
/// looked for there): the texts of activities and tasks linked to them, of their deals,
/// quotes and orders, and their record's audit entries.
fn linked_rows(table: &str, ids: &str) -> Option<String> {
    Some(match table {
        "activities" => format!(
            "id IN (SELECT activity_id FROM activity_links WHERE record_type = 'person' AND record_id IN ({ids}))"
        ),
        "tasks" => format!(
            "id IN (SELECT task_id FROM task_links WHERE record_type = 'person' AND record_id IN ({ids}))"
        ),
        "deals" | "quotes" | "orders" => format!("person_id IN ({ids})"),
        "audit_events" => format!("record_type = 'person' AND record_id IN ({ids})"),
        "people" => format!("id IN ({ids})"),
        _ => return None,
    })
}

impl Store {
    /// The text columns of every table an erasure looks in (see [`NOT_SCANNED`]).
    pub(super) async fn erasure_columns(&self) -> Result<Vec<TextColumn>, StoreError> {
        let rows: Vec<(String, String, bool)> = match self {
            Store::Sqlite(db) => {
                sqlx::query_as(
                    "SELECT m.name, c.name, EXISTS (SELECT 1 FROM pragma_table_info(m.name) i WHERE i.name = 'id') \
                     FROM sqlite_master m, pragma_table_info(m.name) c \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
                     AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND m.name NOT LIKE '%\\_fts%' ESCAPE '\\' \
                     AND (upper(c.type) LIKE '%TEXT%' OR upper(c.type) LIKE '%CHAR%') ORDER BY m.name, c.cid",
                )
                .fetch_all(db.pool())
                .await?
            }
            Store::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT c.table_name::text, c.column_name::text, EXISTS (SELECT 1 FROM information_schema.columns i \
                     WHERE i.table_schema = c.table_schema AND i.table_name = c.table_name AND i.column_name = 'id') \
                     FROM information_schema.columns c JOIN information_schema.tables t \
                     ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE' \
                     WHERE c.table_schema = current_schema() AND c.data_type IN ('text', 'character varying') \
                     AND c.is_generated = 'NEVER' ORDER BY c.table_name, c.ordinal_position",
                )
                .fetch_all(pool)
                .await?
            }
        };
        Ok(rows
            .into_iter()
            .filter(|(table, column, _)| {
                !NOT_SCANNED.contains(&table.as_str())
                    && !NOT_SCANNED_COLUMNS.contains(&column.as_str())
                    && !column.ends_with("_key")
                    && !column.starts_with("search_")
            })
            .map(|(table, column, has_id)| TextColumn {
                table,
                column,
                has_id,
            })
            .collect())
    }
}

const PREVIEW_CHARS: usize = 160;

/// Looks for the terms in one column, and redacts what it finds when `apply`.
pub(super) async fn redact_column(
    conn: &mut Conn<'_>,
    terms: &Terms,
    column: &TextColumn,
    ids: &str,
    apply: bool,
    now: i64,
    found: &mut ErasureFindings,
) -> Result<(), StoreError> {
    let backend = conn.backend();
    let (table, name) = (quoted(&column.table), quoted(&column.column));
    let linked = linked_rows(&column.table, ids);
    let mut values: Vec<Value> = Vec::new();
    let placeholder = |values: &mut Vec<Value>, pattern: String| {
        values.push(pattern.into());
        match backend {
            Backend::Sqlite => format!("{name} LIKE ? ESCAPE '\\'"),
            Backend::Postgres => format!("{name} ILIKE ${} ESCAPE '\\'", values.len()),
        }
    };
    let anywhere: Vec<String> = terms
        .like_patterns(false)
        .into_iter()
        .map(|p| placeholder(&mut values, p))
        .collect();
    let mut condition = anywhere.join(" OR ");
    let audit = column.table == "audit_events";
    if let Some(linked) = &linked {
        let words: Vec<String> = terms
            .like_patterns(true)
            .into_iter()
            .map(|p| placeholder(&mut values, p))
            .collect();
        condition = if audit {
            // Every value of the person's own entries is looked at (`redact_own_changes`).
            format!("{condition} OR ({linked})")
        } else {
            format!("{condition} OR (({linked}) AND ({}))", words.join(" OR "))
        };
    }
    if condition.is_empty() {
        return Ok(());
    }
    let (key, id) = match backend {
        Backend::Sqlite => ("CAST(rowid AS TEXT)", "CAST(id AS BIGINT)"),
        Backend::Postgres => ("ctid::text", "CAST(id AS BIGINT)"),
    };
    let id = if column.has_id {
        id
    } else {
        "CAST(NULL AS BIGINT)"
    };
    let is_linked = linked.as_deref().unwrap_or("1 = 0");
    let sql = format!(
        "SELECT {key} AS k, {id} AS record_id, {name} AS v, CAST(CASE WHEN {is_linked} THEN 1 ELSE 0 END AS BIGINT) AS linked \
         FROM {table} WHERE {name} IS NOT NULL AND ({condition})"
    );
    let rows = conn.fetch_sql(sql, values).await?;
    let update = match backend {
        Backend::Sqlite if audit => {
            format!(
                "UPDATE {table} SET {name} = ?, redacted_at = ? WHERE rowid = CAST(? AS INTEGER)"
            )
        }
        Backend::Sqlite => {
            format!("UPDATE {table} SET {name} = ? WHERE rowid = CAST(? AS INTEGER)")
        }
        Backend::Postgres if audit => {
            format!("UPDATE {table} SET {name} = $1, redacted_at = $2 WHERE ctid = CAST($3 AS tid)")
        }
        Backend::Postgres => format!("UPDATE {table} SET {name} = $1 WHERE ctid = CAST($2 AS tid)"),
    };
    for row in rows {
        let text: String = row.get("v")?;
        let linked = row.get::<i64>("linked")? == 1;
        let mut after = terms.redact(&text, linked);
        if audit && linked {
            let base = after.as_deref().unwrap_or(&text);
            after = redact_own_changes(base).or(after);
        }
        let Some(after) = after else {
            continue;
        };
        if apply {
            let mut values: Vec<Value> = vec![after.clone().into()];
            if audit {
                values.push(now.into());
            }
            values.push(row.get::<String>("k")?.into());
            conn.execute_sql(update.clone(), values).await?;
        }
        found.redacted.push(Redaction {
            table: column.table.clone(),
            column: column.column.clone(),
            record_id: row.get("record_id")?,
            after: after.chars().take(PREVIEW_CHARS).collect(),
        });
    }
    Ok(())
}
