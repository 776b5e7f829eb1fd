//! The demo world: a small, realistic set of accounts, users, components and packages,
//! seeded idempotently.

mod build;
mod legacy;
mod library;
mod packs;
mod platform;
pub mod scale;

use crate::db::accounts::NewUser;
use crate::db::ids::{AccountId, RoleId, UserId};
use crate::db::{self, DbConnection};
use crate::domain::accounts::{AccountKind, BuiltInRole, Feature, Features};
use crate::domain::audit::{Action, Source};
use crate::domain::validation::name_key;
use crate::error::AppError;
use std::sync::Arc;

use crate::services::accounts::invitations;
use crate::services::accounts::setup::{NewAccountInput, create_account};
use crate::services::audit::{self, By, Entry};
use crate::services::passwords;
use crate::services::{Caller, Ctx, Instance};

pub const PRIMARY: &str = "Demo Partner";

/// Who can sign in to the demo, and as what.
pub struct DemoSignIn {
    pub email: &'static str,
    pub account: &'static str,
    pub role: &'static str,
}

const PEOPLE: [(&str, &str, &str, BuiltInRole); 11] = [
    (
        "admin@demo.test",
        "Dana Admin",
        PRIMARY,
        BuiltInRole::Administrator,
    ),
    (
        "builder@demo.test",
        "Sam Builder",
        PRIMARY,
        BuiltInRole::StandardUser,
    ),
    (
        "prodsupport@demo.test",
        "Pat Production",
        PRIMARY,
        BuiltInRole::ProductionSupport,
    ),
    (
        "support@demo.test",
        "Lee Support",
        PRIMARY,
        BuiltInRole::Support,
    ),
    (
        "admin@acme.test",
        "Alex Acme",
        "Acme Retail",
        BuiltInRole::Administrator,
    ),
    (
        "buyer@acme.test",
        "Robin Acme",
        "Acme Retail",
        BuiltInRole::StandardUser,
    ),
    (
        "admin@globex.test",
        "Gale Globex",
        "Globex Logistics",
        BuiltInRole::Administrator,
    ),
    (
        "consultant@demo.test",
        "Casey Consultant",
        "Globex Logistics",
        BuiltInRole::StandardUser,
    ),
    (
        "ops@atlas.test",
        "Ola Operator",
        platform::PLATFORM,
        BuiltInRole::Administrator,
    ),
    (
        "legacy@harbor.test",
        "Harper Harbor",
        legacy::LEGACY,
        BuiltInRole::Administrator,
    ),
    (
        "admin@pier.test",
        "Pia Pier",
        legacy::LEGACY_CUSTOMER,
        BuiltInRole::Administrator,
    ),
];

/// Extra roles: the consultant works in both managed accounts.
const EXTRA: [(&str, &str, BuiltInRole); 1] = [(
    "consultant@demo.test",
    "Acme Retail",
    BuiltInRole::StandardUser,
)];

/// Invitations waiting for an answer: (user, their name, account, role, invited by). The
/// guest belongs to no account yet, so signs in to the Invitations page; the buyer of Acme
/// finds Globex's invitation on Settings > Account Information.
const INVITATIONS: [(&str, &str, &str, BuiltInRole, &str); 2] = [
    (
        "guest@demo.test",
        "Gabi Guest",
        PRIMARY,
        BuiltInRole::StandardUser,
        "admin@demo.test",
    ),
    (
        "buyer@acme.test",
        "",
        "Globex Logistics",
        BuiltInRole::StandardUser,
        "admin@globex.test",
    ),
];

/// Seeds the demo world; running it again changes nothing. Returns the sign-ins.
pub fn seed(instance: &Arc<Instance>, password: &str) -> Result<Vec<DemoSignIn>, AppError> {
    let pool = &instance.pool;
    let hash = passwords::hash(password, instance.settings.bcrypt_cost)?;
    let (primary_id, platform_id, people) = db::write(pool, |conn| {
        let by = By {
            user_id: None,
            email: None,
            source: Source::Cli,
            client_addr: None,
        };
        let primary_id = ensure_account(conn, PRIMARY, AccountKind::Primary, None, &by, &hash)?;
        ensure_library(conn, &primary_id, &by)?;
        let platform_id = ensure_account(
            conn,
            platform::PLATFORM,
            AccountKind::Primary,
            None,
            &by,
            &hash,
        )?;
        ensure_library(conn, &platform_id, &by)?;
        let legacy_id =
            ensure_account(conn, legacy::LEGACY, AccountKind::Primary, None, &by, &hash)?;
        ensure_library(conn, &legacy_id, &by)?;
        ensure_account(
            conn,
            legacy::LEGACY_CUSTOMER,
            AccountKind::Managed,
            Some(&legacy_id),
            &by,
            &hash,
        )?;
        for managed in ["Acme Retail", "Globex Logistics"] {
            ensure_account(
                conn,
                managed,
                AccountKind::Managed,
                Some(&primary_id),
                &by,
                &hash,
            )?;
        }
        let grants = PEOPLE
            .iter()
            .map(|(email, name, account, role)| (*email, *name, *account, *role))
            .chain(
                EXTRA
                    .iter()
                    .map(|(email, account, role)| (*email, "", *account, *role)),
            );
        for (email, name, account, role) in grants {
            ensure_member(conn, email, name, account, role, &hash)?;
        }
        for (email, name, account, role, inviter) in INVITATIONS {
            ensure_invitation(conn, (email, name), account, role, inviter, &hash)?;
        }
        let people = PEOPLE
            .iter()
            .map(|(email, _, account, role)| DemoSignIn {
                email,
                account,
                role: role.name(),
            })
            .collect();
        Ok((primary_id, platform_id, people))
    })?;
    let primary = db::read(pool, |conn| {
        db::accounts::get_account(conn, &AccountId::from(&primary_id))
    })?;
    let partner = Ctx::new(
        instance.clone(),
        Caller::operator(&primary, PEOPLE[0].0),
        db::generations::Generations::none(),
    );
    build::seed(&partner)?;
    library::seed(&partner)?;
    packs::seed(&partner)?;
    crate::services::platform::set(pool, platform::PLATFORM)?;
    let platform_account = db::read(pool, |conn| {
        db::accounts::get_account(conn, &AccountId::from(&platform_id))
    })?;
    let platform_ctx = Ctx::new(
        instance.clone(),
        Caller::operator(&platform_account, "ops@atlas.test"),
        db::generations::Generations::none(),
    );
    platform::seed(&platform_ctx)?;
    legacy::seed(&platform_ctx)?;
    Ok(people)
}

