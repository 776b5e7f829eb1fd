//! A managed account's installed integration packs: install (one instance of a Single
//! attachment pack, named instances of a Multiple one) into a folder named after it, the
//! instances and their components, which stay read-only.

use std::collections::BTreeMap;

use crate::db::browse::Installation;
use crate::db::build::{Component, Folder};
use crate::db::ids::{ComponentId, FolderId, PackId};
use crate::db::pack_instances::PackInstance;
use crate::db::packs::{IntegrationPack, PackRelease};
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::build::{Body, ComponentType, PropertyKind};
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::audit::{self, By, Entry};
use crate::services::browse::install::{self, InstallInput};
use crate::services::build::components::{self, Rewrite};
use crate::services::{Caller, Ctx};

/// An installed instance with its pack and the release it runs.
pub type Installed = (PackInstance, IntegrationPack, PackRelease);

/// The pack the caller's account may install: its partner shares it through a group holding
/// the account, and it has a release in effect (404 otherwise); with that release.
fn available_pack(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &PackId,
    now: chrono::NaiveDateTime,
) -> Result<(IntegrationPack, PackRelease), AppError> {
    let primary = crate::services::browse::primary_of(conn, caller)?.ok_or(AppError::NotFound)?;
    let groups = db::browse::visible_groups(conn, caller.account_id(), &primary)?;
    let pack = db::packs::list_shared(conn, &primary, &groups)?
        .into_iter()
        .find(|p| &p.id == id)
        .ok_or(AppError::NotFound)?;
    let release = db::packs::list_releases(conn, &pack.id)?
        .into_iter()
        .find(|r| r.released(now))
        .ok_or(AppError::NotFound)?;
    Ok((pack, release))
}

/// The pack and release the *Install* form is for.
pub fn form(ctx: &Ctx, id: &PackId) -> Result<(IntegrationPack, PackRelease), AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    let now = ctx.now();
    ctx.read(|conn| available_pack(conn, caller, id, now))
}

/// A folder named `wanted` (numbered when taken) in the account's root folder.
fn instance_folder(
    conn: &mut DbConnection,
    caller: &Caller,
    wanted: &str,
) -> Result<Folder, AppError> {
    let root = db::build::find_root_folder(conn, caller.account_id())?.ok_or(AppError::NotFound)?;
    let taken: Vec<String> = db::build::list_folders(conn, caller.account_id())?
        .into_iter()
        .filter(|f| f.parent_id.as_ref() == Some(&root.id))
        .map(|f| f.name_key)
        .collect();
    let mut name = wanted.to_owned();
    let mut n = 2;
    while taken.contains(&name_key(&name)) {
        name = format!("{wanted} {n}");
        n += 1;
    }
    let id = crate::services::build::folders::create_in(conn, caller, &root, &name)?;
    db::build::find_folder_for_account(conn, caller.account_id(), &FolderId::from(&id))?
        .ok_or(AppError::NotFound)
}

