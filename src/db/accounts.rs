//! Accounts, users, roles and direct access rows.

use crate::db::ids::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{account_groups, accounts, folders, group_users, roles, user_roles, users};
use crate::domain::accounts::BuiltInRole;
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    pub name_key: String,
    pub kind: String,
    pub parent_id: Option<AccountId>,
    pub status: String,
    pub features: String,
    pub created_at: NaiveDateTime,
    /// `packaged` or `legacy` ([`crate::domain::accounts::DeploymentModel`]).
    pub deployment_model: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub name_key: &'a str,
    pub kind: &'a str,
    pub parent_id: Option<&'a str>,
    pub status: &'a str,
    pub features: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub email_key: String,
    pub name: String,
    pub password_hash: String,
    pub security_stamp: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub email_key: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub security_stamp: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = roles)]
pub struct Role {
    pub id: RoleId,
    pub account_id: Option<AccountId>,
    pub name: String,
    pub name_key: String,
    pub privileges: String,
    pub builtin: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = roles)]
pub struct NewRole<'a> {
    pub id: &'a str,
    pub account_id: Option<&'a str>,
    pub name: &'a str,
    pub name_key: &'a str,
    pub privileges: &'a str,
    pub builtin: bool,
    pub created_at: NaiveDateTime,
}

/// Creates the built-in roles, or brings their privileges in line with the code.
pub fn ensure_builtin_roles(conn: &mut DbConnection, now: NaiveDateTime) -> Result<()> {
    for role in BuiltInRole::ALL {
        let privileges = role.privileges().to_text();
        let updated = diesel::update(roles::table.find(role.id()))
            .set((
                roles::privileges.eq(&privileges),
                roles::name.eq(role.name()),
            ))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(roles::table)
                .values(&NewRole {
                    id: role.id(),
                    account_id: None,
                    name: role.name(),
                    name_key: &role.name().to_lowercase(),
                    privileges: &privileges,
                    builtin: true,
                    created_at: now,
                })
                .execute(conn)?;
        }
    }
    Ok(())
}

pub fn count_accounts(conn: &mut DbConnection) -> Result<i64> {
    Ok(accounts::table.count().get_result(conn)?)
}

pub fn find_account_by_name(conn: &mut DbConnection, name_key: &str) -> Result<Option<Account>> {
    Ok(accounts::table
        .filter(accounts::name_key.eq(name_key))
        .select(Account::as_select())
        .first(conn)
        .optional()?)
}

pub fn get_account(conn: &mut DbConnection, id: &AccountId) -> Result<Account> {
    Ok(accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)?)
}

pub fn insert_account(conn: &mut DbConnection, account: &NewAccount<'_>) -> Result<()> {
    diesel::insert_into(accounts::table)
        .values(account)
        .execute(conn)?;
    Ok(())
}

pub fn update_account_features(
    conn: &mut DbConnection,
    account: &Account,
    features: &str,
) -> Result<()> {
    diesel::update(accounts::table.find(&account.id))
        .set(accounts::features.eq(features))
        .execute(conn)?;
    Ok(())
}

/// The managed accounts of a primary account, by name.
pub fn list_managed_accounts(conn: &mut DbConnection, parent_id: &str) -> Result<Vec<Account>> {
    Ok(accounts::table
        .filter(accounts::parent_id.eq(parent_id))
        .order(accounts::name_key.asc())
        .select(Account::as_select())
        .load(conn)?)
}

pub fn find_user_by_email(conn: &mut DbConnection, email_key: &str) -> Result<Option<User>> {
    Ok(users::table
        .filter(users::email_key.eq(email_key))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_user(conn: &mut DbConnection, id: &UserId) -> Result<Option<User>> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

pub fn get_user(conn: &mut DbConnection, id: &UserId) -> Result<User> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(conn)?)
}

pub fn insert_user(conn: &mut DbConnection, user: &NewUser<'_>) -> Result<()> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)?;
    Ok(())
}

/// Remembers the account a user switched to: where their next sign-in lands.
pub fn set_last_account(
    conn: &mut DbConnection,
    user_id: &UserId,
    account: &Account,
) -> Result<()> {
    diesel::update(users::table.find(user_id))
        .set(users::last_account_id.eq(Some(&account.id)))
        .execute(conn)?;
    Ok(())
}

/// The account a user last switched to, if any.
pub fn find_last_account(conn: &mut DbConnection, user_id: &UserId) -> Result<Option<AccountId>> {
    Ok(users::table
        .find(user_id)
        .select(users::last_account_id)
        .first::<Option<AccountId>>(conn)
        .optional()?
        .flatten())
}

