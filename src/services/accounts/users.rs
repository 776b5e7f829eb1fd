//! The users of an account: list, add with a role, remove, and changing one's own password.

use crate::db::ids::*;
use std::collections::BTreeMap;

use crate::db::accounts::{NewUser, Role};
use crate::db::{self};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::accounts::grants;
use crate::services::accounts::invitations::{self, Person};
use crate::services::accounts::sessions::{Started, new_csrf, too_many};
use crate::services::audit::{self, By, Entry};
use crate::services::passwords;
use crate::services::{Ctx, Instance};

/// A row of the Users page: a member with the names of their roles there, or a pending
/// invitation, of which the account learns nothing but the e-mail.
#[derive(Debug, Clone)]
pub struct AccountUser {
    /// The user's id for a member; the invitation's for an invitation (the user's id, which
    /// tells when they joined the product, is not shown to an account they have not joined).
    pub id: String,
    pub email: String,
    /// Empty for an invitation.
    pub name: String,
    pub roles: Vec<String>,
    pub invited: bool,
}

/// The account's users by e-mail, with their roles, then the pending invitations
/// (User Management).
pub fn list(ctx: &Ctx) -> Result<Vec<AccountUser>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::UserManagement)?;
    let (rows, invited) = ctx.read(|conn| {
        Ok((
            db::accounts::list_account_users(conn, caller.account_id())?,
            db::invitations::list_for_account(conn, caller.account_id())?,
        ))
    })?;
    let mut by_id: BTreeMap<UserId, AccountUser> = BTreeMap::new();
    let mut order = Vec::new();
    for (user, role) in rows {
        let entry = by_id.entry(user.id.clone()).or_insert_with(|| {
            order.push(user.id.clone());
            AccountUser {
                id: user.id.into_string(),
                email: user.email,
                name: user.name,
                roles: Vec::new(),
                invited: false,
            }
        });
        entry.roles.push(role.name);
    }
    let mut list: Vec<AccountUser> = order
        .into_iter()
        .filter_map(|id| by_id.remove(&id))
        .collect();
    let mut pending: BTreeMap<UserId, AccountUser> = BTreeMap::new();
    let mut pending_order = Vec::new();
    for (invitation, email, role) in invited {
        let entry = pending
            .entry(invitation.user_id.clone())
            .or_insert_with(|| {
                pending_order.push(invitation.user_id.clone());
                AccountUser {
                    id: invitation.id.into_string(),
                    email,
                    name: String::new(),
                    roles: Vec::new(),
                    invited: true,
                }
            });
        entry.roles.push(role.name);
    }
    list.extend(
        pending_order
            .into_iter()
            .filter_map(|id| pending.remove(&id)),
    );
    Ok(list)
}

/// The Add User form.
#[derive(Debug, Clone, Default)]
pub struct AddUserInput {
    pub email: String,
    pub name: String,
    pub password: String,
    pub role_id: RoleId,
}

/// What adding a user did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// A new user was created with the role.
    NewUser,
    /// A member of the account was given one more role.
    Granted,
    /// A user who is not a member was invited (nothing else about them is revealed).
    Invited,
}

