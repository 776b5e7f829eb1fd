-- Integration packs: a partner's named set of published processes (and, under Legacy, API
-- services), released as numbered versions that freeze each member's latest publication, and
-- shared through account groups.
CREATE TABLE integration_packs (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- 'single' (one instance per account) or 'multiple' (named instances).
    attachment TEXT NOT NULL,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX integration_packs_name ON integration_packs (account_id, name_key);
-- What the next release will hold.
CREATE TABLE pack_members (
    pack_id TEXT NOT NULL REFERENCES integration_packs(id),
    published_process_id TEXT NOT NULL REFERENCES published_processes(id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (pack_id, published_process_id)
);
-- Each release: its number, notes, when it takes effect and whether it has.
CREATE TABLE pack_releases (
    id TEXT PRIMARY KEY NOT NULL,
    pack_id TEXT NOT NULL REFERENCES integration_packs(id),
    sequence INTEGER NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    release_at TIMESTAMP NOT NULL,
    released_at TIMESTAMP,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX pack_releases_sequence ON pack_releases (pack_id, sequence);
-- The publication of each member a release froze.
CREATE TABLE pack_release_items (
    release_id TEXT NOT NULL REFERENCES pack_releases(id),
    published_process_id TEXT NOT NULL REFERENCES published_processes(id),
    publication_id TEXT NOT NULL REFERENCES publications(id),
    PRIMARY KEY (release_id, published_process_id)
);
-- Packs a group shares with its accounts.
CREATE TABLE group_packs (
    group_id TEXT NOT NULL REFERENCES account_groups(id),
    pack_id TEXT NOT NULL REFERENCES integration_packs(id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, pack_id)
);
CREATE INDEX group_packs_by_pack ON group_packs (pack_id);
