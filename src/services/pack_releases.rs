//! A pack release taking effect: a background job (see [`crate::services::jobs`]) due on the
//! release's date that updates every installed instance in place, each in its own
//! transaction, resumably. Its first item finds the instances still below the release (those
//! installed until the date included); each instance's item updates its members to the
//! publications the release froze, keeping the instance's own changes (its extensions), adds
//! new members, and moves the instance to the release. An instance whose account no longer
//! reaches the pack (removed from the group, feature switched off) is left as it is.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::db::ids::{AccountId, JobId, PackId, ProcessId, ReleaseId};
use crate::db::jobs::{Job, JobItem};
use crate::db::packs::{IntegrationPack, PackRelease};
use crate::db::{self, DbConnection};
use crate::domain::accounts::{Feature, Features};
use crate::domain::audit::Action;
use crate::error::AppError;
use crate::services::Caller;
use crate::services::audit::{self, By, Entry};
use crate::services::browse::install::{self, InstallInput};
use crate::services::browse::update;
use crate::services::context::Instance;

pub const KIND: &str = "pack_release";
/// The first item: finds the instances to update.
const EXPAND: &str = "instances";
pub const UPDATED: &str = "updated";
pub const SKIPPED: &str = "skipped";
pub const FAILED: &str = "failed";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Payload {
    pack_id: String,
    release_id: String,
    sequence: i32,
    released_by: String,
    /// The pack's name when it was released, for the job's title.
    #[serde(default)]
    pack_name: String,
}

/// Queues the job of a release, due when it takes effect (inside the release's transaction).
pub fn schedule(
    conn: &mut DbConnection,
    pack: &IntegrationPack,
    release: &PackRelease,
    by: &str,
) -> Result<JobId, AppError> {
    let payload = Payload {
        pack_id: pack.id.to_string(),
        release_id: release.id.to_string(),
        sequence: release.sequence,
        released_by: by.to_owned(),
        pack_name: pack.name.clone(),
    };
    let job = Job {
        id: JobId::generate(),
        account_id: pack.account_id.clone(),
        kind: KIND.to_owned(),
        payload: serde_json::to_string(&payload).map_err(|e| AppError::Internal(e.to_string()))?,
        state: db::jobs::QUEUED.to_owned(),
        total: 1,
        done: 0,
        run_at: release.release_at,
        claimed_by: None,
        claimed_at: None,
        created_by: Some(by.to_owned()),
        created_at: db::now(),
        finished_at: None,
    };
    let expand = JobItem {
        job_id: job.id.clone(),
        position: 0,
        item: EXPAND.to_owned(),
        label: format!("Find the instances of {} to update", pack.name),
        state: db::jobs::PENDING.to_owned(),
        message: String::new(),
        finished_at: None,
    };
    db::jobs::insert(conn, &job, &[expand])?;
    Ok(job.id)
}

fn finish(
    conn: &mut DbConnection,
    job: &Job,
    item: &str,
    state: &str,
    message: &str,
) -> Result<(), AppError> {
    db::jobs::finish_item(conn, &job.id, item, state, message, db::now())
}

/// Does one item of a release's job in its own transaction.
pub fn run_item(instance: &Arc<Instance>, job: &Job, item: &JobItem) -> Result<(), AppError> {
    let pool = &instance.pool;
    let Ok(payload) = serde_json::from_str::<Payload>(&job.payload) else {
        return db::write(pool, |conn| {
            if db::jobs::take_item(conn, &job.id, &item.item)? {
                finish(
                    conn,
                    job,
                    &item.item,
                    FAILED,
                    "This job cannot be read by this release.",
                )?;
            }
            Ok(())
        });
    };
    let outcome = db::write(pool, |conn| {
        if !db::jobs::take_item(conn, &job.id, &item.item)? {
            return Ok(());
        }
        if item.item == EXPAND {
            return expand(conn, job, &payload);
        }
        update_instance(conn, &instance.sealer, job, &item.item, &payload)
    });
    match outcome {
        Ok(()) => Ok(()),
        // The instance's update failed as a whole (nothing of it was written): say why.
        Err(error @ (AppError::Conflict(_) | AppError::Validation(_) | AppError::NotFound)) => {
            let message = match &error {
                AppError::Validation(errors) => errors
                    .iter()
                    .map(|(_, m)| m.to_owned())
                    .collect::<Vec<_>>()
                    .join(" "),
                other => other.to_string(),
            };
            db::write(pool, |conn| {
                if db::jobs::take_item(conn, &job.id, &item.item)? {
                    finish(conn, job, &item.item, FAILED, &message)?;
                }
                Ok(())
            })
        }
        Err(other) => Err(other),
    }
}

