-- Background work any instance can claim: a job (what, for which account, how far) and its
-- items (one unit each, such as one managed account to install into). A worker claims a job
-- by setting claimed_by and claimed_at; a claim older than the lease can be taken over, so a
-- crash half-way resumes with the items still pending. Each item is finished in the same
-- transaction as its work, so nothing is done twice.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    total INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    run_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    claimed_at TIMESTAMP,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX jobs_runnable ON jobs (state, run_at);
CREATE INDEX jobs_account ON jobs (account_id, created_at);
CREATE TABLE job_items (
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    item TEXT NOT NULL,
    label TEXT NOT NULL,
    state TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    finished_at TIMESTAMP,
    PRIMARY KEY (job_id, item)
);
CREATE INDEX job_items_pending ON job_items (job_id, state, position);
