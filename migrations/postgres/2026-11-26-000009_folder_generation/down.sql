DROP TRIGGER generation_folders ON folders;
