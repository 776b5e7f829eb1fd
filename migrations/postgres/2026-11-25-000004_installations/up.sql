CREATE TABLE installations (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    publication_id TEXT NOT NULL REFERENCES publications (id),
    published_process_id TEXT NOT NULL REFERENCES published_processes (id),
    sequence INTEGER NOT NULL,
    folder_id TEXT NOT NULL REFERENCES folders (id),
    root_component_id TEXT NOT NULL REFERENCES components (id),
    local_name TEXT NOT NULL,
    include_passwords BOOLEAN NOT NULL,
    idempotency_key TEXT NOT NULL,
    installed_by TEXT,
    installed_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX installations_idempotency_idx ON installations (account_id, idempotency_key);
CREATE INDEX installations_account_idx ON installations (account_id, published_process_id, sequence);
CREATE INDEX installations_process_idx ON installations (published_process_id, installed_at DESC);
CREATE INDEX installations_publication_idx ON installations (publication_id);

CREATE TABLE installed_components (
    installation_id TEXT NOT NULL REFERENCES installations (id),
    source_component_id TEXT NOT NULL,
    copy_component_id TEXT NOT NULL REFERENCES components (id),
    source_revision INTEGER NOT NULL,
    PRIMARY KEY (installation_id, source_component_id)
);
CREATE INDEX installed_components_copy_idx ON installed_components (copy_component_id);

CREATE INDEX published_processes_popular_idx ON published_processes (account_id, install_count DESC, id);
CREATE INDEX published_processes_date_idx ON published_processes (account_id, latest_published_at DESC, id);
CREATE INDEX group_resources_group_idx ON group_resources (group_id, published_process_id);
