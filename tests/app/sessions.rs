//! Server-side sessions: renewal at sign-in, real sign-out, password change, expiry, tampering.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::support::{PASSWORD, TestApp};

#[actix_web::test]
async fn anonymous_views_write_nothing_and_the_session_key_is_flagged_and_renewed_at_sign_in() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    let login = app.get("/login").await;
    let cookies = login.set_cookies();
    assert!(
        cookies.iter().all(|c| !c.starts_with("pl_session=")),
        "no session for a page view: {cookies:?}"
    );
    let csrf = cookies
        .iter()
        .find(|c| c.starts_with("pl_csrf="))
        .expect("the sign-in form's signed CSRF cookie");
    assert!(csrf.contains("HttpOnly") && csrf.contains("SameSite=Lax"));
    for _ in 0..200 {
        app.get("/login").await;
    }
    assert_eq!(app.count("sessions"), 0, "200 anonymous views wrote no row");

    // A forged or missing anonymous token is refused, and writes nothing either.
    let forged = app
        .post_raw(
            "/login",
            &[
                ("email", "ada@partner.test"),
                ("password", "x"),
                ("csrf_token", "forged"),
            ],
            &[],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("sessions"), 0);

    app.sign_in("ada@partner.test", PASSWORD).await;
    let first = app.cookie().expect("a session cookie after sign-in");
    assert_eq!(app.count("sessions"), 1);
    let set = app.get("/settings").await;
    assert_eq!(set.status, StatusCode::OK);
    assert_eq!(app.count("sessions"), 1);
    // Signing in again issues a new key; the old one is dead.
    let again = app
        .post(
            "/login",
            &[("email", "ada@partner.test"), ("password", PASSWORD)],
        )
        .await;
    let cookie = again
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("pl_session="))
        .expect("a renewed session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain HTTP in tests");
    let second = app.cookie().expect("cookie");
    assert_ne!(first, second, "a new session key after sign-in");
    assert_eq!(app.count("sessions"), 1, "the old row is gone");
    app.set_cookie(Some(first));
    assert_eq!(
        app.get("/build").await.location(),
        "/login?next=%2Fbuild",
        "the earlier key is dead"
    );
}

#[actix_web::test]
async fn sign_out_kills_a_copied_cookie() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    let copied = app.cookie();
    let out = app.sign_out().await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.set_cookies()
            .iter()
            .any(|c| c.starts_with("pl_session=;") && c.contains("Max-Age=0"))
    );
    app.set_cookie(copied);
    assert_eq!(
        app.get("/settings").await.location(),
        "/login?next=%2Fsettings"
    );
    assert_eq!(app.count("audit_events WHERE action = 'user.sign_out'"), 1);
}

