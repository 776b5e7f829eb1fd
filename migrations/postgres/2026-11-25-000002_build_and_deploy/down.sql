DROP TABLE package_components;
DROP TABLE packages;
DROP TABLE component_refs;
DROP TABLE component_revisions;
DROP TABLE components;
DROP TABLE folders;