/// Gives a user a role in the account: creates the user when the e-mail is new, grants the
/// role to a member, and invites anyone else (Name and Password are then ignored).
pub fn add(ctx: &Ctx, input: &AddUserInput, bcrypt_cost: u32) -> Result<Added, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::UserManagement)?;
    let hash = if input.password.is_empty() {
        None
    } else {
        Some(passwords::hash(&input.password, bcrypt_cost)?)
    };
    ctx.write(|conn| {
        let mut errors = FieldErrors::new();
        errors.check("email", v::email("Email", &input.email));
        let role: Option<Role> =
            db::accounts::find_role_for_account(conn, caller.account_id(), &input.role_id)?;
        if role.is_none() {
            errors.add("role", "Choose a role.");
        }
        let existing = if errors.get("email").is_none() {
            db::accounts::find_user_by_email(conn, &name_key(&input.email))?
        } else {
            None
        };
        if existing.is_none() {
            errors.check("name", v::required_text("Name", &input.name, 100));
            errors.check("password", v::password("Password", &input.password));
        }
        if let (Some(user), Some(role)) = (&existing, &role) {
            if db::accounts::has_user_role(conn, &user.id, caller.account_id(), &role.id)? {
                errors.add(
                    "email",
                    format!(
                        "This user already has the {} role in this account.",
                        role.name
                    ),
                );
            } else if db::invitations::exists(conn, caller.account_id(), &user.id, &role.id)? {
                errors.add(
                    "email",
                    format!(
                        "An invitation with the {} role is already waiting for this e-mail.",
                        role.name
                    ),
                );
            }
        }
        errors.into_result()?;
        let role = role.ok_or_else(|| AppError::invalid("role", "Choose a role."))?;
        grants::check_assignable(caller, &role, "role")?;
        let now = db::now();
        let by = By::from(caller);
        let (user_id, email, added) = match existing {
            Some(user)
                if db::accounts::count_user_roles_in_account(
                    conn,
                    &user.id,
                    caller.account_id(),
                )? == 0 =>
            {
                invitations::invite(conn, &by, caller.account_id(), &user, &role, now)?;
                return Ok(Added::Invited);
            }
            Some(user) => (user.id, user.email, Added::Granted),
            None => {
                let id = UserId::generate();
                let email = input.email.trim().to_owned();
                let hash = hash
                    .as_deref()
                    .ok_or_else(|| AppError::invalid("password", "Password is required."))?;
                db::accounts::insert_user(
                    conn,
                    &NewUser {
                        id: &id,
                        email: &email,
                        email_key: &name_key(&email),
                        name: &v::clean_name(&input.name),
                        password_hash: hash,
                        security_stamp: &db::new_id(),
                        created_at: now,
                    },
                )?;
                audit::record(
                    conn,
                    &by,
                    Entry {
                        account_id: Some(caller.account_id()),
                        action: Action::UserCreated,
                        target_type: "user",
                        target_id: Some(&id),
                        summary: format!("User {email} created"),
                    },
                )?;
                (id, email, Added::NewUser)
            }
        };
        db::accounts::insert_user_role(conn, &user_id, caller.account_id(), &role.id, now)?;
        audit::record(
            conn,
            &by,
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::UserAdded,
                target_type: "user",
                target_id: Some(&user_id),
                summary: format!("{email} given the {} role", role.name),
            },
        )?;
        Ok(added)
    })
}

/// What removing a row of the Users page did; each holds the e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    Member(String),
    Invitation(String),
}

/// Takes every role of a user in the account away (and withdraws their pending
/// invitations); the user keeps access elsewhere. Nobody removes themselves (that would lock
/// the account out by accident).
pub fn remove(ctx: &Ctx, id: &str) -> Result<Removed, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::UserManagement)?;
    let user_id = &UserId::from(id);
    if user_id == caller.user_id() {
        return Err(AppError::BadRequest(
            "You cannot remove yourself from the account.".to_owned(),
        ));
    }
    ctx.write(|conn| {
        let by = By::from(caller);
        if db::accounts::count_user_roles_in_account(conn, user_id, caller.account_id())? == 0 {
            // An invitation of the account: every pending one of that user is withdrawn (any
            // other id answers 404).
            let invitation = db::invitations::find_for_account(
                conn,
                caller.account_id(),
                &InvitationId::from(id),
            )?
            .ok_or(AppError::NotFound)?;
            let user = db::accounts::get_user(conn, &invitation.user_id)?;
            invitations::withdraw(conn, &by, caller.account_id(), &user)?;
            return Ok(Removed::Invitation(user.email));
        }
        let user = db::accounts::get_user(conn, user_id)?;
        // Their roles in the account's groups go too: a group gives its users roles in the
        // managed accounts it holds, which no one outside the account may keep.
        let reached = grants::accounts_reached_by_administering_groups(
            conn,
            caller.account_id(),
            Some(user_id),
            None,
        )?;
        db::accounts::delete_user_roles(conn, user_id, caller.account_id())?;
        db::groups::delete_group_users_of(conn, caller.account_id(), user_id)?;
        invitations::withdraw(conn, &by, caller.account_id(), &user)?;
        audit::record(
            conn,
            &by,
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::UserRemoved,
                target_type: "user",
                target_id: Some(user_id),
                summary: format!("{} removed from the account", user.email),
            },
        )?;
        let account = db::accounts::get_account(conn, caller.account_id())?;
        grants::ensure_administered(conn, &account)?;
        grants::ensure_group_accounts_administered(conn, &reached)?;
        Ok(Removed::Member(user.email))
    })
}

