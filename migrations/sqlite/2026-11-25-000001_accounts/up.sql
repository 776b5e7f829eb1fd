CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('primary', 'managed')),
    parent_id TEXT REFERENCES accounts (id),
    status TEXT NOT NULL DEFAULT 'active',
    features TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX accounts_parent_idx ON accounts (parent_id, name_key);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    security_stamp TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE roles (
    id TEXT PRIMARY KEY,
    account_id TEXT REFERENCES accounts (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    privileges TEXT NOT NULL,
    builtin BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX roles_account_name_idx ON roles (account_id, name_key);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    role_id TEXT NOT NULL REFERENCES roles (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, account_id, role_id)
);
CREATE INDEX user_roles_account_idx ON user_roles (account_id, user_id);
CREATE INDEX user_roles_role_idx ON user_roles (role_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT REFERENCES users (id),
    account_id TEXT REFERENCES accounts (id),
    security_stamp TEXT,
    csrf_token TEXT NOT NULL,
    flash TEXT,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_last_seen_idx ON sessions (last_seen_at);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    account_id TEXT REFERENCES accounts (id),
    actor_id TEXT,
    actor_email TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    summary TEXT NOT NULL,
    source TEXT NOT NULL,
    client_addr TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_events_account_idx ON audit_events (account_id, created_at DESC, id DESC);
CREATE INDEX audit_events_account_action_idx ON audit_events (account_id, action, created_at DESC, id DESC);
