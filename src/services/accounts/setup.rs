//! Creating accounts with their first administrator: the first-run set-up, the command line,
//! and managed accounts created by a primary account. Also the operator's feature switches.

use crate::db::accounts::{Account, NewAccount, NewUser};
use crate::db::ids::*;
use crate::db::{self, DbConnection, DbPool};
use crate::domain::accounts::{AccountKind, BuiltInRole, Feature, Features, Privilege};
use crate::domain::audit::{Action, Source};
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::audit::{self, By, Entry};
use crate::services::passwords;

/// An account to create and its first administrator.
#[derive(Debug, Clone, Default)]
pub struct NewAccountInput {
    pub account_name: String,
    pub admin_email: String,
    pub admin_name: String,
    pub admin_password: String,
}

/// What was created.
#[derive(Debug, Clone)]
pub struct Created {
    pub account_id: AccountId,
    pub user_id: UserId,
    pub user_existed: bool,
    /// The administrator already existed and was invited (from the web) instead of made a
    /// member: until they accept, the account is run by its partner.
    pub invited: bool,
}

fn validate(
    conn: &mut DbConnection,
    input: &NewAccountInput,
) -> Result<Option<db::accounts::User>, AppError> {
    let mut errors = FieldErrors::new();
    errors.check(
        "account_name",
        v::required_text("Account Name", &input.account_name, 100),
    );
    errors.check(
        "admin_email",
        v::email("Administrator Email", &input.admin_email),
    );
    if errors.get("account_name").is_none()
        && db::accounts::find_account_by_name(conn, &name_key(&input.account_name))?.is_some()
    {
        errors.add("account_name", "An account with this name already exists.");
    }
    let existing = if errors.get("admin_email").is_none() {
        db::accounts::find_user_by_email(conn, &name_key(&input.admin_email))?
    } else {
        None
    };
    if existing.is_none() {
        errors.check(
            "admin_name",
            v::required_text("Administrator Name", &input.admin_name, 100),
        );
        errors.check(
            "admin_password",
            v::password("Administrator Password", &input.admin_password),
        );
    }
    errors.into_result()?;
    Ok(existing)
}

/// Creates an account and gives its administrator the Administrator role. An administrator
/// e-mail that already belongs to a user reuses that user (who keeps their password): from
/// the web they are invited (the account learns nothing of them until they accept); the
/// operator at the command line makes them a member at once.
pub fn create_account(
    conn: &mut DbConnection,
    input: &NewAccountInput,
    kind: AccountKind,
    parent_id: Option<&str>,
    by: &By<'_>,
    bcrypt_cost: u32,
) -> Result<Created, AppError> {
    let existing = validate(conn, input)?;
    let now = db::now();
    let account_id = AccountId::generate();
    let clean = v::clean_name(&input.account_name);
    let name = clean.as_str();
    db::accounts::insert_account(
        conn,
        &NewAccount {
            id: &account_id,
            name,
            name_key: &name_key(name),
            kind: kind.code(),
            parent_id,
            status: "active",
            features: "",
            created_at: now,
        },
    )?;
    crate::services::build::folders::ensure_root(conn, &account_id, name)?;
    if kind == AccountKind::Primary {
        crate::services::groups::ensure_all_accounts(conn, &account_id)?;
    }
    let user_existed = existing.is_some();
    let administrator = RoleId::from(BuiltInRole::Administrator.id());
    // Invited from the web, unless the administrator is the caller themselves.
    let invite = |user: &&db::accounts::User| {
        by.source == Source::Web && by.user_id != Some(user.id.as_str())
    };
    if let Some(user) = existing.as_ref().filter(invite) {
        let role = db::accounts::find_role_for_account(conn, &account_id, &administrator)?
            .ok_or_else(|| AppError::internal("the Administrator role is missing"))?;
        crate::services::accounts::invitations::invite(conn, by, &account_id, user, &role, now)?;
        record_created(conn, input, kind, parent_id, by, &account_id)?;
        return Ok(Created {
            account_id,
            user_id: user.id.clone(),
            user_existed,
            invited: true,
        });
    }
    let user_id = match existing {
        Some(user) => user.id,
        None => {
            let id = UserId::generate();
            let email = input.admin_email.trim();
            let hash = passwords::hash(&input.admin_password, bcrypt_cost)?;
            db::accounts::insert_user(
                conn,
                &NewUser {
                    id: &id,
                    email,
                    email_key: &name_key(email),
                    name: &v::clean_name(&input.admin_name),
                    password_hash: &hash,
                    security_stamp: &db::new_id(),
                    created_at: now,
                },
            )?;
            audit::record(
                conn,
                by,
                Entry {
                    account_id: Some(&account_id),
                    action: Action::UserCreated,
                    target_type: "user",
                    target_id: Some(&id),
                    summary: format!("User {email} created"),
                },
            )?;
            id
        }
    };
    db::accounts::insert_user_role(conn, &user_id, &account_id, &administrator, now)?;
    record_created(conn, input, kind, parent_id, by, &account_id)?;
    Ok(Created {
        account_id,
        user_id,
        user_existed,
        invited: false,
    })
}

