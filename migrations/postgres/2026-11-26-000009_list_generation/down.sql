DROP TRIGGER generation_folders ON folders;
DROP TRIGGER generation_components ON components;
