-- Folder trees and pages of component lists are cached in memory too: a change to folders or
-- components moves the generation.
CREATE TRIGGER generation_folders_insert AFTER INSERT ON folders BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_folders_update AFTER UPDATE ON folders BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_folders_delete AFTER DELETE ON folders BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_components_insert AFTER INSERT ON components BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_components_update AFTER UPDATE ON components BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER generation_components_delete AFTER DELETE ON components BEGIN UPDATE generations SET value = value + 1 WHERE id = 1; END;
