//! The platform publisher: its processes shared through *All Platform Accounts* sit in every
//! account's library beside the partner's, under its publisher name; nothing else of it, nor of
//! another partner, crosses a tenant wall; the operator's command is checked and audited.

use actix_web::http::StatusCode;
use process_library::db::{self, ids::*};
use process_library::domain::build::{Body, ComponentType};
use process_library::services::{groups, platform};

use crate::support::{PASSWORD, World, install, library_world, shared_with_gold};

/// The platform account, made the platform publisher, with one process shared with every
/// account and one shared only with a group of its own: (platform id, shared process id,
/// kept process id).
fn platform_world(w: &World) -> (String, String, String) {
    let platform = w.app.primary_account("Atlas Platform", "ops@atlas.test");
    w.app.enable_library(&platform);
    platform::set(&w.app.pool, "Atlas Platform").expect("platform publisher");
    let group = db::read(&w.app.pool, |conn| {
        db::platform::find_group(conn, &AccountId::from(&platform))
    })
    .expect("read")
    .expect("All Platform Accounts");
    let everyone = w.app.component(
        &platform,
        "Platform Health Check",
        Body::empty(ComponentType::Process),
    );
    let (everyone_pp, _) = w.app.publish(&platform, &everyone, false);
    groups::add_resources(
        &w.app.admin(&platform),
        &group.id,
        &[ProcessId::from(everyone_pp.clone())],
    )
    .expect("shared with every account");
    let kept = w.app.component(
        &platform,
        "Platform Internal Sync",
        Body::empty(ComponentType::Process),
    );
    let (kept_pp, _) = w.app.publish(&platform, &kept, false);
    let own_group = groups::create(&w.app.admin(&platform), "Own Customers").expect("group");
    groups::add_resources(
        &w.app.admin(&platform),
        &own_group,
        &[ProcessId::from(kept_pp.clone())],
    )
    .expect("shared with its own group");
    (platform, everyone_pp, kept_pp)
}