/// The change-password form.
#[derive(Debug, Clone, Default)]
pub struct ChangePasswordInput {
    pub current: String,
    pub new: String,
    pub confirm: String,
}

/// Changes the caller's password: rotates the security stamp, ends every session of the
/// user, and says what this browser's new session holds.
pub fn change_password(
    ctx: &Ctx,
    input: &ChangePasswordInput,
    bcrypt_cost: u32,
) -> Result<Started, AppError> {
    let caller = ctx.caller();
    let person = Person {
        user_id: caller.user_id(),
        email: caller.email(),
        client_addr: caller.client_addr().unwrap_or("cli"),
    };
    change_own_password(
        ctx.instance(),
        &person,
        Some(caller.account_id()),
        input,
        bcrypt_cost,
    )
}

/// Changes a signed-in user's own password, in their current account if they have one (a
/// user whose only memberships are pending invitations has none): a wrong current password
/// counts toward the sign-in throttle and is audited.
pub fn change_own_password(
    instance: &Instance,
    person: &Person<'_>,
    account: Option<&AccountId>,
    input: &ChangePasswordInput,
    bcrypt_cost: u32,
) -> Result<Started, AppError> {
    let pool = &instance.pool;
    let user = db::read(pool, |conn| db::accounts::get_user(conn, person.user_id))?;
    // A wrong current password is a failed sign-in for the throttle: the same quotas per
    // e-mail and per address, so that a stolen session cannot guess the password either.
    let throttle = &instance.throttle;
    let (email_key, address) = (name_key(&user.email), person.client_addr);
    throttle.check(&email_key, address).map_err(too_many)?;
    let by = person.by();
    let mut errors = FieldErrors::new();
    if !passwords::verify(&input.current, Some(&user.password_hash), bcrypt_cost) {
        db::write(pool, |conn| {
            audit::record(
                conn,
                &by,
                Entry {
                    account_id: account.map(|a| a.as_str()),
                    action: Action::PasswordChangeFailed,
                    target_type: "user",
                    target_id: Some(&user.id),
                    summary: format!("{} gave a wrong current password to change it", user.email),
                },
            )
        })?;
        throttle
            .record_failure(&email_key, address)
            .map_err(too_many)?;
        errors.add("current_password", "The current password is not correct.");
    }
    errors.check("new_password", v::password("New Password", &input.new));
    if errors.get("new_password").is_none() && input.new != input.confirm {
        errors.add("confirm_password", "The two new passwords differ.");
    }
    errors.into_result()?;
    let hash = passwords::hash(&input.new, bcrypt_cost)?;
    let stamp = db::new_id();
    db::write(pool, |conn| {
        db::accounts::update_user_password(conn, &user, &hash, &stamp)?;
        db::sessions::delete_for_user(conn, &user.id)?;
        audit::record(
            conn,
            &by,
            Entry {
                account_id: account.map(|a| a.as_str()),
                action: Action::PasswordChanged,
                target_type: "user",
                target_id: Some(&user.id),
                summary: format!("{} changed their password", user.email),
            },
        )
    })?;
    Ok(Started {
        user_id: user.id.clone(),
        account_id: account.cloned(),
        security_stamp: stamp,
        csrf_token: new_csrf(),
        flash: Some(
            "status:Your password was changed. Your other sessions were signed out.".to_owned(),
        ),
        created_at: instance.settings.session.clock.now(),
    })
}
