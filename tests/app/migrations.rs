//! Migrations run up on an empty database, and again without effect.

use process_library::db::ids::*;
use process_library::db::{self, connection::run_migrations};

use crate::support::TestApp;

#[actix_web::test]
async fn migrations_run_up_from_empty_and_are_idempotent() {
    let app = TestApp::new().await;
    for table in [
        "accounts",
        "users",
        "user_roles",
        "sessions",
        "audit_events",
        "components",
        "published_processes",
    ] {
        assert_eq!(app.count(table), 0, "{table} exists and starts empty");
    }
    assert_eq!(
        app.count("roles WHERE account_id IS NULL"),
        4,
        "the built-in roles"
    );
    db::read(&app.pool, |conn| {
        run_migrations(conn).map_err(process_library::error::AppError::Internal)?;
        Ok(())
    })
    .expect("a second run changes nothing");
    let again = db::connect_pool(&app.url, 2).expect("reopens");
    assert_eq!(
        db::read(&again, db::accounts::count_accounts).expect("count"),
        0
    );
}

#[actix_web::test]
async fn tests_run_on_the_backend_the_environment_names() {
    let app = TestApp::new().await;
    let wants_postgres =
        std::env::var("TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres"));
    assert_eq!(app.is_postgres(), wants_postgres);
    let backend = db::read(&app.pool, |conn| {
        Ok(match conn {
            db::DbConnection::Postgresql(_) => "postgres",
            db::DbConnection::Sqlite(_) => "sqlite",
        })
    })
    .expect("connection");
    assert_eq!(backend == "postgres", wants_postgres);
}

#[actix_web::test]
async fn a_backup_snapshot_serves_the_same_data() {
    let app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    for name in ["Alpha Ledger", "Beta Ledger", "Gamma Sync"] {
        app.component(
            &partner,
            name,
            process_library::domain::build::Body::empty(
                process_library::domain::build::ComponentType::Process,
            ),
        );
    }
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("snapshot.db");
    let result = db::backup::snapshot(&app.pool, &file);
    if app.is_postgres() {
        let message = result
            .expect_err("PostgreSQL is backed up with pg_dump")
            .to_string();
        assert!(message.contains("pg_dump"));
        return;
    }
    result.expect("snapshot");
    assert!(
        db::backup::snapshot(&app.pool, &file).is_err(),
        "an existing file is never overwritten"
    );
    let restored =
        db::connect_pool(&format!("sqlite://{}", file.display()), 2).expect("the snapshot opens");
    assert_eq!(
        db::read(&restored, db::accounts::count_accounts).expect("count"),
        1
    );
    let name = db::read(&restored, |conn| {
        db::accounts::find_account_by_name(conn, "partner co")
    })
    .expect("query");
    assert_eq!(name.map(|a| a.name).as_deref(), Some("Partner Co"));
    // The trigram index of names comes along, still pointing at the same components.
    let filter = db::build::ComponentFilter {
        name_contains: Some("ledger".to_owned()),
        ..db::build::ComponentFilter::default()
    };
    let found = db::read(&restored, |conn| {
        Ok(
            match db::name_search::search(conn, &partner, &filter, 51)? {
                db::name_search::Found::Page(page) => page.into_iter().map(|c| c.name).collect(),
                _ => Vec::new(),
            },
        )
    })
    .expect("search");
    assert_eq!(found, ["Alpha Ledger", "Beta Ledger"]);
}

#[actix_web::test]
async fn group_members_carry_their_accounts_name_key() {
    let app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    let acme = app.managed_account(&partner, "Acme Retail", "admin@acme.test");
    let caller = app.admin(&partner);
    let gold = process_library::services::groups::create(&caller, "Gold").expect("group");
    process_library::services::groups::add_members(
        &caller,
        &GroupId::from(&gold),
        std::slice::from_ref(&AccountId::from(&acme)),
    )
    .expect("member");
    let member_key = |app: &TestApp| {
        app.count(&format!(
            "group_members WHERE account_id = '{acme}' AND name_key = 'acme retail'"
        ))
    };
    assert_eq!(member_key(&app), 1, "set when the member is added");
    app.execute(&format!(
        "UPDATE accounts SET name = 'Acme Stores', name_key = 'acme stores' WHERE id = '{acme}'"
    ));
    assert_eq!(member_key(&app), 0);
    assert_eq!(
        app.count(&format!(
            "group_members WHERE account_id = '{acme}' AND name_key = 'acme stores'"
        )),
        1,
        "follows a renamed account"
    );
}

/// The migrations added since the previous release, newest first.
const SINCE_PREVIOUS_RELEASE: [&str; 22] = [
    "20261214000028",
    "20261214000027",
    "20261214000026",
    "20261213000025",
    "20261213000024",
    "20261212000023",
    "20261212000022",
    "20261211000021",
    "20261211000020",
    "20261210000019",
    "20261209000018",
    "20261208000017",
    "20261208000016",
    "20261208000015",
    "20261207000014",
    "20261206000013",
    "20261206000012",
    "20261206000011",
    "20261126000010",
    "20261126000009",
    "20261126000008",
    "20261126000007",
];

#[actix_web::test]
async fn migrations_run_up_from_the_previous_releases_populated_schema() {
    let mut w = crate::support::library_world().await;
    let sync = w.app.component(
        &w.partner,
        "Orders Sync",
        process_library::domain::build::Body::empty(
            process_library::domain::build::ComponentType::Process,
        ),
    );
    let (published, _) = w.app.publish(&w.partner, &sync, false);
    crate::support::share(&w, &w.gold, &published);
    let installed = crate::support::install(&mut w.app, &published, "Orders Copy").await;
    assert_eq!(installed.status, actix_web::http::StatusCode::SEE_OTHER);
    let counts = |app: &TestApp| {
        [
            "accounts",
            "components",
            "group_members",
            "group_resources",
            "installations",
        ]
        .map(|t| app.count(t))
    };
    let before = counts(&w.app);

    let reverted: Vec<String> = db::read(&w.app.pool, |conn| {
        (0..SINCE_PREVIOUS_RELEASE.len())
            .map(|_| {
                db::connection::revert_last_migration(conn)
                    .map_err(process_library::error::AppError::Internal)
            })
            .collect()
    })
    .expect("back to the previous release's schema");
    assert_eq!(
        reverted
            .iter()
            .map(|v| v.replace('-', ""))
            .collect::<Vec<_>>(),
        SINCE_PREVIOUS_RELEASE.map(|v| v.to_owned())
    );
    assert_eq!(counts(&w.app), before, "the data stays");

    let again = db::connect_pool(&w.app.url, 2).expect("migrates up on open");
    assert_eq!(counts(&w.app), before);
    assert_eq!(
        w.app.count("group_members WHERE name_key = ''"),
        0,
        "existing members got their account's name key"
    );
    let generation = db::read(&again, db::generations::current).expect("generation");
    w.app.execute(&format!(
        "UPDATE published_processes SET description = 'Changed' WHERE id = '{published}'"
    ));
    assert!(
        db::read(&again, db::generations::current).expect("generation") > generation,
        "the triggers are back"
    );
    let library = w.app.get("/build/library").await;
    assert_eq!(library.texts("article h2"), ["Orders Sync"]);
    assert_eq!(library.texts(".badge"), ["Installed · version 1"]);
}
