-- Append-only tables refuse every rewrite, not only UPDATE and DELETE. Kept in step with the
-- SQLite migration of the same version.
--
-- TRUNCATE fires no row trigger, so it emptied the audit log; a statement-level BEFORE
-- TRUNCATE trigger refuses it. An upsert (`INSERT … ON CONFLICT DO UPDATE`) runs the row
-- UPDATE trigger and is refused already; an insert with an existing id is a unique
-- violation. One function serves every append-only table (the customer ledger, later): it
-- names the table it guards.

CREATE FUNCTION rehber_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

DROP TRIGGER audit_events_no_change ON audit_events;
DROP FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION rehber_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION rehber_append_only();
