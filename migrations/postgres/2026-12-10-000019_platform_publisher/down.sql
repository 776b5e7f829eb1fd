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
        WHEN 'accounts' THEN PERFORM move_generations(ARRAY['p:' || COALESCE(r.parent_id, r.id), 'l:' || COALESCE(r.parent_id, r.id)]);
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
