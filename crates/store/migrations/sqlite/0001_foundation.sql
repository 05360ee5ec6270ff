-- Rehber foundation schema (SQLite). Keep versions and constraint names identical to
-- migrations/postgres: unique violations are mapped to fields by constraint name.
-- Times are UTC microseconds since the Unix epoch (BIGINT on both backends).

CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    CONSTRAINT teams_name_key UNIQUE (name)
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    team_id        BIGINT REFERENCES teams (id),
    password_hash  TEXT,
    locale         TEXT,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    csrf_token    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE login_attempts (
    id         INTEGER PRIMARY KEY,
    email_key  TEXT NOT NULL,
    client     TEXT NOT NULL,
    succeeded  BOOLEAN NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX login_attempts_email_idx ON login_attempts (email_key, at);
CREATE INDEX login_attempts_client_idx ON login_attempts (client, at);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT,
    CONSTRAINT api_tokens_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE companies (
    id                       INTEGER PRIMARY KEY,
    name                     TEXT NOT NULL,
    sort_key                 TEXT NOT NULL,
    search_key               TEXT NOT NULL,
    emails                   TEXT NOT NULL,
    primary_email            TEXT,
    phones                   TEXT NOT NULL,
    primary_phone            TEXT,
    website                  TEXT NOT NULL,
    street                   TEXT NOT NULL,
    district                 TEXT NOT NULL,
    city                     TEXT NOT NULL,
    city_key                 TEXT NOT NULL,
    postal_code              TEXT NOT NULL,
    country                  TEXT NOT NULL,
    tags                     TEXT NOT NULL,
    lifecycle_stage          TEXT NOT NULL,
    lead_status              TEXT,
    lead_source              TEXT,
    bant_budget              BOOLEAN NOT NULL,
    bant_authority           BOOLEAN NOT NULL,
    bant_need                BOOLEAN NOT NULL,
    bant_timing              BOOLEAN NOT NULL,
    industry                 TEXT NOT NULL,
    size                     TEXT,
    annual_revenue_minor     BIGINT,
    annual_revenue_currency  TEXT,
    tax_office               TEXT NOT NULL,
    tax_number               TEXT,
    national_id              TEXT,
    trade_registry_number    TEXT NOT NULL,
    e_invoice                BOOLEAN NOT NULL,
    notes                    TEXT NOT NULL,
    owner_id                 BIGINT REFERENCES users (id),
    team_id                  BIGINT REFERENCES teams (id),
    version                  BIGINT NOT NULL,
    created_at               BIGINT NOT NULL,
    updated_at               BIGINT NOT NULL,
    deleted_at               BIGINT,
    CONSTRAINT companies_tax_number_key UNIQUE (tax_number)
);
CREATE INDEX companies_sort_idx ON companies (sort_key, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_owner_idx ON companies (owner_id, sort_key, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_team_idx ON companies (team_id, sort_key, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_created_idx ON companies (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_updated_idx ON companies (updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_city_idx ON companies (city_key) WHERE deleted_at IS NULL;
CREATE INDEX companies_deleted_idx ON companies (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE company_tags (
    tag         TEXT NOT NULL,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    PRIMARY KEY (tag, company_id)
);
CREATE INDEX company_tags_company_idx ON company_tags (company_id);

CREATE TABLE people (
    id                INTEGER PRIMARY KEY,
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    sort_key          TEXT NOT NULL,
    search_key        TEXT NOT NULL,
    emails            TEXT NOT NULL,
    primary_email     TEXT,
    phones            TEXT NOT NULL,
    primary_phone     TEXT,
    company_id        BIGINT REFERENCES companies (id),
    company_key       TEXT NOT NULL,
    job_title         TEXT NOT NULL,
    street            TEXT NOT NULL,
    district          TEXT NOT NULL,
    city              TEXT NOT NULL,
    city_key          TEXT NOT NULL,
    postal_code       TEXT NOT NULL,
    country           TEXT NOT NULL,
    tags              TEXT NOT NULL,
    lifecycle_stage   TEXT NOT NULL,
    lead_status       TEXT,
    lead_source       TEXT,
    bant_budget       BOOLEAN NOT NULL,
    bant_authority    BOOLEAN NOT NULL,
    bant_need         BOOLEAN NOT NULL,
    bant_timing       BOOLEAN NOT NULL,
    birthday          TEXT,
    national_id       TEXT,
    notes             TEXT NOT NULL,
    owner_id          BIGINT REFERENCES users (id),
    team_id           BIGINT REFERENCES teams (id),
    version           BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    deleted_at        BIGINT
);
CREATE INDEX people_sort_idx ON people (sort_key, id) WHERE deleted_at IS NULL;
CREATE INDEX people_owner_idx ON people (owner_id, sort_key, id) WHERE deleted_at IS NULL;
CREATE INDEX people_team_idx ON people (team_id, sort_key, id) WHERE deleted_at IS NULL;
CREATE INDEX people_created_idx ON people (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX people_updated_idx ON people (updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX people_company_idx ON people (company_id) WHERE deleted_at IS NULL;
CREATE INDEX people_city_idx ON people (city_key) WHERE deleted_at IS NULL;
CREATE INDEX people_deleted_idx ON people (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE person_tags (
    tag        TEXT NOT NULL,
    person_id  BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (tag, person_id)
);
CREATE INDEX person_tags_person_idx ON person_tags (person_id);

CREATE TABLE audit_events (
    id           INTEGER PRIMARY KEY,
    at           BIGINT NOT NULL,
    actor_id     BIGINT REFERENCES users (id),
    record_type  TEXT NOT NULL,
    record_id    BIGINT NOT NULL,
    action       TEXT NOT NULL,
    changes      TEXT NOT NULL
);
CREATE INDEX audit_events_record_idx ON audit_events (record_type, record_id, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id);

-- The audit log is append-only: the database itself refuses to change or remove an entry.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

-- Full-text search (dialect gap): an FTS5 index over the folded search key, kept in step
-- by triggers. Queries are prefix matches on folded tokens.
CREATE VIRTUAL TABLE companies_fts USING fts5 (search_key, content = 'companies', content_rowid = 'id', tokenize = 'unicode61');
CREATE TRIGGER companies_fts_insert AFTER INSERT ON companies BEGIN
    INSERT INTO companies_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER companies_fts_delete AFTER DELETE ON companies BEGIN
    INSERT INTO companies_fts (companies_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER companies_fts_update AFTER UPDATE OF search_key ON companies BEGIN
    INSERT INTO companies_fts (companies_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO companies_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;

CREATE VIRTUAL TABLE people_fts USING fts5 (search_key, company_key, content = 'people', content_rowid = 'id', tokenize = 'unicode61');
CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_fts (rowid, search_key, company_key) VALUES (new.id, new.search_key, new.company_key);
END;
CREATE TRIGGER people_fts_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, search_key, company_key) VALUES ('delete', old.id, old.search_key, old.company_key);
END;
CREATE TRIGGER people_fts_update AFTER UPDATE OF search_key, company_key ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, search_key, company_key) VALUES ('delete', old.id, old.search_key, old.company_key);
    INSERT INTO people_fts (rowid, search_key, company_key) VALUES (new.id, new.search_key, new.company_key);
END;
