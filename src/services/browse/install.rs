//! Install: copy the latest publication's frozen manifest into a folder of the installing
//! account, in one transaction — new ids, rewired references, unique names, secrets only when
//! the publication includes them (re-sealed for each copy), and the source→copy map kept.

use crate::db::ids::*;
use std::collections::{BTreeMap, BTreeSet};

use super::library::find;
use crate::db::browse::{Installation, InstalledComponent};
use crate::db::build::Folder;
use crate::db::library::PublishedProcess;
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::build::{Body, Connector};
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Ctx;
use crate::services::audit::{self, By, Entry};
use crate::services::build::{FolderOption, components, folder_tree, folders};
use crate::services::secrets::Sealer;

/// The Install form.
#[derive(Debug, Clone, Default)]
pub struct InstallInput {
    pub folder_id: FolderId,
    pub new_folder: String,
    pub local_name: String,
    /// A token of the form: a second submission of the same form creates nothing new.
    pub idempotency_key: String,
    /// Connections of the process bound to an existing connection of the account instead of
    /// copied: source component id → the account's connection id.
    pub bindings: BTreeMap<String, String>,
    /// The partner installing for the account, named in its audit log.
    pub on_behalf_of: Option<String>,
}

/// A connection of the process on the Install form, with the account's connections of the
/// same connector that can be used instead of a copy.
#[derive(Debug, Clone)]
pub struct ConnectionChoice {
    pub source_id: ComponentId,
    pub name: String,
    pub connector: &'static str,
    pub existing: Vec<(ComponentId, String)>,
}

/// How many of the account's connections the Install form offers to bind.
const CONNECTIONS_OFFERED: i64 = 1000;

fn connector_of(body: &str) -> Option<Connector> {
    match Body::from_json(body).ok()? {
        Body::Connection { connector, .. } => Some(connector),
        _ => None,
    }
}

/// The process's connections and, for each, the account's connections of its connector.
fn connection_choices(
    conn: &mut DbConnection,
    caller: &Caller,
    manifest: &[db::deploy::PackagedComponent],
) -> Result<Vec<ConnectionChoice>, AppError> {
    let connections: Vec<&db::deploy::PackagedComponent> = manifest
        .iter()
        .filter(|m| m.component_type == "connection")
        .collect();
    if connections.is_empty() {
        return Ok(Vec::new());
    }
    let own = db::build::list_connections(conn, caller.account_id(), CONNECTIONS_OFFERED)?;
    Ok(connections
        .into_iter()
        .filter_map(|m| {
            let connector = connector_of(&m.body)?;
            Some(ConnectionChoice {
                source_id: m.component_id.clone(),
                name: m.name.clone(),
                connector: connector.label(),
                existing: own
                    .iter()
                    .filter(|c| connector_of(&c.body) == Some(connector))
                    .map(|c| (c.id.clone(), c.name.clone()))
                    .collect(),
            })
        })
        .collect())
}

/// What the Install form needs.
/// What the Install form shows: the process, the folders to install into, the version this
/// account installed last if any, and whether the latest version brings its passwords.
pub struct InstallForm {
    pub process: PublishedProcess,
    pub folders: Vec<FolderOption>,
    pub installed: Option<i32>,
    pub include_passwords: bool,
    pub connections: Vec<ConnectionChoice>,
}

pub fn form(ctx: &Ctx, process_id: &ProcessId) -> Result<InstallForm, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    ctx.read(|conn| {
        let process = find(conn, caller, process_id)?;
        let folders = folder_tree(&db::build::list_folders(conn, caller.account_id())?);
        let installed = db::browse::installed_versions(
            conn,
            caller.account_id(),
            std::slice::from_ref(&process.id),
        )?
        .first()
        .map(|(_, v)| *v);
        let publication = db::browse::latest_publication(conn, &process)?;
        let manifest =
            db::deploy::list_manifest(conn, &process.account_id, &publication.package_id)?;
        let connections = connection_choices(conn, caller, &manifest)?;
        Ok(InstallForm {
            process,
            folders,
            installed,
            include_passwords: publication.include_passwords,
            connections,
        })
    })
}

