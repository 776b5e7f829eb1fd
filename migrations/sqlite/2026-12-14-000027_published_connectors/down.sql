ALTER TABLE published_processes DROP COLUMN connectors;
