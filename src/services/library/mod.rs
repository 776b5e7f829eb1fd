//! The primary account's process library: the publisher profile, published processes and
//! their append-only publications, and comparisons between versions.

pub mod analytics;
pub mod audience;
pub mod compare;
pub mod deprecation;
pub mod install_for;
pub mod manage;
pub mod publisher;
pub mod publishing;

use crate::db::ids::ComponentId;
use crate::db::library::PublishedProcess;
use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::services::Caller;

/// The caller's published process (not an API service) of a component: what Deprecate, Install
/// for Accounts, Who Can See This and install analytics act on; 404 otherwise.
pub(crate) fn published_process(
    conn: &mut DbConnection,
    caller: &Caller,
    component_id: &ComponentId,
) -> Result<PublishedProcess, AppError> {
    db::library::find_process_by_component(conn, caller.account_id(), component_id)?
        .filter(|p| p.component_type == "process")
        .ok_or(AppError::NotFound)
}

/// The absolute share link of a published process (its page in a managed account's library).
pub fn share_link(public_url: &str, process: &PublishedProcess) -> String {
    format!(
        "{}/build/library/{}",
        public_url.trim_end_matches('/'),
        process.id
    )
}
