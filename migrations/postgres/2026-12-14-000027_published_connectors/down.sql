-- The one-off fill runs again if the column comes back.
DELETE FROM data_migrations WHERE name = 'published-connectors';
ALTER TABLE published_processes DROP COLUMN connectors;
