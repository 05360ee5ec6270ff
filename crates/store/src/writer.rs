//! SQLite's writers: one at a time, in the order they came, committed together.
//!
//! SQLite lets one writer in at a time. Writers that meet at `BEGIN IMMEDIATE` wait in
//! SQLite's busy handler, which sleeps in steps of up to 100 ms and wakes them in no order:
//! with eight people saving at once, one save in a hundred waited over half a second. The
//! writers of this process therefore queue on an async lock (first come, first served, no
//! sleeping) and meet SQLite's lock only when another process writes (the command line
//! beside a running server), where the busy timeout still applies. Reads do not queue: under
//! WAL they run beside the writer.
//!
//! Writers that queue behind each other share one transaction (a *batch*, or group commit):
//! each runs inside a savepoint of it, so a write that fails or is abandoned is rolled back
//! alone, and the batch is committed by a task of its own once the writers queued so far
//! have had their turn. A writer's call returns only after the commit of its batch, so every
//! write the store acknowledges is committed: a `kill -9` right after loses nothing
//! (`bench/crash/run.sh`). One commit per batch instead of one per write saves the
//! transaction's fixed costs: the full-text index's segment flush and the WAL frames of the
//! pages every insert touches (the table's and indexes' last leaves), written once per batch.

use crate::StoreError;
use futures_util::TryStreamExt;
use sea_query_sqlx::SqlxValues;
use sqlx::sqlite::SqliteRow;
use sqlx::{Either, Executor, Sqlite as Db, SqliteConnection, SqlitePool, Transaction};
use std::sync::{Arc, Weak};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, oneshot};

/// A batch takes at most this many writes: its writers wait for one commit, so a slow
/// commit never holds more answers than this.
const MAX_BATCH: usize = 64;
/// The savepoint of the write in progress (one at a time, so one name): set, released, and
/// rolled back to.
const SAVEPOINT: &str = "SAVEPOINT rehber_write";
const RELEASE: &str = "RELEASE rehber_write";
const ROLLBACK: &str = "ROLLBACK TO rehber_write; RELEASE rehber_write";

/// The process's SQLite writers: their turn, and the batch they add to.
#[derive(Debug)]
pub(crate) struct Writer {
    batch: Arc<Mutex<Batch>>,
    commit_wanted: Arc<Notify>,
}

/// The open transaction and the writers waiting for its commit.
#[derive(Default)]
pub(crate) struct Batch {
    tx: Option<Transaction<'static, Db>>,
    /// A write left its savepoint open (its caller was cancelled, or returned early): the
    /// next holder of the turn rolls it back before anything else.
    unfinished: bool,
    waiting: Vec<oneshot::Sender<Result<(), String>>>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("open", &self.tx.is_some())
            .field("unfinished", &self.unfinished)
            .field("waiting", &self.waiting.len())
            .finish()
    }
}

impl Writer {
    /// A writer, and the task that commits its batches (it ends when the writer is dropped).
    /// Needs a Tokio runtime.
    pub(crate) fn new() -> Writer {
        let batch = Arc::new(Mutex::new(Batch::default()));
        let commit_wanted = Arc::new(Notify::new());
        tokio::spawn(commit_batches(
            Arc::downgrade(&batch),
            commit_wanted.clone(),
        ));
        Writer {
            batch,
            commit_wanted,
        }
    }

    /// Starts a write: waits for the turn, opens the batch if none is open, and sets a
    /// savepoint for this write (sent with its first statement). The write's statements run
    /// through [`Member::fetch`], [`Member::queue`] or [`Member::conn`]; it counts once
    /// [`Member::finish`] returns.
    pub(crate) async fn join(&self, pool: &SqlitePool) -> Result<Member, StoreError> {
        let mut batch = self.batch.clone().lock_owned().await;
        if batch.waiting.len() >= MAX_BATCH {
            batch.commit().await;
        }
        batch.recover().await;
        if batch.tx.is_none() {
            // IMMEDIATE: a deferred transaction that reads before it writes cannot wait for
            // another process's writer (SQLite answers "database is locked" at once instead
            // of honouring the busy timeout).
            batch.tx = Some(pool.begin_with("BEGIN IMMEDIATE").await?);
        }
        // The transaction never leaves the batch, whatever await a caller is cancelled at:
        // dropped, it would roll back the writes of the batch that already wait for its
        // commit. From here the write is unfinished until released or rolled back.
        batch.unfinished = true;
        Ok(Member {
            batch,
            commit_wanted: self.commit_wanted.clone(),
            pending: Script::new(SAVEPOINT),
        })
    }

