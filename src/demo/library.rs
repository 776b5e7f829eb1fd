//! The demo partner's publisher profile, publications and account groups.

use crate::db::browse::Installation;
use crate::db::{self, DbPool};
use crate::domain::accounts::BuiltInRole;
use crate::domain::accounts::{AccountKind, Features};
use crate::domain::audit::Source;
use crate::domain::build::ComponentType;
use crate::error::AppError;
use crate::services::Caller;
use crate::services::browse::install::{self, InstallInput};
use crate::services::build::components;
use crate::services::deploy::{self, NewPackage};
use crate::services::groups;
use crate::services::library::publisher::{self, PublisherInput};
use crate::services::library::publishing::{self, PublishInput};
use crate::services::secrets::Sealer;

fn component_id(pool: &DbPool, caller: &Caller, name: &str) -> Result<String, AppError> {
    let types: Vec<&str> = ComponentType::ALL.iter().map(|t| t.code()).collect();
    db::read(pool, |conn| {
        db::build::list_components_of_types(conn, &caller.account_id, &types)
    })?
    .into_iter()
    .find(|c| c.name == name)
    .map(|c| c.id)
    .ok_or(AppError::NotFound)
}

fn publish(
    pool: &DbPool,
    caller: &Caller,
    name: &str,
    description: &str,
    include_passwords: bool,
) -> Result<String, AppError> {
    let component = component_id(pool, caller, name)?;
    let package = db::read(pool, |conn| {
        db::library::list_shareable_packages(conn, &caller.account_id, &component)
    })?
    .into_iter()
    .next()
    .ok_or(AppError::NotFound)?;
    let input = PublishInput {
        component_id: component,
        package_id: package.id,
        description: description.to_owned(),
        include_passwords,
        notes: "Published by the demo.".to_owned(),
    };
    Ok(publishing::publish(pool, caller, &input)?.published_process_id)
}

/// Seeds the publisher, publications, groups and the customers' installations once (skipped
/// when the publisher exists).
pub fn seed(pool: &DbPool, sealer: &Sealer, caller: &Caller) -> Result<(), AppError> {
    if db::read(pool, |conn| {
        db::library::find_publisher(conn, &caller.account_id)
    })?
    .is_some()
    {
        return Ok(());
    }
    publisher::save(
        pool,
        caller,
        &PublisherInput {
            publisher_name: "Demo Partner Integrations".into(),
            publisher_email: "integrations@demo-partner.test".into(),
            publisher_url: "https://demo-partner.test".into(),
            support_email: "support@demo-partner.test".into(),
            support_url: "https://demo-partner.test/support".into(),
        },
    )?;
    let sync = publish(
        pool,
        caller,
        "Sync Accounts to NetSuite",
        "Keeps NetSuite customers in step with Salesforce accounts: new and changed accounts, every run.",
        true,
    )?;
    let nightly = publish(
        pool,
        caller,
        "Nightly Account Sync",
        "Runs the account sync every night and e-mails a report.",
        false,
    )?;
    publish(
        pool,
        caller,
        "Accounts API",
        "On-demand account sync endpoint (integration packs only).",
        false,
    )?;

    let all = db::read(pool, |conn| {
        db::groups::find_all_accounts_group(conn, &caller.account_id)
    })?
    .ok_or(AppError::NotFound)?;
    groups::add_resources(pool, caller, &all.id, std::slice::from_ref(&nightly))?;
    groups::add_user(
        pool,
        caller,
        &all.id,
        "admin@demo.test",
        BuiltInRole::Administrator.id(),
    )?;
    let retail = groups::create(pool, caller, "Retail Customers")?;
    let acme = db::read(pool, |conn| {
        db::accounts::find_account_by_name(conn, "acme retail")
    })?
    .ok_or(AppError::NotFound)?;
    groups::add_members(pool, caller, &retail, &[acme.id])?;
    groups::add_resources(pool, caller, &retail, std::slice::from_ref(&sync))?;
    install_for_customers(pool, sealer, caller, &sync, &nightly)
}

fn customer(pool: &DbPool, name: &str, email: &str) -> Result<Caller, AppError> {
    let account = db::read(pool, |conn| {
        db::accounts::find_account_by_name(conn, &name.to_lowercase())
    })?
    .ok_or(AppError::NotFound)?;
    Ok(Caller {
        user_id: String::new(),
        email: email.to_owned(),
        account_id: account.id,
        account_kind: AccountKind::Managed,
        features: Features::default(),
        privileges: BuiltInRole::Administrator.privileges(),
        source: Source::Cli,
        client_addr: None,
    })
}

fn install(
    pool: &DbPool,
    sealer: &Sealer,
    who: &Caller,
    process: &str,
    name: &str,
) -> Result<Installation, AppError> {
    let root = db::read(pool, |conn| {
        db::build::find_root_folder(conn, &who.account_id)
    })?
    .ok_or(AppError::NotFound)?;
    let input = InstallInput {
        folder_id: root.id,
        new_folder: String::new(),
        local_name: name.to_owned(),
        idempotency_key: uuid::Uuid::new_v4().to_string(),
    };
    install::install(pool, sealer, who, process, &input)
}

/// Acme installs the account sync, then a newer version is published (an update is
/// available); Globex installs the nightly sync and changes its copy.
fn install_for_customers(
    pool: &DbPool,
    sealer: &Sealer,
    caller: &Caller,
    sync: &str,
    nightly: &str,
) -> Result<(), AppError> {
    let acme = customer(pool, "Acme Retail", "admin@acme.test")?;
    install(pool, sealer, &acme, sync, "Sync Accounts to NetSuite")?;
    let sync_component = component_id(pool, caller, "Sync Accounts to NetSuite")?;
    let package = deploy::create(
        pool,
        caller,
        &NewPackage {
            component_id: sync_component,
            version: "1.1".into(),
            notes: "Retries on timeouts.".into(),
            shareable: true,
        },
    )?;
    let input = PublishInput {
        component_id: component_id(pool, caller, "Sync Accounts to NetSuite")?,
        package_id: package,
        description:
            "Keeps NetSuite customers in step with Salesforce accounts; now retries on timeouts."
                .into(),
        include_passwords: true,
        notes: "Timeout retries.".into(),
    };
    publishing::publish(pool, caller, &input)?;

    let globex = customer(pool, "Globex Logistics", "admin@globex.test")?;
    let installed = install(pool, sealer, &globex, nightly, "Nightly Account Sync")?;
    let copy = db::read(pool, |conn| {
        db::build::find_component_for_account(
            conn,
            &globex.account_id,
            &installed.root_component_id,
        )
    })?
    .ok_or(AppError::NotFound)?;
    let header = components::Header {
        name: &copy.name,
        folder_id: &copy.folder_id,
        description: "Adapted for Globex: runs at 02:00 CET.",
    };
    let body = crate::domain::build::Body::from_json(&copy.body).map_err(AppError::Internal)?;
    db::write(pool, |conn| {
        components::commit(conn, &globex, &copy, copy.revision, header, &body)
    })
    .map(|_| ())
}
