//! HTTP as clients expect it: HEAD answers wherever GET does, the policy headers, Strict
//! Transport Security when the product is served over TLS, and database files kept private.

use actix_web::http::StatusCode;
use process_library::config::Settings;

use crate::support::{PASSWORD, TestApp, route_patterns};

#[actix_web::test]
async fn every_get_route_answers_head_as_it_answers_get() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    for path in ["/", "/login", "/static/app.css", "/no/such/page"] {
        let get = app.get(path).await;
        let head = app.head(path).await;
        assert_eq!(head.status, get.status, "HEAD {path}");
    }
    app.sign_in("ada@partner.test", PASSWORD).await;
    let pages: Vec<String> = route_patterns("get")
        .into_iter()
        .filter(|p| !p.contains('{'))
        .collect();
    assert!(pages.len() > 20, "the GET routes are found: {pages:?}");
    for path in &pages {
        let get = app.get(path).await;
        let head = app.head(path).await;
        assert_ne!(head.status, StatusCode::NOT_FOUND, "HEAD {path}");
        assert_eq!(head.status, get.status, "HEAD {path}");
        assert_eq!(
            head.header("content-type"),
            get.header("content-type"),
            "HEAD {path}"
        );
    }
}

#[actix_web::test]
async fn every_response_carries_a_permissions_policy_and_no_hsts_over_plain_http() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    let anonymous = app.get("/login").await;
    app.sign_in("ada@partner.test", PASSWORD).await;
    for page in [
        anonymous,
        app.get("/build").await,
        app.get("/nowhere").await,
    ] {
        let policy = page.header("permissions-policy");
        for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()"] {
            assert!(policy.contains(feature), "{feature} in {policy:?}");
        }
        assert_eq!(page.header("strict-transport-security"), "");
    }
}

#[actix_web::test]
async fn strict_transport_security_is_sent_with_secure_cookies() {
    let settings = Settings {
        secure_cookies: true,
        ..Settings::for_tests()
    };
    let mut app = TestApp::with_settings(settings).await;
    for path in ["/login", "/static/app.css"] {
        let hsts = app.get(path).await.header("strict-transport-security");
        assert!(hsts.starts_with("max-age=31536000"), "{path}: {hsts:?}");
    }
}

mod on_sqlite {
    use std::os::unix::fs::PermissionsExt;

    use process_library::db;

    use crate::support::TestApp;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).expect("file").permissions().mode() & 0o777
    }

    #[actix_web::test]
    async fn the_database_its_log_and_its_backups_are_readable_by_their_owner_only() {
        let app = TestApp::on_sqlite().await;
        app.primary_account("Partner Co", "ada@partner.test");
        let file = std::path::PathBuf::from(app.url.trim_start_matches("sqlite://"));
        assert_eq!(mode(&file), 0o600, "the database file");
        let wal = file.with_extension("db-wal");
        assert!(wal.exists(), "the write-ahead log is in use");
        assert_eq!(mode(&wal), 0o600, "the write-ahead log");

        let dir = tempfile::tempdir().expect("dir");
        let backup = dir.path().join("backup.db");
        db::backup::snapshot(&app.pool, &backup).expect("snapshot");
        assert_eq!(mode(&backup), 0o600, "the backup");
        assert!(
            db::backup::snapshot(&app.pool, &backup).is_err(),
            "an existing file is never overwritten"
        );

        // A database made by an earlier release, readable by everyone, is made private when
        // the product opens it.
        let old = dir.path().join("old.db");
        std::fs::write(&old, b"").expect("file");
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let url = format!("sqlite://{}", old.display());
        let pool = db::connect_pool(&url, 1).expect("opens");
        drop(pool);
        assert_eq!(mode(&old), 0o600, "an existing database file");
    }
}
