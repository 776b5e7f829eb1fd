DROP TRIGGER accounts_member_names ON accounts;
DROP FUNCTION account_member_names();
DROP TRIGGER group_members_name_on_insert ON group_members;
DROP FUNCTION group_member_name();
DROP INDEX group_members_name_idx;
ALTER TABLE group_members DROP COLUMN name_key;
