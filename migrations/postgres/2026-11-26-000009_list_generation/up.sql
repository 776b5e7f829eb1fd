-- Folder trees and pages of component lists are cached in memory too: a change to folders or
-- components moves the generation.
CREATE CONSTRAINT TRIGGER generation_folders AFTER INSERT OR UPDATE OR DELETE ON folders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
CREATE CONSTRAINT TRIGGER generation_components AFTER INSERT OR UPDATE OR DELETE ON components DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_generation();