fn expand(conn: &mut DbConnection, job: &Job, payload: &Payload) -> Result<(), AppError> {
    let behind = db::pack_instances::behind(
        conn,
        &PackId::from(payload.pack_id.clone()),
        payload.sequence,
    )?;
    let items: Vec<JobItem> = behind
        .iter()
        .enumerate()
        .map(|(n, (id, account, name))| JobItem {
            job_id: job.id.clone(),
            position: i32::try_from(n + 1).unwrap_or(i32::MAX),
            item: id.clone(),
            label: format!("{name} in {account}"),
            state: db::jobs::PENDING.to_owned(),
            message: String::new(),
            finished_at: None,
        })
        .collect();
    db::jobs::add_items(conn, &job.id, &items)?;
    finish(
        conn,
        job,
        EXPAND,
        UPDATED,
        &format!(
            "{} to update",
            crate::domain::text::count(items.len(), "instance", "instances")
        ),
    )
}

/// Whether the account still reaches the pack: its partner's, shared through a group holding
/// it, with the partner's feature on.
fn still_shared(
    conn: &mut DbConnection,
    account: &db::accounts::Account,
    pack: &IntegrationPack,
) -> Result<bool, AppError> {
    if account.parent_id.as_ref() != Some(&pack.account_id) {
        return Ok(false);
    }
    let partner = db::accounts::get_account(conn, &pack.account_id)?;
    if !Features::parse(&partner.features).has(Feature::IntegrationPacks) {
        return Ok(false);
    }
    let groups = db::browse::visible_groups(conn, &account.id, &pack.account_id)?;
    Ok(db::packs::list_shared(conn, &pack.account_id, &groups)?
        .iter()
        .any(|p| p.id == pack.id))
}

