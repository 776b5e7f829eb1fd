-- What an installed copy was when it was installed or last updated, so that "modified since
-- install" compares with that revision (an update in place writes new revisions), and whether
-- the copy is a connection of the account bound at install rather than a copy.
ALTER TABLE installed_components ADD COLUMN copy_revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE installed_components ADD COLUMN bound BOOLEAN NOT NULL DEFAULT 0;
