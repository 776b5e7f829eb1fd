//! Reads and writes of a library exported or imported as code: the identities an import
//! remembers, and an account's folders, components, packages and publications in full.

use diesel::prelude::*;

use super::DbConnection;
use super::build::{Component, Folder};
use super::deploy::{Package, PackagedComponent};
use super::ids::*;
use super::library::{Publication, PublishedProcess};
use super::schema::{
    components, folders, import_identities, installations, installed_components,
    package_components, packages, publications, published_processes,
};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

/// One remembered identity: (kind, identity, local id).
pub type Identity = (String, String, String);

/// Every identity an import remembered in the account.
pub fn identities(conn: &mut DbConnection, account_id: &AccountId) -> Result<Vec<Identity>> {
    Ok(import_identities::table
        .filter(import_identities::account_id.eq(account_id))
        .select((
            import_identities::kind,
            import_identities::identity,
            import_identities::local_id,
        ))
        .load(conn)?)
}

/// Remembers identities (kind, identity, local id) in the account.
pub fn insert_identities(
    conn: &mut DbConnection,
    account_id: &AccountId,
    rows: &[Identity],
) -> Result<()> {
    for chunk in rows.chunks(200) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(kind, identity, local)| {
                (
                    import_identities::account_id.eq(account_id),
                    import_identities::kind.eq(kind),
                    import_identities::identity.eq(identity),
                    import_identities::local_id.eq(local),
                )
            })
            .collect();
        super::per_backend!(conn, |c| diesel::insert_into(import_identities::table)
            .values(&values)
            .execute(c))?;
    }
    Ok(())
}

/// Every folder of the account.
pub fn folders_of(conn: &mut DbConnection, account_id: &AccountId) -> Result<Vec<Folder>> {
    Ok(folders::table
        .filter(folders::account_id.eq(account_id))
        .select(Folder::as_select())
        .load(conn)?)
}

/// Every live component of the account, integration pack copies included: (id, type code).
pub fn live_types(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<Vec<(String, String)>> {
    Ok(components::table
        .filter(components::account_id.eq(account_id))
        .filter(components::deleted_at.is_null())
        .select((components::id, components::component_type))
        .load(conn)?)
}

/// Brings back a deleted component of the account; whether there was one.
pub fn restore_component(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &str,
) -> Result<bool> {
    let n = diesel::update(
        components::table
            .filter(components::account_id.eq(account_id))
            .filter(components::id.eq(id))
            .filter(components::deleted_at.is_not_null()),
    )
    .set(components::deleted_at.eq(None::<chrono::NaiveDateTime>))
    .execute(conn)?;
    Ok(n > 0)
}

/// The live components of the account, except the copies an integration pack instance owns.
pub fn components_of(conn: &mut DbConnection, account_id: &AccountId) -> Result<Vec<Component>> {
    let pack_copies = installed_components::table
        .inner_join(installations::table)
        .filter(installations::account_id.eq(account_id))
        .filter(installations::pack_instance_id.is_not_null())
        .filter(installed_components::bound.eq(false))
        .select(installed_components::copy_component_id);
    Ok(components::table
        .filter(components::account_id.eq(account_id))
        .filter(components::deleted_at.is_null())
        .filter(components::id.ne_all(pack_copies))
        .select(Component::as_select())
        .load(conn)?)
}

/// The packages of the account that are not deleted, with every frozen component of them.
pub fn packages_of(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<(Vec<Package>, Vec<PackagedComponent>)> {
    let live = packages::table
        .filter(packages::account_id.eq(account_id))
        .filter(packages::deleted_at.is_null());
    let list = live.select(Package::as_select()).load(conn)?;
    let frozen = package_components::table
        .filter(package_components::package_id.eq_any(live.select(packages::id)))
        .select(PackagedComponent::as_select())
        .load(conn)?;
    Ok((list, frozen))
}

/// The published processes of the account with all their publications.
pub fn published_of(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<(Vec<PublishedProcess>, Vec<Publication>)> {
    let list = published_processes::table
        .filter(published_processes::account_id.eq(account_id))
        .select(PublishedProcess::as_select())
        .load(conn)?;
    let versions = publications::table
        .filter(publications::account_id.eq(account_id))
        .order(publications::sequence.asc())
        .select(Publication::as_select())
        .load(conn)?;
    Ok((list, versions))
}

/// The account's package with this id, deleted or not.
pub fn package(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &str,
) -> Result<Option<Package>> {
    super::deploy::find_for_account(conn, account_id, &PackageId::from(id.to_owned()))
}

/// The frozen components of one package.
pub fn manifest(conn: &mut DbConnection, id: &PackageId) -> Result<Vec<PackagedComponent>> {
    Ok(package_components::table
        .filter(package_components::package_id.eq(id))
        .select(PackagedComponent::as_select())
        .load(conn)?)
}

/// The account's publication with this id.
pub fn publication(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &str,
) -> Result<Option<Publication>> {
    super::library::find_publication_for_account(
        conn,
        account_id,
        &PublicationId::from(id.to_owned()),
    )
}

/// The id of every component row of the account, deleted ones included.
pub fn component_ids(conn: &mut DbConnection, account_id: &AccountId) -> Result<Vec<String>> {
    Ok(components::table
        .filter(components::account_id.eq(account_id))
        .select(components::id)
        .load(conn)?)
}