/// Installs the pack's release in effect into a new folder named after the pack (Single
/// attachment) or the instance (Multiple, *Instance Name* required and unique), one
/// installation per member, in one transaction. A second instance of a Single attachment
/// pack answers 409, also when two installs race (the database holds one per account).
pub fn install(ctx: &Ctx, id: &PackId, instance_name: &str) -> Result<String, AppError> {
    let caller = ctx.caller();
    let sealer = ctx.sealer();
    caller.require(Privilege::BuildWrite)?;
    let now = ctx.now();
    ctx.write(|conn| {
        // One install into an account at a time: a racing second install of the same pack sees
        // the first's instance (and the unique index holds should anything else slip by).
        db::browse::lock_account_installs(conn, caller.account_id())?;
        let (pack, release) = available_pack(conn, caller, id, now)?;
        let name = if pack.multiple() {
            let name = v::clean_name(instance_name);
            let mut errors = FieldErrors::new();
            errors.check("instance_name", v::required_text("Instance Name", &name, 100));
            errors.into_result()?;
            name
        } else {
            pack.name.clone()
        };
        if db::pack_instances::taken(conn, caller.account_id(), &pack, &name_key(&name))? {
            return Err(if pack.multiple() {
                AppError::invalid(
                    "instance_name",
                    "An instance of this pack already has this name.",
                )
            } else {
                AppError::Conflict(format!(
                    "{} is installed in this account already: a Single attachment pack is installed once.",
                    pack.name
                ))
            });
        }
        let folder = instance_folder(conn, caller, &name)?;
        let instance = PackInstance {
            id: db::new_id(),
            account_id: caller.account_id().clone(),
            pack_id: pack.id.clone(),
            name_key: name_key(&name),
            instance_name: name.clone(),
            single_key: (!pack.multiple()).then(|| pack.id.to_string()),
            folder_id: folder.id.clone(),
            release_id: release.id.clone(),
            installed_by: Some(caller.email().to_owned()),
            installed_at: db::now(),
        };
        // First, so that a racing second install of a Single attachment pack fails here.
        db::pack_instances::insert(conn, &instance)?;
        for (process_id, publication_id) in db::pack_instances::release_items(conn, &release.id)? {
            let process =
                db::library::find_process(conn, &process_id)?.ok_or(AppError::NotFound)?;
            let publication = db::library::find_publication_for_account(
                conn,
                &process.account_id,
                &publication_id,
            )?
            .ok_or(AppError::NotFound)?;
            let installation = install::copy_publication(
                conn,
                sealer,
                caller,
                &process,
                &publication,
                &folder,
                &InstallInput {
                    folder_id: folder.id.clone(),
                    new_folder: String::new(),
                    local_name: process.name.clone(),
                    idempotency_key: format!("{}:{}", instance.id, process.id),
                    bindings: Default::default(),
                    on_behalf_of: None,
                },
            )?;
            db::pack_instances::attach(conn, &installation.id, &instance.id)?;
        }
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::PackInstalled,
                target_type: "pack_instance",
                target_id: Some(&instance.id),
                summary: format!(
                    "Integration pack {} release {} installed as {}",
                    pack.name, release.sequence, instance.instance_name
                ),
            },
        )?;
        Ok(instance.id)
    })
}

/// The account's installed packs (Build Read Access).
pub fn installed(ctx: &Ctx) -> Result<Vec<Installed>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| db::pack_instances::list_for_account(conn, caller.account_id()))
}

/// One installed instance of the account with its members' installations.
pub fn instance(ctx: &Ctx, id: &str) -> Result<(Installed, Vec<Installation>), AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| {
        let found = db::pack_instances::find_for_account(conn, caller.account_id(), id)?
            .ok_or(AppError::NotFound)?;
        let installations = db::pack_instances::installations_of(conn, &found.0.id)?;
        Ok((found, installations))
    })
}

/// Refuses (409) a change to a component of an installed integration pack: it changes only
/// through its pack's releases and its instance's *Extensions*.
pub fn ensure_not_in_pack(
    conn: &mut DbConnection,
    component: &ComponentId,
) -> Result<(), AppError> {
    match db::pack_instances::pack_of_component(conn, component)? {
        Some((pack, _)) => Err(AppError::Conflict(format!(
            "This component is part of integration pack {pack}; change its extensions."
        ))),
        None => Ok(()),
    }
}

/// What an instance's *Extensions* can set on one of its components.
#[derive(Debug, Clone)]
pub enum Extension {
    Connection {
        component: Component,
        url: String,
        username: String,
        /// Whether a password is set (it is never shown).
        has_password: bool,
    },
    /// A process property component: each property's name, whether it is a secret, its value
    /// (empty for a secret) and whether a secret is set.
    Properties {
        component: Component,
        properties: Vec<(String, bool, String, bool)>,
    },
}

/// The values the *Extensions* form sends, by component id: connection fields, and property
/// values by position (a secret left empty keeps its value).
#[derive(Debug, Clone, Default)]
pub struct ExtensionsInput {
    pub url: BTreeMap<String, String>,
    pub username: BTreeMap<String, String>,
    pub password: BTreeMap<String, String>,
    pub properties: BTreeMap<(String, usize), String>,
}

