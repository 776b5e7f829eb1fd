//! Migrations run up on an empty database, and again without effect.

use process_library::db::{self, connection::run_migrations};

use crate::support::TestApp;

#[actix_web::test]
async fn migrations_run_up_from_empty_and_are_idempotent() {
    let app = TestApp::new().await;
    for table in [
        "accounts",
        "users",
        "roles",
        "user_roles",
        "sessions",
        "audit_events",
    ] {
        assert!(app.count(table) >= 0);
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
