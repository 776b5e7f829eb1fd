ALTER TABLE published_processes DROP COLUMN successor_id;
ALTER TABLE published_processes DROP COLUMN deprecation_reason;
ALTER TABLE published_processes DROP COLUMN deprecated_at;
