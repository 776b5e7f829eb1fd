ALTER TABLE installed_components DROP COLUMN bound;
ALTER TABLE installed_components DROP COLUMN copy_revision;
