//! The demo partner's components and packages: a realistic Salesforce-to-NetSuite sync.

use crate::db::ids::*;
use crate::db::{self};
use crate::domain::build::{
    Body, ComponentType, Connector, Endpoint, HttpMethod, Mapping, OperationAction, ProfileField,
    ProfileFormat, Property, PropertyKind, Route, Shape, ShapeKind,
};
use crate::domain::validation::name_key;
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::build::components::{
    self, BodyDraft, NewComponent, SaveComponent, SecretInput,
};
use crate::services::build::folders;
use crate::services::deploy::{self, NewPackage};

const MARKER: &str = "Sync Accounts to NetSuite";

pub(super) fn shape(
    kind: ShapeKind,
    component: Option<&str>,
    operation: Option<&str>,
    label: &str,
) -> Shape {
    Shape {
        kind,
        component: component.map(str::to_owned),
        operation: operation.map(str::to_owned),
        label: label.to_owned(),
    }
}

pub(super) struct Seeder<'a> {
    pub(super) ctx: &'a Ctx,
}

impl Seeder<'_> {
    pub(super) fn component(
        &self,
        folder: &str,
        name: &str,
        description: &str,
        body: Body,
        secrets: Vec<SecretInput>,
    ) -> Result<ComponentId, AppError> {
        let id = components::create(
            self.ctx,
            &NewComponent {
                name: name.to_owned(),
                component_type: body.component_type().code().to_owned(),
                folder_id: FolderId::from(folder.to_owned()),
                description: description.to_owned(),
                template_id: String::new(),
            },
        )?;
        let input = SaveComponent {
            name: name.to_owned(),
            folder_id: FolderId::from(folder.to_owned()),
            description: description.to_owned(),
            revision: 1,
            draft: Some(BodyDraft { body, secrets }),
        };
        components::save(self.ctx, &id, input)?;
        Ok(id)
    }

    pub(super) fn package(
        &self,
        component: &str,
        version: &str,
        notes: &str,
        shareable: bool,
    ) -> Result<(), AppError> {
        let input = NewPackage {
            component_id: ComponentId::from(component.to_owned()),
            version: version.to_owned(),
            notes: notes.to_owned(),
            shareable,
        };
        deploy::create(self.ctx, &input).map(|_| ())
    }
}

pub(super) fn secret(value: &str) -> SecretInput {
    SecretInput {
        origin: None,
        new_value: value.to_owned(),
        clear: false,
    }
}

