//! Reliability under concurrency: installers and readers at once, on the backend under test.

use process_library::db::ids::*;
use std::sync::Arc;
use std::thread;

use actix_web::http::StatusCode;

use process_library::domain::build::{Body, ComponentType};
use process_library::services::browse::{install, library};
use process_library::services::groups;

use crate::build::{connection, connector_process};
use crate::support::TestApp;

const INSTALLERS: usize = 8;
const INSTALLS_EACH: usize = 25;
const READERS: usize = 16;

#[actix_web::test]
async fn concurrent_installs_and_reads_never_fail_or_interleave() {
    let app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.enable_library(&partner);
    let acme = app.managed_account(&partner, "Acme Retail", "admin@acme.test");
    let conn = app.component(&partner, "Salesforce Prod", connection());
    let process = app.component(&partner, "Sync Accounts", connector_process(&conn));
    app.component(&partner, "Unrelated", Body::empty(ComponentType::Map));
    let (published, _) = app.publish(&partner, &process, false);
    let caller = app.admin(&partner);
    let all = process_library::db::read(&app.pool, |c| {
        process_library::db::groups::find_all_accounts_group(c, &AccountId::from(&partner))
    })
    .expect("query")
    .expect("All Accounts");
    groups::add_resources(
        &caller,
        &all.id,
        std::slice::from_ref(&ProcessId::from(&published)),
    )
    .expect("share");
    let customer = Arc::new(app.admin(&acme));
    let root = app.root_folder(&acme);
    let pool = app.pool.clone();

    let mut handles = Vec::new();
    for worker in 0..INSTALLERS {
        let (customer, published, root) = (customer.clone(), published.clone(), root.clone());
        handles.push(thread::spawn(move || {
            for n in 0..INSTALLS_EACH {
                let input = install::InstallInput {
                    folder_id: FolderId::from(root.clone()),
                    new_folder: String::new(),
                    local_name: "Sync Accounts".to_owned(),
                    idempotency_key: format!("w{worker}-n{n}"),
                };
                install::install(&customer, &ProcessId::from(&published), &input)
                    .map_err(|e| format!("install: {e:?}"))?;
            }
            Ok::<usize, String>(INSTALLS_EACH)
        }));
    }
    for _ in 0..READERS {
        let (pool, customer) = (pool.clone(), customer.clone());
        handles.push(thread::spawn(move || {
            let filter = process_library::db::browse::LibraryFilter {
                text: None,
                sort: process_library::db::browse::Sort::Name,
                after: None,
            };
            for _ in 0..25 {
                let generation = process_library::db::read(&pool, |conn| {
                    process_library::db::generations::current(conn)
                })
                .map_err(|e| format!("generation: {e:?}"))?;
                let reader = process_library::services::Ctx::new(
                    customer.instance_arc(),
                    customer.caller().clone(),
                    Some(generation),
                );
                let page =
                    library::library(&reader, &filter, 20).map_err(|e| format!("read: {e:?}"))?;
                assert_eq!(page.entries.len(), 1);
            }
            Ok(0)
        }));
    }
    let mut installed = 0;
    for handle in handles {
        installed += handle.join().expect("thread").expect("no failure");
    }
    assert_eq!(installed, INSTALLERS * INSTALLS_EACH);
    assert_eq!(
        app.count("installations"),
        (INSTALLERS * INSTALLS_EACH) as i64
    );
    assert_eq!(
        app.count("installed_components"),
        (INSTALLERS * INSTALLS_EACH * 2) as i64
    );
    assert_eq!(
        app.count(&format!("components WHERE account_id = '{acme}'")),
        (INSTALLERS * INSTALLS_EACH * 2) as i64
    );
    let distinct = app.count(&format!(
        "(SELECT DISTINCT name_key FROM components WHERE account_id = '{acme}' AND component_type = 'process') AS names"
    ));
    assert_eq!(
        distinct,
        (INSTALLERS * INSTALLS_EACH) as i64,
        "every copy got its own name"
    );
    assert_eq!(
        app.count(&format!(
            "published_processes WHERE install_count = {}",
            INSTALLERS * INSTALLS_EACH
        )),
        1
    );
}

