//! Roles: the built-in ones (read-only) and the account's custom roles.

use crate::db::accounts::{NewRole, Role};
use crate::db::ids::*;
use crate::db::{self, DbConnection};
use crate::domain::accounts::{Privilege, Privileges};
use crate::domain::audit::Action;
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Ctx;
use crate::services::accounts::grants;
use crate::services::audit::{self, By, Entry};

/// The role form: a name and the privileges ticked.
#[derive(Debug, Clone, Default)]
pub struct RoleInput {
    pub name: String,
    pub privileges: Privileges,
}

/// Built-in roles, then the account's own (any signed-in user of the account may read them:
/// the Users page needs them; changing them takes User Management).
pub fn list(ctx: &Ctx) -> Result<Vec<Role>, AppError> {
    let caller = ctx.caller();
    ctx.read(|conn| db::accounts::list_roles(conn, caller.account_id()))
}

/// One of the account's custom roles, for editing (404 for built-in and foreign ones).
pub fn get_custom(ctx: &Ctx, role_id: &RoleId) -> Result<Role, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::UserManagement)?;
    ctx.read(|conn| custom_role(conn, caller, role_id))
}

fn custom_role(
    conn: &mut DbConnection,
    caller: &Caller,
    role_id: &RoleId,
) -> Result<Role, AppError> {
    db::accounts::find_role_for_account(conn, caller.account_id(), role_id)?
        .filter(|r| !r.builtin)
        .ok_or(AppError::NotFound)
}

fn validate(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &RoleInput,
    except_id: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    errors.check("role_name", v::required_text("Role Name", &input.name, 100));
    if errors.get("role_name").is_none()
        && db::accounts::role_name_taken(
            conn,
            caller.account_id(),
            &name_key(&input.name),
            except_id,
        )?
    {
        errors.add("role_name", "A role with this name already exists.");
    }
    if input.privileges.is_empty() {
        errors.add("privileges", "Tick at least one privilege.");
    }
    Ok(errors.into_result()?)
}

/// Creates a custom role in the account (User Management).
pub fn create(ctx: &Ctx, input: &RoleInput) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::UserManagement)?;
    ctx.write(|conn| {
        validate(conn, caller, input, "")?;
        grants::check_grantable(caller, input.privileges, "privileges")?;
        let id = db::new_id();
        let clean = v::clean_name(&input.name);
        let name = clean.as_str();
        db::accounts::insert_role(
            conn,
            &NewRole {
                id: &id,
                account_id: Some(caller.account_id()),
                name,
                name_key: &name_key(name),
                privileges: &input.privileges.to_text(),
                builtin: false,
                created_at: db::now(),
            },
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::RoleCreated,
                target_type: "role",
                target_id: Some(&id),
                summary: format!("Role {name} created with {}", input.privileges),
            },
        )?;
        Ok(id)
    })
}

/// Renames a custom role and sets its privileges; takes effect on its holders' next request.
pub fn update(ctx: &Ctx, role_id: &RoleId, input: &RoleInput) -> Result<(), AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::UserManagement)?;
    ctx.write(|conn| {
        let role = custom_role(conn, caller, role_id)?;
        grants::check_not_held(conn, caller, &role)?;
        validate(conn, caller, input, &role.id)?;
        grants::check_grantable(caller, input.privileges, "privileges")?;
        let clean = v::clean_name(&input.name);
        let name = clean.as_str();
        db::accounts::update_role(
            conn,
            &role,
            name,
            &name_key(name),
            &input.privileges.to_text(),
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::RoleUpdated,
                target_type: "role",
                target_id: Some(&role.id),
                summary: format!("Role {name} now grants {}", input.privileges),
            },
        )?;
        let account = db::accounts::get_account(conn, caller.account_id())?;
        grants::ensure_administered(conn, &account)?;
        // Group users of this role hold it in the managed accounts their groups reach.
        if grants::administers(&role.privileges) {
            let reached = grants::accounts_reached_by_administering_groups(
                conn,
                caller.account_id(),
                None,
                Some(&role.id),
            )?;
            grants::ensure_group_accounts_administered(conn, &reached)?;
        }
        Ok(())
    })
}

/// Deletes a custom role nobody holds.
pub fn delete(ctx: &Ctx, role_id: &RoleId) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::UserManagement)?;
    ctx.write(|conn| {
        let role = custom_role(conn, caller, role_id)?;
        let uses = db::accounts::count_role_uses(conn, &role.id)?;
        if uses > 0 {
            let holders = usize::try_from(uses).unwrap_or(usize::MAX);
            return Err(AppError::Conflict(format!(
                "The role {} is held by {}; remove it from them first.",
                role.name,
                crate::domain::text::count(holders, "user", "users")
            )));
        }
        db::accounts::delete_role(conn, &role)?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::RoleDeleted,
                target_type: "role",
                target_id: Some(&role.id),
                summary: format!("Role {} deleted", role.name),
            },
        )?;
        Ok(role.name)
    })
}

/// Tells whether every privilege code in the list is known.
pub fn parse_privileges(codes: &[String]) -> Privileges {
    codes
        .iter()
        .filter_map(|c| Privilege::from_code(c))
        .fold(Privileges::none(), |set, p| set.with(p))
}
