-- Imports that update the records their rows match. An import says what a row matching a
-- kept record (same e-mail, phone, national ID or tax number) does: `refuse` (an error, as
-- before), `update` (the record takes the row's values) or `skip`. A commit that updates
-- keeps each record's content from before (`before`, the form as JSON) and the version it
-- left the record at, so that an undo puts back the records nobody changed since. An
-- erasure deletes a person's rows here with the rest of what concerns only them. Kept in
-- step with the other backend's migration of the same version.

ALTER TABLE imports ADD COLUMN on_match TEXT NOT NULL DEFAULT 'refuse' CHECK (on_match IN ('refuse', 'update', 'skip'));
ALTER TABLE imports ADD COLUMN rows_update BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN rows_unchanged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN rows_skipped BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN rows_updated BIGINT NOT NULL DEFAULT 0;

CREATE TABLE import_updates (
    import_id      BIGINT NOT NULL REFERENCES imports (id),
    record_type    TEXT NOT NULL,
    record_id      BIGINT NOT NULL,
    version_after  BIGINT NOT NULL,
    before         TEXT NOT NULL,
    PRIMARY KEY (import_id, record_id),
    CONSTRAINT import_updates_type_check CHECK (record_type IN ('person', 'company'))
);
CREATE INDEX import_updates_record_idx ON import_updates (record_type, record_id);
