//! Set-up, sign-in and throttling.

use actix_web::http::StatusCode;

use crate::support::{PASSWORD, TestApp};

#[actix_web::test]
async fn empty_database_offers_set_up_once() {
    let mut app = TestApp::new().await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), "Set up Process Library");
    let labels = page.texts("form label");
    assert_eq!(
        labels,
        [
            "Account Name",
            "Administrator Email",
            "Administrator Name",
            "Administrator Password"
        ]
    );
    let done = app
        .post(
            "/setup",
            &[
                ("account_name", "Partner Co"),
                ("admin_email", "Ada@Partner.test"),
                ("admin_name", "Ada"),
                ("admin_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/login?set-up=done");
    let login = app.get("/login?set-up=done").await;
    assert_eq!(login.count("[role=status]"), 1);
    assert_eq!(app.get("/").await.location(), "/login");
    let again = app
        .post(
            "/setup",
            &[
                ("account_name", "Second"),
                ("admin_email", "b@x.test"),
                ("admin_name", "B"),
                ("admin_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("accounts"), 1);
    app.sign_in("ada@partner.test", PASSWORD).await;
}

#[actix_web::test]
async fn set_up_with_bad_input_answers_422_beside_the_fields_and_writes_nothing() {
    let mut app = TestApp::new().await;
    app.get("/").await;
    let page = app
        .post(
            "/setup",
            &[
                ("account_name", ""),
                ("admin_email", "not-an-email"),
                ("admin_name", "<b>x</b>"),
                ("admin_password", "short"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.text("#f-account_name-error"),
        "Account Name is required."
    );
    assert!(page.text("#f-admin_email-error").contains("e-mail address"));
    assert!(page.text("#f-admin_password-error").contains("at least 8"));
    assert_eq!(
        page.attr("#f-admin_email", "aria-describedby").as_deref(),
        Some("f-admin_email-error")
    );
    assert_eq!(
        page.attr("#f-admin_name", "value").as_deref(),
        Some("<b>x</b>")
    );
    assert!(!page.body.contains("<b>x</b>"), "markup is escaped");
    assert_eq!(app.count("accounts"), 0);
    assert_eq!(app.count("users"), 0);
}

#[actix_web::test]
async fn sign_in_opens_the_console_with_the_main_navigation() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    let done = app.sign_in("ADA@partner.test", PASSWORD).await;
    assert_eq!(done.location(), "/");
    let home = app.get("/").await;
    assert_eq!(home.location(), "/build");
    let build = app.get("/build").await;
    assert_eq!(build.status, StatusCode::OK);
    assert_eq!(
        build.texts("nav[aria-label=Main] a"),
        ["Build", "Deploy", "Manage", "Settings"]
    );
    assert_eq!(
        build.text(".current-account"),
        "Current account: Partner Co"
    );
    assert_eq!(build.text("h1"), "Build");
    assert_eq!(build.count("h1"), 1);
    assert_eq!(
        build.count("#switch-account"),
        0,
        "one account: no switcher"
    );
    assert_eq!(build.text("form[action='/logout'] button"), "Sign out");
}

#[actix_web::test]
async fn wrong_password_and_unknown_email_fail_alike() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.get("/login").await;
    let wrong = app
        .post(
            "/login",
            &[
                ("email", "ada@partner.test"),
                ("password", "wrong password"),
            ],
        )
        .await;
    let unknown = app
        .post(
            "/login",
            &[
                ("email", "nobody@partner.test"),
                ("password", "wrong password"),
            ],
        )
        .await;
    for page in [&wrong, &unknown] {
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.text("[role=alert]"), "Invalid email or password");
        assert!(page.cookie_is_unchanged());
    }
    assert_eq!(
        app.count("audit_events WHERE action = 'user.sign_in_failed'"),
        2
    );
    assert_eq!(app.get("/build").await.location(), "/login?next=%2Fbuild");
}

#[actix_web::test]
async fn repeated_failures_are_throttled_per_email_then_per_address() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.get("/login").await;
    for _ in 0..4 {
        let page = app
            .post(
                "/login",
                &[("email", "ada@partner.test"), ("password", "nope nope")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let fifth = app
        .post(
            "/login",
            &[("email", "ada@partner.test"), ("password", "nope nope")],
        )
        .await;
    assert_eq!(
        fifth.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the fifth failure locks the e-mail"
    );
    let blocked = app
        .post(
            "/login",
            &[("email", "ada@partner.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        blocked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(
        blocked
            .text("[role=alert]")
            .starts_with("Too many failed sign-in attempts")
    );

    let mut other = TestApp::new().await;
    other.primary_account("Partner Co", "ada@partner.test");
    other.get("/login").await;
    let mut statuses = Vec::new();
    for i in 0..31 {
        let email = format!("guess{i}@partner.test");
        statuses.push(
            other
                .post("/login", &[("email", &email), ("password", "nope nope")])
                .await
                .status,
        );
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "the address ran out of attempts"
    );
    let from_elsewhere = {
        other.peer = "10.1.2.3:5555".parse().expect("address");
        other
            .post(
                "/login",
                &[("email", "ada@partner.test"), ("password", PASSWORD)],
            )
            .await
    };
    assert_eq!(from_elsewhere.status, StatusCode::SEE_OTHER);
}

trait CookieCheck {
    fn cookie_is_unchanged(&self) -> bool;
}

impl CookieCheck for crate::support::Response {
    fn cookie_is_unchanged(&self) -> bool {
        self.set_cookies().is_empty()
    }
}

#[actix_web::test]
async fn a_wrong_current_password_is_audited_and_counts_toward_the_sign_in_throttle() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/password").await;
    let change = |current: &'static str| {
        [
            ("current_password", current),
            ("new_password", "a brand new passphrase"),
            ("confirm_password", "a brand new passphrase"),
        ]
    };
    for _ in 0..4 {
        let page = app
            .post("/settings/password", &change("guessed wrong"))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        app.count("audit_events WHERE action = 'user.password_change_failed'"),
        4,
        "each wrong current password is audited"
    );
    let fifth = app
        .post("/settings/password", &change("guessed wrong"))
        .await;
    assert_eq!(
        fifth.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the fifth failure locks the e-mail, as five failed sign-ins would"
    );
    assert!(
        fifth
            .text("#f-current_password-error")
            .starts_with("Too many failed sign-in attempts"),
        "the form says how long to wait, beside the current password"
    );
    let right = app.post("/settings/password", &change(PASSWORD)).await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    app.set_cookie(None);
    app.get("/login").await;
    let sign_in = app
        .post(
            "/login",
            &[("email", "ada@partner.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        sign_in.status,
        StatusCode::TOO_MANY_REQUESTS,
        "signing in with that e-mail waits too"
    );
    assert_eq!(
        app.count("audit_events WHERE action = 'user.password_change'"),
        0,
        "the password never changed"
    );
}

/// A page asked for while signed out (a share link, say) is where sign-in leads back to; an
/// address that would leave the site is ignored.
#[actix_web::test]
async fn sign_in_returns_to_the_page_asked_for_and_never_leaves_the_site() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    let asked = app.get("/settings/users?from=link").await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        asked.location(),
        "/login?next=%2Fsettings%2Fusers%3Ffrom%3Dlink"
    );
    let form = app.get(&asked.location()).await;
    assert_eq!(
        form.attr("input[name=next]", "value").as_deref(),
        Some("/settings/users?from=link")
    );
    let signed = app
        .post(
            "/login",
            &[
                ("email", "ada@partner.test"),
                ("password", PASSWORD),
                ("next", "/settings/users?from=link"),
            ],
        )
        .await;
    assert_eq!(signed.location(), "/settings/users?from=link");
    assert_eq!(
        app.get("/login?next=%2Fdeploy").await.location(),
        "/deploy",
        "already signed in: straight there"
    );

    for away in [
        "//evil.test/x",
        "https://evil.test/",
        "/\\evil.test",
        "javascript:alert(1)",
        "/login?next=/login",
    ] {
        app.set_cookie(None);
        let form = app
            .get(&format!(
                "/login?next={}",
                url::form_urlencoded::byte_serialize(away.as_bytes()).collect::<String>()
            ))
            .await;
        assert_eq!(form.status, StatusCode::OK);
        let signed = app
            .post(
                "/login",
                &[
                    ("email", "ada@partner.test"),
                    ("password", PASSWORD),
                    ("next", away),
                ],
            )
            .await;
        assert_eq!(signed.location(), "/", "{away} is not followed");
    }
}
