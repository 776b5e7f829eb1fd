//! Outages of the database: a PostgreSQL server that goes away or turns read-only, and a
//! SQLite file locked by another process, answer 503 and recover without a restart. Each test
//! needs its own backend and runs in that backend's pass only.

use actix_web::http::StatusCode;

use crate::support::TestApp;

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

mod on_postgres {
    use actix_web::http::StatusCode;

    use super::{at_the_new_folder_form, refused_with_nothing_written};
    use crate::support::TestApp;

    #[actix_web::test]
    async fn a_lost_database_answers_503_and_recovers_without_a_restart() {
        let proxy = crate::support::proxy::Proxy::to_postgres();
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

    #[actix_web::test]
    async fn a_read_only_database_answers_503_to_writes_and_recovers_without_a_restart() {
        use diesel::{Connection, PgConnection, RunQueryDsl};
        let (mut app, name) = TestApp::on_postgres().await;
        let root = at_the_new_folder_form(&mut app).await;

        // The server turns read-only (a standby after a fail-over, a maintenance switch) and the
        // connections it had are cut, as a fail-over cuts them.
        let mut admin = PgConnection::establish(&crate::support::postgres_admin_url())
            .expect("admin connection");
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
}

mod on_sqlite {
    use actix_web::http::StatusCode;

    use super::{at_the_new_folder_form, refused_with_nothing_written};
    use crate::support::TestApp;

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
}
