//! The background worker of every instance: claims the oldest runnable job (one worker at a
//! time per job; a claim older than [`LEASE`] is taken over, so work stopped by a crash
//! resumes), and does its items one by one, each in its own transaction.

use std::sync::Arc;
use std::time::Duration;

use crate::db;
use crate::db::ids::JobId;
use crate::db::jobs::{Job, JobItem};
use crate::error::AppError;
use crate::services::context::Instance;
use crate::services::library::install_for;

/// How long a claim lasts without progress before another worker may take the job over.
pub const LEASE: Duration = Duration::from_secs(30);

/// Items read at a time.
const BATCH: i64 = 50;

fn run_item(instance: &Arc<Instance>, job: &Job, item: &JobItem) -> Result<(), AppError> {
    match job.kind.as_str() {
        install_for::KIND => install_for::run_item(instance, job, item),
        super::pack_releases::KIND => super::pack_releases::run_item(instance, job, item),
        other => {
            tracing::warn!(kind = other, job = %job.id, "a job of an unknown kind is skipped");
            db::write(&instance.pool, |conn| {
                if db::jobs::take_item(conn, &job.id, &item.item)? {
                    db::jobs::finish_item(
                        conn,
                        &job.id,
                        &item.item,
                        install_for::FAILED,
                        "This kind of work is not known to this release.",
                        db::now(),
                    )?;
                }
                Ok(())
            })
        }
    }
}

/// Does up to `max_items` items of runnable jobs as `worker`; returns how many it did. A job
/// left with items to do is released, so that any worker continues it.
pub fn work(instance: &Arc<Instance>, worker: &str, max_items: usize) -> Result<usize, AppError> {
    let pool = &instance.pool;
    let lease = chrono::Duration::from_std(LEASE).unwrap_or_else(|_| chrono::Duration::seconds(60));
    let mut done = 0;
    while done < max_items {
        // By the instance's clock, so that a release due on a date runs once it has come.
        let now = instance.settings.session.clock.now();
        let Some(job) = db::write(pool, |conn| db::jobs::claim(conn, worker, now, now - lease))?
        else {
            break;
        };
        loop {
            let items = db::read(pool, |conn| db::jobs::pending_items(conn, &job.id, BATCH))?;
            if items.is_empty() {
                db::write(pool, |conn| {
                    db::jobs::finish_if_complete(conn, &job.id, db::now())
                })?;
                break;
            }
            for item in &items {
                if done >= max_items {
                    db::write(pool, |conn| db::jobs::release(conn, &job.id))?;
                    return Ok(done);
                }
                if let Err(error) = run_item(instance, &job, item) {
                    // Let go, so that this worker does not hold the job while it cannot work.
                    db::write(pool, |conn| db::jobs::release(conn, &job.id))?;
                    return Err(error);
                }
                done += 1;
            }
        }
    }
    Ok(done)
}

/// A name for this process's worker, distinct across instances.
pub fn worker_name() -> String {
    format!("{}-{}", std::process::id(), uuid::Uuid::new_v4())
}

/// What a job is called in lists, by its kind.
pub fn title(job: &Job) -> String {
    match job.kind.as_str() {
        install_for::KIND => install_for::title(job),
        super::pack_releases::KIND => super::pack_releases::title(job),
        _ => None,
    }
    .unwrap_or_else(|| job.kind.clone())
}

/// The kind of a job of the caller's (primary) account, so that its page can be chosen.
pub fn kind_of(ctx: &crate::services::Ctx, id: &JobId) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require_primary()?;
    ctx.read(|conn| {
        db::jobs::find_for_account(conn, caller.account_id(), id)?
            .map(|j| j.kind)
            .ok_or(AppError::NotFound)
    })
}
