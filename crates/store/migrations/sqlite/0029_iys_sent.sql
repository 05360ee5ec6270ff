-- The hand-over of commercial permissions to İYS: when an administrator marked a
-- permission as uploaded in İYS's bulk file, and who. `iys_status` moves from `pending` to
-- `sent` with them; the answer itself stays as given (the consents triggers allow these
-- columns to change and no others). Kept in step with the other backend's migration of the
-- same version.

ALTER TABLE consents ADD COLUMN iys_sent_at BIGINT;
ALTER TABLE consents ADD COLUMN iys_sent_by BIGINT REFERENCES users (id);
