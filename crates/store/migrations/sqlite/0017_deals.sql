-- Deals (opportunities): a record kind like people and companies, with an owner and team,
-- tags, custom values and a full-text index, in a stage of a pipeline. Its amount is in
-- minor units of its currency (none when not known yet); its probability overrides the
-- stage's when set. `stage_entered_on` (ISO date) is when it entered its stage, for
-- rotting; `converted_from` names the lead a conversion made it from. Exchange rates are TRY per one unit of a currency on a day, times 10^6, entered
-- by hand or read from the central bank's daily file. Times are UTC microseconds. Kept in
-- step with the other backend's migration of the same version.

CREATE TABLE deals (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    sort_key           TEXT NOT NULL,
    search_key         TEXT NOT NULL,
    pipeline_id        BIGINT NOT NULL REFERENCES pipelines (id),
    stage_id           BIGINT NOT NULL REFERENCES pipeline_stages (id),
    amount_minor       BIGINT,
    currency           TEXT NOT NULL,
    probability        BIGINT,
    expected_close     TEXT,
    person_id          BIGINT REFERENCES people (id),
    company_id         BIGINT REFERENCES companies (id),
    lost_reason_id     BIGINT REFERENCES lost_reasons (id),
    lost_note          TEXT NOT NULL,
    forecast_category  TEXT,
    stage_entered_on   TEXT NOT NULL,
    converted_from     TEXT,
    tags               TEXT NOT NULL,
    notes              TEXT NOT NULL,
    custom             TEXT NOT NULL DEFAULT '{}',
    owner_id           BIGINT REFERENCES users (id),
    team_id            BIGINT REFERENCES teams (id),
    version            BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    deleted_at         BIGINT,
    search_text        TEXT GENERATED ALWAYS AS (' ' || search_key) VIRTUAL,
    CONSTRAINT deals_probability_check CHECK (probability IS NULL OR probability BETWEEN 0 AND 100),
    CONSTRAINT deals_amount_check CHECK (amount_minor IS NULL OR amount_minor >= 0)
);
CREATE INDEX deals_sort_idx ON deals (sort_key, id, search_text) WHERE deleted_at IS NULL;
CREATE INDEX deals_owner_idx ON deals (owner_id, sort_key, id, search_text) WHERE deleted_at IS NULL;
CREATE INDEX deals_team_idx ON deals (team_id, sort_key, id, search_text) WHERE deleted_at IS NULL;
CREATE INDEX deals_created_idx ON deals (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_updated_idx ON deals (updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_deleted_idx ON deals (deleted_at) WHERE deleted_at IS NOT NULL;
-- The board: a stage's cards, most recently changed first; and its totals, read from the
-- index alone in group order (the scope's owner and team included).
CREATE INDEX deals_board_idx ON deals (stage_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_totals_idx ON deals (pipeline_id, stage_id, currency, probability, amount_minor, owner_id, team_id) WHERE deleted_at IS NULL;
-- The same for a sales rep's board (their own deals) and a manager's (their team's).
CREATE INDEX deals_owner_board_idx ON deals (owner_id, stage_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_team_board_idx ON deals (team_id, stage_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_owner_totals_idx ON deals (owner_id, pipeline_id, stage_id, currency, probability, amount_minor) WHERE deleted_at IS NULL;
CREATE INDEX deals_team_totals_idx ON deals (team_id, pipeline_id, stage_id, currency, probability, amount_minor) WHERE deleted_at IS NULL;
CREATE INDEX deals_company_idx ON deals (company_id) WHERE deleted_at IS NULL;
CREATE INDEX deals_person_idx ON deals (person_id) WHERE deleted_at IS NULL;
-- A lead converts into one live deal (`person:12`): a second conversion finds it.
CREATE UNIQUE INDEX deals_converted_from_key ON deals (converted_from) WHERE deleted_at IS NULL AND converted_from IS NOT NULL;

CREATE TABLE deal_tags (
    tag      TEXT NOT NULL,
    deal_id  BIGINT NOT NULL REFERENCES deals (id),
    PRIMARY KEY (tag, deal_id)
);
CREATE INDEX deal_tags_deal_idx ON deal_tags (deal_id);

CREATE VIRTUAL TABLE deals_fts USING fts5 (search_key, content = 'deals', content_rowid = 'id', tokenize = 'unicode61', prefix = '2 3 4 5 6');
CREATE TRIGGER deals_fts_insert AFTER INSERT ON deals BEGIN
    INSERT INTO deals_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER deals_fts_delete AFTER DELETE ON deals BEGIN
    INSERT INTO deals_fts (deals_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER deals_fts_update AFTER UPDATE OF search_key ON deals BEGIN
    INSERT INTO deals_fts (deals_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO deals_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;

CREATE TABLE exchange_rates (
    id          INTEGER PRIMARY KEY,
    currency    TEXT NOT NULL,
    rate_date   TEXT NOT NULL,
    rate_e6     BIGINT NOT NULL,
    source      TEXT NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    CONSTRAINT exchange_rates_currency_date_key UNIQUE (currency, rate_date),
    CONSTRAINT exchange_rates_rate_check CHECK (rate_e6 > 0),
    CONSTRAINT exchange_rates_source_check CHECK (source IN ('manual', 'tcmb'))
);

-- A comment on a deal may mention someone: notifications name deals too. SQLite changes a
-- check only by rebuilding the table.
CREATE TABLE notifications_with_deals (
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
    CONSTRAINT notifications_subject_type_check CHECK (subject_type IN ('person', 'company', 'deal', 'task'))
);
INSERT INTO notifications_with_deals SELECT id, user_id, kind, subject_type, subject_id, comment_id, actor_id, created_at, read_at, emailed_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_with_deals RENAME TO notifications;
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id, id) WHERE read_at IS NULL;
