//! Grant limits: a user with User Management cannot give more than they hold, cannot change
//! a role they hold, and cannot leave an account without an administrator of its users.

use actix_web::http::StatusCode;
use process_library::db::ids::*;
use process_library::domain::accounts::{BuiltInRole, Privilege, Privileges};
use process_library::services::accounts::roles::{self, RoleInput};

use crate::support::{PASSWORD, TestApp};

/// A partner whose administrator is Ada, and Pat, who holds only the custom role "People"
/// (User Management); Pat is signed in.
async fn people_manager() -> (TestApp, String, String) {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    let people = roles::create(
        &app.admin(&partner),
        &RoleInput {
            name: "People".to_owned(),
            privileges: Privileges::of(&[Privilege::UserManagement]),
        },
    )
    .expect("role");
    let pat = db_user_with_role(&app, &partner, "pat@partner.test", &people);
    app.sign_in("pat@partner.test", PASSWORD).await;
    app.get("/settings/users").await;
    (app, partner, people + "|" + &pat)
}

fn db_user_with_role(app: &TestApp, account: &str, email: &str, role: &str) -> String {
    use process_library::db;
    let user = app.user(account, email, BuiltInRole::Support);
    db::write(&app.pool, |conn| {
        db::accounts::delete_user_roles(conn, &UserId::from(&user), &AccountId::from(account))?;
        db::accounts::insert_user_role(
            conn,
            &UserId::from(&user),
            &AccountId::from(account),
            &RoleId::from(role),
            db::now(),
        )
    })
    .expect("role given");
    user
}

