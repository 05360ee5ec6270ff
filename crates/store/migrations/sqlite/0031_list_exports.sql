-- Lists exported in the background: a list too long to write while its reader waits is
-- written by a job (`export.list`) and handed over as a notification. A row keeps what was
-- asked (the kind, the format, the list's parameters, the language) and, once done, the
-- file in the file store. Files are removed after a day (`rehber_app::list_exports`), so a
-- list of customers does not outlive its use. Kept in step with the other backend's
-- migration of the same version.

CREATE TABLE list_exports (
    id            INTEGER PRIMARY KEY,
    requested_by  BIGINT NOT NULL REFERENCES users (id),
    record_type   TEXT NOT NULL,
    format        TEXT NOT NULL,
    query         TEXT NOT NULL,
    lang          TEXT NOT NULL,
    status        TEXT NOT NULL,
    requested_at  BIGINT NOT NULL,
    finished_at   BIGINT,
    row_count     BIGINT,
    file_name     TEXT,
    file_key      TEXT,
    file_size     BIGINT,
    failure       TEXT,
    CONSTRAINT list_exports_record_type_check CHECK (record_type IN ('person', 'company')),
    CONSTRAINT list_exports_status_check CHECK (status IN ('queued', 'running', 'done', 'failed', 'expired'))
);
CREATE INDEX list_exports_user_idx ON list_exports (requested_by, id);

-- A finished export is a notification. SQLite changes a check only by rebuilding the table.
CREATE TABLE notifications_with_exports (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    kind          TEXT NOT NULL,
    subject_type  TEXT NOT NULL,
    subject_id    BIGINT NOT NULL,
    comment_id    BIGINT REFERENCES comments (id),
    actor_id      BIGINT REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    read_at       BIGINT,
    emailed_at    BIGINT,
    CONSTRAINT notifications_kind_check CHECK (kind IN ('mention', 'assignment', 'reminder', 'export_ready')),
    CONSTRAINT notifications_subject_type_check CHECK (subject_type IN ('person', 'company', 'deal', 'task', 'export'))
);
INSERT INTO notifications_with_exports SELECT id, user_id, kind, subject_type, subject_id, comment_id, actor_id, created_at, read_at, emailed_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_with_exports RENAME TO notifications;
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id, id) WHERE read_at IS NULL;
