-- Saved views of the lists: a name, the list's address (filters, the rule, the sort) and its
-- columns, kept by one user for themselves or shared with everyone. A view holds no records:
-- whoever opens it sees it through their own scope. Kept in step with the other backend's
-- migration of the same version.

CREATE TABLE saved_views (
    id           INTEGER PRIMARY KEY,
    record_type  TEXT NOT NULL,
    owner_id     BIGINT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    query        TEXT NOT NULL,
    columns      TEXT NOT NULL,
    shared       BOOLEAN NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT saved_views_owner_name_key UNIQUE (owner_id, record_type, name)
);

CREATE INDEX saved_views_shared_idx ON saved_views (record_type, shared);
