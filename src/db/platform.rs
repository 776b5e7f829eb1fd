//! The platform publisher: the one primary account (if any) whose system group *All Platform
//! Accounts* shares its processes with every account of every partner.

use diesel::prelude::*;

use super::DbConnection;
use super::accounts::Account;
use super::groups::AccountGroup;
use super::ids::AccountId;
use super::library::{PublishedProcess, PublisherProfile};
use super::schema::{account_groups, accounts, publisher_profiles};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

/// The platform publisher's account, when the operator named one.
pub fn publisher_account(conn: &mut DbConnection) -> Result<Option<Account>> {
    Ok(accounts::table
        .filter(accounts::platform_publisher.eq(true))
        .select(Account::as_select())
        .first(conn)
        .optional()?)
}

/// Makes `account_id` the platform publisher (none with `None`), in place of any other.
pub fn set_publisher(conn: &mut DbConnection, account_id: Option<&AccountId>) -> Result<()> {
    let mut others = diesel::update(accounts::table)
        .filter(accounts::platform_publisher.eq(true))
        .into_boxed();
    if let Some(id) = account_id {
        others = others.filter(accounts::id.ne(id.to_owned()));
    }
    others
        .set(accounts::platform_publisher.eq(false))
        .execute(conn)?;
    if let Some(id) = account_id {
        diesel::update(accounts::table.find(id))
            .filter(accounts::platform_publisher.eq(false))
            .set(accounts::platform_publisher.eq(true))
            .execute(conn)?;
    }
    Ok(())
}

/// The *All Platform Accounts* group of an account (made when it first became the platform
/// publisher).
pub fn find_group(conn: &mut DbConnection, account_id: &AccountId) -> Result<Option<AccountGroup>> {
    Ok(account_groups::table
        .filter(account_groups::account_id.eq(account_id))
        .filter(account_groups::all_platform.eq(true))
        .select(AccountGroup::as_select())
        .first(conn)
        .optional()?)
}

/// Every process (never an API service) the platform publisher `platform` shares with every
/// account, read through its group's resources as a partner's library is.
pub fn list_processes(
    conn: &mut DbConnection,
    platform: &AccountId,
) -> Result<Vec<PublishedProcess>> {
    let Some(group) = find_group(conn, platform)? else {
        return Ok(Vec::new());
    };
    super::browse::list_all_visible(conn, platform, &[group.id])
}

/// The platform publisher's id and profile (a blank profile when it has none yet).
pub fn publisher(conn: &mut DbConnection) -> Result<Option<(AccountId, PublisherProfile)>> {
    let Some(account) = publisher_account(conn)? else {
        return Ok(None);
    };
    let profile = publisher_profiles::table
        .find(&account.id)
        .select(PublisherProfile::as_select())
        .first(conn)
        .optional()?
        .unwrap_or_else(|| PublisherProfile {
            account_id: account.id.clone(),
            ..PublisherProfile::default()
        });
    Ok(Some((account.id, profile)))
}

/// A process the platform publisher shares with every account.
pub fn find_visible(conn: &mut DbConnection, id: &str) -> Result<Option<PublishedProcess>> {
    let Some(platform) = publisher_account(conn)? else {
        return Ok(None);
    };
    let Some(group) = find_group(conn, &platform.id)? else {
        return Ok(None);
    };
    super::browse::find_visible(conn, &platform.id, &[group.id], id)
}
