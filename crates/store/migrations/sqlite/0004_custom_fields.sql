-- Custom fields: definitions per record kind, each record's values as a JSON object (read
-- with the record, in the shape the API shows), and the same values typed in
-- `custom_values` for filtering and sorting. Kept in step with the other backend's
-- migration of the same version.
--
-- Why a typed value table beside the JSON: one SQL text filters and sorts on both backends,
-- the three indexes serve every field (no DDL when an administrator adds one), and a filter
-- on one field reads only that field's index entries. docs/architecture.md has the figures.

CREATE TABLE custom_fields (
    id           INTEGER PRIMARY KEY,
    record_type  TEXT NOT NULL,
    key          TEXT NOT NULL,
    field_type   TEXT NOT NULL,
    label_tr     TEXT NOT NULL,
    label_en     TEXT NOT NULL,
    required     BOOLEAN NOT NULL,
    options      TEXT NOT NULL,
    decimals     INTEGER NOT NULL,
    section      TEXT NOT NULL,
    position     BIGINT NOT NULL,
    in_list      BOOLEAN NOT NULL,
    filterable   BOOLEAN NOT NULL,
    archived     BOOLEAN NOT NULL,
    version      BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT custom_fields_record_type_key UNIQUE (record_type, key)
);

ALTER TABLE people ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
ALTER TABLE companies ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';

-- One row per value (a multi-choice has one per chosen option). `v_text` holds folded text,
-- option keys, ISO dates and E.164 phones; `v_num` numbers, money in minor units and
-- booleans as 0/1.
CREATE TABLE custom_values (
    field_id   BIGINT NOT NULL REFERENCES custom_fields (id),
    record_id  BIGINT NOT NULL,
    v_text     TEXT,
    v_num      REAL
);
CREATE INDEX custom_values_record ON custom_values (field_id, record_id);
CREATE INDEX custom_values_text ON custom_values (field_id, v_text, record_id);
CREATE INDEX custom_values_num ON custom_values (field_id, v_num, record_id);
