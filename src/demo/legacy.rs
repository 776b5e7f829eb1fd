//! The demo's Legacy partner: *Harbor Systems* publishes straight from its components' latest
//! revisions. Its shipment import is published, then its FTP connection changed (so Manage >
//! Process Library shows it *Published with Changes*); its shipment API is published too, and
//! sits in an integration pack beside the import, never in a library. Its customer *Pier
//! Logistics* finds the import in its library.

use crate::db::{self, ids::*};
use crate::domain::accounts::{DeploymentModel, Feature};
use crate::domain::build::{Body, Connector, Endpoint, HttpMethod, OperationAction, ShapeKind};
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::build::components::{self, SaveComponent};
use crate::services::build::folders;
use crate::services::groups;
use crate::services::library::legacy::{self, LegacyInput};
use crate::services::library::publisher::{self, PublisherInput};
use crate::services::packs::{self, PackInput, ReleaseInput};

use super::build::{Seeder, secret, shape};

/// The Legacy partner's account.
pub const LEGACY: &str = "Harbor Systems";
/// Its customer.
pub const LEGACY_CUSTOMER: &str = "Pier Logistics";

/// Seeds the partner's model, profile, components, publications and pack once (skipped when
/// its profile exists). `partner` acts as the operator in the account.
pub fn seed(partner: &Ctx) -> Result<(), AppError> {
    let pool = &partner.instance().pool;
    legacy::set_model(pool, LEGACY, DeploymentModel::Legacy)?;
    crate::services::accounts::setup::set_feature(pool, LEGACY, Feature::IntegrationPacks, true)?;
    // The caller was made before the model and the feature were set.
    let partner = super::library::customer(partner, LEGACY, "legacy@harbor.test")?;
    let account_id = partner.caller().account_id().clone();
    if partner
        .read(|conn| db::library::find_publisher(conn, &account_id))?
        .is_some()
    {
        return Ok(());
    }
    publisher::save(
        &partner,
        &PublisherInput {
            publisher_name: "Harbor Systems".into(),
            publisher_email: "library@harbor.test".into(),
            publisher_url: "https://harbor.test".into(),
            support_email: "support@harbor.test".into(),
            support_url: "https://harbor.test/support".into(),
        },
    )?;
    let root = partner
        .read(|conn| db::build::find_root_folder(conn, &account_id))?
        .ok_or(AppError::NotFound)?
        .id;
    let folder = folders::create(&partner, &root, "Shipments")?;
    let s = Seeder { ctx: &partner };
    let ftp = s.component(
        &folder,
        "Harbor FTP",
        "Where carriers drop their shipment files.",
        Body::Connection {
            connector: Connector::Sftp,
            url: "sftp://files.harbor.test".into(),
            username: "carrier-drop".into(),
            password: None,
        },
        vec![secret("demo-harbor-ftp-secret")],
    )?;
    let read = s.component(
        &folder,
        "Read Shipment Files",
        "",
        Body::Operation {
            connector: Connector::Sftp,
            action: OperationAction::Get,
            connection: Some(ftp.clone().into_string()),
            request_profile: None,
            response_profile: None,
        },
        vec![],
    )?;
    let import = s.component(
        &folder,
        "Shipment Import",
        "Reads the carriers' shipment files every hour and reports what arrived.",
        Body::Process {
            shapes: vec![
                shape(ShapeKind::Start, None, None, "Start"),
                shape(ShapeKind::Connector, Some(&ftp), Some(&read), "Read files"),
                shape(ShapeKind::Notify, None, None, "Report"),
                shape(ShapeKind::Stop, None, None, "Stop"),
            ],
        },
        vec![],
    )?;
    let api = s.component(
        &folder,
        "Shipment API",
        "Shipment statuses over HTTP, for the customers' own systems.",
        Body::ApiService {
            endpoints: vec![Endpoint {
                process: import.clone().into_string(),
                path: "/shipments".into(),
                method: HttpMethod::Get,
            }],
        },
        vec![],
    )?;
    let publish = |component: &ComponentId, description: &str| {
        legacy::publish_latest(
            &partner,
            &LegacyInput {
                component_id: component.clone(),
                description: description.into(),
                include_passwords: false,
                notes: "Published by the demo.".into(),
            },
        )
        .map(|p| ProcessId::from(p.published_process_id.into_string()))
    };
    let import_pp = publish(
        &import,
        "Shipment files from your carriers, read every hour. Set the FTP account after installing.",
    )?;
    let api_pp = publish(&api, "Shipment statuses over HTTP.")?;
    // The connection moves on after the publication: the import is Published with Changes.
    components::save(
        &partner,
        &ftp,
        SaveComponent {
            name: "Harbor FTP".into(),
            folder_id: folder.clone(),
            description: "Where carriers drop their shipment files (new host).".into(),
            revision: 2,
            draft: None,
        },
    )?;
    let everyone = partner
        .read(|conn| db::groups::find_all_accounts_group(conn, &account_id))?
        .ok_or(AppError::NotFound)?;
    groups::add_resources(&partner, &everyone.id, std::slice::from_ref(&import_pp))?;
    let pack = packs::create(
        &partner,
        &PackInput {
            name: "Shipment Pack".into(),
            description: "The shipment import and its API, kept current for you.".into(),
            attachment: "single".into(),
        },
    )?;
    packs::add_members(&partner, &pack, &[import_pp, api_pp])?;
    packs::release(
        &partner,
        &pack,
        &ReleaseInput {
            notes: "First release.".into(),
            date: String::new(),
        },
    )?;
    packs::add_group_packs(&partner, &everyone.id, &[pack])?;
    Ok(())
}
