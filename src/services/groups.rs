//! Account groups of a primary account: members (managed accounts), users with a role in
//! every member account, and resources (published processes offered to the members).

use crate::db::accounts::{Account, Role, User};
use crate::db::groups::AccountGroup;
use crate::db::ids::*;
use crate::db::library::PublishedProcess;
use crate::db::seek::{Seek, Window};
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::build::ComponentType;
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Ctx;
use crate::services::accounts::grants;
use crate::services::audit::{self, By, Entry};
use crate::services::cache::{Tagged, Weight};

pub const ALL_ACCOUNTS: &str = "All Accounts";

fn allowed(caller: &Caller) -> Result<(), AppError> {
    caller.require_primary()?;
    caller.require(Privilege::AccountGroupManagement)
}

fn record(
    conn: &mut DbConnection,
    caller: &Caller,
    action: Action,
    target: &str,
    summary: String,
) -> Result<(), AppError> {
    audit::record(
        conn,
        &By::from(caller),
        Entry {
            account_id: Some(caller.account_id()),
            action,
            target_type: "group",
            target_id: Some(target),
            summary,
        },
    )
}

/// Gives a primary account its *All Accounts* group when it has none.
pub fn ensure_all_accounts(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<(), AppError> {
    if db::groups::find_all_accounts_group(conn, account_id)?.is_none() {
        db::groups::insert_group(
            conn,
            &AccountGroup {
                id: GroupId::generate(),
                account_id: account_id.to_owned(),
                name: ALL_ACCOUNTS.to_owned(),
                name_key: name_key(ALL_ACCOUNTS),
                all_accounts: true,
                created_at: db::now(),
                all_platform: false,
            },
        )?;
    }
    Ok(())
}

fn group(conn: &mut DbConnection, caller: &Caller, id: &GroupId) -> Result<AccountGroup, AppError> {
    db::groups::find_group_for_account(conn, caller.account_id(), id)?.ok_or(AppError::NotFound)
}

fn editable(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &GroupId,
) -> Result<AccountGroup, AppError> {
    let group = group(conn, caller, id)?;
    if group.all_accounts {
        return Err(AppError::Conflict(
            "All Accounts always holds every managed account; it cannot be changed that way."
                .to_owned(),
        ));
    }
    if group.all_platform {
        return Err(AppError::Conflict(
            "All Platform Accounts always holds every account of every partner; it cannot be changed that way."
                .to_owned(),
        ));
    }
    Ok(group)
}

/// The groups, *All Accounts* first.
pub fn list(ctx: &Ctx) -> Result<Vec<AccountGroup>, AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.read(|conn| db::groups::list_groups(conn, caller.account_id()))
}

fn check_name(
    conn: &mut DbConnection,
    caller: &Caller,
    name: &str,
    except: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    errors.check("name", v::required_text("Group Name", name, 100));
    if errors.is_empty()
        && db::groups::group_name_taken(conn, caller.account_id(), &name_key(name), except)?
    {
        errors.add("name", "A group with this name already exists.");
    }
    Ok(errors.into_result()?)
}

pub fn create(ctx: &Ctx, name: &str) -> Result<GroupId, AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    let clean = v::clean_name(name);
    let name = clean.as_str();
    ctx.write(|conn| {
        check_name(conn, caller, name, "")?;
        let id = GroupId::generate();
        db::groups::insert_group(
            conn,
            &AccountGroup {
                id: id.clone(),
                account_id: caller.account_id().clone(),
                name: name.to_owned(),
                name_key: name_key(name),
                all_accounts: false,
                created_at: db::now(),
                all_platform: false,
            },
        )?;
        record(
            conn,
            caller,
            Action::GroupCreated,
            &id,
            format!("Account group {name} created"),
        )?;
        Ok(id)
    })
}