    /// The turn with nothing pending: the open batch, if any, is committed first. For
    /// statements that run on their own, outside any batch.
    pub(crate) async fn alone(&self) -> OwnedMutexGuard<Batch> {
        let mut batch = self.batch.clone().lock_owned().await;
        batch.commit().await;
        batch
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Wakes the committing task, which then finds the batch gone and ends.
        self.commit_wanted.notify_one();
    }
}

/// One write in a batch, holding the turn until it finishes.
pub(crate) struct Member {
    batch: OwnedMutexGuard<Batch>,
    commit_wanted: Arc<Notify>,
    /// Statements not sent yet: the savepoint, then writes whose outcome nobody reads. They
    /// go to SQLite in one script with the next statement whose outcome is read, or with the
    /// release: every trip to the connection's thread is a hand-off between threads that all
    /// writers queued for the turn wait for (a create was four trips, now two).
    pending: Script,
}

impl Member {
    /// The connection, for statements written by hand, once what is pending has been sent.
    pub(crate) async fn conn(&mut self) -> Result<&mut SqliteConnection, StoreError> {
        if !self.pending.is_empty() {
            self.fetch(Script::default()).await?;
        }
        self.tx()
    }

    fn tx(&mut self) -> Result<&mut SqliteConnection, StoreError> {
        self.batch
            .tx
            .as_deref_mut()
            .ok_or_else(|| StoreError::Commit("the batch was rolled back".to_string()))
    }

    /// Runs what is pending and then `script`; the rows they return and how many rows the
    /// last statement changed.
    pub(crate) async fn fetch(
        &mut self,
        script: Script,
    ) -> Result<(Vec<SqliteRow>, u64), StoreError> {
        let mut all = std::mem::take(&mut self.pending);
        all.append(script);
        let (sql, values) = all.into_parts();
        let conn = self.tx()?;
        let mut results = conn.fetch_many(sqlx::query_with(sql, values));
        let (mut rows, mut changed) = (Vec::new(), 0);
        while let Some(result) = results.try_next().await? {
            match result {
                Either::Left(done) => changed = done.rows_affected(),
                Either::Right(row) => rows.push(row),
            }
        }
        Ok((rows, changed))
    }

    /// Adds a statement whose outcome nobody reads; it runs with the next one that is read
    /// (its error, if any, is that one's).
    pub(crate) fn queue(&mut self, script: Script) {
        self.pending.append(script);
    }

    /// Ends the write: what is pending runs and its savepoint is released into the batch,
    /// in one script; the turn passes on, and the call returns once the batch is committed.
    pub(crate) async fn finish(mut self) -> Result<(), StoreError> {
        if let Err(error) = self.fetch(Script::new(RELEASE)).await {
            // The script stops at its first error: the savepoint is still set.
            self.abandon().await;
            return Err(error);
        }
        self.batch.unfinished = false;
        let (answer, committed) = oneshot::channel();
        self.batch.waiting.push(answer);
        drop(self);
        match committed.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(StoreError::Commit(error)),
            Err(_) => Err(StoreError::Commit(
                "the batch was dropped uncommitted".to_string(),
            )),
        }
    }

    /// Rolls this write back (the batch goes on without it).
    pub(crate) async fn abandon(mut self) {
        self.pending = Script::default();
        self.batch.recover().await;
    }
}

/// Statements separated by `;` and their values in order (SQLite binds a script's `?`
/// parameters statement by statement, counting on).
#[derive(Default)]
pub(crate) struct Script {
    sql: String,
    values: Vec<sea_query::Value>,
}

