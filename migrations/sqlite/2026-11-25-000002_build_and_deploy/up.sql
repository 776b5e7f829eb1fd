CREATE TABLE folders (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    parent_id TEXT REFERENCES folders (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX folders_account_idx ON folders (account_id, parent_id, name_key);

CREATE TABLE components (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    folder_id TEXT NOT NULL REFERENCES folders (id),
    component_type TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT,
    deleted_at TIMESTAMP
);
CREATE INDEX components_account_name_idx ON components (account_id, name_key, id);
CREATE INDEX components_account_type_idx ON components (account_id, component_type, name_key);
CREATE INDEX components_folder_idx ON components (folder_id, name_key);

CREATE TABLE component_revisions (
    component_id TEXT NOT NULL REFERENCES components (id),
    revision INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    folder_id TEXT NOT NULL,
    body TEXT NOT NULL,
    summary TEXT NOT NULL,
    saved_by TEXT,
    saved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (component_id, revision)
);

CREATE TABLE component_refs (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    from_id TEXT NOT NULL REFERENCES components (id),
    to_id TEXT NOT NULL REFERENCES components (id),
    PRIMARY KEY (from_id, to_id)
);
CREATE INDEX component_refs_to_idx ON component_refs (to_id);

CREATE TABLE packages (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    component_id TEXT NOT NULL REFERENCES components (id),
    component_type TEXT NOT NULL,
    component_name TEXT NOT NULL,
    version TEXT NOT NULL,
    version_key TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    shareable BOOLEAN NOT NULL,
    component_count INTEGER NOT NULL,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    deleted_by TEXT
);
CREATE UNIQUE INDEX packages_version_idx ON packages (component_id, version_key);
CREATE INDEX packages_account_idx ON packages (account_id, created_at DESC, id DESC);

CREATE TABLE package_components (
    package_id TEXT NOT NULL REFERENCES packages (id),
    component_id TEXT NOT NULL,
    component_type TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    revision INTEGER NOT NULL,
    body TEXT NOT NULL,
    is_root BOOLEAN NOT NULL,
    PRIMARY KEY (package_id, component_id)
);
