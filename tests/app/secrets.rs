//! Secret fields: sealed at rest, never rendered, kept, cleared, copied, bound to their row.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use process_library::db::ids::*;
use process_library::db::{self, schema::components};
use process_library::domain::build::Body;

use crate::support::{SENTINEL, TestApp, admin_app, connection, connector_process};

fn stored_body(app: &TestApp, id: &str) -> String {
    db::read(&app.pool, |conn| {
        Ok(components::table
            .find(id)
            .select(components::body)
            .first::<String>(conn)?)
    })
    .expect("body")
}

fn password_of(app: &TestApp, account: &str, id: &str) -> Option<String> {
    match Body::from_json(&stored_body(app, id)).expect("body") {
        Body::Connection { password, .. } => password.map(|sealed| {
            app.sealer
                .open(&sealed, &AccountId::from(account), &ComponentId::from(id))
                .expect("opens")
        }),
        _ => None,
    }
}

async fn save_connection(
    app: &mut TestApp,
    id: &str,
    root: &str,
    password: &str,
    clear: bool,
) -> crate::support::Response {
    let url = format!("/build/components/{id}");
    let rev = app
        .get(&url)
        .await
        .attr("input[name=revision]", "value")
        .expect("rev");
    let mut fields = vec![
        ("revision", rev.as_str()),
        ("name", "Salesforce Prod"),
        ("folder", root),
        ("connector", "salesforce"),
        ("url", "https://login.example.com"),
        ("username", "api"),
        ("password", password),
    ];
    if clear {
        fields.push(("clear_password", "on"));
    }
    app.post(&url, &fields).await
}

