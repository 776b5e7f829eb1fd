-- Deleting an integration pack: it leaves the partner's list, its groups and the customers'
-- Available Integration Packs; installed instances keep it (at the release they run), so the
-- row stays, marked deleted, and its name is free again.
ALTER TABLE integration_packs ADD COLUMN deleted_at TIMESTAMP;
DROP INDEX integration_packs_name;
CREATE UNIQUE INDEX integration_packs_name ON integration_packs (account_id, name_key) WHERE deleted_at IS NULL;
-- The job that brings a release to the installed instances, whose progress the pack's page
-- links to.
ALTER TABLE pack_releases ADD COLUMN job_id TEXT REFERENCES jobs(id);
