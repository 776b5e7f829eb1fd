//! `process-library export --account NAME --to DIR`: the account's library as files, with
//! every reference and id written as its identity and no secret anywhere.

use std::collections::BTreeMap;
use std::path::Path;

use super::tree::Files;
use super::{Identities, kind};
use crate::db::deploy::{Package, PackagedComponent};
use crate::db::{self, DbPool};
use crate::domain::build::Body;
use crate::domain::library_code::{
    ComponentFile, FolderFile, FrozenFile, PackageFile, PublishedFile, ROOT, VersionFile,
};
use crate::domain::validation::name_key;
use crate::error::AppError;

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportReport {
    pub folders: usize,
    pub components: usize,
    pub packages: usize,
    pub published: usize,
    /// Files whose text changed (new ones included).
    pub written: usize,
    /// Files of objects that no longer exist, removed.
    pub removed: usize,
}

/// A body as exported: secrets emptied, references as identities.
pub(super) fn exported_body(
    json: &str,
    rewire: &BTreeMap<String, String>,
) -> Result<Body, AppError> {
    let mut body = Body::from_json(json).map_err(AppError::Internal)?;
    body = body.without_secrets();
    body.rewire(rewire);
    Ok(body)
}

/// A package as its file says it: frozen components by identity, the root first.
pub(super) fn package_file(
    package: &Package,
    frozen: Vec<PackagedComponent>,
    ids: &Identities,
    rewire: &BTreeMap<String, String>,
) -> Result<PackageFile, AppError> {
    let root = ids.of(kind::COMPONENT, &package.component_id);
    let mut components = Vec::with_capacity(frozen.len());
    for row in frozen {
        components.push(FrozenFile {
            id: ids.of(kind::COMPONENT, &row.component_id),
            name: row.name,
            description: row.description,
            revision: row.revision,
            body: exported_body(&row.body, rewire)?,
        });
    }
    components.sort_by(|a, b| (a.id != root, &a.id).cmp(&(b.id != root, &b.id)));
    Ok(PackageFile {
        id: ids.of(kind::PACKAGE, &package.id),
        component: root,
        version: package.version.clone(),
        notes: package.notes.clone(),
        shareable: package.shareable,
        implicit: package.implicit,
        components,
    })
}

/// Writes the library of the account named `account_name` under `dir`.
pub fn export(pool: &DbPool, account_name: &str, dir: &Path) -> Result<ExportReport, AppError> {
    let files = db::snapshot(pool, |conn| {
        let account = db::accounts::find_account_by_name(conn, &name_key(account_name))?
            .ok_or_else(|| AppError::BadRequest(format!("no account is named {account_name:?}")))?;
        let ids = Identities::from_rows(db::library_code::identities(conn, &account.id)?);
        let rewire = ids.component_rewire();
        let mut files = Files::default();
        let mut report = ExportReport::default();
        let folders = db::library_code::folders_of(conn, &account.id)?;
        let root = folders
            .iter()
            .find(|f| f.parent_id.is_none())
            .map(|f| f.id.to_string())
            .unwrap_or_default();
        // Every tree's root is `root`: the account's root, whichever account it is.
        let folder_identity = |local: &str| {
            if local == root {
                ROOT.to_owned()
            } else {
                ids.of(kind::FOLDER, local)
            }
        };
        for folder in &folders {
            let id = folder_identity(&folder.id);
            let file = FolderFile {
                parent: folder.parent_id.as_ref().map(|p| folder_identity(p)),
                // The root carries the account's name, which is not the library's to export.
                name: if folder.parent_id.is_none() {
                    String::new()
                } else {
                    folder.name.clone()
                },
                id: id.clone(),
            };
            files.add("folders", &id, &file);
            report.folders += 1;
        }
        for component in db::library_code::components_of(conn, &account.id)? {
            let id = ids.of(kind::COMPONENT, &component.id);
            let file = ComponentFile {
                id: id.clone(),
                folder: folder_identity(&component.folder_id),
                name: component.name,
                description: component.description,
                body: exported_body(&component.body, &rewire)?,
            };
            files.add("components", &id, &file);
            report.components += 1;
        }
        let (packages, frozen) = db::library_code::packages_of(conn, &account.id)?;
        let mut manifests: BTreeMap<String, Vec<PackagedComponent>> = BTreeMap::new();
        for row in frozen {
            manifests
                .entry(row.package_id.to_string())
                .or_default()
                .push(row);
        }
        for package in packages {
            let frozen = manifests.remove(package.id.as_str()).unwrap_or_default();
            let file = package_file(&package, frozen, &ids, &rewire)?;
            files.add("packages", &file.id.clone(), &file);
            report.packages += 1;
        }
        let (published, versions) = db::library_code::published_of(conn, &account.id)?;
        let mut by_process: BTreeMap<String, Vec<VersionFile>> = BTreeMap::new();
        for version in versions {
            by_process
                .entry(version.published_process_id.to_string())
                .or_default()
                .push(VersionFile {
                    id: ids.of(kind::PUBLICATION, &version.id),
                    package: ids.of(kind::PACKAGE, &version.package_id),
                    description: version.description,
                    notes: version.notes,
                });
        }
        for process in published {
            let id = ids.of(kind::PUBLISHED, &process.id);
            let file = PublishedFile {
                id: id.clone(),
                component: ids.of(kind::COMPONENT, &process.component_id),
                category: process.category.clone(),
                tags: process.tag_list().map(str::to_owned).collect(),
                versions: by_process.remove(process.id.as_str()).unwrap_or_default(),
            };
            files.add("publications", &id, &file);
            report.published += 1;
        }
        Ok((files, report))
    })?;
    let (files, mut report) = files;
    let (written, removed) = files.write(dir)?;
    report.written = written;
    report.removed = removed;
    Ok(report)
}
