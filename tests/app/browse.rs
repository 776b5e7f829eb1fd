//! Browse Process Library on the managed side: what is visible, View, Install with rewired
//! copies and secrets, idempotency, lineage, updates, templates, and the publisher's counts.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use process_library::db::ids::*;
use process_library::db::{self, schema::components};
use process_library::domain::accounts::BuiltInRole;
use process_library::domain::build::{Body, ComponentType, Endpoint, HttpMethod};
use process_library::services::groups;

use crate::support::{
    PASSWORD, SENTINEL, TestApp, connection, connector_process, install, library_world, share,
    shared_with_gold,
};

fn body_of(app: &TestApp, id: &str) -> Body {
    let text = db::read(&app.pool, |conn| {
        Ok(components::table
            .find(id)
            .select(components::body)
            .first::<String>(conn)?)
    })
    .expect("body");
    Body::from_json(&text).expect("json")
}

#[actix_web::test]
async fn an_account_sees_only_what_its_groups_share() {
    let mut w = library_world().await;
    let gold_only = w
        .app
        .component(&w.partner, "Gold Sync", Body::empty(ComponentType::Process));
    let everyone = w.app.component(
        &w.partner,
        "Everyone Sync",
        Body::empty(ComponentType::Process),
    );
    let hidden = w.app.component(
        &w.partner,
        "Hidden Sync",
        Body::empty(ComponentType::Process),
    );
    let api = w.app.component(
        &w.partner,
        "Sync API",
        Body::ApiService {
            endpoints: vec![Endpoint {
                process: everyone.clone(),
                path: "/x".into(),
                method: HttpMethod::Get,
            }],
        },
    );
    let (gold_pp, _) = w.app.publish(&w.partner, &gold_only, false);
    let (all_pp, _) = w.app.publish(&w.partner, &everyone, false);
    let (hidden_pp, _) = w.app.publish(&w.partner, &hidden, false);
    let (api_pp, _) = w.app.publish(&w.partner, &api, false);
    share(&w, &w.gold, &gold_pp);
    share(&w, &w.all, &all_pp);
    db::write(&w.app.pool, |conn| {
        db::groups::add_resource(
            conn,
            &GroupId::from(&w.all),
            &ProcessId::from(&api_pp),
            db::now(),
        )
    })
    .expect("forced API resource");

    let library = w.app.get("/build/library").await;
    assert_eq!(library.status, StatusCode::OK);
    assert_eq!(library.texts("article h2"), ["Everyone Sync", "Gold Sync"]);
    assert_eq!(
        library.texts("article .muted")[0],
        format!(
            "Published on {} by Partner Co Integrations",
            chrono::Utc::now().format("%Y-%m-%d")
        )
    );
    assert_eq!(
        library.texts("article a"),
        ["View", "Install", "View", "Install"]
    );
    for id in [&hidden_pp, &api_pp, "no-such-process"] {
        let page = w.app.get(&format!("/build/library/{id}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert_eq!(
            page.text("h1"),
            "Page not found",
            "the same page for hidden and missing"
        );
    }
    w.app.set_cookie(None);
    w.app.sign_in("admin@globex.test", PASSWORD).await;
    assert_eq!(
        w.app.get("/build/library").await.texts("article h2"),
        ["Everyone Sync"]
    );
    assert_eq!(
        w.app.get(&format!("/build/library/{gold_pp}")).await.status,
        StatusCode::NOT_FOUND
    );

    let rival = w.app.primary_account("Rival Inc", "boss@rival.test");
    w.app
        .managed_account(&rival, "Lonely Co", "boss@lonely.test");
    w.app.set_cookie(None);
    w.app.sign_in("boss@lonely.test", PASSWORD).await;
    let empty = w.app.get("/build/library").await;
    assert_eq!(
        empty.text(".empty-state p"),
        "No processes have been shared with this account yet."
    );
    assert_eq!(
        w.app.get(&format!("/build/library/{all_pp}")).await.status,
        StatusCode::NOT_FOUND,
        "another partner's process"
    );
    let _ = (w.acme, w.globex);
}

#[actix_web::test]
async fn the_library_searches_sorts_and_pages() {
    let mut w = library_world().await;
    for i in 0..23 {
        let name = format!("Process {i:02}");
        let id = w
            .app
            .component(&w.partner, &name, Body::empty(ComponentType::Process));
        let (pp, _) = w.app.publish(&w.partner, &id, false);
        share(&w, &w.all, &pp);
    }
    let special = w.app.component(
        &w.partner,
        "Invoice Export",
        Body::empty(ComponentType::Process),
    );
    let (pp, _) = w.app.publish(&w.partner, &special, false);
    share(&w, &w.gold, &pp);
    db::write(&w.app.pool, |conn| {
        diesel::update(db::schema::published_processes::table.find(&pp))
            .set(db::schema::published_processes::install_count.eq(7))
            .execute(conn)?;
        Ok(())
    })
    .expect("popularity");
    let popular = w.app.get("/build/library").await;
    assert_eq!(popular.count("article"), 20);
    assert_eq!(
        popular.text("article h2"),
        "Invoice Export",
        "most popular first"
    );
    let by_name = w.app.get("/build/library?sort=name").await;
    assert_eq!(by_name.text("article h2"), "Invoice Export");
    let next = by_name.attr("a[rel=next]", "href").expect("next page");
    let second = w.app.get(&next).await;
    assert_eq!(
        second.texts("article h2"),
        ["Process 19", "Process 20", "Process 21", "Process 22"]
    );
    assert_eq!(second.count("a[rel=next]"), 0);
    assert_eq!(
        by_name.count("a[rel=prev]"),
        0,
        "the first page has none before it"
    );
    let back = w
        .app
        .get(&second.attr("a[rel=prev]", "href").expect("the page before"))
        .await;
    assert_eq!(
        back.texts("article h2"),
        by_name.texts("article h2"),
        "Previous processes leads back to the same first page"
    );
    assert_eq!(back.count("a[rel=prev]"), 0);
    assert_eq!(back.attr("a[rel=next]", "href"), Some(next.clone()));
    let by_date = w.app.get("/build/library?sort=date").await;
    assert_eq!(
        by_date.text("article h2"),
        "Invoice Export",
        "the newest publication first"
    );
    assert_eq!(
        w.app
            .get("/build/library?q=INVOICE")
            .await
            .texts("article h2"),
        ["Invoice Export"]
    );
    assert_eq!(
        w.app
            .get("/build/library?q=shared%20for%20TESTS&sort=name")
            .await
            .count("article"),
        20,
        "descriptions are searched"
    );
    // Two addresses of the same search, typed differently: the same processes, each page with
    // its own text in the box and in its links (a page is kept per address, not per search).
    let upper = w.app.get("/build/library?q=INVOICE&sort=name").await;
    let lower = w.app.get("/build/library?q=invoice++&sort=name").await;
    let again = w.app.get("/build/library?q=INVOICE&sort=name").await;
    assert_eq!(lower.texts("article h2"), ["Invoice Export"]);
    assert_eq!(upper.attr("#f-q", "value").as_deref(), Some("INVOICE"));
    assert_eq!(lower.attr("#f-q", "value").as_deref(), Some("invoice"));
    assert_eq!(again.attr("#f-q", "value").as_deref(), Some("INVOICE"));
    assert_eq!(
        upper.body, again.body,
        "the same address shows the same page"
    );
    assert_eq!(
        w.app.get("/build/library?q=%25").await.count("article"),
        0,
        "wildcards are literal"
    );
    assert_eq!(
        w.app
            .get(&format!("/build/library?publisher={}", w.partner))
            .await
            .count("article"),
        20
    );
    assert_eq!(
        w.app
            .get("/build/library?publisher=someone-else")
            .await
            .count("article"),
        0
    );
}

#[actix_web::test]
async fn view_shows_the_published_version_and_never_the_internal_notes() {
    let mut w = library_world().await;
    let conn = w.app.component(&w.partner, "Salesforce Prod", connection());
    let process = w
        .app
        .component(&w.partner, "Sync Accounts", connector_process(&conn));
    let (pp, publication) = w.app.publish(&w.partner, &process, false);
    db::write(&w.app.pool, |c| {
        diesel::update(db::schema::publications::table.find(&publication))
            .set(db::schema::publications::notes.eq("INTERNAL-ONLY-NOTE"))
            .execute(c)?;
        Ok(())
    })
    .expect("notes");
    share(&w, &w.gold, &pp);
    w.app.forbid("INTERNAL-ONLY-NOTE");
    let view = w.app.get(&format!("/build/library/{pp}")).await;
    assert_eq!(view.text("h1"), "Sync Accounts");
    assert_eq!(view.text("h2"), "Included components: 2");
    assert_eq!(
        view.texts(".process-layout ul li"),
        ["Process: 1", "Connection: 1", "Salesforce: 1"]
    );
    assert_eq!(view.count("svg.diagram rect"), 3);
    assert!(
        view.text("svg title")
            .contains("Connector Get accounts (Salesforce Prod)")
    );
    assert_eq!(
        view.attr("#share-link", "value"),
        Some(format!("http://localhost/build/library/{pp}"))
    );
    assert_eq!(
        view.attr("a[href$='/install']", "href"),
        Some(format!("/build/library/{pp}/install"))
    );
    w.app.get("/build/library").await;
}

#[actix_web::test]
async fn install_copies_rewires_renames_and_records_once() {
    let mut w = library_world().await;
    let conn = w.app.component(&w.partner, "Salesforce Prod", connection());
    let root = w.app.root_folder(&w.partner);
    let url = format!("/build/components/{conn}");
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    w.app.get(&url).await;
    w.app
        .post(
            &url,
            &[
                ("revision", "2"),
                ("name", "Salesforce Prod"),
                ("folder", &root),
                ("connector", "salesforce"),
                ("password", SENTINEL),
            ],
        )
        .await;
    let process = w
        .app
        .component(&w.partner, "Sync Accounts", connector_process(&conn));
    let (pp, _) = w.app.publish(&w.partner, &process, true);
    share(&w, &w.gold, &pp);
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    w.app.forbid(SENTINEL);

    let acme_root = w.app.root_folder(&w.acme);
    let existing = w
        .app
        .component(&w.acme, "My Sync", Body::empty(ComponentType::Process));
    let _ = existing;
    let form = w.app.get(&format!("/build/library/{pp}/install")).await;
    assert_eq!(form.text("h1"), "Install Sync Accounts");
    assert!(
        form.text("main")
            .contains("This version brings its connections' passwords"),
        "the form says the passwords come along"
    );
    assert_eq!(
        form.texts("form label"),
        [
            "Installation Location",
            "New Folder",
            "Process Name for Local Version",
            "Create a copy"
        ],
        "the connection can only be copied: the account has no Salesforce connection"
    );
    assert_eq!(
        form.text("fieldset .help + .check + .help"),
        "This account has no Salesforce connection to use instead."
    );
    assert_eq!(
        form.attr("#f-local_name", "value").as_deref(),
        Some("Sync Accounts")
    );
    let token = form.attr("input[name=token]", "value").expect("token");
    let fields = [
        ("token", token.as_str()),
        ("folder", acme_root.as_str()),
        ("new_folder", "From Partner"),
        ("local_name", "My Sync"),
    ];
    let done = w
        .app
        .post(&format!("/build/library/{pp}/install"), &fields)
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let again = w
        .app
        .post(&format!("/build/library/{pp}/install"), &fields)
        .await;
    assert_eq!(
        again.location(),
        done.location(),
        "a double submit lands on the same installation"
    );
    assert_eq!(w.app.count("installations"), 1);
    let complete = w.app.get(&done.location()).await;
    assert_eq!(complete.text("h1"), "Installation Complete");
    assert_eq!(
        complete.texts(".actions a"),
        ["View Process", "Back to Library"]
    );

    let copy_url = complete.attr(".actions a", "href").expect("View Process");
    let copy_id = copy_url.trim_start_matches("/build/components/").to_owned();
    let page = w.app.get(&copy_url).await;
    assert_eq!(page.text("h1"), "My Sync");
    assert_eq!(
        page.text(".meta"),
        "Process · revision 1 · in Acme Retail / From Partner"
    );
    assert!(
        page.text(".lineage")
            .starts_with("Installed from Sync Accounts version 1 (Partner Co Integrations) on")
    );
    assert!(
        page.text(".lineage")
            .ends_with("Not modified since installation.")
    );
    let Body::Process { shapes } = body_of(&w.app, &copy_id) else {
        panic!("process")
    };
    let copied_conn = shapes[1].component.clone().expect("rewired");
    assert_ne!(copied_conn, conn, "points at the copy, not the source");
    let conn_page = w.app.get(&format!("/build/components/{copied_conn}")).await;
    assert_eq!(
        conn_page.text(".meta"),
        "Connection · revision 1 · in Acme Retail / From Partner"
    );
    assert_eq!(
        conn_page.text("#f-password-help"),
        "A password is set. Leave this empty to keep it."
    );
    let Body::Connection {
        password: Some(sealed),
        ..
    } = body_of(&w.app, &copied_conn)
    else {
        panic!("password copied")
    };
    assert_eq!(
        w.app
            .sealer
            .open(
                &sealed,
                &AccountId::from(&w.acme),
                &ComponentId::from(&copied_conn)
            )
            .expect("re-sealed for the copy"),
        SENTINEL
    );
    assert_eq!(
        w.app.count(&format!(
            "components WHERE account_id = '{}' AND name = 'Salesforce Prod'",
            w.acme
        )),
        1
    );
    assert_eq!(
        w.app.count("published_processes WHERE install_count = 1"),
        1
    );
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'installation.create'"),
        1
    );

    let second = install(&mut w.app, &pp, "My Sync").await;
    let second_url = w
        .app
        .get(&second.location())
        .await
        .attr(".actions a", "href")
        .expect("copy");
    let second_root = w.app.get(&second_url).await;
    assert_eq!(
        second_root.text("h1"),
        "My Sync 2",
        "a taken name gets a number in the same folder"
    );
    let library = w.app.get("/build/library").await;
    assert_eq!(library.text("article .marks"), "Installed · version 1");
}

