-- Personal calendar feeds: one secret address per user for calendar apps (an .ics of their
-- planned activities and tasks). Only the token's SHA-256 is kept; a new address replaces
-- the old one, which then answers 404. Kept in step with the other backend's migration of
-- the same version.

CREATE TABLE calendar_feeds (
    user_id     BIGINT NOT NULL REFERENCES users (id),
    token_hash  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    CONSTRAINT calendar_feeds_pkey PRIMARY KEY (user_id),
    CONSTRAINT calendar_feeds_token_key UNIQUE (token_hash)
);