impl Script {
    fn new(sql: &str) -> Script {
        Script {
            sql: sql.to_string(),
            values: Vec::new(),
        }
    }

    /// One statement and its values. Its placeholders must be `?` (sea-query's SQLite
    /// builder): SQLite counts those on across a script, while a numbered one (`$1`, `?1`)
    /// would name a value of the script's first statement.
    pub(crate) fn statement(sql: String, values: SqlxValues) -> Script {
        debug_assert!(
            !sql.contains('$'),
            "numbered placeholders in a script: {sql}"
        );
        Script {
            sql,
            values: values.0.0,
        }
    }

    fn is_empty(&self) -> bool {
        self.sql.is_empty()
    }

    fn append(&mut self, next: Script) {
        if next.is_empty() {
            return;
        }
        if !self.sql.is_empty() {
            self.sql.push_str(";\n");
        }
        self.sql.push_str(&next.sql);
        self.values.extend(next.values);
    }

    fn into_parts(self) -> (sqlx::AssertSqlSafe<String>, SqlxValues) {
        (
            sqlx::AssertSqlSafe(self.sql),
            SqlxValues(sea_query::Values(self.values)),
        )
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        // The turn passes on; the committing task is woken for whatever the batch holds.
        // A write still unfinished (its caller returned early or was cancelled) is rolled
        // back by whoever takes the turn next, the committing task if nobody else comes; a
        // batch left open would keep other processes from writing.
        self.commit_wanted.notify_one();
    }
}

impl Batch {
    /// Rolls back the savepoint a write left open, if any. A write whose first script never
    /// reached SQLite set none: between writes no savepoint is open (each is released with
    /// its write's last statements), so "no such savepoint" means there is nothing to undo.
    async fn recover(&mut self) {
        if !std::mem::take(&mut self.unfinished) {
            return;
        }
        let Some(tx) = self.tx.as_mut() else { return };
        match run(tx, ROLLBACK).await {
            Ok(()) => {}
            Err(StoreError::Database(sqlx::Error::Database(error)))
                if error.message().starts_with("no such savepoint") => {}
            Err(error) => self.abort(&error.to_string()).await,
        }
    }

    /// Commits the open batch and answers its writers.
    async fn commit(&mut self) {
        self.recover().await;
        let Some(tx) = self.tx.take() else {
            // Nothing open: any writer still waiting lost its batch (never the case unless
            // a rollback failed), and is told so rather than left waiting.
            for waiting in self.waiting.drain(..) {
                let _ = waiting.send(Err("the batch was rolled back".to_string()));
            }
            return;
        };
        let outcome = tx.commit().await.map_err(|e| e.to_string());
        if let Err(error) = &outcome {
            tracing::error!(%error, writes = self.waiting.len(), "committing a batch of writes failed");
        }
        for waiting in self.waiting.drain(..) {
            let _ = waiting.send(outcome.clone());
        }
    }

    /// Rolls the whole batch back after its transaction failed, and tells its writers.
    async fn abort(&mut self, error: &str) {
        tracing::error!(%error, writes = self.waiting.len(), "a batch of writes was rolled back");
        self.unfinished = false;
        if let Some(tx) = self.tx.take() {
            let _ = tx.rollback().await;
        }
        for waiting in self.waiting.drain(..) {
            let _ = waiting.send(Err(error.to_string()));
        }
    }
}

async fn run(tx: &mut SqliteConnection, sql: &'static str) -> Result<(), StoreError> {
    sqlx::raw_sql(sql).execute(tx).await?;
    Ok(())
}

