//! A component's life outside saving: create (optionally from a template), copy (secrets
//! re-sealed), delete when nothing references it. Must not depend on the web layer.

use crate::db::ids::*;

use super::saving::{NewRow, insert_new};
use super::{NewComponent, find};
use crate::db;
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::build::{Body, ComponentType};
use crate::domain::component_rules::check_header;
use crate::domain::validation::{self as v, FieldErrors};
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::audit::{self, By, Entry};

/// Creates a component in a folder; a process may start from a template (a copy of another
/// process's shapes, pointing at the same components).
pub fn create(ctx: &Ctx, input: &NewComponent) -> Result<ComponentId, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let mut errors = FieldErrors::new();
        check_header(&mut errors, &input.name, &input.description);
        let kind = ComponentType::from_code(&input.component_type);
        if kind.is_none() {
            errors.add("type", "Choose a type.");
        }
        if db::build::find_folder_for_account(conn, caller.account_id(), &input.folder_id)?
            .is_none()
        {
            errors.add("folder", "Choose a folder.");
        }
        let mut body = kind.map(Body::empty);
        if !input.template_id.is_empty() {
            match (
                kind,
                db::build::find_component_for_account(
                    conn,
                    caller.account_id(),
                    &ComponentId::from(&input.template_id),
                )?,
            ) {
                (Some(ComponentType::Process), Some(t))
                    if t.component_type == ComponentType::Process.code() =>
                {
                    body = Some(Body::from_json(&t.body).map_err(AppError::Internal)?);
                }
                (Some(ComponentType::Process), _) => {
                    errors.add("template", "Choose a process of this account.")
                }
                _ => errors.add("template", "Only a process can start from a template."),
            }
        }
        errors.into_result()?;
        let body = body.ok_or_else(|| AppError::invalid("type", "Choose a type."))?;
        let id = ComponentId::generate();
        insert_new(
            conn,
            caller,
            NewRow {
                id: &id,
                folder_id: &input.folder_id,
                name: &v::clean_name(&input.name),
                description: input.description.trim(),
                body: &body,
                summary: "Created",
            },
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::ComponentCreated,
                target_type: "component",
                target_id: Some(&id),
                summary: format!(
                    "{} {} created",
                    body.component_type().label(),
                    input.name.trim()
                ),
            },
        )?;
        Ok(id)
    })
}

/// Copies a component into the same folder as "Copy of NAME" (secrets re-sealed for the copy).
pub fn copy(ctx: &Ctx, id: &ComponentId) -> Result<ComponentId, AppError> {
    let caller = ctx.caller();
    let sealer = ctx.sealer();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let source = find(conn, caller, id)?;
        let mut body = Body::from_json(&source.body).map_err(AppError::Internal)?;
        let copy_id = ComponentId::generate();
        for (_, sealed) in body.secrets_mut() {
            *sealed = sealer.reseal(
                sealed,
                (caller.account_id(), &source.id),
                (caller.account_id(), &copy_id),
            )?;
        }
        let name: String = format!("Copy of {}", source.name)
            .chars()
            .take(100)
            .collect();
        insert_new(
            conn,
            caller,
            NewRow {
                id: &copy_id,
                folder_id: &source.folder_id,
                name: &name,
                description: &source.description,
                body: &body,
                summary: &format!("Copied from {}", source.name),
            },
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::ComponentCopied,
                target_type: "component",
                target_id: Some(&copy_id),
                summary: format!("{} copied as {name}", source.name),
            },
        )?;
        Ok(copy_id)
    })
}

/// Deletes a component that no live component references (the refusal names them).
pub fn delete(ctx: &Ctx, id: &ComponentId) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let component = find(conn, caller, id)?;
        crate::services::pack_instances::ensure_not_in_pack(conn, &component.id)?;
        let referrers: Vec<String> =
            db::build::list_referrers(conn, &component.account_id, &component.id)?
                .into_iter()
                .filter(|r| r.id != component.id)
                .map(|r| r.name)
                .collect();
        if !referrers.is_empty() {
            return Err(AppError::Conflict(format!(
                "{} cannot be deleted: it is used by {}.",
                component.name,
                referrers.join(", ")
            )));
        }
        db::build::mark_component_deleted(conn, &component, db::now())?;
        db::build::replace_refs(conn, caller.account_id(), &component.id, &[])?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::ComponentDeleted,
                target_type: "component",
                target_id: Some(&component.id),
                summary: format!("{} deleted", component.name),
            },
        )?;
        Ok(component.name)
    })
}
