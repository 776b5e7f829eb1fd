//! Manage > Process Library as one read: a page of the packaged processes, the folder tree
//! that names their folders, and the selected process with its history and its installs.

use crate::db::ids::*;
use std::sync::Arc;

use crate::db::library::PackagedFilter;
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::browse::lineage::{self, PublisherInstalls};
use crate::services::build::folder_tree::FolderTree;
use crate::services::build::folders;
use crate::services::cache::Tagged;
use crate::services::library::publishing::{self, PackagedPage, Selected};

/// What the page shows.
pub struct ManageView {
    pub list: Arc<Tagged<PackagedPage>>,
    pub tree: Arc<Tagged<FolderTree>>,
    /// The selected process, its share state and a page of its history.
    pub selected: Option<Selected>,
    /// The selected process's installs, once it is published.
    pub installs: Option<PublisherInstalls>,
}

/// The page (Process Library privilege and feature): the list and the tree come from memory
/// when current; a selected process is always read.
pub fn page(
    ctx: &Ctx,
    filter: &PackagedFilter,
    limit: i64,
    selected: Option<&str>,
    below: Option<i32>,
) -> Result<ManageView, AppError> {
    let list = publishing::packaged_page(ctx, filter, limit)?;
    let tree = folders::tree(ctx)?;
    let selected = match selected {
        Some(id) => Some(publishing::selected(ctx, &ComponentId::from(id), below)?),
        None => None,
    };
    let installs = match selected.as_ref().and_then(|s| s.published.as_ref()) {
        Some(published) => Some(lineage::installs_of(ctx, &published.id)?),
        None => None,
    };
    Ok(ManageView {
        list,
        tree,
        selected,
        installs,
    })
}