#[actix_web::test]
async fn a_user_manager_cannot_grant_what_they_do_not_hold_nor_change_their_own_role() {
    let (mut app, _, ids) = people_manager().await;
    let (people, _) = ids.split_once('|').expect("ids");
    let roles_before = app.count("roles");

    let created = app
        .post(
            "/settings/roles/new",
            &[
                ("role_name", "Climber"),
                ("privilege", "user_management"),
                ("privilege", "account_administration"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        created
            .body
            .contains("you do not hold Account Administration"),
        "the form says why"
    );
    assert_eq!(app.count("roles"), roles_before, "no role was made");

    let own = app
        .post(
            &format!("/settings/roles/{people}"),
            &[
                ("role_name", "People"),
                ("privilege", "user_management"),
                ("privilege", "account_administration"),
            ],
        )
        .await;
    assert_eq!(
        own.status,
        StatusCode::CONFLICT,
        "nobody edits a role they hold"
    );
    assert_eq!(
        app.count(&format!(
            "roles WHERE id = '{people}' AND privileges = 'user_management'"
        )),
        1,
        "the role is unchanged"
    );

    let administrator = BuiltInRole::Administrator.id();
    let users_before = app.count("user_roles");
    let added = app
        .post(
            "/settings/users",
            &[
                ("email", "friend@partner.test"),
                ("name", "Friend"),
                ("password", "a long password"),
                ("role", administrator),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        added
            .body
            .contains("You cannot give the role Administrator")
    );
    assert_eq!(
        app.count("user_roles"),
        users_before,
        "nobody was given the role"
    );
    assert_eq!(
        app.count("users WHERE email_key = 'friend@partner.test'"),
        0,
        "no user was made"
    );
}

#[actix_web::test]
async fn the_last_user_who_administers_the_account_cannot_be_removed() {
    let (mut app, partner, _) = people_manager().await;
    let ada = process_library::db::read(&app.pool, |conn| {
        process_library::db::accounts::find_user_by_email(conn, "ada@partner.test")
    })
    .expect("query")
    .expect("ada")
    .id;
    let removed = app
        .post(&format!("/settings/users/{ada}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::CONFLICT);
    assert!(
        removed
            .body
            .contains("without anyone who holds both User Management")
    );
    assert_eq!(
        app.count(&format!(
            "user_roles WHERE user_id = '{ada}' AND account_id = '{partner}'"
        )),
        1,
        "Ada keeps her role"
    );

    // With a second administrator, the first may go.
    app.user(&partner, "bea@partner.test", BuiltInRole::Administrator);
    let removed = app
        .post(&format!("/settings/users/{ada}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count(&format!("user_roles WHERE user_id = '{ada}'")), 0);
}

/// A managed account whose administrator has not yet accepted is run through its partner's
/// groups: removing the last group user who administers it, its membership of that group, or
/// the group itself is refused (409) and changes nothing; once the administrator accepts, each
/// goes through.
#[actix_web::test]
async fn a_group_that_alone_administers_a_managed_account_cannot_lose_that_hold() {
    use process_library::services::groups;
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.primary_account("Victim Co", "vic@victim.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/accounts/new").await;
    app.post(
        "/settings/accounts/new",
        &[
            ("account_name", "Pending Co"),
            ("admin_email", "vic@victim.test"),
        ],
    )
    .await;
    let pending = app.count("invitations");
    assert_eq!(pending, 1, "the administrator is only invited");
    let ctx = app.admin(&partner);
    let customer = process_library::db::read(&app.pool, |conn| {
        Ok(
            process_library::db::accounts::find_account_by_name(conn, "pending co")?
                .expect("account")
                .id,
        )
    })
    .expect("read");
    let administrator = RoleId::from(BuiltInRole::Administrator.id());
    let gold = groups::create(&ctx, "Gold").expect("group");
    groups::add_members(&ctx, &gold, std::slice::from_ref(&customer)).expect("member");
    groups::add_user(&ctx, &gold, "ada@partner.test", &administrator).expect("group user");
    let ada = process_library::db::read(&app.pool, |conn| {
        Ok(
            process_library::db::accounts::find_user_by_email(conn, "ada@partner.test")?
                .expect("ada")
                .id,
        )
    })
    .expect("read");

    let rows = |app: &TestApp| {
        (
            app.count("group_users"),
            app.count("group_members"),
            app.count("account_groups"),
        )
    };
    // A role that keeps User Management but not Account Administration administers no more.
    let people_only = roles::create(
        &ctx,
        &RoleInput {
            name: "People Only".to_owned(),
            privileges: Privileges::of(&[Privilege::UserManagement]),
        },
    )
    .expect("role");
    let before = rows(&app);
    for refused in [
        groups::change_user_role(&ctx, &gold, &ada, &RoleId::from(&people_only)).map(|_| ()),
        groups::change_user_role(
            &ctx,
            &gold,
            &ada,
            &RoleId::from(BuiltInRole::StandardUser.id()),
        )
        .map(|_| ()),
        groups::remove_user(&ctx, &gold, &ada).map(|_| ()),
        groups::remove_member(&ctx, &gold, &customer).map(|_| ()),
        groups::delete(&ctx, &gold).map(|_| ()),
    ] {
        let error = refused.expect_err("refused");
        assert!(
            format!("{error:?}").contains("Pending Co would be left without anyone"),
            "{error:?}"
        );
    }
    assert_eq!(rows(&app), before, "nothing written");
    assert_eq!(
        app.count(&format!(
            "group_users WHERE role_id = '{}'",
            BuiltInRole::Administrator.id()
        )),
        1,
        "the group user still administers"
    );

    // Over HTTP the refusal is a 409 page saying why.
    app.get(&format!("/settings/groups/{gold}")).await;
    let page = app
        .post(&format!("/settings/groups/{gold}/users/{ada}/remove"), &[])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(
        page.body
            .contains("Pending Co would be left without anyone")
    );

    // Vic accepts: the account has its own administrator, and the group may let go.
    let mut vic = app.another_instance().await;
    vic.sign_in("vic@victim.test", PASSWORD).await;
    let settings = vic.get("/settings").await;
    let accept = settings
        .attr("form[action$='/accept']", "action")
        .expect("Accept");
    vic.post(&accept, &[]).await;
    groups::remove_user(&ctx, &gold, &ada).expect("allowed now");
    groups::delete(&ctx, &gold).expect("allowed now");
}

/// User Management through one group and Account Administration through another together
/// administer a managed account: losing either half is refused like losing both; and a user
/// removed from the primary account loses their group roles with it.
#[actix_web::test]
async fn split_halves_of_user_administration_count_and_removal_from_the_primary_ends_group_roles() {
    use process_library::services::groups;
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.primary_account("Victim Co", "vic@victim.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/accounts/new").await;
    app.post(
        "/settings/accounts/new",
        &[
            ("account_name", "Pending Co"),
            ("admin_email", "vic@victim.test"),
        ],
    )
    .await;
    let ctx = app.admin(&partner);
    let customer = process_library::db::read(&app.pool, |conn| {
        Ok(
            process_library::db::accounts::find_account_by_name(conn, "pending co")?
                .expect("account")
                .id,
        )
    })
    .expect("read");
    let half = |name: &str, privilege| {
        RoleId::from(
            roles::create(
                &ctx,
                &RoleInput {
                    name: name.to_owned(),
                    privileges: Privileges::of(&[privilege]),
                },
            )
            .expect("role"),
        )
    };
    let people = half("People", Privilege::UserManagement);
    let admin_half = half("Admin Half", Privilege::AccountAdministration);
    let pat = app.user(&partner, "pat@partner.test", BuiltInRole::Support);
    let (g1, g2) = (
        groups::create(&ctx, "Half One").expect("group"),
        groups::create(&ctx, "Half Two").expect("group"),
    );
    for (group, role) in [(&g1, &people), (&g2, &admin_half)] {
        groups::add_members(&ctx, group, std::slice::from_ref(&customer)).expect("member");
        groups::add_user(&ctx, group, "pat@partner.test", role).expect("group user");
    }
    let error = groups::delete(&ctx, &g1).expect_err("the other half alone does not administer");
    assert!(format!("{error:?}").contains("Pending Co would be left without anyone"));
    let error = roles::update(
        &ctx,
        &admin_half,
        &RoleInput {
            name: "Admin Half".to_owned(),
            privileges: Privileges::of(&[Privilege::ViewAuditLogs]),
        },
    )
    .expect_err("the role held through a group loses its half");
    assert!(format!("{error:?}").contains("Pending Co would be left without anyone"));

    // A plain user of the primary in a group of its: removing them from the primary ends it.
    let pam = app.user(&partner, "pam@partner.test", BuiltInRole::Support);
    let viewer = RoleId::from(BuiltInRole::StandardUser.id());
    groups::add_user(&ctx, &g1, "pam@partner.test", &viewer).expect("group user");
    let held = |app: &TestApp| app.count(&format!("group_users WHERE user_id = '{pam}'"));
    assert_eq!(held(&app), 1);
    app.get("/settings/users").await;
    let removed = app
        .post(&format!("/settings/users/{pam}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert_eq!(held(&app), 0, "no role left in the managed accounts either");
    // Pat holds a half through each group: removing Pat from the primary is refused.
    let refused = app
        .post(&format!("/settings/users/{pat}/remove"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(
        app.count(&format!("group_users WHERE user_id = '{pat}'")),
        2
    );
}
