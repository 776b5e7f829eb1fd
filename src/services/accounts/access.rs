//! Effective access: the privileges a user holds in the current account (direct roles ∪ the
//! roles of every group containing it), and the accounts the switcher offers. Computed per
//! request with a handful of indexed queries, whatever the number of reachable accounts.

use crate::db::ids::*;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::db::accounts::Account;
use crate::db::{self, DbConnection};
use crate::domain::accounts::{AccountKind, Features, Privileges};
use crate::error::AppError;
use crate::services::Ctx;

/// Accounts listed in the switcher at most; beyond, the switcher page searches them.
pub const SWITCHER_LIMIT: usize = 100;

/// A signed-in user's access: the current account, and the accounts to switch to.
#[derive(Debug, Clone)]
pub struct Access {
    pub current: Account,
    pub kind: AccountKind,
    pub features: Features,
    pub privileges: Privileges,
    /// Reachable accounts by name, at most [`SWITCHER_LIMIT`].
    pub accounts: Arc<[Account]>,
    /// Whether more accounts are reachable than listed.
    pub more_accounts: bool,
}

/// The union of a user's privileges in an account (none when the account is out of reach).
pub fn privileges_in(
    conn: &mut DbConnection,
    user_id: &UserId,
    account: &Account,
) -> Result<Privileges, AppError> {
    let direct = db::accounts::list_direct_privileges(conn, user_id, &account.id)?;
    let grouped = db::groups::list_group_privileges(conn, user_id, account)?;
    Ok(direct
        .iter()
        .chain(&grouped)
        .fold(Privileges::none(), |set, text| {
            set.union(Privileges::parse(text))
        }))
}

/// The accounts a user can switch to, by name (capped), and whether there are more.
pub fn switchable(
    conn: &mut DbConnection,
    user_id: &UserId,
) -> Result<(Vec<Account>, bool), AppError> {
    search(conn, user_id, "")
}

/// The reachable accounts whose name contains `text`, by name (capped), and whether there
/// are more.
pub fn search(
    conn: &mut DbConnection,
    user_id: &UserId,
    text: &str,
) -> Result<(Vec<Account>, bool), AppError> {
    let limit = i64::try_from(SWITCHER_LIMIT + 1).unwrap_or(i64::MAX);
    let text = crate::domain::validation::name_key(text);
    let pattern = (!text.is_empty()).then(|| db::contains_pattern(&text));
    // Direct accounts are always listed (a user's home is among them); accounts reached
    // through groups fill the list up to the limit.
    let direct = db::accounts::list_direct_accounts(conn, user_id, pattern.as_deref())?;
    let mut grouped = db::groups::list_group_accounts(conn, user_id, pattern.as_deref(), limit)?;
    grouped.sort_by(|a, b| a.name_key.cmp(&b.name_key));
    grouped.dedup_by(|a, b| a.id == b.id);
    grouped.retain(|a| !direct.iter().any(|d| d.id == a.id));
    let room = SWITCHER_LIMIT.saturating_sub(direct.len());
    let more = grouped.len() > room;
    grouped.truncate(room);
    let mut by_id: BTreeMap<String, Account> = BTreeMap::new();
    for account in direct.into_iter().chain(grouped) {
        by_id
            .entry(account.id.clone().into_string())
            .or_insert(account);
    }
    let mut accounts: Vec<Account> = by_id.into_values().collect();
    accounts.sort_by(|a, b| a.name_key.cmp(&b.name_key));
    Ok((accounts, more))
}

/// Where a user lands: their first primary account, otherwise their first account by name.
pub fn home(accounts: &[Account]) -> Option<&Account> {
    accounts
        .iter()
        .find(|a| a.kind == AccountKind::Primary.code())
        .or_else(|| accounts.first())
}

/// The access of a user whose session points at `preferred`: that account while the user
/// still holds a role there, otherwise their home; `None` when no account is reachable.
pub fn resolve(
    conn: &mut DbConnection,
    user_id: &UserId,
    preferred: Option<&str>,
) -> Result<Option<Access>, AppError> {
    let (accounts, more_accounts) = switchable(conn, user_id)?;
    let mut candidate = match preferred {
        Some(id) => db::accounts::find_account(conn, &AccountId::from(id))?,
        None => None,
    };
    let mut privileges = match &candidate {
        Some(account) => privileges_in(conn, user_id, account)?,
        None => Privileges::none(),
    };
    if privileges.is_empty() {
        candidate = home(&accounts).cloned();
        privileges = match &candidate {
            Some(account) => privileges_in(conn, user_id, account)?,
            None => Privileges::none(),
        };
    }
    let Some(current) = candidate.filter(|_| !privileges.is_empty()) else {
        return Ok(None);
    };
    Ok(Some(Access {
        kind: AccountKind::from_code(&current.kind).unwrap_or(AccountKind::Managed),
        features: Features::parse(&current.features),
        privileges,
        current,
        accounts: accounts.into(),
        more_accounts,
    }))
}

/// The accounts the caller can switch to whose name contains `text`, by name (capped), and
/// whether there are more (the switcher's *More accounts* page).
pub fn find_switchable(ctx: &Ctx, text: &str) -> Result<(Vec<Account>, bool), AppError> {
    let user_id = &ctx.caller().user_id();
    ctx.read(|conn| search(conn, user_id, text))
}
