//! Effective access: the accounts a user can enter and the privileges held in each.

use std::collections::BTreeMap;

use crate::db::accounts::Account;
use crate::db::{self, DbConnection};
use crate::domain::accounts::{AccountKind, Features, Privileges};
use crate::error::AppError;

/// One account a user can enter.
#[derive(Debug, Clone)]
pub struct Reachable {
    pub account: Account,
    pub privileges: Privileges,
}

/// A signed-in user's access: the current account and every other one reachable.
#[derive(Debug, Clone)]
pub struct Access {
    pub current: Account,
    pub kind: AccountKind,
    pub features: Features,
    pub privileges: Privileges,
    pub accounts: Vec<Reachable>,
}

/// Every account a user holds roles in, directly or through account groups, with the union of
/// those roles' privileges, by name.
pub fn reachable_accounts(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<Vec<Reachable>, AppError> {
    let mut by_id: BTreeMap<String, Reachable> = BTreeMap::new();
    let direct = db::accounts::list_memberships(conn, user_id)?;
    let through_groups = db::groups::list_group_access(conn, user_id)?;
    for (account, privileges) in direct.into_iter().chain(through_groups) {
        let privileges = Privileges::parse(&privileges);
        by_id
            .entry(account.id.clone())
            .and_modify(|r| r.privileges = r.privileges.union(privileges))
            .or_insert(Reachable {
                account,
                privileges,
            });
    }
    let mut accounts: Vec<Reachable> = by_id.into_values().collect();
    accounts.sort_by(|a, b| a.account.name_key.cmp(&b.account.name_key));
    Ok(accounts)
}

/// Where a user lands: their first primary account, otherwise their first account by name.
pub fn home(accounts: &[Reachable]) -> Option<&Reachable> {
    accounts
        .iter()
        .find(|r| r.account.kind == AccountKind::Primary.code())
        .or_else(|| accounts.first())
}

/// The access of a user whose session points at `preferred`: that account when still
/// reachable, otherwise the first reachable one; `None` when the user can enter no account.
pub fn resolve(accounts: Vec<Reachable>, preferred: Option<&str>) -> Option<Access> {
    let current = preferred
        .and_then(|id| accounts.iter().find(|r| r.account.id == id))
        .or_else(|| home(&accounts))?
        .clone();
    Some(Access {
        kind: AccountKind::from_code(&current.account.kind).unwrap_or(AccountKind::Managed),
        features: Features::parse(&current.account.features),
        privileges: current.privileges,
        current: current.account,
        accounts,
    })
}
