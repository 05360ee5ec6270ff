//! Lists exported in the background: what a user asked for, where the job is with it, and
//! the file it wrote (see `rehber_app::list_exports`).

use crate::{Store, StoreError, now_micros, on_pool, on_writer};
use serde::Serialize;

/// A stored export of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ListExport {
    pub id: i64,
    pub requested_by: i64,
    /// `person` or `company`.
    pub record_type: String,
    /// `csv`, `csv excel-tr` or `xlsx`.
    pub format: String,
    /// The list's parameters as asked.
    pub query: String,
    /// The language the file is worded in (`tr`, `en`).
    pub lang: String,
    /// `queued`, `running`, `done`, `failed` or `expired` (its file removed).
    pub status: String,
    pub requested_at: i64,
    pub finished_at: Option<i64>,
    pub row_count: Option<i64>,
    pub file_name: Option<String>,
    pub file_key: Option<String>,
    pub file_size: Option<i64>,
    pub failure: Option<String>,
}

const COLUMNS: &str = "id, requested_by, record_type, format, query, lang, status, requested_at, \
     finished_at, row_count, file_name, file_key, file_size, failure";

/// What to ask for.
#[derive(Debug, Clone, Copy)]
pub struct NewListExport<'a> {
    pub requested_by: i64,
    pub record_type: &'static str,
    pub format: &'a str,
    pub query: &'a str,
    pub lang: &'a str,
}

/// A step of an export's life.
#[derive(Debug, Clone, Copy)]
pub enum ListExportChange<'a> {
    Running,
    Done {
        rows: i64,
        file_name: &'a str,
        file_key: &'a str,
        size: i64,
    },
    Failed(&'a str),
    /// Its file was removed.
    Expired,
}

impl Store {
    pub async fn create_list_export(
        &self,
        new: NewListExport<'_>,
    ) -> Result<ListExport, StoreError> {
        let sql = format!(
            "INSERT INTO list_exports (requested_by, record_type, format, query, lang, status, requested_at) \
             VALUES ($1, $2, $3, $4, $5, 'queued', $6) RETURNING {COLUMNS}"
        );
        Ok(on_writer!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(new.requested_by)
                .bind(new.record_type)
                .bind(new.format)
                .bind(new.query)
                .bind(new.lang)
                .bind(now_micros())
                .fetch_one(pool)
                .await?
        }))
    }

    pub async fn list_export(&self, id: i64) -> Result<ListExport, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM list_exports WHERE id = $1");
        on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// A user's latest exports, newest first.
    pub async fn list_exports_of(
        &self,
        user: i64,
        limit: i64,
    ) -> Result<Vec<ListExport>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM list_exports WHERE requested_by = $1 ORDER BY id DESC LIMIT $2"
        );
        Ok(on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(user)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Finished exports whose file is still kept and older than `before` (microseconds).
    pub async fn list_exports_to_expire(&self, before: i64) -> Result<Vec<ListExport>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM list_exports WHERE status = 'done' AND finished_at < $1 ORDER BY id LIMIT 500"
        );
        Ok(on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(before)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Marks failed (`export-interrupted`) the exports still queued or running that were asked
    /// for before `before` (microseconds): their job gave up, or its process stopped, before
    /// it could say so. How many.
    pub async fn fail_stalled_list_exports(&self, before: i64) -> Result<u64, StoreError> {
        let now = now_micros();
        Ok(on_writer!(self, pool => {
            sqlx::query(
                "UPDATE list_exports SET status = 'failed', failure = 'export-interrupted', \
                 finished_at = $2 WHERE status IN ('queued', 'running') AND requested_at < $1",
            )
            .bind(before)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }

    pub async fn update_list_export(
        &self,
        id: i64,
        change: ListExportChange<'_>,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        on_writer!(self, pool => {
            let query = match change {
                ListExportChange::Running => {
                    sqlx::query("UPDATE list_exports SET status = 'running' WHERE id = $1").bind(id)
                }
                ListExportChange::Done { rows, file_name, file_key, size } => sqlx::query(
                    "UPDATE list_exports SET status = 'done', row_count = $2, file_name = $3, \
                     file_key = $4, file_size = $5, finished_at = $6, failure = NULL WHERE id = $1",
                )
                .bind(id)
                .bind(rows)
                .bind(file_name)
                .bind(file_key)
                .bind(size)
                .bind(now),
                ListExportChange::Failed(message) => sqlx::query(
                    "UPDATE list_exports SET status = 'failed', failure = $2, finished_at = $3 WHERE id = $1",
                )
                .bind(id)
                .bind(message)
                .bind(now),
                ListExportChange::Expired => sqlx::query(
                    "UPDATE list_exports SET status = 'expired', file_key = NULL WHERE id = $1",
                )
                .bind(id),
            };
            query.execute(pool).await?;
        });
        Ok(())
    }
}