/// Seeds the components and packages once (skipped when they exist).
pub fn seed(ctx: &Ctx) -> Result<(), AppError> {
    let account_id = ctx.caller().account_id().as_str();
    let exists = ctx.read(|conn| {
        let found = db::build::list_components_of_types(
            conn,
            &AccountId::from(account_id),
            &[ComponentType::Process.code()],
        )?;
        Ok(found.iter().any(|c| c.name_key == name_key(MARKER)))
    })?;
    if exists {
        return Ok(());
    }
    let root = ctx
        .read(|conn| db::build::find_root_folder(conn, &AccountId::from(account_id)))?
        .ok_or(AppError::NotFound)?
        .id;
    let crm = folders::create(ctx, &root, "CRM Integrations")?;
    let common = folders::create(ctx, &root, "Shared Connections")?;
    let s = Seeder { ctx };

    let salesforce = s.component(
        &common,
        "Salesforce Production",
        "Integration user for the production org.",
        Body::Connection {
            connector: Connector::Salesforce,
            url: "https://login.salesforce.com".into(),
            username: "integration@demo-partner.test".into(),
            password: None,
        },
        vec![secret("demo-salesforce-secret")],
    )?;
    let netsuite = s.component(
        &common,
        "NetSuite Sandbox",
        "SuiteTalk endpoint of the sandbox account.",
        Body::Connection {
            connector: Connector::WebServicesSoap,
            url: "https://webservices.sandbox.netsuite.com/services/NetSuitePort".into(),
            username: "sync-bot".into(),
            password: None,
        },
        vec![secret("demo-netsuite-secret")],
    )?;
    let field = |name: &str, kind: &str| ProfileField {
        name: name.into(),
        kind: kind.into(),
    };
    let account_profile = s.component(
        &crm,
        "Salesforce Account",
        "",
        Body::Profile {
            format: ProfileFormat::Json,
            fields: vec![
                field("Id", "string"),
                field("Name", "string"),
                field("BillingCity", "string"),
                field("AnnualRevenue", "number"),
            ],
        },
        vec![],
    )?;
    let customer_profile = s.component(
        &crm,
        "NetSuite Customer",
        "",
        Body::Profile {
            format: ProfileFormat::Xml,
            fields: vec![
                field("externalId", "string"),
                field("companyName", "string"),
                field("city", "string"),
            ],
        },
        vec![],
    )?;
    let query = s.component(
        &crm,
        "Query Salesforce Accounts",
        "Accounts changed since the last run.",
        Body::Operation {
            connector: Connector::Salesforce,
            action: OperationAction::Query,
            connection: Some(salesforce.clone().into_string()),
            request_profile: None,
            response_profile: Some(account_profile.clone().into_string()),
        },
        vec![],
    )?;
    let upsert = s.component(
        &crm,
        "Upsert NetSuite Customer",
        "",
        Body::Operation {
            connector: Connector::WebServicesSoap,
            action: OperationAction::Upsert,
            connection: Some(netsuite.clone().into_string()),
            request_profile: Some(customer_profile.clone().into_string()),
            response_profile: None,
        },
        vec![],
    )?;
    let map = s.component(
        &crm,
        "Account to Customer",
        "",
        Body::Map {
            source_profile: Some(account_profile.into_string()),
            destination_profile: Some(customer_profile.into_string()),
            mappings: vec![
                Mapping {
                    from: "Id".into(),
                    to: "externalId".into(),
                },
                Mapping {
                    from: "Name".into(),
                    to: "companyName".into(),
                },
                Mapping {
                    from: "BillingCity".into(),
                    to: "city".into(),
                },
            ],
        },
        vec![],
    )?;
    let settings = s.component(
        &crm,
        "Sync Settings",
        "",
        Body::ProcessProperty {
            properties: vec![
                Property {
                    name: "batch_size".into(),
                    kind: PropertyKind::Text,
                    value: "200".into(),
                },
                Property {
                    name: "notify_token".into(),
                    kind: PropertyKind::Password,
                    value: String::new(),
                },
            ],
        },
        vec![SecretInput::default(), secret("demo-notify-token")],
    )?;
    let sync = s.component(
        &crm,
        MARKER,
        "Copies new and changed Salesforce accounts into NetSuite customers.",
        Body::Process {
            shapes: vec![
                shape(ShapeKind::Start, None, None, "Start"),
                shape(
                    ShapeKind::Connector,
                    Some(&salesforce),
                    Some(&query),
                    "Get changed accounts",
                ),
                shape(ShapeKind::Map, Some(&map), None, "Account to customer"),
                shape(
                    ShapeKind::SetProperties,
                    Some(&settings),
                    None,
                    "Batch settings",
                ),
                shape(
                    ShapeKind::Connector,
                    Some(&netsuite),
                    Some(&upsert),
                    "Upsert customers",
                ),
                shape(ShapeKind::Stop, None, None, "Stop"),
            ],
        },
        vec![],
    )?;
    let nightly = s.component(
        &crm,
        "Nightly Account Sync",
        "Runs the account sync and reports.",
        Body::Process {
            shapes: vec![
                shape(ShapeKind::Start, None, None, "Start"),
                shape(ShapeKind::ProcessCall, Some(&sync), None, "Sync accounts"),
                shape(ShapeKind::Notify, None, None, "Report"),
                shape(ShapeKind::Stop, None, None, "Stop"),
            ],
        },
        vec![],
    )?;
    let route = s.component(
        &crm,
        "Route by Region",
        "",
        Body::ProcessRoute {
            routes: vec![
                Route {
                    key: "EMEA".into(),
                    process: sync.clone().into_string(),
                },
                Route {
                    key: "AMER".into(),
                    process: nightly.clone().into_string(),
                },
            ],
        },
        vec![],
    )?;
    s.component(
        &crm,
        "Regional Dispatcher",
        "Sends each region to its own sync.",
        Body::Process {
            shapes: vec![
                shape(ShapeKind::Start, None, None, "Start"),
                shape(ShapeKind::ProcessRoute, Some(&route), None, "By region"),
                shape(ShapeKind::Stop, None, None, "Stop"),
            ],
        },
        vec![],
    )?;
    let api = s.component(
        &crm,
        "Accounts API",
        "Triggers the account sync on demand.",
        Body::ApiService {
            endpoints: vec![Endpoint {
                process: sync.clone().into_string(),
                path: "/accounts/sync".into(),
                method: HttpMethod::Post,
            }],
        },
        vec![],
    )?;

    let export = s.component(
        &crm,
        "Account Export to CSV",
        "Writes the changed Salesforce accounts to a CSV file.",
        Body::Process {
            shapes: vec![
                shape(ShapeKind::Start, None, None, "Start"),
                shape(
                    ShapeKind::Connector,
                    Some(&salesforce),
                    Some(&query),
                    "Get changed accounts",
                ),
                shape(ShapeKind::Stop, None, None, "Stop"),
            ],
        },
        vec![],
    )?;

    s.package(&sync, "1.0", "First release.", true)?;
    s.package(&export, "1.0", "CSV export.", true)?;
    s.package(&nightly, "1.0", "Nightly wrapper.", true)?;
    s.package(&api, "1.0", "On-demand sync endpoint.", true)?;
    s.package(
        &salesforce,
        "1.0",
        "Connection only, for internal deployments.",
        false,
    )?;
    Ok(())
}