#[actix_web::test]
async fn another_partners_customer_finds_and_installs_the_platforms_process() {
    let mut w = library_world().await;
    shared_with_gold(&w, "Orders Sync");
    let (_, everyone_pp, kept_pp) = platform_world(&w);

    // Acme (a customer of Partner Co) sees its partner's process and the platform's.
    let page = w.app.get("/build/library?sort=name").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.texts("article h2"),
        ["Orders Sync", "Platform Health Check"]
    );
    let publishers = page.texts("fieldset .check label");
    assert!(
        publishers.contains(&"Partner Co Integrations".to_owned()),
        "{publishers:?}"
    );
    assert!(
        publishers.contains(&"Atlas Platform Integrations Platform".to_owned()),
        "the platform's name with its badge: {publishers:?}"
    );
    let card = page.texts("article");
    assert!(
        card.iter().any(|c| c.contains("Platform Health Check")
            && c.contains("by Atlas Platform Integrations")
            && c.contains("Platform")),
        "{card:?}"
    );
    // Filter by Publisher narrows to one of them.
    let ids: Vec<String> = page
        .body
        .split("name=\"publisher\" value=\"")
        .skip(1)
        .map(|part| part.split('"').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "both publishers: {ids:?}");
    let narrowed: Vec<Vec<String>> = {
        let mut all = Vec::new();
        for id in &ids {
            all.push(
                w.app
                    .get(&format!("/build/library?sort=name&publisher={id}"))
                    .await
                    .texts("article h2"),
            );
        }
        all
    };
    assert!(
        narrowed.contains(&vec!["Orders Sync".to_owned()]),
        "{narrowed:?}"
    );
    assert!(
        narrowed.contains(&vec!["Platform Health Check".to_owned()]),
        "{narrowed:?}"
    );

    // The View page names the platform; the install makes a copy like any other.
    let view = w.app.get(&format!("/build/library/{everyone_pp}")).await;
    assert_eq!(view.status, StatusCode::OK);
    assert!(view.text("main").contains("Atlas Platform Integrations"));
    let done = install(&mut w.app, &everyone_pp, "Health Check").await;
    assert!(
        done.status.is_redirection() || done.status == StatusCode::OK,
        "{}",
        done.status
    );
    assert_eq!(
        w.app
            .count("installations WHERE local_name = 'Health Check'"),
        1
    );
    let again = w.app.get("/build/library?sort=name").await;
    assert!(again.text("main").contains("Installed · version 1"));

    // What the platform shares with its own group only stays with it.
    assert_eq!(
        w.app.get(&format!("/build/library/{kept_pp}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app
            .get(&format!("/build/library/{kept_pp}/install"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn a_primary_account_installs_the_platforms_process_and_the_platform_names_no_customer() {
    let mut w = library_world().await;
    let (_, everyone_pp, _) = platform_world(&w);
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    let page = w.app.get("/build/library").await;
    let platform_card = page
        .texts("article")
        .into_iter()
        .find(|c| c.contains("Platform Health Check"))
        .expect("the platform's process in a partner's own library");
    assert!(platform_card.contains("Install"), "{platform_card}");
    install(&mut w.app, &everyone_pp, "Health Check").await;
    assert_eq!(w.app.count("installations"), 1);

    // Acme installs it too; the platform sees installs per partner, never a customer's name.
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    install(&mut w.app, &everyone_pp, "Health Check").await;
    w.app.set_cookie(None);
    w.app.sign_in("ops@atlas.test", PASSWORD).await;
    let component = db::read(&w.app.pool, |conn| {
        db::library::find_process(conn, &ProcessId::from(everyone_pp.clone()))
    })
    .expect("read")
    .expect("process")
    .component_id;
    let analytics = w
        .app
        .get(&format!(
            "/manage/process-library/processes/{component}/analytics"
        ))
        .await;
    assert_eq!(analytics.status, StatusCode::OK);
    let text = analytics.text("main");
    assert!(text.contains("An account of Partner Co"), "{text}");
    assert!(text.contains("Partner Co"), "{text}");
    assert!(
        !text.contains("Acme"),
        "a customer of another partner is never named: {text}"
    );
    let csv = w
        .app
        .get(&format!(
            "/manage/process-library/processes/{component}/analytics.csv"
        ))
        .await;
    assert!(!csv.body.contains("Acme"));
    let history = w
        .app
        .get(&format!("/manage/process-library?selected={component}"))
        .await;
    assert!(!history.body.contains("Acme"));
    let audience = w
        .app
        .get(&format!(
            "/manage/process-library/processes/{component}/audience"
        ))
        .await;
    assert!(
        audience
            .text("main")
            .contains("Every account of every partner")
    );
    assert!(!audience.body.contains("Acme") && !audience.body.contains("Globex"));
}

#[actix_web::test]
async fn the_command_is_checked_and_audited_and_clearing_it_empties_other_libraries() {
    let mut w = library_world().await;
    let (platform, _, _) = platform_world(&w);
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'account.platform_publisher_set'"),
        1
    );
    assert!(
        platform::set(&w.app.pool, "Acme Retail").is_err(),
        "a managed account"
    );
    let plain = w.app.primary_account("Plain Co", "boss@plain.test");
    let _ = plain;
    assert!(
        platform::set(&w.app.pool, "Plain Co").is_err(),
        "without the process-library feature"
    );
    assert_eq!(
        platform::set(&w.app.pool, "Atlas Platform").expect("again"),
        platform::Outcome::Unchanged
    );
    let seen = w.app.get("/build/library").await;
    assert!(seen.text("main").contains("Platform Health Check"));

    // The All Platform Accounts group: first, no users, unchangeable.
    w.app.set_cookie(None);
    w.app.sign_in("ops@atlas.test", PASSWORD).await;
    let list = w.app.get("/settings/groups").await;
    assert_eq!(
        list.texts("tbody td:first-child")[..2],
        ["All Platform Accounts", "All Accounts"]
    );
    let group = db::read(&w.app.pool, |conn| {
        db::platform::find_group(conn, &AccountId::from(&platform))
    })
    .expect("read")
    .expect("group")
    .id;
    let page = w.app.get(&format!("/settings/groups/{group}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.count("#users-heading"), 0, "no Users in Group");
    assert_eq!(
        page.count("tbody tr"),
        0,
        "other partners' accounts are not listed"
    );
    assert!(page.text("main").contains("every account of every partner"));
    for (path, form) in [
        (
            format!("/settings/groups/{group}/rename"),
            vec![("name", "Mine")],
        ),
        (format!("/settings/groups/{group}/delete"), vec![]),
    ] {
        let refused = w.app.post(&path, &form).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{path}");
    }
    assert!(
        groups::add_user(
            &w.app.admin(&platform),
            &group,
            "ops@atlas.test",
            &RoleId::from(process_library::domain::accounts::BuiltInRole::Administrator.id()),
        )
        .is_err()
    );

    // Cleared: the platform's processes leave other accounts' libraries at once.
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    assert!(
        w.app
            .get("/build/library")
            .await
            .text("main")
            .contains("Platform Health Check")
    );
    platform::clear(&w.app.pool).expect("cleared");
    let after = w.app.get("/build/library").await;
    assert!(!after.text("main").contains("Platform Health Check"));
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'account.platform_publisher_clear'"),
        1
    );
}

#[actix_web::test]
async fn no_partner_takes_the_platforms_publisher_name() {
    let mut w = library_world().await;
    platform_world(&w);
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    w.app.get("/settings/publisher").await;
    let refused = w
        .app
        .post(
            "/settings/publisher",
            &[
                ("publisher_name", "ATLAS platform integrations"),
                ("publisher_email", ""),
                ("publisher_url", ""),
                ("support_email", ""),
                ("support_url", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("main").contains("platform publisher's name"));
}

#[derive(diesel::QueryableByName)]
struct Library {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    library: Option<i64>,
}

/// The library generation a session of `email` reads (the view `session_generations`).
fn library_generation(w: &World, email: &str) -> i64 {
    use diesel::RunQueryDsl;
    let sql = format!(
        "SELECT g.library AS library FROM session_generations g \
         JOIN sessions s ON s.id_hash = g.id_hash JOIN users u ON u.id = s.user_id \
         WHERE u.email = '{email}' ORDER BY s.created_at DESC LIMIT 1"
    );
    db::read(&w.app.pool, |conn| {
        Ok(diesel::sql_query(&sql).get_result::<Library>(conn)?)
    })
    .expect("a session")
    .library
    .expect("an account")
}

/// Every account's library follows the platform's: its publications, and who the platform
/// publisher is (also when it stops being one, so that no cached library keeps its processes).
#[actix_web::test]
async fn every_librarys_generation_follows_the_platform() {
    use diesel::RunQueryDsl;
    let mut w = library_world().await;
    w.app.get("/build/library").await;
    let before = library_generation(&w, "admin@acme.test");
    let (platform, _, _) = platform_world(&w);
    let after_set = library_generation(&w, "admin@acme.test");
    assert!(
        after_set > before,
        "becoming the platform publisher moves it"
    );
    let scopes = |w: &World| -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct Scope {
            #[diesel(sql_type = diesel::sql_types::Text)]
            scope: String,
        }
        db::read(&w.app.pool, |conn| {
            Ok(diesel::sql_query("SELECT scope FROM generations")
                .load::<Scope>(conn)?
                .into_iter()
                .map(|s| s.scope)
                .collect())
        })
        .expect("scopes")
    };
    assert!(scopes(&w).contains(&"l:platform".to_owned()));
    let more = w.app.component(
        &platform,
        "Platform Backup",
        Body::empty(ComponentType::Process),
    );
    w.app.publish(&platform, &more, false);
    let after_publish = library_generation(&w, "admin@acme.test");
    assert!(
        after_publish > after_set,
        "the platform's publications move it"
    );
    platform::clear(&w.app.pool).expect("cleared");
    let after_clear = library_generation(&w, "admin@acme.test");
    assert!(after_clear > after_publish, "clearing moves it too");
    // Another partner's own publications still do not reach Acme's generation.
    let rival = w.app.primary_account("Rival Inc", "boss@rival.test");
    w.app.enable_library(&rival);
    let at = library_generation(&w, "admin@acme.test");
    let theirs = w
        .app
        .component(&rival, "Rival Sync", Body::empty(ComponentType::Process));
    w.app.publish(&rival, &theirs, false);
    assert_eq!(library_generation(&w, "admin@acme.test"), at);
}