/// How many numbered variants of each wanted name ("NAME 2" …) are looked up at first.
const NAME_PROBES: usize = 10;

/// The names the copies get in the folder: each wanted name, or the first "NAME n" free in the
/// folder and among the copies. Only the wanted names and their first numbered variants are
/// read (one indexed lookup, whatever the size of the folder); every name of the folder is read
/// only when a copy needs a number beyond those. Either way the names are the same.
pub(super) fn copy_names(
    conn: &mut DbConnection,
    folder_id: &FolderId,
    wanted: &[&str],
) -> Result<Vec<String>, AppError> {
    let looked_up: BTreeSet<String> = wanted
        .iter()
        .flat_map(|w| {
            std::iter::once(name_key(w))
                .chain((2..=NAME_PROBES + 1).map(move |n| name_key(&format!("{w} {n}"))))
        })
        .collect();
    let keys: Vec<String> = looked_up.iter().cloned().collect();
    let taken = db::browse::names_in_folder_among(conn, folder_id, &keys)?;
    let named = name_all(taken.into_iter().collect(), wanted);
    if named.iter().all(|n| looked_up.contains(&name_key(n))) {
        return Ok(named);
    }
    let taken = db::browse::names_in_folder(conn, folder_id)?;
    Ok(name_all(taken.into_iter().collect(), wanted))
}

fn name_all(mut taken: BTreeSet<String>, wanted: &[&str]) -> Vec<String> {
    wanted.iter().map(|w| unique_name(&mut taken, w)).collect()
}

/// The first of NAME, "NAME 2", "NAME 3", … not taken in the folder (and takes it).
fn unique_name(taken: &mut BTreeSet<String>, name: &str) -> String {
    let mut candidate = name.to_owned();
    let mut n = 2;
    while taken.contains(&name_key(&candidate)) {
        candidate = format!("{name} {n}");
        n += 1;
    }
    taken.insert(name_key(&candidate));
    candidate
}

