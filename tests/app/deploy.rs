//! Deploy: packaged components are frozen, labelled uniquely, shareable by the rules.

use actix_web::http::StatusCode;
use process_library::db::ids::*;
use process_library::domain::accounts::BuiltInRole;
use process_library::domain::build::{Body, Route, Shape, ShapeKind};

use crate::support::{PASSWORD, TestApp, admin_app, connection, connector_process};

async fn package(
    app: &mut TestApp,
    component: &str,
    version: &str,
    shareable: bool,
) -> crate::support::Response {
    app.get("/deploy/packages/new").await;
    let mut fields = vec![
        ("component", component),
        ("version", version),
        ("notes", "First cut"),
    ];
    if shareable {
        fields.push(("shareable", "on"));
    }
    app.post("/deploy/packages/new", &fields).await
}

fn package_id(response: &crate::support::Response) -> String {
    response
        .location()
        .trim_start_matches("/deploy/packages/")
        .to_owned()
}

fn call(process: &str) -> Shape {
    Shape {
        kind: ShapeKind::ProcessCall,
        component: Some(process.into()),
        operation: None,
        label: "Call".into(),
    }
}

#[actix_web::test]
async fn a_package_freezes_the_component_and_its_dependencies() {
    let (mut app, partner) = admin_app().await;
    let conn = app.component(&partner, "Salesforce Prod", connection());
    let process = app.component(&partner, "Sync Accounts", connector_process(&conn));
    let first = package(&mut app, &process, "", true).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let id = package_id(&first);
    let details = app.get(&format!("/deploy/packages/{id}")).await;
    assert_eq!(details.text("h1"), "Sync Accounts 1.0");
    assert_eq!(
        details.texts("tbody tr"),
        [
            "Sync Accounts root Process 2",
            "Salesforce Prod Connection 2"
        ]
    );

    let url = format!("/build/components/{conn}");
    let root = app.root_folder(&partner);
    app.get(&url).await;
    app.post(
        &url,
        &[
            ("revision", "2"),
            ("name", "Salesforce Renamed"),
            ("folder", &root),
            ("connector", "salesforce"),
            ("url", "https://changed.example.com"),
        ],
    )
    .await;
    let again = app.get(&format!("/deploy/packages/{id}")).await;
    assert_eq!(
        again.texts("tbody tr"),
        [
            "Sync Accounts root Process 2",
            "Salesforce Prod Connection 2"
        ],
        "later edits never leak in"
    );
    assert_eq!(
        app.count(&format!(
            "package_components WHERE package_id = '{id}' AND body LIKE '%changed.example.com%'"
        )),
        0
    );

    let second = package(&mut app, &process, "", false).await;
    let list = app.get("/deploy").await;
    assert_eq!(
        list.texts("thead th"),
        [
            "Component Name",
            "Component Type",
            "Version",
            "Created Date",
            "Notes",
            "Sharing",
            "Status"
        ]
    );
    let rows: Vec<Vec<String>> = (1..=2)
        .map(|n| {
            [1, 2, 3, 5, 6, 7]
                .iter()
                .map(|c| list.text(&format!("tbody tr:nth-child({n}) td:nth-child({c})")))
                .collect()
        })
        .collect();
    assert_eq!(
        rows[0],
        [
            "Sync Accounts",
            "Process",
            "2.0",
            "First cut",
            "Not Allowed",
            "Active"
        ]
    );
    assert_eq!(
        rows[1],
        [
            "Sync Accounts",
            "Process",
            "1.0",
            "First cut",
            "Allowed",
            "Active"
        ]
    );
    assert_eq!(
        app.get("/deploy?sharing=allowed").await.count("tbody tr"),
        1
    );
    assert_eq!(
        app.get("/deploy?q=SYNC&type=process")
            .await
            .count("tbody tr"),
        2
    );
    let _ = second;
}

