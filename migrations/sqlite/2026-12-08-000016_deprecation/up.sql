-- Deprecation of a published process: when, why, and the process that replaces it (another
-- published process of the same account, checked by the application). Existing processes
-- stay current.
ALTER TABLE published_processes ADD COLUMN deprecated_at TIMESTAMP;
ALTER TABLE published_processes ADD COLUMN deprecation_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE published_processes ADD COLUMN successor_id TEXT;
