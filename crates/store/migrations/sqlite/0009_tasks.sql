-- Tasks: something a user has to do, by a date (`due_date`, YYYY-MM-DD) or a time
-- (`due_at`), for the records it concerns. The owner is the assignee and the team the
-- assignee's, so the scope filter reads them like any record's. `due_key` orders lists and
-- "Bugün": the due time, or the start of the due date in the home zone, or the largest
-- BIGINT for a task without a due. Times are UTC microseconds. Kept in step with the other
-- backend's migration of the same version.

CREATE TABLE tasks (
    id                INTEGER PRIMARY KEY,
    title             TEXT NOT NULL,
    notes             TEXT NOT NULL,
    due_date          TEXT,
    due_at            BIGINT,
    due_key           BIGINT NOT NULL,
    priority          TEXT NOT NULL,
    status            TEXT NOT NULL,
    reminder_at       BIGINT,
    reminder_sent_at  BIGINT,
    completed_at      BIGINT,
    completed_by      BIGINT REFERENCES users (id),
    owner_id          BIGINT NOT NULL REFERENCES users (id),
    team_id           BIGINT REFERENCES teams (id),
    created_by        BIGINT REFERENCES users (id),
    version           BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    deleted_at        BIGINT,
    CONSTRAINT tasks_priority_check CHECK (priority IN ('low', 'normal', 'high')),
    CONSTRAINT tasks_status_check CHECK (status IN ('open', 'done')),
    CONSTRAINT tasks_due_check CHECK (due_date IS NULL OR due_at IS NULL)
);

-- One assignee's and one team's open or done tasks by due ("Bugün", the tasks list), and
-- everyone's; reminders still to send.
CREATE INDEX tasks_owner_idx ON tasks (owner_id, status, due_key, id);
CREATE INDEX tasks_team_idx ON tasks (team_id, status, due_key, id);
CREATE INDEX tasks_due_idx ON tasks (status, due_key, id);
CREATE INDEX tasks_reminder_idx ON tasks (reminder_at) WHERE reminder_sent_at IS NULL;

CREATE TABLE task_links (
    task_id      BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    record_type  TEXT NOT NULL,
    record_id    BIGINT NOT NULL,
    automatic    BOOLEAN NOT NULL,
    CONSTRAINT task_links_pkey PRIMARY KEY (task_id, record_type, record_id),
    CONSTRAINT task_links_record_type_check
        CHECK (record_type IN ('person', 'company', 'deal', 'quote', 'order', 'invoice', 'ticket'))
);

-- A record's tasks (its timeline).
CREATE INDEX task_links_record_idx ON task_links (record_type, record_id, task_id);
