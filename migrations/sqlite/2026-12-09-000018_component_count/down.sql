ALTER TABLE published_processes DROP COLUMN component_count;
