ALTER TABLE packages DROP COLUMN implicit;
ALTER TABLE accounts DROP COLUMN deployment_model;
