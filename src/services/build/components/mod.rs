//! Components: the form types, reads (a component's page, the Build list) and, re-exported,
//! create, save, copy and delete. Depends on services and the database, never on the web layer.

mod lifecycle;
mod references;
mod saving;
mod secrets;

use crate::db::ids::*;
use std::sync::Arc;

use super::{FolderOption, folder_tree};
use crate::db::build::{Component, ComponentSummary, Revision};
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::build::{Body, ComponentType};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Ctx;
use crate::services::cache::Tagged;

pub use lifecycle::{copy, create, delete};
pub use saving::{
    Header, NewRow, Rewrite, commit, insert_new, insert_rows, rewrite_rows, save, update_body,
};

/// The New Component form.
#[derive(Debug, Clone, Default)]
pub struct NewComponent {
    pub name: String,
    pub component_type: String,
    pub folder_id: FolderId,
    pub description: String,
    pub template_id: String,
}

/// A secret slot of a body as a form sends it: keep the old value, clear it, or set a new one.
#[derive(Debug, Clone, Default)]
pub struct SecretInput {
    /// Which secret of the saved body this slot carries on (its position), if any.
    pub origin: Option<usize>,
    pub new_value: String,
    pub clear: bool,
}

/// A body as a form sends it: secret fields empty, their edits beside.
#[derive(Debug, Clone)]
pub struct BodyDraft {
    pub body: Body,
    /// One per secret slot: the connection's password, or each property in order.
    pub secrets: Vec<SecretInput>,
}

/// The component form: header fields and the body.
#[derive(Debug, Clone)]
pub struct SaveComponent {
    pub name: String,
    pub folder_id: FolderId,
    pub description: String,
    pub revision: i32,
    /// `None` keeps the body as it is (a process's shapes are changed by their own forms).
    pub draft: Option<BodyDraft>,
}

/// Everything the component page shows.
#[derive(Debug, Clone)]
pub struct ComponentDetails {
    pub component: Component,
    pub kind: ComponentType,
    pub body: Body,
    pub folder_path: String,
    pub folders: Vec<FolderOption>,
    pub revisions: Vec<Revision>,
    pub referrers: Vec<ComponentSummary>,
    /// Components of the account that this body may reference, by name.
    pub options: Vec<ComponentSummary>,
    /// Where the component came from, when it was installed from a library.
    pub lineage: Option<crate::services::browse::lineage::Lineage>,
}

fn find(conn: &mut DbConnection, caller: &Caller, id: &ComponentId) -> Result<Component, AppError> {
    db::build::find_component_for_account(conn, caller.account_id(), id)?.ok_or(AppError::NotFound)
}

fn kind_of(component: &Component) -> Result<ComponentType, AppError> {
    ComponentType::from_code(&component.component_type).ok_or_else(|| {
        AppError::internal(format!(
            "unknown component type {}",
            component.component_type
        ))
    })
}

/// Reads a component with what its page needs (Build Read Access).
pub fn details(ctx: &Ctx, id: &ComponentId) -> Result<ComponentDetails, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| {
        let component = find(conn, caller, id)?;
        let kind = kind_of(&component)?;
        let body = Body::from_json(&component.body).map_err(AppError::Internal)?;
        let folders = folder_tree(&db::build::list_folders(conn, caller.account_id())?);
        let folder_path = folders
            .iter()
            .find(|f| f.id == component.folder_id)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        let revisions = db::build::list_revisions(conn, &component.id, 20)?;
        let referrers = db::build::list_referrers(conn, &component.account_id, &component.id)?;
        let types = references::referencable(kind);
        let options = if types.is_empty() {
            Vec::new()
        } else {
            db::build::list_components_of_types(conn, caller.account_id(), &types)?
        };
        let lineage = crate::services::browse::lineage::of_component(conn, caller, &component)?;
        Ok(ComponentDetails {
            lineage,
            component,
            kind,
            body,
            folder_path,
            folders,
            revisions,
            referrers,
            options,
        })
    })
}

/// The Build page's list: one page of components as of `generation`, from memory when that
/// recent (Build Read Access).
pub fn list(
    ctx: &Ctx,
    filter: &db::build::ComponentFilter,
    limit: i64,
) -> Result<Arc<Tagged<Vec<ComponentSummary>>>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    let key = (caller.account_id().clone(), filter.clone(), limit);
    ctx.cached(
        |c| &c.component_pages,
        &key,
        || ctx.read(|conn| db::build::list_components(conn, caller.account_id(), filter, limit)),
    )
}

/// The processes of the account, for *Start from template*.
pub fn list_processes(ctx: &Ctx) -> Result<Vec<ComponentSummary>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| {
        db::build::list_components_of_types(
            conn,
            caller.account_id(),
            &[ComponentType::Process.code()],
        )
    })
}
