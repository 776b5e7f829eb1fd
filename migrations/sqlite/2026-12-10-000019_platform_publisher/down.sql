DROP TRIGGER generation_accounts_insert;
CREATE TRIGGER generation_accounts_insert AFTER INSERT ON accounts BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || COALESCE(NEW.parent_id, NEW.id), value FROM generations
        WHERE scope = '*' AND COALESCE(NEW.parent_id, NEW.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || COALESCE(NEW.parent_id, NEW.id), value FROM generations
        WHERE scope = '*' AND COALESCE(NEW.parent_id, NEW.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
DROP TRIGGER generation_accounts_update;
CREATE TRIGGER generation_accounts_update AFTER UPDATE ON accounts BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || COALESCE(NEW.parent_id, NEW.id), value FROM generations
        WHERE scope = '*' AND COALESCE(NEW.parent_id, NEW.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || COALESCE(NEW.parent_id, NEW.id), value FROM generations
        WHERE scope = '*' AND COALESCE(NEW.parent_id, NEW.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
DROP TRIGGER generation_accounts_delete;
CREATE TRIGGER generation_accounts_delete AFTER DELETE ON accounts BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || COALESCE(OLD.parent_id, OLD.id), value FROM generations
        WHERE scope = '*' AND COALESCE(OLD.parent_id, OLD.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || COALESCE(OLD.parent_id, OLD.id), value FROM generations
        WHERE scope = '*' AND COALESCE(OLD.parent_id, OLD.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
END;
DROP VIEW session_generations;
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
DROP INDEX account_groups_all_platform;
ALTER TABLE account_groups DROP COLUMN all_platform;
DROP INDEX accounts_by_platform;
DROP INDEX accounts_platform_publisher;
ALTER TABLE accounts DROP COLUMN platform_publisher;
