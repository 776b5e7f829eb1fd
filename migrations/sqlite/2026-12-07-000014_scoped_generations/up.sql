-- Generations per scope instead of one counter. A change moves only the scopes of what it can
-- change: 'p:FAMILY' (people and structure of a primary account and its managed accounts),
-- 'l:FAMILY' (its library: published processes, publications, groups and their resources),
-- 'u:USER' (a user's memberships), 'i:ACCOUNT' (an account's installations), 'a:ACCOUNT' (an
-- account's folders and components). A FAMILY is the primary account's id; 'p:*' is moved by
-- the built-in roles (no account), which every user's access reads. Every move takes
-- the next value of the clock '*', so values only grow and a scope's value is the clock at its
-- last change: a request reads the scopes its caches depend on with its session.

DROP TRIGGER generation_accounts_insert;
DROP TRIGGER generation_accounts_update;
DROP TRIGGER generation_accounts_delete;
DROP TRIGGER generation_roles_insert;
DROP TRIGGER generation_roles_update;
DROP TRIGGER generation_roles_delete;
DROP TRIGGER generation_user_roles_insert;
DROP TRIGGER generation_user_roles_update;
DROP TRIGGER generation_user_roles_delete;
DROP TRIGGER generation_account_groups_insert;
DROP TRIGGER generation_account_groups_update;
DROP TRIGGER generation_account_groups_delete;
DROP TRIGGER generation_group_members_insert;
DROP TRIGGER generation_group_members_update;
DROP TRIGGER generation_group_members_delete;
DROP TRIGGER generation_group_users_insert;
DROP TRIGGER generation_group_users_update;
DROP TRIGGER generation_group_users_delete;
DROP TRIGGER generation_group_resources_insert;
DROP TRIGGER generation_group_resources_update;
DROP TRIGGER generation_group_resources_delete;
DROP TRIGGER generation_published_processes_insert;
DROP TRIGGER generation_published_processes_update;
DROP TRIGGER generation_published_processes_delete;
DROP TRIGGER generation_publications_insert;
DROP TRIGGER generation_publications_update;
DROP TRIGGER generation_publications_delete;
DROP TRIGGER generation_publisher_profiles_insert;
DROP TRIGGER generation_publisher_profiles_update;
DROP TRIGGER generation_publisher_profiles_delete;
DROP TRIGGER generation_installations_insert;
DROP TRIGGER generation_installations_update;
DROP TRIGGER generation_installations_delete;
DROP TRIGGER generation_folders_insert;
DROP TRIGGER generation_folders_update;
DROP TRIGGER generation_folders_delete;
DROP TRIGGER generation_components_insert;
DROP TRIGGER generation_components_update;
DROP TRIGGER generation_components_delete;
DROP TABLE generations;
CREATE TABLE generations (
    scope TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);
INSERT INTO generations (scope, value) VALUES ('*', 1);
CREATE TRIGGER generation_accounts_insert AFTER INSERT ON accounts BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || COALESCE(NEW.parent_id, NEW.id), value FROM generations
        WHERE scope = '*' AND COALESCE(NEW.parent_id, NEW.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || COALESCE(NEW.parent_id, NEW.id), value FROM generations
        WHERE scope = '*' AND COALESCE(NEW.parent_id, NEW.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_accounts_update AFTER UPDATE ON accounts BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || COALESCE(NEW.parent_id, NEW.id), value FROM generations
        WHERE scope = '*' AND COALESCE(NEW.parent_id, NEW.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || COALESCE(NEW.parent_id, NEW.id), value FROM generations
        WHERE scope = '*' AND COALESCE(NEW.parent_id, NEW.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_accounts_delete AFTER DELETE ON accounts BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || COALESCE(OLD.parent_id, OLD.id), value FROM generations
        WHERE scope = '*' AND COALESCE(OLD.parent_id, OLD.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || COALESCE(OLD.parent_id, OLD.id), value FROM generations
        WHERE scope = '*' AND COALESCE(OLD.parent_id, OLD.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_roles_insert AFTER INSERT ON roles BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || COALESCE((SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), '*'), value FROM generations
        WHERE scope = '*'
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_roles_update AFTER UPDATE ON roles BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || COALESCE((SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), '*'), value FROM generations
        WHERE scope = '*'
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_roles_delete AFTER DELETE ON roles BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || COALESCE((SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id), '*'), value FROM generations
        WHERE scope = '*'
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_user_roles_insert AFTER INSERT ON user_roles BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'u:' || NEW.user_id, value FROM generations
        WHERE scope = '*' AND NEW.user_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_user_roles_update AFTER UPDATE ON user_roles BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'u:' || NEW.user_id, value FROM generations
        WHERE scope = '*' AND NEW.user_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_user_roles_delete AFTER DELETE ON user_roles BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'u:' || OLD.user_id, value FROM generations
        WHERE scope = '*' AND OLD.user_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_account_groups_insert AFTER INSERT ON account_groups BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_account_groups_update AFTER UPDATE ON account_groups BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_account_groups_delete AFTER DELETE ON account_groups BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_group_members_insert AFTER INSERT ON group_members BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_group_members_update AFTER UPDATE ON group_members BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_group_members_delete AFTER DELETE ON group_members BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_group_users_insert AFTER INSERT ON group_users BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = NEW.group_id)), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = NEW.group_id)) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'u:' || NEW.user_id, value FROM generations
        WHERE scope = '*' AND NEW.user_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_group_users_update AFTER UPDATE ON group_users BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = NEW.group_id)), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = NEW.group_id)) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'u:' || NEW.user_id, value FROM generations
        WHERE scope = '*' AND NEW.user_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_group_users_delete AFTER DELETE ON group_users BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = OLD.group_id)), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = OLD.group_id)) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'u:' || OLD.user_id, value FROM generations
        WHERE scope = '*' AND OLD.user_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_group_resources_insert AFTER INSERT ON group_resources BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = NEW.group_id)), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = NEW.group_id)) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_group_resources_update AFTER UPDATE ON group_resources BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = NEW.group_id)), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = NEW.group_id)) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_group_resources_delete AFTER DELETE ON group_resources BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = OLD.group_id)), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = OLD.group_id)) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_published_processes_insert AFTER INSERT ON published_processes BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
