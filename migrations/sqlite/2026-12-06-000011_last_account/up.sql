-- The account a user last switched to: where their next sign-in lands while they can still
-- reach it. (No foreign key: SQLite cannot drop a column that one names.)
ALTER TABLE users ADD COLUMN last_account_id TEXT;
