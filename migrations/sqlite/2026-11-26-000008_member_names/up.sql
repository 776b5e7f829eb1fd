-- A group's members carry their account's name key, kept by triggers, so that a page of a
-- group's members (or of the accounts a user reaches through groups) is read in name order
-- from one index instead of walking every account by name.
ALTER TABLE group_members ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE group_members SET name_key = (SELECT name_key FROM accounts WHERE accounts.id = group_members.account_id);
CREATE INDEX group_members_name_idx ON group_members (group_id, name_key, account_id);
CREATE TRIGGER group_members_name_on_insert AFTER INSERT ON group_members BEGIN
    UPDATE group_members SET name_key = (SELECT name_key FROM accounts WHERE id = NEW.account_id)
    WHERE group_id = NEW.group_id AND account_id = NEW.account_id;
END;
CREATE TRIGGER accounts_member_names AFTER UPDATE OF name_key ON accounts BEGIN
    UPDATE group_members SET name_key = NEW.name_key WHERE account_id = NEW.id;
END;
