//! Build: folders, components, revisions, references, templates, secrets.

use actix_web::http::StatusCode;
use process_library::db::ids::*;
use process_library::domain::accounts::BuiltInRole;
use process_library::domain::build::{Body, Connector, Shape, ShapeKind};

use crate::support::{PASSWORD, TestApp};

pub const SENTINEL: &str = "SENTINEL-Pa55word-7f3a";

pub fn connector_process(connection: &str) -> Body {
    Body::Process {
        shapes: vec![
            Shape {
                kind: ShapeKind::Start,
                component: None,
                operation: None,
                label: "Start".into(),
            },
            Shape {
                kind: ShapeKind::Connector,
                component: Some(connection.into()),
                operation: None,
                label: "Get accounts".into(),
            },
            Shape {
                kind: ShapeKind::Stop,
                component: None,
                operation: None,
                label: "Stop".into(),
            },
        ],
    }
}

pub fn connection() -> Body {
    Body::Connection {
        connector: Connector::Salesforce,
        url: "https://login.example.com".into(),
        username: "api".into(),
        password: None,
    }
}

pub async fn admin_app() -> (TestApp, String) {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    (app, partner)
}

fn id_from(location: &str) -> String {
    location
        .trim_start_matches("/build/components/")
        .split('#')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[actix_web::test]
async fn a_component_is_created_saved_and_keeps_its_history() {
    let (mut app, partner) = admin_app().await;
    let root = app.root_folder(&partner);
    let form = app.get("/build/components/new").await;
    assert_eq!(
        form.texts("#f-type option"),
        [
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
    assert_eq!(page.texts("#f-connector option").len(), 8);
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
    let history = page.texts("#history-heading + table tbody tr td:nth-child(4)");
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

#[actix_web::test]
async fn the_folder_tree_opens_at_the_chosen_folder_and_pages_its_subfolders() {
    use process_library::services::build::folders;
    let (mut app, partner) = admin_app().await;
    let root = app.root_folder(&partner);
    let caller = app.admin(&partner);
    let mut first = String::new();
    for n in 1..=55 {
        let id = folders::create(&caller, &root, &format!("Folder {n:02}")).expect("folder");
        if n == 1 {
            first = id;
        }
    }
    folders::create(&caller, &first, "Orders").expect("nested folder");

    let list = app.get("/build").await;
    let shown = list.texts("ul.tree li > a:first-child");
    assert_eq!(shown.len(), 51, "the root and the first 50 subfolders");
    assert_eq!(shown[..3], ["Partner Co", "Folder 01", "Folder 02"]);
    assert!(
        !shown.contains(&"Orders".to_owned()),
        "only the open folder's subfolders"
    );
    let more = list
        .attr("a[href*='folders_after']", "href")
        .expect("a More folders link");
    assert_eq!(list.text("a[href*='folders_after']"), "More folders");
    let rest = app.get(&more.replace("&amp;", "&")).await;
    assert_eq!(
        rest.texts("ul.tree li > a:first-child"),
        [
            "Partner Co",
            "Folder 51",
            "Folder 52",
            "Folder 53",
            "Folder 54",
            "Folder 55"
        ]
    );
    assert!(rest.attr("a[href*='folders_after']", "href").is_none());

    let opened = app.get(&format!("/build?folder={first}")).await;
    assert_eq!(
        opened.texts("ul.tree li > a:first-child"),
        ["Partner Co", "Folder 01", "Orders"]
    );
    assert_eq!(
        opened.text("ul.tree a[aria-current]"),
        "Folder 01",
        "the open folder is marked"
    );
    assert_eq!(
        opened.text(".filter-note"),
        "In folder Partner Co / Folder 01"
    );
    assert_eq!(
        opened.attr("form[role=search] input[name=folder]", "value"),
        Some(first.clone()),
        "a search keeps to the folder"
    );
}

#[actix_web::test]
async fn the_search_finds_any_part_of_a_name_a_page_at_a_time() {
    use process_library::services::build::{components, folders};
    let (mut app, partner) = admin_app().await;
    let caller = app.admin(&partner);
    let root = app.root_folder(&partner);
    let mut first = String::new();
    for n in 1..=60 {
        let id = app.component(&partner, &format!("Orders Map {n:02}"), connection());
        if n == 1 {
            first = id;
        }
    }
    let quoted = app.component(&partner, "Say \"hi\" Map", connection());
    let nested = folders::create(&caller, &root, "Nested").expect("folder");
    let rival = app.primary_account("Rival Inc", "boss@rival.test");
    app.component(&rival, "Orders Map 99", connection());
    let names = |page: &crate::support::Response| page.texts("tbody tr td:first-child a");
    let next = |page: &crate::support::Response| {
        page.attr("a[rel=next]", "href")
            .map(|h| h.replace("&amp;", "&"))
    };

    let page = app.get("/build?q=map+0").await;
    assert_eq!(
        names(&page),
        (1..=9)
            .map(|n| format!("Orders Map {n:02}"))
            .collect::<Vec<_>>(),
        "any part of a name, only the account's own"
    );
    let page = app.get("/build?q=DERS+MAP").await;
    assert_eq!(names(&page).len(), 50);
    assert_eq!(names(&page)[49], "Orders Map 50");
    let rest = app.get(&next(&page).expect("a next page")).await;
    assert_eq!(
        names(&rest),
        (51..=60)
            .map(|n| format!("Orders Map {n:02}"))
            .collect::<Vec<_>>()
    );
    assert!(next(&rest).is_none());
    assert_eq!(
        names(&app.get("/build?q=y+%22hi%22").await),
        ["Say \"hi\" Map"]
    );
    // How the pages above were found: a common text among the first components by name, one
    // found there a few times by reading on in name order, a rare one through the trigram index
    // (SQLite makes the page there, PostgreSQL names the candidates), a short one by reading
    // in name order.
    let found = |text: &str| {
        use process_library::db::name_search::{Found, search};
        use process_library::db::{self, build::ComponentFilter};
        let filter = ComponentFilter {
            name_contains: Some(text.to_owned()),
            ..ComponentFilter::default()
        };
        let sqlite = db::read(&app.pool, |conn| {
            Ok(matches!(conn, db::DbConnection::Sqlite(_)))
        })
        .expect("read");
        let how = db::read(&app.pool, |conn| {
            Ok(match search(conn, &partner, &filter, 51)? {
                Found::Page(page) => format!("a page of {}", page.len()),
                Found::Among(ids) => format!("among {}", ids.len()),
                Found::Unknown => "unknown".to_owned(),
            })
        })
        .expect("search");
        (sqlite, how)
    };
    assert_eq!(found("ders map").1, "a page of 51");
    assert_eq!(found("map 0").1, "unknown");
    match found("map 07") {
        (true, how) => assert_eq!(how, "a page of 1"),
        (false, how) => assert_eq!(how, "among 1"),
    }
    assert_eq!(found("ap").1, "unknown");
    // The index is asked with sequential scans off on PostgreSQL, for that statement only, even
    // inside a larger transaction.
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }
    let after_search = process_library::db::write(&app.pool, |conn| {
        use diesel::RunQueryDsl;
        let filter = process_library::db::build::ComponentFilter {
            name_contains: Some("map 07".to_owned()),
            ..Default::default()
        };
        process_library::db::name_search::search(conn, &partner, &filter, 51)?;
        Ok(match conn {
            process_library::db::DbConnection::Postgresql(pg) => Some(
                diesel::sql_query("SELECT current_setting('enable_seqscan') AS value")
                    .get_result::<Setting>(pg)?
                    .value,
            ),
            process_library::db::DbConnection::Sqlite(_) => None,
        })
    })
    .expect("search in a transaction");
    assert!(
        after_search.as_deref().is_none_or(|v| v == "on"),
        "{after_search:?}"
    );
    assert_eq!(
        names(&app.get("/build?q=ap").await).len(),
        50,
        "a text too short for the index is still found"
    );

    let root_name = app.admin(&partner);
    components::save(
        &root_name,
        &ComponentId::from(&first),
        components::SaveComponent {
            name: "Refunds Ledger".to_owned(),
            folder_id: FolderId::from(nested.clone()),
            description: String::new(),
            revision: 2,
            draft: None,
        },
    )
    .expect("renamed and moved");
    assert_eq!(
        names(&app.get("/build?q=ledger").await),
        ["Refunds Ledger"],
        "a renamed component is found by its new name"
    );
    assert_eq!(
        names(&app.get("/build?q=map+0").await).len(),
        8,
        "and no longer by its old one"
    );
    assert_eq!(
        names(&app.get(&format!("/build?q=ledger&folder={nested}")).await),
        ["Refunds Ledger"]
    );
    assert!(
        names(&app.get(&format!("/build?q=map&folder={nested}")).await).is_empty(),
        "the search keeps to the folder"
    );
    components::delete(&caller, &ComponentId::from(&quoted)).expect("deleted");
    assert!(names(&app.get("/build?q=y+%22hi%22").await).is_empty());
}

#[actix_web::test]
async fn a_component_removed_from_the_database_leaves_the_search_too() {
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
    use process_library::db::{self, schema};
    let (mut app, partner) = admin_app().await;
    let gone = app.component(&partner, "Alpha Ledger", connection());
    app.component(&partner, "Beta Ledger", connection());
    let names = |page: &crate::support::Response| page.texts("tbody tr td:first-child a");
    assert_eq!(
        names(&app.get("/build?q=ledger").await),
        ["Alpha Ledger", "Beta Ledger"]
    );
    // The product only ever marks components deleted; a removal by hand (maintenance) must
    // still leave the trigram index of names consistent.
    db::write(&app.pool, |conn| {
        diesel::delete(
            schema::component_revisions::table
                .filter(schema::component_revisions::component_id.eq(&gone)),
        )
        .execute(conn)?;
        diesel::delete(
            schema::component_refs::table.filter(schema::component_refs::from_id.eq(&gone)),
        )
        .execute(conn)?;
        diesel::delete(schema::components::table.find(&gone)).execute(conn)?;
        Ok(())
    })
    .expect("removed");
    assert_eq!(names(&app.get("/build?q=ledger").await), ["Beta Ledger"]);
    if !app.is_postgres() {
        assert_eq!(
            app.count("component_search_rows"),
            app.count("components"),
            "one row number per component, none left behind"
        );
    }
}