/// The copies of an instance's members that extensions apply to (its connections and process
/// properties, never a connection of the account bound at install), by name.
fn extensible(
    conn: &mut DbConnection,
    caller: &Caller,
    instance: &str,
) -> Result<Vec<Component>, AppError> {
    let mut ids = Vec::new();
    for installation in db::pack_instances::installations_of(conn, instance)? {
        for copy in db::browse::list_installed_components(conn, &installation.id)? {
            if !copy.bound && !ids.contains(&copy.copy_component_id) {
                ids.push(copy.copy_component_id);
            }
        }
    }
    let mut components: Vec<Component> =
        db::build::list_components_by_ids(conn, caller.account_id(), &ids)?
            .into_iter()
            .filter(|c| {
                c.deleted_at.is_none()
                    && (c.component_type == ComponentType::Connection.code()
                        || c.component_type == ComponentType::ProcessProperty.code())
            })
            .collect();
    components.sort_by(|a, b| a.name_key.cmp(&b.name_key));
    Ok(components)
}

/// An instance's *Extensions* (Build Read Access).
pub fn extensions(ctx: &Ctx, id: &str) -> Result<(Installed, Vec<Extension>), AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| {
        let found = db::pack_instances::find_for_account(conn, caller.account_id(), id)?
            .ok_or(AppError::NotFound)?;
        let mut out = Vec::new();
        for component in extensible(conn, caller, &found.0.id)? {
            match Body::from_json(&component.body).map_err(AppError::Internal)? {
                Body::Connection {
                    url,
                    username,
                    password,
                    ..
                } => out.push(Extension::Connection {
                    url,
                    username,
                    has_password: password.is_some_and(|p| !p.is_empty()),
                    component,
                }),
                Body::ProcessProperty { properties } => out.push(Extension::Properties {
                    properties: properties
                        .into_iter()
                        .map(|p| {
                            let secret = p.kind == PropertyKind::Password;
                            let set = !p.value.is_empty();
                            let shown = if secret { String::new() } else { p.value };
                            (p.name, secret, shown, set)
                        })
                        .collect(),
                    component,
                }),
                _ => {}
            }
        }
        Ok((found, out))
    })
}

/// *Save Extensions*: writes the values onto the instance's copies (the only way they
/// change besides a release, which keeps them); secrets are sealed for the account and an
/// empty one keeps its value. Checked like every body; one transaction, audited.
pub fn save_extensions(ctx: &Ctx, id: &str, input: &ExtensionsInput) -> Result<usize, AppError> {
    let caller = ctx.caller();
    let sealer = ctx.sealer();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let (instance, pack, _) =
            db::pack_instances::find_for_account(conn, caller.account_id(), id)?
                .ok_or(AppError::NotFound)?;
        db::pack_instances::lock(conn, &instance.id)?;
        let mut errors = FieldErrors::new();
        let mut rewrites: Vec<(Component, Body)> = Vec::new();
        for component in extensible(conn, caller, &instance.id)? {
            let key = component.id.to_string();
            let mut body = Body::from_json(&component.body).map_err(AppError::Internal)?;
            let before = body.clone();
            match &mut body {
                Body::Connection {
                    url,
                    username,
                    password,
                    ..
                } => {
                    if let Some(new) = input.url.get(&key) {
                        *url = new.trim().to_owned();
                    }
                    if let Some(new) = input.username.get(&key) {
                        *username = new.trim().to_owned();
                    }
                    if let Some(new) = input.password.get(&key).filter(|p| !p.is_empty()) {
                        *password = Some(sealer.seal(new, caller.account_id(), &component.id)?);
                    }
                }
                Body::ProcessProperty { properties } => {
                    for (i, property) in properties.iter_mut().enumerate() {
                        let Some(new) = input.properties.get(&(key.clone(), i)) else {
                            continue;
                        };
                        if property.kind == PropertyKind::Password {
                            if !new.is_empty() {
                                property.value =
                                    sealer.seal(new, caller.account_id(), &component.id)?;
                            }
                        } else {
                            property.value = new.clone();
                        }
                    }
                }
                _ => {}
            }
            if body != before {
                // The same rules as any save of the component.
                let mut body_errors = FieldErrors::new();
                crate::domain::component_rules::check_body(&mut body_errors, &body);
                for (_, message) in body_errors.iter() {
                    errors.also("extensions", format!("{}: {message}", component.name));
                }
                rewrites.push((component, body));
            }
        }
        errors.into_result()?;
        let rows: Vec<Rewrite<'_>> = rewrites
            .iter()
            .map(|(component, body)| Rewrite {
                component,
                description: &component.description,
                body,
                summary: format!("Extensions of {} saved", instance.instance_name),
            })
            .collect();
        components::rewrite_rows(conn, caller, &rows)?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::PackExtensionsSaved,
                target_type: "pack_instance",
                target_id: Some(&instance.id),
                summary: format!(
                    "Extensions of {} ({}) saved: {}",
                    instance.instance_name,
                    pack.name,
                    crate::domain::text::count(rows.len(), "component", "components")
                ),
            },
        )?;
        Ok(rows.len())
    })
}

