//! A library as code: `export` writes stable files with no secret; `import` applies them to an
//! account of another database or the same one with new ids and rewired references, through
//! the rules of the pages, in one transaction; importing twice changes nothing; and a round
//! trip export → import → export writes the same files.

use std::collections::BTreeMap;
use std::path::Path;

use process_library::db::ids::*;
use process_library::services::build::{components, folders};
use process_library::services::library::tagging;
use process_library::services::library_code::{ImportReport, export, import};

use crate::support::{SENTINEL, TestApp, connection, connector_process};

/// Every file of a tree: relative path → text.
fn files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in walk(dir) {
        let text = std::fs::read_to_string(&entry).expect("file");
        out.insert(
            entry
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string(),
            text,
        );
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// A partner with a folder, a connection holding a password, a process using it, published
/// with passwords and categorized: (account id, connection id, process id).
fn source_library(app: &TestApp) -> (String, String, String) {
    let partner = app.primary_account("Source Co", "ada@source.test");
    app.enable_library(&partner);
    let ctx = app.admin(&partner);
    let root = app.root_folder(&partner);
    let sync = folders::create(&ctx, &FolderId::from(root.clone()), "Sync").expect("folder");
    let conn = app.component(&partner, "CRM Connection", connection());
    components::save(
        &ctx,
        &ComponentId::from(&conn),
        components::SaveComponent {
            name: "CRM Connection".into(),
            folder_id: sync,
            description: "The CRM".into(),
            revision: 2,
            draft: Some(components::BodyDraft {
                body: connection(),
                secrets: vec![components::SecretInput {
                    origin: None,
                    new_value: SENTINEL.into(),
                    clear: false,
                }],
            }),
        },
    )
    .expect("password");
    let process = app.component(&partner, "Accounts Sync", connector_process(&conn));
    app.publish(&partner, &process, true);
    tagging::save(&ctx, &ComponentId::from(&process), "CRM", "sales, nightly").expect("tags");
    (partner, conn, process)
}

fn sealed_password(app: &TestApp, component: &str) -> String {
    app.text_of(&format!(
        "SELECT body AS t FROM components WHERE id = '{component}'"
    ))
}

fn nothing(report: &ImportReport) -> bool {
    report.created() == 0 && report.updated == 0
}

#[actix_web::test]
async fn an_exported_library_imports_into_a_fresh_database_and_exports_the_same_files() {
    let source = TestApp::new().await;
    let (_, conn, process) = source_library(&source);
    let first = tempfile::tempdir().expect("dir");
    let report = export(&source.pool, "Source Co", first.path()).expect("export");
    assert_eq!(
        (
            report.folders,
            report.components,
            report.packages,
            report.published
        ),
        (2, 2, 1, 1)
    );
    let tree = files(first.path());
    assert!(tree.contains_key("library.json"));
    assert!(tree.contains_key(&format!("components/{conn}.json")));
    // No secret, clear or sealed, in any file, though the publication includes passwords.
    let body = sealed_password(&source, &conn);
    let sealed: serde_json::Value = serde_json::from_str(&body).expect("body");
    let sealed = sealed["password"]
        .as_str()
        .expect("a sealed password")
        .to_owned();
    assert!(!sealed.is_empty());
    for (path, text) in &tree {
        assert!(!text.contains(SENTINEL), "{path} holds the password");
        assert!(!text.contains(&sealed), "{path} holds the sealed password");
        assert!(text.ends_with("}\n"), "{path} ends with one newline");
    }
    // Exporting again writes nothing new.
    let again = export(&source.pool, "Source Co", first.path()).expect("export");
    assert_eq!((again.written, again.removed), (0, 0));

    // Into a database of the other backend, in an account with the library on.
    let target = if source.is_postgres() {
        TestApp::on_sqlite().await
    } else {
        TestApp::on_postgres().await.0
    };
    let account = target.primary_account("Target Co", "ada@target.test");
    target.enable_library(&account);
    let report = import(&target.instance, "Target Co", first.path()).expect("import");
    assert_eq!(
        (
            report.folders_created,
            report.components_created,
            report.packages_created,
            report.publications_created
        ),
        (1, 2, 1, 1)
    );
    // New ids, references rewired to them.
    assert_eq!(
        target.count(&format!("components WHERE id = '{process}'")),
        0
    );
    let copy = target.text_of("SELECT id AS t FROM components WHERE name = 'Accounts Sync'");
    let copy_conn = target.text_of("SELECT id AS t FROM components WHERE name = 'CRM Connection'");
    let copy_body = target.text_of(&format!(
        "SELECT body AS t FROM components WHERE id = '{copy}'"
    ));
    assert!(
        copy_body.contains(&copy_conn),
        "the process uses the imported connection"
    );
    assert!(!copy_body.contains(&conn));
    assert_eq!(
        target.text_of("SELECT category || '|' || tags AS t FROM published_processes"),
        "CRM|sales, nightly"
    );
    assert_eq!(
        target.count("publications WHERE include_passwords = TRUE"),
        0,
        "an imported publication never carries passwords"
    );
    assert_eq!(
        target.count("audit_events WHERE action = 'account.import'"),
        1
    );

    // Importing twice changes nothing, not even the audit log.
    let counts = |app: &TestApp| {
        [
            "folders",
            "components",
            "component_revisions",
            "packages",
            "package_components",
            "publications",
            "audit_events",
        ]
        .map(|t| app.count(t))
    };
    let before = counts(&target);
    let twice = import(&target.instance, "Target Co", first.path()).expect("import again");
    assert!(nothing(&twice), "{twice:?}");
    assert_eq!(counts(&target), before);

    // The round trip gives the same files: each object kept its exported identity.
    let second = tempfile::tempdir().expect("dir");
    export(&target.pool, "Target Co", second.path()).expect("export");
    assert_eq!(files(second.path()), tree);
}

#[actix_web::test]
async fn an_import_into_another_account_of_the_same_database_gets_new_ids_and_updates_in_place() {
    let app = TestApp::new().await;
    let (_, conn, _) = source_library(&app);
    let dir = tempfile::tempdir().expect("dir");
    export(&app.pool, "Source Co", dir.path()).expect("export");
    let other = app.primary_account("Other Co", "ada@other.test");
    app.enable_library(&other);
    import(&app.instance, "Other Co", dir.path()).expect("import");
    assert_eq!(app.count("components WHERE name = 'CRM Connection'"), 2);
    assert_eq!(
        app.count(&format!(
            "components WHERE id = '{conn}' AND account_id = '{other}'"
        )),
        0
    );

    // A changed file updates the component as a new revision; its local password is kept.
    let path = dir.path().join(format!("components/{conn}.json"));
    let text = std::fs::read_to_string(&path).expect("file");
    std::fs::write(
        &path,
        text.replace("https://login.example.com", "https://crm.example.com"),
    )
    .expect("edit");
    let before = sealed_password(&app, &conn);
    let revisions = app.count(&format!(
        "component_revisions WHERE component_id = '{conn}'"
    ));
    let report = import(&app.instance, "Source Co", dir.path()).expect("import into the source");
    assert_eq!((report.updated, report.created()), (1, 0));
    let after = sealed_password(&app, &conn);
    assert!(after.contains("https://crm.example.com"));
    let password = |body: &str| {
        serde_json::from_str::<serde_json::Value>(body).expect("body")["password"].clone()
    };
    assert_eq!(
        password(&after),
        password(&before),
        "the local password is kept"
    );
    assert_eq!(
        app.count(&format!(
            "component_revisions WHERE component_id = '{conn}'"
        )),
        revisions + 1
    );
}

#[actix_web::test]
async fn an_import_goes_through_the_rules_and_writes_nothing_when_refused() {
    let app = TestApp::new().await;
    let (partner, conn, _) = source_library(&app);
    let dir = tempfile::tempdir().expect("dir");
    export(&app.pool, "Source Co", dir.path()).expect("export");
    let customer = app.managed_account(&partner, "Customer Co", "admin@customer.test");
    let components_before = app.count("components");

    // A managed account never publishes.
    let error = import(&app.instance, "Customer Co", dir.path()).expect_err("refused");
    assert!(error.to_string().contains("managed account"), "{error}");
    // Without a Publisher Name nothing is published, and nothing else is written either.
    app.primary_account("Bare Co", "ada@bare.test");
    process_library::services::accounts::setup::set_feature(
        &app.pool,
        "Bare Co",
        process_library::domain::accounts::Feature::ProcessLibrary,
        true,
    )
    .expect("feature");
    let error = import(&app.instance, "Bare Co", dir.path()).expect_err("refused");
    assert!(error.to_string().contains("Publisher Name"), "{error}");
    let bare_components = app.count("components");
    assert_eq!(bare_components, components_before, "nothing half-written");

    // A password in a file is refused.
    let path = dir.path().join(format!("components/{conn}.json"));
    let clean = std::fs::read_to_string(&path).expect("file");
    std::fs::write(
        &path,
        clean.replace("\"password\": null", "\"password\": \"hunter2\""),
    )
    .expect("edit");
    let error = import(&app.instance, "Source Co", dir.path()).expect_err("refused");
    assert!(error.to_string().contains("never holds secrets"), "{error}");
    std::fs::write(&path, &clean).expect("restore");

    // A package never changes.
    let package = std::fs::read_dir(dir.path().join("packages"))
        .expect("packages")
        .next()
        .expect("one")
        .expect("entry")
        .path();
    let text = std::fs::read_to_string(&package).expect("file");
    std::fs::write(
        &package,
        text.replace("\"notes\": \"\"", "\"notes\": \"edited\""),
    )
    .expect("edit");
    let error = import(&app.instance, "Source Co", dir.path()).expect_err("refused");
    assert!(
        error.to_string().contains("a package never changes"),
        "{error}"
    );

    // A reference to nothing is named with its file.
    std::fs::write(&package, &text).expect("restore");
    std::fs::remove_file(&path).expect("remove the connection");
    let fresh = app.primary_account("Fresh Co", "ada@fresh.test");
    app.enable_library(&fresh);
    let error = import(&app.instance, "Fresh Co", dir.path()).expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("neither in the tree nor in the account"),
        "{error}"
    );
    assert_eq!(
        app.count(&format!("components WHERE account_id = '{fresh}'")),
        0
    );
    assert_eq!(
        app.count(&format!("components WHERE account_id = '{customer}'")),
        0
    );

    // An unknown format or a file named after another id is refused.
    std::fs::write(dir.path().join("library.json"), "{\"format\": \"other\"}\n").expect("edit");
    assert!(import(&app.instance, "Source Co", dir.path()).is_err());
}

