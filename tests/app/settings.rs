//! Settings: managed accounts, users, custom roles, account switching.

use actix_web::http::StatusCode;
use process_library::domain::accounts::BuiltInRole;

use crate::support::{PASSWORD, TestApp};

#[actix_web::test]
async fn a_primary_administrator_creates_a_managed_account_and_switches_into_it() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    let form = app.get("/settings/accounts/new").await;
    assert_eq!(
        form.texts("form label"),
        [
            "Account Name",
            "Administrator Email",
            "Administrator Name",
            "Administrator Password"
        ]
    );
    let created = app
        .post(
            "/settings/accounts/new",
            &[
                ("account_name", "Customer One"),
                ("admin_email", "ada@partner.test"),
                ("admin_name", ""),
                ("admin_password", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let list = app.get("/settings/accounts").await;
    assert!(
        list.text("[role=status]")
            .starts_with("Managed account Customer One created")
    );
    assert_eq!(list.texts("tbody td:first-child"), ["Customer One"]);
    let switcher = app.get("/settings").await;
    assert_eq!(
        switcher.texts("#switch-account option"),
        ["Customer One", "Partner Co"]
    );
    assert_eq!(switcher.text("label[for=switch-account]"), "Account");
    let customer_id = switcher
        .attr("#switch-account option:not([selected])", "value")
        .expect("other account");
    let switched = app.post("/switch", &[("account", &customer_id)]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let page = app.get("/settings").await;
    assert_eq!(
        page.text(".current-account"),
        "Current account: Customer One"
    );
    assert_eq!(
        page.text("[role=status]"),
        "You are now working in Customer One."
    );
    assert_eq!(
        app.get("/settings/accounts").await.status,
        StatusCode::NOT_FOUND,
        "a managed account has none"
    );
}

#[actix_web::test]
async fn a_new_managed_account_with_a_new_administrator_needs_name_and_password() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/accounts/new").await;
    let bad = app
        .post(
            "/settings/accounts/new",
            &[
                ("account_name", "Partner co"),
                ("admin_email", "new@one.test"),
                ("admin_name", ""),
                ("admin_password", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.text("#f-account_name-error"),
        "An account with this name already exists."
    );
    assert_eq!(
        bad.text("#f-admin_name-error"),
        "Administrator Name is required."
    );
    assert!(bad.text("#f-admin_password-error").contains("at least 8"));
    assert_eq!(app.count("accounts"), 1);
    let ok = app
        .post(
            "/settings/accounts/new",
            &[
                ("account_name", "One"),
                ("admin_email", "new@one.test"),
                ("admin_name", "Neo"),
                ("admin_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    app.set_cookie(None);
    app.sign_in("new@one.test", PASSWORD).await;
    assert_eq!(
        app.get("/settings").await.text(".current-account"),
        "Current account: One"
    );
}

#[actix_web::test]
async fn users_are_added_with_a_role_validated_and_removed() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    let page = app.get("/settings/users").await;
    assert_eq!(
        page.texts("thead th"),
        ["Email", "Name", "Roles", "Actions"]
    );
    assert!(
        page.attr("#f-role option[selected]", "value").is_some(),
        "a role is pre-selected"
    );
    assert_eq!(
        page.texts("#f-role option"),
        [
            "Choose…",
            "Administrator",
            "Production Support",
            "Standard User",
            "Support"
        ]
    );
    let users_before = app.count("users");
    let bad = app
        .post(
            "/settings/users",
            &[
                ("email", "bob@"),
                ("name", ""),
                ("password", ""),
                ("role", "nope"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text("#f-email-error").contains("e-mail address"));
    assert_eq!(bad.text("#f-role-error"), "Choose a role.");
    assert_eq!(app.count("users"), users_before);
    let added = app
        .post(
            "/settings/users",
            &[
                ("email", "Bob@Partner.test"),
                ("name", "Bob"),
                ("password", PASSWORD),
                ("role", BuiltInRole::Support.id()),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let list = app.get("/settings/users").await;
    assert_eq!(list.text("[role=status]"), "User Bob@Partner.test added.");
    assert!(
        list.texts("tbody tr")
            .iter()
            .any(|row| row == "Bob@Partner.test Bob Support Remove")
    );
    let twice = app
        .post(
            "/settings/users",
            &[
                ("email", "bob@partner.test"),
                ("name", ""),
                ("password", ""),
                ("role", BuiltInRole::Support.id()),
            ],
        )
        .await;
    assert_eq!(
        twice.text("#f-email-error"),
        "This user already has the Support role in this account."
    );
    let remove_link = list
        .attr("a[href$='/remove']", "href")
        .expect("a Remove link");
    let confirm = app.get(&remove_link).await;
    assert!(confirm.text("h1").starts_with("Remove "), "it asks first");
    assert_eq!(confirm.text("main form button"), "Remove");
    let remove_form = confirm.attr("main form", "action").expect("its form");
    let removed = app.post(&remove_form, &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/settings/users")
            .await
            .count("form[action$='/remove']"),
        0
    );
    assert_eq!(
        app.count("users"),
        users_before + 1,
        "the user remains, without access here"
    );
}

#[actix_web::test]
async fn custom_roles_are_created_edited_and_deleted_when_unused() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    let form = app.get("/settings/roles/new").await;
    assert_eq!(
        form.texts("fieldset label"),
        [
            "Build Read Access",
            "Build Read and Write Access",
            "Packaged Component Management",
            "Process Library",
            "Account Group Management",
            "User Management",
            "Account Administration",
            "View Audit Logs",
            "Integration Pack"
        ]
    );
    let empty = app
        .post("/settings/roles/new", &[("role_name", "Administrator")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        empty.text("#f-role_name-error"),
        "A role with this name already exists."
    );
    assert_eq!(
        empty.text("#f-privileges-error"),
        "Tick at least one privilege."
    );
    let created = app
        .post(
            "/settings/roles/new",
            &[
                ("role_name", "Librarian"),
                ("privilege", "build_read"),
                ("privilege", "process_library"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let roles = app.get("/settings/roles").await;
    assert!(
        roles
            .texts("tbody tr")
            .contains(&"Librarian Custom Build Read Access, Process Library".to_owned())
    );
    let edit = roles
        .attr("tbody a", "href")
        .expect("link to the custom role");
    let page = app.get(&edit).await;
    assert_eq!(
        page.attr("#p-process_library", "checked").as_deref(),
        Some("")
    );
    let saved = app
        .post(
            &edit,
            &[("role_name", "Library Keeper"), ("privilege", "build_read")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let role_id = edit.rsplit('/').next().expect("id").to_owned();
    let added = app
        .post(
            "/settings/users",
            &[
                ("email", "kim@partner.test"),
                ("name", "Kim"),
                ("password", PASSWORD),
                ("role", &role_id),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let in_use = app.post(&format!("{edit}/delete"), &[]).await;
    assert_eq!(in_use.status, StatusCode::CONFLICT);
    assert!(
        in_use
            .text("[role=alert]")
            .contains("is held by 1 user; remove it")
    );
    let kim = app.get("/settings/users").await;
    let remove = kim
        .html()
        .select(&scraper::Selector::parse("a[href$='/remove']").expect("selector"))
        .filter_map(|f| f.value().attr("href").map(str::to_owned))
        .next()
        .expect("remove Kim");
    let confirm = app.get(&remove).await;
    assert_eq!(confirm.attr("main form", "action"), Some(remove.clone()));
    app.post(&remove, &[]).await;
    let deleted = app.post(&format!("{edit}/delete"), &[]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("roles WHERE account_id IS NOT NULL"), 0);
}
