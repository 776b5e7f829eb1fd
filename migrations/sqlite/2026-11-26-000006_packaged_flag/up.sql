ALTER TABLE components ADD COLUMN shareable_package BOOLEAN NOT NULL DEFAULT 0;
UPDATE components SET shareable_package = 1
    WHERE id IN (SELECT component_id FROM packages WHERE shareable AND deleted_at IS NULL);
CREATE INDEX components_packaged_idx ON components (account_id, shareable_package, name_key, id);
