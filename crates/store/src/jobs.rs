//! The durable jobs queue: enqueue, claim, complete, fail, sweep. What a job does and when it
//! is retried are the services' business (`rehber_app::jobs`); this module keeps the rows and
//! makes a claim exclusive. On PostgreSQL the claim locks the row it picks with `FOR UPDATE
//! SKIP LOCKED`, so the workers of several instances never take the same job and never wait
//! for each other; on SQLite the process's single writer already serialises claims.
//!
//! Every change of a claimed job names its worker: a worker whose lease ran out, and whose
//! job another worker has claimed since, changes nothing.

use crate::{Backend, Store, StoreError, on_pool, on_writer};

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    /// JSON.
    pub payload: &'a str,
    /// A job with the same key, whatever its status, makes this one a no-op.
    pub dedupe_key: Option<&'a str>,
    /// Not before (UTC microseconds).
    pub run_at: i64,
    pub max_attempts: i32,
}

/// A stored job.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub dedupe_key: Option<String>,
    /// `queued`, `running`, `done`, `failed` (will never succeed) or `dead` (out of attempts).
    pub status: String,
    pub run_at: i64,
    /// Claims so far, the one running included.
    pub attempts: i32,
    pub max_attempts: i32,
    pub locked_by: Option<String>,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    /// How far a long job got: units done, of how many (see [`Store::set_job_progress`]).
    pub progress_done: Option<i64>,
    pub progress_total: Option<i64>,
}

const COLUMNS: &str = "id, kind, payload, dedupe_key, status, run_at, attempts, max_attempts, \
     locked_by, locked_until, last_error, created_at, finished_at, progress_done, progress_total";

/// A queued job that is due, or a running one whose lease ran out and that has attempts
/// left (one whose worker died on its last attempt is swept to `dead` instead: a job that
/// kills its worker must not be run forever).
const CLAIMABLE: &str = "(status = 'queued' AND run_at <= $3) \
     OR (status = 'running' AND locked_until <= $3 AND attempts < max_attempts)";

impl Store {
    /// The id of a job of `kind` that waits to start, if there is one: a caller that would
    /// queue the same work again can point at it instead.
    pub async fn waiting_job(&self, kind: &str) -> Result<Option<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT id FROM jobs WHERE kind = $1 AND status = 'queued' AND attempts = 0 \
             ORDER BY id LIMIT 1")
            .bind(kind)
            .fetch_optional(pool).await?))
    }

    /// The newest job of `kind`, if any.
    pub async fn latest_job(&self, kind: &str) -> Result<Option<JobRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM jobs WHERE kind = $1 ORDER BY id DESC LIMIT 1");
        Ok(
            on_pool!(self, pool => sqlx::query_as::<_, JobRow>(sqlx::AssertSqlSafe(sql))
            .bind(kind)
            .fetch_optional(pool).await?),
        )
    }

    /// Records how far job `id` got (`done` units of `total`).
    pub async fn set_job_progress(&self, id: i64, done: i64, total: i64) -> Result<(), StoreError> {
        on_writer!(self, pool => sqlx::query(
            "UPDATE jobs SET progress_done = $1, progress_total = $2 WHERE id = $3")
            .bind(done).bind(total).bind(id)
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Queues a job; its id, or `None` when a job with the same dedupe key exists.
    pub async fn enqueue_job(&self, job: &NewJob<'_>, now: i64) -> Result<Option<i64>, StoreError> {
        Ok(on_writer!(self, pool => sqlx::query_scalar(
            "INSERT INTO jobs (kind, payload, dedupe_key, status, run_at, attempts, max_attempts, created_at) \
             VALUES ($1, $2, $3, 'queued', $4, 0, $5, $6) \
             ON CONFLICT (dedupe_key) DO NOTHING RETURNING id")
            .bind(job.kind).bind(job.payload).bind(job.dedupe_key).bind(job.run_at)
            .bind(job.max_attempts).bind(now)
            .fetch_optional(pool).await?))
    }

    /// Claims the job due first for `worker` until `lease_until`, counting an attempt.
    pub async fn claim_job(
        &self,
        worker: &str,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<JobRow>, StoreError> {
        // Dialect gap: only PostgreSQL has concurrent writers to skip past.
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $1, \
             locked_until = $2 \
             WHERE id = (SELECT id FROM jobs WHERE {CLAIMABLE} ORDER BY run_at, id LIMIT 1{lock}) \
             RETURNING {COLUMNS}"
        );
        Ok(
            on_writer!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(worker).bind(lease_until).bind(now)
            .fetch_optional(pool).await?),
        )
    }

    /// Marks a job `worker` holds as done; false when it no longer holds it.
    pub async fn complete_job(&self, id: i64, worker: &str, now: i64) -> Result<bool, StoreError> {
        let changed = on_writer!(self, pool => sqlx::query(
            "UPDATE jobs SET status = 'done', finished_at = $3, locked_by = NULL, locked_until = NULL \
             WHERE id = $1 AND locked_by = $2 AND status = 'running'")
            .bind(id).bind(worker).bind(now)
            .execute(pool).await?.rows_affected());
        Ok(changed == 1)
    }

    /// Records a failed attempt of a job `worker` holds: queued again for `retry_at` while it
    /// has attempts left (`dead` after the last), or `failed` for good when `retry_at` is
    /// `None`. False when the worker no longer holds the job.
    pub async fn fail_job(
        &self,
        id: i64,
        worker: &str,
        now: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<bool, StoreError> {
        let changed = match retry_at {
            Some(at) => on_writer!(self, pool => sqlx::query(
                "UPDATE jobs SET \
                 status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END, \
                 finished_at = CASE WHEN attempts >= max_attempts THEN $3 ELSE NULL END, \
                 run_at = $4, last_error = $5, locked_by = NULL, locked_until = NULL \
                 WHERE id = $1 AND locked_by = $2 AND status = 'running'")
                .bind(id).bind(worker).bind(now).bind(at).bind(error)
                .execute(pool).await?.rows_affected()),
            None => on_writer!(self, pool => sqlx::query(
                "UPDATE jobs SET status = 'failed', finished_at = $3, last_error = $4, \
                 locked_by = NULL, locked_until = NULL \
                 WHERE id = $1 AND locked_by = $2 AND status = 'running'")
                .bind(id).bind(worker).bind(now).bind(error)
                .execute(pool).await?.rows_affected()),
        };
        Ok(changed == 1)
    }

    /// Housekeeping of the queue: a job whose worker died during its last attempt is `dead`,
    /// and finished jobs older than `finished_before` are deleted (their dedupe keys with
    /// them). How many rows changed.
    pub async fn sweep_jobs(&self, now: i64, finished_before: i64) -> Result<u64, StoreError> {
        let dead = on_writer!(self, pool => sqlx::query(
            "UPDATE jobs SET status = 'dead', finished_at = $1, locked_by = NULL, locked_until = NULL, \
             last_error = 'the worker stopped during the last attempt' \
             WHERE status = 'running' AND locked_until <= $1 AND attempts >= max_attempts")
            .bind(now).execute(pool).await?.rows_affected());
        let deleted = on_writer!(self, pool => sqlx::query(
            "DELETE FROM jobs WHERE status IN ('done', 'failed', 'dead') AND finished_at < $1")
            .bind(finished_before).execute(pool).await?.rows_affected());
        Ok(dead + deleted)
    }

    /// One job (a system read: jobs belong to no user).
    pub async fn job(&self, id: i64) -> Result<JobRow, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = $1");
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(pool).await?),
        )
    }
}
