//! Background work: what each job kind does, retries with exponential back-off, and the one
//! step ([`App::run_next_job`]) that the server's worker loop repeats and that tests call to
//! drain the queue deterministically.
//!
//! One job is one unit of work (one reminder, one e-mail), so a bad row fails its own job
//! and never the others: a job that fails, panics, or has a kind nobody handles is recorded
//! as such and the next job runs. Handlers are registered by kind ([`JobHandlers`]); the
//! built-in ones are in [`JobHandlers::builtin`].

use crate::App;
use crate::error::AppResult;
use crate::notifications::TASK_REMINDER;
use rehber_domain::ids::TaskId;
use rehber_store::{JobRow, NewJob, now_micros};
use serde_json::Value;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// How long a claimed job is a worker's before another may take it (the worker died).
pub const LEASE: Duration = Duration::from_secs(5 * 60);
/// Attempts of a job unless it asks otherwise.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 8;
/// The first retry's wait; each further retry waits twice as long, up to [`MAX_RETRY_DELAY`].
const FIRST_RETRY_DELAY: Duration = Duration::from_secs(30);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(60 * 60);
/// Finished jobs are kept this long (for a look at what ran), then swept.
const KEEP_FINISHED: Duration = Duration::from_secs(7 * 24 * 60 * 60);
/// How often an idle worker looks for due jobs.
const POLL_EVERY: Duration = Duration::from_secs(1);

/// The built-in kind that removes expired sessions and old sign-in attempts and sweeps the
/// queue itself.
pub const HOUSEKEEPING: &str = "housekeeping";

/// The built-in kind that does the day's time-based work once per day (in the home time
/// zone): quotes whose validity ended become expired, and every lead score is worked out
/// again (engagement rules look back a number of days).
pub const NIGHTLY: &str = "nightly";

tokio::task_local! {
    /// The id of the job a handler runs for (a long job reports its progress on its row).
    static CURRENT_JOB: i64;
}

/// The id of the job the calling handler runs for; `None` outside a job.
pub fn current_job() -> Option<i64> {
    CURRENT_JOB.try_with(|id| *id).ok()
}

/// Why a job did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum JobFailure {
    /// Worth another attempt later (a mail server down, a database busy).
    #[error("{0}")]
    Retry(String),
    /// Can never succeed (a payload that does not parse): no retry.
    #[error("{0}")]
    Permanent(String),
}

/// What a job of one kind does with its payload.
pub type Handler = Arc<
    dyn Fn(App, Value) -> Pin<Box<dyn Future<Output = Result<(), JobFailure>> + Send>>
        + Send
        + Sync,
>;

/// The handlers by kind. Cheap to clone.
#[derive(Clone, Default)]
pub struct JobHandlers(Arc<BTreeMap<&'static str, Handler>>);

impl std::fmt::Debug for JobHandlers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl JobHandlers {
    /// The kinds Rehber itself queues.
    pub fn builtin() -> JobHandlers {
        JobHandlers::default()
            .with(HOUSEKEEPING, |app, _| async move {
                app.housekeeping()
                    .await
                    .map_err(|e| JobFailure::Retry(e.to_string()))
            })
            .with(NIGHTLY, |app, _| async move {
                app.nightly()
                    .await
                    .map_err(|e| JobFailure::Retry(e.to_string()))
            })
            .with(crate::scoring::SCORING_RECALCULATE, |app, _| async move {
                app.rescore_everyone(current_job())
                    .await
                    .map(|_| ())
                    .map_err(|e| JobFailure::Retry(e.to_string()))
            })
            .with(crate::privacy::DATA_EXPORT, |app, payload| async move {
                let Some(request) = payload["request_id"].as_i64() else {
                    return Err(JobFailure::Permanent(format!(
                        "an export needs request_id: {payload}"
                    )));
                };
                app.run_data_export(request).await
            })
            .with(TASK_REMINDER, |app, payload| async move {
                let task = payload["task_id"].as_i64();
                let (Some(task), Some(at)) = (task, payload["at"].as_i64()) else {
                    return Err(JobFailure::Permanent(format!(
                        "a reminder needs task_id and at: {payload}"
                    )));
                };
                app.ring_task_reminder(TaskId(task), at)
                    .await
                    .map(|_| ())
                    .map_err(|e| JobFailure::Retry(e.to_string()))
            })
    }

    /// These handlers and `handler` for `kind` (replacing one of the same kind).
    pub fn with<F, Fut>(&self, kind: &'static str, handler: F) -> JobHandlers
    where
        F: Fn(App, Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobFailure>> + Send + 'static,
    {
        let mut handlers = (*self.0).clone();
        handlers.insert(
            kind,
            Arc::new(move |app: App, payload: Value| Box::pin(handler(app, payload))),
        );
        JobHandlers(Arc::new(handlers))
    }

    fn get(&self, kind: &str) -> Option<Handler> {
        self.0.get(kind).cloned()
    }
}

/// When and how often a job runs.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    /// Not before this instant (UTC microseconds); now when `None`.
    pub run_at: Option<i64>,
    /// A second job with the same key is not queued (one reminder per task and time).
    pub dedupe_key: Option<String>,
    /// [`DEFAULT_MAX_ATTEMPTS`] when `None`.
    pub max_attempts: Option<i32>,
}

/// What one step of the worker did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    pub id: i64,
    pub kind: String,
    pub outcome: JobOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    Done,
    /// Failed; queued again for this instant.
    Retry {
        at: i64,
    },
    /// Failed for good (a permanent failure, or a kind nobody handles).
    Failed,
    /// Failed on its last attempt.
    Dead,
    /// The lease ran out while it ran and another worker holds the job now: nothing recorded.
    LeaseLost,
}

/// How long after its `attempts`-th failed attempt a job runs again: 30 s, doubling each
/// time, at most an hour.
pub fn retry_delay(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 16) as u32;
    FIRST_RETRY_DELAY
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(MAX_RETRY_DELAY)
}

fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}

impl App {
    /// Queues a job of `kind`; its id, or `None` when the schedule's dedupe key was taken.
    pub async fn enqueue_job(
        &self,
        kind: &'static str,
        payload: &Value,
        schedule: Schedule,
    ) -> AppResult<Option<i64>> {
        let now = now_micros();
        let payload = payload.to_string();
        let job = NewJob {
            kind,
            payload: &payload,
            dedupe_key: schedule.dedupe_key.as_deref(),
            run_at: schedule.run_at.unwrap_or(now),
            max_attempts: schedule.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS),
        };
        Ok(self.store.enqueue_job(&job, now).await?)
    }

    /// Claims the job due first and runs it as `worker`; `None` when nothing is due.
    pub async fn run_next_job(&self, worker: &str) -> AppResult<Option<JobRun>> {
        self.run_next_job_at(worker, now_micros()).await
    }

    /// [`App::run_next_job`] as if it were `now` (tests move the clock).
    pub async fn run_next_job_at(&self, worker: &str, now: i64) -> AppResult<Option<JobRun>> {
        let Some(job) = self
            .store
            .claim_job(worker, now, now + micros(LEASE))
            .await?
        else {
            return Ok(None);
        };
        let result = self.run_job(&job).await;
        let finished = now_micros().max(now);
        let (recorded, outcome) = match result {
            Ok(()) => (
                self.store.complete_job(job.id, worker, finished).await?,
                JobOutcome::Done,
            ),
            Err(JobFailure::Permanent(error)) => {
                tracing::warn!(job = job.id, kind = %job.kind, %error, "a job failed for good");
                (
                    self.store
                        .fail_job(job.id, worker, finished, &error, None)
                        .await?,
                    JobOutcome::Failed,
                )
            }
            Err(JobFailure::Retry(error)) => {
                let at = finished + micros(retry_delay(job.attempts));
                let outcome = if job.attempts >= job.max_attempts {
                    tracing::error!(job = job.id, kind = %job.kind, %error, "a job failed its last attempt");
                    JobOutcome::Dead
                } else {
                    tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, %error, "a job failed; it will run again");
                    JobOutcome::Retry { at }
                };
                (
                    self.store
                        .fail_job(job.id, worker, finished, &error, Some(at))
                        .await?,
                    outcome,
                )
            }
        };
        Ok(Some(JobRun {
            id: job.id,
            kind: job.kind,
            outcome: if recorded {
                outcome
            } else {
                JobOutcome::LeaseLost
            },
        }))
    }

    /// Runs due jobs until none is left; how many ran. For tests and the command line.
    pub async fn drain_jobs(&self, worker: &str) -> AppResult<Vec<JobRun>> {
        let mut runs = Vec::new();
        while let Some(run) = self.run_next_job(worker).await? {
            runs.push(run);
        }
        Ok(runs)
    }

    /// One job's handler, in a task of its own so that a panic fails the job, not the worker.
    async fn run_job(&self, job: &JobRow) -> Result<(), JobFailure> {
        let Some(handler) = self.jobs.get(&job.kind) else {
            return Err(JobFailure::Permanent(format!(
                "no handler for jobs of kind {:?}",
                job.kind
            )));
        };
        let payload: Value = serde_json::from_str(&job.payload)
            .map_err(|e| JobFailure::Permanent(format!("the payload is not JSON: {e}")))?;
        let work = CURRENT_JOB.scope(job.id, handler(self.clone(), payload));
        match tokio::spawn(work).await {
            Ok(result) => result,
            Err(error) => Err(JobFailure::Retry(format!("the job stopped: {error}"))),
        }
    }

    /// Queues this period's housekeeping job. Its dedupe key names the period, so with several
    /// instances on one database it is queued, and run, once per period.
    pub async fn queue_housekeeping(&self, every: Duration) -> AppResult<Option<i64>> {
        let period = now_micros() / micros(every).max(1);
        let schedule = Schedule {
            dedupe_key: Some(format!("{HOUSEKEEPING}:{period}")),
            ..Schedule::default()
        };
        let queued = self
            .enqueue_job(HOUSEKEEPING, &Value::Object(Default::default()), schedule)
            .await?;
        // The day's work is queued with the first housekeeping of the day, once per day.
        let nightly = Schedule {
            dedupe_key: Some(format!("{NIGHTLY}:{}", self.today())),
            ..Schedule::default()
        };
        self.enqueue_job(NIGHTLY, &Value::Object(Default::default()), nightly)
            .await?;
        Ok(queued)
    }

    /// The day's time-based work.
    async fn nightly(&self) -> AppResult<()> {
        let expired = self.expire_quotes().await?;
        if expired > 0 {
            tracing::info!(expired, "quotes past their validity expired");
        }
        // Invoices fall due with the day: the lists' overdue figures follow.
        let moved = self.store.refresh_overdue(self.today()).await?;
        tracing::info!(moved, "customers' overdue amounts worked out again");
        // Time-based scoring rules ("a meeting in the last 30 days") change with the day.
        let scored = self.rescore_everyone(None).await?;
        tracing::info!(scored, "lead scores worked out again");
        Ok(())
    }

    /// Expired sessions, old sign-in attempts, exported lists older than a day and what the
    /// undo of imports past their undo would have put back go, and the queue is swept.
    async fn housekeeping(&self) -> AppResult<()> {
        self.purge_expired().await?;
        // A list of customers is not kept longer than its download needs.
        let removed = self.expire_list_exports().await?;
        if removed > 0 {
            tracing::info!(removed, "exported lists older than a day removed");
        }
        let now = now_micros();
        // A job that gave up on an export (the database away through every attempt) leaves
        // it running; its page would wait for it forever.
        let interrupted = self
            .store
            .fail_stalled_list_exports(now - micros(crate::list_exports::STALLED_AFTER))
            .await?;
        if interrupted > 0 {
            tracing::warn!(interrupted, "list exports whose job gave up marked failed");
        }
        let stalled = self
            .store
            .fail_stalled_imports(now - micros(crate::imports::STALLED_AFTER))
            .await?;
        if stalled > 0 {
            tracing::warn!(
                stalled,
                "imports cut short by a stopped process marked failed"
            );
        }
        // What an import's undo would put back is not kept once no undo can use it.
        let undo_window = Duration::from_secs(crate::imports::UNDO_DAYS.unsigned_abs() * 86_400);
        let forgotten = self
            .store
            .forget_import_updates(now - micros(undo_window))
            .await?;
        if forgotten > 0 {
            tracing::info!(forgotten, "copies kept for the undo of imports forgotten");
        }
        self.store
            .sweep_jobs(now, now - micros(KEEP_FINISHED))
            .await?;
        Ok(())
    }
}

/// The background worker: runs due jobs one after the other, looks again every second when
/// there are none, and returns between two jobs once `stopping` turns true.
pub async fn work(app: App, name: String, mut stopping: tokio::sync::watch::Receiver<bool>) {
    loop {
        if *stopping.borrow() {
            return;
        }
        let idle = match app.run_next_job(&name).await {
            Ok(Some(_)) => false,
            Ok(None) => true,
            Err(e) => {
                tracing::warn!(error = %e, "the job queue could not be read");
                true
            }
        };
        if idle {
            tokio::select! {
                () = tokio::time::sleep(POLL_EVERY) => {}
                changed = stopping.changed() => {
                    if changed.is_err() {
                        return; // the server that would stop it is gone
                    }
                }
            }
        }
    }
}

/// A name for this process's worker, unique among the instances sharing a database.
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "rehber".to_string());
    format!(
        "{host}:{}:{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_thirty_seconds_then_twice_as_long_each_time_up_to_an_hour() {
        let waits: Vec<u64> = (1..=9).map(|n| retry_delay(n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry_delay(0).as_secs(), 30);
        assert_eq!(retry_delay(i32::MAX).as_secs(), 3600);
    }
}
