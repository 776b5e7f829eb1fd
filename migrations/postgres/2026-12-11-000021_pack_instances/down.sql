DROP INDEX installations_pack_instance;
ALTER TABLE installations DROP COLUMN pack_instance_id;
DROP TABLE pack_instances;
