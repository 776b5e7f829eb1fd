//! Invitations: adding a user who already exists (by *Add User* or *New Managed Account*)
//! invites them instead of making them a member. Until they accept, the inviting account
//! sees only the e-mail, is not in their switcher, is never where they land and gets none of
//! their sign-in events; accepting makes the membership, declining leaves no trace but the
//! audit event of the answer.

use chrono::NaiveDateTime;

use crate::db::accounts::{Account, Role, User};
use crate::db::ids::*;
use crate::db::invitations::Invitation;
use crate::db::{self, DbConnection, DbPool};
use crate::domain::audit::{Action, Source};
use crate::error::AppError;
use crate::services::audit::{self, By, Entry};

/// A signed-in user acting for themselves, whether or not they reach an account yet.
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    pub user_id: &'a UserId,
    pub email: &'a str,
    pub client_addr: &'a str,
}

impl<'a> Person<'a> {
    /// The audit's author: this user, from the web.
    pub fn by(&self) -> By<'a> {
        By {
            user_id: Some(self.user_id),
            email: Some(self.email),
            source: Source::Web,
            client_addr: Some(self.client_addr),
        }
    }
}

/// An invitation as its user sees it.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: InvitationId,
    pub account: String,
    pub role: String,
    pub invited_by: String,
    pub created_at: NaiveDateTime,
}

/// Whether the invitation was new (`false`: the same one was already pending).
pub fn invite(
    conn: &mut DbConnection,
    by: &By<'_>,
    account: &AccountId,
    user: &User,
    role: &Role,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    if db::invitations::exists(conn, account, &user.id, &role.id)? {
        return Ok(false);
    }
    db::invitations::insert(
        conn,
        &Invitation {
            id: InvitationId::generate(),
            account_id: account.clone(),
            user_id: user.id.clone(),
            role_id: role.id.clone(),
            invited_by: by.email.unwrap_or("the operator").to_owned(),
            created_at: now,
        },
    )?;
    audit::record(
        conn,
        by,
        Entry {
            account_id: Some(account),
            action: Action::UserInvited,
            target_type: "user",
            target_id: Some(&user.id),
            summary: format!("{} invited with the {} role", user.email, role.name),
        },
    )?;
    Ok(true)
}

/// The invitations a user has received, newest first.
pub fn received(pool: &DbPool, user_id: &UserId) -> Result<Vec<Received>, AppError> {
    let rows = db::read(pool, |conn| db::invitations::list_for_user(conn, user_id))?;
    Ok(rows
        .into_iter()
        .map(|(invitation, account, role)| Received {
            id: invitation.id,
            account: account.name,
            role: role.name,
            invited_by: invitation.invited_by,
            created_at: invitation.created_at,
        })
        .collect())
}

/// How many invitations a user has received.
pub fn count_received(conn: &mut DbConnection, user_id: &UserId) -> Result<i64, AppError> {
    db::invitations::count_for_user(conn, user_id)
}

fn answered(
    conn: &mut DbConnection,
    person: &Person<'_>,
    id: &InvitationId,
) -> Result<(Invitation, Account), AppError> {
    let invitation =
        db::invitations::find_for_user(conn, person.user_id, id)?.ok_or(AppError::NotFound)?;
    let account = db::accounts::get_account(conn, &invitation.account_id)?;
    db::invitations::delete(conn, &invitation)?;
    Ok((invitation, account))
}

/// Accepts an invitation of the user (404 for any other id): the role is theirs, the account
/// becomes the one they work in. Returns the account.
pub fn accept(pool: &DbPool, person: &Person<'_>, id: &InvitationId) -> Result<Account, AppError> {
    db::write(pool, |conn| {
        let (invitation, account) = answered(conn, person, id)?;
        let role = db::accounts::find_role_for_account(conn, &account.id, &invitation.role_id)?
            .ok_or(AppError::NotFound)?;
        if !db::accounts::has_user_role(conn, person.user_id, &account.id, &role.id)? {
            db::accounts::insert_user_role(conn, person.user_id, &account.id, &role.id, db::now())?;
        }
        db::accounts::set_last_account(conn, person.user_id, &account)?;
        audit::record(
            conn,
            &person.by(),
            Entry {
                account_id: Some(&account.id),
                action: Action::InvitationAccepted,
                target_type: "user",
                target_id: Some(person.user_id),
                summary: format!(
                    "{} accepted the invitation with the {} role",
                    person.email, role.name
                ),
            },
        )?;
        Ok(account)
    })
}

/// Declines an invitation of the user (404 for any other id). Returns the account's name.
pub fn decline(pool: &DbPool, person: &Person<'_>, id: &InvitationId) -> Result<String, AppError> {
    db::write(pool, |conn| {
        let (_, account) = answered(conn, person, id)?;
        // Without the address: an account the person never joined learns nothing of where
        // they are.
        let by = By {
            client_addr: None,
            ..person.by()
        };
        audit::record(
            conn,
            &by,
            Entry {
                account_id: Some(&account.id),
                action: Action::InvitationDeclined,
                target_type: "user",
                target_id: Some(person.user_id),
                summary: format!("{} declined the invitation", person.email),
            },
        )?;
        Ok(account.name)
    })
}

/// Withdraws every pending invitation of a user to the account; how many there were.
pub fn withdraw(
    conn: &mut DbConnection,
    by: &By<'_>,
    account: &AccountId,
    user: &User,
) -> Result<usize, AppError> {
    let pending = db::invitations::list_for_account_user(conn, account, &user.id)?;
    for invitation in &pending {
        db::invitations::delete(conn, invitation)?;
    }
    if !pending.is_empty() {
        audit::record(
            conn,
            by,
            Entry {
                account_id: Some(account),
                action: Action::InvitationWithdrawn,
                target_type: "user",
                target_id: Some(&user.id),
                summary: format!("The invitation of {} was withdrawn", user.email),
            },
        )?;
    }
    Ok(pending.len())
}
