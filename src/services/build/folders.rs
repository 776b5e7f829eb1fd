//! Folders: a tree per account whose root carries the account's name.

use crate::db::ids::*;
use std::sync::Arc;

use super::folder_tree::FolderTree;
use super::{FolderOption, folder_tree};
use crate::db::build::Folder;
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Ctx;
use crate::services::audit::{self, By, Entry};
use crate::services::cache::Tagged;

/// Creates the root folder of an account when it has none; returns its id.
pub fn ensure_root(
    conn: &mut DbConnection,
    account_id: &AccountId,
    account_name: &str,
) -> Result<FolderId, AppError> {
    if let Some(root) = db::build::find_root_folder(conn, account_id)? {
        return Ok(root.id);
    }
    let id = FolderId::generate();
    db::build::insert_folder(
        conn,
        &Folder {
            id: id.clone(),
            account_id: account_id.to_owned(),
            parent_id: None,
            name: account_name.to_owned(),
            name_key: name_key(account_name),
            created_at: db::now(),
        },
    )?;
    Ok(id)
}

/// The account's folders as a tree (Build Read Access).
pub fn list(ctx: &Ctx) -> Result<Vec<FolderOption>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| {
        Ok(folder_tree(&db::build::list_folders(
            conn,
            caller.account_id(),
        )?))
    })
}

/// The account's folder tree as of `generation`, from the cache when it is that recent
/// (Build Read Access).
pub fn tree(ctx: &Ctx) -> Result<Arc<Tagged<FolderTree>>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.cached(
        |c| &c.folders,
        caller.account_id(),
        || {
            ctx.read(|conn| {
                Ok(FolderTree::new(&db::build::list_folders(
                    conn,
                    caller.account_id(),
                )?))
            })
        },
    )
}

/// A folder of the caller's account (404 otherwise).
pub fn get(conn: &mut DbConnection, caller: &Caller, id: &FolderId) -> Result<Folder, AppError> {
    db::build::find_folder_for_account(conn, caller.account_id(), id)?.ok_or(AppError::NotFound)
}

pub(crate) fn check_name(
    conn: &mut DbConnection,
    parent_id: &str,
    name: &str,
    except_id: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    errors.check("name", v::required_text("Name", name, 100));
    if name.contains('/') {
        errors.add("name", "Name cannot contain a slash.");
    }
    if errors.is_empty()
        && db::build::folder_name_taken(conn, parent_id, &name_key(name), except_id)?
    {
        errors.add("name", "A folder with this name already exists there.");
    }
    Ok(errors.into_result()?)
}

/// Creates a folder inside another (Build Read and Write Access).
pub fn create(ctx: &Ctx, parent_id: &FolderId, name: &str) -> Result<FolderId, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let parent = db::build::find_folder_for_account(conn, caller.account_id(), parent_id)?
            .ok_or_else(|| AppError::invalid("parent", "Choose a folder."))?;
        create_in(conn, caller, &parent, name)
    })
}

/// Creates a folder inside `parent` within a transaction already open.
pub fn create_in(
    conn: &mut DbConnection,
    caller: &Caller,
    parent: &Folder,
    name: &str,
) -> Result<FolderId, AppError> {
    let clean = v::clean_name(name);
    let name = clean.as_str();
    check_name(conn, &parent.id, name, "")?;
    let id = FolderId::generate();
    db::build::insert_folder(
        conn,
        &Folder {
            id: id.clone(),
            account_id: caller.account_id().clone(),
            parent_id: Some(parent.id.clone()),
            name: name.to_owned(),
            name_key: name_key(name),
            created_at: db::now(),
        },
    )?;
    audit::record(
        conn,
        &By::from(caller),
        Entry {
            account_id: Some(caller.account_id()),
            action: Action::FolderCreated,
            target_type: "folder",
            target_id: Some(&id),
            summary: format!("Folder {name} created in {}", parent.name),
        },
    )?;
    Ok(id)
}

/// Renames a folder; the root keeps the account's name.
pub fn rename(ctx: &Ctx, id: &FolderId, name: &str) -> Result<(), AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let folder = get(conn, caller, id)?;
        let Some(parent_id) = folder.parent_id.clone() else {
            return Err(AppError::invalid(
                "name",
                "The root folder carries the account's name.",
            ));
        };
        let clean = v::clean_name(name);
        let name = clean.as_str();
        check_name(conn, &parent_id, name, &folder.id)?;
        db::build::rename_folder(conn, &folder, name, &name_key(name))?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::FolderRenamed,
                target_type: "folder",
                target_id: Some(&folder.id),
                summary: format!("Folder {} renamed to {name}", folder.name),
            },
        )
    })
}

/// Deletes an empty folder (no sub-folder, no live component); returns its name.
pub fn delete(ctx: &Ctx, id: &FolderId) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let folder = get(conn, caller, id)?;
        let Some(parent_id) = folder.parent_id.clone() else {
            return Err(AppError::Conflict(
                "The root folder cannot be deleted.".to_owned(),
            ));
        };
        if db::build::count_folder_contents(conn, &folder.id)? > 0 {
            return Err(AppError::Conflict(format!(
                "The folder {} is not empty: move or delete what it holds first.",
                folder.name
            )));
        }
        if db::build::folder_has_any_component(conn, &folder.id)? {
            db::build::move_deleted_components(conn, &folder.id, &parent_id)?;
        }
        db::build::delete_folder(conn, &folder)?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::FolderDeleted,
                target_type: "folder",
                target_id: Some(&folder.id),
                summary: format!("Folder {} deleted", folder.name),
            },
        )?;
        Ok(folder.name)
    })
}