pub fn update_user_password(
    conn: &mut DbConnection,
    user: &User,
    hash: &str,
    stamp: &str,
) -> Result<()> {
    diesel::update(users::table.find(&user.id))
        .set((
            users::password_hash.eq(hash),
            users::security_stamp.eq(stamp),
        ))
        .execute(conn)?;
    Ok(())
}

/// Every account a user holds a direct role in, with that role's privileges (one row per role).
pub fn list_memberships(
    conn: &mut DbConnection,
    user_id: &UserId,
) -> Result<Vec<(Account, String)>> {
    Ok(user_roles::table
        .inner_join(accounts::table)
        .inner_join(roles::table)
        .filter(user_roles::user_id.eq(user_id))
        .select((Account::as_select(), roles::privileges))
        .load(conn)?)
}

/// The users holding a direct role in an account, with each role (one row per role).
pub fn list_account_users(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<Vec<(User, Role)>> {
    Ok(user_roles::table
        .inner_join(users::table)
        .inner_join(roles::table)
        .filter(user_roles::account_id.eq(account_id))
        .order((users::email_key.asc(), roles::name_key.asc()))
        .select((User::as_select(), Role::as_select()))
        .load(conn)?)
}

pub fn count_user_roles_in_account(
    conn: &mut DbConnection,
    user_id: &UserId,
    account_id: &AccountId,
) -> Result<i64> {
    Ok(user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .filter(user_roles::account_id.eq(account_id))
        .count()
        .get_result(conn)?)
}

pub fn has_user_role(
    conn: &mut DbConnection,
    user_id: &UserId,
    account_id: &AccountId,
    role_id: &RoleId,
) -> Result<bool> {
    let n: i64 = user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .filter(user_roles::account_id.eq(account_id))
        .filter(user_roles::role_id.eq(role_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert_user_role(
    conn: &mut DbConnection,
    user_id: &UserId,
    account_id: &AccountId,
    role_id: &RoleId,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::insert_into(user_roles::table)
        .values((
            user_roles::user_id.eq(user_id),
            user_roles::account_id.eq(account_id),
            user_roles::role_id.eq(role_id),
            user_roles::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes every direct role of a user in an account; returns how many there were.
pub fn delete_user_roles(
    conn: &mut DbConnection,
    user_id: &UserId,
    account_id: &AccountId,
) -> Result<usize> {
    Ok(diesel::delete(
        user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::account_id.eq(account_id)),
    )
    .execute(conn)?)
}

/// Counts the users of an account that hold a role with the given id.
pub fn count_account_users_with_role(
    conn: &mut DbConnection,
    account_id: &AccountId,
    role_id: &RoleId,
) -> Result<i64> {
    Ok(user_roles::table
        .filter(user_roles::account_id.eq(account_id))
        .filter(user_roles::role_id.eq(role_id))
        .count()
        .get_result(conn)?)
}

/// The built-in roles followed by the account's own, by name.
pub fn list_roles(conn: &mut DbConnection, account_id: &AccountId) -> Result<Vec<Role>> {
    Ok(roles::table
        .filter(
            roles::account_id
                .is_null()
                .or(roles::account_id.eq(account_id)),
        )
        .order((roles::builtin.desc(), roles::name_key.asc()))
        .select(Role::as_select())
        .load(conn)?)
}

/// A role usable in the account: a built-in one or one of the account's own.
pub fn find_role_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    role_id: &RoleId,
) -> Result<Option<Role>> {
    Ok(roles::table
        .filter(roles::id.eq(role_id))
        .filter(
            roles::account_id
                .is_null()
                .or(roles::account_id.eq(account_id)),
        )
        .select(Role::as_select())
        .first(conn)
        .optional()?)
}

/// Whether a role name is taken in the account (built-in names are taken everywhere).
pub fn role_name_taken(
    conn: &mut DbConnection,
    account_id: &AccountId,
    name_key: &str,
    except_id: &str,
) -> Result<bool> {
    let n: i64 = roles::table
        .filter(roles::name_key.eq(name_key))
        .filter(
            roles::account_id
                .is_null()
                .or(roles::account_id.eq(account_id)),
        )
        .filter(roles::id.ne(except_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert_role(conn: &mut DbConnection, role: &NewRole<'_>) -> Result<()> {
    diesel::insert_into(roles::table)
        .values(role)
        .execute(conn)?;
    Ok(())
}

pub fn update_role(
    conn: &mut DbConnection,
    role: &Role,
    name: &str,
    name_key: &str,
    privileges: &str,
) -> Result<()> {
    diesel::update(roles::table.find(&role.id))
        .set((
            roles::name.eq(name),
            roles::name_key.eq(name_key),
            roles::privileges.eq(privileges),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many hold a role: in accounts directly, and in account groups.
pub fn count_role_uses(conn: &mut DbConnection, role_id: &RoleId) -> Result<i64> {
    let direct: i64 = user_roles::table
        .filter(user_roles::role_id.eq(role_id))
        .count()
        .get_result(conn)?;
    let grouped: i64 = group_users::table
        .filter(group_users::role_id.eq(role_id))
        .count()
        .get_result(conn)?;
    Ok(direct + grouped)
}

pub fn delete_role(conn: &mut DbConnection, role: &Role) -> Result<()> {
    diesel::delete(roles::table.find(&role.id)).execute(conn)?;
    Ok(())
}

/// Accounts that have no root folder yet.
pub fn list_accounts_without_root_folder(conn: &mut DbConnection) -> Result<Vec<Account>> {
    let roots = folders::table
        .filter(folders::account_id.eq(accounts::id))
        .filter(folders::parent_id.is_null());
    Ok(accounts::table
        .filter(diesel::dsl::not(diesel::dsl::exists(roots)))
        .select(Account::as_select())
        .load(conn)?)
}

/// Primary accounts that have no *All Accounts* group yet.
pub fn list_primaries_without_all_accounts_group(conn: &mut DbConnection) -> Result<Vec<Account>> {
    let groups = account_groups::table
        .filter(account_groups::account_id.eq(accounts::id))
        .filter(account_groups::all_accounts.eq(true));
    Ok(accounts::table
        .filter(accounts::kind.eq("primary"))
        .filter(diesel::dsl::not(diesel::dsl::exists(groups)))
        .select(Account::as_select())
        .load(conn)?)
}

/// The privileges of every direct role a user holds in one account.
pub fn list_direct_privileges(
    conn: &mut DbConnection,
    user_id: &UserId,
    account_id: &AccountId,
) -> Result<Vec<String>> {
    Ok(user_roles::table
        .inner_join(roles::table)
        .filter(user_roles::user_id.eq(user_id))
        .filter(user_roles::account_id.eq(account_id))
        .select(roles::privileges)
        .load(conn)?)
}

/// Each user's role privileges in an account: their direct roles there, and the roles they
/// hold in `groups` (the groups containing the account), a row per role.
pub fn list_privilege_holders(
    conn: &mut DbConnection,
    account_id: &AccountId,
    groups: &[GroupId],
) -> Result<Vec<(String, String)>> {
    let mut rows: Vec<(String, String)> = user_roles::table
        .inner_join(roles::table)
        .filter(user_roles::account_id.eq(account_id))
        .select((user_roles::user_id, roles::privileges))
        .load(conn)?;
    if !groups.is_empty() {
        let grouped: Vec<(String, String)> = group_users::table
            .inner_join(roles::table)
            .filter(group_users::group_id.eq_any(groups))
            .select((group_users::user_id, roles::privileges))
            .load(conn)?;
        rows.extend(grouped);
    }
    Ok(rows)
}

/// The accounts a user holds a direct role in, by name, whose name contains a (lower-cased,
/// already escaped) `LIKE` pattern when one is given.
pub fn list_direct_accounts(
    conn: &mut DbConnection,
    user_id: &UserId,
    pattern: Option<&str>,
) -> Result<Vec<Account>> {
    let mine = user_roles::table
        .filter(user_roles::user_id.eq(user_id.to_owned()))
        .select(user_roles::account_id);
    let mut query = accounts::table
        .filter(accounts::id.eq_any(mine))
        .select(Account::as_select())
        .into_boxed();
    if let Some(pattern) = pattern {
        query = query.filter(accounts::name_key.like(pattern.to_owned()).escape('\\'));
    }
    Ok(query.order(accounts::name_key.asc()).load(conn)?)
}

pub fn find_account(conn: &mut DbConnection, id: &AccountId) -> Result<Option<Account>> {
    Ok(accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
        .optional()?)
}

/// Sets an account's deployment model (`packaged` or `legacy`).
pub fn set_deployment_model(conn: &mut DbConnection, id: &AccountId, model: &str) -> Result<()> {
    diesel::update(accounts::table.find(id))
        .set(accounts::deployment_model.eq(model))
        .execute(conn)?;
    Ok(())
}