/// Turns the process-library feature on for a demo account, audited, when it is off.
fn ensure_library(conn: &mut DbConnection, account_id: &str, by: &By<'_>) -> Result<(), AppError> {
    let account = db::accounts::get_account(conn, &AccountId::from(account_id))?;
    let features = Features::parse(&account.features);
    if features.has(Feature::ProcessLibrary) {
        return Ok(());
    }
    db::accounts::update_account_features(
        conn,
        &account,
        &features.with(Feature::ProcessLibrary, true).to_text(),
    )?;
    audit::record(
        conn,
        by,
        Entry {
            account_id: Some(&account.id),
            action: Action::FeatureEnabled,
            target_type: "account",
            target_id: Some(&account.id),
            summary: format!("Feature process-library enabled for {}", account.name),
        },
    )
}

fn ensure_account(
    conn: &mut DbConnection,
    name: &str,
    kind: AccountKind,
    parent: Option<&str>,
    by: &By<'_>,
    hash: &str,
) -> Result<String, AppError> {
    if let Some(account) = db::accounts::find_account_by_name(conn, &name_key(name))? {
        return Ok(account.id.into_string());
    }
    let (email, admin_name) = PEOPLE
        .iter()
        .find(|(_, _, account, role)| *account == name && *role == BuiltInRole::Administrator)
        .map(|(e, n, _, _)| (*e, *n))
        .unwrap_or(("admin@demo.test", "Dana Admin"));
    ensure_user(conn, email, admin_name, hash)?;
    let input = NewAccountInput {
        account_name: name.to_owned(),
        admin_email: email.to_owned(),
        admin_name: admin_name.to_owned(),
        admin_password: String::new(),
    };
    Ok(create_account(conn, &input, kind, parent, by, 4)?
        .account_id
        .into_string())
}

fn ensure_user(
    conn: &mut DbConnection,
    email: &str,
    name: &str,
    hash: &str,
) -> Result<String, AppError> {
    if let Some(user) = db::accounts::find_user_by_email(conn, &name_key(email))? {
        return Ok(user.id.into_string());
    }
    let id = db::new_id();
    db::accounts::insert_user(
        conn,
        &NewUser {
            id: &id,
            email,
            email_key: &name_key(email),
            name,
            password_hash: hash,
            security_stamp: &db::new_id(),
            created_at: db::now(),
        },
    )?;
    Ok(id)
}

fn ensure_member(
    conn: &mut DbConnection,
    email: &str,
    name: &str,
    account: &str,
    role: BuiltInRole,
    hash: &str,
) -> Result<(), AppError> {
    let user_id = ensure_user(conn, email, name, hash)?;
    let account =
        db::accounts::find_account_by_name(conn, &name_key(account))?.ok_or(AppError::NotFound)?;
    if !db::accounts::has_user_role(
        conn,
        &UserId::from(&user_id),
        &account.id,
        &RoleId::from(role.id()),
    )? {
        db::accounts::insert_user_role(
            conn,
            &UserId::from(&user_id),
            &account.id,
            &RoleId::from(role.id()),
            db::now(),
        )?;
    }
    Ok(())
}

/// Invites a user (made when missing) into an account, unless they already hold the role
/// there or the invitation is already waiting.
fn ensure_invitation(
    conn: &mut DbConnection,
    (email, name): (&str, &str),
    account: &str,
    role: BuiltInRole,
    inviter: &str,
    hash: &str,
) -> Result<(), AppError> {
    let user_id = UserId::from(ensure_user(conn, email, name, hash)?);
    let account =
        db::accounts::find_account_by_name(conn, &name_key(account))?.ok_or(AppError::NotFound)?;
    let role = db::accounts::find_role_for_account(conn, &account.id, &RoleId::from(role.id()))?
        .ok_or(AppError::NotFound)?;
    if db::accounts::has_user_role(conn, &user_id, &account.id, &role.id)? {
        return Ok(());
    }
    let user = db::accounts::get_user(conn, &user_id)?;
    let by = By {
        user_id: None,
        email: Some(inviter),
        source: Source::Cli,
        client_addr: None,
    };
    invitations::invite(conn, &by, &account.id, &user, &role, db::now())?;
    Ok(())
}
