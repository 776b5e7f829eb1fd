//! The primary account's process library: the publisher profile, published processes and
//! their append-only publications, and comparisons between versions.

pub mod analytics;
pub mod audience;
pub mod compare;
pub mod deprecation;
pub mod install_for;
pub mod legacy;
pub mod manage;
pub mod publisher;
pub mod publishing;
pub mod tagging;

use std::collections::BTreeMap;

use crate::db::browse::Installation;
use crate::db::ids::{AccountId, ComponentId};
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

/// The rows of a publisher's installs with the name it may see of each installing account:
/// its own managed accounts by name; another partner (installing what the platform publisher
/// shares with everyone) by its name, and that partner's customers only as "An account of
/// PARTNER", never by name.
pub(crate) fn named_for_publisher(
    conn: &mut DbConnection,
    publisher: &AccountId,
    rows: Vec<(Installation, String, Option<AccountId>)>,
) -> Result<Vec<(Installation, String)>, AppError> {
    let mut partners: BTreeMap<AccountId, String> = BTreeMap::new();
    let mut named = Vec::with_capacity(rows.len());
    for (installation, name, parent) in rows {
        let shown = match parent {
            Some(parent) if &parent != publisher => {
                if !partners.contains_key(&parent) {
                    let partner = db::accounts::get_account(conn, &parent)?.name;
                    partners.insert(parent.clone(), partner);
                }
                format!(
                    "An account of {}",
                    partners.get(&parent).map_or("", String::as_str)
                )
            }
            _ => name,
        };
        named.push((installation, shown));
    }
    Ok(named)
}

/// The absolute share link of a published process (its page in a managed account's library).
pub fn share_link(public_url: &str, process: &PublishedProcess) -> String {
    format!(
        "{}/build/library/{}",
        public_url.trim_end_matches('/'),
        process.id
    )
}
