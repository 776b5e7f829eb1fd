//! A managed account's library (what its groups share with it) and its installations.

use crate::db::ids::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::library::PublishedProcess;
use super::schema::{
    accounts, components, group_resources, installations, installed_components, publications,
    published_processes,
};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = installations)]
pub struct Installation {
    pub id: InstallationId,
    pub account_id: AccountId,
    pub publication_id: PublicationId,
    pub published_process_id: ProcessId,
    pub sequence: i32,
    pub folder_id: FolderId,
    pub root_component_id: ComponentId,
    pub local_name: String,
    pub include_passwords: bool,
    pub idempotency_key: String,
    pub installed_by: Option<String>,
    pub installed_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = installed_components)]
pub struct InstalledComponent {
    pub installation_id: InstallationId,
    pub source_component_id: ComponentId,
    pub copy_component_id: ComponentId,
    pub source_revision: i32,
    /// The copy's revision when it was installed or last updated.
    pub copy_revision: i32,
    /// An existing connection of the account used instead of a copy.
    pub bound: bool,
}

/// How the library is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sort {
    Popular,
    Date,
    Name,
}

/// Where the next page starts, for the sort in use.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    Popular(i64, String, String),
    Date(NaiveDateTime, String),
    Name(String, String),
}

/// Filters of the library page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LibraryFilter {
    pub text: Option<String>,
    pub sort: Sort,
    pub after: Option<Cursor>,
    /// Where the page ends instead (the page before a cursor); wins over `after`.
    pub before: Option<Cursor>,
    /// Deprecated processes are left out unless asked for.
    pub show_deprecated: bool,
    /// Only the processes of these publishers (sorted; every publisher when empty).
    pub publishers: Vec<AccountId>,
    /// Only the processes of this category (one of [`crate::domain::tags::CATEGORIES`]).
    pub category: Option<String>,
    /// Only the processes with this tag (its name key).
    pub tag: Option<String>,
    /// Only the processes whose latest publication uses this connector (its code).
    pub connector: Option<String>,
}

/// The groups whose resources an account sees: the custom groups listing it and *All
/// Accounts* of its primary (a short list, so that the library query below plans well on
/// both backends).
pub fn visible_groups(
    conn: &mut DbConnection,
    account_id: &AccountId,
    primary_id: &AccountId,
) -> Result<Vec<GroupId>> {
    super::groups::groups_containing(conn, account_id, Some(primary_id))
}

/// Whether one of `$groups` shares the published process of the outer query: a correlated
/// `EXISTS` over the (published process, group) index, so that a page of the library costs
/// the same whatever the size of the library.
macro_rules! shared_by {
    ($groups:expr) => {
        diesel::dsl::exists(
            group_resources::table
                .filter(group_resources::published_process_id.eq(published_processes::id))
                .filter(group_resources::group_id.eq_any($groups.to_vec())),
        )
    };
}

/// Every process (never an API service) of `primary_id` that one of `groups` shares, read
/// through the groups' resources: the cost follows what the groups share, not the size of the
/// primary's library.
pub fn list_all_visible(
    conn: &mut DbConnection,
    primary_id: &AccountId,
    groups: &[GroupId],
) -> Result<Vec<PublishedProcess>> {
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let shared = group_resources::table
        .filter(group_resources::group_id.eq_any(groups.to_vec()))
        .select(group_resources::published_process_id);
    Ok(published_processes::table
        .filter(published_processes::id.eq_any(shared))
        .filter(published_processes::account_id.eq(primary_id.to_owned()))
        .filter(super::library::in_libraries())
        .select(PublishedProcess::as_select())
        .load(conn)?)
}

/// Every process a primary account publishes to libraries.
pub fn list_published(
    conn: &mut DbConnection,
    primary_id: &AccountId,
) -> Result<Vec<PublishedProcess>> {
    Ok(published_processes::table
        .filter(published_processes::account_id.eq(primary_id.to_owned()))
        .filter(super::library::in_libraries())
        .select(PublishedProcess::as_select())
        .load(conn)?)
}

/// A process the account installed: the highest version it installed, and the latest
/// installation whose copy is still there (the newest version first), with its copy's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledProcess {
    pub process: ProcessId,
    pub sequence: i32,
    pub copy: Option<(InstallationId, ComponentId)>,
}

