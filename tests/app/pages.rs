//! Pages as pages: headers everywhere, a real 404, odd and oversized input without a 500.

use actix_web::http::StatusCode;

use process_library::domain::accounts::BuiltInRole;

use crate::support::{PASSWORD, TestApp};

#[actix_web::test]
async fn every_response_carries_the_security_headers() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    let anonymous = app.get("/login").await;
    let missing = app.get("/no/such/page").await;
    app.sign_in("ada@partner.test", PASSWORD).await;
    let signed_in = app.get("/settings").await;
    let css = app.get("/static/app.css").await;
    for page in [&anonymous, &missing, &signed_in, &css] {
        let csp = page.header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("script-src 'self'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(page.header("x-content-type-options"), "nosniff");
        assert_eq!(page.header("referrer-policy"), "same-origin");
    }
    assert_eq!(signed_in.header("cache-control"), "no-store");
    assert_eq!(css.header("cache-control"), "public, max-age=3600");
}

#[actix_web::test]
async fn unknown_addresses_get_a_404_page() {
    let mut app = TestApp::new().await;
    let page = app.get("/nothing/here").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.text("h1"), "Page not found");
    assert_eq!(page.attr("html", "lang").as_deref(), Some("en"));
}

#[actix_web::test]
async fn a_signed_in_users_error_pages_keep_the_menu_the_account_and_sign_out() {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    let rival = app.primary_account("Rival Inc", "boss@rival.test");
    let theirs = app.root_folder(&rival);
    app.sign_in("ada@partner.test", PASSWORD).await;
    let missing = app.get("/nothing/here").await;
    let foreign = app.get(&format!("/build?folder={theirs}")).await;
    app.user(&partner, "clerk@partner.test", BuiltInRole::Support);
    for (page, status) in [
        (&missing, StatusCode::NOT_FOUND),
        (&foreign, StatusCode::NOT_FOUND),
    ] {
        assert_eq!(page.status, status);
        assert_eq!(page.text("h1"), "Page not found");
        assert_eq!(
            page.texts("nav[aria-label=Main] a"),
            ["Build", "Deploy", "Manage", "Settings"]
        );
        assert_eq!(page.count("nav[aria-label=Main] a[aria-current]"), 0);
        assert!(page.text(".current-account").contains("Partner Co"));
        assert_eq!(page.text("form.signout button"), "Sign out");
        assert_eq!(
            page.text("[role=alert]"),
            "There is nothing at this address, or you cannot see it."
        );
    }
    app.sign_out().await;
    app.sign_in("clerk@partner.test", PASSWORD).await;
    let refused = app.get("/settings/users").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.text("h1"), "Access denied");
    assert_eq!(refused.text("form.signout button"), "Sign out");
    // Anonymous visitors get the plain page.
    app.sign_out().await;
    let plain = app.get("/nothing/here").await;
    assert_eq!(plain.status, StatusCode::NOT_FOUND);
    assert_eq!(plain.count("nav[aria-label=Main]"), 0);
}

