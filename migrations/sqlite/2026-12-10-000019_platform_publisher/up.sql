-- The platform publisher: one primary account whose resources in its system group All Platform
-- Accounts reach every account of every partner. An account's library then also depends on the
-- platform's library ('l:' of the platform account) and on which account is the platform
-- publisher ('l:platform', moved when an account becomes or ceases to be it).
ALTER TABLE accounts ADD COLUMN platform_publisher BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX accounts_platform_publisher ON accounts (platform_publisher) WHERE platform_publisher;
-- Finds it by value (a partial index is searched only by its own literal condition).
CREATE INDEX accounts_by_platform ON accounts (platform_publisher);
ALTER TABLE account_groups ADD COLUMN all_platform BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX account_groups_all_platform ON account_groups (account_id) WHERE all_platform;
DROP TRIGGER generation_accounts_insert;
CREATE TRIGGER generation_accounts_insert AFTER INSERT ON accounts BEGIN
    UPDATE generations SET value = value + 1 WHERE scope = '*';
    INSERT INTO generations (scope, value) SELECT 'p:' || COALESCE(NEW.parent_id, NEW.id), value FROM generations
        WHERE scope = '*' AND COALESCE(NEW.parent_id, NEW.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:' || COALESCE(NEW.parent_id, NEW.id), value FROM generations
        WHERE scope = '*' AND COALESCE(NEW.parent_id, NEW.id) IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    INSERT INTO generations (scope, value) SELECT 'l:platform', value FROM generations
        WHERE scope = '*' AND NEW.platform_publisher
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
    INSERT INTO generations (scope, value) SELECT 'l:platform', value FROM generations
        WHERE scope = '*' AND (NEW.platform_publisher OR OLD.platform_publisher)
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
    INSERT INTO generations (scope, value) SELECT 'l:platform', value FROM generations
        WHERE scope = '*' AND OLD.platform_publisher
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
    CASE WHEN s.account_id IS NULL THEN NULL ELSE MAX(
        COALESCE((SELECT value FROM generations WHERE scope = 'l:' || COALESCE(cur.parent_id, cur.id)), 0),
        COALESCE((SELECT value FROM generations WHERE scope = 'l:platform'), 0),
        COALESCE((SELECT g.value FROM accounts pa JOIN generations g ON g.scope = 'l:' || pa.id
            WHERE pa.platform_publisher = TRUE), 0)) END AS library,
    CASE WHEN s.account_id IS NULL THEN NULL ELSE COALESCE((SELECT value FROM generations
        WHERE scope = 'i:' || s.account_id), 0) END AS installs,
    CASE WHEN s.account_id IS NULL THEN NULL ELSE COALESCE((SELECT value FROM generations
        WHERE scope = 'a:' || s.account_id), 0) END AS content
FROM sessions s LEFT JOIN accounts cur ON cur.id = s.account_id;
