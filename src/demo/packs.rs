//! The demo's integration pack: Demo Partner's *Order Status Pack* (a process of its own, not
//! in any library), released and shared with Retail Customers, installed in Acme Retail with
//! its connection's extensions set.

use crate::db;
use crate::db::ids::{GroupId, PackId, ProcessId};
use crate::domain::accounts::Feature;
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::pack_instances::{self, Extension, ExtensionsInput};
use crate::services::packs::{self, PackInput, ReleaseInput};

const PACK: &str = "Order Status Pack";

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
            description: "Order statuses from your store into your ERP, kept current for you."
                .into(),
            attachment: "single".into(),
        },
    )?;
    let process = order_status(&partner)?;
    packs::add_members(&partner, &pack, &[process])?;
    packs::release(
        &partner,
        &pack,
        &ReleaseInput {
            notes: "First release: order statuses every 15 minutes.".into(),
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
            && component.name == "Order Service"
        {
            input.url.insert(
                component.id.to_string(),
                "https://orders.acme-retail.test/api".into(),
            );
            input
                .username
                .insert(component.id.to_string(), "acme-integration".into());
        }
    }
    pack_instances::save_extensions(&acme, &instance, &input)?;
    Ok(())
}

/// The pack's process: a connection, an operation and a process of the partner's own, in a
/// folder of their own, packaged and published (shared with no group: packs only).
fn order_status(partner: &Ctx) -> Result<ProcessId, AppError> {
    use super::build::{Seeder, secret, shape};
    use crate::domain::build::{Body, Connector, OperationAction, ShapeKind};
    let account = partner.caller().account_id().clone();
    let root = partner
        .read(|conn| db::build::find_root_folder(conn, &account))?
        .ok_or(AppError::NotFound)?
        .id;
    let folder = crate::services::build::folders::create(partner, &root, "Order Status")?;
    let s = Seeder { ctx: partner };
    let service = s.component(
        &folder,
        "Order Service",
        "The store's order API.",
        Body::Connection {
            connector: Connector::HttpClient,
            url: "https://orders.example.test/api".into(),
            username: "integration".into(),
            password: None,
        },
        vec![secret("demo-order-service-secret")],
    )?;
    let get = s.component(
        &folder,
        "Get Order Status",
        "",
        Body::Operation {
            connector: Connector::HttpClient,
            action: OperationAction::Get,
            connection: Some(service.clone().into_string()),
            request_profile: None,
            response_profile: None,
        },
        vec![],
    )?;
    let process = s.component(
        &folder,
        "Order Status Sync",
        "Reads order statuses every 15 minutes and reports changes.",
        Body::Process {
            shapes: vec![
                shape(ShapeKind::Start, None, None, "Start"),
                shape(
                    ShapeKind::Connector,
                    Some(&service),
                    Some(&get),
                    "Get statuses",
                ),
                shape(ShapeKind::Notify, None, None, "Report"),
                shape(ShapeKind::Stop, None, None, "Stop"),
            ],
        },
        vec![],
    )?;
    s.package(&process, "1.0", "First release.", true)?;
    super::library::publish(
        partner,
        "Order Status Sync",
        "Order statuses from the store, every 15 minutes.",
        false,
    )
}
