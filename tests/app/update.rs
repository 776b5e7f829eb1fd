//! Update in place and Compare with source: a customer who changed its copy takes a new
//! version field by field, keeps its own edits and passwords, gets the new components, and a
//! second submission, a stale page, another tenant and a reader are each refused or harmless.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use process_library::db::{self, schema::components};
use process_library::domain::build::{Body, ComponentType, Shape, ShapeKind};

use crate::support::{
    PASSWORD, SENTINEL, TestApp, connector_process, install, library_world, share,
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

fn description_of(app: &TestApp, id: &str) -> String {
    db::read(&app.pool, |conn| {
        Ok(components::table
            .find(id)
            .select(components::description)
            .first::<String>(conn)?)
    })
    .expect("description")
}

fn warehouse(url: &str, username: &str) -> Body {
    Body::Connection {
        connector: process_library::domain::build::Connector::Database,
        url: url.into(),
        username: username.into(),
        password: None,
    }
}

/// Saves a component through the partner's or the customer's own page (the signed-in user).
async fn save(app: &mut TestApp, id: &str, fields: &[(&str, &str)]) {
    let url = format!("/build/components/{id}");
    let page = app.get(&url).await;
    let revision = page
        .attr("input[name=revision]", "value")
        .expect("revision");
    let folder = page
        .attr("#f-folder option[selected]", "value")
        .expect("folder");
    let mut all = vec![("revision", revision.as_str()), ("folder", folder.as_str())];
    all.extend_from_slice(fields);
    let saved = app.post(&url, &all).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{url} saved");
}

/// Partner Co publishes "Orders Sync" (a connector process on "Warehouse DB", whose password
/// is set and published); Acme installs it. Returns (partner's process, partner's connection,
/// published process, Acme's process copy, Acme's connection copy).
async fn installed_world() -> (crate::support::World, [String; 5]) {
    let mut w = library_world().await;
    let conn = w.app.component(
        &w.partner,
        "Warehouse DB",
        warehouse("postgres://db.partner", "api"),
    );
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    save(
        &mut w.app,
        &conn,
        &[
            ("name", "Warehouse DB"),
            ("description", "Warehouse DB for tests"),
            ("connector", "database"),
            ("url", "postgres://db.partner"),
            ("username", "api"),
            ("password", SENTINEL),
        ],
    )
    .await;
    let process = w
        .app
        .component(&w.partner, "Orders Sync", connector_process(&conn));
    let (pp, _) = w.app.publish(&w.partner, &process, true);
    share(&w, &w.gold, &pp);
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    let done = install(&mut w.app, &pp, "Orders Sync").await;
    let root = w
        .app
        .get(&done.location())
        .await
        .attr(".actions a", "href")
        .expect("copy")
        .trim_start_matches("/build/components/")
        .to_owned();
    let Body::Process { shapes } = body_of(&w.app, &root) else {
        panic!("a process");
    };
    let conn_copy = shapes[1].component.clone().expect("connection copy");
    (w, [process, conn, pp, root, conn_copy])
}

/// The partner's version 2: the connection's URL changes, the connector shape is renamed and
/// a new sub-process is called.
fn publish_version_two(w: &crate::support::World, process: &str, conn: &str) -> String {
    use process_library::services::build::components as c;
    let caller = w.app.admin(&w.partner);
    let helper = w.app.component(
        &w.partner,
        "Orders Helper",
        Body::empty(ComponentType::Process),
    );
    let mut body = connector_process(conn);
    if let Body::Process { shapes } = &mut body {
        shapes[1].label = "Get orders".into();
        shapes.insert(
            2,
            Shape {
                kind: ShapeKind::ProcessCall,
                component: Some(helper.clone()),
                operation: None,
                label: "Help".into(),
            },
        );
    }
    let id = db::ids::ComponentId::from(process.to_owned());
    c::update_body(&caller, &id, 2, |b| {
        *b = body;
        Ok(())
    })
    .expect("v2 process");
    let conn_id = db::ids::ComponentId::from(conn.to_owned());
    let revision = db::read(&w.app.pool, |c| {
        Ok(components::table
            .find(conn)
            .select(components::revision)
            .first::<i32>(c)?)
    })
    .expect("revision");
    c::update_body(&caller, &conn_id, revision, |b| {
        if let Body::Connection { url, .. } = b {
            *url = "postgres://db-v2.partner".into();
        }
        Ok(())
    })
    .expect("v2 connection");
    w.app.publish(&w.partner, process, true);
    helper
}

#[actix_web::test]
async fn an_edited_copy_updates_in_place_keeping_its_edits_and_password() {
    let (mut w, [process, conn, pp, root, conn_copy]) = installed_world().await;
    let sealed_before = match body_of(&w.app, &conn_copy) {
        Body::Connection { password, .. } => password.expect("installed with its password"),
        _ => panic!("a connection"),
    };
    // Acme's own edits: the connection's URL and user, the process's description.
    save(
        &mut w.app,
        &conn_copy,
        &[
            ("name", "Warehouse DB"),
            ("description", "Warehouse DB for tests"),
            ("connector", "database"),
            ("url", "postgres://db.acme"),
            ("username", "acme"),
        ],
    )
    .await;
    w.app.execute(&format!(
        "UPDATE components SET description = 'Ours' WHERE id = '{root}'"
    ));
    let source = w
        .app
        .get(&format!("/build/components/{conn_copy}/source"))
        .await;
    assert_eq!(source.status, StatusCode::OK);
    assert_eq!(source.text("h1"), "Compare Warehouse DB with source");
    assert_eq!(source.texts("tbody th"), ["URL", "Username"]);
    assert_eq!(
        source.texts("tbody td"),
        ["postgres://db.partner", "postgres://db.acme", "api", "acme"]
    );
    assert!(
        !w.app
            .get(&format!("/build/components/{root}"))
            .await
            .text("main")
            .contains("Update available"),
        "nothing to update yet"
    );

    let helper = publish_version_two(&w, &process, &conn);
    let page = w.app.get(&format!("/build/components/{root}")).await;
    assert!(
        page.text(".lineage")
            .contains("Update available: version 2")
    );
    let update_url = page
        .attr(".lineage a.button", "href")
        .expect("an Update button");
    assert_eq!(page.text(".lineage a.button"), "Update");
    let form = w.app.get(&update_url).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.text("h1"), "Update Orders Sync");
    let rows: Vec<String> = form.texts("tbody tr td:nth-child(2)");
    let names: Vec<String> = form.texts("tbody tr td:first-child .row-title");
    assert_eq!(names, ["Orders Sync", "Orders Helper", "Warehouse DB"]);
    assert_eq!(
        rows,
        [
            "Changed in both, in different fields: merged",
            "New in this version: added",
            "Changed in both: choose",
        ]
    );
    assert_eq!(form.texts("fieldset.conflict > legend"), ["Warehouse DB"]);
    assert_eq!(form.texts("fieldset.conflict fieldset legend"), ["URL"]);
    assert_eq!(
        form.texts("fieldset.conflict dd"),
        [
            "postgres://db.partner",
            "postgres://db-v2.partner",
            "postgres://db.acme"
        ]
    );
    let choice = form
        .attr("fieldset.conflict input[value=mine]", "name")
        .expect("a choice");
    assert_eq!(
        form.attr("fieldset.conflict input[value=mine]", "checked")
            .as_deref(),
        Some(""),
        "Keep mine is the default"
    );
    let revisions_before = w.app.count("component_revisions");
    let fields = [("to", "2"), (choice.as_str(), "mine")];
    let done = w.app.post(&update_url, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), format!("/build/components/{root}"));
    let after = w.app.get(&done.location()).await;
    assert_eq!(
        after.text("[role=status]"),
        "Orders Sync updated to version 2: 1 component changed, 1 added."
    );
    assert!(!after.text("main").contains("Update available"));

    // Mine kept where chosen and where only mine changed; theirs taken elsewhere.
    let Body::Connection {
        url,
        username,
        password,
        ..
    } = body_of(&w.app, &conn_copy)
    else {
        panic!("a connection");
    };
    assert_eq!(
        (url.as_str(), username.as_str()),
        ("postgres://db.acme", "acme")
    );
    assert_eq!(
        password,
        Some(sealed_before),
        "the password is kept as it was"
    );
    let Body::Process { shapes } = body_of(&w.app, &root) else {
        panic!("a process");
    };
    assert_eq!(shapes[1].label, "Get orders");
    assert_eq!(shapes[1].component.as_deref(), Some(conn_copy.as_str()));
    let helper_copy = shapes[2].component.clone().expect("the helper's copy");
    assert_ne!(
        helper_copy, helper,
        "the new component is copied, not shared"
    );
    assert_eq!(description_of(&w.app, &root), "Ours");
    assert_eq!(
        w.app.count(&format!(
            "components WHERE id = '{helper_copy}' AND account_id = '{}'",
            w.acme
        )),
        1
    );
    assert_eq!(
        w.app.count("component_revisions") - revisions_before,
        2,
        "a revision for the merged process and one for the added helper"
    );
    assert_eq!(
        w.app.get("/build/library").await.text("article .marks"),
        "Installed · version 2"
    );
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'installation.update'"),
        1
    );
    assert!(
        w.app
            .get(&format!("/build/components/{root}"))
            .await
            .text(".lineage")
            .contains("Installed from Orders Sync version 2")
    );

    // The same form again: nothing is written.
    let again = w.app.post(&update_url, &fields).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app.get(&again.location()).await.text("[role=status]"),
        "Orders Sync is already at version 2."
    );
    assert_eq!(w.app.count("component_revisions") - revisions_before, 2);
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'installation.update'"),
        1
    );
    let _ = pp;
}

