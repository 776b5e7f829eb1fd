//! Integration packs: a partner's named sets of published processes and API services,
//! released as numbered versions that freeze each member's latest publication (now or on a
//! date), shared through account groups; and the packs a managed account finds available.

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::groups::AccountGroup;
use crate::db::ids::{GroupId, PackId, ProcessId, ReleaseId};
use crate::db::jobs::Job;
use crate::db::library::PublishedProcess;
use crate::db::packs::{IntegrationPack, PackRelease};
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::build::ComponentType;
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::audit::{self, By, Entry};
use crate::services::{Caller, Ctx};

/// The installation types a pack may have: (code, label).
pub const ATTACHMENTS: [(&str, &str); 2] = [
    ("single", "Single attachment"),
    ("multiple", "Multiple attachment"),
];

/// How many candidates a chooser lists.
const CHOOSER: i64 = 200;

/// *New Integration Pack*.
#[derive(Debug, Clone, Default)]
pub struct PackInput {
    pub name: String,
    pub description: String,
    pub attachment: String,
}

/// *Release Integration Pack*: notes, and a date (UTC, `YYYY-MM-DD`; empty or past = now).
#[derive(Debug, Clone, Default)]
pub struct ReleaseInput {
    pub notes: String,
    pub date: String,
}

/// A pack's page: the pack, what its next release holds and its releases (newest first, with
/// how many members each froze).
#[derive(Debug)]
pub struct PackPage {
    pub pack: IntegrationPack,
    pub members: Vec<PublishedProcess>,
    /// Each release with its size and the job that brings it to the installed instances.
    pub releases: Vec<(PackRelease, i64, Option<Job>)>,
    pub now: NaiveDateTime,
}

fn record(
    conn: &mut DbConnection,
    caller: &Caller,
    action: Action,
    target_type: &'static str,
    target: &str,
    summary: String,
) -> Result<(), AppError> {
    audit::record(
        conn,
        &By::from(caller),
        Entry {
            account_id: Some(caller.account_id()),
            action,
            target_type,
            target_id: Some(target),
            summary,
        },
    )
}

fn pack(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &PackId,
) -> Result<IntegrationPack, AppError> {
    db::packs::find_pack(conn, caller.account_id(), id)?.ok_or(AppError::NotFound)
}

/// The account's packs by name, each with its latest release in effect.
pub fn list(ctx: &Ctx) -> Result<Vec<(IntegrationPack, Option<i32>)>, AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    let now = ctx.now();
    ctx.read(|conn| {
        let packs = db::packs::list_packs(conn, caller.account_id())?;
        with_latest(conn, packs, now)
    })
}

fn with_latest(
    conn: &mut DbConnection,
    packs: Vec<IntegrationPack>,
    now: NaiveDateTime,
) -> Result<Vec<(IntegrationPack, Option<i32>)>, AppError> {
    let ids: Vec<PackId> = packs.iter().map(|p| p.id.clone()).collect();
    let latest = db::packs::latest_released(conn, &ids, now)?;
    Ok(packs
        .into_iter()
        .map(|p| {
            let released = latest
                .iter()
                .find(|(id, _)| *id == p.id)
                .and_then(|(_, s)| *s);
            (p, released)
        })
        .collect())
}

/// Creates a pack; its name is unique in the account, its type fixed from now on.
pub fn create(ctx: &Ctx, input: &PackInput) -> Result<PackId, AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    let name = v::clean_name(&input.name);
    let mut errors = FieldErrors::new();
    errors.check("name", v::required_text("Name", &name, 100));
    errors.check(
        "description",
        v::prose("Description", &input.description, 500),
    );
    if !ATTACHMENTS
        .iter()
        .any(|(code, _)| *code == input.attachment)
    {
        errors.add("attachment", "Choose the installation type.");
    }
    errors.into_result()?;
    ctx.write(|conn| {
        let key = name_key(&name);
        if db::packs::name_taken(conn, caller.account_id(), &key)? {
            return Err(AppError::invalid(
                "name",
                "An integration pack with this name already exists.",
            ));
        }
        let id = PackId::generate();
        db::packs::insert_pack(
            conn,
            &IntegrationPack {
                id: id.clone(),
                account_id: caller.account_id().clone(),
                name: name.clone(),
                name_key: key,
                description: input.description.trim().to_owned(),
                attachment: input.attachment.clone(),
                created_by: Some(caller.email().to_owned()),
                created_at: db::now(),
            },
        )?;
        record(
            conn,
            caller,
            Action::PackCreated,
            "pack",
            id.as_str(),
            format!(
                "Integration pack {name} created ({})",
                attachment_label(&input.attachment)
            ),
        )?;
        Ok(id)
    })
}

