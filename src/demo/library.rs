//! The demo partner's publisher profile, publications and account groups.

use crate::db::browse::Installation;
use crate::db::ids::*;
use crate::db::{self};
use crate::domain::accounts::BuiltInRole;
use crate::domain::build::ComponentType;
use crate::error::AppError;
use crate::services::browse::install::{self, InstallInput};
use crate::services::build::components;
use crate::services::deploy::{self, NewPackage};
use crate::services::groups;
use crate::services::library::publisher::{self, PublisherInput};
use crate::services::library::publishing::{self, PublishInput};
use crate::services::{Caller, Ctx};

pub(super) fn component_id(ctx: &Ctx, name: &str) -> Result<ComponentId, AppError> {
    let types: Vec<&str> = ComponentType::ALL.iter().map(|t| t.code()).collect();
    ctx.read(|conn| db::build::list_components_of_types(conn, ctx.caller().account_id(), &types))?
        .into_iter()
        .find(|c| c.name == name)
        .map(|c| c.id)
        .ok_or(AppError::NotFound)
}

pub(super) fn publish(
    ctx: &Ctx,
    name: &str,
    description: &str,
    include_passwords: bool,
) -> Result<ProcessId, AppError> {
    let component = component_id(ctx, name)?;
    let package = ctx
        .read(|conn| {
            db::library::list_shareable_packages(
                conn,
                ctx.caller().account_id(),
                &ComponentId::from(&component),
            )
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
    Ok(publishing::publish(ctx, &input)?.published_process_id)
}

/// Seeds the publisher, publications, groups and the customers' installations once (skipped
/// when the publisher exists).
pub fn seed(ctx: &Ctx) -> Result<(), AppError> {
    if ctx
        .read(|conn| db::library::find_publisher(conn, ctx.caller().account_id()))?
        .is_some()
    {
        return Ok(());
    }
    publisher::save(
        ctx,
        &PublisherInput {
            publisher_name: "Demo Partner Integrations".into(),
            publisher_email: "integrations@demo-partner.test".into(),
            publisher_url: "https://demo-partner.test".into(),
            support_email: "support@demo-partner.test".into(),
            support_url: "https://demo-partner.test/support".into(),
        },
    )?;
    let sync = publish(
        ctx,
        "Sync Accounts to NetSuite",
        "Keeps NetSuite customers in step with Salesforce accounts: new and changed accounts, every run.",
        true,
    )?;
    let nightly = publish(
        ctx,
        "Nightly Account Sync",
        "Runs the account sync every night and e-mails a report.",
        false,
    )?;
    publish(
        ctx,
        "Accounts API",
        "On-demand account sync endpoint (integration packs only).",
        false,
    )?;

    let export = publish(
        ctx,
        "Account Export to CSV",
        "Exports changed accounts to a CSV file.",
        false,
    )?;

    for (name, category, tags) in [
        ("Sync Accounts to NetSuite", "CRM", "Salesforce, NetSuite"),
        ("Nightly Account Sync", "CRM", "Salesforce, nightly"),
        ("Account Export to CSV", "Data Sync", "CSV, nightly"),
    ] {
        crate::services::library::tagging::save(ctx, &component_id(ctx, name)?, category, tags)?;
    }
    let all = ctx
        .read(|conn| db::groups::find_all_accounts_group(conn, ctx.caller().account_id()))?
        .ok_or(AppError::NotFound)?;
    groups::add_resources(ctx, &all.id, &[nightly.clone(), export])?;
    crate::services::library::deprecation::deprecate(
        ctx,
        &component_id(ctx, "Account Export to CSV")?,
        &crate::services::library::deprecation::DeprecateInput {
            successor: nightly.to_string(),
            reason: "Replaced by Nightly Account Sync, which also reports every run.".into(),
        },
    )?;
    groups::add_user(
        ctx,
        &all.id,
        "admin@demo.test",
        &RoleId::from(BuiltInRole::Administrator.id()),
    )?;
    let retail = groups::create(ctx, "Retail Customers")?;
    let acme = ctx
        .read(|conn| db::accounts::find_account_by_name(conn, "acme retail"))?
        .ok_or(AppError::NotFound)?;
    groups::add_members(ctx, &GroupId::from(&retail), &[acme.id])?;
    groups::add_resources(
        ctx,
        &GroupId::from(&retail),
        std::slice::from_ref(&ProcessId::from(&sync)),
    )?;
    install_for_customers(ctx, &sync, &nightly)
}

pub(super) fn customer(ctx: &Ctx, name: &str, email: &str) -> Result<Ctx, AppError> {
    let account = ctx
        .read(|conn| db::accounts::find_account_by_name(conn, &name.to_lowercase()))?
        .ok_or(AppError::NotFound)?;
    Ok(ctx.acting_as(Caller::operator(&account, email)))
}

fn install(who: &Ctx, process: &str, name: &str) -> Result<Installation, AppError> {
    let root = who
        .read(|conn| db::build::find_root_folder(conn, who.caller().account_id()))?
        .ok_or(AppError::NotFound)?;
    let input = InstallInput {
        folder_id: root.id,
        new_folder: String::new(),
        local_name: name.to_owned(),
        idempotency_key: uuid::Uuid::new_v4().to_string(),
        bindings: Default::default(),
        on_behalf_of: None,
    };
    install::install(who, &ProcessId::from(process), &input)
}

/// Saves a new revision of the component of the account named `name`, its body changed.
fn edit(
    who: &Ctx,
    name: &str,
    change: impl FnOnce(&mut crate::domain::build::Body),
) -> Result<(), AppError> {
    let id = component_id(who, name)?;
    let component = who
        .read(|conn| db::build::find_component_for_account(conn, who.caller().account_id(), &id))?
        .ok_or(AppError::NotFound)?;
    let mut body =
        crate::domain::build::Body::from_json(&component.body).map_err(AppError::Internal)?;
    change(&mut body);
    let header = components::Header {
        name: &component.name,
        folder_id: &component.folder_id,
        description: &component.description,
    };
    who.write(|conn| {
        components::commit(
            conn,
            who.caller(),
            &component,
            component.revision,
            header,
            &body,
        )
    })
    .map(|_| ())
}

/// Sets a text property of a process property body.
fn set_property(body: &mut crate::domain::build::Body, name: &str, value: &str) {
    if let crate::domain::build::Body::ProcessProperty { properties } = body {
        for property in properties.iter_mut().filter(|p| p.name == name) {
            property.value = value.to_owned();
        }
    }
}

/// Acme installs the account sync and adapts its copy (its production NetSuite endpoint, a
/// batch size of 500); then the partner publishes version 2 with a renamed step and a batch
/// size of 100, so Acme's Update shows a change taken, one kept and a conflict. Globex
/// installs the nightly sync and changes its copy.
fn install_for_customers(ctx: &Ctx, sync: &str, nightly: &str) -> Result<(), AppError> {
    let acme = customer(ctx, "Acme Retail", "admin@acme.test")?;
    install(&acme, sync, "Sync Accounts to NetSuite")?;
    edit(&acme, "NetSuite Sandbox", |body| {
        if let crate::domain::build::Body::Connection { url, .. } = body {
            *url = "https://webservices.netsuite.com/services/NetSuitePort".into();
        }
    })?;
    edit(&acme, "Sync Settings", |body| {
        set_property(body, "batch_size", "500")
    })?;
    edit(ctx, "Sync Settings", |body| {
        set_property(body, "batch_size", "100")
    })?;
    edit(ctx, "Sync Accounts to NetSuite", |body| {
        if let crate::domain::build::Body::Process { shapes } = body {
            for shape in shapes.iter_mut().filter(|s| s.label == "Upsert customers") {
                shape.label = "Upsert customers, retrying timeouts".into();
            }
        }
    })?;
    let sync_component = component_id(ctx, "Sync Accounts to NetSuite")?;
    let package = deploy::create(
        ctx,
        &NewPackage {
            component_id: sync_component,
            version: "1.1".into(),
            notes: "Retries on timeouts.".into(),
            shareable: true,
        },
    )?;
    let input = PublishInput {
        component_id: component_id(ctx, "Sync Accounts to NetSuite")?,
        package_id: package,
        description:
            "Keeps NetSuite customers in step with Salesforce accounts; now retries on timeouts."
                .into(),
        include_passwords: true,
        notes: "Timeout retries.".into(),
    };
    publishing::publish(ctx, &input)?;

    let globex = customer(ctx, "Globex Logistics", "admin@globex.test")?;
    let installed = install(&globex, nightly, "Nightly Account Sync")?;
    let copy = ctx
        .read(|conn| {
            db::build::find_component_for_account(
                conn,
                globex.caller().account_id(),
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
    ctx.write(|conn| components::commit(conn, globex.caller(), &copy, copy.revision, header, &body))
        .map(|_| ())
}
