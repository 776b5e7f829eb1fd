//! Integration packs, the partner's side and what a customer finds: the feature and the
//! privilege, create, contents, releases now or on a date (in effect once the date comes, by
//! the instance's clock), sharing through a group, the walls between tenants.

use actix_web::http::StatusCode;
use process_library::domain::build::{Body, ComponentType, Endpoint, HttpMethod};

use crate::support::{PASSWORD, World, library_world, shared_with_gold};

/// Turns integration packs on for the partner.
fn packs_on(w: &World) {
    w.app.execute(&format!(
        "UPDATE accounts SET features = 'process-library integration-packs' WHERE id = '{}'",
        w.partner
    ));
}

async fn as_partner(w: &mut World) {
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    // The session's forms carry its token.
    w.app.get("/manage").await;
}

/// Creates a pack through the form and returns its id.
async fn create_pack(w: &mut World, name: &str, attachment: &str) -> String {
    let done = w
        .app
        .post(
            "/manage/integration-packs/new",
            &[
                ("name", name),
                ("description", "Orders and invoices, kept current."),
                ("attachment", attachment),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    done.location()
        .rsplit('/')
        .next()
        .expect("the pack's id")
        .to_owned()
}

#[actix_web::test]
async fn the_feature_and_the_privilege_open_the_page() {
    let mut w = library_world().await;
    as_partner(&mut w).await;
    assert_eq!(
        w.app.get("/manage/integration-packs").await.status,
        StatusCode::FORBIDDEN,
        "without the feature"
    );
    packs_on(&w);
    let page = w.app.get("/manage/integration-packs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), "Integration Packs");
    assert!(
        w.app
            .get("/manage")
            .await
            .texts("nav[aria-label=Section] a")
            .contains(&"Integration Packs".to_owned())
    );
}

#[actix_web::test]
async fn a_pack_is_created_filled_released_and_shared() {
    let mut w = library_world().await;
    packs_on(&w);
    let (_, orders) = shared_with_gold(&w, "Orders Sync");
    let api = w.app.component(
        &w.partner,
        "Orders API",
        Body::ApiService {
            endpoints: vec![Endpoint {
                process: String::new(),
                path: "/orders".into(),
                method: HttpMethod::Get,
            }],
        },
    );
    let (api_pp, _) = w.app.publish(&w.partner, &api, false);
    as_partner(&mut w).await;

    // Bad input is answered beside its field, and nothing is made.
    let refused = w
        .app
        .post(
            "/manage/integration-packs/new",
            &[("name", ""), ("description", ""), ("attachment", "both")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#f-name-error").contains("Name"));
    assert!(!refused.text("#f-attachment-error").is_empty());
    assert_eq!(w.app.count("integration_packs"), 0);

    let pack = create_pack(&mut w, "Order Pack", "single").await;
    let again = w
        .app
        .post(
            "/manage/integration-packs/new",
            &[
                ("name", "ORDER pack"),
                ("description", ""),
                ("attachment", "single"),
            ],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "names are unique"
    );

    // Nothing to release yet.
    let empty = w
        .app
        .post(
            &format!("/manage/integration-packs/{pack}/release"),
            &[("notes", "First"), ("date", "")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);

    let chooser = w
        .app
        .get(&format!("/manage/integration-packs/{pack}/members/add"))
        .await;
    let offered = chooser.texts("fieldset label");
    assert!(offered.contains(&"Orders Sync".to_owned()), "{offered:?}");
    assert!(
        offered.contains(&"Orders API (API Service)".to_owned()),
        "{offered:?}"
    );
    let added = w
        .app
        .post(
            &format!("/manage/integration-packs/{pack}/members/add"),
            &[("process", orders.as_str()), ("process", api_pp.as_str())],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let page = w
        .app
        .get(&format!("/manage/integration-packs/{pack}"))
        .await;
    assert_eq!(
        page.texts("section[aria-labelledby=contents-heading] tbody td:first-child"),
        ["Orders API", "Orders Sync"]
    );

    // Release 1 now; release 2 on a date: scheduled until the date comes.
    let released = w
        .app
        .post(
            &format!("/manage/integration-packs/{pack}/release"),
            &[("notes", "First release"), ("date", "")],
        )
        .await;
    assert_eq!(released.status, StatusCode::SEE_OTHER);
    let later = (w.app.instance.settings.session.clock.now() + chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let scheduled = w
        .app
        .post(
            &format!("/manage/integration-packs/{pack}/release"),
            &[("notes", "Second"), ("date", later.as_str())],
        )
        .await;
    assert_eq!(scheduled.status, StatusCode::SEE_OTHER);
    let third = w
        .app
        .post(
            &format!("/manage/integration-packs/{pack}/release"),
            &[("notes", "Third"), ("date", "")],
        )
        .await;
    assert_eq!(
        third.status,
        StatusCode::CONFLICT,
        "one release waits at a time"
    );
    let page = w
        .app
        .get(&format!("/manage/integration-packs/{pack}"))
        .await;
    let statuses = page.texts("section[aria-labelledby=releases-heading] tbody td:last-child");
    assert_eq!(statuses, ["Scheduled", "Released"]);
    assert_eq!(
        w.app.count("pack_release_items"),
        4,
        "each release froze both members"
    );

    // Shared with Gold: Acme (in Gold) finds release 1 now, release 2 once its date comes.
    let gold = w.gold.clone();
    let shared = w
        .app
        .post(
            &format!("/settings/groups/{gold}/packs/add"),
            &[("pack", pack.as_str())],
        )
        .await;
    assert_eq!(shared.status, StatusCode::SEE_OTHER);
    let resources = w
        .app
        .get(&format!("/settings/groups/{gold}/resources"))
        .await;
    assert_eq!(
        resources.texts("section[aria-labelledby=packs-heading] tbody td:first-child"),
        ["Order Pack"]
    );
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    let available = w.app.get("/manage/integration-packs").await;
    assert_eq!(available.status, StatusCode::OK);
    let row = "section[aria-labelledby=available-heading] tbody tr";
    assert_eq!(
        available.texts(&format!("{row} td:first-child")),
        ["Order Pack"]
    );
    assert_eq!(available.text(&format!("{row} td:nth-child(4)")), "1");
    w.app
        .instance
        .settings
        .session
        .clock
        .advance(std::time::Duration::from_secs(4 * 24 * 3600));
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    let later = w.app.get("/manage/integration-packs").await;
    assert_eq!(
        later.text(&format!("{row} td:nth-child(4)")),
        "2",
        "in effect on its date"
    );
    // Globex is not in Gold: nothing for it.
    w.app.set_cookie(None);
    w.app.sign_in("admin@globex.test", PASSWORD).await;
    let none = w.app.get("/manage/integration-packs").await;
    assert_eq!(none.count(row), 0);
    assert_eq!(
        w.app
            .count("audit_events WHERE action IN ('pack.create', 'pack.members_add', 'pack.release', 'group.packs_add')"),
        5
    );
}

#[actix_web::test]
async fn another_partners_pack_and_processes_stay_out_of_reach() {
    let mut w = library_world().await;
    packs_on(&w);
    as_partner(&mut w).await;
    let pack = create_pack(&mut w, "Order Pack", "multiple").await;
    let rival = w.app.primary_account("Rival Inc", "boss@rival.test");
    w.app.execute(&format!(
        "UPDATE accounts SET features = 'process-library integration-packs' WHERE id = '{rival}'"
    ));
    w.app.enable_library(&rival);
    w.app.execute(&format!(
        "UPDATE accounts SET features = 'process-library integration-packs' WHERE id = '{rival}'"
    ));
    let theirs = w
        .app
        .component(&rival, "Rival Sync", Body::empty(ComponentType::Process));
    let (theirs_pp, _) = w.app.publish(&rival, &theirs, false);
    // The partner cannot add another partner's process to its pack.
    let refused = w
        .app
        .post(
            &format!("/manage/integration-packs/{pack}/members/add"),
            &[("process", theirs_pp.as_str())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.app.count("pack_members"), 0);
    // Nor share another partner's pack through its own group.
    let rival_pack = process_library::services::packs::create(
        &w.app.admin(&rival),
        &process_library::services::packs::PackInput {
            name: "Rival Pack".into(),
            description: String::new(),
            attachment: "single".into(),
        },
    )
    .expect("the rival's pack");
    let gold = w.gold.clone();
    let foreign = w
        .app
        .post(
            &format!("/settings/groups/{gold}/packs/add"),
            &[("pack", rival_pack.as_str())],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.app.count("group_packs"), 0);
    // The rival sees none of the partner's pack.
    w.app.set_cookie(None);
    w.app.sign_in("boss@rival.test", PASSWORD).await;
    w.app.get("/manage").await;
    for path in [
        format!("/manage/integration-packs/{pack}"),
        format!("/manage/integration-packs/{pack}/members/add"),
        format!("/manage/integration-packs/{pack}/release"),
    ] {
        assert_eq!(
            w.app.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let gold = w.gold.clone();
    assert_eq!(
        w.app
            .post(
                &format!("/settings/groups/{gold}/packs/add"),
                &[("pack", pack.as_str())]
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.app.count("group_packs"), 0);
}

/// The partner's pack "Order Pack" (`attachment`) holding a new process, released and shared
/// with Gold (Acme's group); returns (pack id, published process id).
async fn released_pack(w: &mut World, attachment: &str) -> (String, String) {
    packs_on(w);
    let (_, orders) = shared_with_gold(w, "Orders Sync");
    let pack = pack_of(w, attachment, &orders).await;
    (pack, orders)
}

/// The partner's pack "Order Pack" (`attachment`) holding the published process `orders`,
/// released and shared with Gold (Acme's group), made through the pages; returns its id.
async fn pack_of(w: &mut World, attachment: &str, orders: &str) -> String {
    as_partner(w).await;
    let pack = create_pack(w, "Order Pack", attachment).await;
    w.app
        .post(
            &format!("/manage/integration-packs/{pack}/members/add"),
            &[("process", orders)],
        )
        .await;
    w.app
        .post(
            &format!("/manage/integration-packs/{pack}/release"),
            &[("notes", "First"), ("date", "")],
        )
        .await;
    let gold = w.gold.clone();
    w.app
        .post(
            &format!("/settings/groups/{gold}/packs/add"),
            &[("pack", pack.as_str())],
        )
        .await;
    pack
}

/// Turns packs on and publishes the partner's "Orders Sync", which calls its connection
/// "Orders Endpoint": (connection, process, published process).
fn connected_process(w: &mut World) -> (String, String, String) {
    packs_on(w);
    let connection = w
        .app
        .component(&w.partner, "Orders Endpoint", crate::support::connection());
    let process = w.app.component(
        &w.partner,
        "Orders Sync",
        crate::support::connector_process(&connection),
    );
    let (orders, _) = w.app.publish(&w.partner, &process, false);
    (connection, process, orders)
}

#[actix_web::test]
async fn a_customer_installs_a_single_attachment_pack_once_and_its_components_stay_read_only() {
    let mut w = library_world().await;
    let (pack, _) = released_pack(&mut w, "single").await;
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    let form = w
        .app
        .get(&format!("/manage/integration-packs/{pack}/install"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(
        form.count("#f-instance_name"),
        0,
        "no name for a Single attachment pack"
    );
    let done = w
        .app
        .post(&format!("/manage/integration-packs/{pack}/install"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let instance = w.app.get(&done.location()).await;
    assert_eq!(instance.text("h1"), "Order Pack");
    let copy = instance
        .attr("tbody a", "href")
        .expect("the installed process");
    assert_eq!(
        w.app.count("folders WHERE name = 'Order Pack'"),
        1,
        "a folder named after the pack"
    );
    let again = w
        .app
        .post(&format!("/manage/integration-packs/{pack}/install"), &[])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "installed once");
    assert_eq!(w.app.count("pack_instances"), 1);
    let listed = w.app.get("/manage/integration-packs").await;
    assert_eq!(
        listed.texts("section[aria-labelledby=installed-heading] tbody td:first-child"),
        ["Order Pack"]
    );

    // Read-only: saving, deleting and updating answer 409 and change nothing.
    let component = copy.rsplit('/').next().expect("id").to_owned();
    let page = w.app.get(&copy).await;
    assert_eq!(page.status, StatusCode::OK);
    let revision_before = w.app.count(&format!(
        "component_revisions WHERE component_id = '{component}'"
    ));
    let saved = w
        .app
        .post(
            &copy,
            &[
                ("name", "Mine Now"),
                ("folder", ""),
                ("description", "changed"),
                ("revision", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::CONFLICT, "{}", saved.status);
    assert!(
        saved
            .text("main")
            .contains("part of integration pack Order Pack")
    );
    let deleted = w.app.post(&format!("{copy}/delete"), &[]).await;
    assert_eq!(deleted.status, StatusCode::CONFLICT);
    assert_eq!(
        w.app.count(&format!(
            "component_revisions WHERE component_id = '{component}'"
        )),
        revision_before
    );
    assert_eq!(
        w.app.count(&format!(
            "components WHERE id = '{component}' AND deleted_at IS NULL"
        )),
        1
    );

    // Another customer of the partner, outside Gold, reaches none of it.
    w.app.set_cookie(None);
    w.app.sign_in("admin@globex.test", PASSWORD).await;
    assert_eq!(
        w.app
            .get(&format!("/manage/integration-packs/{pack}/install"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app.get(&done.location()).await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn a_multiple_attachment_pack_installs_as_named_instances() {
    let mut w = library_world().await;
    let (pack, _) = released_pack(&mut w, "multiple").await;
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    w.app.get("/manage/integration-packs").await;
    let unnamed = w
        .app
        .post(
            &format!("/manage/integration-packs/{pack}/install"),
            &[("instance_name", " ")],
        )
        .await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    for name in ["East Stores", "West Stores"] {
        let done = w
            .app
            .post(
                &format!("/manage/integration-packs/{pack}/install"),
                &[("instance_name", name)],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{name}");
    }
    let twice = w
        .app
        .post(
            &format!("/manage/integration-packs/{pack}/install"),
            &[("instance_name", "east STORES")],
        )
        .await;
    assert_eq!(
        twice.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "names are unique"
    );
    assert_eq!(w.app.count("pack_instances"), 2);
    assert_eq!(
        w.app
            .count("installations WHERE pack_instance_id IS NOT NULL"),
        2
    );
}

/// Two installs of a Single attachment pack at the same moment make one instance: the other
/// is refused (409), on both backends.
#[actix_web::test]
async fn two_concurrent_installs_of_a_single_attachment_pack_make_one_instance() {
    let mut w = library_world().await;
    let (pack, _) = released_pack(&mut w, "single").await;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let ctx = w.app.admin(&w.acme);
            let (pack, barrier) = (pack.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                process_library::services::pack_instances::install(
                    &ctx,
                    &process_library::db::ids::PackId::from(pack),
                    "",
                )
            })
        })
        .collect();
    let results: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().expect("the install ran"))
        .collect();
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(process_library::error::AppError::Conflict(_)))),
        "{results:?}"
    );
    assert_eq!(w.app.count("pack_instances"), 1);
    assert_eq!(
        w.app.count("installations"),
        1,
        "nothing half-made by the refused one"
    );
}

/// A release updates every installed instance in place on its date, through the background
/// worker, each instance in its own transaction; the instance's extensions stay, even where
/// the release changed the same field and brings passwords.
#[actix_web::test]
async fn a_release_updates_each_instance_and_its_extensions_stay() {
    use process_library::services::jobs;
    let mut w = library_world().await;
    let (connection, process, orders) = connected_process(&mut w);
    let pack = pack_of(&mut w, "single", &orders).await;

    assert_eq!(
        jobs::work(&w.app.instance, "test-worker", 100).expect("the worker"),
        1,
        "release 1 has no instance to update yet"
    );
    // Acme installs release 1 and sets its extensions.
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    w.app.get("/manage/integration-packs").await;
    let done = w
        .app
        .post(&format!("/manage/integration-packs/{pack}/install"), &[])
        .await;
    let instance_page = done.location();
    let instance = instance_page.rsplit('/').next().expect("id").to_owned();
    w.app.forbid("acme-endpoint-secret");
    let form = w.app.get(&format!("{instance_page}/extensions")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.texts("fieldset legend"), ["Orders Endpoint"]);
    let url_field = form.attr("fieldset input[type=text]", "name").expect("URL");
    let password_field = form
        .attr("fieldset input[type=password]", "name")
        .expect("Password");
    let saved = w
        .app
        .post(
            &format!("{instance_page}/extensions"),
            &[
                (url_field.as_str(), "https://acme.example/orders"),
                (password_field.as_str(), "acme-endpoint-secret"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let bad = w
        .app
        .post(
            &format!("{instance_page}/extensions"),
            &[(
                url_field.as_str(),
                "https://x.example/".repeat(200).as_str(),
            )],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The partner changes the endpoint's URL and the process, and releases 2 with passwords.
    w.app.execute(&format!(
        "UPDATE components SET body = REPLACE(body, 'https://login.example.com', 'https://v2.example.com'), \
         revision = revision + 1 WHERE id = '{connection}'"
    ));
    w.app.execute(&format!(
        "UPDATE components SET description = 'Now with retries', revision = revision + 1 \
         WHERE id = '{process}'"
    ));
    w.app.publish(&w.partner, &process, true);
    as_partner(&mut w).await;
    let released = w
        .app
        .post(
            &format!("/manage/integration-packs/{pack}/release"),
            &[("notes", "Retries"), ("date", "")],
        )
        .await;
    assert_eq!(released.status, StatusCode::SEE_OTHER);
    let did = jobs::work(&w.app.instance, "test-worker", 100).expect("the worker");
    assert_eq!(
        did, 2,
        "the instances are found, then the one instance updated"
    );

    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    let page = w.app.get(&instance_page).await;
    assert!(
        page.text("dl.facts").contains("Release 2"),
        "{}",
        page.text("dl.facts")
    );
    let copies = w.app.count(&format!(
        "components WHERE description = 'Now with retries' AND account_id = '{}'",
        w.acme
    ));
    assert_eq!(copies, 1, "the release's change reached the copy");
    let extension = w.app.count(&format!(
        "components WHERE account_id = '{}' AND body LIKE '%https://acme.example/orders%'",
        w.acme
    ));
    assert_eq!(extension, 1, "the extension stays");
    let form = w.app.get(&format!("{instance_page}/extensions")).await;
    assert!(
        form.text("fieldset").contains("Set. Type a new one"),
        "the password stays"
    );
    assert_eq!(w.app.count("audit_events WHERE action = 'pack.update'"), 1);
    // Running the worker again changes nothing.
    assert_eq!(
        jobs::work(&w.app.instance, "test-worker", 100).expect("again"),
        0
    );
    let _ = instance;
}

/// A release on a date waits for it: the worker leaves it until the instance's clock passes
/// the date, then updates the instances.
#[actix_web::test]
async fn a_scheduled_release_takes_effect_on_its_date_without_anyone_visiting() {
    use process_library::services::jobs;
    let mut w = library_world().await;
    let (pack, _) = released_pack(&mut w, "single").await;
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    w.app.get("/manage/integration-packs").await;
    w.app
        .post(&format!("/manage/integration-packs/{pack}/install"), &[])
        .await;
    assert_eq!(
        jobs::work(&w.app.instance, "w", 100).expect("work"),
        1,
        "release 1's job finds no instance behind it"
    );
    as_partner(&mut w).await;
    let date = (w.app.instance.settings.session.clock.now() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    w.app
        .post(
            &format!("/manage/integration-packs/{pack}/release"),
            &[("notes", "Later"), ("date", date.as_str())],
        )
        .await;
    assert_eq!(
        jobs::work(&w.app.instance, "w", 100).expect("work"),
        0,
        "not yet"
    );
    // The pack's page links each release to the job that brings it to the instances.
    let page = w
        .app
        .get(&format!("/manage/integration-packs/{pack}"))
        .await;
    assert_eq!(
        page.texts("section[aria-labelledby=releases-heading] tbody td:nth-child(4)"),
        [
            "Waiting · View updates of release 2",
            "Done · View updates of release 1"
        ]
    );
    let job = page
        .attr(
            "section[aria-labelledby=releases-heading] tbody tr:first-child a",
            "href",
        )
        .expect("the job of release 2");
    let waiting = w.app.get(&job).await;
    assert_eq!(waiting.text("h1"), "Release 2 of Order Pack");
    assert!(
        waiting
            .text("main")
            .contains("Waiting for its release date")
    );
    w.app
        .instance
        .settings
        .session
        .clock
        .advance(std::time::Duration::from_secs(3 * 24 * 3600));
    assert_eq!(
        jobs::work(&w.app.instance, "w", 100).expect("work"),
        2,
        "on its date"
    );
    // Three days on, the session has lapsed: the partner signs in again.
    as_partner(&mut w).await;
    let done = w.app.get(&job).await;
    assert_eq!(
        done.texts("tbody td:nth-child(2)"),
        ["Updated"],
        "{}",
        done.text("main")
    );
    assert!(
        done.text("main").contains("1 updated"),
        "{}",
        done.text("main")
    );
    // Another partner's administrator finds no such job.
    let other = w.app.primary_account("Other Partner", "eve@other.test");
    w.app.enable_library(&other);
    w.app.set_cookie(None);
    w.app.sign_in("eve@other.test", PASSWORD).await;
    assert_eq!(w.app.get(&job).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.app.count(
            "pack_instances i JOIN pack_releases r ON r.id = i.release_id WHERE r.sequence = 2"
        ),
        1
    );
}

/// Uninstall asks first, is refused while the account's own components use the instance's,
/// then removes its components (secrets blanked), installations and instance; the pack can
/// be installed again.
#[actix_web::test]
async fn uninstall_removes_the_instance_unless_the_account_still_uses_it() {
    let mut w = library_world().await;
    let (_, _, orders) = connected_process(&mut w);
    let pack = pack_of(&mut w, "single", &orders).await;
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    w.app.get("/manage/integration-packs").await;
    let instance_page = w
        .app
        .post(&format!("/manage/integration-packs/{pack}/install"), &[])
        .await
        .location();
    let form = w.app.get(&format!("{instance_page}/extensions")).await;
    let password_field = form
        .attr("fieldset input[type=password]", "name")
        .expect("Password");
    w.app
        .post(
            &format!("{instance_page}/extensions"),
            &[(password_field.as_str(), "acme-uninstall-secret")],
        )
        .await;
    let copy = password_field.trim_start_matches("password:").to_owned();
    let own = w.app.component(
        &w.acme,
        "Acme Own Flow",
        crate::support::connector_process(&copy),
    );

    let confirm = w.app.get(&format!("{instance_page}/uninstall")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.text("h1").starts_with("Remove"));
    assert_eq!(
        w.app.count("pack_instances"),
        1,
        "nothing changes before the button"
    );
    let refused = w.app.post(&format!("{instance_page}/uninstall"), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.text("main").contains("Acme Own Flow"));
    assert_eq!(w.app.count("pack_instances"), 1);

    w.app.execute(&format!(
        "UPDATE components SET deleted_at = created_at WHERE id = '{own}'"
    ));
    let done = w.app.post(&format!("{instance_page}/uninstall"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(w.app.count("pack_instances"), 0);
    assert_eq!(w.app.count("installations"), 0);
    assert_eq!(
        w.app.count(&format!(
            "components WHERE id = '{copy}' AND deleted_at IS NOT NULL AND body NOT LIKE '%\"password\":\"%'"
        )),
        1,
        "the copy is gone and its password with it"
    );
    let again = w
        .app
        .post(&format!("/manage/integration-packs/{pack}/install"), &[])
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "installable again");
}

/// Removing a member asks first and changes only later releases.
#[actix_web::test]
async fn removing_a_member_changes_only_later_releases() {
    let mut w = library_world().await;
    let (pack, orders) = released_pack(&mut w, "single").await;
    let (_, invoices) = shared_with_gold(&w, "Invoice Sync");
    as_partner(&mut w).await;
    w.app
        .post(
            &format!("/manage/integration-packs/{pack}/members/add"),
            &[("process", invoices.as_str())],
        )
        .await;
    let remove = format!("/manage/integration-packs/{pack}/members/{orders}/remove");
    let confirm = w.app.get(&remove).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.text("h1").starts_with("Remove Orders Sync"));
    assert_eq!(
        w.app.count("pack_members"),
        2,
        "nothing changes before the button"
    );
    let done = w.app.post(&remove, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(w.app.count("pack_members"), 1);
    assert_eq!(
        w.app.get(&remove).await.status,
        StatusCode::NOT_FOUND,
        "no longer a member"
    );
    w.app
        .post(
            &format!("/manage/integration-packs/{pack}/release"),
            &[("notes", "Second"), ("date", "")],
        )
        .await;
    assert_eq!(
        w.app.count(
            "pack_release_items i JOIN pack_releases r ON r.id = i.release_id WHERE r.sequence = 1"
        ),
        1,
        "release 1 keeps what it froze"
    );
    assert_eq!(
        w.app.count(&format!(
            "pack_release_items i JOIN pack_releases r ON r.id = i.release_id \
             WHERE r.sequence = 2 AND i.published_process_id = '{invoices}'"
        )),
        1
    );
    assert_eq!(
        w.app.count(
            "pack_release_items i JOIN pack_releases r ON r.id = i.release_id WHERE r.sequence = 2"
        ),
        1,
        "release 2 leaves the removed member out"
    );
}

/// Deleting a pack asks first; the pack leaves the partner's list and every group, the
/// customer can no longer install it, its instance stays at its release, and the name is free.
#[actix_web::test]
async fn deleting_a_pack_leaves_installed_instances_as_they_are() {
    let mut w = library_world().await;
    let (pack, _) = released_pack(&mut w, "single").await;
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    w.app.get("/manage/integration-packs").await;
    let installed = w
        .app
        .post(&format!("/manage/integration-packs/{pack}/install"), &[])
        .await;
    assert_eq!(installed.status, StatusCode::SEE_OTHER);
    let instance = installed.location();

    as_partner(&mut w).await;
    let delete = format!("/manage/integration-packs/{pack}/delete");
    let confirm = w.app.get(&delete).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert_eq!(confirm.text("h1"), "Delete Order Pack");
    assert!(
        confirm.text("main").contains("1 instance installed"),
        "{}",
        confirm.text("main")
    );
    assert_eq!(w.app.count("group_packs"), 1, "nothing before the button");
    let done = w.app.post(&delete, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app
            .get(&format!("/manage/integration-packs/{pack}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let listed = w.app.get("/manage/integration-packs").await;
    assert!(
        listed.text("[role=status]").contains("Order Pack deleted."),
        "{}",
        listed.text("main")
    );
    assert!(!listed.text("tbody").contains("Order Pack"));
    assert_eq!(w.app.count("group_packs"), 0);
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'pack.delete' AND summary LIKE '%Order Pack%'"),
        1
    );
    // The name is free again.
    create_pack(&mut w, "Order Pack", "single").await;

    // Acme keeps its instance at release 1; nothing of the deleted pack is offered.
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    let page = w.app.get(&instance).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text("dl.facts").contains('1'),
        "{}",
        page.text("dl.facts")
    );
    let listed = w.app.get("/manage/integration-packs").await;
    assert_eq!(
        listed.texts("section[aria-labelledby=installed-heading] tbody td:first-child"),
        ["Order Pack"]
    );
    assert!(
        !listed
            .text("section[aria-labelledby=available-heading]")
            .contains("Order Pack"),
        "{}",
        listed.text("section[aria-labelledby=available-heading]")
    );
    assert_eq!(
        w.app
            .get(&format!("/manage/integration-packs/{pack}/install"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
