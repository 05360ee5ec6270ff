-- The keys that make two people (or two companies) the same: each e-mail address (`e:`,
-- with ASCII letters lower-cased by `lower`), each E.164 phone (`p:`), the national ID (`t:`, TCKN) and a company's tax
-- number (`v:`, VKN). Triggers keep them in step with every write of the records (the
-- services, a bulk load, an import), so the duplicate check on create and edit, and an
-- import's check against the database, read one index instead of every record's contact
-- lists. Rows in the trash keep their keys; readers join the live record. Kept in step
-- with the other backend's migration of the same version.

CREATE TABLE contact_keys (
    key          TEXT NOT NULL,
    record_type  TEXT NOT NULL,
    record_id    BIGINT NOT NULL,
    PRIMARY KEY (key, record_type, record_id),
    CONSTRAINT contact_keys_record_type_check CHECK (record_type IN ('person', 'company'))
) WITHOUT ROWID;
CREATE INDEX contact_keys_record_idx ON contact_keys (record_type, record_id);

CREATE TRIGGER people_contact_keys_insert AFTER INSERT ON people BEGIN
    INSERT OR IGNORE INTO contact_keys (key, record_type, record_id)
    SELECT 'e:' || lower(value), 'person', NEW.id FROM json_each(NEW.emails)
    UNION SELECT 'p:' || value, 'person', NEW.id FROM json_each(NEW.phones)
    UNION SELECT 't:' || NEW.national_id, 'person', NEW.id WHERE NEW.national_id IS NOT NULL;
END;
CREATE TRIGGER people_contact_keys_update AFTER UPDATE OF emails, phones, national_id ON people
WHEN OLD.emails IS NOT NEW.emails OR OLD.phones IS NOT NEW.phones OR OLD.national_id IS NOT NEW.national_id
BEGIN
    DELETE FROM contact_keys WHERE record_type = 'person' AND record_id = NEW.id;
    INSERT OR IGNORE INTO contact_keys (key, record_type, record_id)
    SELECT 'e:' || lower(value), 'person', NEW.id FROM json_each(NEW.emails)
    UNION SELECT 'p:' || value, 'person', NEW.id FROM json_each(NEW.phones)
    UNION SELECT 't:' || NEW.national_id, 'person', NEW.id WHERE NEW.national_id IS NOT NULL;
END;

CREATE TRIGGER companies_contact_keys_insert AFTER INSERT ON companies BEGIN
    INSERT OR IGNORE INTO contact_keys (key, record_type, record_id)
    SELECT 'e:' || lower(value), 'company', NEW.id FROM json_each(NEW.emails)
    UNION SELECT 'p:' || value, 'company', NEW.id FROM json_each(NEW.phones)
    UNION SELECT 't:' || NEW.national_id, 'company', NEW.id WHERE NEW.national_id IS NOT NULL
    UNION SELECT 'v:' || NEW.tax_number, 'company', NEW.id WHERE NEW.tax_number IS NOT NULL;
END;
CREATE TRIGGER companies_contact_keys_update AFTER UPDATE OF emails, phones, national_id, tax_number ON companies
WHEN OLD.emails IS NOT NEW.emails OR OLD.phones IS NOT NEW.phones
    OR OLD.national_id IS NOT NEW.national_id OR OLD.tax_number IS NOT NEW.tax_number
BEGIN
    DELETE FROM contact_keys WHERE record_type = 'company' AND record_id = NEW.id;
    INSERT OR IGNORE INTO contact_keys (key, record_type, record_id)
    SELECT 'e:' || lower(value), 'company', NEW.id FROM json_each(NEW.emails)
    UNION SELECT 'p:' || value, 'company', NEW.id FROM json_each(NEW.phones)
    UNION SELECT 't:' || NEW.national_id, 'company', NEW.id WHERE NEW.national_id IS NOT NULL
    UNION SELECT 'v:' || NEW.tax_number, 'company', NEW.id WHERE NEW.tax_number IS NOT NULL;
END;

-- The records already kept.
INSERT OR IGNORE INTO contact_keys (key, record_type, record_id)
SELECT 'e:' || lower(e.value), 'person', people.id FROM people, json_each(people.emails) e
UNION SELECT 'p:' || p.value, 'person', people.id FROM people, json_each(people.phones) p
UNION SELECT 't:' || national_id, 'person', id FROM people WHERE national_id IS NOT NULL
UNION SELECT 'e:' || lower(e.value), 'company', companies.id FROM companies, json_each(companies.emails) e
UNION SELECT 'p:' || p.value, 'company', companies.id FROM companies, json_each(companies.phones) p
UNION SELECT 't:' || national_id, 'company', id FROM companies WHERE national_id IS NOT NULL
UNION SELECT 'v:' || tax_number, 'company', id FROM companies WHERE tax_number IS NOT NULL;

-- A record merged into another stays in the trash pointing at the one that kept its links.
ALTER TABLE people ADD COLUMN merged_into_id BIGINT REFERENCES people (id);
ALTER TABLE companies ADD COLUMN merged_into_id BIGINT REFERENCES companies (id);
