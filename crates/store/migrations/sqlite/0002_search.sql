-- Search at a million records (store::search says how a search page is found). Kept in step
-- with the PostgreSQL migration of the same version.
--
-- 1. Prefix indexes for search-as-you-type. A prefix query ("yil"*) without one merges the
--    postings of every word that starts with the prefix (hundreds of words, a hundred
--    thousand postings for a common surname on a million people: tens of milliseconds);
--    with one it reads a single list. Two to six letters are what people type before a list
--    narrows; longer prefixes match few words. The tables are rebuilt from their content.
-- 2. search_text: the words a search looks in, each after a space, as a virtual column. The
--    list's sort indexes carry it, so a search can read a list in order and test each row
--    from the index alone, without visiting the table.

DROP TRIGGER companies_fts_insert;
DROP TRIGGER companies_fts_delete;
DROP TRIGGER companies_fts_update;
DROP TABLE companies_fts;
CREATE VIRTUAL TABLE companies_fts USING fts5 (search_key, content = 'companies', content_rowid = 'id', tokenize = 'unicode61', prefix = '2 3 4 5 6');
INSERT INTO companies_fts (companies_fts) VALUES ('rebuild');
CREATE TRIGGER companies_fts_insert AFTER INSERT ON companies BEGIN
    INSERT INTO companies_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER companies_fts_delete AFTER DELETE ON companies BEGIN
    INSERT INTO companies_fts (companies_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER companies_fts_update AFTER UPDATE OF search_key ON companies BEGIN
    INSERT INTO companies_fts (companies_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO companies_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;

DROP TRIGGER people_fts_insert;
DROP TRIGGER people_fts_delete;
DROP TRIGGER people_fts_update;
DROP TABLE people_fts;
CREATE VIRTUAL TABLE people_fts USING fts5 (search_key, company_key, content = 'people', content_rowid = 'id', tokenize = 'unicode61', prefix = '2 3 4 5 6');
INSERT INTO people_fts (people_fts) VALUES ('rebuild');
CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_fts (rowid, search_key, company_key) VALUES (new.id, new.search_key, new.company_key);
END;
CREATE TRIGGER people_fts_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, search_key, company_key) VALUES ('delete', old.id, old.search_key, old.company_key);
END;
CREATE TRIGGER people_fts_update AFTER UPDATE OF search_key, company_key ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, search_key, company_key) VALUES ('delete', old.id, old.search_key, old.company_key);
    INSERT INTO people_fts (rowid, search_key, company_key) VALUES (new.id, new.search_key, new.company_key);
END;

ALTER TABLE companies ADD COLUMN search_text TEXT GENERATED ALWAYS AS (' ' || search_key) VIRTUAL;
DROP INDEX companies_sort_idx;
DROP INDEX companies_owner_idx;
DROP INDEX companies_team_idx;
CREATE INDEX companies_sort_idx ON companies (sort_key, id, search_text) WHERE deleted_at IS NULL;
CREATE INDEX companies_owner_idx ON companies (owner_id, sort_key, id, search_text) WHERE deleted_at IS NULL;
CREATE INDEX companies_team_idx ON companies (team_id, sort_key, id, search_text) WHERE deleted_at IS NULL;

ALTER TABLE people ADD COLUMN search_text TEXT GENERATED ALWAYS AS (' ' || search_key || ' ' || company_key) VIRTUAL;
DROP INDEX people_sort_idx;
DROP INDEX people_owner_idx;
DROP INDEX people_team_idx;
CREATE INDEX people_sort_idx ON people (sort_key, id, search_text) WHERE deleted_at IS NULL;
CREATE INDEX people_owner_idx ON people (owner_id, sort_key, id, search_text) WHERE deleted_at IS NULL;
CREATE INDEX people_team_idx ON people (team_id, sort_key, id, search_text) WHERE deleted_at IS NULL;
