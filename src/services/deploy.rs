//! Packaged components: immutable snapshots of a component and everything it depends on.

use crate::db::build::{Component, ComponentSummary};
use crate::db::deploy::{Package, PackageFilter, PackagedComponent};
use crate::db::ids::*;
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::build::ComponentType;
use crate::domain::component_rules::{next_version, shareable_type};
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::audit::{self, By, Entry};
use crate::services::build::dependencies;
use crate::services::{Caller, Ctx};

/// The Create Packaged Component form.
#[derive(Debug, Clone, Default)]
pub struct NewPackage {
    pub component_id: ComponentId,
    pub version: String,
    pub notes: String,
    pub shareable: bool,
}

/// Freezes a component and its dependencies at their current revisions
/// (Packaged Component Management). Returns the package id.
pub fn create(ctx: &Ctx, input: &NewPackage) -> Result<PackageId, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::PackagedComponentManagement)?;
    ctx.write( |conn| {
        let mut errors = FieldErrors::new();
        let root =
            db::build::find_component_for_account(conn, caller.account_id(), &input.component_id)?;
        let Some(root) = root else {
            errors.add("component", "Choose a component.");
            return Err(errors.into());
        };
        let version = input.version.trim();
        errors.check("version", v::optional_text("Version", version, 40));
        errors.check("notes", v::prose("Package Notes", &input.notes, 2000));
        let existing = db::deploy::count_for_component(conn, &root.id)?;
        let version = if version.is_empty() {
            let mut n = existing;
            loop {
                let label = next_version(n);
                if !db::deploy::version_taken(conn, &root.id, &name_key(&label))? {
                    break label;
                }
                n += 1;
            }
        } else {
            if db::deploy::version_taken(conn, &root.id, &name_key(version))? {
                errors.add(
                    "version",
                    format!(
                        "Version {version} already exists for {} (deleted packages count too).",
                        root.name
                    ),
                );
            }
            version.to_owned()
        };
        let kind =
            ComponentType::from_code(&root.component_type).unwrap_or(ComponentType::Connection);
        let manifest = dependencies::closure(conn, caller.account_id(), &root)?;
        if input.shareable {
            if !shareable_type(kind) {
                errors.add(
                    "shareable",
                    format!(
                        "Only a Process or an API Service can be shareable; this is a {}.",
                        kind.label()
                    ),
                );
            } else if let Some(route) = manifest
                .iter()
                .find(|c| c.component_type == ComponentType::ProcessRoute.code())
            {
                errors.add(
                    "shareable",
                    format!(
                        "{} uses the Process Route {}: a process that contains a Process Route cannot be shareable.",
                        root.name, route.name
                    ),
                );
            }
        }
        errors.into_result()?;
        let package = freeze(
            conn,
            caller,
            &root,
            &manifest,
            Frozen {
                version: &version,
                notes: input.notes.trim(),
                shareable: input.shareable,
                implicit: false,
            },
        )?;
        let (id, rows) = (package.id.clone(), package.component_count);
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::PackageCreated,
                target_type: "package",
                target_id: Some(&id),
                summary: format!(
                    "{} packaged as version {version} ({}{})",
                    root.name,
                    crate::domain::text::count(usize::try_from(rows).unwrap_or_default(), "component", "components"),
                    if input.shareable { ", shareable" } else { "" }
                ),
            },
        )?;
        Ok(id)
    })
}

/// How a package is labelled and marked when it is frozen.
pub(crate) struct Frozen<'a> {
    pub version: &'a str,
    pub notes: &'a str,
    pub shareable: bool,
    pub implicit: bool,
}

