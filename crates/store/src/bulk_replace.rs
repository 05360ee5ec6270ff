//! Replacing the content of many records at once (an import's updates, and their undo):
//! the rows many per statement, then their tags, custom values and the copies other tables
//! keep of them, each a few statements for the whole batch.
//!
//! A record is written exactly as [`crate::kind::replace_content`] writes one (the same
//! columns from [`StoredKind::values`], the version bumped, only a live record at its
//! expected version), so a record an import updated reads as one saved from its form. One
//! statement per record made an import of 100,000 updates take minutes, most of it round
//! trips on PostgreSQL.

use crate::bulk::{content_values, folded_names, insert_tag_rows, rows_per_statement};
use crate::kind::{Copied, StoredKind};
use crate::sql::Conn;
use crate::{Backend, StoreError};
use rehber_domain::party::Ownership;
use sea_query::{Alias, Expr, ExprTrait, Query, Value};
use sea_query_sqlx::SqlxValues;
use std::collections::HashSet;

/// A record whose content is replaced, if it is still at `version`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Replacement<'a, F> {
    pub id: i64,
    pub version: i64,
    pub fields: &'a F,
    pub ownership: Ownership,
}

/// Placeholders for `count` values from the `next`th on: `?` on SQLite (whose numbered
/// ones cost a linear search each, see [`rows_per_statement`]), `$n` on PostgreSQL.
fn placeholders(backend: Backend, next: &mut usize, count: usize) -> String {
    let marks: Vec<String> = (0..count)
        .map(|_| {
            *next += 1;
            match backend {
                Backend::Sqlite => "?".to_string(),
                Backend::Postgres => format!("${next}"),
            }
        })
        .collect();
    format!("({})", marks.join(", "))
}

/// `WITH v(columns…) AS (VALUES …)`, the rows given as one list of values: what an
/// `UPDATE … FROM v` of both engines reads its new values from.
fn values_table(backend: Backend, columns: &[&str], rows: usize) -> String {
    let mut next = 0;
    let rows: Vec<String> = (0..rows)
        .map(|_| placeholders(backend, &mut next, columns.len()))
        .collect();
    let columns: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    format!(
        "WITH v ({}) AS (VALUES {})",
        columns.join(", "),
        rows.join(", ")
    )
}

/// Replaces the content of the live records of kind `K` among `items` that are still at
/// their expected version, in the caller's transaction, bumping their version; the others
/// are left as they are. The ids of the records replaced.
pub(crate) async fn replace_rows<K: StoredKind>(
    conn: &mut Conn<'_>,
    items: &[Replacement<'_, K::Fields>],
    now: i64,
) -> Result<HashSet<i64>, StoreError> {
    let Some(first) = items.first() else {
        return Ok(HashSet::new());
    };
    let table = K::TABLE.table;
    let backend = conn.backend();
    let names = folded_names::<K>(conn, items.iter().map(|i| i.fields)).await?;
    let columns: Vec<&'static str> = content_values::<K>(first.fields, first.ownership, &names)
        .into_iter()
        .map(|(column, _)| column)
        .collect();
    let mut all_columns = vec!["record_id", "expected_version"];
    all_columns.extend(columns.iter().copied());
    let sets: Vec<String> = columns
        .iter()
        .map(|c| format!("\"{c}\" = v.\"{c}\""))
        .collect();
    let mut replaced = HashSet::new();
    for chunk in items.chunks(rows_per_statement(all_columns.len())) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * all_columns.len());
        for item in chunk {
            values.push(item.id.into());
            values.push(item.version.into());
            values.extend(
                content_values::<K>(item.fields, item.ownership, &names)
                    .into_iter()
                    .map(|(_, v)| v),
            );
        }
        // `now` is the store's own clock, not input: written into the text like the names.
        let sql = format!(
            "{} UPDATE {table} SET {}, version = {table}.version + 1, updated_at = {now} \
             FROM v WHERE {table}.id = v.record_id AND {table}.version = v.expected_version \
             AND {table}.deleted_at IS NULL RETURNING id",
            values_table(backend, &all_columns, chunk.len()),
            sets.join(", "),
        );
        for row in conn
            .fetch_raw(sql, SqlxValues(sea_query::Values(values)))
            .await?
        {
            replaced.insert(row.get::<i64>("id")?);
        }
    }
    let done: Vec<&Replacement<'_, K::Fields>> =
        items.iter().filter(|i| replaced.contains(&i.id)).collect();
    let ids: Vec<i64> = done.iter().map(|i| i.id).collect();
    remove_tags::<K>(conn, &ids).await?;
    insert_tag_rows::<K>(conn, done.iter().map(|i| (i.fields, i.id))).await?;
    replace_custom_values::<K>(conn, &done).await?;
    let copies: Vec<(i64, Copied)> = done
        .iter()
        .flat_map(|i| K::copies(i.fields).into_iter().map(move |c| (i.id, c)))
        .collect();
    update_copies(conn, &copies).await?;
    Ok(replaced)
}

