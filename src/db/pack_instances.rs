//! Installed integration packs: instances, the installations of their members, and which
//! components belong to one (read-only outside *Extensions*).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::browse::Installation;
use super::ids::{AccountId, ComponentId, InstallationId, PackId, ReleaseId};
use super::packs::{IntegrationPack, PackRelease};
use super::schema::{
    installations, installed_components, integration_packs, pack_instances, pack_release_items,
    pack_releases,
};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pack_instances)]
pub struct PackInstance {
    pub id: String,
    pub account_id: AccountId,
    pub pack_id: PackId,
    pub instance_name: String,
    pub name_key: String,
    pub single_key: Option<String>,
    pub folder_id: super::ids::FolderId,
    pub release_id: ReleaseId,
    pub installed_by: Option<String>,
    pub installed_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, instance: &PackInstance) -> Result<()> {
    diesel::insert_into(pack_instances::table)
        .values(instance)
        .execute(conn)?;
    Ok(())
}

/// Marks an installation as a member's of an instance.
pub fn attach(
    conn: &mut DbConnection,
    installation: &InstallationId,
    instance: &str,
) -> Result<()> {
    diesel::update(installations::table.find(installation))
        .set(installations::pack_instance_id.eq(Some(instance)))
        .execute(conn)?;
    Ok(())
}

/// The account's instances with their pack and the release each runs, by pack and name.
pub fn list_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<Vec<(PackInstance, IntegrationPack, PackRelease)>> {
    Ok(pack_instances::table
        .inner_join(integration_packs::table)
        .inner_join(pack_releases::table)
        .filter(pack_instances::account_id.eq(account_id))
        .order((integration_packs::name_key, pack_instances::name_key))
        .select((
            PackInstance::as_select(),
            IntegrationPack::as_select(),
            PackRelease::as_select(),
        ))
        .load(conn)?)
}

/// One instance of the account, with its pack and release.
pub fn find_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &str,
) -> Result<Option<(PackInstance, IntegrationPack, PackRelease)>> {
    Ok(pack_instances::table
        .inner_join(integration_packs::table)
        .inner_join(pack_releases::table)
        .filter(pack_instances::account_id.eq(account_id))
        .filter(pack_instances::id.eq(id))
        .select((
            PackInstance::as_select(),
            IntegrationPack::as_select(),
            PackRelease::as_select(),
        ))
        .first(conn)
        .optional()?)
}

/// Whether the account holds an instance of the pack with this name key (or, for a Single
/// attachment pack, any instance).
pub fn taken(
    conn: &mut DbConnection,
    account_id: &AccountId,
    pack: &IntegrationPack,
    name_key: &str,
) -> Result<bool> {
    let mut query = pack_instances::table
        .filter(pack_instances::account_id.eq(account_id))
        .filter(pack_instances::pack_id.eq(&pack.id))
        .into_boxed();
    if pack.multiple() {
        query = query.filter(pack_instances::name_key.eq(name_key.to_owned()));
    }
    let n: i64 = query.count().get_result(conn)?;
    Ok(n > 0)
}

/// The installations of an instance's members.
pub fn installations_of(conn: &mut DbConnection, instance: &str) -> Result<Vec<Installation>> {
    Ok(installations::table
        .filter(installations::pack_instance_id.eq(instance))
        .order(installations::local_name)
        .select(Installation::as_select())
        .load(conn)?)
}

/// The publications a release froze: (published process, publication).
pub fn release_items(
    conn: &mut DbConnection,
    release: &ReleaseId,
) -> Result<Vec<(super::ids::ProcessId, super::ids::PublicationId)>> {
    Ok(pack_release_items::table
        .filter(pack_release_items::release_id.eq(release))
        .select((
            pack_release_items::published_process_id,
            pack_release_items::publication_id,
        ))
        .load(conn)?)
}

/// The pack (its name, and the instance's) a component copy belongs to, if any.
pub fn pack_of_component(
    conn: &mut DbConnection,
    component: &ComponentId,
) -> Result<Option<(String, String)>> {
    Ok(installed_components::table
        .inner_join(installations::table)
        .inner_join(
            pack_instances::table
                .on(installations::pack_instance_id.eq(pack_instances::id.nullable())),
        )
        .inner_join(integration_packs::table.on(pack_instances::pack_id.eq(integration_packs::id)))
        .filter(installed_components::copy_component_id.eq(component))
        .filter(installed_components::bound.eq(false))
        .select((integration_packs::name, pack_instances::instance_name))
        .first(conn)
        .optional()?)
}

/// The instance an installation belongs to, if it is a pack member's.
pub fn instance_of_installation(
    conn: &mut DbConnection,
    installation: &InstallationId,
) -> Result<Option<String>> {
    Ok(installations::table
        .find(installation)
        .select(installations::pack_instance_id)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Every instance of a pack still below release `sequence`: (instance id, account name,
/// instance name).
pub fn behind(
    conn: &mut DbConnection,
    pack: &PackId,
    sequence: i32,
) -> Result<Vec<(String, String, String)>> {
    Ok(pack_instances::table
        .inner_join(pack_releases::table)
        .inner_join(
            super::schema::accounts::table
                .on(super::schema::accounts::id.eq(pack_instances::account_id)),
        )
        .filter(pack_instances::pack_id.eq(pack))
        .filter(pack_releases::sequence.lt(sequence))
        .order(pack_instances::id)
        .select((
            pack_instances::id,
            super::schema::accounts::name,
            pack_instances::instance_name,
        ))
        .load(conn)?)
}

/// An instance by id, with its pack and release (whatever the account).
pub fn find(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<(PackInstance, IntegrationPack, PackRelease)>> {
    Ok(pack_instances::table
        .inner_join(integration_packs::table)
        .inner_join(pack_releases::table)
        .filter(pack_instances::id.eq(id))
        .select((
            PackInstance::as_select(),
            IntegrationPack::as_select(),
            PackRelease::as_select(),
        ))
        .first(conn)
        .optional()?)
}

/// Serializes work on one instance until the transaction ends.
pub fn lock(conn: &mut DbConnection, id: &str) -> Result<()> {
    diesel::update(pack_instances::table.find(id))
        .set(pack_instances::id.eq(id))
        .execute(conn)?;
    Ok(())
}

/// The instance now runs `release`.
pub fn set_release(conn: &mut DbConnection, id: &str, release: &ReleaseId) -> Result<()> {
    diesel::update(pack_instances::table.find(id))
        .set(pack_instances::release_id.eq(release))
        .execute(conn)?;
    Ok(())
}

/// Deletes an installation of an instance's member and its copies' records.
pub fn delete_installation(conn: &mut DbConnection, id: &InstallationId) -> Result<()> {
    diesel::delete(
        installed_components::table.filter(installed_components::installation_id.eq(id)),
    )
    .execute(conn)?;
    diesel::delete(installations::table.find(id)).execute(conn)?;
    Ok(())
}

/// Deletes an instance (its installations are gone already).
pub fn delete(conn: &mut DbConnection, id: &str) -> Result<()> {
    diesel::delete(pack_instances::table.find(id)).execute(conn)?;
    Ok(())
}

/// How many instances of a pack are installed, in any account.
pub fn count_for_pack(conn: &mut DbConnection, pack_id: &PackId) -> Result<i64> {
    Ok(pack_instances::table
        .filter(pack_instances::pack_id.eq(pack_id))
        .count()
        .get_result(conn)?)
}