/// Freezes `root` and its dependency closure `manifest` (from
/// [`dependencies::closure`]) as a new package at their current revisions.
pub(crate) fn freeze(
    conn: &mut DbConnection,
    caller: &Caller,
    root: &Component,
    manifest: &[Component],
    frozen: Frozen<'_>,
) -> Result<Package, AppError> {
    let id = PackageId::generate();
    let rows: Vec<PackagedComponent> = manifest
        .iter()
        .map(|c| PackagedComponent {
            package_id: id.clone(),
            component_id: c.id.clone(),
            component_type: c.component_type.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            revision: c.revision,
            body: c.body.clone(),
            is_root: c.id == root.id,
        })
        .collect();
    let package = Package {
        id,
        account_id: caller.account_id().clone(),
        component_id: root.id.clone(),
        component_type: root.component_type.clone(),
        component_name: root.name.clone(),
        version_key: name_key(frozen.version),
        version: frozen.version.to_owned(),
        notes: frozen.notes.to_owned(),
        shareable: frozen.shareable,
        component_count: i32::try_from(rows.len()).unwrap_or(i32::MAX),
        created_by: Some(caller.email().to_owned()),
        created_at: db::now(),
        deleted_at: None,
        deleted_by: None,
        implicit: frozen.implicit,
    };
    db::deploy::insert(conn, &package, &rows)?;
    if package.shareable && !package.implicit {
        db::build::set_shareable_package(conn, root, true)?;
    }
    Ok(package)
}

/// A package, its manifest, and the library version that first published it (Build Read
/// Access).
pub fn details(
    ctx: &Ctx,
    id: &PackageId,
) -> Result<(Package, Vec<PackagedComponent>, Option<i32>), AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| {
        let package = db::deploy::find_for_account(conn, caller.account_id(), id)?
            .ok_or(AppError::NotFound)?;
        let manifest = db::deploy::list_manifest(conn, &package.account_id, &package.id)?;
        let published = db::library::package_publication(conn, &package.id)?;
        Ok((package, manifest, published))
    })
}

/// One page of the account's packages, newest first (Build Read Access).
pub fn list(ctx: &Ctx, filter: &PackageFilter, limit: i64) -> Result<Vec<Package>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| db::deploy::list(conn, caller.account_id(), filter, limit))
}

/// The components that can be packaged, by name.
pub fn packageable(ctx: &Ctx) -> Result<Vec<ComponentSummary>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::PackagedComponentManagement)?;
    let types: Vec<&str> = ComponentType::ALL.iter().map(|t| t.code()).collect();
    ctx.read(|conn| db::build::list_components_of_types(conn, caller.account_id(), &types))
}

/// Soft-deletes (`deleted = true`) or restores a package; returns its label for messages.
pub fn set_deleted(ctx: &Ctx, id: &PackageId, deleted: bool) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::PackagedComponentManagement)?;
    ctx.write( |conn| {
        let package = db::deploy::find_for_account(conn, caller.account_id(), id)?
            .filter(|p| !p.implicit)
            .ok_or(AppError::NotFound)?;
        if package.deleted_at.is_some() == deleted {
            return Ok(format!("{} {}", package.component_name, package.version));
        }
        if deleted && let Some(sequence) = db::library::package_publication(conn, &package.id)? {
            return Err(AppError::Conflict(format!(
                "{} {} is published (version {sequence} in the process library): a published package cannot be deleted.",
                package.component_name, package.version
            )));
        }
        let (at, by, action, verb) = if deleted {
            (
                Some(db::now()),
                Some(caller.email()),
                Action::PackageDeleted,
                "deleted",
            )
        } else {
            (None, None, Action::PackageRestored, "restored")
        };
        db::deploy::set_deleted(conn, &package, at, by)?;
        let still =
            !db::library::list_shareable_packages(conn, caller.account_id(), &package.component_id)?
                .is_empty();
        // A deleted component keeps its packages; only a live one shows as packaged.
        if let Some(component) = db::build::find_component_for_account(
            conn,
            caller.account_id(),
            &package.component_id,
        )? {
            db::build::set_shareable_package(conn, &component, still)?;
        }
        let label = format!("{} {}", package.component_name, package.version);
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action,
                target_type: "package",
                target_id: Some(&package.id),
                summary: format!("Packaged component {label} {verb}"),
            },
        )?;
        Ok(label)
    })
}
