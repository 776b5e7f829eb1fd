DROP TRIGGER component_names_delete;
DROP TRIGGER component_names_update;
DROP TRIGGER component_names_insert;
DROP TABLE component_names;
DROP TABLE component_search_rows;
