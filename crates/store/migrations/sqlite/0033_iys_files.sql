-- The İYS bulk files administrators downloaded, and the answers each held. Marking answers
-- as uploaded to İYS marks only answers that were in a downloaded file: an answer recorded
-- after the file was made (seen when the page was drawn again before marking), or one
-- whose transaction committed after the file was read though its id is lower, stays
-- pending. Ids only: what a file held is read again from the consents, so an erasure's
-- redaction reaches it. Kept in step with the other backend's migration of the same
-- version.

CREATE TABLE iys_files (
    id          INTEGER PRIMARY KEY,
    format      TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
    row_count   BIGINT NOT NULL,
    made_by     BIGINT REFERENCES users (id),
    made_at     BIGINT NOT NULL
);

CREATE TABLE iys_file_consents (
    file_id     BIGINT NOT NULL REFERENCES iys_files (id),
    consent_id  BIGINT NOT NULL REFERENCES consents (id),
    PRIMARY KEY (file_id, consent_id)
);
CREATE INDEX iys_file_consents_consent_idx ON iys_file_consents (consent_id);
