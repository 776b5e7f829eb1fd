-- The connectors a published process's latest publication uses (their codes, sorted, joined
-- by ","), which Browse offers as the Connector facet. Existing rows are filled at start-up by
-- the one-off data migration "published-connectors", which reads the frozen connections.
ALTER TABLE published_processes ADD COLUMN connectors TEXT NOT NULL DEFAULT '';
