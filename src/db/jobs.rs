//! Background jobs and their items: queued by a page, claimed by any instance's worker
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's write transactions are serial), each item
//! finished in the transaction of its own work.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{job_items, jobs};
use crate::db::ids::*;
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

/// A job's states.
pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";

/// An item's states before it is finished.
pub const PENDING: &str = "pending";
pub const WORKING: &str = "working";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: JobId,
    pub account_id: AccountId,
    pub kind: String,
    pub payload: String,
    pub state: String,
    pub total: i32,
    pub done: i32,
    pub run_at: NaiveDateTime,
    pub claimed_by: Option<String>,
    pub claimed_at: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = job_items)]
pub struct JobItem {
    pub job_id: JobId,
    pub position: i32,
    pub item: String,
    pub label: String,
    pub state: String,
    pub message: String,
    pub finished_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, job: &Job, items: &[JobItem]) -> Result<()> {
    diesel::insert_into(jobs::table).values(job).execute(conn)?;
    for chunk in items.chunks(200) {
        super::per_backend!(conn, |c| diesel::insert_into(job_items::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Adds items to a job that is running (a job that finds its work when it starts), counting
/// them in its total.
pub fn add_items(conn: &mut DbConnection, job_id: &JobId, items: &[JobItem]) -> Result<()> {
    for chunk in items.chunks(200) {
        super::per_backend!(conn, |c| diesel::insert_into(job_items::table)
            .values(chunk)
            .execute(c))?;
    }
    let n = i32::try_from(items.len()).unwrap_or(i32::MAX);
    diesel::update(jobs::table.find(job_id))
        .set(jobs::total.eq(jobs::total + n))
        .execute(conn)?;
    Ok(())
}

/// Claims the oldest runnable job for `worker`: queued or running, due, and unclaimed or
/// claimed before `stale` (its worker stopped). Call inside a write transaction.
pub fn claim(
    conn: &mut DbConnection,
    worker: &str,
    now: NaiveDateTime,
    stale: NaiveDateTime,
) -> Result<Option<Job>> {
    macro_rules! runnable {
        () => {
            jobs::table
                .filter(jobs::state.eq_any([QUEUED, RUNNING]))
                .filter(jobs::run_at.le(now))
                .filter(
                    jobs::claimed_at
                        .is_null()
                        .or(jobs::claimed_at.lt(stale))
                        .or(jobs::claimed_by.eq(worker)),
                )
                .order((jobs::run_at.asc(), jobs::created_at.asc(), jobs::id.asc()))
                .select(Job::as_select())
        };
    }
    let found = match conn {
        DbConnection::Postgresql(pg) => runnable!()
            .for_update()
            .skip_locked()
            .first(pg)
            .optional()?,
        DbConnection::Sqlite(lite) => runnable!().first(lite).optional()?,
    };
    let Some(mut job) = found else {
        return Ok(None);
    };
    diesel::update(jobs::table.find(&job.id))
        .set((
            jobs::state.eq(RUNNING),
            jobs::claimed_by.eq(worker),
            jobs::claimed_at.eq(now),
        ))
        .execute(conn)?;
    job.state = RUNNING.to_owned();
    job.claimed_by = Some(worker.to_owned());
    job.claimed_at = Some(now);
    Ok(Some(job))
}

/// The next items still to do, in order.
pub fn pending_items(conn: &mut DbConnection, job_id: &JobId, limit: i64) -> Result<Vec<JobItem>> {
    Ok(job_items::table
        .filter(job_items::job_id.eq(job_id))
        .filter(job_items::state.eq(PENDING))
        .order(job_items::position.asc())
        .limit(limit)
        .select(JobItem::as_select())
        .load(conn)?)
}

/// Takes an item for this transaction: `false` when another worker finished it already (its
/// row stays locked until the transaction ends on PostgreSQL).
pub fn take_item(conn: &mut DbConnection, job_id: &JobId, item: &str) -> Result<bool> {
    let taken = diesel::update(
        job_items::table
            .filter(job_items::job_id.eq(job_id))
            .filter(job_items::item.eq(item))
            .filter(job_items::state.eq(PENDING)),
    )
    .set(job_items::state.eq(WORKING))
    .execute(conn)?;
    Ok(taken == 1)
}

/// Records how an item ended and counts it, renewing the worker's claim.
pub fn finish_item(
    conn: &mut DbConnection,
    job_id: &JobId,
    item: &str,
    state: &str,
    message: &str,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::update(
        job_items::table
            .filter(job_items::job_id.eq(job_id))
            .filter(job_items::item.eq(item)),
    )
    .set((
        job_items::state.eq(state),
        job_items::message.eq(message),
        job_items::finished_at.eq(now),
    ))
    .execute(conn)?;
    diesel::update(jobs::table.find(job_id))
        .set((jobs::done.eq(jobs::done + 1), jobs::claimed_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Marks a job done once no item is pending.
pub fn finish_if_complete(
    conn: &mut DbConnection,
    job_id: &JobId,
    now: NaiveDateTime,
) -> Result<bool> {
    let pending: i64 = job_items::table
        .filter(job_items::job_id.eq(job_id))
        .filter(job_items::state.eq_any([PENDING, WORKING]))
        .count()
        .get_result(conn)?;
    if pending > 0 {
        return Ok(false);
    }
    diesel::update(jobs::table.find(job_id))
        .set((
            jobs::state.eq(DONE),
            jobs::finished_at.eq(now),
            jobs::claimed_by.eq(None::<String>),
            jobs::claimed_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Lets go of a claim (the worker stops between items).
pub fn release(conn: &mut DbConnection, job_id: &JobId) -> Result<()> {
    diesel::update(jobs::table.find(job_id))
        .set((
            jobs::claimed_by.eq(None::<String>),
            jobs::claimed_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &JobId,
) -> Result<Option<Job>> {
    Ok(jobs::table
        .filter(jobs::account_id.eq(account_id))
        .filter(jobs::id.eq(id))
        .select(Job::as_select())
        .first(conn)
        .optional()?)
}

/// The account's latest job of a kind.
pub fn find_latest_of_kind(
    conn: &mut DbConnection,
    account_id: &AccountId,
    kind: &str,
) -> Result<Option<JobId>> {
    Ok(jobs::table
        .filter(jobs::account_id.eq(account_id))
        .filter(jobs::kind.eq(kind))
        .order(jobs::created_at.desc())
        .select(jobs::id)
        .first(conn)
        .optional()?)
}

/// A job's items in order (at most `limit`).
pub fn list_items(conn: &mut DbConnection, job_id: &JobId, limit: i64) -> Result<Vec<JobItem>> {
    Ok(job_items::table
        .filter(job_items::job_id.eq(job_id))
        .order(job_items::position.asc())
        .limit(limit)
        .select(JobItem::as_select())
        .load(conn)?)
}

/// How many items of a job ended in each state.
pub fn count_by_state(conn: &mut DbConnection, job_id: &JobId) -> Result<Vec<(String, i64)>> {
    Ok(job_items::table
        .filter(job_items::job_id.eq(job_id))
        .group_by(job_items::state)
        .select((job_items::state, diesel::dsl::count_star()))
        .load(conn)?)
}
