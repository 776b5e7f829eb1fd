//! The privilege matrix: each built-in role against each page, menus that match, and other
//! accounts' objects answering 404.

use actix_web::http::StatusCode;
use process_library::domain::accounts::BuiltInRole;

use crate::support::{PASSWORD, TestApp};

const OK: StatusCode = StatusCode::OK;
const NO: StatusCode = StatusCode::FORBIDDEN;

/// (page, Administrator, Standard User, Production Support, Support) in a primary account.
const MATRIX: [(&str, [StatusCode; 4]); 12] = [
    ("/build", [OK, OK, OK, OK]),
    ("/deploy", [OK, OK, OK, OK]),
    ("/manage", [OK, OK, OK, OK]),
    ("/settings", [OK, OK, OK, OK]),
    ("/settings/password", [OK, OK, OK, OK]),
    ("/settings/accounts", [OK, NO, NO, NO]),
    ("/settings/accounts/new", [OK, NO, NO, NO]),
    ("/settings/users", [OK, NO, NO, NO]),
    ("/settings/roles", [OK, NO, NO, NO]),
    ("/settings/roles/new", [OK, NO, NO, NO]),
    ("/settings/audit", [OK, NO, NO, NO]),
    ("/settings/nothing-here", [StatusCode::NOT_FOUND; 4]),
];

#[actix_web::test]
async fn each_built_in_role_opens_exactly_its_pages() {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "admin@partner.test");
    for (i, role) in BuiltInRole::ALL.into_iter().enumerate() {
        let email = format!("role{i}@partner.test");
        app.user(&partner, &email, role);
        app.set_cookie(None);
        app.sign_in(&email, PASSWORD).await;
        for (path, expected) in MATRIX {
            let page = app.get(path).await;
            assert_eq!(page.status, expected[i], "{} on {path}", role.name());
            assert_eq!(page.count("h1"), 1, "one h1 on {path}");
        }
        let settings = app.get("/settings").await;
        let links = settings.texts("nav[aria-label=Section] a");
        let admin = role == BuiltInRole::Administrator;
        assert_eq!(
            links.contains(&"Users".to_owned()),
            admin,
            "{} sees Users",
            role.name()
        );
        assert_eq!(links.contains(&"Audit Log".to_owned()), admin);
        assert_eq!(links.contains(&"Accounts".to_owned()), admin);
        assert_eq!(
            settings.count("dl.facts"),
            usize::from(admin),
            "account details for administrators only"
        );
        let forbidden_post = app
            .post(
                "/settings/roles/new",
                &[("role_name", "Sneaky"), ("privilege", "user_management")],
            )
            .await;
        assert_eq!(forbidden_post.status, expected_post(admin));
    }
    assert_eq!(
        app.count("roles WHERE name = 'Sneaky'"),
        1,
        "only the administrator created it"
    );
}

fn expected_post(admin: bool) -> StatusCode {
    if admin { StatusCode::SEE_OTHER } else { NO }
}

#[actix_web::test]
async fn a_role_without_build_access_sees_only_settings() {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "admin@partner.test");
    app.sign_in("admin@partner.test", PASSWORD).await;
    app.get("/settings/roles/new").await;
    app.post(
        "/settings/roles/new",
        &[("role_name", "Auditor"), ("privilege", "view_audit_logs")],
    )
    .await;
    let page = app.get("/settings/users").await;
    let auditor = page.html();
    let selector = scraper::Selector::parse("#f-role option").expect("selector");
    let role_id = auditor
        .select(&selector)
        .find(|o| o.text().collect::<String>() == "Auditor")
        .and_then(|o| o.value().attr("value"))
        .expect("the new role is offered")
        .to_owned();
    let added = app
        .post(
            "/settings/users",
            &[
                ("email", "eve@partner.test"),
                ("name", "Eve"),
                ("password", PASSWORD),
                ("role", &role_id),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    app.set_cookie(None);
    app.sign_in("eve@partner.test", PASSWORD).await;
    assert_eq!(app.get("/").await.location(), "/settings");
    let settings = app.get("/settings").await;
    assert_eq!(settings.texts("nav[aria-label=Main] a"), ["Settings"]);
    assert_eq!(app.get("/build").await.status, NO);
    assert_eq!(app.get("/settings/audit").await.status, OK);
    let _ = partner;
}

#[actix_web::test]
async fn managed_accounts_have_no_accounts_page() {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "admin@partner.test");
    app.managed_account(&partner, "Customer One", "boss@one.test");
    app.sign_in("boss@one.test", PASSWORD).await;
    assert_eq!(
        app.get("/settings/accounts").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/settings/users").await.status, OK);
    let links = app
        .get("/settings")
        .await
        .texts("nav[aria-label=Section] a");
    assert!(!links.contains(&"Accounts".to_owned()));
}

#[actix_web::test]
async fn objects_of_other_accounts_answer_404_and_stay_untouched() {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "admin@partner.test");
    let rival = app.primary_account("Rival Inc", "admin@rival.test");
    let rival_user = app.user(&rival, "worker@rival.test", BuiltInRole::StandardUser);
    app.sign_in("admin@rival.test", PASSWORD).await;
    app.get("/settings/roles/new").await;
    app.post(
        "/settings/roles/new",
        &[("role_name", "Rival Role"), ("privilege", "build_read")],
    )
    .await;
    let rival_role: String = role_id_named(&app, "Rival Role");
    app.set_cookie(None);
    app.sign_in("admin@partner.test", PASSWORD).await;
    app.get("/settings").await;
    let attempts = [
        app.post(&format!("/settings/users/{rival_user}/remove"), &[])
            .await,
        app.get(&format!("/settings/roles/{rival_role}")).await,
        app.post(
            &format!("/settings/roles/{rival_role}"),
            &[("role_name", "Taken"), ("privilege", "build_read")],
        )
        .await,
        app.post(&format!("/settings/roles/{rival_role}/delete"), &[])
            .await,
        app.post("/switch", &[("account", &rival)]).await,
        app.get(&format!(
            "/settings/roles/{}",
            BuiltInRole::Administrator.id()
        ))
        .await,
    ];
    for page in attempts {
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(
            !page.body.contains("Rival"),
            "nothing of the other account shows"
        );
    }
    assert_eq!(
        app.count(&format!("user_roles WHERE user_id = '{rival_user}'")),
        1
    );
    assert_eq!(app.count("roles WHERE name = 'Rival Role'"), 1);
    assert_eq!(
        app.get("/settings").await.text(".current-account"),
        "Current account: Partner Co"
    );
    let _ = partner;
}

fn role_id_named(app: &TestApp, name: &str) -> String {
    use diesel::prelude::*;
    use process_library::db::{self, schema::roles};
    db::read(&app.pool, |conn| {
        Ok(roles::table
            .filter(roles::name.eq(name))
            .select(roles::id)
            .first::<String>(conn)?)
    })
    .expect("role")
}
