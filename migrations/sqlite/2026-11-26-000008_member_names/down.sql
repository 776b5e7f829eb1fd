DROP TRIGGER accounts_member_names;
DROP TRIGGER group_members_name_on_insert;
DROP INDEX group_members_name_idx;
ALTER TABLE group_members DROP COLUMN name_key;
