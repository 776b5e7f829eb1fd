//! The demo partner's publisher profile, publications and account groups.

use crate::db::{self, DbPool};
use crate::domain::accounts::BuiltInRole;
use crate::domain::build::ComponentType;
use crate::error::AppError;
use crate::services::Caller;
use crate::services::groups;
use crate::services::library::publisher::{self, PublisherInput};
use crate::services::library::publishing::{self, PublishInput};

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

/// Seeds the publisher, publications and groups once (skipped when the publisher exists).
pub fn seed(pool: &DbPool, caller: &Caller) -> Result<(), AppError> {
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
    groups::add_resources(pool, caller, &retail, &[sync])?;
    Ok(())
}
