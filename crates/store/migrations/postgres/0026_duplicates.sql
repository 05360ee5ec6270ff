-- The keys that make two people (or two companies) the same: each e-mail address (`e:`,
-- its ASCII letters lower-cased, as SQLite's `lower` does, so both backends agree), each
-- E.164 phone (`p:`), the national ID (`t:`, TCKN) and a company's tax number (`v:`, VKN).
-- Triggers keep them in step with every write of the records (the services, a bulk load,
-- an import), so the duplicate check on create and edit, and an import's check against
-- the database, read one index instead of every record's contact lists. Rows in the trash keep their keys; readers join the live record. Kept in step
-- with the other backend's migration of the same version.

CREATE TABLE contact_keys (
    key          TEXT NOT NULL,
    record_type  TEXT NOT NULL,
    record_id    BIGINT NOT NULL,
    PRIMARY KEY (key, record_type, record_id),
    CONSTRAINT contact_keys_record_type_check CHECK (record_type IN ('person', 'company'))
);
CREATE INDEX contact_keys_record_idx ON contact_keys (record_type, record_id);

-- The keys of the records in `changed` (the statement's new rows): once per statement on
-- insert, so that a bulk load writes its keys in one pass.
CREATE FUNCTION rehber_people_contact_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO contact_keys (key, record_type, record_id)
    SELECT k.key, 'person', n.id FROM changed n CROSS JOIN LATERAL (
        SELECT 'e:' || translate(e, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS key FROM jsonb_array_elements_text(n.emails::jsonb) e
        UNION SELECT 'p:' || p FROM jsonb_array_elements_text(n.phones::jsonb) p
        UNION SELECT 't:' || n.national_id WHERE n.national_id IS NOT NULL
    ) k
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER people_contact_keys_insert AFTER INSERT ON people
REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION rehber_people_contact_keys();

CREATE FUNCTION rehber_companies_contact_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO contact_keys (key, record_type, record_id)
    SELECT k.key, 'company', n.id FROM changed n CROSS JOIN LATERAL (
        SELECT 'e:' || translate(e, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS key FROM jsonb_array_elements_text(n.emails::jsonb) e
        UNION SELECT 'p:' || p FROM jsonb_array_elements_text(n.phones::jsonb) p
        UNION SELECT 't:' || n.national_id WHERE n.national_id IS NOT NULL
        UNION SELECT 'v:' || n.tax_number WHERE n.tax_number IS NOT NULL
    ) k
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER companies_contact_keys_insert AFTER INSERT ON companies
REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION rehber_companies_contact_keys();

-- Row by row on update, and only when a key column changed (an update trigger with a
-- transition table cannot name its columns, and most updates touch none of these).
CREATE FUNCTION rehber_contact_keys_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
    ) k
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER people_contact_keys_update AFTER UPDATE OF emails, phones, national_id ON people
FOR EACH ROW WHEN (OLD.emails IS DISTINCT FROM NEW.emails OR OLD.phones IS DISTINCT FROM NEW.phones
    OR OLD.national_id IS DISTINCT FROM NEW.national_id)
EXECUTE FUNCTION rehber_contact_keys_change();
CREATE TRIGGER companies_contact_keys_update AFTER UPDATE OF emails, phones, national_id, tax_number ON companies
FOR EACH ROW WHEN (OLD.emails IS DISTINCT FROM NEW.emails OR OLD.phones IS DISTINCT FROM NEW.phones
    OR OLD.national_id IS DISTINCT FROM NEW.national_id OR OLD.tax_number IS DISTINCT FROM NEW.tax_number)
EXECUTE FUNCTION rehber_contact_keys_change();

-- The records already kept.
INSERT INTO contact_keys (key, record_type, record_id)
SELECT 'e:' || translate(e, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), 'person', id FROM people, jsonb_array_elements_text(emails::jsonb) e
UNION SELECT 'p:' || p, 'person', id FROM people, jsonb_array_elements_text(phones::jsonb) p
UNION SELECT 't:' || national_id, 'person', id FROM people WHERE national_id IS NOT NULL
UNION SELECT 'e:' || translate(e, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), 'company', id FROM companies, jsonb_array_elements_text(emails::jsonb) e
UNION SELECT 'p:' || p, 'company', id FROM companies, jsonb_array_elements_text(phones::jsonb) p
UNION SELECT 't:' || national_id, 'company', id FROM companies WHERE national_id IS NOT NULL
UNION SELECT 'v:' || tax_number, 'company', id FROM companies WHERE tax_number IS NOT NULL
ON CONFLICT DO NOTHING;

-- A record merged into another stays in the trash pointing at the one that kept its links.
ALTER TABLE people ADD COLUMN merged_into_id BIGINT REFERENCES people (id);
ALTER TABLE companies ADD COLUMN merged_into_id BIGINT REFERENCES companies (id);
