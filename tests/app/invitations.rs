//! Invitations: adding an existing user from another tenant invites them. Until they accept,
//! the inviting account sees only the e-mail, is not in their switcher, is never where they
//! land and gets none of their sign-in events.

use actix_web::http::StatusCode;
use process_library::domain::accounts::BuiltInRole;

use crate::support::{PASSWORD, TestApp};

/// Partner Co (Ada, its administrator, who has worked in it) and Aardvark Rival (Eve), whose
/// name sorts first; Eve is signed in on the app's client.
async fn rival_world() -> (TestApp, String, String) {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    let rival = app.primary_account("Aardvark Rival", "eve@rival.test");
    app.sign_in("eve@rival.test", PASSWORD).await;
    app.get("/settings/users").await;
    (app, partner, rival)
}

/// Events of Ada's in an account.
fn events(app: &TestApp, account: &str, action: &str) -> i64 {
    app.count(&format!(
        "audit_events WHERE account_id = '{account}' AND action = '{action}' \
         AND actor_email IN ('ada@partner.test', 'gus@gone.test')"
    ))
}

#[actix_web::test]
async fn a_second_tenant_adding_a_users_email_sees_only_an_invitation() {
    let (mut app, partner, rival) = rival_world().await;
    let memberships = app.count("user_roles");
    let added = app
        .post(
            "/settings/users",
            &[
                ("email", "ada@partner.test"),
                ("name", "Whoever"),
                ("password", "ignored-password"),
                ("role", BuiltInRole::Administrator.id()),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(app.count("user_roles"), memberships, "no membership made");
    app.forbid("Admin of Partner Co");
    let users = app.get("/settings/users").await;
    assert!(
        users
            .text("[role=status]")
            .contains("Invitation sent to ada@partner.test.")
    );
    let row = users
        .texts("tbody tr")
        .into_iter()
        .find(|r| r.contains("ada@partner.test"))
        .expect("the invitation is listed");
    assert!(row.contains("Invited"), "{row}");
    let ada_id = process_library::db::read(&app.pool, |conn| {
        Ok(
            process_library::db::accounts::find_user_by_email(conn, "ada@partner.test")?
                .expect("ada")
                .id,
        )
    })
    .expect("read");
    assert!(
        !users.body.contains(ada_id.as_str()),
        "her user id (which dates her account) is not shown"
    );
    let eve_cookie = app.cookie();

    // Ada signs in: she lands in her own account, told of the invitation; the rival is not
    // in her switcher and gets none of her sign-in events, failed or not.
    app.set_cookie(None);
    let mut ada = app.another_instance().await;
    ada.get("/login").await;
    let failed = ada
        .post(
            "/login",
            &[
                ("email", "ada@partner.test"),
                ("password", "wrong-password"),
            ],
        )
        .await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    ada.sign_in("ada@partner.test", PASSWORD).await;
    let landing = ada.get("/build").await;
    assert_eq!(
        landing.text(".current-account"),
        "Current account: Partner Co"
    );
    assert!(
        landing
            .text("[role=status]")
            .contains("an invitation to join another account")
    );
    assert_eq!(landing.count("#switch-account"), 0, "nothing to switch to");
    assert_eq!(events(&app, &rival, "user.sign_in"), 0);
    assert_eq!(events(&app, &rival, "user.sign_in_failed"), 0);
    assert_eq!(events(&app, &partner, "user.sign_in"), 1);
    let switched = ada.post("/switch", &[("account", rival.as_str())]).await;
    assert_eq!(switched.status, StatusCode::NOT_FOUND, "not reachable");

    // She sees the invitation on Settings > Account Information and declines it.
    let settings = ada.get("/settings").await;
    let invitation = settings
        .texts("section[aria-labelledby=invitations-heading] tbody tr")
        .join("\n");
    assert!(invitation.contains("Aardvark Rival"), "{invitation}");
    assert!(invitation.contains("Administrator"));
    assert!(invitation.contains("eve@rival.test"));
    let decline = settings
        .attr("form[action$='/decline']", "action")
        .expect("a Decline button");
    assert_eq!(
        settings.attr("form[action$='/decline'] button", "aria-label"),
        Some("Decline for Aardvark Rival".to_owned())
    );
    let declined = ada.post(&decline, &[]).await;
    assert_eq!(declined.location(), "/settings");
    assert_eq!(app.count("invitations"), 0);
    assert_eq!(events(&app, &rival, "user.invitation_decline"), 1);
    assert_eq!(
        app.count("audit_events WHERE action = 'user.invitation_decline' AND client_addr IS NULL"),
        1,
        "the declined account learns nothing of where she is"
    );
    assert_eq!(app.count("user_roles"), memberships);
    assert_eq!(
        ada.post(&decline, &[]).await.status,
        StatusCode::NOT_FOUND,
        "answered once"
    );

    // The rival's page still shows nothing of her.
    app.set_cookie(eve_cookie);
    app.forbid("Admin of Partner Co");
    let after = app.get("/settings/users").await;
    assert!(!after.body.contains("ada@partner.test"));
}

#[actix_web::test]
async fn accepting_an_invitation_makes_the_membership_and_moves_the_user_there() {
    let (mut app, _partner, rival) = rival_world().await;
    app.post(
        "/settings/users",
        &[
            ("email", "ada@partner.test"),
            ("role", BuiltInRole::StandardUser.id()),
        ],
    )
    .await;
    let mut ada = app.another_instance().await;
    ada.sign_in("ada@partner.test", PASSWORD).await;
    let settings = ada.get("/settings").await;
    let accept = settings
        .attr("form[action$='/accept']", "action")
        .expect("an Accept button");

    // Nobody else can answer it: another user's session gets 404.
    let mut other = app.another_instance().await;
    other.sign_in("eve@rival.test", PASSWORD).await;
    other.get("/settings").await;
    assert_eq!(other.post(&accept, &[]).await.status, StatusCode::NOT_FOUND);

    let accepted = ada.post(&accept, &[]).await;
    assert_eq!(accepted.location(), "/");
    let page = ada.get("/settings").await;
    assert_eq!(
        page.text(".current-account"),
        "Current account: Aardvark Rival"
    );
    assert!(
        page.text("[role=status]")
            .contains("You joined Aardvark Rival.")
    );
    assert_eq!(app.count("invitations"), 0);
    assert_eq!(
        events(&app, &rival, "user.invitation_accept"),
        1,
        "the answer is audited where it was asked"
    );
    // Now a member: the rival sees her name and her sign-ins there.
    let users = app.get("/settings/users").await;
    assert!(users.body.contains("Admin of Partner Co"));
    ada.sign_out().await;
    ada.sign_in("ada@partner.test", PASSWORD).await;
    assert_eq!(
        ada.get("/settings").await.text(".current-account"),
        "Current account: Aardvark Rival",
        "lands where she last worked"
    );
}

#[actix_web::test]
async fn a_user_with_only_invitations_signs_in_to_them_and_nothing_else() {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    let gone = app.primary_account("Gone Co", "gus@gone.test");
    // Gus's only membership goes; Ada invites him.
    app.user(&gone, "keeper@gone.test", BuiltInRole::Administrator);
    process_library::db::write(&app.pool, |conn| {
        let gus =
            process_library::db::accounts::find_user_by_email(conn, "gus@gone.test")?.expect("gus");
        process_library::db::accounts::delete_user_roles(conn, &gus.id, &gone.as_str().into())
    })
    .expect("removed");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/users").await;
    app.post(
        "/settings/users",
        &[
            ("email", "gus@gone.test"),
            ("role", BuiltInRole::StandardUser.id()),
        ],
    )
    .await;

    let mut gus = app.another_instance().await;
    let signed = gus.sign_in("gus@gone.test", PASSWORD).await;
    assert_eq!(signed.location(), "/invitations");
    let page = gus.get("/invitations").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.count("nav"), 0, "no menus");
    assert!(page.text("tbody").contains("Partner Co"));
    assert!(page.body.contains("Change Password"));
    assert_eq!(gus.get("/").await.location(), "/invitations");
    assert_eq!(gus.get("/build").await.status, StatusCode::FORBIDDEN);

    // His password can be changed from there (a wrong current one is refused beside it).
    gus.get("/invitations").await;
    let wrong = gus
        .post(
            "/invitations/password",
            &[
                ("current_password", "not-it-at-all"),
                ("new_password", "a-new-password"),
                ("confirm_password", "a-new-password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text("#f-current_password-error")
            .contains("not correct")
    );
    let changed = gus
        .post(
            "/invitations/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a-new-password"),
                ("confirm_password", "a-new-password"),
            ],
        )
        .await;
    assert_eq!(changed.location(), "/invitations");

    let page = gus.get("/invitations").await;
    let accept = page
        .attr("form[action$='/accept']", "action")
        .expect("Accept");
    assert_eq!(gus.post(&accept, &[]).await.location(), "/");
    assert_eq!(
        gus.get("/settings").await.text(".current-account"),
        "Current account: Partner Co"
    );
    assert_eq!(events(&app, &partner, "user.invitation_accept"), 1);
}

#[actix_web::test]
async fn a_managed_account_for_an_existing_administrator_invites_them() {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.primary_account("Victim Co", "vic@victim.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/accounts/new").await;
    let created = app
        .post(
            "/settings/accounts/new",
            &[
                ("account_name", "Victim Managed"),
                ("admin_email", "vic@victim.test"),
                ("admin_name", "Ignored"),
                ("admin_password", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let list = app.get("/settings/accounts").await;
    assert!(
        list.text("[role=status]")
            .contains("Invitation sent to vic@victim.test.")
    );
    assert_eq!(app.count("invitations"), 1);
    assert_eq!(
        app.count(
            "user_roles WHERE user_id IN (SELECT id FROM users WHERE email = 'vic@victim.test') AND account_id <> (SELECT id FROM accounts WHERE name = 'Victim Co')"
        ),
        0,
        "no membership until accepted"
    );
    let users = app.get("/settings/users").await;
    assert!(
        !users.body.contains("vic@victim.test"),
        "not a user of {partner}"
    );
}

#[actix_web::test]
async fn an_invitation_is_withdrawn_from_the_users_page_and_strangers_answer_404() {
    let (mut app, _partner, _rival) = rival_world().await;
    app.post(
        "/settings/users",
        &[
            ("email", "ada@partner.test"),
            ("role", BuiltInRole::StandardUser.id()),
        ],
    )
    .await;
    let users = app.get("/settings/users").await;
    let withdraw = users
        .attr(
            "a[aria-label='Withdraw invitation for ada@partner.test']",
            "href",
        )
        .expect("a Withdraw link");
    // It asks first.
    let confirm = app.get(&withdraw).await;
    assert_eq!(
        confirm.text("h1"),
        "Remove the invitation of ada@partner.test"
    );
    let action = confirm.attr("main form", "action").expect("its form");
    let done = app.post(&action, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("invitations"), 0);
    assert!(
        app.get("/settings/users")
            .await
            .text("[role=status]")
            .contains("The invitation of ada@partner.test was withdrawn.")
    );
    // A user neither member nor invited: 404, nothing written.
    let events_before = app.count("audit_events");
    let again = app.post(&action, &[]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("audit_events"), events_before);
}
