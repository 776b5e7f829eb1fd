ALTER TABLE users DROP COLUMN last_account_id;
