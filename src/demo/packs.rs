//! The demo's integration pack: Demo Partner's *Account Sync Pack*, released and shared with
//! Retail Customers, installed in Acme Retail with its connection's extensions set.

use crate::db;
use crate::db::ids::{GroupId, PackId, ProcessId};
use crate::domain::accounts::Feature;
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::pack_instances::{self, Extension, ExtensionsInput};
use crate::services::packs::{self, PackInput, ReleaseInput};

const PACK: &str = "Account Sync Pack";

/// Seeds the pack once (skipped when the partner has one).
pub fn seed(partner: &Ctx) -> Result<(), AppError> {
    let account = partner.caller().account_id().clone();
    let name = partner
        .read(|conn| db::accounts::get_account(conn, &account))?
        .name;
    crate::services::accounts::setup::set_feature(
        &partner.instance().pool,
        &name,
        Feature::IntegrationPacks,
        true,
    )?;
    // The partner's caller was made before the feature was on.
    let partner = super::library::customer(partner, &name, "admin@demo.test")?;
    if !partner
        .read(|conn| db::packs::list_packs(conn, &account))?
        .is_empty()
    {
        return Ok(());
    }
    let pack = packs::create(
        &partner,
        &PackInput {
            name: PACK.into(),
            description: "The nightly account sync and what it uses, kept current for you.".into(),
            attachment: "single".into(),
        },
    )?;
    let nightly = partner
        .read(|conn| {
            db::library::find_process_by_component(
                conn,
                &account,
                &super::library::component_id(&partner, "Nightly Account Sync")?,
            )
        })?
        .ok_or(AppError::NotFound)?;
    packs::add_members(&partner, &pack, &[ProcessId::from(nightly.id.to_string())])?;
    packs::release(
        &partner,
        &pack,
        &ReleaseInput {
            notes: "First release: the nightly account sync.".into(),
            date: String::new(),
        },
    )?;
    let retail = partner
        .read(|conn| db::groups::list_groups(conn, &account))?
        .into_iter()
        .find(|g| g.name == "Retail Customers")
        .ok_or(AppError::NotFound)?;
    packs::add_group_packs(
        &partner,
        &GroupId::from(retail.id.to_string()),
        &[PackId::from(pack.to_string())],
    )?;
    let acme = super::library::customer(&partner, "Acme Retail", "admin@acme.test")?;
    let instance = pack_instances::install(&acme, &pack, "")?;
    let (_, extensions) = pack_instances::extensions(&acme, &instance)?;
    let mut input = ExtensionsInput::default();
    for extension in extensions {
        if let Extension::Connection { component, .. } = extension
            && component.name == "Salesforce Production"
        {
            input.url.insert(
                component.id.to_string(),
                "https://acme-retail.my.salesforce.com".into(),
            );
            input.username.insert(
                component.id.to_string(),
                "integration@acme-retail.test".into(),
            );
        }
    }
    pack_instances::save_extensions(&acme, &instance, &input)?;
    Ok(())
}