/// Audits the creation in the new account and in its parent.
fn record_created(
    conn: &mut DbConnection,
    input: &NewAccountInput,
    kind: AccountKind,
    parent_id: Option<&str>,
    by: &By<'_>,
    account_id: &AccountId,
) -> Result<(), AppError> {
    let name = input.account_name.trim();
    let summary = format!(
        "{} {name} created with administrator {}",
        kind.label(),
        input.admin_email.trim()
    );
    for target in parent_id
        .into_iter()
        .chain(std::iter::once(account_id.as_str()))
    {
        audit::record(
            conn,
            by,
            Entry {
                account_id: Some(target),
                action: Action::AccountCreated,
                target_type: "account",
                target_id: Some(account_id),
                summary: summary.clone(),
            },
        )?;
    }
    Ok(())
}

/// Brings the built-in roles in line with the code and runs the one-off data migrations not
/// yet recorded; run once the migrations are done.
pub fn prepare_database(pool: &DbPool) -> Result<(), AppError> {
    db::write(pool, |conn| {
        db::accounts::ensure_builtin_roles(conn, db::now())?;
        let changed = db::rekey::run_pending(conn)?;
        if changed > 0 {
            tracing::info!(changed, "rows changed by one-off data migrations");
        }
        Ok(())
    })
}

/// Whether the one-time set-up is still open (no account exists yet).
pub fn setup_open(pool: &DbPool) -> Result<bool, AppError> {
    db::read(pool, |conn| Ok(db::accounts::count_accounts(conn)? == 0))
}

/// The one-time set-up of the first primary account; refused once any account exists.
pub fn first_run(
    pool: &DbPool,
    input: &NewAccountInput,
    client_addr: &str,
    bcrypt_cost: u32,
) -> Result<Created, AppError> {
    db::write(pool, |conn| {
        if db::accounts::count_accounts(conn)? > 0 {
            return Err(AppError::NotFound);
        }
        let by = By {
            user_id: None,
            email: Some(input.admin_email.trim()),
            source: Source::Web,
            client_addr: Some(client_addr),
        };
        create_account(conn, input, AccountKind::Primary, None, &by, bcrypt_cost)
    })
}

/// A primary account from the command line.
pub fn create_primary_account(
    pool: &DbPool,
    input: &NewAccountInput,
    bcrypt_cost: u32,
) -> Result<Created, AppError> {
    db::write(pool, |conn| {
        let by = By {
            user_id: None,
            email: None,
            source: Source::Cli,
            client_addr: None,
        };
        create_account(conn, input, AccountKind::Primary, None, &by, bcrypt_cost)
    })
}

/// A managed account of the caller's primary account (Account Administration).
pub fn create_managed_account(
    ctx: &Ctx,
    input: &NewAccountInput,
    bcrypt_cost: u32,
) -> Result<Created, AppError> {
    let caller = ctx.caller();
    caller.require_primary()?;
    caller.require(Privilege::AccountAdministration)?;
    ctx.write(|conn| {
        create_account(
            conn,
            input,
            AccountKind::Managed,
            Some(caller.account_id()),
            &By::from(caller),
            bcrypt_cost,
        )
    })
}

/// The managed accounts of the caller's primary account.
pub fn list_managed_accounts(ctx: &Ctx) -> Result<Vec<Account>, AppError> {
    let caller = ctx.caller();
    caller.require_primary()?;
    caller.require(Privilege::AccountAdministration)?;
    ctx.read(|conn| db::accounts::list_managed_accounts(conn, caller.account_id()))
}

/// The current account, for the Account Information page.
pub fn account_information(ctx: &Ctx) -> Result<Account, AppError> {
    let caller = ctx.caller();
    ctx.read(|conn| db::accounts::get_account(conn, caller.account_id()))
}

/// The operator's switch for an optional feature of an account, by account name.
pub fn set_feature(
    pool: &DbPool,
    account_name: &str,
    feature: Feature,
    on: bool,
) -> Result<bool, AppError> {
    db::write(pool, |conn| {
        let account = db::accounts::find_account_by_name(conn, &name_key(account_name))?
            .ok_or_else(|| AppError::BadRequest(format!("no account is named {account_name:?}")))?;
        let before = Features::parse(&account.features);
        let after = before.clone().with(feature, on);
        if on && feature == Feature::IntegrationPacks && !before.has(Feature::ProcessLibrary) {
            return Err(AppError::BadRequest(format!(
                "{} does not have the process-library feature, which integration-packs needs: enable it first",
                account.name
            )));
        }
        if !on && feature == Feature::ProcessLibrary && before.has(Feature::IntegrationPacks) {
            return Err(AppError::BadRequest(format!(
                "{} has the integration-packs feature, which needs process-library: disable it first",
                account.name
            )));
        }
        if before == after {
            return Ok(false);
        }
        db::accounts::update_account_features(conn, &account, &after.to_text())?;
        let by = By {
            user_id: None,
            email: None,
            source: Source::Cli,
            client_addr: None,
        };
        let (action, verb) = if on {
            (Action::FeatureEnabled, "enabled")
        } else {
            (Action::FeatureDisabled, "disabled")
        };
        audit::record(
            conn,
            &by,
            Entry {
                account_id: Some(&account.id),
                action,
                target_type: "account",
                target_id: Some(&account.id),
                summary: format!("Feature {} {verb} for {}", feature.code(), account.name),
            },
        )?;
        Ok(true)
    })
}