pub fn rename(ctx: &Ctx, id: &GroupId, name: &str) -> Result<(), AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    let clean = v::clean_name(name);
    let name = clean.as_str();
    ctx.write(|conn| {
        let group = editable(conn, caller, id)?;
        check_name(conn, caller, name, &group.id)?;
        db::groups::rename_group(conn, &group, name, &name_key(name))?;
        record(
            conn,
            caller,
            Action::GroupRenamed,
            &group.id,
            format!("Account group {} renamed to {name}", group.name),
        )
    })
}

pub fn delete(ctx: &Ctx, id: &GroupId) -> Result<String, AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.write(|conn| {
        let group = editable(conn, caller, id)?;
        let reached = if held_administrators(conn, &group)? {
            reached_accounts(conn, &group)?
        } else {
            Vec::new()
        };
        db::groups::delete_group(conn, &group)?;
        grants::ensure_group_accounts_administered(conn, &reached)?;
        record(
            conn,
            caller,
            Action::GroupDeleted,
            &group.id,
            format!("Account group {} deleted", group.name),
        )?;
        Ok(group.name)
    })
}

/// A group's page: one page of members, its users and the roles to give, its resources.
#[derive(Debug, Clone)]
pub struct GroupPage {
    pub group: AccountGroup,
    pub members: Vec<Account>,
    pub member_count: i64,
    /// Whether members come before and after those shown.
    pub earlier_members: bool,
    pub later_members: bool,
    pub users: Vec<(User, Role)>,
    pub roles: Vec<Role>,
}

/// A page of a group's resources.
#[derive(Debug, Clone)]
pub struct ResourcesPage {
    pub group: AccountGroup,
    pub resources: Vec<PublishedProcess>,
    /// Whether resources come before and after those shown.
    pub earlier: bool,
    pub later: bool,
}

/// A group's resources by name, a page at a time from a (name key, id) cursor either way.
pub fn resources_page(
    ctx: &Ctx,
    id: &GroupId,
    seek: Seek<(&str, &str)>,
    limit: i64,
) -> Result<ResourcesPage, AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.read(|conn| {
        let group = group(conn, caller, id)?;
        let rows = db::groups::list_resources(conn, &group.id, seek.clone(), limit + 1)?;
        let window = Window::of(rows, usize::try_from(limit).unwrap_or(usize::MAX), &seek);
        Ok(ResourcesPage {
            group,
            resources: window.rows,
            earlier: window.earlier,
            later: window.later,
        })
    })
}

impl Weight for GroupPage {
    fn weight(&self) -> u64 {
        u64::try_from(self.members.len() + self.users.len() + self.roles.len()).unwrap_or(u64::MAX)
            + 1
    }
}

/// Which group page: the account, the group, the members' cursor and the page size.
pub type GroupPageKey = (AccountId, String, Seek<String>, i64);

fn page_key(caller: &Caller, id: &GroupId, seek: &Seek<&str>, limit: i64) -> GroupPageKey {
    (
        caller.account_id().clone(),
        id.to_owned().into_string(),
        seek.clone().map(str::to_owned),
        limit,
    )
}

/// A group's Access Control page (its members a page at a time from a name-key cursor,
/// its users and the roles to give them) as of `generation`, from memory when that recent.
/// Every table it reads moves the generation, except the users' email and name, which never
/// change.
pub fn page(
    ctx: &Ctx,
    id: &GroupId,
    seek: Seek<&str>,
    limit: i64,
) -> Result<std::sync::Arc<Tagged<GroupPage>>, AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    let key = page_key(caller, id, &seek, limit);
    ctx.cached(
        |c| &c.group_pages,
        &key,
        || {
            ctx.read(|conn| {
                let group = group(conn, caller, id)?;
                let rows = db::groups::list_members(conn, &group, seek.clone(), limit + 1)?;
                let members = Window::of(rows, usize::try_from(limit).unwrap_or(usize::MAX), &seek);
                Ok(GroupPage {
                    member_count: db::groups::count_members(conn, &group)?,
                    users: db::groups::list_group_users(conn, &group.id)?,
                    roles: db::accounts::list_roles(conn, caller.account_id())?,
                    members: members.rows,
                    earlier_members: members.earlier,
                    later_members: members.later,
                    group,
                })
            })
        },
    )
}

