//! Deprecate and Undeprecate a published process: Browse hides it unless *Show deprecated* is
//! ticked, its View page and every installed copy say why and name its successor, and nothing
//! installed changes.

use crate::db::ids::*;
use crate::db::library::PublishedProcess;
use crate::db::{self, DbConnection};
use crate::domain::audit::Action;
use crate::domain::validation::{self as v, FieldErrors};
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::audit::{self, By, Entry};

/// What the Deprecate form shows: the process and the other processes that can succeed it.
pub struct DeprecateForm {
    pub process: PublishedProcess,
    pub successors: Vec<PublishedProcess>,
}

/// The Deprecate form's input.
#[derive(Debug, Clone, Default)]
pub struct DeprecateInput {
    pub successor: String,
    pub reason: String,
}

/// The form for a published process of the caller's account (Process Library privilege).
pub fn form(ctx: &Ctx, component_id: &ComponentId) -> Result<DeprecateForm, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| {
        let process = super::published_process(conn, caller, component_id)?;
        let successors =
            db::library::list_processes_except(conn, caller.account_id(), &process.id)?
                .into_iter()
                .filter(|p| !p.is_deprecated())
                .collect();
        Ok(DeprecateForm {
            process,
            successors,
        })
    })
}

/// Deprecates the process, or changes the reason and successor of a deprecated one.
pub fn deprecate(
    ctx: &Ctx,
    component_id: &ComponentId,
    input: &DeprecateInput,
) -> Result<PublishedProcess, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    let now = db::now();
    ctx.write(|conn| {
        // Two deprecations at once could otherwise name each other as successors.
        db::browse::lock_deprecations(conn, caller.account_id())?;
        let process = super::published_process(conn, caller, component_id)?;
        let reason = input.reason.trim();
        let mut errors = FieldErrors::new();
        errors.check("reason", v::required_text("Reason", reason, 500));
        errors.check("reason", v::prose("Reason", reason, 500));
        let successor = match input.successor.trim() {
            "" => None,
            id => {
                let found = db::library::find_process_for_account(
                    conn,
                    caller.account_id(),
                    &ProcessId::from(id),
                )?
                .filter(|p| p.id != process.id && p.component_type == "process");
                match found {
                    Some(p) if p.is_deprecated() => {
                        errors.add(
                            "successor",
                            "Choose a process that is not deprecated itself.",
                        );
                        None
                    }
                    Some(p) => Some(p),
                    None => {
                        errors.add(
                            "successor",
                            "Choose another published process of this account.",
                        );
                        None
                    }
                }
            }
        };
        errors.into_result()?;
        let since = process.deprecated_at.unwrap_or(now);
        db::library::set_deprecation(
            conn,
            &process.id,
            Some(since),
            reason,
            successor.as_ref().map(|s| &s.id),
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::Deprecated,
                target_type: "published_process",
                target_id: Some(&process.id),
                summary: match &successor {
                    Some(s) => format!("{} deprecated for {}: {reason}", process.name, s.name),
                    None => format!("{} deprecated: {reason}", process.name),
                },
            },
        )?;
        Ok(process)
    })
}

/// Makes a deprecated process current again.
pub fn undeprecate(ctx: &Ctx, component_id: &ComponentId) -> Result<PublishedProcess, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.write(|conn| {
        let process = super::published_process(conn, caller, component_id)?;
        if !process.is_deprecated() {
            return Ok(process);
        }
        db::library::set_deprecation(conn, &process.id, None, "", None)?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::Undeprecated,
                target_type: "published_process",
                target_id: Some(&process.id),
                summary: format!("{} is no longer deprecated", process.name),
            },
        )?;
        Ok(process)
    })
}

/// What a customer is told about a deprecated process: the reason, and the successor's name
/// with its id when the account can see it in its library.
#[derive(Debug, Clone)]
pub struct Notice {
    pub reason: String,
    pub successor_name: Option<String>,
    pub successor_visible: Option<ProcessId>,
}

/// The notice for a process as an account sees it (`visible` tells whether a process is in
/// the account's library).
pub fn notice(
    conn: &mut DbConnection,
    process: &PublishedProcess,
    visible: impl Fn(&mut DbConnection, &ProcessId) -> Result<bool, AppError>,
) -> Result<Option<Notice>, AppError> {
    if !process.is_deprecated() {
        return Ok(None);
    }
    let successor = match &process.successor_id {
        Some(id) => db::library::find_process_for_account(conn, &process.account_id, id)?,
        None => None,
    };
    let successor_visible = match &successor {
        Some(s) if visible(conn, &s.id)? => Some(s.id.clone()),
        _ => None,
    };
    Ok(Some(Notice {
        reason: process.deprecation_reason.clone(),
        successor_name: successor.map(|s| s.name),
        successor_visible,
    }))
}
