//! The audit log: every change recorded, newest first, filtered, paged.

use actix_web::http::StatusCode;

use crate::support::{PASSWORD, TestApp};

#[actix_web::test]
async fn changes_are_logged_newest_first_and_filtered() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/roles/new").await;
    app.post(
        "/settings/roles/new",
        &[("role_name", "Viewer"), ("privilege", "build_read")],
    )
    .await;
    let log = app.get("/settings/audit").await;
    assert_eq!(log.status, StatusCode::OK);
    let actions = log.texts("tbody td:nth-child(3)");
    assert_eq!(actions.first().map(String::as_str), Some("Role created"));
    assert!(actions.contains(&"Signed in".to_owned()));
    assert!(actions.contains(&"Account created".to_owned()));
    let filtered = app.get("/settings/audit?action=role.create").await;
    assert_eq!(filtered.texts("tbody td:nth-child(3)"), ["Role created"]);
    let by_user = app.get("/settings/audit?user=nobody%40partner.test").await;
    assert_eq!(by_user.count("tbody tr"), 0);
    let by_ada = app.get("/settings/audit?user=ADA%40Partner.test").await;
    assert!(
        by_ada.count("tbody tr") >= 2,
        "the user filter ignores case"
    );
    let garbage = app
        .get("/settings/audit?action=%3Cscript%3E&before=zzz")
        .await;
    assert_eq!(garbage.status, StatusCode::OK);
}

#[actix_web::test]
async fn the_log_pages_by_key() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/roles/new").await;
    for i in 0..55 {
        let name = format!("Role {i:02}");
        app.post(
            "/settings/roles/new",
            &[("role_name", &name), ("privilege", "build_read")],
        )
        .await;
    }
    let first = app.get("/settings/audit?action=role.create").await;
    assert_eq!(first.count("tbody tr"), 50);
    let older = first
        .attr("a[rel=next]", "href")
        .expect("a link to older events");
    let second = app.get(&older).await;
    assert_eq!(second.count("tbody tr"), 5);
    assert_eq!(second.count("a[rel=next]"), 0);
    let newest = first.text("tbody tr td:nth-child(4)");
    assert_eq!(newest, "Role Role 54 created with Build Read Access");
}
