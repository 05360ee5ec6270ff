-- Durable background jobs: reminders, e-mail, imports, exports and housekeeping are queued
-- here and run by the servers' workers, one job per unit of work. A worker claims a due job
-- for a lease (`locked_by`, `locked_until`); a job whose lease ran out (its worker died)
-- is claimed again. A failure puts the job back with a later `run_at` until
-- `max_attempts`, then it is `dead`; a job that can never succeed is `failed` at once.
-- `dedupe_key` makes enqueuing idempotent (one purge per period, one reminder per task).
-- Kept in step with the other backend's migration of the same version.

CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    dedupe_key    TEXT,
    status        TEXT NOT NULL,
    run_at        BIGINT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL,
    locked_by     TEXT,
    locked_until  BIGINT,
    last_error    TEXT,
    created_at    BIGINT NOT NULL,
    finished_at   BIGINT,
    CONSTRAINT jobs_dedupe_key_key UNIQUE (dedupe_key),
    CONSTRAINT jobs_status_check CHECK (status IN ('queued', 'running', 'done', 'failed', 'dead')),
    CONSTRAINT jobs_attempts_check CHECK (attempts >= 0 AND max_attempts >= 1)
);

-- The claim's scan: due queued jobs in order, and running jobs by lease end.
CREATE INDEX jobs_due_idx ON jobs (status, run_at, id);
CREATE INDEX jobs_lease_idx ON jobs (status, locked_until);
