DROP TABLE group_resources;
DROP TABLE group_users;
DROP TABLE group_members;
DROP TABLE account_groups;
DROP TABLE publications;
DROP TABLE published_processes;
DROP TABLE publisher_profiles;
