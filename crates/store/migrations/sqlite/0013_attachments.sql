-- Files attached to records. The bytes live in the file store (a folder under the data
-- directory, or S3-compatible storage) under a key made of their SHA-256, so a file
-- uploaded twice is stored once; a row is seen with its record. Deleting an attachment
-- moves the row to the trash and leaves the bytes (another row may share them). Times are
-- UTC microseconds. Kept in step with the other backend's migration of the same version.

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    record_type   TEXT NOT NULL,
    record_id     BIGINT NOT NULL,
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    storage_key   TEXT NOT NULL,
    uploaded_by   BIGINT REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    deleted_at    BIGINT,
    CONSTRAINT attachments_record_type_check
        CHECK (record_type IN ('person', 'company', 'deal', 'quote', 'order', 'invoice', 'ticket')),
    CONSTRAINT attachments_size_check CHECK (size_bytes > 0)
);

-- A record's attachments, newest first.
CREATE INDEX attachments_record_idx ON attachments (record_type, record_id, created_at, id);
