-- One counter that every change to what is cached in memory (access, libraries) moves, in the
-- same transaction: an instance compares it with the counter its cached values were built at.
CREATE TABLE generations (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO generations (id, value) VALUES (1, 1);
CREATE TRIGGER generation_accounts_insert AFTER INSERT ON accounts BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_accounts_update AFTER UPDATE ON accounts BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_accounts_delete AFTER DELETE ON accounts BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_roles_insert AFTER INSERT ON roles BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_roles_update AFTER UPDATE ON roles BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_roles_delete AFTER DELETE ON roles BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_user_roles_insert AFTER INSERT ON user_roles BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_user_roles_update AFTER UPDATE ON user_roles BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_user_roles_delete AFTER DELETE ON user_roles BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_account_groups_insert AFTER INSERT ON account_groups BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_account_groups_update AFTER UPDATE ON account_groups BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_account_groups_delete AFTER DELETE ON account_groups BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_group_members_insert AFTER INSERT ON group_members BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_group_members_update AFTER UPDATE ON group_members BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_group_members_delete AFTER DELETE ON group_members BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_group_users_insert AFTER INSERT ON group_users BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_group_users_update AFTER UPDATE ON group_users BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_group_users_delete AFTER DELETE ON group_users BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_group_resources_insert AFTER INSERT ON group_resources BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_group_resources_update AFTER UPDATE ON group_resources BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_group_resources_delete AFTER DELETE ON group_resources BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_published_processes_insert AFTER INSERT ON published_processes BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_published_processes_update AFTER UPDATE ON published_processes BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_published_processes_delete AFTER DELETE ON published_processes BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_publications_insert AFTER INSERT ON publications BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_publications_update AFTER UPDATE ON publications BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_publications_delete AFTER DELETE ON publications BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_publisher_profiles_insert AFTER INSERT ON publisher_profiles BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_publisher_profiles_update AFTER UPDATE ON publisher_profiles BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_publisher_profiles_delete AFTER DELETE ON publisher_profiles BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_installations_insert AFTER INSERT ON installations BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_installations_update AFTER UPDATE ON installations BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_installations_delete AFTER DELETE ON installations BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
