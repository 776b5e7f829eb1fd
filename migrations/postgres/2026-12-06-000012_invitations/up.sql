-- An invitation of an existing user into an account with a role: the user becomes a member
-- only by accepting it; until then the account learns nothing of them but the e-mail.
CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    invited_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (account_id, user_id, role_id)
);
CREATE INDEX invitations_user_idx ON invitations (user_id, created_at);
CREATE INDEX invitations_role_idx ON invitations (role_id);
