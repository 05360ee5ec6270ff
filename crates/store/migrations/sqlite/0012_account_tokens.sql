-- One-time links sent by e-mail: an invitation to set a first password, or a link to
-- choose a new one ("forgot password"). Only the token's SHA-256 is kept; a link works once
-- and until `expires_at`; using one spends every other link of the same user. Times are UTC
-- microseconds. Kept in step with the other backend's migration of the same version.

CREATE TABLE account_tokens (
    token_hash  TEXT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    purpose     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    CONSTRAINT account_tokens_pkey PRIMARY KEY (token_hash),
    CONSTRAINT account_tokens_purpose_check CHECK (purpose IN ('invite', 'reset'))
);

CREATE INDEX account_tokens_user_idx ON account_tokens (user_id);
