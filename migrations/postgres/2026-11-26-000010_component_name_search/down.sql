DROP INDEX IF EXISTS components_name_trgm_idx;
