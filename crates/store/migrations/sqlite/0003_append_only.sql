-- Append-only tables refuse every rewrite, not only UPDATE and DELETE. Kept in step with the
-- PostgreSQL migration of the same version.
--
-- `REPLACE INTO` (and `INSERT OR REPLACE`) deletes the conflicting row and inserts a new
-- one; while `recursive_triggers` is off, that implicit delete fires no DELETE trigger, so
-- an entry could be rewritten. An upsert (`INSERT … ON CONFLICT DO UPDATE`) is an UPDATE
-- and already refused, but refusing every insert that names an existing id closes both
-- doors before any conflict handling runs. SQLite has no TRUNCATE (its `DELETE FROM` with no
-- WHERE is refused by the DELETE trigger).
--
-- Every later append-only table (the customer ledger, for one) gets the same three triggers.

CREATE TRIGGER audit_events_no_overwrite BEFORE INSERT ON audit_events
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