#[actix_web::test]
async fn deleted_components_trees_of_two_sources_and_empty_passwords_import_and_stay_idempotent() {
    use process_library::domain::build::{Body, ComponentType};
    let app = TestApp::new().await;
    let (partner, _, process) = source_library(&app);
    // A second published process whose component is then deleted: its package and
    // publication stay, and the tree carries them.
    let gone = app.component(
        &partner,
        "Retired Sync",
        Body::empty(ComponentType::Process),
    );
    app.publish(&partner, &gone, false);
    app.execute(&format!(
        "UPDATE components SET deleted_at = CURRENT_TIMESTAMP WHERE id = '{gone}'"
    ));
    let dir = tempfile::tempdir().expect("dir");
    export(&app.pool, "Source Co", dir.path()).expect("export");
    assert!(!dir.path().join(format!("components/{gone}.json")).exists());

    // Into another account: the deleted component's package and publication come with a
    // deleted stand-in for it, and a second import changes nothing.
    let other = app.primary_account("Other Co", "ada@other.test");
    app.enable_library(&other);
    import(&app.instance, "Other Co", dir.path()).expect("import");
    assert_eq!(
        app.count(&format!(
            "components WHERE account_id = '{other}' AND name = 'Retired Sync' AND deleted_at IS NOT NULL"
        )),
        1
    );
    assert_eq!(
        app.count(&format!("published_processes WHERE account_id = '{other}'")),
        2
    );
    assert!(nothing(
        &import(&app.instance, "Other Co", dir.path()).expect("again")
    ));

    // A tree of a second source into the same account: both roots are the account's root.
    let second = app.primary_account("Second Source", "ada@second.test");
    app.enable_library(&second);
    app.component(
        &second,
        "Second Process",
        Body::empty(ComponentType::Process),
    );
    let dir2 = tempfile::tempdir().expect("dir");
    export(&app.pool, "Second Source", dir2.path()).expect("export");
    import(&app.instance, "Other Co", dir2.path()).expect("a second source");
    assert_eq!(
        app.count(&format!(
            "components WHERE account_id = '{other}' AND name = 'Second Process'"
        )),
        1
    );

    // Deleted in the source account since its export, the process comes back under its id.
    app.execute(&format!(
        "UPDATE components SET deleted_at = CURRENT_TIMESTAMP WHERE id = '{process}'"
    ));
    let report = import(&app.instance, "Source Co", dir.path()).expect("restores");
    assert_eq!(report.created(), 0, "{report:?}");
    assert_eq!(
        app.count(&format!(
            "components WHERE id = '{process}' AND deleted_at IS NULL"
        )),
        1
    );

    // An empty password reads as none: importing twice still changes nothing.
    let conn_file = std::fs::read_dir(dir.path().join("components"))
        .expect("components")
        .map(|e| e.expect("entry").path())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("\"password\": null")))
        .expect("the connection's file");
    let text = std::fs::read_to_string(&conn_file).expect("file");
    std::fs::write(
        &conn_file,
        text.replace("\"password\": null", "\"password\": \"\""),
    )
    .expect("edit");
    import(&app.instance, "Other Co", dir.path()).expect("import");
    assert!(nothing(
        &import(&app.instance, "Other Co", dir.path()).expect("again")
    ));
}

