//! `process-library import --account NAME --from DIR`: applies a tree written by `export` to
//! an account, in one transaction, through the rules of the pages. An object whose identity the
//! account knows is updated (folders renamed, components saved as a new revision keeping their
//! local secrets) or, when immutable (packages, publications), left as it is; any other object
//! is created with a new id, and the account remembers its identity. Nothing is deleted.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::export::{exported_body, package_file};
use super::tree::{self, Tree};
use super::{Identities, kind};
use crate::db::build::{Component, Folder};
use crate::db::deploy::{Package, PackagedComponent};
use crate::db::ids::*;
use crate::db::library_code::Identity;
use crate::db::{self, DbConnection};
use crate::domain::audit::Action;
use crate::domain::build::{Body, ComponentType, PropertyKind};
use crate::domain::component_rules::{check_body, check_header, shareable_type};
use crate::domain::library_code::{ComponentFile, FolderFile, PackageFile, PublishedFile, ROOT};
use crate::domain::tags::{self, CATEGORIES};
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::audit::{self, By, Entry};
use crate::services::build::components::{Header, NewRow, commit, insert_rows};
use crate::services::build::folders::{check_name, ensure_root};
use crate::services::library::publishing::{append, check_texts, publisher_ready};
use crate::services::{Caller, Ctx, Instance, LibraryAccess};

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub folders_created: usize,
    pub components_created: usize,
    pub packages_created: usize,
    pub publications_created: usize,
    /// Folders renamed, components saved as a new revision, categories and tags set.
    pub updated: usize,
    /// Objects of the tree the account already held as they are.
    pub unchanged: usize,
}

impl ImportReport {
    pub fn created(&self) -> usize {
        self.folders_created
            + self.components_created
            + self.packages_created
            + self.publications_created
    }
}

/// The email an import's changes are recorded under.
const BY: &str = "process-library import";

/// Why an object of the tree cannot be imported, naming its file.
fn refused(file: &str, error: AppError) -> AppError {
    let message = match error {
        AppError::Validation(errors) | AppError::Refused(errors) => errors
            .iter()
            .map(|(_, m)| m.to_owned())
            .collect::<Vec<_>>()
            .join(" "),
        AppError::BadRequest(m) | AppError::Conflict(m) | AppError::Forbidden(m) => m,
        other => return other,
    };
    AppError::BadRequest(format!("{file}: {message}"))
}

fn problem(file: &str, message: impl Into<String>) -> AppError {
    AppError::BadRequest(format!("{file}: {}", message.into()))
}

/// Applies the tree under `dir` to the account named `account_name`.
pub fn import(
    instance: &Arc<Instance>,
    account_name: &str,
    dir: &Path,
) -> Result<ImportReport, AppError> {
    let tree = tree::read(dir)?;
    let account = db::read(&instance.pool, |conn| {
        db::accounts::find_account_by_name(conn, &name_key(account_name))
    })?
    .ok_or_else(|| AppError::BadRequest(format!("no account is named {account_name:?}")))?;
    let ctx = Ctx::new(
        instance.clone(),
        Caller::operator(&account, BY),
        db::generations::Generations::none(),
    );
    let caller = ctx.caller();
    if !tree.published.is_empty() {
        match caller.library_access() {
            LibraryAccess::ManagedAccount => {
                return Err(AppError::BadRequest(format!(
                    "{} is a managed account: a managed account never publishes, so the tree's publications cannot be imported into it",
                    account.name
                )));
            }
            LibraryAccess::FeatureOff => {
                return Err(AppError::BadRequest(format!(
                    "the Process Library feature is not enabled for {}: enable it (process-library enable-feature --account {:?} process-library) before importing publications",
                    account.name, account.name
                )));
            }
            LibraryAccess::NoPrivilege | LibraryAccess::Open => {}
        }
    }
    ctx.write(|conn| {
        let mut run = Run {
            ids: Identities::from_rows(db::library_code::identities(conn, caller.account_id())?),
            caller,
            account_name: &account.name,
            remembered: Vec::new(),
            report: ImportReport::default(),
            folders: HashMap::new(),
            components: HashMap::new(),
            live_types: HashMap::new(),
            root: String::new(),
            rows: HashSet::new(),
        };
        run.folders(conn, &tree.folders)?;
        run.components(conn, &tree.components)?;
        run.packages(conn, &tree)?;
        run.published(conn, &tree.published)?;
        db::library_code::insert_identities(conn, caller.account_id(), &run.remembered)?;
        let report = run.report;
        if report.created() + report.updated > 0 {
            audit::record(
                conn,
                &By::from(caller),
                Entry {
                    account_id: Some(caller.account_id()),
                    action: Action::LibraryImported,
                    target_type: "account",
                    target_id: Some(caller.account_id()),
                    summary: format!(
                        "Library imported from {}: {} folders, {} components, {} packages and {} publications created; {} updated; {} unchanged",
                        dir.display(),
                        report.folders_created,
                        report.components_created,
                        report.packages_created,
                        report.publications_created,
                        report.updated,
                        report.unchanged
                    ),
                },
            )?;
        }
        Ok(report)
    })
}

