//! Install for Accounts: a partner installs the latest publication of a process into many of
//! the managed accounts that see it. The page queues a job with one item per account; a
//! background worker does each account's ordinary one-transaction install, finishing the item
//! in that same transaction (so a restart half-way resumes and never installs twice), audited
//! in the account and in the partner's log as done on the account's behalf.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::db::groups::AccountGroup;
use crate::db::ids::*;
use crate::db::jobs::{Job, JobItem};
use crate::db::library::PublishedProcess;
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::accounts::access::privileges_in;
use crate::services::audit::{self, By, Entry};
use crate::services::browse::install::{self, InstallInput};
use crate::services::context::Instance;
use crate::services::library::audience::{self, Viewer};
use crate::services::{Caller, Ctx};

/// The kind of the jobs of this module.
pub const KIND: &str = "install_for_accounts";

/// How an account's install ended.
pub const INSTALLED: &str = "installed";
pub const ALREADY: &str = "already";
pub const FAILED: &str = "failed";

/// What the job needs besides its items.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Payload {
    process_id: String,
    process_name: String,
    folder_name: String,
    user_id: String,
    email: String,
    partner_name: String,
}

/// What the form offers.
pub struct InstallForForm {
    pub process: PublishedProcess,
    pub viewers: Vec<Viewer>,
    pub groups: Vec<AccountGroup>,
}

/// The form's input: ticked accounts, or a whole group, and the folder to install into.
#[derive(Debug, Clone, Default)]
pub struct InstallForInput {
    pub accounts: Vec<String>,
    pub group: String,
    pub folder_name: String,
}

/// The accounts that see the process (Process Library privilege).
pub fn form(ctx: &Ctx, component_id: &ComponentId) -> Result<InstallForForm, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| {
        let process = super::published_process(conn, caller, component_id)?;
        let (viewers, groups) = audience::audience(conn, caller.account_id(), &process.id)?;
        Ok(InstallForForm {
            process,
            viewers,
            groups,
        })
    })
}

/// Queues the installs; returns the job to follow.
pub fn start(
    ctx: &Ctx,
    component_id: &ComponentId,
    input: &InstallForInput,
) -> Result<JobId, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    let now = db::now();
    ctx.write(|conn| {
        let process = super::published_process(conn, caller, component_id)?;
        let (viewers, groups) = audience::audience(conn, caller.account_id(), &process.id)?;
        let mut errors = FieldErrors::new();
        let folder_name = v::clean_name(&input.folder_name);
        if !folder_name.is_empty() {
            errors.check(
                "folder_name",
                v::required_text("Folder Name", &folder_name, 100),
            );
            if folder_name.contains('/') {
                errors.add("folder_name", "Folder Name cannot contain a slash.");
            }
        }
        let chosen: BTreeSet<&str> = if input.group.is_empty() {
            input.accounts.iter().map(String::as_str).collect()
        } else {
            let Some(group) = groups.iter().find(|g| g.id.as_str() == input.group) else {
                errors.add("group", "Choose a group that shares this process.");
                return Err(AppError::Validation(errors));
            };
            let members: BTreeSet<AccountId> = if group.all_accounts {
                viewers.iter().map(|v| v.account.id.clone()).collect()
            } else {
                db::groups::members_of_groups(conn, std::slice::from_ref(&group.id))?
                    .into_iter()
                    .map(|(_, account)| account)
                    .collect()
            };
            viewers
                .iter()
                .filter(|v| members.contains(&v.account.id))
                .map(|v| v.account.id.as_str())
                .collect()
        };
        let targets: Vec<&Viewer> = viewers
            .iter()
            .filter(|v| chosen.contains(v.account.id.as_str()))
            .collect();
        if targets.is_empty() {
            errors.add(
                "accounts",
                "Tick the accounts to install into, or choose a group.",
            );
        } else if targets.len() < chosen.len() {
            errors.add(
                "accounts",
                "Some ticked accounts cannot see this process. Reload the page and choose again.",
            );
        }
        errors.into_result()?;
        let partner_name = db::accounts::get_account(conn, caller.account_id())?.name;
        let payload = Payload {
            process_id: process.id.to_string(),
            process_name: process.name.clone(),
            folder_name,
            user_id: caller.user_id().to_string(),
            email: caller.email().to_owned(),
            partner_name,
        };
        let job = Job {
            id: JobId::generate(),
            account_id: caller.account_id().clone(),
            kind: KIND.to_owned(),
            payload: serde_json::to_string(&payload)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            state: db::jobs::QUEUED.to_owned(),
            total: i32::try_from(targets.len()).unwrap_or(i32::MAX),
            done: 0,
            run_at: now,
            claimed_by: None,
            claimed_at: None,
            created_by: Some(caller.email().to_owned()),
            created_at: now,
            finished_at: None,
        };
        let items: Vec<JobItem> = targets
            .iter()
            .enumerate()
            .map(|(i, v)| JobItem {
                job_id: job.id.clone(),
                position: i32::try_from(i).unwrap_or(i32::MAX),
                item: v.account.id.to_string(),
                label: v.account.name.clone(),
                state: db::jobs::PENDING.to_owned(),
                message: String::new(),
                finished_at: None,
            })
            .collect();
        db::jobs::insert(conn, &job, &items)?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::InstallForAccountsStarted,
                target_type: "job",
                target_id: Some(&job.id),
                summary: format!(
                    "Install of {} for {} queued",
                    process.name,
                    crate::domain::text::count(items.len(), "account", "accounts")
                ),
            },
        )?;
        Ok(job.id)
    })
}

