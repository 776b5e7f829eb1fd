//! The users of an account: list, add with a role, remove, and changing one's own password.

use crate::db::ids::*;
use std::collections::BTreeMap;

use crate::db::accounts::{NewUser, Role, User};
use crate::db::sessions::Session;
use crate::db::{self};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::accounts::grants;
use crate::services::accounts::sessions::{new_token, too_many};
use crate::services::audit::{self, By, Entry};
use crate::services::passwords;

/// A user of the account with the names of their roles there.
#[derive(Debug, Clone)]
pub struct AccountUser {
    pub user: User,
    pub roles: Vec<String>,
}

/// The account's users by e-mail, with their roles (User Management).
pub fn list(ctx: &Ctx) -> Result<Vec<AccountUser>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::UserManagement)?;
    let rows = ctx.read(|conn| db::accounts::list_account_users(conn, caller.account_id()))?;
    let mut by_id: BTreeMap<UserId, AccountUser> = BTreeMap::new();
    let mut order = Vec::new();
    for (user, role) in rows {
        let entry = by_id.entry(user.id.clone()).or_insert_with(|| {
            order.push(user.id.clone());
            AccountUser {
                user,
                roles: Vec::new(),
            }
        });
        entry.roles.push(role.name);
    }
    Ok(order
        .into_iter()
        .filter_map(|id| by_id.remove(&id))
        .collect())
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
    NewUser,
    ExistingUser,
}

/// Gives a user a role in the account, creating the user when the e-mail is new (an existing
/// user keeps their name and password).
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
        if let (Some(user), Some(role)) = (&existing, &role)
            && db::accounts::has_user_role(conn, &user.id, caller.account_id(), &role.id)?
        {
            errors.add(
                "email",
                format!(
                    "This user already has the {} role in this account.",
                    role.name
                ),
            );
        }
        errors.into_result()?;
        let role = role.ok_or_else(|| AppError::invalid("role", "Choose a role."))?;
        grants::check_assignable(caller, &role, "role")?;
        let now = db::now();
        let by = By::from(caller);
        let (user_id, email, added) = match existing {
            Some(user) => (user.id, user.email, Added::ExistingUser),
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
                        name: input.name.trim(),
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

/// Takes every role of a user in the account away; the user keeps access elsewhere.
/// Nobody removes themselves (that would lock the account out by accident).
pub fn remove(ctx: &Ctx, user_id: &UserId) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::UserManagement)?;
    if user_id == caller.user_id() {
        return Err(AppError::BadRequest(
            "You cannot remove yourself from the account.".to_owned(),
        ));
    }
    ctx.write(|conn| {
        if db::accounts::count_user_roles_in_account(conn, user_id, caller.account_id())? == 0 {
            return Err(AppError::NotFound);
        }
        let user = db::accounts::get_user(conn, user_id)?;
        db::accounts::delete_user_roles(conn, user_id, caller.account_id())?;
        audit::record(
            conn,
            &By::from(caller),
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
        Ok(user.email)
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
/// user, and starts a new one for this browser (its token is returned).
pub fn change_password(
    ctx: &Ctx,
    input: &ChangePasswordInput,
    bcrypt_cost: u32,
) -> Result<String, AppError> {
    let caller = ctx.caller();
    let user = ctx.read(|conn| db::accounts::get_user(conn, caller.user_id()))?;
    // A wrong current password is a failed sign-in for the throttle: the same quotas per
    // e-mail and per address, so that a stolen session cannot guess the password either.
    let throttle = &ctx.instance().throttle;
    let (email_key, address) = (name_key(&user.email), caller.client_addr().unwrap_or("cli"));
    throttle.check(&email_key, address).map_err(too_many)?;
    let mut errors = FieldErrors::new();
    if !passwords::verify(&input.current, Some(&user.password_hash), bcrypt_cost) {
        ctx.write(|conn| {
            audit::record(
                conn,
                &By::from(caller),
                Entry {
                    account_id: Some(caller.account_id()),
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
    let (token, id_hash) = new_token();
    let now = db::now();
    ctx.write(|conn| {
        db::accounts::update_user_password(conn, &user, &hash, &stamp)?;
        db::sessions::delete_for_user(conn, &user.id)?;
        db::sessions::insert(
            conn,
            &Session {
                id_hash,
                user_id: Some(user.id.clone()),
                account_id: Some(caller.account_id().clone()),
                security_stamp: Some(stamp.clone()),
                csrf_token: new_token().0,
                flash: Some(
                    "status:Your password was changed. Your other sessions were signed out."
                        .to_owned(),
                ),
                created_at: now,
                last_seen_at: now,
            },
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::PasswordChanged,
                target_type: "user",
                target_id: Some(&user.id),
                summary: format!("{} changed their password", user.email),
            },
        )
    })?;
    Ok(token)
}
