-- Comments on records, the users each mentions, and the notifications Rehber keeps for
-- each user (a mention, a task handed to them, a reminder). A comment is seen with its
-- record; a notification only by its user. `emailed_at` is set once an e-mail about a
-- notification still unread after the delay went out. Times are UTC microseconds. Kept in
-- step with the other backend's migration of the same version.

CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    record_type  TEXT NOT NULL,
    record_id    BIGINT NOT NULL,
    body         TEXT NOT NULL,
    author_id    BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    deleted_at   BIGINT,
    CONSTRAINT comments_record_type_check
        CHECK (record_type IN ('person', 'company', 'deal', 'quote', 'order', 'invoice', 'ticket'))
);

-- A record's comments, newest first (its timeline).
CREATE INDEX comments_record_idx ON comments (record_type, record_id, created_at, id);

CREATE TABLE comment_mentions (
    comment_id  BIGINT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    CONSTRAINT comment_mentions_pkey PRIMARY KEY (comment_id, user_id)
);

CREATE TABLE notifications (
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
    CONSTRAINT notifications_kind_check CHECK (kind IN ('mention', 'assignment', 'reminder')),
    CONSTRAINT notifications_subject_type_check CHECK (subject_type IN ('person', 'company', 'task'))
);

-- One user's notifications, newest first, and their unread ones (the bell's count).
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id, id) WHERE read_at IS NULL;
