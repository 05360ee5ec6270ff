-- Similar names (`n:` keys): a person's or company's folded name, computed by Rehber when
-- it writes the record (`name_key`; see `rehber_domain::party::keys`), kept in
-- `contact_keys` beside the exact keys by the same triggers. They only put two records on
-- the review list of possible duplicates: no save is refused for a name. Records kept
-- before this version get theirs from `rehber reindex`. Kept in step with the other
-- backend's migration of the same version.

ALTER TABLE people ADD COLUMN name_key TEXT;
ALTER TABLE companies ADD COLUMN name_key TEXT;

DROP TRIGGER people_contact_keys_insert;
DROP TRIGGER people_contact_keys_update;
DROP TRIGGER companies_contact_keys_insert;
DROP TRIGGER companies_contact_keys_update;

CREATE TRIGGER people_contact_keys_insert AFTER INSERT ON people BEGIN
    INSERT OR IGNORE INTO contact_keys (key, record_type, record_id)
    SELECT 'e:' || lower(value), 'person', NEW.id FROM json_each(NEW.emails)
    UNION SELECT 'p:' || value, 'person', NEW.id FROM json_each(NEW.phones)
    UNION SELECT 't:' || NEW.national_id, 'person', NEW.id WHERE NEW.national_id IS NOT NULL
    UNION SELECT 'n:' || NEW.name_key, 'person', NEW.id WHERE NEW.name_key IS NOT NULL;
END;
CREATE TRIGGER people_contact_keys_update AFTER UPDATE OF emails, phones, national_id, name_key ON people
WHEN OLD.emails IS NOT NEW.emails OR OLD.phones IS NOT NEW.phones
    OR OLD.national_id IS NOT NEW.national_id OR OLD.name_key IS NOT NEW.name_key
BEGIN
    DELETE FROM contact_keys WHERE record_type = 'person' AND record_id = NEW.id;
    INSERT OR IGNORE INTO contact_keys (key, record_type, record_id)
    SELECT 'e:' || lower(value), 'person', NEW.id FROM json_each(NEW.emails)
    UNION SELECT 'p:' || value, 'person', NEW.id FROM json_each(NEW.phones)
    UNION SELECT 't:' || NEW.national_id, 'person', NEW.id WHERE NEW.national_id IS NOT NULL
    UNION SELECT 'n:' || NEW.name_key, 'person', NEW.id WHERE NEW.name_key IS NOT NULL;
END;

CREATE TRIGGER companies_contact_keys_insert AFTER INSERT ON companies BEGIN
    INSERT OR IGNORE INTO contact_keys (key, record_type, record_id)
    SELECT 'e:' || lower(value), 'company', NEW.id FROM json_each(NEW.emails)
    UNION SELECT 'p:' || value, 'company', NEW.id FROM json_each(NEW.phones)
    UNION SELECT 't:' || NEW.national_id, 'company', NEW.id WHERE NEW.national_id IS NOT NULL
    UNION SELECT 'v:' || NEW.tax_number, 'company', NEW.id WHERE NEW.tax_number IS NOT NULL
    UNION SELECT 'n:' || NEW.name_key, 'company', NEW.id WHERE NEW.name_key IS NOT NULL;
END;
CREATE TRIGGER companies_contact_keys_update AFTER UPDATE OF emails, phones, national_id, tax_number, name_key ON companies
WHEN OLD.emails IS NOT NEW.emails OR OLD.phones IS NOT NEW.phones
    OR OLD.national_id IS NOT NEW.national_id OR OLD.tax_number IS NOT NEW.tax_number
    OR OLD.name_key IS NOT NEW.name_key
BEGIN
    DELETE FROM contact_keys WHERE record_type = 'company' AND record_id = NEW.id;
    INSERT OR IGNORE INTO contact_keys (key, record_type, record_id)
    SELECT 'e:' || lower(value), 'company', NEW.id FROM json_each(NEW.emails)
    UNION SELECT 'p:' || value, 'company', NEW.id FROM json_each(NEW.phones)
    UNION SELECT 't:' || NEW.national_id, 'company', NEW.id WHERE NEW.national_id IS NOT NULL
    UNION SELECT 'v:' || NEW.tax_number, 'company', NEW.id WHERE NEW.tax_number IS NOT NULL
    UNION SELECT 'n:' || NEW.name_key, 'company', NEW.id WHERE NEW.name_key IS NOT NULL;
END;
