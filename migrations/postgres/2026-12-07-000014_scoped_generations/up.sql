-- Generations per scope instead of one counter. A change moves only the scopes of what it can
-- change: 'p:FAMILY' (people and structure of a primary account and its managed accounts),
-- 'l:FAMILY' (its library: published processes, publications, groups and their resources),
-- 'u:USER' (a user's memberships), 'i:ACCOUNT' (an account's installations), 'a:ACCOUNT' (an
-- account's folders and components). A FAMILY is the primary account's id; 'p:*' is moved by
-- the built-in roles (no account), which every user's access reads. Each transaction
-- takes the next value of the clock '*' and sets the scopes it moves to it, so values only grow
-- and a scope's value is the clock at its last change: a request reads the scopes its caches
-- depend on with its session.

DROP FUNCTION bump_generation() CASCADE;
DROP TABLE generations;
CREATE TABLE generations (
    scope TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);
INSERT INTO generations (scope, value) VALUES ('*', 1);
-- Moves each scope once per transaction to the transaction's clock value. The triggers are
-- deferred to commit, so the clock's row is the last lock a transaction takes (no deadlock with
-- the rows it changed) and clock values follow the order of commits.
CREATE FUNCTION move_generations(scopes TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    clock BIGINT := NULLIF(current_setting('process_library.clock', true), '')::BIGINT;
    moved TEXT := COALESCE(NULLIF(current_setting('process_library.moved', true), ''), ',');
    s TEXT;
BEGIN
    IF clock IS NULL THEN
        UPDATE generations SET value = value + 1 WHERE scope = '*' RETURNING value INTO clock;
        PERFORM set_config('process_library.clock', clock::TEXT, true);
    END IF;
    FOREACH s IN ARRAY scopes LOOP
        IF s IS NOT NULL AND position(',' || s || ',' IN moved) = 0 THEN
            INSERT INTO generations (scope, value) VALUES (s, clock)
                ON CONFLICT (scope) DO UPDATE SET value = EXCLUDED.value;
            moved := moved || s || ',';
        END IF;
    END LOOP;
    PERFORM set_config('process_library.moved', moved, true);
END
$$;
CREATE FUNCTION bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE CONSTRAINT TRIGGER generation_accounts AFTER INSERT OR UPDATE OR DELETE ON accounts DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_roles AFTER INSERT OR UPDATE OR DELETE ON roles DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_user_roles AFTER INSERT OR UPDATE OR DELETE ON user_roles DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_account_groups AFTER INSERT OR UPDATE OR DELETE ON account_groups DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_group_members AFTER INSERT OR UPDATE OR DELETE ON group_members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_group_users AFTER INSERT OR UPDATE OR DELETE ON group_users DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_group_resources AFTER INSERT OR UPDATE OR DELETE ON group_resources DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_published_processes AFTER INSERT OR UPDATE OR DELETE ON published_processes DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_publications AFTER INSERT OR UPDATE OR DELETE ON publications DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_publisher_profiles AFTER INSERT OR UPDATE OR DELETE ON publisher_profiles DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_installations AFTER INSERT OR UPDATE OR DELETE ON installations DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_folders AFTER INSERT OR UPDATE OR DELETE ON folders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_components AFTER INSERT OR UPDATE OR DELETE ON components DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
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