/// Every process the account installed (one read of its installations).
pub fn installed_processes(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<Vec<InstalledProcess>> {
    use super::schema::components;
    let rows: Vec<(ProcessId, i32, InstallationId, ComponentId, bool)> = installations::table
        .left_join(components::table.on(components::id.eq(installations::root_component_id)))
        .filter(installations::account_id.eq(account_id))
        .order((
            installations::published_process_id.asc(),
            installations::sequence.desc(),
            installations::installed_at.desc(),
            installations::id.desc(),
        ))
        .select((
            installations::published_process_id,
            installations::sequence,
            installations::id,
            installations::root_component_id,
            components::id
                .nullable()
                .is_not_null()
                .and(components::deleted_at.nullable().is_null()),
        ))
        .load(conn)?;
    let mut installed: Vec<InstalledProcess> = Vec::new();
    for (process, sequence, installation, copy, live) in rows {
        let copy = Some((installation, copy)).filter(|_| live);
        match installed.last_mut() {
            Some(last) if last.process == process => {
                if last.copy.is_none() {
                    last.copy = copy;
                }
            }
            _ => installed.push(InstalledProcess {
                process,
                sequence,
                copy,
            }),
        }
    }
    Ok(installed)
}

/// One process of an account's library (`None` when it is not shared with the account).
pub fn find_visible(
    conn: &mut DbConnection,
    primary_id: &AccountId,
    groups: &[GroupId],
    id: &str,
) -> Result<Option<PublishedProcess>> {
    Ok(published_processes::table
        .filter(published_processes::id.eq(id.to_owned()))
        .filter(published_processes::account_id.eq(primary_id.to_owned()))
        .filter(super::library::in_libraries())
        .filter(shared_by!(groups))
        .select(PublishedProcess::as_select())
        .first(conn)
        .optional()?)
}

/// The latest publication of a published process.
pub fn latest_publication(
    conn: &mut DbConnection,
    process: &PublishedProcess,
) -> Result<super::library::Publication> {
    Ok(publications::table
        .find(&process.latest_publication_id)
        .select(super::library::Publication::as_select())
        .first(conn)?)
}

/// The highest version of each of these processes the account has installed.
pub fn installed_versions(
    conn: &mut DbConnection,
    account_id: &AccountId,
    process_ids: &[ProcessId],
) -> Result<Vec<(String, i32)>> {
    if process_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, Option<i32>)> = installations::table
        .filter(installations::account_id.eq(account_id))
        .filter(installations::published_process_id.eq_any(process_ids))
        .group_by(installations::published_process_id)
        .select((
            installations::published_process_id,
            diesel::dsl::max(installations::sequence),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, v)| v.map(|v| (id, v)))
        .collect())
}