/// Removes the tag rows of the records `ids` of kind `K`.
async fn remove_tags<K: StoredKind>(conn: &mut Conn<'_>, ids: &[i64]) -> Result<(), StoreError> {
    let t = K::TABLE;
    for chunk in ids.chunks(rows_per_statement(1)) {
        let mut delete = Query::delete();
        delete
            .from_table(Alias::new(t.tag_table))
            .and_where(Expr::col(Alias::new(t.tag_key)).is_in(chunk.iter().copied()));
        conn.execute(&delete).await?;
    }
    Ok(())
}

/// Replaces the comparable copies of the records' custom values.
async fn replace_custom_values<K: StoredKind>(
    conn: &mut Conn<'_>,
    done: &[&Replacement<'_, K::Fields>],
) -> Result<(), StoreError> {
    for chunk in done.chunks(rows_per_statement(2)) {
        let mut field_ids = Query::select();
        field_ids
            .column(Alias::new("id"))
            .from(Alias::new("custom_fields"))
            .and_where(Expr::col(Alias::new("record_type")).eq(K::TYPE));
        let mut delete = Query::delete();
        delete
            .from_table(Alias::new("custom_values"))
            .and_where(Expr::col(Alias::new("field_id")).in_subquery(field_ids))
            .and_where(Expr::col(Alias::new("record_id")).is_in(chunk.iter().map(|i| i.id)));
        conn.execute(&delete).await?;
    }
    if done.iter().all(|i| K::custom(i.fields).is_empty()) {
        return Ok(());
    }
    let fields = crate::custom_fields::kind_fields(conn, K::TYPE).await?;
    let rows: Vec<_> = done
        .iter()
        .flat_map(|i| crate::custom_fields::value_rows(&fields, i.id, K::custom(i.fields)))
        .collect();
    crate::custom_fields::insert_value_rows(conn, &rows).await
}

/// Brings the copies other tables keep of the records up to date: for each `(id, copy)`,
/// `copy.table.copy.column = copy.value` where `copy.foreign_key = id`, only in the rows
/// whose copy differs (as a single save does).
async fn update_copies(conn: &mut Conn<'_>, copies: &[(i64, Copied)]) -> Result<(), StoreError> {
    let backend = conn.backend();
    let mut kinds: Vec<(&str, &str, &str)> = copies
        .iter()
        .map(|(_, c)| (c.table, c.column, c.foreign_key))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    for (table, column, foreign_key) in kinds {
        let of_kind: Vec<&(i64, Copied)> = copies
            .iter()
            .filter(|(_, c)| (c.table, c.column, c.foreign_key) == (table, column, foreign_key))
            .collect();
        for chunk in of_kind.chunks(rows_per_statement(2)) {
            let values: Vec<Value> = chunk
                .iter()
                .flat_map(|(id, c)| [Value::from(*id), Value::from(c.value.clone())])
                .collect();
            let sql = format!(
                "{} UPDATE {table} SET {column} = v.copied FROM v \
                 WHERE {table}.{foreign_key} = v.record_id AND {table}.{column} <> v.copied",
                values_table(backend, &["record_id", "copied"], chunk.len()),
            );
            conn.execute_raw(sql, SqlxValues(sea_query::Values(values)))
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_tables_number_postgres_placeholders_and_leave_sqlite_ones_anonymous() {
        assert_eq!(
            values_table(Backend::Postgres, &["a", "b"], 2),
            r#"WITH v ("a", "b") AS (VALUES ($1, $2), ($3, $4))"#
        );
        assert_eq!(
            values_table(Backend::Sqlite, &["a", "b"], 2),
            r#"WITH v ("a", "b") AS (VALUES (?, ?), (?, ?))"#
        );
    }
}
