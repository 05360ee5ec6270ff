-- Consent history (KVKK explicit consent and İYS commercial permissions): one row per answer
-- a person gave, never rewritten. The current answer of a purpose and channel is its latest
-- row by `given_at` (the moment the person answered, UTC microseconds; `recorded_at` is
-- when it was typed in). A commercial permission names its channel; a KVKK purpose may
-- name none (every channel). `address` is the e-mail or E.164 phone the answer is about.
-- `iys_status` follows a commercial permission to İYS (`pending` until sent); KVKK
-- purposes are `not_required`.
--
-- The answer itself (purpose, channel, status, source, dates, who recorded it) is refused
-- any change and rows are never deleted: history is evidence. Only the person it belongs to
-- (a merge), the address (an erasure's one-way redaction), the evidence and the İYS status
-- may change. Kept in step with the other backend's migration of the same version.

CREATE TABLE consents (
    id                      INTEGER PRIMARY KEY,
    person_id               BIGINT NOT NULL REFERENCES people (id),
    purpose                 TEXT NOT NULL,
    channel                 TEXT,
    address                 TEXT,
    status                  TEXT NOT NULL,
    source                  TEXT NOT NULL,
    given_at                BIGINT NOT NULL,
    recorded_by             BIGINT REFERENCES users (id),
    recorded_at             BIGINT NOT NULL,
    evidence_attachment_id  BIGINT REFERENCES attachments (id),
    iys_status              TEXT NOT NULL,
    CONSTRAINT consents_purpose_check CHECK (purpose IN ('commercial', 'kvkk_marketing', 'kvkk_profiling', 'kvkk_transfer_abroad')),
    CONSTRAINT consents_channel_check CHECK (channel IN ('email', 'sms', 'call')),
    CONSTRAINT consents_commercial_channel_check CHECK (purpose <> 'commercial' OR channel IS NOT NULL),
    CONSTRAINT consents_status_check CHECK (status IN ('granted', 'denied')),
    CONSTRAINT consents_source_check CHECK (source <> ''),
    CONSTRAINT consents_iys_status_check CHECK (iys_status IN ('pending', 'sent', 'not_required'))
);
-- A person's history, and the latest answer of each purpose and channel.
CREATE INDEX consents_person_idx ON consents (person_id, purpose, channel, given_at);
-- The commercial permissions still to send to İYS, oldest first.
CREATE INDEX consents_iys_pending_idx ON consents (recorded_at) WHERE iys_status = 'pending';

CREATE TRIGGER consents_keep_answer BEFORE UPDATE OF purpose, channel, status, source, given_at, recorded_by, recorded_at ON consents
BEGIN SELECT RAISE(ABORT, 'consents keep their answers'); END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN SELECT RAISE(ABORT, 'consents is append-only'); END;
CREATE TRIGGER consents_no_overwrite BEFORE INSERT ON consents
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM consents WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'consents is append-only'); END;