pub fn find_by_key(
    conn: &mut DbConnection,
    account_id: &AccountId,
    key: &str,
) -> Result<Option<Installation>> {
    Ok(installations::table
        .filter(installations::account_id.eq(account_id))
        .filter(installations::idempotency_key.eq(key))
        .select(Installation::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &InstallationId,
) -> Result<Option<Installation>> {
    Ok(installations::table
        .filter(installations::account_id.eq(account_id))
        .filter(installations::id.eq(id))
        .select(Installation::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(
    conn: &mut DbConnection,
    installation: &Installation,
    copies: &[InstalledComponent],
) -> Result<()> {
    diesel::insert_into(installations::table)
        .values(installation)
        .execute(conn)?;
    for chunk in copies.chunks(200) {
        super::per_backend!(conn, |c| diesel::insert_into(installed_components::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// The components of an installation: source → copy, with revisions.
pub fn list_installed_components(
    conn: &mut DbConnection,
    installation_id: &InstallationId,
) -> Result<Vec<InstalledComponent>> {
    Ok(installed_components::table
        .filter(installed_components::installation_id.eq(installation_id))
        .select(InstalledComponent::as_select())
        .load(conn)?)
}

/// Points an installation at another publication of its process and replaces its
/// source → copy rows (an update in place).
pub fn move_installation(
    conn: &mut DbConnection,
    installation: &Installation,
    copies: &[InstalledComponent],
) -> Result<()> {
    diesel::update(installations::table.find(&installation.id))
        .set((
            installations::publication_id.eq(&installation.publication_id),
            installations::sequence.eq(installation.sequence),
            installations::include_passwords.eq(installation.include_passwords),
        ))
        .execute(conn)?;
    diesel::delete(
        installed_components::table
            .filter(installed_components::installation_id.eq(&installation.id)),
    )
    .execute(conn)?;
    for chunk in copies.chunks(200) {
        super::per_backend!(conn, |c| diesel::insert_into(installed_components::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Serializes updates of one installation until the transaction ends (SQLite's write
/// transactions are serial already; PostgreSQL takes a transaction-scoped advisory lock).
pub fn lock_installation(conn: &mut DbConnection, id: &InstallationId) -> Result<()> {
    lock_key(conn, id)
}

/// Serializes installs into one account until the transaction ends (Install for Accounts run
/// by several workers; SQLite's write transactions are serial already).
pub fn lock_account_installs(conn: &mut DbConnection, account_id: &AccountId) -> Result<()> {
    lock_key(conn, &format!("installs:{account_id}"))
}

/// Serializes the deprecations of one account's processes until the transaction ends.
pub fn lock_deprecations(conn: &mut DbConnection, account_id: &AccountId) -> Result<()> {
    lock_key(conn, &format!("deprecations:{account_id}"))
}

fn lock_key(conn: &mut DbConnection, key: &str) -> Result<()> {
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(pg)?;
    }
    Ok(())
}

pub fn count_install(conn: &mut DbConnection, process_id: &ProcessId) -> Result<()> {
    diesel::update(published_processes::table.find(process_id))
        .set(published_processes::install_count.eq(published_processes::install_count + 1))
        .execute(conn)?;
    Ok(())
}

/// Names (lower-cased) of the live components of a folder.
pub fn names_in_folder(conn: &mut DbConnection, folder_id: &FolderId) -> Result<Vec<String>> {
    Ok(components::table
        .filter(components::folder_id.eq(folder_id))
        .filter(components::deleted_at.is_null())
        .select(components::name_key)
        .load(conn)?)
}

/// Which of these name keys live components of the folder have.
pub fn names_in_folder_among(
    conn: &mut DbConnection,
    folder_id: &FolderId,
    keys: &[String],
) -> Result<Vec<String>> {
    Ok(components::table
        .filter(components::folder_id.eq(folder_id))
        .filter(components::name_key.eq_any(keys))
        .filter(components::deleted_at.is_null())
        .select(components::name_key)
        .load(conn)?)
}

/// Where an installed component came from: its installation, the published process, and the
/// revision of the source it copies.
pub fn lineage(
    conn: &mut DbConnection,
    copy_component_id: &ComponentId,
) -> Result<Option<(Installation, PublishedProcess, InstalledComponent)>> {
    Ok(installed_components::table
        .inner_join(installations::table.inner_join(published_processes::table))
        .filter(installed_components::copy_component_id.eq(copy_component_id))
        .filter(installed_components::bound.eq(false))
        .select((
            Installation::as_select(),
            PublishedProcess::as_select(),
            InstalledComponent::as_select(),
        ))
        .first(conn)
        .optional()?)
}

/// The installations of an account with their published processes (templates, library marks).
pub fn list_account_installations(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<Vec<(Installation, PublishedProcess)>> {
    Ok(installations::table
        .inner_join(published_processes::table)
        .filter(installations::account_id.eq(account_id))
        .order(installations::installed_at.desc())
        .select((Installation::as_select(), PublishedProcess::as_select()))
        .load(conn)?)
}

/// Install counts per publication of a process.
pub fn installs_per_publication(
    conn: &mut DbConnection,
    process_id: &ProcessId,
) -> Result<Vec<(PublicationId, i64)>> {
    Ok(installations::table
        .filter(installations::published_process_id.eq(process_id))
        .group_by(installations::publication_id)
        .select((installations::publication_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// The latest installations of a process, with the installing account's name.
pub fn list_process_installations(
    conn: &mut DbConnection,
    process_id: &ProcessId,
    limit: i64,
) -> Result<Vec<(Installation, String, Option<AccountId>)>> {
    Ok(installations::table
        .inner_join(accounts::table)
        .filter(installations::published_process_id.eq(process_id))
        .order(installations::installed_at.desc())
        .limit(limit)
        .select((
            Installation::as_select(),
            accounts::name,
            accounts::parent_id,
        ))
        .load(conn)?)
}

/// Serializes installs into one folder until the transaction ends, so that concurrent
/// installs pick distinct names. SQLite's write transactions are serial already; PostgreSQL
/// takes a transaction-scoped advisory lock on the folder.
pub fn lock_folder(conn: &mut DbConnection, folder_id: &FolderId) -> Result<()> {
    lock_key(conn, folder_id)
}

/// Per installation of a process, its copies as they are now: (installation id, the copy's
/// revision if it still exists, the revision it had when installed or updated, deleted, bound).
pub type CopyState = (InstallationId, Option<i32>, i32, bool, bool);

/// The state of every copy of every installation of a process (install analytics).
pub fn copy_states(conn: &mut DbConnection, process_id: &ProcessId) -> Result<Vec<CopyState>> {
    type Row = (
        InstallationId,
        Option<i32>,
        i32,
        Option<NaiveDateTime>,
        bool,
    );
    let rows: Vec<Row> = installed_components::table
        .inner_join(installations::table)
        .left_join(components::table.on(components::id.eq(installed_components::copy_component_id)))
        .filter(installations::published_process_id.eq(process_id))
        .select((
            installed_components::installation_id,
            components::revision.nullable(),
            installed_components::copy_revision,
            components::deleted_at.nullable(),
            installed_components::bound,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, revision, copy_revision, deleted_at, bound)| {
            (
                id,
                revision,
                copy_revision,
                deleted_at.is_some() || revision.is_none(),
                bound,
            )
        })
        .collect())
}

/// Every installation of a process with the installing account's name, by account.
pub fn list_all_process_installations(
    conn: &mut DbConnection,
    process_id: &ProcessId,
) -> Result<Vec<(Installation, String, Option<AccountId>)>> {
    Ok(installations::table
        .inner_join(accounts::table)
        .filter(installations::published_process_id.eq(process_id))
        .order((accounts::name_key.asc(), installations::installed_at.asc()))
        .select((
            Installation::as_select(),
            accounts::name,
            accounts::parent_id,
        ))
        .load(conn)?)
}