#[actix_web::test]
async fn version_labels_are_unique_per_component_deleted_packages_included() {
    let (mut app, partner) = admin_app().await;
    let process = app.component(
        &partner,
        "Sync Accounts",
        Body::empty(process_library::domain::build::ComponentType::Process),
    );
    let first = package(&mut app, &process, "1.0", true).await;
    let id = package_id(&first);
    let packages = app.count("packages");
    let twice = package(&mut app, &process, "1.0", true).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        twice.text("#f-version-error"),
        "Version 1.0 already exists for Sync Accounts (deleted packages count too)."
    );
    assert_eq!(
        twice.attr("#f-version", "aria-describedby").as_deref(),
        Some("f-version-help f-version-error")
    );
    assert_eq!(app.count("packages"), packages);
    assert_eq!(
        app.post(&format!("/deploy/packages/{id}/delete"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get("/deploy").await.count("tbody tr"),
        0,
        "deleted packages are hidden by default"
    );
    assert_eq!(
        app.get("/deploy?deleted=on")
            .await
            .text("tbody td:nth-child(7)"),
        "Deleted"
    );
    assert_eq!(
        package(&mut app, &process, "1.0", true).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let blank = package(&mut app, &process, "", true).await;
    assert_eq!(
        app.get(&blank.location()).await.text("h1"),
        "Sync Accounts 2.0"
    );
    assert_eq!(
        app.post(&format!("/deploy/packages/{id}/restore"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get(&format!("/deploy/packages/{id}"))
            .await
            .text("dd:nth-of-type(7)"),
        "Active"
    );
}

#[actix_web::test]
async fn only_processes_and_api_services_without_routes_are_shareable() {
    let (mut app, partner) = admin_app().await;
    let conn = app.component(&partner, "Salesforce Prod", connection());
    let refused = package(&mut app, &conn, "", true).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.text("#f-shareable-error"),
        "Only a Process or an API Service can be shareable; this is a Connection."
    );
    assert_eq!(
        package(&mut app, &conn, "", false).await.status,
        StatusCode::SEE_OTHER,
        "not shareable is fine"
    );

    let target = app.component(&partner, "EU Orders", connector_process(&conn));
    let route = app.component(
        &partner,
        "Region Route",
        Body::ProcessRoute {
            routes: vec![Route {
                key: "EU".into(),
                process: target.clone(),
            }],
        },
    );
    let router = app.component(
        &partner,
        "Route Orders",
        Body::Process {
            shapes: vec![Shape {
                kind: ShapeKind::ProcessRoute,
                component: Some(route),
                operation: None,
                label: "Route".into(),
            }],
        },
    );
    let outer = app.component(
        &partner,
        "Nightly",
        Body::Process {
            shapes: vec![call(&router)],
        },
    );
    let refused = package(&mut app, &outer, "", true).await;
    assert_eq!(
        refused.text("#f-shareable-error"),
        "Nightly uses the Process Route Region Route: a process that contains a Process Route cannot be shareable."
    );
    assert_eq!(
        package(&mut app, &target, "", true).await.status,
        StatusCode::SEE_OTHER
    );
}

#[actix_web::test]
async fn dependency_cycles_through_process_calls_terminate() {
    let (mut app, partner) = admin_app().await;
    let conn = app.component(&partner, "Salesforce Prod", connection());
    let a = app.component(&partner, "Process A", connector_process(&conn));
    let b = app.component(
        &partner,
        "Process B",
        Body::Process {
            shapes: vec![call(&a)],
        },
    );
    let root = app.root_folder(&partner);
    let url = format!("/build/components/{a}");
    let rev = app
        .get(&url)
        .await
        .attr("input[name=revision]", "value")
        .expect("rev");
    let closed = app
        .post(
            &format!("{url}/shapes"),
            &[
                ("revision", &rev),
                ("shape", "process_call"),
                ("component", &b),
                ("label", "Back to B"),
            ],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "a cycle is allowed");
    let self_call = app
        .post(
            &format!("{url}/shapes"),
            &[
                (
                    "revision",
                    &(rev.parse::<i32>().expect("n") + 1).to_string(),
                ),
                ("shape", "process_call"),
                ("component", &a),
                ("label", "Recurse"),
            ],
        )
        .await;
    assert_eq!(self_call.status, StatusCode::SEE_OTHER);
    let packaged = package(&mut app, &a, "", true).await;
    let details = app.get(&packaged.location()).await;
    assert_eq!(
        details.texts("tbody td:first-child"),
        ["Process A root", "Process B", "Salesforce Prod"]
    );
    assert_eq!(
        details.text("h2 + p"),
        "3 components, frozen at these revisions."
    );
    let _ = root;
}

#[actix_web::test]
async fn packaging_needs_its_privilege_and_other_accounts_packages_are_404() {
    let (mut app, partner) = admin_app().await;
    let process = app.component(
        &partner,
        "Sync Accounts",
        Body::empty(process_library::domain::build::ComponentType::Process),
    );
    let id = package_id(&package(&mut app, &process, "", true).await);
    let rival = app.primary_account("Rival Inc", "boss@rival.test");
    let theirs = app.component(
        &rival,
        "Rival Process",
        Body::empty(process_library::domain::build::ComponentType::Process),
    );
    let their_package = process_library::services::deploy::create(
        &app.admin(&rival),
        &process_library::services::deploy::NewPackage {
            component_id: ComponentId::from(theirs.clone()),
            version: String::new(),
            notes: String::new(),
            shareable: true,
        },
    )
    .expect("their package");
    assert_eq!(
        app.get(&format!("/deploy/packages/{their_package}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(&format!("/deploy/packages/{their_package}/delete"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let foreign = package(&mut app, &theirs, "", true).await;
    assert_eq!(foreign.text("#f-component-error"), "Choose a component.");

    app.user(
        &partner,
        "viewer@partner.test",
        BuiltInRole::ProductionSupport,
    );
    app.set_cookie(None);
    app.sign_in("viewer@partner.test", PASSWORD).await;
    assert_eq!(app.get("/deploy").await.status, StatusCode::OK);
    assert_eq!(
        app.get(&format!("/deploy/packages/{id}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/deploy/packages/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        package(&mut app, &process, "9.0", true).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&format!("/deploy/packages/{id}/delete"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