fn attachment_label(code: &str) -> &'static str {
    ATTACHMENTS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, label)| label)
}

/// A pack of the account with its members and releases.
pub fn page(ctx: &Ctx, id: &PackId) -> Result<PackPage, AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    let now = ctx.now();
    ctx.read(|conn| {
        let pack = pack(conn, caller, id)?;
        let members = db::packs::list_members(conn, &pack.id)?;
        let sizes = db::packs::release_sizes(conn, &pack.id)?;
        let mut jobs = db::packs::release_jobs(conn, &pack.id)?;
        let releases = db::packs::list_releases(conn, &pack.id)?
            .into_iter()
            .map(|r| {
                let size = sizes
                    .iter()
                    .find(|(id, _)| *id == r.id)
                    .map_or(0, |(_, n)| *n);
                let job = jobs
                    .iter()
                    .position(|(id, _)| *id == r.id)
                    .map(|i| jobs.swap_remove(i).1);
                (r, size, job)
            })
            .collect();
        Ok(PackPage {
            pack,
            members,
            releases,
            now,
        })
    })
}

/// *Add Published Processes*: the account's published processes and API services not in the
/// pack yet.
pub fn member_candidates(
    ctx: &Ctx,
    id: &PackId,
) -> Result<(IntegrationPack, Vec<PublishedProcess>), AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    ctx.read(|conn| {
        let pack = pack(conn, caller, id)?;
        let candidates =
            db::packs::member_candidates(conn, caller.account_id(), &pack.id, CHOOSER)?;
        Ok((pack, candidates))
    })
}

/// Adds published processes (and API services, to a Single attachment pack) of the account to
/// the pack's next release; returns how many were new.
pub fn add_members(ctx: &Ctx, id: &PackId, process_ids: &[ProcessId]) -> Result<usize, AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    ctx.write(|conn| {
        let pack = pack(conn, caller, id)?;
        if process_ids.is_empty() {
            return Err(AppError::invalid(
                "processes",
                "Tick at least one published process.",
            ));
        }
        let mut chosen = Vec::new();
        for process_id in process_ids {
            let process =
                db::library::find_process_for_account(conn, caller.account_id(), process_id)?
                    .ok_or_else(|| {
                        AppError::invalid(
                            "processes",
                            "One of the chosen processes is not published by this account.",
                        )
                    })?;
            if pack.multiple() && process.component_type == ComponentType::ApiService.code() {
                return Err(AppError::invalid(
                    "processes",
                    format!(
                        "{}: a Multiple attachment pack cannot hold an API Service.",
                        process.name
                    ),
                ));
            }
            chosen.push(process);
        }
        let ids: Vec<ProcessId> = chosen.iter().map(|p| p.id.clone()).collect();
        let added = db::packs::add_members(conn, &pack.id, &ids, db::now())?;
        if added > 0 {
            let names: Vec<&str> = chosen.iter().map(|p| p.name.as_str()).collect();
            record(
                conn,
                caller,
                Action::PackMembersAdded,
                "pack",
                pack.id.as_str(),
                format!("{} added to {}", names.join(", "), pack.name),
            )?;
        }
        Ok(added)
    })
}

/// A member of a pack of the account, for its *Remove* confirmation: (pack, process).
pub fn member(
    ctx: &Ctx,
    id: &PackId,
    process_id: &ProcessId,
) -> Result<(IntegrationPack, PublishedProcess), AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    ctx.read(|conn| {
        let pack = pack(conn, caller, id)?;
        let process = db::packs::list_members(conn, &pack.id)?
            .into_iter()
            .find(|p| &p.id == process_id)
            .ok_or(AppError::NotFound)?;
        Ok((pack, process))
    })
}