fn target_folder(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &InstallInput,
    errors: &mut FieldErrors,
) -> Result<Option<Folder>, AppError> {
    let Some(location) =
        db::build::find_folder_for_account(conn, caller.account_id(), &input.folder_id)?
    else {
        errors.add("folder", "Choose a folder of this account.");
        return Ok(None);
    };
    let new_folder = input.new_folder.trim();
    if new_folder.is_empty() {
        return Ok(Some(location));
    }
    match folders::create_in(conn, caller, &location, new_folder) {
        Ok(id) => Ok(db::build::find_folder_for_account(
            conn,
            caller.account_id(),
            &FolderId::from(&id),
        )?),
        Err(AppError::Validation(folder_errors)) => {
            if let Some(message) = folder_errors.get("name") {
                errors.add("new_folder", message.replace("Name", "New Folder"));
            }
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// Installs the latest publication of a process of the account's library (Build Read and
/// Write Access); a repeated form token returns the first installation.
pub fn install(
    ctx: &Ctx,
    process_id: &ProcessId,
    input: &InstallInput,
) -> Result<Installation, AppError> {
    let caller = ctx.caller();
    let sealer = ctx.sealer();
    caller.require(Privilege::BuildWrite)?;
    let result = ctx.write(|conn| install_in(conn, sealer, caller, process_id, input));
    match result {
        Err(AppError::Conflict(_)) => {
            let again = ctx.read(|conn| {
                db::browse::find_by_key(conn, caller.account_id(), &input.idempotency_key)
            })?;
            again.ok_or_else(|| {
                AppError::Conflict("The installation could not be completed. Try again.".to_owned())
            })
        }
        other => other,
    }
}

/// The account's connections the form binds, by source component: each must be a connection
/// of the process, and a live connection of the account with the same connector.
fn bound_connections(
    conn: &mut DbConnection,
    caller: &Caller,
    manifest: &[db::deploy::PackagedComponent],
    bindings: &BTreeMap<String, String>,
) -> Result<BTreeMap<ComponentId, db::build::Component>, AppError> {
    let mut bound = BTreeMap::new();
    let mut errors = FieldErrors::new();
    for (source, existing) in bindings {
        let Some(m) = manifest
            .iter()
            .find(|m| m.component_id.as_str() == source && m.component_type == "connection")
        else {
            continue;
        };
        let found = db::build::find_component_for_account(
            conn,
            caller.account_id(),
            &ComponentId::from(existing.as_str()),
        )?
        .filter(|c| {
            connector_of(&c.body).is_some() && connector_of(&c.body) == connector_of(&m.body)
        });
        match found {
            Some(c) => {
                bound.insert(m.component_id.clone(), c);
            }
            None => errors.also(
                "connections",
                format!(
                    "Existing connection for {}: choose a connection of this account with the same connector.",
                    m.name
                ),
            ),
        }
    }
    errors.into_result()?;
    Ok(bound)
}

/// The install in a transaction already open (a repeated form token returns the first
/// installation): the page's install, and each account's of Install for Accounts.
pub(crate) fn install_in(
    conn: &mut DbConnection,
    sealer: &Sealer,
    caller: &Caller,
    process_id: &ProcessId,
    input: &InstallInput,
) -> Result<Installation, AppError> {
    if let Some(done) = db::browse::find_by_key(conn, caller.account_id(), &input.idempotency_key)?
    {
        return Ok(done);
    }
    let process = find(conn, caller, process_id)?;
    let mut errors = FieldErrors::new();
    errors.check(
        "local_name",
        v::required_text("Process Name for Local Version", &input.local_name, 100),
    );
    if input.idempotency_key.is_empty() || input.idempotency_key.len() > 64 {
        errors.add(
            "local_name",
            "The form has expired. Reload the page and install again.",
        );
    }
    let folder = target_folder(conn, caller, input, &mut errors)?;
    errors.into_result()?;
    let folder = folder.ok_or_else(|| AppError::invalid("folder", "Choose a folder."))?;
    let publication = db::browse::latest_publication(conn, &process)?;
    copy_publication(conn, sealer, caller, &process, &publication, &folder, input)
}

/// Copies one publication of a process into a folder of the caller's account, as an
/// installation (what an install and an integration pack's install share).
pub(crate) fn copy_publication(
    conn: &mut DbConnection,
    sealer: &Sealer,
    caller: &Caller,
    process: &PublishedProcess,
    publication: &db::library::Publication,
    folder: &Folder,
    input: &InstallInput,
) -> Result<Installation, AppError> {
    let package = db::deploy::find_for_account(conn, &process.account_id, &publication.package_id)?
        .ok_or(AppError::NotFound)?;
    let all = db::deploy::list_manifest(conn, &package.account_id, &package.id)?;
    let bound = bound_connections(conn, caller, &all, &input.bindings)?;
    let manifest: Vec<db::deploy::PackagedComponent> = all
        .into_iter()
        .filter(|m| !bound.contains_key(&m.component_id))
        .collect();
    let ids: BTreeMap<ComponentId, ComponentId> = manifest
        .iter()
        .map(|m| (m.component_id.clone(), ComponentId::generate()))
        .chain(
            bound
                .iter()
                .map(|(source, c)| (source.clone(), c.id.clone())),
        )
        .collect();
    let rewired: BTreeMap<String, String> = ids
        .iter()
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .collect();
    db::browse::lock_folder(conn, &folder.id)?;
    let local_name = v::clean_name(&input.local_name);
    let wanted: Vec<&str> = manifest
        .iter()
        .map(|m| {
            if m.is_root {
                local_name.as_str()
            } else {
                m.name.as_str()
            }
        })
        .collect();
    let names = copy_names(conn, &folder.id, &wanted)?;
    let installation_id = InstallationId::generate();
    let summary = format!(
        "Installed from {} version {}",
        process.name, publication.sequence
    );
    let mut prepared = Vec::with_capacity(manifest.len());
    for (m, name) in manifest.iter().zip(names) {
        let copy_id = &ids[&m.component_id];
        let mut body = Body::from_json(&m.body).map_err(AppError::Internal)?;
        body.rewire(&rewired);
        for (_, sealed) in body.secrets_mut() {
            *sealed = if publication.include_passwords {
                sealer.reseal(
                    sealed,
                    (&process.account_id, &m.component_id),
                    (caller.account_id(), copy_id),
                )?
            } else {
                String::new()
            };
        }
        if let Body::Connection { password, .. } = &mut body
            && password.as_deref() == Some("")
        {
            *password = None;
        }
        prepared.push((copy_id.clone(), name, body));
    }
    let rows: Vec<components::NewRow<'_>> = manifest
        .iter()
        .zip(&prepared)
        .map(|(m, (id, name, body))| components::NewRow {
            id,
            folder_id: &folder.id,
            name,
            description: &m.description,
            body,
            summary: &summary,
        })
        .collect();
    components::insert_rows(conn, caller, &rows)?;
    // The name the copy got (a number is added when the folder already holds the one asked).
    let local_name = manifest
        .iter()
        .zip(&prepared)
        .find(|(m, _)| m.is_root)
        .map_or(local_name, |(_, (_, name, _))| name.clone());
    let root_copy = manifest
        .iter()
        .find(|m| m.is_root)
        .map(|m| ids[&m.component_id].clone())
        .unwrap_or_default();
    let mut copies: Vec<InstalledComponent> = manifest
        .iter()
        .map(|m| InstalledComponent {
            installation_id: installation_id.clone(),
            source_component_id: m.component_id.clone(),
            copy_component_id: ids[&m.component_id].clone(),
            source_revision: m.revision,
            copy_revision: 1,
            bound: false,
        })
        .collect();
    copies.extend(bound.iter().map(|(source, existing)| InstalledComponent {
        installation_id: installation_id.clone(),
        source_component_id: source.clone(),
        copy_component_id: existing.id.clone(),
        source_revision: 0,
        copy_revision: existing.revision,
        bound: true,
    }));
    let installation = Installation {
        id: installation_id,
        account_id: caller.account_id().clone(),
        publication_id: publication.id.clone(),
        published_process_id: process.id.clone(),
        sequence: publication.sequence,
        folder_id: folder.id.clone(),
        root_component_id: root_copy,
        local_name,
        include_passwords: publication.include_passwords,
        idempotency_key: input.idempotency_key.clone(),
        installed_by: Some(caller.email().to_owned()),
        installed_at: db::now(),
    };
    db::browse::insert(conn, &installation, &copies)?;
    db::browse::count_install(conn, &process.id)?;
    audit::record(
        conn,
        &By::from(caller),
        Entry {
            account_id: Some(caller.account_id()),
            action: Action::Installed,
            target_type: "installation",
            target_id: Some(&installation.id),
            summary: format!(
                "{} version {} installed as {} ({}{})",
                process.name,
                publication.sequence,
                installation.local_name,
                crate::domain::text::count(manifest.len(), "component", "components"),
                if bound.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", {} of the account used",
                        crate::domain::text::count(bound.len(), "connection", "connections")
                    )
                }
            ) + &input
                .on_behalf_of
                .as_ref()
                .map(|partner| format!(" by {partner} on the account's behalf"))
                .unwrap_or_default(),
        },
    )?;
    Ok(installation)
}

/// An installation of the caller's account, with its process.
/// How many installations the account made, and its latest `limit`, newest first (Build Read
/// Access).
pub fn latest(ctx: &Ctx, limit: i64) -> Result<(i64, Vec<Installation>), AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| db::overview::latest_installations(conn, caller.account_id(), limit))
}

pub fn installation(
    ctx: &Ctx,
    id: &InstallationId,
) -> Result<(Installation, PublishedProcess), AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| {
        let installation = db::browse::find_for_account(conn, caller.account_id(), id)?
            .ok_or(AppError::NotFound)?;
        // The partner's process, or the platform publisher's.
        let process = db::library::find_process(conn, &installation.published_process_id)?
            .ok_or(AppError::NotFound)?;
        Ok((installation, process))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_names_get_the_next_number() {
        let mut taken: BTreeSet<String> =
            ["sync accounts".to_owned(), "sync accounts 2".to_owned()].into();
        assert_eq!(unique_name(&mut taken, "Sync Accounts"), "Sync Accounts 3");
        assert_eq!(unique_name(&mut taken, "Sync Accounts"), "Sync Accounts 4");
        assert_eq!(unique_name(&mut taken, "Other"), "Other");
    }
}