/// *Uninstall*: removes the instance's components (their secrets, its extensions, blanked
/// first), its installations and the instance, and its folder when nothing else is in it.
/// Refused (409, naming them) while components of the account's own refer to them.
pub fn uninstall(ctx: &Ctx, id: &str) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let (instance, pack, _) =
            db::pack_instances::find_for_account(conn, caller.account_id(), id)?
                .ok_or(AppError::NotFound)?;
        db::pack_instances::lock(conn, &instance.id)?;
        let installations = db::pack_instances::installations_of(conn, &instance.id)?;
        let mut copies: Vec<ComponentId> = Vec::new();
        for installation in &installations {
            copies.extend(
                db::browse::list_installed_components(conn, &installation.id)?
                    .into_iter()
                    .filter(|c| !c.bound)
                    .map(|c| c.copy_component_id),
            );
        }
        let components: Vec<Component> =
            db::build::list_components_by_ids(conn, caller.account_id(), &copies)?
                .into_iter()
                .filter(|c| c.deleted_at.is_none())
                .collect();
        let mut users: Vec<String> = Vec::new();
        for component in &components {
            for referrer in db::build::list_referrers(conn, caller.account_id(), &component.id)? {
                if !copies.contains(&referrer.id) && !users.contains(&referrer.name) {
                    users.push(referrer.name);
                }
            }
        }
        if !users.is_empty() {
            users.sort();
            return Err(AppError::Conflict(format!(
                "{} of this account still {} components of {}: change {} first.",
                users.join(", "),
                if users.len() == 1 { "uses" } else { "use" },
                instance.instance_name,
                if users.len() == 1 { "it" } else { "them" },
            )));
        }
        let now = db::now();
        for component in &components {
            let mut body = Body::from_json(&component.body).map_err(AppError::Internal)?;
            crate::domain::merge::blank_secrets(&mut body);
            db::build::update_component(
                conn,
                component,
                &db::build::ComponentChanges {
                    folder_id: &component.folder_id,
                    name: &component.name,
                    name_key: &component.name_key,
                    description: &component.description,
                    revision: component.revision,
                    body: &body.to_json(),
                    updated_at: now,
                    updated_by: Some(caller.email()),
                },
            )?;
            db::build::mark_component_deleted(conn, component, now)?;
        }
        for installation in &installations {
            db::pack_instances::delete_installation(conn, &installation.id)?;
        }
        db::pack_instances::delete(conn, &instance.id)?;
        if let Some(folder) =
            db::build::find_folder_for_account(conn, caller.account_id(), &instance.folder_id)?
            && folder.parent_id.is_some()
            && db::build::count_folder_contents(conn, &folder.id)? == 0
        {
            if let Some(parent) = folder.parent_id.clone()
                && db::build::folder_has_any_component(conn, &folder.id)?
            {
                db::build::move_deleted_components(conn, &folder.id, &parent)?;
            }
            db::build::delete_folder(conn, &folder)?;
        }
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::PackUninstalled,
                target_type: "pack_instance",
                target_id: Some(&instance.id),
                summary: format!(
                    "Integration pack {} ({}) uninstalled: {} removed",
                    pack.name,
                    instance.instance_name,
                    crate::domain::text::count(components.len(), "component", "components")
                ),
            },
        )?;
        Ok(instance.instance_name)
    })
}
