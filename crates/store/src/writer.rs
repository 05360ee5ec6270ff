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
use sqlx::{Sqlite as Db, SqliteConnection, SqlitePool, Transaction};
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
    /// savepoint for this write. The write's statements run on [`Member::conn`]; it counts
    /// once [`Member::finish`] returns.
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
        let mut member = Member {
            batch,
            commit_wanted: self.commit_wanted.clone(),
        };
        member.batch.unfinished = true;
        if let Err(error) = member.run(SAVEPOINT).await {
            member.batch.abort(&error.to_string()).await;
            return Err(error);
        }
        Ok(member)
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
}

impl Member {
    /// The connection this write's statements run on.
    pub(crate) fn conn(&mut self) -> Result<&mut SqliteConnection, StoreError> {
        self.batch
            .tx
            .as_deref_mut()
            .ok_or_else(|| StoreError::Commit("the batch was rolled back".to_string()))
    }

    async fn run(&mut self, sql: &'static str) -> Result<(), StoreError> {
        run(self.conn()?, sql).await
    }

    /// Ends the write: its savepoint is released into the batch, the turn passes on, and the
    /// call returns once the batch is committed.
    pub(crate) async fn finish(mut self) -> Result<(), StoreError> {
        if let Err(error) = self.run(RELEASE).await {
            self.batch.abort(&error.to_string()).await;
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
        match self.run(ROLLBACK).await {
            Ok(()) => self.batch.unfinished = false,
            Err(error) => self.batch.abort(&error.to_string()).await,
        }
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
    /// Rolls back the savepoint a write left open, if any.
    async fn recover(&mut self) {
        if !std::mem::take(&mut self.unfinished) {
            return;
        }
        let Some(tx) = self.tx.as_mut() else { return };
        if let Err(error) = run(tx, ROLLBACK).await {
            self.abort(&error.to_string()).await;
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
