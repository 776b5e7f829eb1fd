-- Installed integration packs: each instance (one per account for a Single attachment pack,
-- named ones for Multiple), the folder its components sit in and the release it runs; the
-- installations of its members point at it.
CREATE TABLE pack_instances (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    pack_id TEXT NOT NULL REFERENCES integration_packs(id),
    instance_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    -- The pack's id for a Single attachment pack, so that an account holds one at most (even
    -- against two concurrent installs); NULL for Multiple attachment.
    single_key TEXT,
    folder_id TEXT NOT NULL REFERENCES folders(id),
    release_id TEXT NOT NULL REFERENCES pack_releases(id),
    installed_by TEXT,
    installed_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX pack_instances_single ON pack_instances (account_id, single_key);
CREATE UNIQUE INDEX pack_instances_name ON pack_instances (account_id, pack_id, name_key);
ALTER TABLE installations ADD COLUMN pack_instance_id TEXT REFERENCES pack_instances(id);
CREATE INDEX installations_pack_instance ON installations (pack_instance_id);
