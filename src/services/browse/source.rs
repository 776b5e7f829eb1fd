//! Compare with source: how an installed copy differs, field by field, from the component of
//! the publication it was installed from (or last updated to).

use std::collections::BTreeMap;

use crate::db;
use crate::db::ids::*;
use crate::domain::accounts::Privilege;
use crate::domain::build::Body;
use crate::domain::merge::{self, Version};
use crate::error::AppError;
use crate::services::Ctx;

/// One field that differs between the source and the copy.
#[derive(Debug, Clone)]
pub struct FieldDifference {
    pub label: String,
    pub source: String,
    pub copy: String,
}

/// The comparison of a copy with its source.
#[derive(Debug, Clone)]
pub struct SourceComparison {
    pub component_id: ComponentId,
    pub name: String,
    pub process_name: String,
    pub sequence: i32,
    pub differences: Vec<FieldDifference>,
}

/// Compares an installed component of the caller's account with its source (Build Read
/// Access); 404 for components that were not installed.
pub fn compare_with_source(ctx: &Ctx, id: &ComponentId) -> Result<SourceComparison, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| {
        let component = db::build::find_component_for_account(conn, caller.account_id(), id)?
            .ok_or(AppError::NotFound)?;
        let (installation, process, copy) =
            db::browse::lineage(conn, &component.id)?.ok_or(AppError::NotFound)?;
        if installation.account_id != *caller.account_id() {
            return Err(AppError::NotFound);
        }
        let mut result = SourceComparison {
            component_id: component.id.clone(),
            name: component.name.clone(),
            process_name: process.name.clone(),
            sequence: installation.sequence,
            differences: Vec::new(),
        };
        let publication = db::library::find_publication_for_account(
            conn,
            &process.account_id,
            &installation.publication_id,
        )?
        .ok_or(AppError::NotFound)?;
        let manifest =
            db::deploy::list_manifest(conn, &process.account_id, &publication.package_id)?;
        let Some(source) = manifest
            .iter()
            .find(|m| m.component_id == copy.source_component_id)
        else {
            return Ok(result);
        };
        let installed = db::browse::list_installed_components(conn, &installation.id)?;
        let ids: BTreeMap<String, String> = installed
            .iter()
            .map(|i| {
                (
                    i.source_component_id.to_string(),
                    i.copy_component_id.to_string(),
                )
            })
            .collect();
        let mut body = Body::from_json(&source.body).map_err(AppError::Internal)?;
        body.rewire(&ids);
        let source_version = Version {
            description: source.description.clone(),
            body,
        };
        let copy_version = Version {
            description: component.description.clone(),
            body: Body::from_json(&component.body).map_err(AppError::Internal)?,
        };
        let copy_ids: Vec<ComponentId> = installed
            .iter()
            .map(|i| i.copy_component_id.clone())
            .collect();
        let names: BTreeMap<String, String> =
            db::build::list_components_by_ids(conn, caller.account_id(), &copy_ids)?
                .into_iter()
                .map(|c| (c.id.into_string(), c.name))
                .collect();
        let name_of = |id: &str| names.get(id).cloned();
        result.differences = merge::diff(&source_version, &copy_version)
            .into_iter()
            .map(|change| FieldDifference {
                label: merge::field_label(&change.key),
                source: merge::field_text(change.older.as_ref(), &name_of),
                copy: merge::field_text(change.newer.as_ref(), &name_of),
            })
            .collect();
        Ok(result)
    })
}