/// The folder of the account to install into: its root, or the folder of that name in the
/// root (made by the install when missing).
fn location(
    conn: &mut DbConnection,
    account_id: &AccountId,
    folder_name: &str,
) -> Result<(FolderId, String), AppError> {
    let root = db::build::find_root_folder(conn, account_id)?.ok_or(AppError::NotFound)?;
    if folder_name.is_empty() {
        return Ok((root.id, String::new()));
    }
    let key = name_key(folder_name);
    let existing = db::build::list_folders(conn, account_id)?
        .into_iter()
        .find(|f| f.parent_id.as_ref() == Some(&root.id) && f.name_key == key);
    Ok(match existing {
        Some(folder) => (folder.id, String::new()),
        None => (root.id, folder_name.to_owned()),
    })
}

/// Does one account's install: in one transaction, the install and the item's result, or
/// (when the install fails) nothing but the result.
pub fn run_item(instance: &Arc<Instance>, job: &Job, item: &JobItem) -> Result<(), AppError> {
    let pool = &instance.pool;
    let Ok(payload) = serde_json::from_str::<Payload>(&job.payload) else {
        return fail(pool, job, item, "This job cannot be read by this release.");
    };
    let worked = db::write(pool, |conn| {
        if !db::jobs::take_item(conn, &job.id, &item.item)? {
            return Ok(());
        }
        let now = db::now();
        // The partner's user must still hold the Process Library privilege in the partner.
        let partner = db::accounts::get_account(conn, &job.account_id)?;
        // (An empty id is the operator's command line, which is trusted.)
        let user = UserId::from(payload.user_id.clone());
        if !payload.user_id.is_empty()
            && !privileges_in(conn, &user, &partner)?.has(Privilege::ProcessLibrary)
        {
            return db::jobs::finish_item(
                conn,
                &job.id,
                &item.item,
                FAILED,
                "The user who asked no longer manages the process library.",
                now,
            );
        }
        let account = db::accounts::get_account(conn, &AccountId::from(item.item.clone()))?;
        // One install into an account at a time: jobs run by other workers see this one's.
        db::browse::lock_account_installs(conn, &account.id)?;
        if account.parent_id.as_ref() != Some(&job.account_id) {
            return db::jobs::finish_item(
                conn,
                &job.id,
                &item.item,
                FAILED,
                "No longer a managed account of this partner.",
                now,
            );
        }
        let caller = Caller::on_behalf(&payload.user_id, &payload.email, &account);
        let process_id = ProcessId::from(payload.process_id.clone());
        let installed =
            db::browse::installed_versions(conn, &account.id, std::slice::from_ref(&process_id))?;
        if let Some((_, version)) = installed.first() {
            return db::jobs::finish_item(
                conn,
                &job.id,
                &item.item,
                ALREADY,
                &format!("Already installed (version {version})."),
                now,
            );
        }
        if crate::services::browse::library::find(conn, &caller, &process_id).is_err() {
            return db::jobs::finish_item(
                conn,
                &job.id,
                &item.item,
                FAILED,
                "The account no longer sees this process.",
                now,
            );
        }
        let (folder_id, new_folder) = location(conn, &account.id, &payload.folder_name)?;
        let input = InstallInput {
            folder_id,
            new_folder,
            local_name: payload.process_name.clone(),
            idempotency_key: format!("job-{}", job.id),
            bindings: Default::default(),
            on_behalf_of: Some(payload.partner_name.clone()),
        };
        let installation =
            install::install_in(conn, &instance.sealer, &caller, &process_id, &input)?;
        audit::record(
            conn,
            &By {
                user_id: Some(&payload.user_id),
                email: Some(&payload.email),
                source: crate::domain::audit::Source::Web,
                client_addr: None,
            },
            Entry {
                account_id: Some(&job.account_id),
                action: Action::InstalledForAccount,
                target_type: "installation",
                target_id: Some(&installation.id),
                summary: format!(
                    "{} version {} installed in {} as {}",
                    payload.process_name,
                    installation.sequence,
                    account.name,
                    installation.local_name
                ),
            },
        )?;
        db::jobs::finish_item(
            conn,
            &job.id,
            &item.item,
            INSTALLED,
            &format!(
                "Installed as {} (version {}).",
                installation.local_name, installation.sequence
            ),
            now,
        )
    });
    match worked {
        Ok(()) => Ok(()),
        Err(error) => {
            let message = match &error {
                AppError::Validation(errors) | AppError::Refused(errors) => {
                    errors.iter().next().map_or_else(
                        || "The install was refused.".to_owned(),
                        |(_, m)| m.to_owned(),
                    )
                }
                AppError::Conflict(reason) => reason.clone(),
                _ => {
                    tracing::warn!(%error, job = %job.id, "an install for an account failed");
                    "The install failed; nothing was installed.".to_owned()
                }
            };
            fail(pool, job, item, &message)
        }
    }
}

