DROP INDEX published_processes_popular_idx;
DROP INDEX published_processes_date_idx;
DROP INDEX group_resources_process_idx;
CREATE INDEX published_processes_popular_idx ON published_processes (account_id, install_count DESC, name_key, id);
CREATE INDEX published_processes_date_idx ON published_processes (account_id, latest_published_at DESC, id DESC);
CREATE INDEX group_resources_process_idx ON group_resources (published_process_id, group_id);
