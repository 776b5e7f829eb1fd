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
CREATE OR REPLACE FUNCTION bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    -- An install counts itself on its published process: that alone moves no generation
    -- (install counts and *Most popular* are refreshed within a minute instead, so that an
    -- install never invalidates other accounts' libraries).
    IF TG_TABLE_NAME = 'published_processes' AND TG_OP = 'UPDATE'
        AND (to_jsonb(NEW) - 'install_count') = (to_jsonb(OLD) - 'install_count')
        AND (to_jsonb(NEW) -> 'install_count') IS DISTINCT FROM (to_jsonb(OLD) -> 'install_count') THEN
        RETURN NULL;
    END IF;
    CASE TG_TABLE_NAME
        WHEN 'accounts' THEN
            PERFORM move_generations(ARRAY['p:' || COALESCE(r.parent_id, r.id), 'l:' || COALESCE(r.parent_id, r.id)]);
            -- Becoming or ceasing to be the platform publisher changes every account's library.
            IF r.platform_publisher THEN PERFORM move_generations(ARRAY['l:platform']); END IF;
            IF TG_OP = 'UPDATE' THEN
                IF OLD.platform_publisher THEN PERFORM move_generations(ARRAY['l:platform']); END IF;
            END IF;
        WHEN 'roles' THEN PERFORM move_generations(ARRAY['p:' || COALESCE((SELECT COALESCE(parent_id, id) FROM accounts WHERE id = r.account_id), '*')]);
        WHEN 'user_roles' THEN PERFORM move_generations(ARRAY['p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = r.account_id), 'u:' || r.user_id]);
        WHEN 'account_groups' THEN PERFORM move_generations(ARRAY['p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = r.account_id), 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = r.account_id)]);
        WHEN 'group_members' THEN PERFORM move_generations(ARRAY['p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = r.account_id), 'l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = r.account_id)]);
        WHEN 'group_users' THEN PERFORM move_generations(ARRAY['p:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = r.group_id)), 'u:' || r.user_id]);
        WHEN 'group_resources' THEN PERFORM move_generations(ARRAY['l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = (SELECT account_id FROM account_groups WHERE id = r.group_id))]);
        WHEN 'published_processes' THEN PERFORM move_generations(ARRAY['l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = r.account_id)]);
        WHEN 'publications' THEN PERFORM move_generations(ARRAY['l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = r.account_id)]);
        WHEN 'publisher_profiles' THEN PERFORM move_generations(ARRAY['l:' || (SELECT COALESCE(parent_id, id) FROM accounts WHERE id = r.account_id)]);
        WHEN 'installations' THEN PERFORM move_generations(ARRAY['i:' || r.account_id]);
        WHEN 'folders' THEN PERFORM move_generations(ARRAY['a:' || r.account_id]);
        WHEN 'components' THEN PERFORM move_generations(ARRAY['a:' || r.account_id]);
    END CASE;
    RETURN NULL;
END
$$;
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
    CASE WHEN s.account_id IS NULL THEN NULL ELSE GREATEST(
        COALESCE((SELECT value FROM generations WHERE scope = 'l:' || COALESCE(cur.parent_id, cur.id)), 0),
        COALESCE((SELECT value FROM generations WHERE scope = 'l:platform'), 0),
        COALESCE((SELECT g.value FROM accounts pa JOIN generations g ON g.scope = 'l:' || pa.id
            WHERE pa.platform_publisher = TRUE), 0)) END AS library,
    CASE WHEN s.account_id IS NULL THEN NULL ELSE COALESCE((SELECT value FROM generations
        WHERE scope = 'i:' || s.account_id), 0) END AS installs,
    CASE WHEN s.account_id IS NULL THEN NULL ELSE COALESCE((SELECT value FROM generations
        WHERE scope = 'a:' || s.account_id), 0) END AS content
FROM sessions s LEFT JOIN accounts cur ON cur.id = s.account_id;