/// One import in progress.
struct Run<'a> {
    caller: &'a Caller,
    account_name: &'a str,
    ids: Identities,
    /// Identities to remember at the end (kind, identity, local id).
    remembered: Vec<Identity>,
    report: ImportReport,
    /// Local folders by id.
    folders: HashMap<String, Folder>,
    /// Live local components by id, but integration pack copies (which an import never
    /// changes).
    components: HashMap<String, Component>,
    /// Every live component of the account, pack copies included, by id: what a reference
    /// may name.
    live_types: HashMap<String, ComponentType>,
    /// The account's root folder.
    root: String,
    /// The id of every component row of the account, deleted ones included.
    rows: HashSet<String>,
}

impl Run<'_> {
    fn remember(&mut self, kind: &str, identity: &str, local: &str) {
        if identity != local {
            self.ids.remember(kind, identity, local);
            self.remembered
                .push((kind.to_owned(), identity.to_owned(), local.to_owned()));
        }
    }

    /// The local id of an object by identity: the one remembered, or the identity itself when
    /// it is the id of an object of the account (`exists`).
    fn resolve(&self, kind: &str, identity: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
        match self.ids.local(kind, identity) {
            Some(local) if exists(local) => Some(local.clone()),
            Some(_) => None,
            None => exists(identity).then(|| identity.to_owned()),
        }
    }

    fn folders(&mut self, conn: &mut DbConnection, files: &[FolderFile]) -> Result<(), AppError> {
        let root_id = ensure_root(conn, self.caller.account_id(), self.account_name)?;
        self.folders = db::build::list_folders(conn, self.caller.account_id())?
            .into_iter()
            .map(|f| (f.id.to_string(), f))
            .collect();
        // Every tree's root is the account's root, by structure: never remembered, so that
        // trees of several sources may be imported into one account.
        self.root = root_id.to_string();
        self.ids.alias(kind::FOLDER, ROOT, &self.root);
        let mut pending: Vec<&FolderFile> = files.iter().collect();
        while !pending.is_empty() {
            let before = pending.len();
            let mut later = Vec::new();
            for file in pending {
                let parent = match &file.parent {
                    None => None,
                    Some(p) => {
                        match self.resolve(kind::FOLDER, p, |id| self.folders.contains_key(id)) {
                            Some(local) => Some(local),
                            None => {
                                later.push(file);
                                continue;
                            }
                        }
                    }
                };
                self.folder(conn, file, parent, &root_id)?;
            }
            if later.len() == before {
                let file = later[0];
                return Err(problem(
                    &format!("folders/{}.json", file.id),
                    format!(
                        "its parent {} is neither in the tree nor in the account",
                        file.parent.clone().unwrap_or_default()
                    ),
                ));
            }
            pending = later;
        }
        Ok(())
    }

    fn folder(
        &mut self,
        conn: &mut DbConnection,
        file: &FolderFile,
        parent: Option<String>,
        root_id: &FolderId,
    ) -> Result<(), AppError> {
        let path = format!("folders/{}.json", file.id);
        let Some(parent) = parent else {
            // The tree's root is the account's root, which keeps the account's name.
            self.ids.alias(kind::FOLDER, &file.id, root_id);
            self.report.unchanged += 1;
            return Ok(());
        };
        let name = v::clean_name(&file.name);
        let existing = self.resolve(kind::FOLDER, &file.id, |id| self.folders.contains_key(id));
        match existing.and_then(|id| self.folders.get(&id).cloned()) {
            Some(folder) if folder.name == name => self.report.unchanged += 1,
            Some(folder) => {
                let within = folder
                    .parent_id
                    .clone()
                    .map(|p| p.into_string())
                    .unwrap_or_default();
                check_name(conn, &within, &name, &folder.id).map_err(|e| refused(&path, e))?;
                db::build::rename_folder(conn, &folder, &name, &name_key(&name))?;
                self.report.updated += 1;
            }
            None => {
                check_name(conn, &parent, &name, "").map_err(|e| refused(&path, e))?;
                let folder = Folder {
                    id: FolderId::generate(),
                    account_id: self.caller.account_id().clone(),
                    parent_id: Some(FolderId::from(parent)),
                    name: name.clone(),
                    name_key: name_key(&name),
                    created_at: db::now(),
                };
                db::build::insert_folder(conn, &folder)?;
                self.remember(kind::FOLDER, &file.id, &folder.id);
                self.folders.insert(folder.id.to_string(), folder);
                self.report.folders_created += 1;
            }
        }
        Ok(())
    }

    /// The local id of a component identity: the one remembered, else the identity itself when
    /// it is the id of a component of the account (live or deleted), else a new one
    /// (remembered).
    fn component_id(&mut self, identity: &str) -> String {
        if let Some(local) = self.ids.local(kind::COMPONENT, identity) {
            return local.clone();
        }
        if self.rows.contains(identity) {
            return identity.to_owned();
        }
        let local = ComponentId::generate().into_string();
        self.remember(kind::COMPONENT, identity, &local);
        local
    }

    fn components(
        &mut self,
        conn: &mut DbConnection,
        files: &[ComponentFile],
    ) -> Result<(), AppError> {
        self.components = db::library_code::components_of(conn, self.caller.account_id())?
            .into_iter()
            .map(|c| (c.id.to_string(), c))
            .collect();
        self.rows = db::library_code::component_ids(conn, self.caller.account_id())?
            .into_iter()
            .collect();
        self.live_types = db::library_code::live_types(conn, self.caller.account_id())?
            .into_iter()
            .filter_map(|(id, code)| ComponentType::from_code(&code).map(|t| (id, t)))
            .collect();
        let mut map = BTreeMap::new();
        for file in files {
            let local = self.component_id(&file.id);
            map.insert(file.id.clone(), local);
        }
        let types: HashMap<&str, ComponentType> = files
            .iter()
            .map(|f| (map[&f.id].as_str(), f.body.component_type()))
            .collect();
        let mut new_rows = Vec::new();
        let mut saves = Vec::new();
        for file in files {
            let path = format!("components/{}.json", file.id);
            if file.body.has_secrets() {
                return Err(problem(
                    &path,
                    "a tree never holds secrets: leave passwords empty and set them on the component's page",
                ));
            }
            let body = self.rewired(&path, &file.body.without_secrets(), &map, |id| {
                types
                    .get(id)
                    .copied()
                    .or_else(|| self.live_types.get(id).copied())
            })?;
            let folder = self
                .resolve(kind::FOLDER, &file.folder, |id| {
                    self.folders.contains_key(id)
                })
                .ok_or_else(|| {
                    problem(
                        &path,
                        format!(
                            "its folder {} is neither in the tree nor in the account",
                            file.folder
                        ),
                    )
                })?;
            let name = v::clean_name(&file.name);
            let description = file.description.trim().to_owned();
            let local = map[&file.id].clone();
            if !self.components.contains_key(&local)
                && db::library_code::restore_component(conn, self.caller.account_id(), &local)?
            {
                // Deleted here since: the tree brings it back, under its id.
                if let Some(component) = db::build::find_component_for_account(
                    conn,
                    self.caller.account_id(),
                    &ComponentId::from(local.clone()),
                )? {
                    self.components.insert(local.clone(), component);
                }
            }
            match self.components.get(&local).cloned() {
                None => {
                    let mut errors = FieldErrors::new();
                    check_header(&mut errors, &name, &description);
                    check_body(&mut errors, &body);
                    errors.into_result().map_err(|e| refused(&path, e.into()))?;
                    new_rows.push((local, folder, name, description, body));
                }
                Some(component) if type_of(&component) != Some(file.body.component_type()) => {
                    return Err(problem(
                        &path,
                        format!(
                            "the account's {} is a {}, not a {}",
                            component.name,
                            component.component_type,
                            file.body.component_type().label()
                        ),
                    ));
                }
                Some(component) => {
                    let current = exported_body(&component.body, &BTreeMap::new())?;
                    if current == body
                        && component.name == name
                        && component.description == description
                        && component.folder_id.as_str() == folder
                    {
                        self.report.unchanged += 1;
                        continue;
                    }
                    crate::services::pack_instances::ensure_not_in_pack(conn, &component.id)
                        .map_err(|e| refused(&path, e))?;
                    let old = Body::from_json(&component.body).map_err(AppError::Internal)?;
                    saves.push((
                        path,
                        component,
                        folder,
                        name,
                        description,
                        keep_secrets(body, &old),
                    ));
                }
            }
        }
        let rows: Vec<NewRow<'_>> = new_rows
            .iter()
            .map(|(id, folder, name, description, body)| NewRow {
                id,
                folder_id: folder,
                name,
                description,
                body,
                summary: "Imported",
            })
            .collect();
        insert_rows(conn, self.caller, &rows)?;
        self.rows.extend(rows.iter().map(|r| r.id.to_owned()));
        self.report.components_created += rows.len();
        for (path, component, folder, name, description, body) in saves {
            let header = Header {
                name: &name,
                folder_id: &folder,
                description: &description,
            };
            commit(
                conn,
                self.caller,
                &component,
                component.revision,
                header,
                &body,
            )
            .map_err(|e| refused(&path, e))?;
            self.report.updated += 1;
        }
        self.components = db::library_code::components_of(conn, self.caller.account_id())?
            .into_iter()
            .map(|c| (c.id.to_string(), c))
            .collect();
        Ok(())
    }

    /// A body of the tree with its references pointed at local components, each checked to be
    /// of the type its place expects (`type_of` a local id).
    fn rewired(
        &self,
        path: &str,
        body: &Body,
        map: &BTreeMap<String, String>,
        type_of: impl Fn(&str) -> Option<ComponentType>,
    ) -> Result<Body, AppError> {
        let mut rewire = BTreeMap::new();
        for reference in body.references() {
            let local = map.get(&reference.id).cloned().or_else(|| {
                self.resolve(kind::COMPONENT, &reference.id, |id| {
                    self.live_types.contains_key(id)
                })
            });
            let Some(local) = local else {
                return Err(problem(
                    path,
                    format!(
                        "{} refers to {}, which is neither in the tree nor in the account",
                        reference.place, reference.id
                    ),
                ));
            };
            if type_of(&local) != Some(reference.expected) {
                return Err(problem(
                    path,
                    format!(
                        "{} refers to {}, which is not a {}",
                        reference.place,
                        reference.id,
                        reference.expected.label()
                    ),
                ));
            }
            rewire.insert(reference.id, local);
        }
        let mut body = body.clone();
        body.rewire(&rewire);
        Ok(body)
    }

    fn packages(&mut self, conn: &mut DbConnection, tree: &Tree) -> Result<(), AppError> {
        for file in &tree.packages {
            let path = format!("packages/{}.json", file.id);
            let existing = match self.ids.local(kind::PACKAGE, &file.id) {
                Some(local) => db::library_code::package(conn, self.caller.account_id(), local)?,
                None => db::library_code::package(conn, self.caller.account_id(), &file.id)?,
            };
            match existing {
                Some(package) => {
                    let frozen = db::library_code::manifest(conn, &package.id)?;
                    let ours =
                        package_file(&package, frozen, &self.ids, &self.ids.component_rewire())?;
                    if &ours != file {
                        return Err(problem(
                            &path,
                            format!(
                                "the account holds this package ({} {}) with other contents, and a package never changes: give the changed one a new id and version",
                                package.component_name, package.version
                            ),
                        ));
                    }
                    self.report.unchanged += 1;
                }
                None => self.new_package(conn, &path, file)?,
            }
        }
        Ok(())
    }

    fn new_package(
        &mut self,
        conn: &mut DbConnection,
        path: &str,
        file: &PackageFile,
    ) -> Result<(), AppError> {
        let Some(root_file) = file.components.iter().find(|c| c.id == file.component) else {
            return Err(problem(path, "its manifest does not hold its component"));
        };
        let mut map = BTreeMap::new();
        for frozen in &file.components {
            if frozen.body.has_secrets() {
                return Err(problem(path, "a tree never holds secrets"));
            }
            let mut errors = FieldErrors::new();
            check_header(&mut errors, &frozen.name, &frozen.description);
            check_body(&mut errors, &frozen.body);
            if frozen.name != v::clean_name(&frozen.name)
                || frozen.description != frozen.description.trim()
            {
                errors.add(
                    "name",
                    "A frozen name or description begins or ends with spaces.",
                );
            }
            errors.into_result().map_err(|e| refused(path, e.into()))?;
            let local = self.component_id(&frozen.id);
            map.insert(frozen.id.clone(), local);
        }
        let types: HashMap<String, ComponentType> = file
            .components
            .iter()
            .map(|f| (map[&f.id].clone(), f.body.component_type()))
            .collect();
        let root_local = map[&file.component].clone();
        let root_type = root_file.body.component_type();
        let mut errors = FieldErrors::new();
        let version = file.version.as_str();
        errors.check("version", v::required_text("Version", version, 40));
        errors.check("notes", v::prose("Package Notes", &file.notes, 2000));
        if version != version.trim() || file.notes != file.notes.trim() {
            // Kept as written, a package could never compare equal to its file again.
            errors.add(
                "version",
                "The version and the notes must not begin or end with spaces.",
            );
        }
        if errors.is_empty()
            && db::deploy::version_taken(
                conn,
                &ComponentId::from(root_local.clone()),
                &name_key(version),
            )?
        {
            errors.add(
                "version",
                format!(
                    "Version {version} already exists for {} in the account.",
                    root_file.name
                ),
            );
        }
        if file.shareable && !shareable_type(root_type) {
            errors.add(
                "shareable",
                format!(
                    "Only a Process or an API Service can be shareable; this is a {}.",
                    root_type.label()
                ),
            );
        }
        if file.shareable
            && let Some(route) = file
                .components
                .iter()
                .find(|c| c.body.component_type() == ComponentType::ProcessRoute)
        {
            errors.add(
                "shareable",
                format!("{} uses the Process Route {}: a process that contains a Process Route cannot be shareable.", root_file.name, route.name),
            );
        }
        errors.into_result().map_err(|e| refused(path, e.into()))?;
        let id = PackageId::generate();
        let mut rows = Vec::with_capacity(file.components.len());
        for frozen in &file.components {
            let body = self.rewired(path, &frozen.body.without_secrets(), &map, |id| {
                types
                    .get(id)
                    .copied()
                    .or_else(|| self.live_types.get(id).copied())
            })?;
            if frozen.id == file.component && !self.rows.contains(&map[&frozen.id]) {
                // Its component was deleted where the tree comes from: it is here too, deleted,
                // so that the package (and its publications) have their component.
                self.placeholder(
                    conn,
                    &map[&frozen.id],
                    &frozen.name,
                    &frozen.description,
                    &body,
                )?;
            }
            rows.push(PackagedComponent {
                package_id: id.clone(),
                component_id: ComponentId::from(map[&frozen.id].clone()),
                component_type: frozen.body.component_type().code().to_owned(),
                name: frozen.name.clone(),
                description: frozen.description.clone(),
                revision: frozen.revision,
                body: body.to_json(),
                is_root: frozen.id == file.component,
            });
        }
        let package = Package {
            id: id.clone(),
            account_id: self.caller.account_id().clone(),
            component_id: ComponentId::from(root_local.clone()),
            component_type: root_type.code().to_owned(),
            component_name: root_file.name.clone(),
            version: version.to_owned(),
            version_key: name_key(version),
            notes: file.notes.clone(),
            shareable: file.shareable,
            component_count: i32::try_from(rows.len()).unwrap_or(i32::MAX),
            created_by: Some(BY.to_owned()),
            created_at: db::now(),
            deleted_at: None,
            deleted_by: None,
            implicit: file.implicit,
        };
        db::deploy::insert(conn, &package, &rows)?;
        if package.shareable
            && !package.implicit
            && let Some(root) = self.components.get(&root_local)
        {
            db::build::set_shareable_package(conn, root, true)?;
        }
        self.remember(kind::PACKAGE, &file.id, &id);
        self.report.packages_created += 1;
        Ok(())
    }

    /// A deleted component of the account standing for a package's root that was deleted where
    /// the tree comes from (packages and published processes need their component).
    fn placeholder(
        &mut self,
        conn: &mut DbConnection,
        id: &str,
        name: &str,
        description: &str,
        body: &Body,
    ) -> Result<(), AppError> {
        insert_rows(
            conn,
            self.caller,
            &[NewRow {
                id,
                folder_id: &self.root,
                name,
                description,
                body,
                summary: "Imported (deleted where it comes from)",
            }],
        )?;
        let component = db::build::find_component_for_account(
            conn,
            self.caller.account_id(),
            &ComponentId::from(id.to_owned()),
        )?
        .ok_or(AppError::NotFound)?;
        self.rows.insert(id.to_owned());
        db::build::mark_component_deleted(conn, &component, db::now())
    }

    fn published(
        &mut self,
        conn: &mut DbConnection,
        files: &[PublishedFile],
    ) -> Result<(), AppError> {
        if files.is_empty() {
            return Ok(());
        }
        if !publisher_ready(conn, self.caller.account_id())? {
            return Err(AppError::BadRequest(format!(
                "{} has no Publisher Name: set one on Settings > Publisher before importing publications",
                self.account_name
            )));
        }
        for file in files {
            let path = format!("publications/{}.json", file.id);
            let component = ComponentId::from(self.component_id(&file.component));
            let category = file.category.trim();
            let mut errors = FieldErrors::new();
            if !category.is_empty() && !CATEGORIES.contains(&category) {
                errors.add(
                    "category",
                    format!("{category:?} is not one of the categories."),
                );
            }
            if file.tags.iter().any(|t| t.contains(',')) {
                errors.add("tags", "A tag cannot hold a comma.");
            }
            let tags = tags::normalize(&file.tags.join(", "));
            if let Err(message) = &tags {
                errors.add("tags", message.clone());
            }
            errors.into_result().map_err(|e| refused(&path, e.into()))?;
            let tags = tags.unwrap_or_default();
            for version in &file.versions {
                let known = match self.ids.local(kind::PUBLICATION, &version.id) {
                    Some(local) => {
                        db::library_code::publication(conn, self.caller.account_id(), local)?
                    }
                    None => {
                        db::library_code::publication(conn, self.caller.account_id(), &version.id)?
                    }
                };
                let package = self
                    .ids
                    .local(kind::PACKAGE, &version.package)
                    .cloned()
                    .unwrap_or_else(|| version.package.clone());
                if let Some(publication) = known {
                    if publication.package_id.as_str() != package {
                        return Err(problem(
                            &path,
                            format!(
                                "version {} publishes another package in the account, and a publication never changes",
                                version.id
                            ),
                        ));
                    }
                    self.report.unchanged += 1;
                    continue;
                }
                let package = db::library_code::package(conn, self.caller.account_id(), &package)?
                    .filter(|p| p.component_id == component && p.shareable && p.deleted_at.is_none())
                    .ok_or_else(|| {
                        problem(
                            &path,
                            format!(
                                "version {} publishes package {}, which is not a shareable package of its component in the tree or the account",
                                version.id, version.package
                            ),
                        )
                    })?;
                let mut errors = FieldErrors::new();
                check_texts(&mut errors, &version.description, &version.notes);
                errors.into_result().map_err(|e| refused(&path, e.into()))?;
                let (process, publication) = append(
                    conn,
                    self.caller,
                    &package,
                    version.description.trim(),
                    false,
                    version.notes.trim(),
                    None,
                )?;
                self.remember(kind::PUBLICATION, &version.id, &publication.id);
                if self.ids.local(kind::PUBLISHED, &file.id).is_none() {
                    self.remember(kind::PUBLISHED, &file.id, &process.id);
                }
                self.report.publications_created += 1;
            }
            let process =
                db::library::find_process_by_component(conn, self.caller.account_id(), &component)?;
            let Some(process) = process else {
                return Err(problem(&path, "it has no version"));
            };
            if self.ids.local(kind::PUBLISHED, &file.id).is_none() {
                self.remember(kind::PUBLISHED, &file.id, &process.id);
            }
            if process.category == category && process.tags == tags {
                self.report.unchanged += 1;
            } else {
                db::library::set_category_and_tags(conn, &process.id, category, &tags)?;
                self.report.updated += 1;
            }
        }
        Ok(())
    }
}

fn type_of(component: &Component) -> Option<ComponentType> {
    ComponentType::from_code(&component.component_type)
}

/// The body of the tree with the secrets the local component holds put back: its connection
/// password, and each password property's value by property name.
fn keep_secrets(mut body: Body, old: &Body) -> Body {
    match (&mut body, old) {
        (Body::Connection { password, .. }, Body::Connection { password: kept, .. }) => {
            password.clone_from(kept);
        }
        (Body::ProcessProperty { properties }, Body::ProcessProperty { properties: kept }) => {
            for property in properties
                .iter_mut()
                .filter(|p| p.kind == PropertyKind::Password)
            {
                if let Some(old) = kept
                    .iter()
                    .find(|k| k.kind == PropertyKind::Password && k.name == property.name)
                {
                    property.value.clone_from(&old.value);
                }
            }
        }
        _ => {}
    }
    body
}
