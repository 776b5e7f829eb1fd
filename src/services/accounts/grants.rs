//! Grant limits: nobody grants a privilege they do not hold, nobody edits a role they hold,
//! and an account always keeps a user who can manage its users and administer it. Checked in
//! the transaction of the change; a refusal writes nothing.

use crate::db::accounts::{Account, Role};
use crate::db::ids::{AccountId, GroupId, RoleId, UserId};
use crate::db::seek::Seek;
use crate::db::{self, DbConnection};
use crate::domain::accounts::{Privilege, Privileges};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::Caller;

/// The privileges of `wanted` that the caller does not hold in the current account.
fn beyond(caller: &Caller, wanted: Privileges) -> Privileges {
    Privileges::of(
        &wanted
            .iter()
            .filter(|p| !caller.privileges().has(*p))
            .collect::<Vec<_>>(),
    )
}

/// Refuses (beside `field`) privileges the caller does not hold: a role may be made or
/// changed only with privileges its author holds in this account.
pub fn check_grantable(
    caller: &Caller,
    wanted: Privileges,
    field: &'static str,
) -> Result<(), AppError> {
    let missing = beyond(caller, wanted);
    if missing.is_empty() {
        return Ok(());
    }
    Err(FieldErrors::single(
        field,
        format!(
            "You can only grant privileges you hold in this account; you do not hold {missing}."
        ),
    )
    .into())
}

/// Refuses (beside `field`) a role the caller may not give: one with a privilege they do not
/// hold here.
pub fn check_assignable(caller: &Caller, role: &Role, field: &'static str) -> Result<(), AppError> {
    let missing = beyond(caller, Privileges::parse(&role.privileges));
    if missing.is_empty() {
        return Ok(());
    }
    Err(FieldErrors::single(
        field,
        format!(
            "You cannot give the role {}: it grants {missing}, which you do not hold in this account.",
            role.name
        ),
    )
    .into())
}

/// Refuses (409) a change to a role the caller holds in this account: another user changes it.
pub fn check_not_held(
    conn: &mut DbConnection,
    caller: &Caller,
    role: &Role,
) -> Result<(), AppError> {
    if db::accounts::has_user_role(conn, caller.user_id(), caller.account_id(), &role.id)? {
        return Err(AppError::Conflict(format!(
            "You hold the role {} yourself: another user with User Management changes it.",
            role.name
        )));
    }
    Ok(())
}

/// Refuses (409) a state of the account, after a change in the same transaction, in which no
/// user holds both User Management and Account Administration there (directly or through a
/// group containing the account).
pub fn ensure_administered(conn: &mut DbConnection, account: &Account) -> Result<(), AppError> {
    let groups = db::groups::groups_containing(conn, &account.id, account.parent_id.as_ref())?;
    let mut held: std::collections::BTreeMap<String, Privileges> = Default::default();
    for (user, privileges) in db::accounts::list_privilege_holders(conn, &account.id, &groups)? {
        let set = held.entry(user).or_default();
        *set = set.union(Privileges::parse(&privileges));
    }
    let administered = held
        .values()
        .any(|p| p.has(Privilege::UserManagement) && p.has(Privilege::AccountAdministration));
    if administered {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "{} would be left without anyone who holds both User Management and Account \
             Administration: give those to another user first.",
            account.name
        )))
    }
}

/// Whether a role's privileges hold a part of administering an account's users (User
/// Management or Account Administration: a user may hold the two through different roles).
pub fn administers(privileges: &str) -> bool {
    let held = Privileges::parse(privileges);
    held.has(Privilege::UserManagement) || held.has(Privilege::AccountAdministration)
}

/// Every managed account reached by a group of `primary` that gives `user` (or anyone, with
/// `role`) a role holding a part of user administration, to check them after such a hold
/// changed. With `role`, every group giving that role counts (its privileges may have just
/// changed).
pub fn accounts_reached_by_administering_groups(
    conn: &mut DbConnection,
    primary: &AccountId,
    user: Option<&UserId>,
    role: Option<&RoleId>,
) -> Result<Vec<Account>, AppError> {
    let mut reached: Vec<Account> = Vec::new();
    let mut seen: Vec<GroupId> = Vec::new();
    for (group, privileges) in db::groups::list_group_holds(conn, primary, user, role)? {
        if (role.is_none() && !administers(&privileges)) || seen.contains(&group.id) {
            continue;
        }
        seen.push(group.id.clone());
        for account in db::groups::list_members(conn, &group, Seek::First, i64::MAX)? {
            if !reached.iter().any(|a| a.id == account.id) {
                reached.push(account);
            }
        }
    }
    Ok(reached)
}

/// After a group change (a group user, a member or the group itself gone): refuses (409) when
/// an account the group reached is left without anyone who administers its users. Only
/// checked when the group held such a user, so that ordinary changes cost nothing.
pub fn ensure_group_accounts_administered(
    conn: &mut DbConnection,
    accounts: &[Account],
) -> Result<(), AppError> {
    for account in accounts {
        ensure_administered(conn, account)?;
    }
    Ok(())
}
