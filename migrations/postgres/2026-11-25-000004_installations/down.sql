DROP INDEX group_resources_group_idx;
DROP INDEX published_processes_date_idx;
DROP INDEX published_processes_popular_idx;
DROP TABLE installed_components;
DROP TABLE installations;
