//! Reliability under concurrency: installers and readers at once, on the backend under test.

use process_library::db::ids::*;
use std::sync::Arc;
use std::thread;

use process_library::domain::build::{Body, ComponentType};
use process_library::services::browse::{install, library};
use process_library::services::groups;

use crate::support::{TestApp, connection, connector_process};

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
                    bindings: Default::default(),
                    on_behalf_of: None,
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
                before: None,
                show_deprecated: false,
                publishers: Vec::new(),
                category: None,
                tag: None,
                connector: None,
            };
            for _ in 0..25 {
                let generation = process_library::db::read(&pool, |conn| {
                    process_library::db::generations::current(conn)
                })
                .map_err(|e| format!("generation: {e:?}"))?;
                let reader = process_library::services::Ctx::new(
                    customer.instance_arc(),
                    customer.caller().clone(),
                    process_library::db::generations::Generations::all(generation),
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