#[actix_web::test]
async fn a_lost_database_answers_503_and_recovers_without_a_restart() {
    let admin = url::Url::parse(&crate::support::postgres_admin_url()).expect("URL");
    let target = format!(
        "{}:{}",
        admin.host_str().unwrap_or("127.0.0.1"),
        admin.port().unwrap_or(5432)
    );
    let target = std::net::ToSocketAddrs::to_socket_addrs(&target)
        .expect("address")
        .next()
        .expect("one address");
    let proxy = crate::support::proxy::Proxy::start(target);
    let mut app = TestApp::on_postgres_through(&proxy).await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", crate::support::PASSWORD)
        .await;
    assert_eq!(app.get("/settings").await.status, StatusCode::OK);

    proxy.cut();
    let down = app.get("/settings").await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(down.text("h1"), "Service unavailable");
    assert!(
        down.text("main")
            .contains("The database cannot be reached right now"),
        "a clear page: {}",
        down.text("main")
    );

    proxy.restore();
    let back = app.get("/settings").await;
    assert_eq!(
        back.status,
        StatusCode::OK,
        "the same session works again once the database is back, without a restart"
    );
    assert_eq!(back.text(".current-account"), "Current account: Partner Co");
}

/// A partner's administrator on the New Folder form; the root folder's id.
async fn at_the_new_folder_form(app: &mut TestApp) -> String {
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", crate::support::PASSWORD)
        .await;
    let root = app.root_folder(&partner);
    app.get("/build/folders/new").await;
    root
}

/// A new folder is refused with the 503 page, and nothing is written.
async fn refused_with_nothing_written(app: &mut TestApp, form: &[(&str, &str)]) {
    let refused = app.post("/build/folders/new", form).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(refused.text("h1"), "Service unavailable");
    assert_eq!(
        app.count("folders WHERE name = 'Salesforce'"),
        0,
        "nothing half-written"
    );
}

#[actix_web::test]
async fn a_sqlite_file_locked_by_another_process_answers_503_and_recovers() {
    use diesel::{Connection, RunQueryDsl, SqliteConnection};
    let mut app = TestApp::on_sqlite().await;
    let root = at_the_new_folder_form(&mut app).await;

    // Another process (a backup tool, a shell) holds the write lock for longer than the
    // application waits for it: pages still read, writes fail cleanly.
    let path = app.url.trim_start_matches("sqlite://").to_owned();
    let mut other = SqliteConnection::establish(&path).expect("a second connection");
    diesel::sql_query("BEGIN EXCLUSIVE")
        .execute(&mut other)
        .expect("write lock taken");
    assert_eq!(
        app.get("/build").await.status,
        StatusCode::OK,
        "readers are not blocked by the writer's lock"
    );
    let form = [("name", "Salesforce"), ("parent", root.as_str())];
    refused_with_nothing_written(&mut app, &form).await;
    diesel::sql_query("ROLLBACK")
        .execute(&mut other)
        .expect("lock released");

    let saved = app.post("/build/folders/new", &form).await;
    assert_eq!(
        saved.status,
        StatusCode::SEE_OTHER,
        "the same request succeeds once the lock is gone, without a restart"
    );
    assert_eq!(app.count("folders WHERE name = 'Salesforce'"), 1);
}

#[actix_web::test]
async fn a_read_only_database_answers_503_to_writes_and_recovers_without_a_restart() {
    use diesel::{Connection, PgConnection, RunQueryDsl};
    let (mut app, name) = TestApp::on_postgres().await;
    let root = at_the_new_folder_form(&mut app).await;

    // The server turns read-only (a standby after a fail-over, a maintenance switch) and the
    // connections it had are cut, as a fail-over cuts them.
    let mut admin =
        PgConnection::establish(&crate::support::postgres_admin_url()).expect("admin connection");
    let switch = |admin: &mut PgConnection, read_only: bool| {
        let setting = if read_only { "on" } else { "off" };
        diesel::sql_query(format!(
            "ALTER DATABASE \"{name}\" SET default_transaction_read_only = {setting}"
        ))
        .execute(admin)
        .expect("switched");
        diesel::sql_query(format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        ))
        .execute(admin)
        .expect("connections cut");
    };
    switch(&mut admin, true);
    assert_eq!(
        app.get("/build").await.status,
        StatusCode::OK,
        "pages still read"
    );
    let form = [("name", "Salesforce"), ("parent", root.as_str())];
    refused_with_nothing_written(&mut app, &form).await;

    switch(&mut admin, false);
    let saved = app.post("/build/folders/new", &form).await;
    assert_eq!(
        saved.status,
        StatusCode::SEE_OTHER,
        "the same request succeeds once the database takes writes again, without a restart"
    );
    assert_eq!(app.count("folders WHERE name = 'Salesforce'"), 1);
}