fn update_instance(
    conn: &mut DbConnection,
    sealer: &crate::services::secrets::Sealer,
    job: &Job,
    instance_id: &str,
    payload: &Payload,
) -> Result<(), AppError> {
    db::pack_instances::lock(conn, instance_id)?;
    let Some((inst, pack, current)) = db::pack_instances::find(conn, instance_id)? else {
        return finish(
            conn,
            job,
            instance_id,
            SKIPPED,
            "The instance was uninstalled.",
        );
    };
    if current.sequence >= payload.sequence {
        return finish(
            conn,
            job,
            instance_id,
            UPDATED,
            &format!("Already at release {}.", current.sequence),
        );
    }
    let account = db::accounts::get_account(conn, &inst.account_id)?;
    if !still_shared(conn, &account, &pack)? {
        return finish(
            conn,
            job,
            instance_id,
            SKIPPED,
            &format!(
                "The account no longer receives this pack: the instance stays at release {}.",
                current.sequence
            ),
        );
    }
    let release_id = ReleaseId::from(payload.release_id.clone());
    let release = db::packs::find_release(conn, &release_id)?.ok_or(AppError::NotFound)?;
    let caller = Caller::on_behalf("", &payload.released_by, &account);
    db::browse::lock_account_installs(conn, &account.id)?;
    let members = db::pack_instances::installations_of(conn, &inst.id)?;
    let folder = db::build::find_folder_for_account(conn, &account.id, &inst.folder_id)?
        .ok_or(AppError::NotFound)?;
    let (mut changed, mut added) = (0, 0);
    for (process_id, publication_id) in db::pack_instances::release_items(conn, &release.id)? {
        let process = db::library::find_process(conn, &process_id)?.ok_or(AppError::NotFound)?;
        let publication =
            db::library::find_publication_for_account(conn, &process.account_id, &publication_id)?
                .ok_or(AppError::NotFound)?;
        match members
            .iter()
            .find(|m| m.published_process_id == process_id)
        {
            Some(member) => {
                let applied = update::update_to(conn, sealer, &caller, &member.id, publication)?;
                changed += applied.changed + applied.added;
            }
            None => {
                let installation = install::copy_publication(
                    conn,
                    sealer,
                    &caller,
                    &process,
                    &publication,
                    &folder,
                    &InstallInput {
                        folder_id: folder.id.clone(),
                        new_folder: String::new(),
                        local_name: process.name.clone(),
                        idempotency_key: format!(
                            "{}:{}",
                            inst.id,
                            ProcessId::from(process.id.to_string())
                        ),
                        bindings: Default::default(),
                        on_behalf_of: None,
                    },
                )?;
                db::pack_instances::attach(conn, &installation.id, &inst.id)?;
                added += 1;
            }
        }
    }
    db::pack_instances::set_release(conn, &inst.id, &release.id)?;
    audit::record(
        conn,
        &By::from(&caller),
        Entry {
            account_id: Some(&AccountId::from(account.id.to_string())),
            action: Action::PackUpdated,
            target_type: "pack_instance",
            target_id: Some(&inst.id),
            summary: format!(
                "Integration pack {} ({}) updated to release {}",
                pack.name, inst.instance_name, release.sequence
            ),
        },
    )?;
    finish(
        conn,
        job,
        instance_id,
        UPDATED,
        &format!(
            "Updated to release {} ({} changed, {} added).",
            release.sequence,
            crate::domain::text::count(changed, "component", "components"),
            crate::domain::text::count(added, "process", "processes"),
        ),
    )
}

/// What a release's job is called in lists: "Release N of PACK".
pub fn title(job: &Job) -> Option<String> {
    let payload: Payload = serde_json::from_str(&job.payload).ok()?;
    Some(if payload.pack_name.is_empty() {
        format!("Release {} of an integration pack", payload.sequence)
    } else {
        format!("Release {} of {}", payload.sequence, payload.pack_name)
    })
}

/// A release's job as its page shows it.
pub struct ReleaseJobView {
    pub job: Job,
    pub title: String,
    pub pack_id: String,
    pub items: Vec<JobItem>,
    pub counts: Vec<(String, i64)>,
    /// Its release date has not come yet.
    pub waiting: bool,
    /// The pack is still there (not deleted).
    pub pack_live: bool,
}

/// How many result rows a job's page lists.
const ROWS_SHOWN: i64 = 2000;

/// A release's job of the caller's account (Integration Pack privilege).
pub fn view(ctx: &crate::services::Ctx, id: &JobId) -> Result<ReleaseJobView, AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    let now = ctx.now();
    ctx.read(|conn| {
        let job = db::jobs::find_for_account(conn, caller.account_id(), id)?
            .filter(|j| j.kind == KIND)
            .ok_or(AppError::NotFound)?;
        let payload: Payload =
            serde_json::from_str(&job.payload).map_err(|e| AppError::Internal(e.to_string()))?;
        let items = db::jobs::list_items(conn, &job.id, ROWS_SHOWN)?;
        let counts = db::jobs::count_by_state(conn, &job.id)?;
        let pack_live = db::packs::find_pack(
            conn,
            caller.account_id(),
            &PackId::from(payload.pack_id.clone()),
        )?
        .is_some();
        Ok(ReleaseJobView {
            pack_live,
            waiting: job.run_at > now && job.finished_at.is_none(),
            title: title(&job).unwrap_or_default(),
            pack_id: payload.pack_id,
            job,
            items,
            counts,
        })
    })
}
