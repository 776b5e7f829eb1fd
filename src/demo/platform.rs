//! The demo's platform publisher: *Atlas Platform*, whose two processes every account of every
//! partner finds in its library beside its own partner's.

use crate::db::{self};
use crate::domain::build::{Body, Connector, OperationAction, Property, PropertyKind, ShapeKind};
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::build::folders;
use crate::services::groups;
use crate::services::library::publisher::{self, PublisherInput};

use super::build::{Seeder, secret, shape};

/// The platform publisher's account.
pub const PLATFORM: &str = "Atlas Platform";

/// Seeds the platform's profile, processes and their sharing once (skipped when its profile
/// exists). The account is already the platform publisher.
pub fn seed(ctx: &Ctx) -> Result<(), AppError> {
    let account_id = ctx.caller().account_id().clone();
    if ctx
        .read(|conn| db::library::find_publisher(conn, &account_id))?
        .is_some()
    {
        return Ok(());
    }
    publisher::save(
        ctx,
        &PublisherInput {
            publisher_name: "Atlas Platform Processes".into(),
            publisher_email: "processes@atlas-platform.test".into(),
            publisher_url: "https://atlas-platform.test".into(),
            support_email: "support@atlas-platform.test".into(),
            support_url: "https://atlas-platform.test/support".into(),
        },
    )?;
    let root = ctx
        .read(|conn| db::build::find_root_folder(conn, &account_id))?
        .ok_or(AppError::NotFound)?
        .id;
    let folder = folders::create(ctx, &root, "Platform Processes")?;
    let s = Seeder { ctx };
    let mail = s.component(
        &folder,
        "Platform Mail Relay",
        "The mail relay alerts go through.",
        Body::Connection {
            connector: Connector::Mail,
            url: "smtp://relay.atlas-platform.test:587".into(),
            username: "alerts".into(),
            password: None,
        },
        vec![secret("demo-relay-secret")],
    )?;
    let send = s.component(
        &folder,
        "Send Alert Mail",
        "",
        Body::Operation {
            connector: Connector::Mail,
            action: OperationAction::Send,
            connection: Some(mail.clone().into_string()),
            request_profile: None,
            response_profile: None,
        },
        vec![],
    )?;
    let settings = s.component(
        &folder,
        "Alert Settings",
        "",
        Body::ProcessProperty {
            properties: vec![Property {
                name: "recipients".into(),
                kind: PropertyKind::Text,
                value: "integrations@example.test".into(),
            }],
        },
        vec![Default::default()],
    )?;
    let alert = s.component(
        &folder,
        "Error Alert by Mail",
        "Mails the integration team when a process ends in error.",
        Body::Process {
            shapes: vec![
                shape(ShapeKind::Start, None, None, "Start"),
                shape(
                    ShapeKind::SetProperties,
                    Some(&settings),
                    None,
                    "Recipients",
                ),
                shape(ShapeKind::Connector, Some(&mail), Some(&send), "Send alert"),
                shape(ShapeKind::Stop, None, None, "Stop"),
            ],
        },
        vec![],
    )?;
    let http = s.component(
        &folder,
        "Status Endpoint",
        "Where the health check calls.",
        Body::Connection {
            connector: Connector::HttpClient,
            url: "https://status.atlas-platform.test".into(),
            username: String::new(),
            password: None,
        },
        vec![Default::default()],
    )?;
    let get = s.component(
        &folder,
        "Get Status",
        "",
        Body::Operation {
            connector: Connector::HttpClient,
            action: OperationAction::Get,
            connection: Some(http.clone().into_string()),
            request_profile: None,
            response_profile: None,
        },
        vec![],
    )?;
    let health = s.component(
        &folder,
        "Daily Health Check",
        "Calls the status endpoint every morning and reports what does not answer.",
        Body::Process {
            shapes: vec![
                shape(ShapeKind::Start, None, None, "Start"),
                shape(ShapeKind::Connector, Some(&http), Some(&get), "Call status"),
                shape(ShapeKind::Notify, None, None, "Report"),
                shape(ShapeKind::Stop, None, None, "Stop"),
            ],
        },
        vec![],
    )?;
    s.package(&alert, "1.0", "First release.", true)?;
    s.package(&health, "1.0", "First release.", true)?;
    let alert = super::library::publish(
        ctx,
        "Error Alert by Mail",
        "Mails your integration team when a process ends in error. Set the recipients after installing.",
        false,
    )?;
    let health = super::library::publish(
        ctx,
        "Daily Health Check",
        "Checks every morning that the platform's status endpoint answers, and reports.",
        false,
    )?;
    for (name, tags) in [
        ("Error Alert by Mail", "monitoring, mail"),
        ("Daily Health Check", "monitoring"),
    ] {
        let component = super::library::component_id(ctx, name)?;
        crate::services::library::tagging::save(ctx, &component, "Other", tags)?;
    }
    let everyone = ctx
        .read(|conn| db::platform::find_group(conn, &account_id))?
        .ok_or(AppError::NotFound)?;
    groups::add_resources(ctx, &everyone.id, &[alert, health])?;
    Ok(())
}