#[actix_web::test]
async fn odd_and_oversized_input_is_answered_without_a_500() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/users").await;
    let huge = "x".repeat(300 * 1024);
    let too_big = app.post("/settings/users", &[("email", &huge)]).await;
    assert_eq!(too_big.status, StatusCode::BAD_REQUEST);
    let long = "y".repeat(5000);
    let payload = "<script>alert(1)</script>";
    let odd = app
        .post(
            "/settings/users",
            &[
                ("email", payload),
                ("name", &long),
                ("password", "\u{202e}1"),
                ("role", "'; DROP TABLE roles; --"),
            ],
        )
        .await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!odd.body.contains(payload), "markup is never echoed raw");
    assert!(
        odd.body.contains("&lt;script&gt;")
            || odd.body.contains("&#60;script&#62;")
            || odd.body.contains("&#x3c;script")
    );
    let broken = app.post_raw("/settings/users", &[], &[]).await;
    assert_eq!(broken.status, StatusCode::FORBIDDEN);
    let role_name = app
        .post(
            "/settings/roles/new",
            &[("role_name", &long), ("privilege", "build_read")],
        )
        .await;
    assert_eq!(role_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        role_name.text("#f-role_name-error"),
        "Role Name must be at most 100 characters."
    );
    let bad_query = app.get("/settings/audit?before=%FF%FE").await;
    assert_ne!(bad_query.status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[actix_web::test]
async fn control_characters_in_forms_searches_and_ids_are_refused_without_a_500() {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.get("/login").await;
    let sign_in = app
        .post(
            "/login",
            &[("email", "ada@partner.test\0"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        sign_in.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        sign_in.body
    );
    assert!(sign_in.body.contains("holds a control character"));

    app.sign_in("ada@partner.test", PASSWORD).await;
    let root = app.root_folder(&partner);
    app.get("/build/folders/new").await;
    let folders = app.count("folders");
    for name in ["Orders\0", "Orders\u{1}", "Orders\u{7f}"] {
        let created = app
            .post("/build/folders/new", &[("name", name), ("parent", &root)])
            .await;
        assert_eq!(created.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
    }
    assert_eq!(app.count("folders"), folders, "nothing was written");
    let multi_line = app
        .post(
            "/build/folders/new",
            &[("name", "Orders\tand\r\nreturns"), ("parent", &root)],
        )
        .await;
    assert_ne!(
        multi_line.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "tab and line breaks are for the fields' own rules to judge"
    );

    for path in [
        "/build?q=%00",
        "/build?q=ab%01c",
        "/build/library?q=%00",
        "/build/components/%00",
        "/settings/groups/abc%00def",
        "/deploy/packages/%7F",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(page.count("h1"), 1, "{path} answers a page");
    }
}

#[actix_web::test]
async fn names_with_invisible_format_characters_are_refused_beside_the_field() {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    let root = app.root_folder(&partner);
    app.get("/build/folders/new").await;
    let (folders, roles, groups) = (
        app.count("folders"),
        app.count("roles"),
        app.count("account_groups"),
    );
    let folder = app
        .post(
            "/build/folders/new",
            &[("name", "Orders\u{200b}"), ("parent", &root)],
        )
        .await;
    assert_eq!(folder.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        folder
            .text("#f-name-error")
            .contains("invisible formatting characters")
    );
    let role = app
        .post(
            "/settings/roles/new",
            &[
                ("role_name", "Administrator\u{200b}"),
                ("privilege", "build_read"),
            ],
        )
        .await;
    assert_eq!(role.status, StatusCode::UNPROCESSABLE_ENTITY);
    let group = app
        .post("/settings/groups/new", &[("name", "All Accounts\u{202e}")])
        .await;
    assert_eq!(group.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (
            app.count("folders"),
            app.count("roles"),
            app.count("account_groups")
        ),
        (folders, roles, groups),
        "nothing was written"
    );
}

#[actix_web::test]
async fn destructive_actions_ask_first_and_change_nothing_until_confirmed() {
    use process_library::domain::accounts::{Privilege, Privileges};
    use process_library::domain::build::{Body, ComponentType};
    use process_library::services::accounts::roles::{self, RoleInput};
    use process_library::services::build::folders;
    use process_library::services::deploy;

    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    let caller = app.admin(&partner);
    let role = roles::create(
        &caller,
        &RoleInput {
            name: "Auditor".to_owned(),
            privileges: Privileges::of(&[Privilege::ViewAuditLogs]),
        },
    )
    .expect("role");
    let root = app.root_folder(&partner);
    let folder = folders::create(
        &caller,
        &process_library::db::ids::FolderId::from(&root),
        "Archive",
    )
    .expect("folder");
    let component = app.component(&partner, "Old Sync", Body::empty(ComponentType::Process));
    let package = deploy::create(
        &caller,
        &deploy::NewPackage {
            component_id: component.as_str().into(),
            version: "1.0".into(),
            notes: String::new(),
            shareable: false,
        },
    )
    .expect("package");
    app.sign_in("ada@partner.test", PASSWORD).await;
    let cases = [
        (
            format!("/settings/roles/{role}"),
            format!("/settings/roles/{role}/delete"),
            "Delete role Auditor",
            format!("roles WHERE id = '{role}'"),
        ),
        (
            format!("/build/folders/{folder}"),
            format!("/build/folders/{folder}/delete"),
            "Delete folder Archive",
            format!("folders WHERE id = '{folder}'"),
        ),
        (
            format!("/deploy/packages/{package}"),
            format!("/deploy/packages/{package}/delete"),
            "Delete package Old Sync 1.0",
            format!("packages WHERE id = '{package}' AND deleted_at IS NULL"),
        ),
        (
            format!("/build/components/{component}"),
            format!("/build/components/{component}/delete"),
            "Delete component Old Sync",
            format!("components WHERE id = '{component}' AND deleted_at IS NULL"),
        ),
    ];
    for (from, confirm, title, still_there) in cases {
        let origin = app.get(&from).await;
        assert_eq!(
            origin
                .attr(&format!("main a[href='{confirm}']"), "class")
                .as_deref(),
            Some("button danger"),
            "{from} links to its confirmation page instead of acting at once"
        );
        let page = app.get(&confirm).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.text("h1"), title);
        assert!(page.text("main p").contains("will be deleted"));
        assert_eq!(page.text("main form button[type=submit]"), "Delete");
        assert_eq!(
            page.attr("main form", "action").as_deref(),
            Some(confirm.as_str())
        );
        assert_eq!(page.texts("main form a"), ["Cancel"]);
        assert_eq!(app.count(&still_there), 1, "asking changes nothing");
        let done = app.post(&confirm, &[]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{confirm}");
        assert_eq!(app.count(&still_there), 0, "{confirm} acts once confirmed");
    }
}
