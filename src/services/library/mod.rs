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

use crate::db::library::PublishedProcess;

/// The absolute share link of a published process (its page in a managed account's library).
pub fn share_link(public_url: &str, process: &PublishedProcess) -> String {
    format!(
        "{}/build/library/{}",
        public_url.trim_end_matches('/'),
        process.id
    )
}