#[actix_web::test]
async fn password_change_ends_every_other_session() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    let laptop = app.cookie();
    app.set_cookie(None);
    app.sign_in("ada@partner.test", PASSWORD).await;
    let phone = app.cookie();
    app.get("/settings/password").await;
    let wrong = app
        .post(
            "/settings/password",
            &[
                ("current_password", "bad guess!"),
                ("new_password", "new password 1"),
                ("confirm_password", "new password 1"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        wrong.text("#f-current_password-error"),
        "The current password is not correct."
    );
    let changed = app
        .post(
            "/settings/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "new password 1"),
                ("confirm_password", "new password 1"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let current = app.cookie();
    assert_ne!(current, phone, "this browser got a new session");
    assert_eq!(
        app.get("/settings/password").await.text("[role=status]"),
        "Your password was changed. Your other sessions were signed out."
    );
    for dead in [laptop, phone] {
        app.set_cookie(dead);
        assert_eq!(
            app.get("/settings").await.location(),
            "/login?next=%2Fsettings"
        );
    }
    app.set_cookie(None);
    app.sign_in("ada@partner.test", "new password 1").await;
}

#[actix_web::test]
async fn idle_and_absolute_expiry_end_the_session() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    assert_eq!(app.get("/settings").await.status, StatusCode::OK);
    let minutes = |n: u64| std::time::Duration::from_secs(n * 60);
    for _ in 0..2 {
        app.advance_clock(minutes(59));
        assert_eq!(
            app.get("/settings").await.status,
            StatusCode::OK,
            "activity within the idle limit keeps the session"
        );
    }
    app.advance_clock(minutes(61));
    assert_eq!(
        app.get("/settings").await.location(),
        "/login?next=%2Fsettings",
        "idle too long"
    );
    assert_eq!(app.count("sessions WHERE user_id IS NOT NULL"), 0);

    app.set_cookie(None);
    app.sign_in("ada@partner.test", PASSWORD).await;
    for step in 1..=14 {
        app.advance_clock(minutes(50));
        assert_eq!(
            app.get("/settings").await.status,
            StatusCode::OK,
            "active for {} minutes",
            step * 50
        );
    }
    app.advance_clock(minutes(50));
    assert_eq!(
        app.get("/settings").await.location(),
        "/login?next=%2Fsettings",
        "older than the absolute limit (12 hours), however active"
    );
}

#[actix_web::test]
async fn a_tampered_or_oversized_cookie_is_just_anonymous() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    let mut cookie = app.cookie().expect("cookie");
    cookie.replace_range(0..2, "zz");
    app.set_cookie(Some(cookie));
    assert_eq!(
        app.get("/settings").await.location(),
        "/login?next=%2Fsettings"
    );
    app.set_cookie(Some("x".repeat(5000)));
    assert_eq!(
        app.get("/settings").await.location(),
        "/login?next=%2Fsettings"
    );
    app.set_cookie(Some("'; DROP TABLE users; --".to_owned()));
    assert_eq!(app.get("/login").await.status, StatusCode::OK);
    assert_eq!(app.count("users"), 1);
}

#[actix_web::test]
async fn a_user_removed_from_every_account_is_told_so_and_can_sign_in_again() {
    use process_library::domain::accounts::BuiltInRole;
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    let bob = app.user(&partner, "bob@partner.test", BuiltInRole::StandardUser);
    app.sign_in("bob@partner.test", PASSWORD).await;
    let bob_cookie = app.cookie();
    app.set_cookie(None);
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/users").await;
    let removed = app
        .post(&format!("/settings/users/{bob}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    app.set_cookie(bob_cookie);
    assert_eq!(app.get("/build").await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/").await.location(), "/invitations");
    let nowhere = app.get("/invitations").await;
    assert_eq!(nowhere.status, StatusCode::OK);
    assert!(
        nowhere
            .text("main")
            .contains("no access to any account and no invitations")
    );
    assert_eq!(
        app.get("/login").await.status,
        StatusCode::OK,
        "no redirect loop"
    );
    app.get("/login").await;
    let again = app
        .post(
            "/login",
            &[("email", "bob@partner.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .text("[role=alert]")
            .contains("no access to any account")
    );
}

#[actix_web::test]
async fn two_instances_over_one_database_serve_the_same_sessions() {
    let mut first = TestApp::new().await;
    first.primary_account("Partner Co", "ada@partner.test");
    let mut second = first.another_instance().await;
    first.sign_in("ada@partner.test", PASSWORD).await;
    second.set_cookie(first.cookie());
    let page = second.get("/settings").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "a session started on one instance works on the other"
    );
    assert_eq!(page.text(".current-account"), "Current account: Partner Co");
    second.get("/settings/roles/new").await;
    let created = second
        .post(
            "/settings/roles/new",
            &[("role_name", "Shared"), ("privilege", "build_read")],
        )
        .await;
    assert_eq!(
        created.status,
        StatusCode::SEE_OTHER,
        "its CSRF token is the session's, whichever instance checks it"
    );
    assert_eq!(
        first
            .get("/settings/roles")
            .await
            .texts("tbody td:first-child")
            .iter()
            .filter(|n| *n == "Shared")
            .count(),
        1
    );
    second.sign_out().await;
    assert_eq!(
        first.get("/settings").await.location(),
        "/login?next=%2Fsettings",
        "signing out on one instance ends it on every one"
    );
}

#[actix_web::test]
async fn a_sign_in_lands_in_the_account_last_switched_to_while_it_is_reachable() {
    use process_library::db::ids::UserId;
    use process_library::domain::accounts::BuiltInRole;
    use process_library::services::accounts::users;

    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    let acme = app.managed_account(&partner, "Acme Retail", "admin@acme.test");
    let globex = app.managed_account(&partner, "Globex", "admin@globex.test");
    app.user(&acme, "casey@consult.test", BuiltInRole::StandardUser);
    let casey = app.user(&globex, "casey@consult.test", BuiltInRole::StandardUser);
    let current = |page: &crate::support::Response| page.text(".current-account");

    app.sign_in("casey@consult.test", PASSWORD).await;
    assert_eq!(
        current(&app.get("/settings").await),
        "Current account: Acme Retail",
        "a first sign-in lands in the first account by name"
    );
    app.post("/switch", &[("account", &globex)]).await;
    app.sign_out().await;
    app.sign_in("casey@consult.test", PASSWORD).await;
    assert_eq!(
        current(&app.get("/settings").await),
        "Current account: Globex",
        "the next sign-in lands where the user last switched to"
    );

    users::remove(&app.admin(&globex), &UserId::from(casey)).expect("removed from Globex");
    app.sign_out().await;
    app.sign_in("casey@consult.test", PASSWORD).await;
    assert_eq!(
        current(&app.get("/settings").await),
        "Current account: Acme Retail",
        "an account out of reach is never where a sign-in lands"
    );
}

#[actix_web::test]
async fn the_log_index_marks_every_commit_whoever_makes_it() {
    let app = TestApp::new().await;
    let changes = process_library::db::changes::Changes::watch(&app.pool);
    if app.is_postgres() {
        assert!(changes.is_none(), "PostgreSQL has no log index to watch");
        return;
    }
    let changes = changes.expect("a SQLite file in write-ahead-log mode is watched");
    let before = changes.mark().expect("a whole header");
    assert_eq!(changes.mark(), Some(before), "nothing committed, same mark");
    app.execute("SELECT COUNT(*) FROM users");
    assert_eq!(changes.mark(), Some(before), "a read commits nothing");
    app.primary_account("Partner Co", "ada@partner.test");
    let after = changes.mark().expect("a whole header");
    assert_ne!(after, before, "a commit through the product moves the mark");

    // A connection of its own, as another process or a `sqlite3` shell would write.
    let path = app
        .url
        .strip_prefix("sqlite://")
        .expect("a SQLite file")
        .to_owned();
    let mut outside = SqliteConnection::establish(&path).expect("opens");
    diesel::sql_query("UPDATE accounts SET name = name || ' Ltd'")
        .execute(&mut outside)
        .expect("written");
    let outside_commit = changes.mark().expect("a whole header");
    assert_ne!(outside_commit, after, "a commit by any connection moves it");
    drop(outside);
    assert_eq!(
        changes.mark(),
        Some(outside_commit),
        "closing a connection commits nothing"
    );
    let again = process_library::db::changes::Changes::watch(&app.pool)
        .expect("a second watch over the same file");
    drop(again);
    app.primary_account("Other Co", "bo@other.test");
    assert_ne!(
        changes.mark(),
        Some(outside_commit),
        "a watch dropped leaves the others watching the same file"
    );
}

#[actix_web::test]
async fn a_session_kept_in_memory_follows_a_commit_made_outside_the_product() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    for _ in 0..2 {
        assert_eq!(app.get("/settings").await.status, StatusCode::OK);
    }
    let steady = app.queries_for("/settings").await;
    assert_eq!(
        app.queries_for("/settings").await,
        steady,
        "served again the same way"
    );

    // A commit that changes nothing the product knows of: no generation moves.
    app.execute("UPDATE sessions SET last_seen_at = last_seen_at");
    let after_commit = app.queries_for("/settings").await;
    if app.is_postgres() {
        assert_eq!(
            after_commit, steady,
            "PostgreSQL reads the session each time"
        );
    } else {
        assert_eq!(
            after_commit,
            steady + 1,
            "SQLite reads the session again after any commit, and only then"
        );
    }
    assert_eq!(app.queries_for("/settings").await, steady);

    // A change of the session's own row, written by no instance of the product.
    app.execute("UPDATE sessions SET flash = 'status:Written elsewhere'");
    let page = app.get("/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("[role=status]"), "Written elsewhere");
    app.execute("DELETE FROM sessions");
    assert_eq!(
        app.get("/settings").await.location(),
        "/login?next=%2Fsettings",
        "a session deleted outside the product ends at once"
    );
}
