//! Account groups: their member accounts, their users with roles, and their resources.
//! The system group *All Accounts* has no member rows: it holds every managed account of its
//! primary by definition.

use super::seek::Seek;
use crate::db::ids::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::accounts::{Account, Role, User};
use super::library::PublishedProcess;
use super::schema::{
    account_groups, accounts, group_members, group_resources, group_users, published_processes,
    roles, users,
};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = account_groups)]
pub struct AccountGroup {
    pub id: GroupId,
    pub account_id: AccountId,
    pub name: String,
    pub name_key: String,
    pub all_accounts: bool,
    pub created_at: NaiveDateTime,
    /// The platform publisher's *All Platform Accounts*: every account of every partner.
    pub all_platform: bool,
}

impl AccountGroup {
    /// A system group: its members are given by definition and cannot change.
    pub fn is_system(&self) -> bool {
        self.all_accounts || self.all_platform
    }
}

pub fn insert_group(conn: &mut DbConnection, group: &AccountGroup) -> Result<()> {
    diesel::insert_into(account_groups::table)
        .values(group)
        .execute(conn)?;
    Ok(())
}

/// The groups of a primary account, *All Platform Accounts* and *All Accounts* first, then by
/// name.
pub fn list_groups(conn: &mut DbConnection, account_id: &AccountId) -> Result<Vec<AccountGroup>> {
    Ok(account_groups::table
        .filter(account_groups::account_id.eq(account_id))
        .order((
            account_groups::all_platform.desc(),
            account_groups::all_accounts.desc(),
            account_groups::name_key.asc(),
        ))
        .select(AccountGroup::as_select())
        .load(conn)?)
}

