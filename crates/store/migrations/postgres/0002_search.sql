-- Search at a million records (store::search says how a search page is found). Kept in step
-- with the SQLite migration of the same version.
--
-- 1. Spelled-out prefix terms. A prefix query (`yil:*`) on a GIN index unions the postings
--    of every word that starts with the prefix: hundreds of words, and a hundred thousand
--    postings for a common surname on a million people. So each word is also stored as its
--    prefixes of two to six letters, marked with `~` (`yil~`, for Yılmaz, Yıldız, …), and a
--    short query word is one exact term; a longer one stays a prefix query over whole words
--    (few words share seven letters). The same two-to-six rule as SQLite's prefix indexes.
--    The terms are a stored column rather than an expression index: a plan that tests rows
--    one by one (a recheck, or a filter on an ordered scan) then reads them instead of
--    computing them, which costs a hundred times more.
-- 2. search_text: the words a search looks in, each after a space. The list's sort indexes
--    include it, so a search can read a list in order and test each row from the index
--    alone (an index-only scan), without visiting the table.

CREATE FUNCTION rehber_search_terms(words TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT term)), ''::tsvector)
    FROM unnest(string_to_array(words, ' ')) AS word,
         LATERAL (
             SELECT word
             UNION ALL
             SELECT left(word, n) || '~' FROM generate_series(2, least(length(word), 6)) AS n
         ) AS terms (term)
    WHERE word <> ''
$$;

ALTER TABLE companies
    DROP COLUMN search_tsv,
    ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (rehber_search_terms(search_key)) STORED,
    ADD COLUMN search_text TEXT GENERATED ALWAYS AS (' ' || search_key) STORED;
CREATE INDEX companies_search_idx ON companies USING GIN (search_tsv);
DROP INDEX companies_sort_idx;
DROP INDEX companies_owner_idx;
DROP INDEX companies_team_idx;
CREATE INDEX companies_sort_idx ON companies (sort_key, id) INCLUDE (search_text) WHERE deleted_at IS NULL;
CREATE INDEX companies_owner_idx ON companies (owner_id, sort_key, id) INCLUDE (search_text) WHERE deleted_at IS NULL;
CREATE INDEX companies_team_idx ON companies (team_id, sort_key, id) INCLUDE (search_text) WHERE deleted_at IS NULL;

ALTER TABLE people
    DROP COLUMN search_tsv,
    ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (rehber_search_terms(search_key || ' ' || company_key)) STORED,
    ADD COLUMN search_text TEXT GENERATED ALWAYS AS (' ' || search_key || ' ' || company_key) STORED;
CREATE INDEX people_search_idx ON people USING GIN (search_tsv);
DROP INDEX people_sort_idx;
DROP INDEX people_owner_idx;
DROP INDEX people_team_idx;
CREATE INDEX people_sort_idx ON people (sort_key, id) INCLUDE (search_text) WHERE deleted_at IS NULL;
CREATE INDEX people_owner_idx ON people (owner_id, sort_key, id) INCLUDE (search_text) WHERE deleted_at IS NULL;
CREATE INDEX people_team_idx ON people (team_id, sort_key, id) INCLUDE (search_text) WHERE deleted_at IS NULL;