#[actix_web::test]
async fn own_components_may_use_an_integration_packs_copies_which_stay_out_of_the_tree() {
    let w = crate::support::library_world().await;
    let conn = w.app.component(&w.partner, "Ops Connection", connection());
    let process = w
        .app
        .component(&w.partner, "Ops Sync", connector_process(&conn));
    let (published, _) = w.app.publish(&w.partner, &process, false);
    let pack = crate::support::integration_pack(&w.app, &w.partner, "Ops", &published, &w.gold);
    process_library::services::pack_instances::install(
        &w.app.admin(&w.acme),
        &PackId::from(pack),
        "",
    )
    .expect("pack installed");
    let copy = w.app.text_of(&format!(
        "SELECT id AS t FROM components WHERE account_id = '{}' AND component_type = 'connection'",
        w.acme
    ));
    let own = w
        .app
        .component(&w.acme, "Own Sync", connector_process(&copy));
    let dir = tempfile::tempdir().expect("dir");
    export(&w.app.pool, "Acme Retail", dir.path()).expect("export");
    assert!(dir.path().join(format!("components/{own}.json")).exists());
    assert!(
        !dir.path().join(format!("components/{copy}.json")).exists(),
        "a pack's copies stay out of the tree"
    );
    let again = import(&w.app.instance, "Acme Retail", dir.path()).expect("import into itself");
    assert!(nothing(&again), "{again:?}");
}
