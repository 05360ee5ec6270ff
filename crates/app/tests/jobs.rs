//! The durable jobs queue on SQLite and PostgreSQL, drained step by step: a job runs once, a
//! failing one backs off and never holds up the next, one out of attempts is dead, a panic or
//! an unknown kind fails only its job, a dedupe key queues once, a job whose worker died is
//! taken again after its lease, and workers racing each other run every job exactly once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::App;
use rehber_app::jobs::{
    HOUSEKEEPING, JobFailure, JobOutcome, LEASE, NIGHTLY, Schedule, retry_delay,
};
use rehber_store::now_micros;
use rehber_testkit::{both_backends, test_app};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Payloads the handlers saw, in order.
type Seen = Arc<Mutex<Vec<Value>>>;

/// An app whose `record` jobs note their payload, whose `fail` jobs fail (for good when the
/// payload says so) and whose `panic` jobs panic.
fn app_with_test_jobs(app: App) -> (App, Seen) {
    let seen: Seen = Arc::default();
    let noted = seen.clone();
    let jobs = app
        .jobs
        .with("record", move |_, payload| {
            let noted = noted.clone();
            async move {
                noted.lock().unwrap().push(payload);
                Ok(())
            }
        })
        .with("fail", |_, payload| async move {
            if payload["permanent"] == json!(true) {
                Err(JobFailure::Permanent("cannot ever work".into()))
            } else {
                Err(JobFailure::Retry("not now".into()))
            }
        })
        .with("panic", |_, _| async move { panic!("a bug in a job") });
    (App { jobs, ..app }, seen)
}

async fn enqueue(app: &App, kind: &'static str, payload: Value, schedule: Schedule) -> i64 {
    app.enqueue_job(kind, &payload, schedule)
        .await
        .unwrap()
        .expect("queued")
}

fn micros(duration: std::time::Duration) -> i64 {
    duration.as_micros() as i64
}