#[actix_web::test]
async fn secrets_stay_behind_without_include_passwords_and_install_needs_write_access() {
    let mut w = library_world().await;
    let process = w.app.component(
        &w.partner,
        "Sync Accounts",
        Body::empty(ComponentType::Process),
    );
    let props = w.app.component(
        &w.partner,
        "Settings",
        Body::ProcessProperty { properties: vec![] },
    );
    let caller = w.app.admin(&w.partner);
    process_library::services::build::components::save(
        &caller,
        &ComponentId::from(&props),
        process_library::services::build::components::SaveComponent {
            name: "Settings".into(),
            folder_id: FolderId::from(w.app.root_folder(&w.partner)),
            description: String::new(),
            revision: 2,
            draft: Some(process_library::services::build::components::BodyDraft {
                body: Body::ProcessProperty {
                    properties: vec![process_library::domain::build::Property {
                        name: "token".into(),
                        kind: process_library::domain::build::PropertyKind::Password,
                        value: String::new(),
                    }],
                },
                secrets: vec![process_library::services::build::components::SecretInput {
                    origin: None,
                    new_value: SENTINEL.into(),
                    clear: false,
                }],
            }),
        },
    )
    .expect("secret property");
    process_library::services::build::process::add_shape(
        &caller,
        &ComponentId::from(&process),
        2,
        &process_library::services::build::process::NewShape {
            kind: "set_properties".into(),
            component_id: ComponentId::from(props.clone()),
            label: "Token".into(),
        },
    )
    .expect("shape");
    let (pp, _) = w.app.publish(&w.partner, &process, false);
    share(&w, &w.gold, &pp);
    let done = install(&mut w.app, &pp, "Sync Accounts").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let copy = db::read(&w.app.pool, |conn| {
        Ok(components::table
            .filter(components::account_id.eq(&w.acme))
            .filter(components::name.eq("Settings"))
            .select(components::id)
            .first::<String>(conn)?)
    })
    .expect("copy");
    let Body::ProcessProperty { properties } = body_of(&w.app, &copy) else {
        panic!("properties")
    };
    assert_eq!(
        properties[0].value, "",
        "no password without Include passwords in publication"
    );

    w.app
        .user(&w.acme, "support@acme.test", BuiltInRole::Support);
    w.app.set_cookie(None);
    w.app.sign_in("support@acme.test", PASSWORD).await;
    assert_eq!(w.app.get("/build/library").await.status, StatusCode::OK);
    assert_eq!(
        w.app
            .get("/build/library")
            .await
            .count("a[href$='/install']"),
        0
    );
    assert_eq!(
        w.app
            .get(&format!("/build/library/{pp}/install"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let forged = w
        .app
        .post(
            &format!("/build/library/{pp}/install"),
            &[("token", "t"), ("folder", "x"), ("local_name", "X")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(w.app.count("installations"), 1);
}

#[actix_web::test]
async fn bad_install_input_is_answered_beside_the_field_and_writes_nothing() {
    let mut w = library_world().await;
    let process = w.app.component(
        &w.partner,
        "Sync Accounts",
        Body::empty(ComponentType::Process),
    );
    let (pp, _) = w.app.publish(&w.partner, &process, false);
    share(&w, &w.gold, &pp);
    let form = w.app.get(&format!("/build/library/{pp}/install")).await;
    let token = form.attr("input[name=token]", "value").expect("token");
    let before = w.app.count("components");
    let partner_root = w.app.root_folder(&w.partner);
    let bad = w
        .app
        .post(
            &format!("/build/library/{pp}/install"),
            &[
                ("token", &token),
                ("folder", &partner_root),
                ("new_folder", "A/B"),
                ("local_name", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.text("#f-local_name-error"),
        "Process Name for Local Version is required."
    );
    assert_eq!(
        bad.text("#f-folder-error"),
        "Choose a folder of this account."
    );
    let root = w.app.root_folder(&w.acme);
    let slash = w
        .app
        .post(
            &format!("/build/library/{pp}/install"),
            &[
                ("token", &token),
                ("folder", &root),
                ("new_folder", "A/B"),
                ("local_name", "Mine"),
            ],
        )
        .await;
    assert_eq!(
        slash.text("#f-new_folder-error"),
        "New Folder cannot contain a slash."
    );
    assert_eq!(w.app.count("components"), before);
    assert_eq!(
        w.app.count("folders"),
        3,
        "the three roots and nothing else"
    );
    assert_eq!(w.app.count("installations"), 0);
}

#[actix_web::test]
async fn lineage_updates_templates_and_the_publishers_counts() {
    let mut w = library_world().await;
    let process = w.app.component(
        &w.partner,
        "Sync Accounts",
        Body::empty(ComponentType::Process),
    );
    let (pp, _) = w.app.publish(&w.partner, &process, false);
    share(&w, &w.gold, &pp);
    let done = install(&mut w.app, &pp, "Sync Accounts").await;
    let copy_url = w
        .app
        .get(&done.location())
        .await
        .attr(".actions a", "href")
        .expect("copy");
    let copy_id = copy_url.trim_start_matches("/build/components/").to_owned();
    let acme_root = w.app.root_folder(&w.acme);
    w.app.get(&copy_url).await;
    w.app
        .post(
            &copy_url,
            &[
                ("revision", "1"),
                ("name", "Sync Accounts"),
                ("folder", &acme_root),
                ("description", "Ours now"),
            ],
        )
        .await;
    assert!(
        w.app
            .get(&copy_url)
            .await
            .text(".lineage")
            .ends_with("Modified since installation.")
    );

    let templates = w.app.get("/build/components/new").await;
    let options = templates.texts("#f-template option");
    assert_eq!(
        options[1], "Sync Accounts — Installed from Partner Co Integrations · Version 1",
        "installed processes first, marked"
    );

    let caller = w.app.admin(&w.partner);
    let pkg = process_library::services::deploy::create(
        &caller,
        &process_library::services::deploy::NewPackage {
            component_id: ComponentId::from(process.clone()),
            version: "2.0".into(),
            notes: String::new(),
            shareable: true,
        },
    )
    .expect("package");
    process_library::services::library::publishing::publish(
        &caller,
        &process_library::services::library::publishing::PublishInput {
            component_id: ComponentId::from(process.clone()),
            package_id: pkg,
            description: "v2".into(),
            include_passwords: false,
            notes: String::new(),
        },
    )
    .expect("v2");
    let library = w.app.get("/build/library").await;
    assert_eq!(
        library.text("article .marks"),
        "Installed · version 1 Update available · version 2"
    );
    let copy_page = w.app.get(&copy_url).await;
    assert!(
        copy_page
            .text(".lineage")
            .contains("Update available: version 2")
    );
    let side = install(&mut w.app, &pp, "Sync Accounts").await;
    let new_copy = w
        .app
        .get(&side.location())
        .await
        .attr(".actions a", "href")
        .expect("copy");
    assert_ne!(new_copy, copy_url);
    assert_eq!(w.app.get(&new_copy).await.text("h1"), "Sync Accounts 2");
    assert_eq!(
        w.app.get(&copy_url).await.attr("#f-description", "value"),
        None
    );
    assert_eq!(
        w.app.get(&copy_url).await.text("#f-description"),
        "Ours now",
        "the first copy is untouched"
    );
    assert_eq!(
        w.app.get("/build/library").await.text("article .marks"),
        "Installed · version 2"
    );

    groups::remove_resource(&caller, &GroupId::from(&w.gold), &ProcessId::from(&pp))
        .expect("unshare");
    assert_eq!(w.app.get("/build/library").await.count("article"), 0);
    assert_eq!(
        w.app.get(&copy_url).await.status,
        StatusCode::OK,
        "copies are the account's own"
    );

    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    let manage = w
        .app
        .get(&format!("/manage/process-library?selected={process}"))
        .await;
    let installs: Vec<String> = manage.texts("table tbody tr td:nth-child(6)");
    assert_eq!(installs[..2], ["1".to_owned(), "1".to_owned()]);
    assert_eq!(
        manage.texts("table.installs tbody tr td:first-child"),
        ["Acme Retail", "Acme Retail"]
    );
    let _ = (copy_id, w.globex);
}

#[actix_web::test]
async fn copies_installed_side_by_side_are_numbered_past_the_first_names_looked_up() {
    let mut w = library_world().await;
    let (_, published) = shared_with_gold(&w, "Orders Sync");
    for _ in 0..14 {
        assert_eq!(
            install(&mut w.app, &published, "Orders Sync").await.status,
            StatusCode::SEE_OTHER
        );
    }
    let root = w.app.root_folder(&w.acme);
    let mut names: Vec<String> = db::read(&w.app.pool, |conn| {
        db::browse::names_in_folder(conn, &FolderId::from(&root))
    })
    .expect("names");
    names.sort();
    let mut expected: Vec<String> = std::iter::once("orders sync".to_owned())
        .chain((2..=14).map(|n| format!("orders sync {n}")))
        .collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "one copy each, numbered without gaps or repeats"
    );
}

/// When the folder already holds the name asked for, the copy gets a number, and the
/// Installation Complete page (and the installation) name it as it is.
#[actix_web::test]
async fn installation_complete_names_the_copy_as_it_was_made() {
    let mut w = library_world().await;
    let process = w.app.component(
        &w.partner,
        "Warehouse Orders",
        Body::empty(ComponentType::Process),
    );
    let (pp, _) = w.app.publish(&w.partner, &process, false);
    share(&w, &w.gold, &pp);
    w.app.component(
        &w.acme,
        "Warehouse Orders",
        Body::empty(ComponentType::Process),
    );
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    let form = w.app.get(&format!("/build/library/{pp}/install")).await;
    assert!(
        form.text("main")
            .contains("This version does not bring passwords"),
        "the form says the passwords stay behind"
    );
    let done = install(&mut w.app, &pp, "Warehouse Orders").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let complete = w.app.get(&done.location()).await;
    assert!(
        complete
            .text("[role=status]")
            .contains("is installed as Warehouse Orders 2"),
        "{}",
        complete.text("[role=status]")
    );
    assert_eq!(
        w.app
            .count("installations WHERE local_name = 'Warehouse Orders 2'"),
        1
    );
}

/// The partner's own Browse page is no dead end: it shows the partner's published processes
/// as its customers see them, without *View* or *Install*, and leads to where they are
/// published; another partner's processes never show there.
#[actix_web::test]
async fn the_partners_browse_page_shows_its_processes_as_customers_see_them() {
    let mut w = library_world().await;
    let (_, published) = shared_with_gold(&w, "Warehouse Orders");
    let rival = w.app.primary_account("Rival Inc", "boss@rival.test");
    w.app.enable_library(&rival);
    let rival_process = w.app.component(
        &rival,
        "Rival Secret Sync",
        Body::empty(ComponentType::Process),
    );
    w.app.publish(&rival, &rival_process, false);
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    let page = w.app.get("/build/library").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.attr(".callout a", "href").as_deref(),
        Some("/manage/process-library")
    );
    assert_eq!(page.text(".callout a"), "Go to Manage > Process Library");
    let names = page.texts("article.process-card h2");
    assert!(names.contains(&"Warehouse Orders".to_owned()), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("Rival")), "{names:?}");
    assert_eq!(
        page.count("article.process-card a"),
        0,
        "nothing to open or install"
    );
    let at = names.iter().position(|n| n == "Warehouse Orders");
    assert_eq!(
        at.map(|i| page.texts("article.process-card .facts-line")[i].clone())
            .as_deref(),
        Some("Version 1 · 1 component")
    );
    assert_eq!(
        w.app
            .get(&format!("/build/library/{published}"))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a partner does not install its own process"
    );
    assert_eq!(
        w.app
            .get(&format!("/build/library/{published}/install"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
