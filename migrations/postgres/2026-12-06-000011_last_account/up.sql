-- The account a user last switched to: where their next sign-in lands while they can still
-- reach it.
ALTER TABLE users ADD COLUMN last_account_id TEXT;
