CREATE TABLE publisher_profiles (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    publisher_name TEXT NOT NULL DEFAULT '',
    publisher_email TEXT NOT NULL DEFAULT '',
    publisher_url TEXT NOT NULL DEFAULT '',
    support_email TEXT NOT NULL DEFAULT '',
    support_url TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT
);

CREATE TABLE published_processes (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    component_id TEXT NOT NULL REFERENCES components (id),
    component_type TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    latest_sequence INTEGER NOT NULL,
    latest_publication_id TEXT NOT NULL,
    latest_published_at TIMESTAMP NOT NULL,
    install_count BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX published_processes_component_idx ON published_processes (account_id, component_id);
CREATE INDEX published_processes_name_idx ON published_processes (account_id, name_key, id);

CREATE TABLE publications (
    id TEXT PRIMARY KEY,
    published_process_id TEXT NOT NULL REFERENCES published_processes (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    sequence INTEGER NOT NULL,
    package_id TEXT NOT NULL REFERENCES packages (id),
    description TEXT NOT NULL DEFAULT '',
    include_passwords BOOLEAN NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    published_by TEXT,
    published_at TIMESTAMP NOT NULL,
    republished_from TEXT REFERENCES publications (id)
);
CREATE UNIQUE INDEX publications_sequence_idx ON publications (published_process_id, sequence);
CREATE INDEX publications_package_idx ON publications (package_id);

CREATE TABLE account_groups (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    all_accounts BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX account_groups_name_idx ON account_groups (account_id, name_key);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES account_groups (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, account_id)
);
CREATE INDEX group_members_account_idx ON group_members (account_id, group_id);

CREATE TABLE group_users (
    group_id TEXT NOT NULL REFERENCES account_groups (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role_id TEXT NOT NULL REFERENCES roles (id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_users_user_idx ON group_users (user_id);

CREATE TABLE group_resources (
    group_id TEXT NOT NULL REFERENCES account_groups (id),
    published_process_id TEXT NOT NULL REFERENCES published_processes (id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, published_process_id)
);
CREATE INDEX group_resources_process_idx ON group_resources (published_process_id);