pub fn find_group_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &GroupId,
) -> Result<Option<AccountGroup>> {
    Ok(account_groups::table
        .filter(account_groups::account_id.eq(account_id))
        .filter(account_groups::id.eq(id))
        .select(AccountGroup::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_all_accounts_group(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<Option<AccountGroup>> {
    Ok(account_groups::table
        .filter(account_groups::account_id.eq(account_id))
        .filter(account_groups::all_accounts.eq(true))
        .select(AccountGroup::as_select())
        .first(conn)
        .optional()?)
}

pub fn group_name_taken(
    conn: &mut DbConnection,
    account_id: &AccountId,
    name_key: &str,
    except_id: &str,
) -> Result<bool> {
    let n: i64 = account_groups::table
        .filter(account_groups::account_id.eq(account_id))
        .filter(account_groups::name_key.eq(name_key))
        .filter(account_groups::id.ne(except_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn rename_group(
    conn: &mut DbConnection,
    group: &AccountGroup,
    name: &str,
    name_key: &str,
) -> Result<()> {
    diesel::update(account_groups::table.find(&group.id))
        .set((
            account_groups::name.eq(name),
            account_groups::name_key.eq(name_key),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes a group with its members, users and resources.
pub fn delete_group(conn: &mut DbConnection, group: &AccountGroup) -> Result<()> {
    diesel::delete(group_members::table.filter(group_members::group_id.eq(&group.id)))
        .execute(conn)?;
    diesel::delete(group_users::table.filter(group_users::group_id.eq(&group.id))).execute(conn)?;
    diesel::delete(group_resources::table.filter(group_resources::group_id.eq(&group.id)))
        .execute(conn)?;
    diesel::delete(
        super::schema::group_packs::table
            .filter(super::schema::group_packs::group_id.eq(&group.id)),
    )
    .execute(conn)?;
    diesel::delete(account_groups::table.find(&group.id)).execute(conn)?;
    Ok(())
}

/// One page of a group's member accounts by name (every managed account for *All Accounts*).
pub fn list_members(
    conn: &mut DbConnection,
    group: &AccountGroup,
    seek: Seek<&str>,
    limit: i64,
) -> Result<Vec<Account>> {
    let backwards = seek.backwards();
    if !group.all_accounts {
        let mut query = group_members::table
            .inner_join(accounts::table)
            .filter(group_members::group_id.eq(group.id.clone()))
            .select(Account::as_select())
            .into_boxed();
        query = match seek {
            Seek::First => query,
            Seek::After(key) => query.filter(group_members::name_key.gt(key.to_owned())),
            Seek::Before(key) => query.filter(group_members::name_key.lt(key.to_owned())),
        };
        query = if backwards {
            query.order((
                group_members::name_key.desc(),
                group_members::account_id.desc(),
            ))
        } else {
            query.order((
                group_members::name_key.asc(),
                group_members::account_id.asc(),
            ))
        };
        return Ok(query.limit(limit).load(conn)?);
    }
    let mut query = accounts::table
        .filter(accounts::parent_id.eq(group.account_id.clone()))
        .select(Account::as_select())
        .into_boxed();
    query = match seek {
        Seek::First => query,
        Seek::After(key) => query.filter(accounts::name_key.gt(key.to_owned())),
        Seek::Before(key) => query.filter(accounts::name_key.lt(key.to_owned())),
    };
    query = if backwards {
        query.order(accounts::name_key.desc())
    } else {
        query.order(accounts::name_key.asc())
    };
    Ok(query.limit(limit).load(conn)?)
}

pub fn count_members(conn: &mut DbConnection, group: &AccountGroup) -> Result<i64> {
    if group.all_platform {
        // Every account of every partner (never listed: they are other partners' customers).
        return Ok(accounts::table.count().get_result(conn)?);
    }
    if group.all_accounts {
        return Ok(accounts::table
            .filter(accounts::parent_id.eq(&group.account_id))
            .count()
            .get_result(conn)?);
    }
    Ok(group_members::table
        .filter(group_members::group_id.eq(&group.id))
        .count()
        .get_result(conn)?)
}

/// Managed accounts of the primary that are not in the group, matching a search, by name.
pub fn list_member_candidates(
    conn: &mut DbConnection,
    group: &AccountGroup,
    name_contains: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Account>> {
    let members = group_members::table
        .filter(group_members::group_id.eq(group.id.clone()))
        .select(group_members::account_id);
    let mut query = accounts::table
        .filter(accounts::parent_id.eq(group.account_id.clone()))
        .filter(accounts::id.ne_all(members))
        .select(Account::as_select())
        .into_boxed();
    if let Some(text) = name_contains {
        query = query.filter(
            accounts::name_key
                .like(super::contains_pattern(text))
                .escape('\\'),
        );
    }
    if let Some(after) = after {
        query = query.filter(accounts::name_key.gt(after.to_owned()));
    }
    Ok(query
        .order(accounts::name_key.asc())
        .limit(limit)
        .load(conn)?)
}

/// Managed accounts of a primary among these ids.
pub fn list_managed_by_ids(
    conn: &mut DbConnection,
    primary_id: &AccountId,
    ids: &[AccountId],
) -> Result<Vec<Account>> {
    Ok(accounts::table
        .filter(accounts::parent_id.eq(primary_id))
        .filter(accounts::id.eq_any(ids))
        .select(Account::as_select())
        .load(conn)?)
}

pub fn is_member(
    conn: &mut DbConnection,
    group_id: &GroupId,
    account_id: &AccountId,
) -> Result<bool> {
    let n: i64 = group_members::table
        .filter(group_members::group_id.eq(group_id))
        .filter(group_members::account_id.eq(account_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn add_member(
    conn: &mut DbConnection,
    group_id: &GroupId,
    account_id: &AccountId,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::insert_into(group_members::table)
        .values((
            group_members::group_id.eq(group_id),
            group_members::account_id.eq(account_id),
            group_members::added_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn remove_member(
    conn: &mut DbConnection,
    group_id: &GroupId,
    account_id: &AccountId,
) -> Result<usize> {
    Ok(diesel::delete(
        group_members::table
            .filter(group_members::group_id.eq(group_id))
            .filter(group_members::account_id.eq(account_id)),
    )
    .execute(conn)?)
}

/// The users of a group with their roles, by e-mail.
pub fn list_group_users(conn: &mut DbConnection, group_id: &GroupId) -> Result<Vec<(User, Role)>> {
    Ok(group_users::table
        .inner_join(users::table)
        .inner_join(roles::table)
        .filter(group_users::group_id.eq(group_id))
        .order(users::email_key.asc())
        .select((User::as_select(), Role::as_select()))
        .load(conn)?)
}

/// The groups of an account with the privileges of each role they give, for one user or for
/// one role (one statement, whatever the number of groups).
pub fn list_group_holds(
    conn: &mut DbConnection,
    account_id: &AccountId,
    user_id: Option<&UserId>,
    role_id: Option<&RoleId>,
) -> Result<Vec<(AccountGroup, String)>> {
    let mut query = group_users::table
        .inner_join(account_groups::table)
        .inner_join(roles::table)
        .filter(account_groups::account_id.eq(account_id))
        .select((AccountGroup::as_select(), roles::privileges))
        .into_boxed();
    if let Some(user_id) = user_id {
        query = query.filter(group_users::user_id.eq(user_id));
    }
    if let Some(role_id) = role_id {
        query = query.filter(group_users::role_id.eq(role_id));
    }
    Ok(query.load(conn)?)
}

/// Removes a user from every group of an account; how many places they held.
pub fn delete_group_users_of(
    conn: &mut DbConnection,
    account_id: &AccountId,
    user_id: &UserId,
) -> Result<usize> {
    let groups = account_groups::table
        .filter(account_groups::account_id.eq(account_id))
        .select(account_groups::id);
    Ok(diesel::delete(
        group_users::table
            .filter(group_users::user_id.eq(user_id))
            .filter(group_users::group_id.eq_any(groups)),
    )
    .execute(conn)?)
}

pub fn find_group_user(
    conn: &mut DbConnection,
    group_id: &GroupId,
    user_id: &UserId,
) -> Result<Option<String>> {
    Ok(group_users::table
        .filter(group_users::group_id.eq(group_id))
        .filter(group_users::user_id.eq(user_id))
        .select(group_users::role_id)
        .first(conn)
        .optional()?)
}

pub fn add_group_user(
    conn: &mut DbConnection,
    group_id: &GroupId,
    user_id: &UserId,
    role_id: &RoleId,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::insert_into(group_users::table)
        .values((
            group_users::group_id.eq(group_id),
            group_users::user_id.eq(user_id),
            group_users::role_id.eq(role_id),
            group_users::added_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives a user of a group another role there; how many rows changed (0 or 1).
pub fn set_group_user_role(
    conn: &mut DbConnection,
    group_id: &GroupId,
    user_id: &UserId,
    role_id: &RoleId,
) -> Result<usize> {
    Ok(diesel::update(
        group_users::table
            .filter(group_users::group_id.eq(group_id))
            .filter(group_users::user_id.eq(user_id)),
    )
    .set(group_users::role_id.eq(role_id))
    .execute(conn)?)
}

pub fn remove_group_user(
    conn: &mut DbConnection,
    group_id: &GroupId,
    user_id: &UserId,
) -> Result<usize> {
    Ok(diesel::delete(
        group_users::table
            .filter(group_users::group_id.eq(group_id))
            .filter(group_users::user_id.eq(user_id)),
    )
    .execute(conn)?)
}

/// The accounts a user reaches through groups, with the privileges of the role held there
/// (one row per group and account).
pub fn list_group_access(
    conn: &mut DbConnection,
    user_id: &UserId,
) -> Result<Vec<(Account, String)>> {
    let mut explicit: Vec<(Account, String)> = group_users::table
        .inner_join(roles::table)
        .inner_join(group_members::table.on(group_members::group_id.eq(group_users::group_id)))
        .inner_join(accounts::table.on(accounts::id.eq(group_members::account_id)))
        .filter(group_users::user_id.eq(user_id))
        .select((Account::as_select(), roles::privileges))
        .load(conn)?;
    let everyone: Vec<(Account, String)> = group_users::table
        .inner_join(roles::table)
        .inner_join(account_groups::table)
        .inner_join(
            accounts::table.on(accounts::parent_id.eq(account_groups::account_id.nullable())),
        )
        .filter(group_users::user_id.eq(user_id))
        .filter(account_groups::all_accounts.eq(true))
        .select((Account::as_select(), roles::privileges))
        .load(conn)?;
    explicit.extend(everyone);
    Ok(explicit)
}

/// The published processes a group offers, by name.
/// One page of a group's resources by name, after the (name key, id) cursor.
pub fn list_resources(
    conn: &mut DbConnection,
    group_id: &GroupId,
    seek: Seek<(&str, &str)>,
    limit: i64,
) -> Result<Vec<PublishedProcess>> {
    let backwards = seek.backwards();
    let mut query = group_resources::table
        .inner_join(published_processes::table)
        .filter(group_resources::group_id.eq(group_id.to_owned()))
        .select(PublishedProcess::as_select())
        .into_boxed();
    query = match seek {
        Seek::First => query,
        Seek::After((name_key, id)) => query.filter(
            published_processes::name_key
                .gt(name_key.to_owned())
                .or(published_processes::name_key
                    .eq(name_key.to_owned())
                    .and(published_processes::id.gt(id.to_owned()))),
        ),
        Seek::Before((name_key, id)) => query.filter(
            published_processes::name_key
                .lt(name_key.to_owned())
                .or(published_processes::name_key
                    .eq(name_key.to_owned())
                    .and(published_processes::id.lt(id.to_owned()))),
        ),
    };
    query = if backwards {
        query.order((
            published_processes::name_key.desc(),
            published_processes::id.desc(),
        ))
    } else {
        query.order((
            published_processes::name_key.asc(),
            published_processes::id.asc(),
        ))
    };
    Ok(query.limit(limit).load(conn)?)
}

pub fn is_resource(
    conn: &mut DbConnection,
    group_id: &GroupId,
    process_id: &ProcessId,
) -> Result<bool> {
    let n: i64 = group_resources::table
        .filter(group_resources::group_id.eq(group_id))
        .filter(group_resources::published_process_id.eq(process_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn add_resource(
    conn: &mut DbConnection,
    group_id: &GroupId,
    process_id: &ProcessId,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::insert_into(group_resources::table)
        .values((
            group_resources::group_id.eq(group_id),
            group_resources::published_process_id.eq(process_id),
            group_resources::added_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn remove_resource(
    conn: &mut DbConnection,
    group_id: &GroupId,
    process_id: &ProcessId,
) -> Result<usize> {
    Ok(diesel::delete(
        group_resources::table
            .filter(group_resources::group_id.eq(group_id))
            .filter(group_resources::published_process_id.eq(process_id)),
    )
    .execute(conn)?)
}

/// Users holding a direct role in an account, by e-mail (for the group-user form).
pub fn find_account_user_by_email(
    conn: &mut DbConnection,
    account_id: &AccountId,
    email_key: &str,
) -> Result<Option<User>> {
    use super::schema::user_roles;
    Ok(users::table
        .inner_join(user_roles::table)
        .filter(user_roles::account_id.eq(account_id))
        .filter(users::email_key.eq(email_key))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// The groups that contain an account: each group listing it as a member and, the rule of
/// *All Accounts*, its primary's system group, which holds every managed account by
/// definition without member rows (`primary_id`: the account's primary, `None` for a primary
/// account). The one place that rule is written: the library's visibility and the privileges
/// held through groups both start here.
pub fn groups_containing(
    conn: &mut DbConnection,
    account_id: &AccountId,
    primary_id: Option<&AccountId>,
) -> Result<Vec<GroupId>> {
    let mut groups: Vec<GroupId> = group_members::table
        .filter(group_members::account_id.eq(account_id))
        .select(group_members::group_id)
        .load(conn)?;
    if let Some(primary_id) = primary_id {
        let all: Vec<GroupId> = account_groups::table
            .filter(account_groups::account_id.eq(primary_id))
            .filter(account_groups::all_accounts.eq(true))
            .select(account_groups::id)
            .load(conn)?;
        groups.extend(all);
    }
    Ok(groups)
}

/// The privileges of the roles a user holds through the groups containing an account.
pub fn list_group_privileges(
    conn: &mut DbConnection,
    user_id: &UserId,
    account: &Account,
) -> Result<Vec<String>> {
    let groups = groups_containing(conn, &account.id, account.parent_id.as_ref())?;
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    Ok(group_users::table
        .inner_join(roles::table)
        .filter(group_users::user_id.eq(user_id))
        .filter(group_users::group_id.eq_any(groups))
        .select(roles::privileges)
        .load(conn)?)
}

/// Up to `limit` accounts a user reaches through groups, by name.
/// The name filter is a lower-cased, already escaped `LIKE` pattern.
pub fn list_group_accounts(
    conn: &mut DbConnection,
    user_id: &UserId,
    pattern: Option<&str>,
    limit: i64,
) -> Result<Vec<Account>> {
    let mut query = group_users::table
        .inner_join(group_members::table.on(group_members::group_id.eq(group_users::group_id)))
        .inner_join(accounts::table.on(accounts::id.eq(group_members::account_id)))
        .filter(group_users::user_id.eq(user_id.to_owned()))
        .select(Account::as_select())
        .distinct()
        .into_boxed();
    if let Some(pattern) = pattern {
        query = query.filter(
            group_members::name_key
                .like(pattern.to_owned())
                .escape('\\'),
        );
    }
    let mut found: Vec<Account> = query
        .order(accounts::name_key.asc())
        .limit(limit)
        .load(conn)?;
    let everyone = group_users::table
        .inner_join(account_groups::table)
        .filter(group_users::user_id.eq(user_id.to_owned()))
        .filter(account_groups::all_accounts.eq(true))
        .select(account_groups::account_id.nullable());
    let mut query = accounts::table
        .filter(accounts::parent_id.eq_any(everyone))
        .select(Account::as_select())
        .into_boxed();
    if let Some(pattern) = pattern {
        query = query.filter(accounts::name_key.like(pattern.to_owned()).escape('\\'));
    }
    let managed: Vec<Account> = query
        .order(accounts::name_key.asc())
        .limit(limit)
        .load(conn)?;
    found.extend(managed);
    Ok(found)
}

/// The partner's groups that share a published process, by name.
pub fn groups_sharing(
    conn: &mut DbConnection,
    process_id: &ProcessId,
) -> Result<Vec<AccountGroup>> {
    Ok(group_resources::table
        .inner_join(account_groups::table)
        .filter(group_resources::published_process_id.eq(process_id))
        .order(account_groups::name_key.asc())
        .select(AccountGroup::as_select())
        .load(conn)?)
}

/// The member rows of some groups: (group, account).
pub fn members_of_groups(
    conn: &mut DbConnection,
    group_ids: &[GroupId],
) -> Result<Vec<(GroupId, AccountId)>> {
    if group_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(group_members::table
        .filter(group_members::group_id.eq_any(group_ids))
        .select((group_members::group_id, group_members::account_id))
        .load(conn)?)
}
