-- The Build page's search by part of a component's name: a trigram index of the names
-- (pg_trgm, a trusted extension that ships with PostgreSQL). Where the extension cannot be
-- installed the search still works, by reading the account's components in name order.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'pg_trgm is not available (%): the Build page search runs without its index', SQLERRM;
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX components_name_trgm_idx ON components USING gin (name_key gin_trgm_ops);
    END IF;
END
$$;
