//! The demo world seeds once and signs in.

use process_library::demo;

use crate::support::TestApp;

#[actix_web::test]
async fn the_demo_world_is_seeded_idempotently_and_its_users_sign_in() {
    let mut app = TestApp::new().await;
    let people = demo::seed(&app.instance, "demo-password").expect("seed");
    let tables = [
        "accounts",
        "users",
        "user_roles",
        "components",
        "packages",
        "invitations",
    ];
    let counts = tables.map(|t| app.count(t));
    demo::seed(&app.instance, "demo-password").expect("seed again");
    assert_eq!(tables.map(|t| app.count(t)), counts);
    assert_eq!(counts[5], 2, "two invitations wait");
    assert!(
        counts[3] >= 10 && counts[4] >= 3,
        "components and packages: {counts:?}"
    );
    assert_eq!(people.len(), 11);
    assert_eq!(
        app.count("accounts WHERE deployment_model = 'legacy'"),
        1,
        "the Legacy partner"
    );
    assert_eq!(
        app.count("accounts WHERE platform_publisher"),
        1,
        "the platform publisher"
    );
    assert_eq!(
        app.count("pack_instances"),
        1,
        "Acme Retail's installed integration pack"
    );
    assert_eq!(
        app.count("components WHERE body LIKE '%orders.acme-retail.test%'"),
        1,
        "with its connection's extension set"
    );
    app.forbid("demo-salesforce-secret");
    app.sign_in("admin@demo.test", "demo-password").await;
    let deploy = app.get("/deploy").await;
    assert!(
        deploy
            .texts("tbody td:first-child")
            .contains(&"Sync Accounts to NetSuite".to_owned())
    );
    app.set_cookie(None);
    app.sign_in("consultant@demo.test", "demo-password").await;
    assert_eq!(
        app.get("/settings").await.texts("#switch-account option"),
        ["Acme Retail", "Globex Logistics"]
    );
    app.set_cookie(None);
    app.sign_in("buyer@acme.test", "demo-password").await;
    let library = app.get("/build/library?sort=name").await;
    let names = library.texts("article h2");
    for name in [
        "Daily Health Check",
        "Error Alert by Mail",
        "Nightly Account Sync",
    ] {
        assert!(
            names.contains(&name.to_owned()),
            "the platform's processes beside the partner's: {names:?}"
        );
    }
    let settings = app.get("/settings").await;
    assert!(
        settings
            .text("section[aria-labelledby=invitations-heading]")
            .contains("Globex Logistics")
    );
    app.set_cookie(None);
    let guest = app.sign_in("guest@demo.test", "demo-password").await;
    assert_eq!(guest.location(), "/invitations");
    assert!(
        app.get("/invitations")
            .await
            .text("tbody")
            .contains("Demo Partner")
    );
    // The Legacy partner: its import published, then changed; its API in a pack only.
    app.set_cookie(None);
    app.sign_in("legacy@harbor.test", "demo-password").await;
    let statuses = app
        .get("/manage/process-library")
        .await
        .texts("ul.packaged .badge");
    assert_eq!(
        statuses,
        ["Published with Changes", "Published with Changes"]
    );
    app.set_cookie(None);
    app.sign_in("admin@pier.test", "demo-password").await;
    let names = app
        .get("/build/library?sort=name")
        .await
        .texts("article h2");
    assert!(names.contains(&"Shipment Import".to_owned()), "{names:?}");
    assert!(!names.iter().any(|n| n == "Shipment API"), "{names:?}");
}
