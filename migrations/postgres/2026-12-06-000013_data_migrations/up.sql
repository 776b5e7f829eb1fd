-- One-off data migrations that need the application's code (such as recomputing name keys
-- after a change of their rule): each runs once, at start-up, and is recorded here.
CREATE TABLE data_migrations (
    name TEXT PRIMARY KEY,
    applied_at TIMESTAMP NOT NULL
);
