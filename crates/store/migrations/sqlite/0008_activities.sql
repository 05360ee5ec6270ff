-- Activities: calls, e-mails, SMS, meetings, visits and notes, logged or planned, and the
-- records each concerns. An activity's owner and team are copied from the record it was
-- first linked to when it was logged, so the scope filter reads them like any record's.
-- A person's company is linked too at the time (`automatic`): the company's history keeps
-- the call if the person moves on. Times are UTC microseconds. Kept in step with the other
-- backend's migration of the same version.

CREATE TABLE activities (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL,
    direction         TEXT,
    status            TEXT NOT NULL,
    subject           TEXT NOT NULL,
    body              TEXT NOT NULL,
    starts_at         BIGINT NOT NULL,
    ends_at           BIGINT,
    all_day           BOOLEAN NOT NULL,
    outcome           TEXT,
    location          TEXT NOT NULL,
    latitude          REAL,
    longitude         REAL,
    reminder_at       BIGINT,
    reminder_sent_at  BIGINT,
    owner_id          BIGINT REFERENCES users (id),
    team_id           BIGINT REFERENCES teams (id),
    created_by        BIGINT REFERENCES users (id),
    version           BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    deleted_at        BIGINT,
    CONSTRAINT activities_kind_check CHECK (kind IN ('call', 'email', 'sms', 'meeting', 'visit', 'note')),
    CONSTRAINT activities_status_check CHECK (status IN ('planned', 'done', 'cancelled')),
    CONSTRAINT activities_direction_check CHECK (direction IN ('inbound', 'outbound', 'internal')),
    CONSTRAINT activities_times_check CHECK (ends_at IS NULL OR ends_at >= starts_at)
);

-- A rep's and a team's activities by time (the calendar, "Bugün"), and everyone's.
CREATE INDEX activities_owner_idx ON activities (owner_id, starts_at, id);
CREATE INDEX activities_team_idx ON activities (team_id, starts_at, id);
CREATE INDEX activities_starts_idx ON activities (starts_at, id);

CREATE TABLE activity_links (
    activity_id  BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    record_type  TEXT NOT NULL,
    record_id    BIGINT NOT NULL,
    automatic    BOOLEAN NOT NULL,
    CONSTRAINT activity_links_pkey PRIMARY KEY (activity_id, record_type, record_id),
    CONSTRAINT activity_links_record_type_check
        CHECK (record_type IN ('person', 'company', 'deal', 'quote', 'order', 'invoice', 'ticket'))
);

-- A record's activities (its timeline).
CREATE INDEX activity_links_record_idx ON activity_links (record_type, record_id, activity_id);
