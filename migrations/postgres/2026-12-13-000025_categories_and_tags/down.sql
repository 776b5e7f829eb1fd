ALTER TABLE published_processes DROP COLUMN tags;
ALTER TABLE published_processes DROP COLUMN category;
