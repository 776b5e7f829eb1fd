//! A managed account's installed integration packs: install (one instance of a Single
//! attachment pack, named instances of a Multiple one) into a folder named after it, the
//! instances and their components, which stay read-only.

use crate::db::browse::Installation;
use crate::db::build::Folder;
use crate::db::ids::{ComponentId, FolderId, PackId};
use crate::db::pack_instances::PackInstance;
use crate::db::packs::{IntegrationPack, PackRelease};
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::audit::{self, By, Entry};
use crate::services::browse::install::{self, InstallInput};
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