/// One group of the caller's account.
pub fn find(ctx: &Ctx, id: &GroupId) -> Result<AccountGroup, AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.read(|conn| group(conn, caller, id))
}

/// Managed accounts not in the group, matching a search (the Add Accounts chooser).
pub fn member_candidates(
    ctx: &Ctx,
    id: &GroupId,
    search: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<(AccountGroup, Vec<Account>), AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.read(|conn| {
        let group = editable(conn, caller, id)?;
        let found = db::groups::list_member_candidates(conn, &group, search, after, limit)?;
        Ok((group, found))
    })
}

/// Adds managed accounts of the primary to a group; returns how many were added.
pub fn add_members(ctx: &Ctx, id: &GroupId, account_ids: &[AccountId]) -> Result<usize, AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.write(|conn| {
        let group = editable(conn, caller, id)?;
        let accounts = db::groups::list_managed_by_ids(conn, caller.account_id(), account_ids)?;
        if accounts.is_empty() {
            return Err(AppError::invalid("accounts", "Tick at least one account."));
        }
        let now = db::now();
        let mut added = 0;
        for account in &accounts {
            if !db::groups::is_member(conn, &group.id, &account.id)? {
                db::groups::add_member(conn, &group.id, &account.id, now)?;
                record(
                    conn,
                    caller,
                    Action::GroupAccountAdded,
                    &group.id,
                    format!("{} added to {}", account.name, group.name),
                )?;
                added += 1;
            }
        }
        Ok(added)
    })
}

pub fn remove_member(ctx: &Ctx, id: &GroupId, account_id: &AccountId) -> Result<String, AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.write(|conn| {
        let group = editable(conn, caller, id)?;
        let account = managed_account(conn, caller, account_id)?;
        if db::groups::remove_member(conn, &group.id, &account.id)? == 0 {
            return Err(AppError::NotFound);
        }
        if held_administrators(conn, &group)? {
            grants::ensure_group_accounts_administered(conn, std::slice::from_ref(&account))?;
        }
        record(
            conn,
            caller,
            Action::GroupAccountRemoved,
            &group.id,
            format!("{} removed from {}", account.name, group.name),
        )?;
        Ok(account.name)
    })
}

/// Gives a user of the primary account a role in every member account of the group.
pub fn add_user(ctx: &Ctx, id: &GroupId, email: &str, role_id: &RoleId) -> Result<(), AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.write(|conn| {
        let group = group(conn, caller, id)?;
        if group.all_platform {
            return Err(AppError::Conflict(
                "All Platform Accounts has no users: it only shares processes with every account."
                    .to_owned(),
            ));
        }
        let mut errors = FieldErrors::new();
        let user =
            db::groups::find_account_user_by_email(conn, caller.account_id(), &name_key(email))?;
        if user.is_none() {
            errors.add(
                "email",
                "No user of this account has this e-mail; add them on the Users page first.",
            );
        }
        let role = db::accounts::find_role_for_account(conn, caller.account_id(), role_id)?;
        if role.is_none() {
            errors.add("role", "Choose a role.");
        }
        if let Some(u) = &user
            && db::groups::find_group_user(conn, &group.id, &u.id)?.is_some()
        {
            errors.add(
                "email",
                "This user is already in the group; remove them first to change their role.",
            );
        }
        errors.into_result()?;
        let (Some(user), Some(role)) = (user, role) else {
            return Err(AppError::invalid("email", "Choose a user."));
        };
        grants::check_assignable(caller, &role, "role")?;
        db::groups::add_group_user(conn, &group.id, &user.id, &role.id, db::now())?;
        record(
            conn,
            caller,
            Action::GroupUserAdded,
            &group.id,
            format!(
                "{} holds {} in every account of {}",
                user.email, role.name, group.name
            ),
        )
    })
}

