//! Invitations of existing users into accounts: made by the inviting account, seen and
//! answered only by the invited user.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{accounts, invitations, roles, users};
use crate::db::accounts::{Account, Role};
use crate::db::ids::*;
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: InvitationId,
    pub account_id: AccountId,
    pub user_id: UserId,
    pub role_id: RoleId,
    /// The e-mail of the user who sent it.
    pub invited_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, invitation: &Invitation) -> Result<()> {
    diesel::insert_into(invitations::table)
        .values(invitation)
        .execute(conn)?;
    Ok(())
}

/// Whether the user already has an invitation to the account with the role.
pub fn exists(
    conn: &mut DbConnection,
    account_id: &AccountId,
    user_id: &UserId,
    role_id: &RoleId,
) -> Result<bool> {
    let n: i64 = invitations::table
        .filter(invitations::account_id.eq(account_id))
        .filter(invitations::user_id.eq(user_id))
        .filter(invitations::role_id.eq(role_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The invitations an account has sent, with the invited e-mail and the role (oldest first).
pub fn list_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<Vec<(Invitation, String, Role)>> {
    Ok(invitations::table
        .inner_join(users::table)
        .inner_join(roles::table)
        .filter(invitations::account_id.eq(account_id))
        .order((users::email_key.asc(), invitations::created_at.asc()))
        .select((Invitation::as_select(), users::email, Role::as_select()))
        .load(conn)?)
}

/// The invitations a user has received, with the account and the role (newest first).
pub fn list_for_user(
    conn: &mut DbConnection,
    user_id: &UserId,
) -> Result<Vec<(Invitation, Account, Role)>> {
    Ok(invitations::table
        .inner_join(accounts::table)
        .inner_join(roles::table)
        .filter(invitations::user_id.eq(user_id))
        .order((invitations::created_at.desc(), invitations::id.asc()))
        .select((
            Invitation::as_select(),
            Account::as_select(),
            Role::as_select(),
        ))
        .load(conn)?)
}

/// How many invitations a user has received.
pub fn count_for_user(conn: &mut DbConnection, user_id: &UserId) -> Result<i64> {
    Ok(invitations::table
        .filter(invitations::user_id.eq(user_id))
        .count()
        .get_result(conn)?)
}

/// One invitation of the user (`None` for any other id).
pub fn find_for_user(
    conn: &mut DbConnection,
    user_id: &UserId,
    id: &InvitationId,
) -> Result<Option<Invitation>> {
    Ok(invitations::table
        .filter(invitations::id.eq(id))
        .filter(invitations::user_id.eq(user_id))
        .select(Invitation::as_select())
        .first(conn)
        .optional()?)
}

/// One invitation the account sent (`None` for any other id).
pub fn find_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &InvitationId,
) -> Result<Option<Invitation>> {
    Ok(invitations::table
        .filter(invitations::id.eq(id))
        .filter(invitations::account_id.eq(account_id))
        .select(Invitation::as_select())
        .first(conn)
        .optional()?)
}

/// The account's invitations of one user (to withdraw them).
pub fn list_for_account_user(
    conn: &mut DbConnection,
    account_id: &AccountId,
    user_id: &UserId,
) -> Result<Vec<Invitation>> {
    Ok(invitations::table
        .filter(invitations::account_id.eq(account_id))
        .filter(invitations::user_id.eq(user_id))
        .select(Invitation::as_select())
        .load(conn)?)
}

pub fn delete(conn: &mut DbConnection, invitation: &Invitation) -> Result<()> {
    diesel::delete(invitations::table.find(&invitation.id)).execute(conn)?;
    Ok(())
}