/// Takes a process out of the pack: later releases leave it out; released versions and the
/// instances installed from them keep it.
pub fn remove_member(ctx: &Ctx, id: &PackId, process_id: &ProcessId) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    ctx.write(|conn| {
        let pack = pack(conn, caller, id)?;
        let process = db::packs::list_members(conn, &pack.id)?
            .into_iter()
            .find(|p| &p.id == process_id)
            .ok_or(AppError::NotFound)?;
        db::packs::remove_member(conn, &pack.id, &process.id)?;
        record(
            conn,
            caller,
            Action::PackMemberRemoved,
            "pack",
            pack.id.as_str(),
            format!("{} removed from {}", process.name, pack.name),
        )?;
        Ok(process.name)
    })
}

/// A pack of the account, for its *Delete* confirmation, with how many instances of it are
/// installed.
pub fn for_deletion(ctx: &Ctx, id: &PackId) -> Result<(IntegrationPack, i64), AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    ctx.read(|conn| {
        let pack = pack(conn, caller, id)?;
        let installed = db::pack_instances::count_for_pack(conn, &pack.id)?;
        Ok((pack, installed))
    })
}

/// Deletes the pack: it leaves the account's list, every group and the customers' *Available
/// Integration Packs*, and no release of it will come. Installed instances stay as they are,
/// at the release they run, until their accounts uninstall them. Returns its name.
pub fn delete(ctx: &Ctx, id: &PackId) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    let now = ctx.now();
    ctx.write(|conn| {
        let pack = pack(conn, caller, id)?;
        db::packs::delete_pack(conn, &pack.id, now)?;
        record(
            conn,
            caller,
            Action::PackDeleted,
            "pack",
            pack.id.as_str(),
            format!("Integration pack {} deleted", pack.name),
        )?;
        Ok(pack.name)
    })
}

/// When a release takes effect: the start of `date` (UTC), or `now` when it is empty or past.
fn release_time(date: &str, now: NaiveDateTime) -> Result<NaiveDateTime, AppError> {
    let date = date.trim();
    if date.is_empty() {
        return Ok(now);
    }
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
        AppError::invalid(
            "date",
            "Enter the release date as YYYY-MM-DD, or leave it empty.",
        )
    })?;
    let at = day.and_hms_opt(0, 0, 0).unwrap_or(now);
    Ok(at.max(now))
}

/// Releases the pack: release N+1 freezes each member's latest publication, in effect now or
/// from the start of its date (UTC). Refused without members (422) and while an earlier
/// release is still scheduled (409).
pub fn release(ctx: &Ctx, id: &PackId, input: &ReleaseInput) -> Result<PackRelease, AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    let now = ctx.now();
    let mut errors = FieldErrors::new();
    errors.check("notes", v::prose("Release Notes", &input.notes, 4000));
    errors.into_result()?;
    let release_at = release_time(&input.date, now)?;
    ctx.write(|conn| {
        let pack = pack(conn, caller, id)?;
        let releases = db::packs::list_releases(conn, &pack.id)?;
        if let Some(pending) = releases.iter().find(|r| !r.released(now)) {
            return Err(AppError::Conflict(format!(
                "Release {} of {} is scheduled for {}: only one release can wait at a time.",
                pending.sequence,
                pack.name,
                pending.release_at.format("%Y-%m-%d")
            )));
        }
        let members = db::packs::list_members(conn, &pack.id)?;
        if members.is_empty() {
            return Err(AppError::invalid(
                "notes",
                "Add published processes to the pack before releasing it.",
            ));
        }
        let sequence = releases.first().map_or(1, |r| r.sequence + 1);
        let release = PackRelease {
            id: ReleaseId::generate(),
            pack_id: pack.id.clone(),
            sequence,
            notes: input.notes.trim().to_owned(),
            release_at,
            released_at: (release_at <= now).then_some(now),
            created_by: Some(caller.email().to_owned()),
            created_at: now,
        };
        db::packs::insert_release(conn, &release, &members)?;
        let job = crate::services::pack_releases::schedule(conn, &pack, &release, caller.email())?;
        db::packs::set_release_job(conn, &release.id, &job)?;
        let when = if release.released_at.is_some() {
            "now".to_owned()
        } else {
            format!("on {}", release_at.format("%Y-%m-%d"))
        };
        record(
            conn,
            caller,
            Action::PackReleased,
            "pack",
            pack.id.as_str(),
            format!(
                "Release {sequence} of {} ({} members) takes effect {when}",
                pack.name,
                members.len()
            ),
        )?;
        Ok(release)
    })
}