/// Gives a user of the group another role in every member account (the same grant limits as
/// adding them; the group's accounts must stay administered). Returns the user's e-mail and
/// the role's name.
pub fn change_user_role(
    ctx: &Ctx,
    id: &GroupId,
    user_id: &UserId,
    role_id: &RoleId,
) -> Result<(String, String), AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.write(|conn| {
        let group = group(conn, caller, id)?;
        let before =
            db::groups::find_group_user(conn, &group.id, user_id)?.ok_or(AppError::NotFound)?;
        let role = db::accounts::find_role_for_account(conn, caller.account_id(), role_id)?
            .ok_or_else(|| AppError::invalid("role", "Choose a role."))?;
        grants::check_assignable(caller, &role, "role")?;
        db::groups::set_group_user_role(conn, &group.id, user_id, &role.id)?;
        // As when a role is edited: whenever the role left behind administered, the group's
        // accounts must still have an administrator (one holding both privileges).
        ensure_still_administered(conn, caller, &group, &before)?;
        let user = db::accounts::get_user(conn, user_id)?;
        record(
            conn,
            caller,
            Action::GroupUserRoleChanged,
            &group.id,
            format!(
                "{} holds {} in every account of {}",
                user.email, role.name, group.name
            ),
        )?;
        Ok((user.email, role.name))
    })
}

/// The user a *Users in Group* row names, the role they hold there and the roles to give
/// (for *Change Role* and the removal confirmation).
pub fn group_user_role(
    ctx: &Ctx,
    id: &GroupId,
    user_id: &UserId,
) -> Result<(AccountGroup, String, RoleId, Vec<Role>), AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.read(|conn| {
        let group = group(conn, caller, id)?;
        let role =
            db::groups::find_group_user(conn, &group.id, user_id)?.ok_or(AppError::NotFound)?;
        let email = db::accounts::get_user(conn, user_id)?.email;
        let roles = db::accounts::list_roles(conn, caller.account_id())?;
        Ok((group, email, RoleId::from(role), roles))
    })
}

/// After a group user gave up `role_left` (removed, or given another role): when that role
/// administered, every account the group reaches must still have an administrator.
fn ensure_still_administered(
    conn: &mut DbConnection,
    caller: &Caller,
    group: &AccountGroup,
    role_left: &str,
) -> Result<(), AppError> {
    let administered =
        db::accounts::find_role_for_account(conn, caller.account_id(), &RoleId::from(role_left))?
            .is_some_and(|r| grants::administers(&r.privileges));
    if administered {
        let reached = reached_accounts(conn, group)?;
        grants::ensure_group_accounts_administered(conn, &reached)?;
    }
    Ok(())
}

pub fn remove_user(ctx: &Ctx, id: &GroupId, user_id: &UserId) -> Result<String, AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.write(|conn| {
        let group = group(conn, caller, id)?;
        let role =
            db::groups::find_group_user(conn, &group.id, user_id)?.ok_or(AppError::NotFound)?;
        if db::groups::remove_group_user(conn, &group.id, user_id)? == 0 {
            return Err(AppError::NotFound);
        }
        ensure_still_administered(conn, caller, &group, &role)?;
        let user = db::accounts::get_user(conn, user_id)?;
        record(
            conn,
            caller,
            Action::GroupUserRemoved,
            &group.id,
            format!("{} removed from {}", user.email, group.name),
        )?;
        Ok(user.email)
    })
}

/// Published processes not yet offered by the group (never API services).
pub fn resource_candidates(
    ctx: &Ctx,
    id: &GroupId,
    search: Option<&str>,
) -> Result<(AccountGroup, Vec<PublishedProcess>), AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.read(|conn| {
        let group = group(conn, caller, id)?;
        let found = db::library::list_processes_not_in_group(
            conn,
            caller.account_id(),
            &group.id,
            search,
            200,
        )?;
        Ok((group, found))
    })
}

const API_SERVICE_REFUSED: &str = "API Service publications are for integration packs only: they cannot be shared with an account group.";

