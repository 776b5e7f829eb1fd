ALTER TABLE pack_releases DROP COLUMN job_id;
DROP INDEX integration_packs_name;
DELETE FROM pack_members WHERE pack_id IN (SELECT id FROM integration_packs WHERE deleted_at IS NOT NULL);
CREATE UNIQUE INDEX integration_packs_name ON integration_packs (account_id, name_key);
ALTER TABLE integration_packs DROP COLUMN deleted_at;