fn group_of(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &GroupId,
) -> Result<AccountGroup, AppError> {
    caller.require_primary()?;
    caller.require(Privilege::AccountGroupManagement)?;
    db::groups::find_group_for_account(conn, caller.account_id(), id)?.ok_or(AppError::NotFound)
}

/// The packs a group of the account shares (Account Group Management).
pub fn group_packs(ctx: &Ctx, id: &GroupId) -> Result<Vec<IntegrationPack>, AppError> {
    let caller = ctx.caller();
    ctx.read(|conn| {
        let group = group_of(conn, caller, id)?;
        db::packs::list_group_packs(conn, &group.id)
    })
}

/// *Add Integration Packs*: the account's packs the group does not share yet (Account Group
/// Management and Integration Pack).
pub fn group_pack_candidates(
    ctx: &Ctx,
    id: &GroupId,
) -> Result<(AccountGroup, Vec<IntegrationPack>), AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    ctx.read(|conn| {
        let group = group_of(conn, caller, id)?;
        let shared: Vec<PackId> = db::packs::list_group_packs(conn, &group.id)?
            .into_iter()
            .map(|p| p.id)
            .collect();
        let candidates = db::packs::list_packs(conn, caller.account_id())?
            .into_iter()
            .filter(|p| !shared.contains(&p.id))
            .collect();
        Ok((group, candidates))
    })
}

/// Shares packs of the account through a group; returns how many were new.
pub fn add_group_packs(ctx: &Ctx, id: &GroupId, pack_ids: &[PackId]) -> Result<usize, AppError> {
    let caller = ctx.caller();
    caller.require_packs()?;
    ctx.write(|conn| {
        let group = group_of(conn, caller, id)?;
        if group.all_platform {
            return Err(AppError::Conflict(
                "All Platform Accounts shares processes only.".to_owned(),
            ));
        }
        if pack_ids.is_empty() {
            return Err(AppError::invalid(
                "packs",
                "Tick at least one integration pack.",
            ));
        }
        let mut names = Vec::new();
        for pack_id in pack_ids {
            let pack =
                db::packs::find_pack(conn, caller.account_id(), pack_id)?.ok_or_else(|| {
                    AppError::invalid("packs", "One of the chosen packs is not this account's.")
                })?;
            names.push(pack.name);
        }
        let added = db::packs::add_group_packs(conn, &group.id, pack_ids, db::now())?;
        if added > 0 {
            record(
                conn,
                caller,
                Action::GroupPacksAdded,
                "group",
                group.id.as_str(),
                format!("{} shared with {}", names.join(", "), group.name),
            )?;
        }
        Ok(added)
    })
}

/// *Available Integration Packs* of a managed account (Build Read Access): its partner's packs
/// that a group holding the account shares and that have a release in effect, each with that
/// release's number.
pub fn available(ctx: &Ctx) -> Result<Vec<(IntegrationPack, i32)>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    let now = ctx.now();
    ctx.read(|conn| {
        let Some(primary) = crate::services::browse::primary_of(conn, caller)? else {
            return Err(AppError::NotFound);
        };
        let groups = db::browse::visible_groups(conn, caller.account_id(), &primary)?;
        let packs = db::packs::list_shared(conn, &primary, &groups)?;
        Ok(with_latest(conn, packs, now)?
            .into_iter()
            .filter_map(|(p, released)| Some((p, released?)))
            .collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_date_is_the_start_of_its_day_or_now() {
        let now = NaiveDate::from_ymd_opt(2026, 12, 6)
            .and_then(|d| d.and_hms_opt(15, 30, 0))
            .unwrap_or_default();
        assert_eq!(release_time("", now).ok(), Some(now));
        assert_eq!(
            release_time("2026-01-01", now).ok(),
            Some(now),
            "a past date"
        );
        assert_eq!(
            release_time("2026-12-08", now).ok(),
            NaiveDate::from_ymd_opt(2026, 12, 8).and_then(|d| d.and_hms_opt(0, 0, 0))
        );
        assert!(release_time("8/12/2026", now).is_err());
    }
}
