//! Integration packs: the packs of a partner, their members, releases and the groups sharing
//! them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::ids::{AccountId, GroupId, JobId, PackId, ProcessId, ReleaseId};
use super::library::PublishedProcess;
use super::schema::{
    group_packs, integration_packs, pack_members, pack_release_items, pack_releases,
    published_processes,
};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = integration_packs)]
pub struct IntegrationPack {
    pub id: PackId,
    pub account_id: AccountId,
    pub name: String,
    pub name_key: String,
    pub description: String,
    /// `single` or `multiple`.
    pub attachment: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

impl IntegrationPack {
    /// Whether an account may install it more than once, as named instances.
    pub fn multiple(&self) -> bool {
        self.attachment == "multiple"
    }

    /// The label of its installation type.
    pub fn attachment_label(&self) -> &'static str {
        if self.multiple() {
            "Multiple attachment"
        } else {
            "Single attachment"
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pack_releases)]
pub struct PackRelease {
    pub id: ReleaseId,
    pub pack_id: PackId,
    pub sequence: i32,
    pub notes: String,
    pub release_at: NaiveDateTime,
    pub released_at: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

impl PackRelease {
    /// Whether it has taken effect by `now` (a scheduled release does on its date).
    pub fn released(&self, now: NaiveDateTime) -> bool {
        self.released_at.is_some() || self.release_at <= now
    }
}

pub fn insert_pack(conn: &mut DbConnection, pack: &IntegrationPack) -> Result<()> {
    diesel::insert_into(integration_packs::table)
        .values(pack)
        .execute(conn)?;
    Ok(())
}

/// The account's packs by name.
pub fn list_packs(conn: &mut DbConnection, account_id: &AccountId) -> Result<Vec<IntegrationPack>> {
    Ok(integration_packs::table
        .filter(integration_packs::account_id.eq(account_id))
        .filter(integration_packs::deleted_at.is_null())
        .order((integration_packs::name_key, integration_packs::id))
        .select(IntegrationPack::as_select())
        .load(conn)?)
}

pub fn find_pack(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &PackId,
) -> Result<Option<IntegrationPack>> {
    Ok(integration_packs::table
        .filter(integration_packs::account_id.eq(account_id))
        .filter(integration_packs::id.eq(id))
        .filter(integration_packs::deleted_at.is_null())
        .select(IntegrationPack::as_select())
        .first(conn)
        .optional()?)
}

pub fn name_taken(conn: &mut DbConnection, account_id: &AccountId, name_key: &str) -> Result<bool> {
    let n: i64 = integration_packs::table
        .filter(integration_packs::account_id.eq(account_id))
        .filter(integration_packs::name_key.eq(name_key))
        .filter(integration_packs::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The pack's members (what its next release holds), by name.
pub fn list_members(conn: &mut DbConnection, pack_id: &PackId) -> Result<Vec<PublishedProcess>> {
    Ok(pack_members::table
        .inner_join(published_processes::table)
        .filter(pack_members::pack_id.eq(pack_id))
        .order((published_processes::name_key, published_processes::id))
        .select(PublishedProcess::as_select())
        .load(conn)?)
}

/// The account's published processes and API services not in the pack, by name (at most
/// `limit`).
pub fn member_candidates(
    conn: &mut DbConnection,
    account_id: &AccountId,
    pack_id: &PackId,
    limit: i64,
) -> Result<Vec<PublishedProcess>> {
    let members = pack_members::table
        .filter(pack_members::pack_id.eq(pack_id))
        .select(pack_members::published_process_id);
    Ok(published_processes::table
        .filter(published_processes::account_id.eq(account_id))
        .filter(published_processes::id.ne_all(members))
        .order((published_processes::name_key, published_processes::id))
        .select(PublishedProcess::as_select())
        .limit(limit)
        .load(conn)?)
}

/// Adds members (those already in are left as they are); returns how many were added.
pub fn add_members(
    conn: &mut DbConnection,
    pack_id: &PackId,
    processes: &[ProcessId],
    at: NaiveDateTime,
) -> Result<usize> {
    let mut added = 0;
    for process in processes {
        let there: i64 = pack_members::table
            .filter(pack_members::pack_id.eq(pack_id))
            .filter(pack_members::published_process_id.eq(process))
            .count()
            .get_result(conn)?;
        if there == 0 {
            added += diesel::insert_into(pack_members::table)
                .values((
                    pack_members::pack_id.eq(pack_id),
                    pack_members::published_process_id.eq(process),
                    pack_members::added_at.eq(at),
                ))
                .execute(conn)?;
        }
    }
    Ok(added)
}

/// The pack's releases, newest first.
pub fn list_releases(conn: &mut DbConnection, pack_id: &PackId) -> Result<Vec<PackRelease>> {
    Ok(pack_releases::table
        .filter(pack_releases::pack_id.eq(pack_id))
        .order(pack_releases::sequence.desc())
        .select(PackRelease::as_select())
        .load(conn)?)
}

/// Records a release and the publication it freezes of each member.
pub fn insert_release(
    conn: &mut DbConnection,
    release: &PackRelease,
    members: &[PublishedProcess],
) -> Result<()> {
    diesel::insert_into(pack_releases::table)
        .values(release)
        .execute(conn)?;
    for member in members {
        diesel::insert_into(pack_release_items::table)
            .values((
                pack_release_items::release_id.eq(&release.id),
                pack_release_items::published_process_id.eq(&member.id),
                pack_release_items::publication_id.eq(&member.latest_publication_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// How many members a release froze, per release of the pack.
pub fn release_sizes(conn: &mut DbConnection, pack_id: &PackId) -> Result<Vec<(ReleaseId, i64)>> {
    Ok(pack_release_items::table
        .inner_join(pack_releases::table)
        .filter(pack_releases::pack_id.eq(pack_id))
        .group_by(pack_release_items::release_id)
        .select((pack_release_items::release_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// The packs a group shares, by name.
pub fn list_group_packs(
    conn: &mut DbConnection,
    group_id: &GroupId,
) -> Result<Vec<IntegrationPack>> {
    Ok(group_packs::table
        .inner_join(integration_packs::table)
        .filter(group_packs::group_id.eq(group_id))
        .order((integration_packs::name_key, integration_packs::id))
        .select(IntegrationPack::as_select())
        .load(conn)?)
}

/// Shares packs through a group (those shared already are left as they are); returns how
/// many were added.
pub fn add_group_packs(
    conn: &mut DbConnection,
    group_id: &GroupId,
    packs: &[PackId],
    at: NaiveDateTime,
) -> Result<usize> {
    let mut added = 0;
    for pack in packs {
        let there: i64 = group_packs::table
            .filter(group_packs::group_id.eq(group_id))
            .filter(group_packs::pack_id.eq(pack))
            .count()
            .get_result(conn)?;
        if there == 0 {
            added += diesel::insert_into(group_packs::table)
                .values((
                    group_packs::group_id.eq(group_id),
                    group_packs::pack_id.eq(pack),
                    group_packs::added_at.eq(at),
                ))
                .execute(conn)?;
        }
    }
    Ok(added)
}

/// The packs of `primary` that one of `groups` shares, by name.
pub fn list_shared(
    conn: &mut DbConnection,
    primary: &AccountId,
    groups: &[GroupId],
) -> Result<Vec<IntegrationPack>> {
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let shared = group_packs::table
        .filter(group_packs::group_id.eq_any(groups.to_vec()))
        .select(group_packs::pack_id);
    Ok(integration_packs::table
        .filter(integration_packs::account_id.eq(primary))
        .filter(integration_packs::id.eq_any(shared))
        .filter(integration_packs::deleted_at.is_null())
        .order((integration_packs::name_key, integration_packs::id))
        .select(IntegrationPack::as_select())
        .load(conn)?)
}

/// Each pack's latest release that has taken effect by `now`: (pack, sequence).
pub fn latest_released(
    conn: &mut DbConnection,
    packs: &[PackId],
    now: NaiveDateTime,
) -> Result<Vec<(PackId, Option<i32>)>> {
    if packs.is_empty() {
        return Ok(Vec::new());
    }
    Ok(pack_releases::table
        .filter(pack_releases::pack_id.eq_any(packs.to_vec()))
        .filter(pack_releases::release_at.le(now))
        .group_by(pack_releases::pack_id)
        .select((
            pack_releases::pack_id,
            diesel::dsl::max(pack_releases::sequence),
        ))
        .load(conn)?)
}

/// A release by id.
pub fn find_release(conn: &mut DbConnection, id: &ReleaseId) -> Result<Option<PackRelease>> {
    Ok(pack_releases::table
        .find(id)
        .select(PackRelease::as_select())
        .first(conn)
        .optional()?)
}

/// Takes a process out of the pack's next release; whether it was in.
pub fn remove_member(
    conn: &mut DbConnection,
    pack_id: &PackId,
    process: &ProcessId,
) -> Result<bool> {
    let n = diesel::delete(
        pack_members::table
            .filter(pack_members::pack_id.eq(pack_id))
            .filter(pack_members::published_process_id.eq(process)),
    )
    .execute(conn)?;
    Ok(n > 0)
}

/// Marks a pack deleted and takes it out of every group; its members go (no release will
/// come), its releases stay for the instances installed from them.
pub fn delete_pack(conn: &mut DbConnection, id: &PackId, at: NaiveDateTime) -> Result<()> {
    diesel::delete(pack_members::table.filter(pack_members::pack_id.eq(id))).execute(conn)?;
    diesel::delete(group_packs::table.filter(group_packs::pack_id.eq(id))).execute(conn)?;
    diesel::update(integration_packs::table.find(id))
        .set(integration_packs::deleted_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

/// Records the job that brings a release to the installed instances.
pub fn set_release_job(conn: &mut DbConnection, id: &ReleaseId, job: &JobId) -> Result<()> {
    diesel::update(pack_releases::table.find(id))
        .set(pack_releases::job_id.eq(Some(job)))
        .execute(conn)?;
    Ok(())
}

/// The jobs of a pack's releases: (release, job).
pub fn release_jobs(
    conn: &mut DbConnection,
    pack_id: &PackId,
) -> Result<Vec<(ReleaseId, super::jobs::Job)>> {
    use super::schema::jobs;
    Ok(pack_releases::table
        .inner_join(jobs::table.on(jobs::id.nullable().eq(pack_releases::job_id)))
        .filter(pack_releases::pack_id.eq(pack_id))
        .select((pack_releases::id, super::jobs::Job::as_select()))
        .load(conn)?)
}