/// Commits a batch whenever a writer asks, after the writers already queued for the turn
/// (the lock is first come, first served) have added theirs.
async fn commit_batches(batch: Weak<Mutex<Batch>>, commit_wanted: Arc<Notify>) {
    loop {
        commit_wanted.notified().await;
        let Some(batch) = batch.upgrade() else { return };
        batch.lock().await.commit().await;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use sea_query::Value;
    use sqlx::sqlite::SqlitePoolOptions;

    /// One in-memory database (one connection, so every statement sees the same one) with a
    /// table whose `n` is unique.
    async fn pool() -> SqlitePool {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::raw_sql("CREATE TABLE t (n INTEGER NOT NULL UNIQUE, s TEXT NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        pool
    }

    fn insert(n: i64, s: &str) -> Script {
        Script {
            sql: "INSERT INTO t (n, s) VALUES (?, ?)".to_string(),
            values: vec![Value::from(n), Value::from(s)],
        }
    }

    async fn rows(pool: &SqlitePool) -> Vec<(i64, String)> {
        sqlx::query_as("SELECT n, s FROM t ORDER BY n")
            .fetch_all(pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_script_binds_each_statement_its_own_values_and_returns_the_last_ones_rows() {
        let pool = pool().await;
        let writer = Writer::new();
        let mut write = writer.join(&pool).await.unwrap();
        write.queue(insert(1, "bir"));
        write.queue(insert(2, "iki"));
        let mut select = Script::new("SELECT s FROM t WHERE n > ?");
        select.values.push(Value::from(1i64));
        let (selected, _) = write.fetch(select).await.unwrap();
        use sqlx::Row as _;
        let selected: Vec<String> = selected.iter().map(|r| r.get(0)).collect();
        assert_eq!(selected, ["iki"]);
        let (_, changed) = write.fetch(insert(3, "üç")).await.unwrap();
        assert_eq!(changed, 1);
        write.finish().await.unwrap();
        let expected = [(1, "bir"), (2, "iki"), (3, "üç")].map(|(n, s)| (n, s.to_string()));
        assert_eq!(rows(&pool).await, expected);
    }

    #[tokio::test]
    async fn a_queued_statement_that_fails_fails_its_write_alone() {
        let pool = pool().await;
        let writer = Writer::new();
        let mut first = writer.join(&pool).await.unwrap();
        first.queue(insert(1, "kalır"));
        first.finish().await.unwrap();
        let mut second = writer.join(&pool).await.unwrap();
        second.queue(insert(2, "gider"));
        second.queue(insert(1, "çakışır"));
        let refused = second.finish().await;
        assert!(matches!(refused, Err(StoreError::Unique(_))), "{refused:?}");
        let mut third = writer.join(&pool).await.unwrap();
        third.queue(insert(3, "sonra"));
        third.finish().await.unwrap();
        let expected = [(1, "kalır"), (3, "sonra")].map(|(n, s)| (n, s.to_string()));
        assert_eq!(rows(&pool).await, expected);
    }

    /// A write given up before its first statement reached SQLite set no savepoint; rolling
    /// it back must leave the batch, and the writes already in it, alone.
    #[tokio::test]
    async fn a_write_given_up_before_its_first_statement_undoes_nothing() {
        let pool = pool().await;
        let mut batch = Batch {
            tx: Some(pool.begin_with("BEGIN IMMEDIATE").await.unwrap()),
            ..Batch::default()
        };
        let tx = batch.tx.as_deref_mut().unwrap();
        let (sql, values) = insert(1, "önceki").into_parts();
        sqlx::query_with(sql, values).execute(tx).await.unwrap();
        batch.unfinished = true;
        batch.recover().await;
        assert!(batch.tx.is_some(), "the batch is still open");
        batch.commit().await;
        assert_eq!(rows(&pool).await, [(1, "önceki".to_string())]);
    }

    /// A write given up after its savepoint was set is rolled back to it.
    #[tokio::test]
    async fn a_write_given_up_after_its_savepoint_is_rolled_back_alone() {
        let pool = pool().await;
        let mut batch = Batch {
            tx: Some(pool.begin_with("BEGIN IMMEDIATE").await.unwrap()),
            ..Batch::default()
        };
        let mut script = insert(1, "önceki");
        script.append(Script::new(SAVEPOINT));
        script.append(insert(2, "yarım"));
        let (sql, values) = script.into_parts();
        let tx = batch.tx.as_deref_mut().unwrap();
        sqlx::query_with(sql, values).execute(tx).await.unwrap();
        batch.unfinished = true;
        batch.recover().await;
        batch.commit().await;
        assert_eq!(rows(&pool).await, [(1, "önceki".to_string())]);
    }
}
