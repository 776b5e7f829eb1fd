//! Build: a process's shapes (added, moved, removed, drawn) and a new process started from a
//! template.

use actix_web::http::StatusCode;
use process_library::domain::build::{Body, Connector};

use crate::support::{admin_app, connection, connector_process};

fn id_from(location: &str) -> String {
    location
        .trim_start_matches("/build/components/")
        .split('#')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[actix_web::test]
async fn shapes_are_added_moved_removed_and_drawn() {
    let (mut app, partner) = admin_app().await;
    let conn = app.component(&partner, "Salesforce Prod", connection());
    let op = app.component(
        &partner,
        "Query Accounts",
        Body::Operation {
            connector: Connector::Salesforce,
            action: process_library::domain::build::OperationAction::Query,
            connection: Some(conn.clone()),
            request_profile: None,
            response_profile: None,
        },
    );
    let root = app.root_folder(&partner);
    app.get("/build/components/new").await;
    let created = app
        .post(
            "/build/components/new",
            &[
                ("name", "Sync Accounts"),
                ("type", "process"),
                ("folder", &root),
            ],
        )
        .await;
    let id = id_from(&created.location());
    let url = format!("/build/components/{id}");
    let page = app.get(&url).await;
    assert_eq!(
        page.count("svg.diagram rect"),
        1,
        "a new process starts with a Start shape"
    );
    let rev = page.attr("input[name=revision]", "value").expect("rev");
    let added = app
        .post(
            &format!("{url}/shapes"),
            &[
                ("revision", &rev),
                ("shape", "connector"),
                ("component", &conn),
                ("label", "Get accounts"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let page = app.get(&url).await;
    assert_eq!(
        page.texts("ol.shapes > li > p"),
        ["Start Start", "Connector Get accounts — Salesforce Prod"]
    );
    assert_eq!(page.count("svg.diagram rect"), 2);
    assert!(
        page.text("svg.diagram title")
            .contains("Connector Get accounts (Salesforce Prod)")
    );
    let rev = page.attr("input[name=revision]", "value").expect("rev");
    let set = app
        .post(
            &format!("{url}/shapes/1/operation"),
            &[("revision", &rev), ("operation_1", &op)],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    let rev = app
        .get(&url)
        .await
        .attr("input[name=revision]", "value")
        .expect("rev");
    let wrong = app
        .post(
            &format!("{url}/shapes"),
            &[
                ("revision", &rev),
                ("shape", "start"),
                ("component", &conn),
                ("label", ""),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        wrong.text("#f-component-error"),
        "A Start shape names no component."
    );
    let mismatched = app
        .post(
            &format!("{url}/shapes"),
            &[
                ("revision", &rev),
                ("shape", "map"),
                ("component", &conn),
                ("label", ""),
            ],
        )
        .await;
    assert_eq!(
        mismatched.text("#f-component-error"),
        "Shape 3 must name a Map."
    );
    app.post(&format!("{url}/shapes/1/up"), &[("revision", &rev)])
        .await;
    let page = app.get(&url).await;
    assert_eq!(
        page.texts("ol.shapes > li > p strong"),
        ["Connector", "Start"]
    );
    assert!(
        page.text("ol.shapes > li > p")
            .ends_with("operation Query Accounts")
    );
    let rev = page.attr("input[name=revision]", "value").expect("rev");
    app.post(&format!("{url}/shapes/0/remove"), &[("revision", &rev)])
        .await;
    let page = app.get(&url).await;
    assert_eq!(page.texts("ol.shapes > li > p strong"), ["Start"]);
    assert_eq!(
        app.post(&format!("{url}/shapes/9/remove"), &[("revision", "99")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count(&format!("component_refs WHERE from_id = '{id}'")),
        0,
        "references follow the body"
    );
}

#[actix_web::test]
async fn a_new_process_can_start_from_a_template() {
    let (mut app, partner) = admin_app().await;
    let conn = app.component(&partner, "Salesforce Prod", connection());
    let template = app.component(&partner, "Sync Accounts", connector_process(&conn));
    let root = app.root_folder(&partner);
    let form = app.get("/build/components/new").await;
    assert_eq!(
        form.texts("#f-template option"),
        ["None: an empty process", "Sync Accounts"]
    );
    let created = app
        .post(
            "/build/components/new",
            &[
                ("name", "Sync Contacts"),
                ("type", "process"),
                ("folder", &root),
                ("template", &template),
            ],
        )
        .await;
    let page = app.get(&created.location()).await;
    assert_eq!(
        page.texts("ol.shapes > li > p strong"),
        ["Start", "Connector", "Stop"]
    );
    assert!(
        page.text("ol.shapes").contains("Salesforce Prod"),
        "still points at the same connection"
    );
    let not_process = app
        .post(
            "/build/components/new",
            &[
                ("name", "X"),
                ("type", "map"),
                ("folder", &root),
                ("template", &template),
            ],
        )
        .await;
    assert_eq!(
        not_process.text("#f-template-error"),
        "Only a process can start from a template."
    );
}
