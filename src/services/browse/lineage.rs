//! Lineage: where an installed copy came from and whether it was changed since, which
//! processes of an account came from the library, and the publisher's view of installs.

use crate::db::ids::*;
use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::db::browse::Installation;
use crate::db::build::Component;
use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::services::library::deprecation;
use crate::services::{Caller, Ctx};

/// Where an installed component came from.
#[derive(Debug, Clone)]
pub struct Lineage {
    pub installation_id: InstallationId,
    /// The installation's name for the process (the root copy's name when installed).
    pub local_name: String,
    pub process_id: ProcessId,
    pub process_name: String,
    pub sequence: i32,
    pub latest_sequence: i32,
    pub publisher: String,
    pub installed_at: NaiveDateTime,
    /// Saved since the installation or the last update.
    pub modified: bool,
    /// Set when the publisher deprecated the process.
    pub deprecation: Option<deprecation::Notice>,
}

fn publisher_name(conn: &mut DbConnection, primary_id: &AccountId) -> Result<String, AppError> {
    Ok(db::library::find_publisher(conn, primary_id)?
        .map(|p| p.publisher_name)
        .unwrap_or_default())
}

/// The lineage of a component of the caller's account, if it was installed.
pub fn of_component(
    conn: &mut DbConnection,
    caller: &Caller,
    component: &Component,
) -> Result<Option<Lineage>, AppError> {
    let Some((installation, process, copy)) = db::browse::lineage(conn, &component.id)? else {
        return Ok(None);
    };
    let deprecation = deprecation::notice(conn, &process, |conn, id| {
        match super::library::find(conn, caller, id) {
            Ok(_) => Ok(true),
            Err(AppError::NotFound) => Ok(false),
            Err(other) => Err(other),
        }
    })?;
    Ok(Some(Lineage {
        deprecation,
        installation_id: installation.id,
        local_name: installation.local_name,
        publisher: publisher_name(conn, &process.account_id)?,
        process_id: process.id,
        process_name: process.name,
        sequence: installation.sequence,
        latest_sequence: process.latest_sequence,
        installed_at: installation.installed_at,
        modified: component.revision > copy.copy_revision,
    }))
}

/// The processes of the account that were installed from the library, by their copy's id:
/// "Installed from PUBLISHER · Version N".
pub fn installed_roots(ctx: &Ctx) -> Result<BTreeMap<ComponentId, String>, AppError> {
    let caller = ctx.caller();
    ctx.read(|conn| {
        let rows = db::browse::list_account_installations(conn, caller.account_id())?;
        let mut publishers: BTreeMap<AccountId, String> = BTreeMap::new();
        let mut marks = BTreeMap::new();
        for (installation, process) in rows {
            if !publishers.contains_key(&process.account_id) {
                let name = publisher_name(conn, &process.account_id)?;
                publishers.insert(process.account_id.clone(), name);
            }
            let publisher = publishers
                .get(&process.account_id)
                .cloned()
                .unwrap_or_default();
            marks.insert(
                installation.root_component_id,
                format!(
                    "Installed from {publisher} · Version {}",
                    installation.sequence
                ),
            );
        }
        Ok(marks)
    })
}

/// Install counts per publication id, and the latest installations with account names.
pub type PublisherInstalls = (BTreeMap<PublicationId, i64>, Vec<(Installation, String)>);

/// The publisher's view of a published process's installs: counts per publication, and the
/// latest installations with the installing account's name.
pub fn installs_of(ctx: &Ctx, process_id: &ProcessId) -> Result<PublisherInstalls, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| {
        let process = db::library::find_process_for_account(conn, caller.account_id(), process_id)?
            .ok_or(AppError::NotFound)?;
        let counts = db::browse::installs_per_publication(conn, &process.id)?
            .into_iter()
            .collect();
        let rows = db::browse::list_process_installations(conn, &process.id, 50)?;
        let latest =
            crate::services::library::named_for_publisher(conn, caller.account_id(), rows)?;
        Ok((counts, latest))
    })
}
