//! CSRF: a missing, wrong or foreign token, and cross-site requests, change nothing.

use actix_web::http::StatusCode;

use crate::support::{PASSWORD, TestApp};

async fn signed_in() -> TestApp {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/roles/new").await;
    app
}

const ROLE: [(&str, &str); 2] = [("role_name", "Auditor"), ("privilege", "view_audit_logs")];

#[actix_web::test]
async fn posts_without_the_sessions_token_are_refused() {
    let mut app = signed_in().await;
    let roles = app.count("roles");
    let missing = app.post_raw("/settings/roles/new", &ROLE, &[]).await;
    let wrong = app
        .post_raw(
            "/settings/roles/new",
            &[("csrf_token", "forged"), ROLE[0], ROLE[1]],
            &[],
        )
        .await;
    let mut other = TestApp::new().await;
    other.get("/login").await;
    let foreign_token = other.csrf().expect("token of another session");
    let foreign = app
        .post_raw(
            "/settings/roles/new",
            &[("csrf_token", &foreign_token), ROLE[0], ROLE[1]],
            &[],
        )
        .await;
    for page in [missing, wrong, foreign] {
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(
            page.text("[role=alert]")
                .contains("not sent from this site")
        );
    }
    assert_eq!(app.count("roles"), roles);
    let ok = app.post("/settings/roles/new", &ROLE).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("roles"), roles + 1);
}

#[actix_web::test]
async fn cross_site_requests_are_refused_before_anything_runs() {
    let mut app = signed_in().await;
    let token = app.csrf().expect("token");
    let roles = app.count("roles");
    let fields = [("csrf_token", token.as_str()), ROLE[0], ROLE[1]];
    let by_fetch = app
        .post_raw(
            "/settings/roles/new",
            &fields,
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    let by_origin = app
        .post_raw(
            "/settings/roles/new",
            &fields,
            &[("origin", "https://evil.example")],
        )
        .await;
    let null_origin = app
        .post_raw("/settings/roles/new", &fields, &[("origin", "null")])
        .await;
    for page in [by_fetch, by_origin, null_origin] {
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(page.text("[role=alert]").contains("other sites"));
    }
    let sign_out = app
        .post_raw(
            "/logout",
            &[("csrf_token", token.as_str())],
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(sign_out.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/settings").await.status,
        StatusCode::OK,
        "still signed in"
    );
    assert_eq!(app.count("roles"), roles);
    let same_site = app
        .post_raw(
            "/settings/roles/new",
            &fields,
            &[
                ("origin", "http://localhost"),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(same_site.status, StatusCode::SEE_OTHER);
}