-- An install counts itself on its published process: that alone moves no generation (install
-- counts and *Most popular* are refreshed within a minute instead, so that an install never
-- invalidates other accounts' libraries).
CREATE TRIGGER generation_published_processes_update AFTER UPDATE ON published_processes
WHEN NOT (NEW.install_count IS NOT OLD.install_count AND NEW.id IS OLD.id
    AND NEW.account_id IS OLD.account_id AND NEW.component_id IS OLD.component_id
    AND NEW.component_type IS OLD.component_type AND NEW.name IS OLD.name
    AND NEW.name_key IS OLD.name_key AND NEW.description IS OLD.description
    AND NEW.latest_sequence IS OLD.latest_sequence
    AND NEW.latest_publication_id IS OLD.latest_publication_id
    AND NEW.latest_published_at IS OLD.latest_published_at AND NEW.created_at IS OLD.created_at)
BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_published_processes_delete AFTER DELETE ON published_processes BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_publications_insert AFTER INSERT ON publications BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_publications_update AFTER UPDATE ON publications BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_publications_delete AFTER DELETE ON publications BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_publisher_profiles_insert AFTER INSERT ON publisher_profiles BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_publisher_profiles_update AFTER UPDATE ON publisher_profiles BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = NEW.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_publisher_profiles_delete AFTER DELETE ON publisher_profiles BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id), value FROM generations
        WHERE scope = '*' AND (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = OLD.account_id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_installations_insert AFTER INSERT ON installations BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'i:' || NEW.account_id, value FROM generations
        WHERE scope = '*' AND NEW.account_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_installations_update AFTER UPDATE ON installations BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'i:' || NEW.account_id, value FROM generations
        WHERE scope = '*' AND NEW.account_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_installations_delete AFTER DELETE ON installations BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'i:' || OLD.account_id, value FROM generations
        WHERE scope = '*' AND OLD.account_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_folders_insert AFTER INSERT ON folders BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'a:' || NEW.account_id, value FROM generations
        WHERE scope = '*' AND NEW.account_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_folders_update AFTER UPDATE ON folders BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'a:' || NEW.account_id, value FROM generations
        WHERE scope = '*' AND NEW.account_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_folders_delete AFTER DELETE ON folders BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'a:' || OLD.account_id, value FROM generations
        WHERE scope = '*' AND OLD.account_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_components_insert AFTER INSERT ON components BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'a:' || NEW.account_id, value FROM generations
        WHERE scope = '*' AND NEW.account_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_components_update AFTER UPDATE ON components BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'a:' || NEW.account_id, value FROM generations
        WHERE scope = '*' AND NEW.account_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER generation_components_delete AFTER DELETE ON components BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'a:' || OLD.account_id, value FROM generations
        WHERE scope = '*' AND OLD.account_id IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
-- A session's generations: its user's (the user's own scope and the people of every family they
-- belong to, the greatest) and its account's. A scope that never moved has no row and stands at
-- 0; without an account, the account's generations are unknown. Read joined to the session row,
-- so that loading a session stays one statement.
CREATE VIEW session_generations AS SELECT
    s.id_hash AS id_hash,
    (SELECT COALESCE(MAX(v), 0) FROM (
        SELECT g.value AS v FROM generations g WHERE g.scope = 'u:' || s.user_id
        UNION ALL SELECT g.value FROM user_roles ur
            JOIN accounts a ON a.id = ur.account_id
            JOIN generations g ON g.scope = 'p:' || COALESCE(a.parent_id, a.id)
            WHERE ur.user_id = s.user_id
        UNION ALL SELECT g.value FROM generations g WHERE g.scope = 'p:*'
        UNION ALL SELECT g.value FROM group_users gu
            JOIN account_groups ag ON ag.id = gu.group_id
            JOIN generations g ON g.scope = 'p:' || ag.account_id
            WHERE gu.user_id = s.user_id
    ) AS held) AS people,
    CASE WHEN s.account_id IS NULL THEN NULL ELSE COALESCE((SELECT value FROM generations
        WHERE scope = 'p:' || COALESCE(cur.parent_id, cur.id)), 0) END AS family_people,
    CASE WHEN s.account_id IS NULL THEN NULL ELSE COALESCE((SELECT value FROM generations
        WHERE scope = 'l:' || COALESCE(cur.parent_id, cur.id)), 0) END AS library,
    CASE WHEN s.account_id IS NULL THEN NULL ELSE COALESCE((SELECT value FROM generations
        WHERE scope = 'i:' || s.account_id), 0) END AS installs,
    CASE WHEN s.account_id IS NULL THEN NULL ELSE COALESCE((SELECT value FROM generations
        WHERE scope = 'a:' || s.account_id), 0) END AS content
FROM sessions s LEFT JOIN accounts cur ON cur.id = s.account_id;
-- A user's places in account groups, found by user (the view above, a user's access).
CREATE INDEX group_users_by_user ON group_users (user_id);
