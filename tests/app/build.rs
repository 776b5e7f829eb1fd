//! Build: components created, saved with their history and validated, references that keep a
//! component from deletion, folders, read-only access, and other accounts' components.

use actix_web::http::StatusCode;
use process_library::domain::accounts::BuiltInRole;
use process_library::domain::build::Body;

use crate::support::{PASSWORD, admin_app, connection, connector_process};

#[actix_web::test]
async fn a_component_is_created_saved_and_keeps_its_history() {
    let (mut app, partner) = admin_app().await;
    let root = app.root_folder(&partner);
    let form = app.get("/build/components/new").await;
    assert_eq!(
        form.texts("#f-type option"),
        [
            "Choose…",
            "Process",
            "Connection",
            "Operation",
            "Map",
            "Profile",
            "Process Property",
            "API Service",
            "Process Route"
        ]
    );
    let created = app
        .post(
            "/build/components/new",
            &[
                ("name", "Orders DB"),
                ("type", "connection"),
                ("folder", &root),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let page_url = created.location();
    let page = app.get(&page_url).await;
    assert_eq!(page.text("h1"), "Orders DB");
    assert_eq!(
        page.texts("#f-connector option").len(),
        9,
        "eight connectors after Choose…"
    );
    for (url, user) in [
        ("jdbc:postgresql://db/orders", "reader"),
        ("jdbc:postgresql://db2/orders", "reader"),
    ] {
        let revision = app
            .get(&page_url)
            .await
            .attr("input[name=revision]", "value")
            .expect("revision");
        let saved = app
            .post(
                &page_url,
                &[
                    ("revision", &revision),
                    ("name", "Orders DB"),
                    ("folder", &root),
                    ("description", "Orders"),
                    ("connector", "database"),
                    ("url", url),
                    ("username", user),
                    ("password", ""),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let page = app.get(&page_url).await;
    assert_eq!(
        page.text(".meta"),
        "Connection · revision 3 · in Partner Co"
    );
    let history = page.texts("#history-heading + .table-wrap table tbody tr td:nth-child(4)");
    assert_eq!(
        history,
        [
            "Changed url",
            "Changed connector, url, username, description",
            "Created"
        ]
    );
    let stale = app
        .post(
            &page_url,
            &[
                ("revision", "2"),
                ("name", "Orders DB"),
                ("folder", &root),
                ("connector", "database"),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        stale
            .text("[role=alert]")
            .contains("Someone saved this component in the meantime")
    );
    let list = app.get("/build?q=ORDERS").await;
    assert_eq!(list.texts("tbody tr td:first-child"), ["Orders DB"]);
    assert_eq!(app.get("/build?q=nothing%25").await.count("tbody tr"), 0);
    assert_eq!(app.get("/build?type=process").await.count("tbody tr"), 0);
}

#[actix_web::test]
async fn bad_component_input_is_answered_beside_the_field() {
    let (mut app, partner) = admin_app().await;
    let root = app.root_folder(&partner);
    app.get("/build/components/new").await;
    let before = app.count("components");
    let bad = app
        .post(
            "/build/components/new",
            &[
                ("name", ""),
                ("type", "bogus"),
                ("folder", "nope"),
                ("template", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.text("#f-name-error"), "Name is required.");
    assert_eq!(bad.text("#f-type-error"), "Choose a type.");
    assert_eq!(bad.text("#f-folder-error"), "Choose a folder.");
    // The summary at the top names every error and leads to its field; the title says so.
    assert_eq!(bad.text("[role=alert] h2"), "There is a problem");
    let links: Vec<(String, String)> = bad
        .html()
        .select(&scraper::Selector::parse("[role=alert] li a").expect("selector"))
        .map(|a| {
            (
                a.value().attr("href").unwrap_or_default().to_owned(),
                a.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("#f-name".to_owned(), "Name is required.".to_owned()),
            ("#f-type".to_owned(), "Choose a type.".to_owned()),
            ("#f-folder".to_owned(), "Choose a folder.".to_owned()),
        ]
    );
    assert!(bad.text("title").starts_with("Error: "));
    let api = app.component(
        &partner,
        "Orders API",
        Body::ApiService { endpoints: vec![] },
    );
    let process = app.component(
        &partner,
        "Sync",
        Body::empty(process_library::domain::build::ComponentType::Process),
    );
    let url = format!("/build/components/{api}");
    let rev = app
        .get(&url)
        .await
        .attr("input[name=revision]", "value")
        .expect("revision");
    let bad_path = app
        .post(
            &url,
            &[
                ("revision", &rev),
                ("name", "Orders API"),
                ("folder", &root),
                ("endpoint_process_1", &process),
                ("endpoint_path_1", "orders"),
                ("endpoint_method_1", "GET"),
            ],
        )
        .await;
    assert_eq!(bad_path.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad_path.text("#f-rows-error"),
        "Every endpoint path starts with /."
    );
    assert_eq!(
        bad_path.attr("#endpoint_path_1", "value").as_deref(),
        Some("orders"),
        "the input is kept"
    );
    let wrong_type = app
        .post(
            &url,
            &[
                ("revision", &rev),
                ("name", "Orders API"),
                ("folder", &root),
                ("endpoint_process_1", &api),
                ("endpoint_path_1", "/orders"),
                ("endpoint_method_1", "GET"),
            ],
        )
        .await;
    assert_eq!(
        wrong_type.text("#f-rows-error"),
        "Endpoint 1 must name a Process."
    );
    assert_eq!(app.count("components"), before + 2);
    assert_eq!(
        app.count(&format!("component_revisions WHERE component_id = '{api}'")),
        2
    );
}

#[actix_web::test]
async fn a_referenced_component_cannot_be_deleted_and_the_refusal_names_its_users() {
    let (mut app, partner) = admin_app().await;
    let conn = app.component(&partner, "Salesforce Prod", connection());
    let process = app.component(&partner, "Sync Accounts", connector_process(&conn));
    let page = app.get(&format!("/build/components/{conn}")).await;
    assert!(
        page.texts("#uses-heading ~ ul li")
            .iter()
            .any(|t| t == "Sync Accounts (Process)")
    );
    let refused = app
        .post(&format!("/build/components/{conn}/delete"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(
        refused.text("[role=alert] p"),
        "Salesforce Prod cannot be deleted: it is used by Sync Accounts."
    );
    assert_eq!(
        app.get(&format!("/build/components/{conn}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.post(&format!("/build/components/{process}/delete"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get(&format!("/build/components/{process}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(&format!("/build/components/{conn}/delete"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[actix_web::test]
async fn folders_are_created_renamed_and_deleted_only_when_empty() {
    let (mut app, partner) = admin_app().await;
    let root = app.root_folder(&partner);
    app.get("/build/folders/new").await;
    let created = app
        .post(
            "/build/folders/new",
            &[("name", "Salesforce"), ("parent", &root)],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let twice = app
        .post(
            "/build/folders/new",
            &[("name", "salesforce"), ("parent", &root)],
        )
        .await;
    assert_eq!(
        twice.text("#f-name-error"),
        "A folder with this name already exists there."
    );
    let folder = created
        .location()
        .trim_start_matches("/build?folder=")
        .to_owned();
    let list = app.get("/build").await;
    assert_eq!(
        list.texts("ul.tree li > a:first-child"),
        ["Partner Co", "Salesforce"]
    );
    assert_eq!(
        app.post(&format!("/build/folders/{folder}"), &[("name", "CRM")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    app.get("/build/components/new").await;
    let comp = app
        .post(
            "/build/components/new",
            &[("name", "Inside"), ("type", "profile"), ("folder", &folder)],
        )
        .await;
    let full = app
        .post(&format!("/build/folders/{folder}/delete"), &[])
        .await;
    assert_eq!(full.status, StatusCode::CONFLICT);
    app.post(&format!("{}/delete", comp.location()), &[]).await;
    assert_eq!(
        app.post(&format!("/build/folders/{folder}/delete"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get(&format!("/build/folders/{root}")).await.status,
        StatusCode::NOT_FOUND,
        "the root is not editable"
    );
}

#[actix_web::test]
async fn build_read_access_reads_but_cannot_write() {
    let (mut app, partner) = admin_app().await;
    let conn = app.component(&partner, "Salesforce Prod", connection());
    app.user(&partner, "support@partner.test", BuiltInRole::Support);
    app.set_cookie(None);
    app.sign_in("support@partner.test", PASSWORD).await;
    let page = app.get(&format!("/build/components/{conn}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.count("button[type=submit]:not(.secondary)"),
        0,
        "no Save, Copy or Delete"
    );
    let root = app.root_folder(&partner);
    for (path, fields) in [
        (
            format!("/build/components/{conn}"),
            vec![
                ("revision", "2"),
                ("name", "Hacked"),
                ("folder", root.as_str()),
                ("connector", "ftp"),
            ],
        ),
        (format!("/build/components/{conn}/delete"), vec![]),
        (format!("/build/components/{conn}/copy"), vec![]),
        (
            "/build/components/new".to_owned(),
            vec![("name", "X"), ("type", "map"), ("folder", root.as_str())],
        ),
        (
            "/build/folders/new".to_owned(),
            vec![("name", "X"), ("parent", root.as_str())],
        ),
    ] {
        assert_eq!(
            app.post(&path, &fields).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        app.get("/build/components/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("components WHERE name = 'Hacked'"), 0);
}

#[actix_web::test]
async fn components_of_other_accounts_answer_404() {
    let (mut app, _partner) = admin_app().await;
    let rival = app.primary_account("Rival Inc", "boss@rival.test");
    let theirs = app.component(&rival, "Rival Secret Connection", connection());
    let their_folder = app.root_folder(&rival);
    for path in [
        format!("/build/components/{theirs}"),
        format!("/build/folders/{their_folder}"),
        format!("/build?folder={their_folder}"),
    ] {
        let page = app.get(&path).await;
        assert!(
            page.status == StatusCode::NOT_FOUND || !page.body.contains("Rival Secret"),
            "{path}"
        );
    }
    app.get("/build").await;
    assert_eq!(
        app.post(&format!("/build/components/{theirs}/delete"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(&format!("/build/components/{theirs}/copy"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let root = app.root_folder(&app.admin_account("ada@partner.test"));
    let sneaky = app.component(
        &app.admin_account("ada@partner.test"),
        "Mine",
        Body::empty(process_library::domain::build::ComponentType::Process),
    );
    let rev = app
        .get(&format!("/build/components/{sneaky}"))
        .await
        .attr("input[name=revision]", "value")
        .expect("rev");
    let cross = app
        .post(
            &format!("/build/components/{sneaky}/shapes"),
            &[
                ("revision", &rev),
                ("shape", "connector"),
                ("component", &theirs),
                ("label", ""),
            ],
        )
        .await;
    assert_eq!(cross.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        cross.text("#f-component-error"),
        "The component chosen for shape 2 does not exist in this account."
    );
    let in_their_folder = app
        .post(
            "/build/components/new",
            &[("name", "X"), ("type", "map"), ("folder", &their_folder)],
        )
        .await;
    assert_eq!(in_their_folder.text("#f-folder-error"), "Choose a folder.");
    let _ = root;
}
