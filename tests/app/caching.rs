//! What an instance keeps in memory (each user's access, each account's library) follows every
//! change committed through any instance on the very next request.

use actix_web::http::StatusCode;
use process_library::db;
use process_library::db::ids::*;
use process_library::domain::accounts::BuiltInRole;
use process_library::domain::build::{Body, ComponentType};
use process_library::services::groups;

use crate::support::{PASSWORD, admin_app, install, library_world, share, shared_with_gold};

fn generation(app: &crate::support::TestApp) -> i64 {
    db::read(&app.pool, db::generations::current).expect("generation")
}

#[actix_web::test]
async fn a_library_change_made_elsewhere_shows_on_the_next_request() {
    let mut w = library_world().await;
    let mut other = w.app.another_instance().await;
    let (_, published) = shared_with_gold(&w, "Orders Sync");
    assert_eq!(
        w.app.get("/build/library").await.texts("article h2"),
        ["Orders Sync"]
    );
    assert_eq!(
        w.app.get("/build/library").await.texts("article h2"),
        ["Orders Sync"],
        "served again, now from memory"
    );

    let before = generation(&w.app);
    groups::remove_resource(
        &w.app.admin(&w.partner),
        &GroupId::from(&w.gold),
        &ProcessId::from(&published),
    )
    .expect("unshared");
    assert!(
        generation(&w.app) > before,
        "the change moved the generation"
    );
    let page = w.app.get("/build/library").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.texts("article h2").is_empty(),
        "no longer shared: gone on the next request"
    );

    share(&w, &w.gold, &published);
    assert_eq!(
        w.app.get("/build/library").await.texts("article h2"),
        ["Orders Sync"]
    );
    other.sign_in("admin@acme.test", PASSWORD).await;
    let installed = install(&mut other, &published, "Orders Sync Copy").await;
    assert_eq!(
        installed.status,
        StatusCode::SEE_OTHER,
        "installed elsewhere"
    );
    assert_eq!(
        w.app.get("/build/library").await.texts(".badge"),
        ["Installed · version 1"],
        "the installation made on the other instance shows here"
    );

    groups::remove_member(
        &w.app.admin(&w.partner),
        &GroupId::from(&w.gold),
        &AccountId::from(&w.acme),
    )
    .expect("member removed");
    assert!(
        w.app
            .get("/build/library")
            .await
            .texts("article h2")
            .is_empty(),
        "an account taken out of the group loses what it shared"
    );
}

