DROP INDEX components_packaged_idx;
ALTER TABLE components DROP COLUMN shareable_package;