#[actix_web::test]
async fn a_password_is_sealed_never_shown_kept_and_cleared() {
    let (mut app, partner) = admin_app().await;
    app.forbid(SENTINEL);
    let root = app.root_folder(&partner);
    let conn = app.component(&partner, "Salesforce Prod", connection());
    let page = app.get(&format!("/build/components/{conn}")).await;
    assert_eq!(page.text("#f-password-help"), "No password is set.");
    assert_eq!(
        save_connection(&mut app, &conn, &root, SENTINEL, false)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = app.get(&format!("/build/components/{conn}")).await;
    assert_eq!(page.attr("#f-password", "value").as_deref(), Some(""));
    assert_eq!(
        page.text("#f-password-help"),
        "A password is set. Leave this empty to keep it."
    );
    let body = stored_body(&app, &conn);
    assert!(
        !body.contains(SENTINEL) && body.contains("\"password\":\"v1."),
        "sealed at rest: {body}"
    );
    assert_eq!(
        password_of(&app, &partner, &conn).as_deref(),
        Some(SENTINEL)
    );

    assert_eq!(
        save_connection(&mut app, &conn, &root, "", false)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        password_of(&app, &partner, &conn).as_deref(),
        Some(SENTINEL),
        "an empty field keeps it"
    );
    let history = app.get(&format!("/build/components/{conn}")).await;
    assert_eq!(
        history.text("#history-heading + .table-wrap table tbody tr td:nth-child(4)"),
        "Saved without changes"
    );

    let process = app.component(&partner, "Sync Accounts", connector_process(&conn));
    app.get("/deploy/packages/new").await;
    let packaged = app
        .post(
            "/deploy/packages/new",
            &[
                ("component", &process),
                ("version", ""),
                ("shareable", "on"),
            ],
        )
        .await;
    for path in [
        "/build".to_owned(),
        "/deploy".to_owned(),
        packaged.location(),
        "/settings/audit".to_owned(),
        format!("/build/components/{process}"),
    ] {
        assert_eq!(app.get(&path).await.status, StatusCode::OK, "{path}");
    }
    let copy = app
        .post(&format!("/build/components/{conn}/copy"), &[])
        .await;
    let copy_id = copy
        .location()
        .trim_start_matches("/build/components/")
        .to_owned();
    assert_eq!(
        app.get(&copy.location()).await.text("#f-password-help"),
        "A password is set. Leave this empty to keep it."
    );
    assert_eq!(
        password_of(&app, &partner, &copy_id).as_deref(),
        Some(SENTINEL),
        "re-sealed for the copy"
    );

    assert_eq!(
        save_connection(&mut app, &conn, &root, "", true)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        password_of(&app, &partner, &conn),
        None,
        "Clear password removes it"
    );
    assert_sentinel_absent_at_rest(&app);
}

#[actix_web::test]
async fn a_sealed_value_moved_to_another_row_does_not_open() {
    let (mut app, partner) = admin_app().await;
    let root = app.root_folder(&partner);
    let first = app.component(&partner, "First", connection());
    let second = app.component(&partner, "Second", connection());
    save_connection(&mut app, &first, &root, SENTINEL, false).await;
    let moved = stored_body(&app, &first);
    db::read(&app.pool, |conn| {
        Ok(diesel::update(components::table.find(&second))
            .set(components::body.eq(&moved))
            .execute(conn)?)
    })
    .expect("move");
    let Body::Connection {
        password: Some(sealed),
        ..
    } = Body::from_json(&moved).expect("body")
    else {
        panic!("sealed password")
    };
    assert!(
        app.sealer
            .open(
                &sealed,
                &AccountId::from(&partner),
                &ComponentId::from(&second)
            )
            .is_err()
    );
    assert!(
        app.sealer
            .open(
                &sealed,
                &AccountId::from("other-account"),
                &ComponentId::from(&first)
            )
            .is_err()
    );
    assert_eq!(
        app.sealer
            .open(
                &sealed,
                &AccountId::from(&partner),
                &ComponentId::from(&first)
            )
            .expect("opens"),
        SENTINEL
    );
}

#[actix_web::test]
async fn password_properties_are_sealed_per_row() {
    let (mut app, partner) = admin_app().await;
    app.forbid(SENTINEL);
    let root = app.root_folder(&partner);
    let props = app.component(
        &partner,
        "Credentials",
        Body::ProcessProperty { properties: vec![] },
    );
    let url = format!("/build/components/{props}");
    let empty = app.get(&url).await;
    let rev = empty.attr("input[name=revision]", "value").expect("rev");
    // A new password property is typed hidden: the second new row is one.
    assert_eq!(empty.attr("#prop_value_1", "type").as_deref(), Some("text"));
    assert_eq!(
        empty.attr("#prop_value_2", "type").as_deref(),
        Some("password")
    );
    assert_eq!(
        empty
            .attr("#prop_kind_2 option[selected]", "value")
            .as_deref(),
        Some("password")
    );
    let saved = app
        .post(
            &url,
            &[
                ("revision", &rev),
                ("name", "Credentials"),
                ("folder", &root),
                ("prop_name_1", "api_token"),
                ("prop_kind_1", "password"),
                ("prop_value_1", SENTINEL),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = app.get(&url).await;
    assert_eq!(page.attr("#prop_value_1", "value").as_deref(), Some(""));
    assert_eq!(
        page.attr("input[name=prop_origin_1]", "value").as_deref(),
        Some("0")
    );
    let rev = page.attr("input[name=revision]", "value").expect("rev");
    let added = app
        .post(
            &url,
            &[
                ("revision", &rev),
                ("name", "Credentials"),
                ("folder", &root),
                ("prop_name_1", "api_token"),
                ("prop_kind_1", "password"),
                ("prop_value_1", ""),
                ("prop_origin_1", "0"),
                ("prop_name_2", "region"),
                ("prop_kind_2", "text"),
                ("prop_value_2", "eu-west"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let Body::ProcessProperty { properties } =
        Body::from_json(&stored_body(&app, &props)).expect("body")
    else {
        panic!("properties")
    };
    assert_eq!(properties.len(), 2);
    assert_eq!(
        app.sealer
            .open(
                &properties[0].value,
                &AccountId::from(&partner),
                &ComponentId::from(&props)
            )
            .expect("opens"),
        SENTINEL
    );
    assert_eq!(properties[1].value, "eu-west");
    assert_sentinel_absent_at_rest(&app);
}

/// The sentinel is nowhere in the database in clear: not in any row, not in the SQLite files.
fn assert_sentinel_absent_at_rest(app: &TestApp) {
    for table in [
        "components",
        "component_revisions",
        "package_components",
        "audit_events",
    ] {
        let column = match table {
            "audit_events" => "summary",
            _ => "body",
        };
        assert_eq!(
            app.count(&format!("{table} WHERE {column} LIKE '%{SENTINEL}%'")),
            0,
            "{table}"
        );
    }
    if let Some(path) = app.url.strip_prefix("sqlite://") {
        for file in [path.to_owned(), format!("{path}-wal")] {
            if let Ok(bytes) = std::fs::read(&file) {
                assert!(
                    !bytes
                        .windows(SENTINEL.len())
                        .any(|w| w == SENTINEL.as_bytes()),
                    "{file} holds the secret"
                );
            }
        }
    }
}
