DROP TABLE import_identities;
