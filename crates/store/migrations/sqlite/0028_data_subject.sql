-- Data-subject requests (KVKK article 11): an administrator's export of everything Rehber
-- holds about a person, and the erasure of a person. Kept in step with the other backend's
-- migration of the same version.
--
-- `data_requests` lists the requests and when they are due (30 days after they were made,
-- KVKK article 13); an export's ZIP is a stored file (`file_key`), removed when the person
-- is erased. `erasure_log` names what was erased and when, and nothing else: it survives the
-- erasure, and a restore of an older backup reads it to erase the person again.
--
-- The audit log stays append-only except for one thing an erasure needs: a one-way
-- redaction. An entry may change only its `changes` (the values it quotes) together with
-- `redacted_at`, which is set and never moves back; every other column stays as written.

CREATE TABLE data_requests (
    id            INTEGER PRIMARY KEY,
    person_id     BIGINT NOT NULL REFERENCES people (id),
    kind          TEXT NOT NULL,
    status        TEXT NOT NULL,
    requested_by  BIGINT REFERENCES users (id),
    requested_at  BIGINT NOT NULL,
    due_at        BIGINT NOT NULL,
    job_id        BIGINT,
    file_key      TEXT,
    file_size     BIGINT,
    finished_at   BIGINT,
    failure       TEXT,
    CONSTRAINT data_requests_kind_check CHECK (kind IN ('access', 'erasure')),
    CONSTRAINT data_requests_status_check CHECK (status IN ('queued', 'running', 'done', 'failed'))
);
CREATE INDEX data_requests_person_idx ON data_requests (person_id, id);
CREATE INDEX data_requests_requested_idx ON data_requests (requested_at, id);

CREATE TABLE erasure_log (
    id           INTEGER PRIMARY KEY,
    record_type  TEXT NOT NULL,
    record_id    BIGINT NOT NULL,
    executed_at  BIGINT NOT NULL,
    request_id   BIGINT REFERENCES data_requests (id),
    -- When the erased record was created: a restore erases again only the same record.
    record_created_at  BIGINT NOT NULL,
    CONSTRAINT erasure_log_record_type_check CHECK (record_type IN ('person'))
);
CREATE INDEX erasure_log_record_idx ON erasure_log (record_type, record_id);
CREATE TRIGGER erasure_log_no_update BEFORE UPDATE ON erasure_log
BEGIN SELECT RAISE(ABORT, 'erasure_log is append-only'); END;
CREATE TRIGGER erasure_log_no_delete BEFORE DELETE ON erasure_log
BEGIN SELECT RAISE(ABORT, 'erasure_log is append-only'); END;

ALTER TABLE audit_events ADD COLUMN redacted_at BIGINT;
DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_id IS NOT OLD.actor_id
    OR NEW.record_type IS NOT OLD.record_type OR NEW.record_id IS NOT OLD.record_id
    OR NEW.action IS NOT OLD.action OR NEW.redacted_at IS NULL
    OR NEW.redacted_at < COALESCE(OLD.redacted_at, NEW.redacted_at)
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