/// Records that an item could not be done, in a transaction of its own.
fn fail(pool: &db::DbPool, job: &Job, item: &JobItem, message: &str) -> Result<(), AppError> {
    db::write(pool, |conn| {
        if db::jobs::take_item(conn, &job.id, &item.item)? {
            db::jobs::finish_item(conn, &job.id, &item.item, FAILED, message, db::now())?;
        }
        Ok(())
    })
}

/// A job as its page shows it.
pub struct JobView {
    pub job: Job,
    pub process_name: String,
    pub folder_name: String,
    pub items: Vec<JobItem>,
    pub counts: Vec<(String, i64)>,
}

/// How many result rows a job's page lists.
const ROWS_SHOWN: i64 = 2000;

/// What a job of this kind is called in lists: "Install NAME for accounts".
pub fn title(job: &Job) -> Option<String> {
    let payload: Payload = serde_json::from_str(&job.payload).ok()?;
    Some(format!("Install {} for accounts", payload.process_name))
}

/// A job of the caller's account (Process Library privilege).
pub fn view(ctx: &Ctx, id: &JobId) -> Result<JobView, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| {
        let job = db::jobs::find_for_account(conn, caller.account_id(), id)?
            .filter(|j| j.kind == KIND)
            .ok_or(AppError::NotFound)?;
        let payload: Payload =
            serde_json::from_str(&job.payload).map_err(|e| AppError::Internal(e.to_string()))?;
        let items = db::jobs::list_items(conn, &job.id, ROWS_SHOWN)?;
        let counts = db::jobs::count_by_state(conn, &job.id)?;
        Ok(JobView {
            job,
            process_name: payload.process_name,
            folder_name: payload.folder_name,
            items,
            counts,
        })
    })
}
