//! The operator's choice of the platform publisher (`process-library platform-publisher`): the
//! one primary account whose system group *All Platform Accounts* shares its processes with
//! every account of every partner, under its publisher name, which no partner may take.

use crate::db::groups::AccountGroup;
use crate::db::ids::{AccountId, GroupId};
use crate::db::{self, DbConnection, DbPool};
use crate::domain::accounts::{Feature, Features};
use crate::domain::audit::{Action, Source};
use crate::domain::validation::name_key;
use crate::error::AppError;
use crate::services::audit::{self, By, Entry};

/// The name of the platform publisher's system group.
pub const ALL_PLATFORM_ACCOUNTS: &str = "All Platform Accounts";

/// What the command did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The account is the platform publisher now (it replaced the one named, if any).
    Set { replaced: Option<String> },
    /// The account already was.
    Unchanged,
    /// No account is the platform publisher now (the one named was).
    Cleared(Option<String>),
}

fn by_operator() -> By<'static> {
    By {
        user_id: None,
        email: None,
        source: Source::Cli,
        client_addr: None,
    }
}

/// Makes the primary account named `account_name` the platform publisher, in place of any
/// other, and gives it *All Platform Accounts* when it has none. Audited in the account.
pub fn set(pool: &DbPool, account_name: &str) -> Result<Outcome, AppError> {
    db::write(pool, |conn| {
        let account = db::accounts::find_account_by_name(conn, &name_key(account_name))?
            .ok_or_else(|| AppError::BadRequest(format!("no account is named {account_name:?}")))?;
        if account.parent_id.is_some() {
            return Err(AppError::BadRequest(format!(
                "{} is a managed account: only a primary account can be the platform publisher",
                account.name
            )));
        }
        if !Features::parse(&account.features).has(Feature::ProcessLibrary) {
            return Err(AppError::BadRequest(format!(
                "{} does not have the process-library feature: enable it first",
                account.name
            )));
        }
        let current = db::platform::publisher_account(conn)?;
        if current.as_ref().is_some_and(|c| c.id == account.id) {
            return Ok(Outcome::Unchanged);
        }
        if let Some(profile) = db::library::find_publisher(conn, &account.id)?
            && let Some(other) = clash(conn, &account.id, &profile.publisher_name, None)?
        {
            return Err(AppError::BadRequest(format!(
                "the publisher name {:?} is also {}'s: change one of them first",
                profile.publisher_name, other
            )));
        }
        db::platform::set_publisher(conn, Some(&account.id))?;
        ensure_group(conn, &account.id)?;
        let replaced = current.map(|c| c.name);
        audit::record(
            conn,
            &by_operator(),
            Entry {
                account_id: Some(&account.id),
                action: Action::PlatformPublisherSet,
                target_type: "account",
                target_id: Some(&account.id),
                summary: match &replaced {
                    Some(old) => format!(
                        "{} is the platform publisher (in place of {old})",
                        account.name
                    ),
                    None => format!("{} is the platform publisher", account.name),
                },
            },
        )?;
        Ok(Outcome::Set { replaced })
    })
}

/// No account is the platform publisher any more: its processes leave the other partners'
/// libraries (installed copies stay). Its group stays, for a later return.
pub fn clear(pool: &DbPool) -> Result<Outcome, AppError> {
    db::write(pool, |conn| {
        let Some(current) = db::platform::publisher_account(conn)? else {
            return Ok(Outcome::Cleared(None));
        };
        db::platform::set_publisher(conn, None)?;
        audit::record(
            conn,
            &by_operator(),
            Entry {
                account_id: Some(&current.id),
                action: Action::PlatformPublisherCleared,
                target_type: "account",
                target_id: Some(&current.id),
                summary: format!("{} is no longer the platform publisher", current.name),
            },
        )?;
        Ok(Outcome::Cleared(Some(current.name)))
    })
}

fn ensure_group(conn: &mut DbConnection, account_id: &AccountId) -> Result<(), AppError> {
    if db::platform::find_group(conn, account_id)?.is_none() {
        let name = if db::groups::group_name_taken(
            conn,
            account_id,
            &name_key(ALL_PLATFORM_ACCOUNTS),
            "",
        )? {
            format!("{ALL_PLATFORM_ACCOUNTS} (platform)")
        } else {
            ALL_PLATFORM_ACCOUNTS.to_owned()
        };
        db::groups::insert_group(
            conn,
            &AccountGroup {
                id: GroupId::generate(),
                account_id: account_id.clone(),
                name_key: name_key(&name),
                name,
                all_accounts: false,
                created_at: db::now(),
                all_platform: true,
            },
        )?;
    }
    Ok(())
}

/// Why `name` cannot be the account's publisher name, under the rule that nobody shares the
/// platform publisher's name (compared as names are): for the platform, any other publisher
/// uses it; for any other account, it is the platform's.
pub fn name_refused(
    conn: &mut DbConnection,
    account_id: &AccountId,
    name: &str,
) -> Result<Option<&'static str>, AppError> {
    let platform = db::platform::publisher_account(conn)?;
    Ok(match platform {
        Some(p) if &p.id == account_id => clash(conn, account_id, name, None)?
            .map(|_| "Another publisher uses this name, and the platform's must be its own: choose another."),
        Some(p) => clash(conn, account_id, name, Some(&p.id))?
            .map(|_| "This is the platform publisher's name: choose another."),
        None => None,
    })
}

/// Another account whose publisher name is `name`: among all (`among` = `None`) or one.
fn clash(
    conn: &mut DbConnection,
    account_id: &AccountId,
    name: &str,
    among: Option<&AccountId>,
) -> Result<Option<String>, AppError> {
    let key = name_key(name);
    if key.is_empty() {
        return Ok(None);
    }
    for (id, publisher_name) in db::library::list_publisher_names(conn, among)? {
        if &id != account_id && name_key(&publisher_name) == key {
            return Ok(Some(db::accounts::get_account(conn, &id)?.name));
        }
    }
    Ok(None)
}