#[actix_web::test]
async fn access_taken_away_elsewhere_ends_on_the_next_request() {
    let mut w = library_world().await;
    let mut other = w.app.another_instance().await;
    w.app.set_cookie(None);
    let user = w
        .app
        .user(&w.acme, "buyer@acme.test", BuiltInRole::StandardUser);
    w.app.sign_in("buyer@acme.test", PASSWORD).await;
    assert_eq!(w.app.get("/build").await.status, StatusCode::OK);
    assert_eq!(w.app.get("/build").await.status, StatusCode::OK);

    other.sign_in("admin@acme.test", PASSWORD).await;
    let users = other.get("/settings/users").await;
    assert_eq!(users.status, StatusCode::OK);
    let removed = other
        .post(&format!("/settings/users/{user}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "removed elsewhere");
    let after = w.app.get("/build").await;
    assert_ne!(
        after.status,
        StatusCode::OK,
        "the removed user's cached access is not used"
    );
}

#[actix_web::test]
async fn the_view_page_follows_a_new_version_and_an_unshare() {
    let mut w = library_world().await;
    let (sync, published) = shared_with_gold(&w, "Orders Sync");
    let view = format!("/build/library/{published}");
    let version = |page: &crate::support::Response| page.texts("dl.facts dd")[2].clone();
    assert_eq!(version(&w.app.get(&view).await), "1");
    assert_eq!(
        version(&w.app.get(&view).await),
        "1",
        "served again, now from memory"
    );

    let shapes = |page: &crate::support::Response| page.count("svg.diagram rect");
    assert_eq!(shapes(&w.app.get(&view).await), 1, "the Start shape");

    // Version 2 gets a Stop shape: its diagram is drawn anew.
    use process_library::domain::build::{Shape, ShapeKind};
    use process_library::services::build::components;
    let shape = |kind, label: &str| Shape {
        kind,
        component: None,
        operation: None,
        label: label.to_owned(),
    };
    components::save(
        &w.app.admin(&w.partner),
        &ComponentId::from(&sync),
        components::SaveComponent {
            name: "Orders Sync".to_owned(),
            folder_id: FolderId::from(w.app.root_folder(&w.partner)),
            description: "Orders Sync for tests".to_owned(),
            revision: 2,
            draft: Some(components::BodyDraft {
                body: Body::Process {
                    shapes: vec![
                        shape(ShapeKind::Start, "Start"),
                        shape(ShapeKind::Stop, "Stop"),
                    ],
                },
                secrets: Vec::new(),
            }),
        },
    )
    .expect("a Stop shape added");
    w.app.publish(&w.partner, &sync, false);
    let second = w.app.get(&view).await;
    assert_eq!(
        version(&second),
        "2",
        "a new version shows on the next request"
    );
    assert_eq!(shapes(&second), 2, "with its own diagram");

    groups::remove_resource(
        &w.app.admin(&w.partner),
        &GroupId::from(&w.gold),
        &ProcessId::from(&published),
    )
    .expect("unshared");
    assert_eq!(
        w.app.get(&view).await.status,
        StatusCode::NOT_FOUND,
        "no longer shared: gone on the next request"
    );
}

#[actix_web::test]
async fn the_partners_lists_follow_changes_made_elsewhere() {
    use process_library::services::build::{components, folders};
    let (mut app, partner) = admin_app().await;
    app.enable_library(&partner);
    let admin = app.admin(&partner);
    let sync = app.component(&partner, "Orders Sync", Body::empty(ComponentType::Process));
    let names = |page: &crate::support::Response| page.texts("tbody tr td:first-child a");
    assert_eq!(names(&app.get("/build").await), ["Orders Sync"]);
    assert_eq!(
        names(&app.get("/build").await),
        ["Orders Sync"],
        "served again, now from memory"
    );
    let other = app.component(
        &partner,
        "Accounts Sync",
        Body::empty(ComponentType::Process),
    );
    assert_eq!(
        names(&app.get("/build").await),
        ["Accounts Sync", "Orders Sync"],
        "a new component shows on the next request"
    );
    components::delete(&admin, &ComponentId::from(&other)).expect("deleted");
    assert_eq!(names(&app.get("/build").await), ["Orders Sync"]);
    let root = app.root_folder(&partner);
    let folder = folders::create(&admin, &FolderId::from(&root), "Salesforce").expect("folder");
    assert_eq!(
        app.get("/build").await.texts("ul.tree li > a:first-child"),
        ["Partner Co", "Salesforce"],
        "a new folder shows on the next request"
    );
    folders::rename(&admin, &FolderId::from(&folder), "CRM").expect("renamed");
    assert_eq!(
        app.get("/build").await.texts("ul.tree li > a:first-child"),
        ["Partner Co", "CRM"]
    );

    let statuses = |page: &crate::support::Response| page.texts("ul.packaged .badge");
    assert!(statuses(&app.get("/manage/process-library").await).is_empty());
    app.publish(&partner, &sync, false);
    assert_eq!(
        statuses(&app.get("/manage/process-library").await),
        ["Published · version 1"]
    );
    app.publish(&partner, &sync, false);
    assert_eq!(
        statuses(&app.get("/manage/process-library").await),
        ["Published · version 2"],
        "a new version shows on the next request"
    );
}

#[actix_web::test]
async fn an_account_group_page_follows_changes_made_elsewhere() {
    let (mut app, partner) = admin_app().await;
    let admin = app.admin(&partner);
    let acme = app.managed_account(&partner, "Acme Retail", "admin@acme.test");
    let globex = app.managed_account(&partner, "Globex", "admin@globex.test");
    app.user(&partner, "consultant@partner.test", BuiltInRole::Support);
    let gold = groups::create(&admin, "Gold").expect("group");
    let url = format!("/settings/groups/{gold}");
    let members = |page: &crate::support::Response| {
        page.texts("#accounts-heading ~ .table-wrap table tbody td:first-child")
    };
    groups::add_members(
        &admin,
        &GroupId::from(&gold),
        std::slice::from_ref(&AccountId::from(&acme)),
    )
    .expect("added");
    assert_eq!(members(&app.get(&url).await), ["Acme Retail"]);
    assert_eq!(
        members(&app.get(&url).await),
        ["Acme Retail"],
        "served again, now from memory"
    );
    groups::add_members(
        &admin,
        &GroupId::from(&gold),
        std::slice::from_ref(&AccountId::from(&globex)),
    )
    .expect("added");
    assert_eq!(
        members(&app.get(&url).await),
        ["Acme Retail", "Globex"],
        "a new member shows on the next request"
    );
    groups::rename(&admin, &GroupId::from(&gold), "Platinum").expect("renamed");
    assert_eq!(app.get(&url).await.text("h1"), "Platinum");
    groups::add_user(
        &admin,
        &GroupId::from(&gold),
        "consultant@partner.test",
        &RoleId::from(BuiltInRole::Support.id()),
    )
    .expect("user added");
    assert!(
        app.get(&url).await.body.contains("consultant@partner.test"),
        "a new group user shows on the next request"
    );
    let before = generation(&app);
    groups::remove_member(&admin, &GroupId::from(&gold), &AccountId::from(&acme)).expect("removed");
    assert!(generation(&app) > before);
    assert_eq!(members(&app.get(&url).await), ["Globex"]);
}

/// The cached value of an account's library and folder tree (whatever its generation).
fn cached_of(
    app: &crate::support::TestApp,
    account: &str,
) -> (
    std::sync::Arc<
        process_library::services::cache::Tagged<
            process_library::services::browse::model::LibraryModel,
        >,
    >,
    std::sync::Arc<
        process_library::services::cache::Tagged<
            process_library::services::build::folder_tree::FolderTree,
        >,
    >,
) {
    let caches = &app.instance.caches;
    let id = AccountId::from(account);
    (
        caches
            .libraries
            .current(&id, Some(i64::MIN))
            .expect("library cached"),
        caches
            .folders
            .current(&id, Some(i64::MIN))
            .expect("tree cached"),
    )
}

#[actix_web::test]
async fn writes_elsewhere_leave_a_customers_cached_pages_alone() {
    use process_library::services::build::folders;
    let mut w = library_world().await;
    let (_, published) = shared_with_gold(&w, "Orders Sync");
    assert_eq!(w.app.get("/build").await.status, StatusCode::OK);
    assert_eq!(
        w.app.get("/build/library").await.texts("article h2"),
        ["Orders Sync"]
    );
    let (library, tree) = cached_of(&w.app, &w.acme);

    // Another partner builds, publishes, shares and installs; the partner's other customer
    // files a folder and installs the same process: nothing the customer sees changed (install
    // counts may lag by up to a minute).
    crate::support::tenant(&w.app, "Rival Partner", "rival.test", "Rival");
    let globex_root = w.app.root_folder(&w.globex);
    folders::create(
        &w.app.admin(&w.globex),
        &FolderId::from(&globex_root),
        "Elsewhere",
    )
    .expect("folder");
    // The partner's own change (Globex joins Gold) is one the customer sees: built again.
    groups::add_members(
        &w.app.admin(&w.partner),
        &GroupId::from(&w.gold),
        std::slice::from_ref(&AccountId::from(&w.globex)),
    )
    .expect("member");
    w.app.get("/build/library").await;
    let (library_rebuilt, _) = cached_of(&w.app, &w.acme);
    assert!(!std::sync::Arc::ptr_eq(&library, &library_rebuilt));
    let library = library_rebuilt;
    let mut globex = w.app.another_instance().await;
    globex.sign_in("admin@globex.test", PASSWORD).await;
    assert_eq!(
        install(&mut globex, &published, "Orders Sync").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(w.app.get("/build").await.status, StatusCode::OK);
    assert_eq!(
        w.app.get("/build/library").await.texts("article h2"),
        ["Orders Sync"]
    );
    let (library_after, tree_after) = cached_of(&w.app, &w.acme);
    assert!(
        std::sync::Arc::ptr_eq(&library, &library_after),
        "the library was not built again"
    );
    assert!(
        std::sync::Arc::ptr_eq(&tree, &tree_after),
        "the folder tree was not built again"
    );

    // The customer's own new folder moves its tree, not its library.
    let root = w.app.root_folder(&w.acme);
    folders::create(&w.app.admin(&w.acme), &FolderId::from(&root), "Mine").expect("folder");
    assert!(w.app.get("/build").await.text("body").contains("Mine"));
    assert_eq!(
        w.app.get("/build/library").await.texts("article h2"),
        ["Orders Sync"]
    );
    let (library_own, tree_own) = cached_of(&w.app, &w.acme);
    assert!(
        std::sync::Arc::ptr_eq(&library, &library_own),
        "the library stays"
    );
    assert!(
        !std::sync::Arc::ptr_eq(&tree, &tree_own),
        "the tree is built again"
    );

    // The partner's own publication reaches the customer on the next request, with the
    // install counts of now (most installed first).
    shared_with_gold(&w, "Billing Sync");
    assert_eq!(
        w.app.get("/build/library").await.texts("article h2"),
        ["Orders Sync", "Billing Sync"]
    );
    let (library_new, _) = cached_of(&w.app, &w.acme);
    assert!(!std::sync::Arc::ptr_eq(&library, &library_new));
}
