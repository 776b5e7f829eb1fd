-- Personal access tokens of the JSON API: only the SHA-256 of a token is kept. A token acts
-- as its user; it dies when revoked, when it expires, and when the user's security stamp
-- (changed with the password) no longer matches the one it was made under.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    -- 'read' (GET only) or 'write'.
    access TEXT NOT NULL CHECK (access IN ('read', 'write')),
    security_stamp TEXT NOT NULL,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);
