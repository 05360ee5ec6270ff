-- Imports of people and companies. An import keeps its uploaded file (by its key in the
-- file store), the header read from it and the field each column fills; a check writes the
-- counts and the rows with something to say (`report`, JSON: line, status and messages);
-- a commit creates every row or none, each record pointing back at its import
-- (`import_id`), so an undo can move to the trash exactly those not changed since.
--
-- status: uploaded → checking → checked → committing → committed → undone; a commit that
-- could not write (a record added meanwhile with the same e-mail) ends `failed` and may be
-- checked again. `step_at` is when a step last moved (its progress), so that a check or
-- commit cut short by a stopped process is found and marked `failed`. Kept in step with the other backend's migration of the same version.

CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    status        TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    file_key      TEXT NOT NULL,
    file_size     BIGINT NOT NULL,
    encoding      TEXT,
    delimiter     TEXT,
    sheet         TEXT,
    header        TEXT NOT NULL,
    mapping       TEXT NOT NULL,
    rows_total    BIGINT NOT NULL DEFAULT 0,
    rows_ok       BIGINT NOT NULL DEFAULT 0,
    rows_warning  BIGINT NOT NULL DEFAULT 0,
    rows_error    BIGINT NOT NULL DEFAULT 0,
    rows_created  BIGINT NOT NULL DEFAULT 0,
    progress      BIGINT NOT NULL DEFAULT 0,
    report        TEXT NOT NULL DEFAULT '[]',
    failure       TEXT,
    created_by    BIGINT NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    checked_at    BIGINT,
    committed_at  BIGINT,
    undone_at     BIGINT,
    step_at       BIGINT,
    CONSTRAINT imports_kind_check CHECK (kind IN ('people', 'companies')),
    CONSTRAINT imports_status_check CHECK (status IN ('uploaded', 'checking', 'checked', 'committing', 'committed', 'failed', 'undone')),
    CONSTRAINT imports_progress_check CHECK (progress BETWEEN 0 AND 100)
);
CREATE INDEX imports_created_by_idx ON imports (created_by, id);

ALTER TABLE people ADD COLUMN import_id BIGINT REFERENCES imports (id);
ALTER TABLE companies ADD COLUMN import_id BIGINT REFERENCES imports (id);
CREATE INDEX people_import_idx ON people (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX companies_import_idx ON companies (import_id) WHERE import_id IS NOT NULL;
