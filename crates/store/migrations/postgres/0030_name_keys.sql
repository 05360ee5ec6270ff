-- Similar names (`n:` keys): a person's or company's folded name, computed by Rehber when
-- it writes the record (`name_key`; see `rehber_domain::party::keys`), kept in
-- `contact_keys` beside the exact keys by the same triggers. They only put two records on
-- the review list of possible duplicates: no save is refused for a name. Records kept
-- before this version get theirs from `rehber reindex`. Kept in step with the other
-- backend's migration of the same version.

ALTER TABLE people ADD COLUMN name_key TEXT;
ALTER TABLE companies ADD COLUMN name_key TEXT;

CREATE OR REPLACE FUNCTION rehber_people_contact_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO contact_keys (key, record_type, record_id)
    SELECT k.key, 'person', n.id FROM changed n CROSS JOIN LATERAL (
        SELECT 'e:' || translate(e, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS key FROM jsonb_array_elements_text(n.emails::jsonb) e
        UNION SELECT 'p:' || p FROM jsonb_array_elements_text(n.phones::jsonb) p
        UNION SELECT 't:' || n.national_id WHERE n.national_id IS NOT NULL
        UNION SELECT 'n:' || n.name_key WHERE n.name_key IS NOT NULL
    ) k
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION rehber_companies_contact_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO contact_keys (key, record_type, record_id)
    SELECT k.key, 'company', n.id FROM changed n CROSS JOIN LATERAL (
        SELECT 'e:' || translate(e, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS key FROM jsonb_array_elements_text(n.emails::jsonb) e
        UNION SELECT 'p:' || p FROM jsonb_array_elements_text(n.phones::jsonb) p
        UNION SELECT 't:' || n.national_id WHERE n.national_id IS NOT NULL
        UNION SELECT 'v:' || n.tax_number WHERE n.tax_number IS NOT NULL
        UNION SELECT 'n:' || n.name_key WHERE n.name_key IS NOT NULL
    ) k
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION rehber_contact_keys_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind TEXT := CASE TG_TABLE_NAME WHEN 'people' THEN 'person' ELSE 'company' END;
    tax TEXT := CASE TG_TABLE_NAME WHEN 'companies' THEN to_jsonb(NEW) ->> 'tax_number' END;
BEGIN
    DELETE FROM contact_keys WHERE record_type = kind AND record_id = NEW.id;
    INSERT INTO contact_keys (key, record_type, record_id)
    SELECT k.key, kind, NEW.id FROM (
        SELECT 'e:' || translate(e, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS key FROM jsonb_array_elements_text(NEW.emails::jsonb) e
        UNION SELECT 'p:' || p FROM jsonb_array_elements_text(NEW.phones::jsonb) p
        UNION SELECT 't:' || NEW.national_id WHERE NEW.national_id IS NOT NULL
        UNION SELECT 'v:' || tax WHERE tax IS NOT NULL
        UNION SELECT 'n:' || NEW.name_key WHERE NEW.name_key IS NOT NULL
    ) k
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

DROP TRIGGER people_contact_keys_update ON people;
DROP TRIGGER companies_contact_keys_update ON companies;
CREATE TRIGGER people_contact_keys_update AFTER UPDATE OF emails, phones, national_id, name_key ON people
FOR EACH ROW WHEN (OLD.emails IS DISTINCT FROM NEW.emails OR OLD.phones IS DISTINCT FROM NEW.phones
    OR OLD.national_id IS DISTINCT FROM NEW.national_id OR OLD.name_key IS DISTINCT FROM NEW.name_key)
EXECUTE FUNCTION rehber_contact_keys_change();
CREATE TRIGGER companies_contact_keys_update AFTER UPDATE OF emails, phones, national_id, tax_number, name_key ON companies
FOR EACH ROW WHEN (OLD.emails IS DISTINCT FROM NEW.emails OR OLD.phones IS DISTINCT FROM NEW.phones
    OR OLD.national_id IS DISTINCT FROM NEW.national_id OR OLD.tax_number IS DISTINCT FROM NEW.tax_number
    OR OLD.name_key IS DISTINCT FROM NEW.name_key)
EXECUTE FUNCTION rehber_contact_keys_change();
