-- The Build page's search by part of a component's name: a trigram index of the names (FTS5).
-- Each component has a row number here that VACUUM keeps (an INTEGER PRIMARY KEY; the implicit
-- rowid of components may change), and its name key is indexed under that number.
CREATE TABLE component_search_rows (
    row INTEGER PRIMARY KEY,
    component_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE component_names USING fts5 (
    name_key, content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO component_search_rows (component_id) SELECT id FROM components;
INSERT INTO component_names (rowid, name_key)
    SELECT r.row, c.name_key FROM component_search_rows r JOIN components c ON c.id = r.component_id;
CREATE TRIGGER component_names_insert AFTER INSERT ON components BEGIN
    INSERT INTO component_search_rows (component_id) VALUES (new.id);
    INSERT INTO component_names (rowid, name_key) VALUES (last_insert_rowid(), new.name_key);
END;
CREATE TRIGGER component_names_update AFTER UPDATE OF name_key ON components
WHEN new.name_key IS NOT old.name_key BEGIN
    DELETE FROM component_names
        WHERE rowid = (SELECT row FROM component_search_rows WHERE component_id = old.id);
    INSERT INTO component_names (rowid, name_key)
        SELECT row, new.name_key FROM component_search_rows WHERE component_id = new.id;
END;
CREATE TRIGGER component_names_delete AFTER DELETE ON components BEGIN
    DELETE FROM component_names
        WHERE rowid = (SELECT row FROM component_search_rows WHERE component_id = old.id);
    DELETE FROM component_search_rows WHERE component_id = old.id;
END;