both_backends! {
    async fn a_queued_job_runs_once_and_is_done(db) {
        let (app, seen) = app_with_test_jobs(test_app(db));
        let id = enqueue(&app, "record", json!({"n": 1}), Schedule::default()).await;
        let runs = app.drain_jobs("w1").await.unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!((runs[0].id, runs[0].outcome.clone()), (id, JobOutcome::Done));
        assert_eq!(*seen.lock().unwrap(), [json!({"n": 1})]);
        let row = db.store.job(id).await.unwrap();
        assert_eq!((row.status.as_str(), row.attempts, row.locked_by), ("done", 1, None));
        assert!(app.run_next_job("w1").await.unwrap().is_none(), "nothing is left to run");
    }

    async fn a_job_planned_for_later_waits_for_its_time(db) {
        let (app, seen) = app_with_test_jobs(test_app(db));
        let later = now_micros() + 60_000_000;
        let id = enqueue(&app, "record", json!({}), Schedule { run_at: Some(later), ..Schedule::default() }).await;
        assert!(app.run_next_job("w1").await.unwrap().is_none());
        let run = app.run_next_job_at("w1", later).await.unwrap().unwrap();
        assert_eq!((run.id, run.outcome), (id, JobOutcome::Done));
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    async fn a_failing_job_backs_off_and_the_job_behind_it_still_runs(db) {
        let (app, seen) = app_with_test_jobs(test_app(db));
        let failing = enqueue(&app, "fail", json!({}), Schedule::default()).await;
        let next = enqueue(&app, "record", json!({"after": "fail"}), Schedule::default()).await;
        let runs = app.drain_jobs("w1").await.unwrap();
        assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), [failing, next]);
        let JobOutcome::Retry { at } = runs[0].outcome else { panic!("{:?}", runs[0]) };
        assert_eq!(runs[1].outcome, JobOutcome::Done);
        assert_eq!(seen.lock().unwrap().len(), 1);
        let row = db.store.job(failing).await.unwrap();
        assert_eq!((row.status.as_str(), row.run_at, row.last_error.as_deref()), ("queued", at, Some("not now")));
        let waited = at - now_micros();
        assert!(waited > micros(retry_delay(1)) - 5_000_000 && waited <= micros(retry_delay(1)), "{waited}");
        // Not before its time; at its time, the second attempt waits twice as long.
        assert!(app.run_next_job_at("w1", at - 1).await.unwrap().is_none());
        let second = app.run_next_job_at("w1", at).await.unwrap().unwrap();
        let JobOutcome::Retry { at: then } = second.outcome else { panic!("{second:?}") };
        assert!(then - at >= micros(retry_delay(2)), "{} µs", then - at);
        assert_eq!(db.store.job(failing).await.unwrap().attempts, 2);
    }

    async fn a_job_that_keeps_failing_is_dead_after_its_last_attempt(db) {
        let (app, _) = app_with_test_jobs(test_app(db));
        let id = enqueue(&app, "fail", json!({}), Schedule { max_attempts: Some(3), ..Schedule::default() }).await;
        let mut now = now_micros();
        let mut outcomes = Vec::new();
        while let Some(run) = app.run_next_job_at("w1", now).await.unwrap() {
            outcomes.push(run.outcome.clone());
            now += micros(std::time::Duration::from_secs(7200));
        }
        assert!(matches!(outcomes[..], [JobOutcome::Retry { .. }, JobOutcome::Retry { .. }, JobOutcome::Dead]), "{outcomes:?}");
        let row = db.store.job(id).await.unwrap();
        assert_eq!((row.status.as_str(), row.attempts), ("dead", 3));
        assert!(row.finished_at.is_some());
    }

    async fn a_permanent_failure_a_panic_and_an_unknown_kind_fail_only_their_own_job(db) {
        let (app, seen) = app_with_test_jobs(test_app(db));
        let permanent = enqueue(&app, "fail", json!({"permanent": true}), Schedule::default()).await;
        let panics = enqueue(&app, "panic", json!({}), Schedule::default()).await;
        let unknown = enqueue(&app, "no-such-kind", json!({}), Schedule::default()).await;
        let fine = enqueue(&app, "record", json!({"still": "runs"}), Schedule::default()).await;
        let runs = app.drain_jobs("w1").await.unwrap();
        let outcomes: BTreeMap<i64, JobOutcome> = runs.into_iter().map(|r| (r.id, r.outcome)).collect();
        assert_eq!(outcomes[&permanent], JobOutcome::Failed);
        assert!(matches!(outcomes[&panics], JobOutcome::Retry { .. }), "a panic is worth another try");
        assert_eq!(outcomes[&unknown], JobOutcome::Failed);
        assert_eq!(outcomes[&fine], JobOutcome::Done);
        assert_eq!(*seen.lock().unwrap(), [json!({"still": "runs"})]);
        let unknown = db.store.job(unknown).await.unwrap();
        assert!(unknown.last_error.unwrap().contains("no-such-kind"));
    }

    async fn the_same_dedupe_key_queues_one_job(db) {
        let (app, seen) = app_with_test_jobs(test_app(db));
        let once = || Schedule { dedupe_key: Some("reminder:task:7:1".into()), ..Schedule::default() };
        let first = app.enqueue_job("record", &json!({"n": 1}), once()).await.unwrap();
        let second = app.enqueue_job("record", &json!({"n": 2}), once()).await.unwrap();
        assert!(first.is_some());
        assert_eq!(second, None);
        app.drain_jobs("w1").await.unwrap();
        // Still taken once done: a reminder is sent once.
        assert_eq!(app.enqueue_job("record", &json!({"n": 3}), once()).await.unwrap(), None);
        assert_eq!(*seen.lock().unwrap(), [json!({"n": 1})]);
    }

    async fn a_job_whose_worker_died_runs_again_after_its_lease_and_the_dead_worker_changes_nothing(db) {
        let (app, seen) = app_with_test_jobs(test_app(db));
        let id = enqueue(&app, "record", json!({}), Schedule::default()).await;
        let now = now_micros();
        // A worker claims it and dies (never reports).
        let claimed = db.store.claim_job("dead-worker", now, now + micros(LEASE)).await.unwrap().unwrap();
        assert_eq!(claimed.id, id);
        assert!(app.run_next_job_at("w2", now + micros(LEASE) - 1).await.unwrap().is_none(), "leased");
        let run = app.run_next_job_at("w2", now + micros(LEASE)).await.unwrap().unwrap();
        assert_eq!((run.id, run.outcome), (id, JobOutcome::Done));
        assert_eq!(db.store.job(id).await.unwrap().attempts, 2);
        assert_eq!(seen.lock().unwrap().len(), 1);
        // The first worker comes back: its report is refused.
        assert!(!db.store.complete_job(id, "dead-worker", now).await.unwrap());
        assert!(!db.store.fail_job(id, "dead-worker", now, "late", Some(now)).await.unwrap());
        assert_eq!(db.store.job(id).await.unwrap().status, "done");
    }

    async fn a_job_whose_worker_died_on_its_last_attempt_is_swept_dead(db) {
        let (app, _) = app_with_test_jobs(test_app(db));
        let id = enqueue(&app, "record", json!({}), Schedule { max_attempts: Some(1), ..Schedule::default() }).await;
        let now = now_micros();
        db.store.claim_job("dead-worker", now, now + 1).await.unwrap().unwrap();
        assert!(app.run_next_job_at("w2", now + 10).await.unwrap().is_none(), "no attempt left to give it");
        assert_eq!(db.store.sweep_jobs(now + 10, 0).await.unwrap(), 1);
        let row = db.store.job(id).await.unwrap();
        assert_eq!(row.status, "dead");
        // Finished jobs are deleted once old enough.
        db.store.sweep_jobs(now + 20, now + 20).await.unwrap();
        assert!(db.store.job(id).await.is_err());
    }

    async fn workers_racing_each_other_run_every_job_exactly_once(db) {
        let (app, seen) = app_with_test_jobs(test_app(db));
        for n in 0..40 {
            enqueue(&app, "record", json!(n), Schedule::default()).await;
        }
        let mut workers = tokio::task::JoinSet::new();
        for w in 0..4 {
            let app = app.clone();
            workers.spawn(async move { app.drain_jobs(&format!("w{w}")).await.unwrap().len() });
        }
        let mut ran = 0;
        while let Some(count) = workers.join_next().await {
            ran += count.unwrap();
        }
        assert_eq!(ran, 40);
        let mut payloads: Vec<i64> = seen.lock().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
        payloads.sort_unstable();
        assert_eq!(payloads, (0..40).collect::<Vec<_>>());
    }

    async fn housekeeping_is_queued_once_per_period_and_runs(db) {
        let app = test_app(db);
        let every = std::time::Duration::from_secs(3600);
        let first = app.queue_housekeeping(every).await.unwrap();
        let again = app.queue_housekeeping(every).await.unwrap();
        assert!(first.is_some());
        assert_eq!(again, None, "one per period, however many instances queue it");
        let runs = app.drain_jobs("w1").await.unwrap();
        let kinds: Vec<(&str, JobOutcome)> = runs.iter().map(|r| (r.kind.as_str(), r.outcome.clone())).collect();
        assert_eq!(kinds, [(HOUSEKEEPING, JobOutcome::Done), (NIGHTLY, JobOutcome::Done)], "and the day's work, once a day");
        app.queue_housekeeping(std::time::Duration::from_secs(1)).await.unwrap();
        let runs = app.drain_jobs("w1").await.unwrap();
        assert!(runs.iter().all(|r| r.kind == HOUSEKEEPING), "the day's work ran already today");
    }
}
