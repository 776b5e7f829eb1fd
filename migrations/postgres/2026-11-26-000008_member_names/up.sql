-- A group's members carry their account's name key, kept by triggers, so that a page of a
-- group's members (or of the accounts a user reaches through groups) is read in name order
-- from one index instead of walking every account by name.
-- (The update below moves the data generation; its deferred trigger runs at once, since a table
-- with pending trigger events cannot be indexed in the same transaction.)
SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE group_members ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE group_members SET name_key = accounts.name_key FROM accounts WHERE accounts.id = group_members.account_id;
CREATE INDEX group_members_name_idx ON group_members (group_id, name_key, account_id);
CREATE FUNCTION group_member_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT name_key INTO NEW.name_key FROM accounts WHERE id = NEW.account_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER group_members_name_on_insert BEFORE INSERT ON group_members
    FOR EACH ROW EXECUTE FUNCTION group_member_name();
CREATE FUNCTION account_member_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE group_members SET name_key = NEW.name_key WHERE account_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER accounts_member_names AFTER UPDATE OF name_key ON accounts
    FOR EACH ROW WHEN (OLD.name_key IS DISTINCT FROM NEW.name_key)
    EXECUTE FUNCTION account_member_names();
