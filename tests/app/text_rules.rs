//! The rules of text: names compare after NFKC and case folding and are stored NFC; prose
//! keeps joiners but refuses zero-width spaces and direction controls; e-mail addresses are
//! ASCII; keys written under the earlier rule are recomputed once at start-up.

use actix_web::http::StatusCode;
use process_library::db::ids::*;
use process_library::domain::accounts::{BuiltInRole, Privilege, Privileges};
use process_library::domain::build::{Body, ComponentType};
use process_library::services::accounts::roles::{self, RoleInput};
use process_library::services::build::folders;

use crate::support::{PASSWORD, TestApp};

fn one(app: &TestApp, sql: &str) -> String {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Text {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    process_library::db::read(&app.pool, |conn| {
        Ok(diesel::sql_query(sql).get_result::<Text>(conn)?.v)
    })
    .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
}

#[actix_web::test]
async fn names_that_differ_only_by_compatibility_forms_are_one_name_and_are_stored_nfc() {
    let app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    let admin = app.admin(&partner);
    let auditors = RoleInput {
        name: "Auditors".to_owned(),
        privileges: Privileges::of(&[Privilege::ViewAuditLogs]),
    };
    roles::create(&admin, &auditors).expect("role");
    let fullwidth = RoleInput {
        name: "ＡＵＤＩＴＯＲＳ".to_owned(),
        ..auditors.clone()
    };
    let refused = roles::create(&admin, &fullwidth).expect_err("the same name after NFKC");
    assert!(format!("{refused:?}").contains("already"), "{refused:?}");

    // "é" typed as e + combining acute is stored as the one character.
    let root = app.root_folder(&partner);
    folders::create(&admin, &FolderId::from(&root), "Cafe\u{301}").expect("folder");
    assert_eq!(
        one(
            &app,
            "SELECT name AS v FROM folders WHERE parent_id IS NOT NULL"
        ),
        "Caf\u{e9}"
    );
    let again = folders::create(&admin, &FolderId::from(&root), "CAF\u{c9}")
        .expect_err("the same folder name");
    assert!(format!("{again:?}").contains("already exists"));
}

#[actix_web::test]
async fn prose_keeps_joiners_and_refuses_hidden_characters_beside_the_field() {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    let component = app.component(&partner, "Sync", Body::empty(ComponentType::Process));
    app.sign_in("ada@partner.test", PASSWORD).await;
    let page = format!("/build/components/{component}");
    let form = app.get(&page).await;
    let revision = form
        .attr("input[name=revision]", "value")
        .expect("revision");
    let folder = form.attr("[name=folder] option[selected]", "value");
    let save = |description: &'static str| {
        let mut fields = vec![
            ("name", "Sync".to_owned()),
            ("description", description.to_owned()),
            ("revision", revision.clone()),
        ];
        if let Some(folder) = &folder {
            fields.push(("folder", folder.clone()));
        }
        fields
    };
    let hidden = save("Sends\u{200B} accounts");
    let pairs: Vec<(&str, &str)> = hidden.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app.post(&page, &pairs).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text("#f-description-error")
            .contains("zero-width spaces, direction overrides")
    );
    let persian = save("می\u{200C}خواهم 👩\u{200D}💻");
    let pairs: Vec<(&str, &str)> = persian.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = app.post(&page, &pairs).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        one(
            &app,
            &format!("SELECT description AS v FROM components WHERE id = '{component}'")
        ),
        "می\u{200C}خواهم 👩\u{200D}💻"
    );
}

#[actix_web::test]
async fn e_mail_addresses_are_ascii_with_internationalized_domains_in_xn_form() {
    let mut app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings/users").await;
    let users = app.count("users");
    let refused = app
        .post(
            "/settings/users",
            &[
                ("email", "eve@bücher.example"),
                ("name", "Eve"),
                ("password", PASSWORD),
                ("role", BuiltInRole::StandardUser.id()),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#f-email-error").contains("xn--"));
    assert_eq!(app.count("users"), users);
    let added = app
        .post(
            "/settings/users",
            &[
                ("email", "eve@xn--bcher-kva.example"),
                ("name", "Eve"),
                ("password", PASSWORD),
                ("role", BuiltInRole::StandardUser.id()),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
}

#[actix_web::test]
async fn keys_written_under_the_earlier_rule_are_recomputed_once_and_collisions_wait() {
    let app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    let admin = app.admin(&partner);
    for name in ["Ops", "Finance"] {
        roles::create(
            &admin,
            &RoleInput {
                name: name.to_owned(),
                privileges: Privileges::of(&[Privilege::ViewAuditLogs]),
            },
        )
        .expect("role");
    }
    // As the earlier rule keyed them: lower case only. "ＯＰＳ" would now collide with "Ops".
    app.execute("UPDATE roles SET name = 'ＦＩＮＡＮＣＥ', name_key = 'ｆｉｎａｎｃｅ' WHERE name = 'Finance'");
    app.execute("INSERT INTO roles (id, account_id, name, name_key, privileges, builtin, created_at) SELECT 'r-twin', account_id, 'ＯＰＳ', 'ｏｐｓ', privileges, builtin, created_at FROM roles WHERE name = 'Ops'");
    app.execute("DELETE FROM data_migrations");
    process_library::services::accounts::setup::prepare_database(&app.pool).expect("start-up");
    assert_eq!(
        one(
            &app,
            "SELECT name_key AS v FROM roles WHERE name = 'ＦＩＮＡＮＣＥ'"
        ),
        "finance"
    );
    assert_eq!(
        one(&app, "SELECT name_key AS v FROM roles WHERE id = 'r-twin'"),
        "ｏｐｓ",
        "a key taken in its account waits until the name is next edited"
    );
    assert_eq!(
        app.count("data_migrations WHERE name = 'nfkc-name-keys'"),
        1
    );
    // Recorded: the next start-up changes nothing.
    app.execute("UPDATE roles SET name_key = 'ｆｉｎａｎｃｅ' WHERE name = 'ＦＩＮＡＮＣＥ'");
    process_library::services::accounts::setup::prepare_database(&app.pool).expect("start-up");
    assert_eq!(
        one(
            &app,
            "SELECT name_key AS v FROM roles WHERE name = 'ＦＩＮＡＮＣＥ'"
        ),
        "ｆｉｎａｎｃｅ"
    );
}
