-- Folder trees are cached in memory too: a change to an account's folders moves the generation.
CREATE CONSTRAINT TRIGGER generation_folders AFTER INSERT OR UPDATE OR DELETE ON folders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
