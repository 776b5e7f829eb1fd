//! Who can see a published process: each managed account of the partner that a sharing group
//! reaches, with the groups that grant it (*Who Can See This*, *Install for Accounts*).

use std::collections::BTreeMap;

use crate::db::accounts::Account;
use crate::db::groups::AccountGroup;
use crate::db::ids::*;
use crate::db::library::PublishedProcess;
use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::services::Ctx;

/// A managed account that sees the process, and the groups that grant it.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub account: Account,
    pub groups: Vec<String>,
}

/// The accounts that see a process of `primary`, by name, and the groups sharing it (an
/// *All Platform Accounts* only while `primary` is the platform publisher: otherwise it shares
/// nothing).
pub fn audience(
    conn: &mut DbConnection,
    primary: &AccountId,
    process_id: &ProcessId,
) -> Result<(Vec<Viewer>, Vec<AccountGroup>), AppError> {
    let mut groups: Vec<AccountGroup> = db::groups::groups_sharing(conn, process_id)?
        .into_iter()
        .filter(|g| g.account_id == *primary)
        .collect();
    if groups.is_empty() {
        return Ok((Vec::new(), groups));
    }
    if groups.iter().any(|g| g.all_platform) {
        let platform = db::platform::publisher_account(conn)?.map(|a| a.id);
        groups.retain(|g| !g.all_platform || platform.as_ref() == Some(primary));
    }
    let everyone: Vec<&AccountGroup> = groups.iter().filter(|g| g.is_system()).collect();
    let listed: Vec<GroupId> = groups
        .iter()
        .filter(|g| !g.is_system())
        .map(|g| g.id.clone())
        .collect();
    let names: BTreeMap<&GroupId, &str> = groups.iter().map(|g| (&g.id, g.name.as_str())).collect();
    let mut granting: BTreeMap<AccountId, Vec<String>> = BTreeMap::new();
    for (group, account) in db::groups::members_of_groups(conn, &listed)? {
        if let Some(name) = names.get(&group) {
            granting
                .entry(account)
                .or_default()
                .push((*name).to_owned());
        }
    }
    let viewers = db::accounts::list_managed_accounts(conn, primary)?
        .into_iter()
        .filter_map(|account| {
            let mut groups: Vec<String> = everyone.iter().map(|g| g.name.clone()).collect();
            groups.extend(granting.remove(&account.id).unwrap_or_default());
            groups.sort();
            (!groups.is_empty()).then_some(Viewer { account, groups })
        })
        .collect();
    Ok((viewers, groups))
}

/// *Who Can See This* for a published process of the caller's account (Process Library): its
/// managed accounts that see it, and whether every account of every partner does (the
/// platform publisher's *All Platform Accounts* shares it; other partners' accounts are never
/// named).
pub fn who_can_see(
    ctx: &Ctx,
    component_id: &ComponentId,
) -> Result<(PublishedProcess, Vec<Viewer>, bool), AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| {
        let process = super::published_process(conn, caller, component_id)?;
        let (viewers, groups) = audience(conn, caller.account_id(), &process.id)?;
        let everywhere = groups.iter().any(|g| g.all_platform);
        Ok((process, viewers, everywhere))
    })
}
