//! Packaged components and their frozen manifests.

use crate::db::ids::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{package_components, packages};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = packages)]
pub struct Package {
    pub id: PackageId,
    pub account_id: AccountId,
    pub component_id: ComponentId,
    pub component_type: String,
    pub component_name: String,
    pub version: String,
    pub version_key: String,
    pub notes: String,
    pub shareable: bool,
    pub component_count: i32,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub deleted_by: Option<String>,
    /// Frozen by a Legacy publication (*Publish Latest Revision*), not by a user on the
    /// Deploy page, which does not list it.
    pub implicit: bool,
}

/// One component of a manifest, frozen at packaging time.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = package_components)]
pub struct PackagedComponent {
    pub package_id: PackageId,
    pub component_id: ComponentId,
    pub component_type: String,
    pub name: String,
    pub description: String,
    pub revision: i32,
    pub body: String,
    pub is_root: bool,
}

pub fn insert(
    conn: &mut DbConnection,
    package: &Package,
    manifest: &[PackagedComponent],
) -> Result<()> {
    diesel::insert_into(packages::table)
        .values(package)
        .execute(conn)?;
    for chunk in manifest.chunks(200) {
        super::per_backend!(conn, |c| diesel::insert_into(package_components::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

pub fn find_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &PackageId,
) -> Result<Option<Package>> {
    Ok(packages::table
        .filter(packages::account_id.eq(account_id))
        .filter(packages::id.eq(id))
        .select(Package::as_select())
        .first(conn)
        .optional()?)
}

/// The manifest: the root first, then the dependencies by name.
pub fn list_manifest(
    conn: &mut DbConnection,
    account_id: &AccountId,
    package_id: &PackageId,
) -> Result<Vec<PackagedComponent>> {
    let of_account = packages::table
        .filter(packages::account_id.eq(account_id))
        .filter(packages::id.eq(package_id))
        .select(packages::id);
    Ok(package_components::table
        .filter(package_components::package_id.eq_any(of_account))
        .order((
            package_components::is_root.desc(),
            package_components::name.asc(),
        ))
        .select(PackagedComponent::as_select())
        .load(conn)?)
}

/// Whether a version label is used by any package of the component, deleted ones included.
pub fn version_taken(
    conn: &mut DbConnection,
    component_id: &ComponentId,
    version_key: &str,
) -> Result<bool> {
    let n: i64 = packages::table
        .filter(packages::component_id.eq(component_id))
        .filter(packages::version_key.eq(version_key))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn count_for_component(conn: &mut DbConnection, component_id: &ComponentId) -> Result<i64> {
    Ok(packages::table
        .filter(packages::component_id.eq(component_id))
        .count()
        .get_result(conn)?)
}

/// Filters of the Packaged Components page.
#[derive(Debug, Clone, Default)]
pub struct PackageFilter {
    pub name_contains: Option<String>,
    pub component_type: Option<String>,
    pub shareable: Option<bool>,
    pub include_deleted: bool,
    pub component_id: Option<ComponentId>,
    /// Keyset cursor: packages older than (created_at, id).
    pub before: Option<(NaiveDateTime, String)>,
}

/// One page of the account's packages, newest first.
pub fn list(
    conn: &mut DbConnection,
    account_id: &AccountId,
    filter: &PackageFilter,
    limit: i64,
) -> Result<Vec<Package>> {
    let mut query = packages::table
        .filter(packages::account_id.eq(account_id))
        .filter(packages::implicit.eq(false))
        .select(Package::as_select())
        .into_boxed();
    if let Some(text) = &filter.name_contains {
        query = query.filter(
            super::build::lower(packages::component_name)
                .like(super::contains_pattern(text))
                .escape('\\'),
        );
    }
    if let Some(kind) = &filter.component_type {
        query = query.filter(packages::component_type.eq(kind.clone()));
    }
    if let Some(shareable) = filter.shareable {
        query = query.filter(packages::shareable.eq(shareable));
    }
    if !filter.include_deleted {
        query = query.filter(packages::deleted_at.is_null());
    }
    if let Some(component) = &filter.component_id {
        query = query.filter(packages::component_id.eq(component.clone()));
    }
    if let Some((at, id)) = &filter.before {
        query = query.filter(
            packages::created_at.lt(*at).or(packages::created_at
                .eq(*at)
                .and(packages::id.lt(id.clone()))),
        );
    }
    Ok(query
        .order((packages::created_at.desc(), packages::id.desc()))
        .limit(limit)
        .load(conn)?)
}

pub fn set_deleted(
    conn: &mut DbConnection,
    package: &Package,
    at: Option<NaiveDateTime>,
    by: Option<&str>,
) -> Result<()> {
    diesel::update(packages::table.find(&package.id))
        .set((packages::deleted_at.eq(at), packages::deleted_by.eq(by)))
        .execute(conn)?;
    Ok(())
}
