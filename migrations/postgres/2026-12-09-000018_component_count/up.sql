-- How many components the latest publication of a published process holds (the process and
-- what it uses), kept beside its latest version so that the library shows it without a read.
ALTER TABLE published_processes ADD COLUMN component_count INTEGER NOT NULL DEFAULT 0;
UPDATE published_processes SET component_count = COALESCE((
  SELECT packages.component_count FROM publications
  JOIN packages ON packages.id = publications.package_id
  WHERE publications.id = published_processes.latest_publication_id
), 0);
