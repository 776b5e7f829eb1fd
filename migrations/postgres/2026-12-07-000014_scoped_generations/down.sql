DROP INDEX group_users_by_user;
DROP VIEW session_generations;
DROP FUNCTION bump_generation() CASCADE;
DROP FUNCTION move_generations(TEXT[]);
DROP TABLE generations;
-- One counter that every change to what is cached in memory (access, libraries) moves, in the
-- same transaction. The triggers are deferred to commit, so the counter's row is the last lock a
-- transaction takes (no deadlock with the rows it changed), once per transaction.
CREATE TABLE generations (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO generations (id, value) VALUES (1, 1);
CREATE FUNCTION bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('process_library.generation_moved', true) IS DISTINCT FROM 'yes' THEN
        UPDATE generations SET value = value + 1 WHERE id = 1;
        PERFORM set_config('process_library.generation_moved', 'yes', true);
    END IF;
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