#[actix_web::test]
async fn an_untouched_copy_takes_the_new_version_and_stays_unmodified() {
    let (mut w, [process, conn, _, root, conn_copy]) = installed_world().await;
    publish_version_two(&w, &process, &conn);
    let page = w.app.get(&format!("/build/components/{root}")).await;
    let update_url = page.attr(".lineage a.button", "href").expect("Update");
    let form = w.app.get(&update_url).await;
    assert_eq!(form.count("fieldset.conflict"), 0);
    let done = w.app.post(&update_url, &[("to", "2")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let Body::Connection { url, password, .. } = body_of(&w.app, &conn_copy) else {
        panic!("a connection");
    };
    assert_eq!(url, "postgres://db-v2.partner");
    assert!(password.is_some(), "the published password is kept");
    for id in [&root, &conn_copy] {
        assert!(
            w.app
                .get(&format!("/build/components/{id}"))
                .await
                .text(".lineage")
                .contains("Not modified since installation."),
            "a copy equal to the new version counts as unmodified"
        );
    }
    assert_eq!(
        w.app
            .get(&format!("/build/components/{conn_copy}/source"))
            .await
            .text("main p:nth-of-type(2)"),
        "No differences: the copy is as it was installed."
    );
}

#[actix_web::test]
async fn a_stale_page_another_tenant_and_a_reader_are_refused() {
    let (mut w, [process, conn, _, root, _]) = installed_world().await;
    publish_version_two(&w, &process, &conn);
    let update_url = w
        .app
        .get(&format!("/build/components/{root}"))
        .await
        .attr(".lineage a.button", "href")
        .expect("Update");
    // Version 3 appears while the page for version 2 is open.
    w.app.publish(&w.partner, &process, true);
    let stale = w.app.post(&update_url, &[("to", "2")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.text("main").contains("Version 3 was published since"));
    assert_eq!(w.app.count("installations WHERE sequence = 1"), 1);

    // Another customer of the same partner: the installation is not theirs.
    w.app.set_cookie(None);
    w.app.sign_in("admin@globex.test", PASSWORD).await;
    assert_eq!(w.app.get(&update_url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.app.post(&update_url, &[("to", "3")]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app
            .get(&format!("/build/components/{root}/source"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A user of Acme with read access only.
    w.app.user(
        &w.acme,
        "reader@acme.test",
        process_library::domain::accounts::BuiltInRole::Support,
    );
    w.app.set_cookie(None);
    w.app.sign_in("reader@acme.test", PASSWORD).await;
    assert_eq!(w.app.get(&update_url).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        w.app.post(&update_url, &[("to", "3")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.app.count("installations WHERE sequence = 1"), 1);
}

#[actix_web::test]
async fn a_connection_bound_at_install_is_used_not_copied_and_updates_keep_it() {
    let mut w = library_world().await;
    let conn = w.app.component(
        &w.partner,
        "Warehouse DB",
        warehouse("postgres://db.partner", "api"),
    );
    let process = w
        .app
        .component(&w.partner, "Orders Sync", connector_process(&conn));
    let (pp, _) = w.app.publish(&w.partner, &process, false);
    share(&w, &w.gold, &pp);
    let own = w.app.component(
        &w.acme,
        "Acme Warehouse",
        warehouse("postgres://db.acme", "acme"),
    );
    let foreign = w.app.component(
        &w.globex,
        "Globex Warehouse",
        warehouse("postgres://db.globex", "globex"),
    );
    let url = format!("/build/library/{pp}/install");
    let form = w.app.get(&url).await;
    assert_eq!(form.texts("fieldset legend"), ["Warehouse DB"]);
    assert_eq!(
        form.texts("fieldset label"),
        [
            "Create a copy",
            "Use an existing connection",
            "Existing connection for Warehouse DB"
        ]
    );
    let select = form
        .attr("fieldset select", "name")
        .expect("a select of connections");
    let source = select.trim_start_matches("existing_").to_owned();
    assert_eq!(source, conn);
    assert_eq!(form.texts("fieldset select option"), ["Acme Warehouse"]);
    let token = form.attr("input[name=token]", "value").expect("token");
    let folder = form
        .attr("#f-folder option[selected]", "value")
        .expect("folder");
    let bind = format!("bind_{source}");
    let install_with = |existing: &str| {
        vec![
            ("token".to_owned(), token.clone()),
            ("folder".to_owned(), folder.clone()),
            ("new_folder".to_owned(), String::new()),
            ("local_name".to_owned(), "Orders Sync".to_owned()),
            (bind.clone(), "existing".to_owned()),
            (select.clone(), existing.to_owned()),
        ]
    };
    let pairs = install_with(&foreign);
    let fields: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let refused = w.app.post(&url, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text("#f-connections")
            .contains("Existing connection for Warehouse DB: choose a connection of this account")
    );
    assert_eq!(w.app.count("installations"), 0);

    let pairs = install_with(&own);
    let fields: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let done = w.app.post(&url, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app.count(&format!(
            "components WHERE account_id = '{}' AND component_type = 'connection'",
            w.acme
        )),
        1,
        "the bound connection is not copied"
    );
    assert_eq!(w.app.count("installed_components WHERE bound"), 1);
    let root = w
        .app
        .get(&done.location())
        .await
        .attr(".actions a", "href")
        .expect("copy")
        .trim_start_matches("/build/components/")
        .to_owned();
    let Body::Process { shapes } = body_of(&w.app, &root) else {
        panic!("a process");
    };
    assert_eq!(shapes[1].component.as_deref(), Some(own.as_str()));
    assert_eq!(
        w.app
            .get(&format!("/build/components/{own}"))
            .await
            .count(".lineage"),
        0,
        "the account's own connection is not an installed copy"
    );

    publish_version_two(&w, &process, &conn);
    let page = w.app.get(&format!("/build/components/{root}")).await;
    let update_url = page.attr(".lineage a.button", "href").expect("Update");
    let form = w.app.get(&update_url).await;
    let row = form
        .texts("tbody tr")
        .into_iter()
        .find(|r| r.contains("Acme Warehouse"))
        .expect("the bound connection's row");
    assert!(row.contains("Your connection: kept"), "{row}");
    let updated = w.app.post(&update_url, &[("to", "2")]).await;
    assert_eq!(updated.status, StatusCode::SEE_OTHER);
    let Body::Connection { url, .. } = body_of(&w.app, &own) else {
        panic!("a connection");
    };
    assert_eq!(
        url, "postgres://db.acme",
        "the bound connection is never changed"
    );
    let Body::Process { shapes } = body_of(&w.app, &root) else {
        panic!("a process");
    };
    assert_eq!(shapes[1].component.as_deref(), Some(own.as_str()));
    assert_eq!(w.app.count("installed_components WHERE bound"), 1);
}

#[actix_web::test]
async fn install_analytics_count_modified_and_untouched_copies_and_download_safely() {
    let (mut w, [process, _, _, _, conn_copy]) = installed_world().await;
    save(
        &mut w.app,
        &conn_copy,
        &[
            ("name", "Warehouse DB"),
            ("description", "Ours"),
            ("connector", "database"),
            ("url", "postgres://db.acme"),
            ("username", "api"),
        ],
    )
    .await;
    w.app.execute(&format!(
        "UPDATE accounts SET name = '=HYPERLINK(\"http://evil.example\")' WHERE id = '{}'",
        w.acme
    ));
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    let url = format!("/manage/process-library/processes/{process}/analytics");
    let page = w.app.get(&url).await;
    assert_eq!(page.text("h1"), "Install Analytics of Orders Sync");
    assert_eq!(
        page.texts("tbody td:nth-child(5), tbody td:nth-child(6), tbody td:nth-child(7)"),
        ["1", "1", "0"],
        "the connection was changed, the process was not"
    );
    let csv = w.app.get(&format!("{url}.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let row = csv.body.lines().nth(1).expect("a row");
    assert!(
        row.starts_with("\"'=HYPERLINK(\"\"http://evil.example\"\")\",Orders Sync,1,"),
        "{row}"
    );
    assert!(row.ends_with(",2,1,1,0,0"), "{row}");
    w.app.set_cookie(None);
    w.app.sign_in("admin@globex.test", PASSWORD).await;
    assert_eq!(w.app.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.app.get(&format!("{url}.csv")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn a_page_older_than_a_copy_or_a_result_using_a_deleted_copy_is_refused() {
    use process_library::services::build::components as c;
    let (mut w, [process, conn, _, root, conn_copy]) = installed_world().await;
    publish_version_two(&w, &process, &conn);
    let update_url = w
        .app
        .get(&format!("/build/components/{root}"))
        .await
        .attr(".lineage a.button", "href")
        .expect("Update");
    let form = w.app.get(&update_url).await;
    let shown = form
        .attr("input[name=copies]", "value")
        .expect("the copies as shown");
    // A copy is saved after the page was shown: its new conflicts were never seen.
    save(
        &mut w.app,
        &conn_copy,
        &[
            ("name", "Warehouse DB"),
            ("description", "Warehouse DB for tests"),
            ("connector", "database"),
            ("url", "postgres://db.acme"),
            ("username", "api"),
        ],
    )
    .await;
    let stale = w
        .app
        .post(&update_url, &[("to", "2"), ("copies", &shown)])
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale
            .text("main")
            .contains("A copy was saved since this page was shown")
    );
    assert_eq!(w.app.count("installations WHERE sequence = 1"), 1);

    // Acme drops the connector step, then deletes its connection copy.
    let acme = w.app.admin(&w.acme);
    let root_id = db::ids::ComponentId::from(root.clone());
    let revision = db::read(&w.app.pool, |conn| {
        Ok(components::table
            .find(&root)
            .select(components::revision)
            .first::<i32>(conn)?)
    })
    .expect("revision");
    c::update_body(&acme, &root_id, revision, |b| {
        if let Body::Process { shapes } = b {
            shapes.retain(|s| s.kind != ShapeKind::Connector);
        }
        Ok(())
    })
    .expect("the step dropped");
    c::delete(&acme, &db::ids::ComponentId::from(conn_copy.clone())).expect("deleted");
    let form = w.app.get(&update_url).await;
    assert!(
        form.texts("tbody tr")
            .iter()
            .any(|r| r.contains("Warehouse DB") && r.contains("Deleted here: not restored"))
    );
    let choice = form
        .attr("fieldset.conflict input[value=theirs]", "name")
        .expect("the process's shapes conflict");
    let shown = form.attr("input[name=copies]", "value").expect("copies");
    let fields = [
        ("to", "2"),
        ("copies", shown.as_str()),
        (choice.as_str(), "theirs"),
    ];
    let refused = w.app.post(&update_url, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text("[role=alert]")
            .contains("the result would use Warehouse DB, which was deleted here")
    );
    assert_eq!(
        w.app.count("installations WHERE sequence = 1"),
        1,
        "nothing written"
    );
    let kept = [
        ("to", "2"),
        ("copies", shown.as_str()),
        (choice.as_str(), "mine"),
    ];
    assert_eq!(
        w.app.post(&update_url, &kept).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(w.app.count("installations WHERE sequence = 2"), 1);
}
