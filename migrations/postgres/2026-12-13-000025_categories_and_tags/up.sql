-- A published process's Category (one of a fixed list, or none) and Tags (up to ten, kept as
-- typed, joined by ", "), which Browse offers as facets.
ALTER TABLE published_processes ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE published_processes ADD COLUMN tags TEXT NOT NULL DEFAULT '';