/// Offers published processes to a group's accounts; returns how many were added.
pub fn add_resources(
    ctx: &Ctx,
    id: &GroupId,
    process_ids: &[ProcessId],
) -> Result<usize, AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.write(|conn| {
        let group = group(conn, caller, id)?;
        if process_ids.is_empty() {
            return Err(AppError::invalid(
                "processes",
                "Tick at least one published process.",
            ));
        }
        let now = db::now();
        let mut added = 0;
        for process_id in process_ids {
            let process =
                db::library::find_process_for_account(conn, caller.account_id(), process_id)?
                    .ok_or_else(|| {
                        AppError::invalid(
                            "processes",
                            "One of the chosen processes is not published by this account.",
                        )
                    })?;
            if process.component_type == ComponentType::ApiService.code() {
                return Err(AppError::invalid(
                    "processes",
                    format!("{}: {API_SERVICE_REFUSED}", process.name),
                ));
            }
            if !db::groups::is_resource(conn, &group.id, &process.id)? {
                db::groups::add_resource(conn, &group.id, &process.id, now)?;
                record(
                    conn,
                    caller,
                    Action::GroupResourceAdded,
                    &group.id,
                    format!("{} shared with {}", process.name, group.name),
                )?;
                added += 1;
            }
        }
        Ok(added)
    })
}

/// A managed account of the caller's primary account (404 for any other).
fn managed_account(
    conn: &mut DbConnection,
    caller: &Caller,
    account_id: &AccountId,
) -> Result<Account, AppError> {
    db::groups::list_managed_by_ids(conn, caller.account_id(), std::slice::from_ref(account_id))?
        .pop()
        .ok_or(AppError::NotFound)
}

/// The account a member row names, for the removal confirmation.
pub fn member(
    ctx: &Ctx,
    id: &GroupId,
    account_id: &AccountId,
) -> Result<(AccountGroup, String), AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.read(|conn| {
        let group = group(conn, caller, id)?;
        let account = managed_account(conn, caller, account_id)?;
        if group.all_accounts || !db::groups::is_member(conn, &group.id, &account.id)? {
            return Err(AppError::NotFound);
        }
        Ok((group, account.name))
    })
}

/// The process a resource row names, for the removal confirmation.
pub fn resource(
    ctx: &Ctx,
    id: &GroupId,
    process_id: &ProcessId,
) -> Result<(AccountGroup, PublishedProcess), AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.read(|conn| {
        let group = group(conn, caller, id)?;
        let process = db::library::find_process_for_account(conn, caller.account_id(), process_id)?
            .ok_or(AppError::NotFound)?;
        if !db::groups::is_resource(conn, &group.id, &process.id)? {
            return Err(AppError::NotFound);
        }
        Ok((group, process))
    })
}

/// Stops offering a process to the group's accounts (installed copies stay theirs).
pub fn remove_resource(
    ctx: &Ctx,
    id: &GroupId,
    process_id: &ProcessId,
) -> Result<String, AppError> {
    let caller = ctx.caller();
    allowed(caller)?;
    ctx.write(|conn| {
        let group = group(conn, caller, id)?;
        let process = db::library::find_process_for_account(conn, caller.account_id(), process_id)?
            .ok_or(AppError::NotFound)?;
        if db::groups::remove_resource(conn, &group.id, &process.id)? == 0 {
            return Err(AppError::NotFound);
        }
        record(
            conn,
            caller,
            Action::GroupResourceRemoved,
            &group.id,
            format!("{} no longer shared with {}", process.name, group.name),
        )?;
        Ok(process.name)
    })
}

/// Whether a group gives anyone a role that administers users (see
/// [`grants::administers`]).
fn held_administrators(conn: &mut DbConnection, group: &AccountGroup) -> Result<bool, AppError> {
    Ok(db::groups::list_group_users(conn, &group.id)?
        .iter()
        .any(|(_, role)| grants::administers(&role.privileges)))
}

/// Every managed account a group reaches (All Accounts: every one of its primary).
fn reached_accounts(
    conn: &mut DbConnection,
    group: &AccountGroup,
) -> Result<Vec<Account>, AppError> {
    db::groups::list_members(conn, group, Seek::First, i64::MAX)
}
