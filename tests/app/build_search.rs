//! Build: the page's folder tree and its search of component names, a page at a time.

use process_library::db::ids::*;

use crate::support::{admin_app, connection};

#[actix_web::test]
async fn the_folder_tree_opens_at_the_chosen_folder_and_pages_its_subfolders() {
    use process_library::services::build::folders;
    let (mut app, partner) = admin_app().await;
    let root = app.root_folder(&partner);
    let caller = app.admin(&partner);
    let mut first = String::new();
    for n in 1..=55 {
        let id = folders::create(&caller, &FolderId::from(&root), &format!("Folder {n:02}"))
            .expect("folder");
        if n == 1 {
            first = id.into_string();
        }
    }
    folders::create(&caller, &FolderId::from(&first), "Orders").expect("nested folder");

    let list = app.get("/build").await;
    let shown = list.texts("ul.tree li > a:first-child");
    assert_eq!(shown.len(), 51, "the root and the first 50 subfolders");
    assert_eq!(shown[..3], ["Partner Co", "Folder 01", "Folder 02"]);
    assert!(
        !shown.contains(&"Orders".to_owned()),
        "only the open folder's subfolders"
    );
    let more = list
        .attr("a[href*='folders_after']", "href")
        .expect("a More folders link");
    assert_eq!(list.text("a[href*='folders_after']"), "More folders");
    let rest = app.get(&more.replace("&amp;", "&")).await;
    assert_eq!(
        rest.texts("ul.tree li > a:first-child"),
        [
            "Partner Co",
            "Folder 51",
            "Folder 52",
            "Folder 53",
            "Folder 54",
            "Folder 55"
        ]
    );
    assert!(rest.attr("a[href*='folders_after']", "href").is_none());

    let opened = app.get(&format!("/build?folder={first}")).await;
    assert_eq!(
        opened.texts("ul.tree li > a:first-child"),
        ["Partner Co", "Folder 01", "Orders"]
    );
    assert_eq!(
        opened.text("ul.tree a[aria-current]"),
        "Folder 01",
        "the open folder is marked"
    );
    assert_eq!(
        opened.text(".filter-note"),
        "In folder Partner Co / Folder 01"
    );
    assert_eq!(
        opened.attr("form[role=search] input[name=folder]", "value"),
        Some(first.clone()),
        "a search keeps to the folder"
    );
}

#[actix_web::test]
async fn the_search_finds_any_part_of_a_name_a_page_at_a_time() {
    use process_library::services::build::{components, folders};
    let (mut app, partner) = admin_app().await;
    let caller = app.admin(&partner);
    let root = app.root_folder(&partner);
    let mut first = String::new();
    for n in 1..=60 {
        let id = app.component(&partner, &format!("Orders Map {n:02}"), connection());
        if n == 1 {
            first = id;
        }
    }
    let quoted = app.component(&partner, "Say \"hi\" Map", connection());
    let nested = folders::create(&caller, &FolderId::from(&root), "Nested").expect("folder");
    let rival = app.primary_account("Rival Inc", "boss@rival.test");
    app.component(&rival, "Orders Map 99", connection());
    let names = |page: &crate::support::Response| page.texts("tbody tr td:first-child a");
    let next = |page: &crate::support::Response| {
        page.attr("a[rel=next]", "href")
            .map(|h| h.replace("&amp;", "&"))
    };

    let page = app.get("/build?q=map+0").await;
    assert_eq!(
        names(&page),
        (1..=9)
            .map(|n| format!("Orders Map {n:02}"))
            .collect::<Vec<_>>(),
        "any part of a name, only the account's own"
    );
    let page = app.get("/build?q=DERS+MAP").await;
    assert_eq!(names(&page).len(), 50);
    assert_eq!(names(&page)[49], "Orders Map 50");
    let rest = app.get(&next(&page).expect("a next page")).await;
    assert_eq!(
        names(&rest),
        (51..=60)
            .map(|n| format!("Orders Map {n:02}"))
            .collect::<Vec<_>>()
    );
    assert!(next(&rest).is_none());
    assert_eq!(
        names(&app.get("/build?q=y+%22hi%22").await),
        ["Say \"hi\" Map"]
    );
    // How the pages above were found: a common text among the first components by name, one
    // found there a few times by reading on in name order, a rare one through the trigram index
    // (SQLite makes the page there, PostgreSQL names the candidates), a short one by reading
    // in name order.
    let found = |text: &str| {
        use process_library::db::name_search::{Found, search};
        use process_library::db::{self, build::ComponentFilter};
        let filter = ComponentFilter {
            name_contains: Some(text.to_owned()),
            ..ComponentFilter::default()
        };
        let sqlite = db::read(&app.pool, |conn| {
            Ok(matches!(conn, db::DbConnection::Sqlite(_)))
        })
        .expect("read");
        let how = db::read(&app.pool, |conn| {
            Ok(match search(conn, &partner, &filter, 51)? {
                Found::Page(page) => format!("a page of {}", page.len()),
                Found::Among(ids) => format!("among {}", ids.len()),
                Found::Unknown => "unknown".to_owned(),
            })
        })
        .expect("search");
        (sqlite, how)
    };
    assert_eq!(found("ders map").1, "a page of 51");
    assert_eq!(found("map 0").1, "unknown");
    match found("map 07") {
        (true, how) => assert_eq!(how, "a page of 1"),
        (false, how) => assert_eq!(how, "among 1"),
    }
    assert_eq!(found("ap").1, "unknown");
    // The index is asked with sequential scans off on PostgreSQL, for that statement only, even
    // inside a larger transaction.
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }
    let after_search = process_library::db::write(&app.pool, |conn| {
        use diesel::RunQueryDsl;
        let filter = process_library::db::build::ComponentFilter {
            name_contains: Some("map 07".to_owned()),
            ..Default::default()
        };
        process_library::db::name_search::search(conn, &partner, &filter, 51)?;
        Ok(match conn {
            process_library::db::DbConnection::Postgresql(pg) => Some(
                diesel::sql_query("SELECT current_setting('enable_seqscan') AS value")
                    .get_result::<Setting>(pg)?
                    .value,
            ),
            process_library::db::DbConnection::Sqlite(_) => None,
        })
    })
    .expect("search in a transaction");
    assert!(
        after_search.as_deref().is_none_or(|v| v == "on"),
        "{after_search:?}"
    );
    assert_eq!(
        names(&app.get("/build?q=ap").await).len(),
        50,
        "a text too short for the index is still found"
    );

    let root_name = app.admin(&partner);
    components::save(
        &root_name,
        &ComponentId::from(&first),
        components::SaveComponent {
            name: "Refunds Ledger".to_owned(),
            folder_id: nested.clone(),
            description: String::new(),
            revision: 2,
            draft: None,
        },
    )
    .expect("renamed and moved");
    assert_eq!(
        names(&app.get("/build?q=ledger").await),
        ["Refunds Ledger"],
        "a renamed component is found by its new name"
    );
    assert_eq!(
        names(&app.get("/build?q=map+0").await).len(),
        8,
        "and no longer by its old one"
    );
    assert_eq!(
        names(&app.get(&format!("/build?q=ledger&folder={nested}")).await),
        ["Refunds Ledger"]
    );
    assert!(
        names(&app.get(&format!("/build?q=map&folder={nested}")).await).is_empty(),
        "the search keeps to the folder"
    );
    components::delete(&caller, &ComponentId::from(&quoted)).expect("deleted");
    assert!(names(&app.get("/build?q=y+%22hi%22").await).is_empty());
}

#[actix_web::test]
async fn a_component_removed_from_the_database_leaves_the_search_too() {
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
    use process_library::db::{self, schema};
    let (mut app, partner) = admin_app().await;
    let gone = app.component(&partner, "Alpha Ledger", connection());
    app.component(&partner, "Beta Ledger", connection());
    let names = |page: &crate::support::Response| page.texts("tbody tr td:first-child a");
    assert_eq!(
        names(&app.get("/build?q=ledger").await),
        ["Alpha Ledger", "Beta Ledger"]
    );
    // The product only ever marks components deleted; a removal by hand (maintenance) must
    // still leave the trigram index of names consistent.
    db::write(&app.pool, |conn| {
        diesel::delete(
            schema::component_revisions::table
                .filter(schema::component_revisions::component_id.eq(&gone)),
        )
        .execute(conn)?;
        diesel::delete(
            schema::component_refs::table.filter(schema::component_refs::from_id.eq(&gone)),
        )
        .execute(conn)?;
        diesel::delete(schema::components::table.find(&gone)).execute(conn)?;
        Ok(())
    })
    .expect("removed");
    assert_eq!(names(&app.get("/build?q=ledger").await), ["Beta Ledger"]);
    if !app.is_postgres() {
        assert_eq!(
            app.count("component_search_rows"),
            app.count("components"),
            "one row number per component, none left behind"
        );
    }
}

/// The Build list pages both ways: the page before a page is exactly the page that led to it,
/// with and without a search, and the first page has no page before it.
#[actix_web::test]
async fn the_component_list_pages_back_to_where_it_came_from() {
    let (mut app, partner) = admin_app().await;
    for n in 1..=120 {
        app.component(&partner, &format!("Orders Map {n:03}"), connection());
    }
    let names = |page: &crate::support::Response| page.texts("tbody tr td:first-child a");
    let link = |page: &crate::support::Response, rel: &str| {
        page.attr(&format!("a[rel={rel}]"), "href")
            .map(|h| h.replace("&amp;", "&"))
    };
    for start in ["/build", "/build?q=map"] {
        let first = app.get(start).await;
        assert_eq!(names(&first).len(), 50, "{start}");
        assert!(
            link(&first, "prev").is_none(),
            "{start}: nothing before page 1"
        );
        let second = app.get(&link(&first, "next").expect("page 2")).await;
        let third = app.get(&link(&second, "next").expect("page 3")).await;
        assert_eq!(names(&third).len(), 120 - 100, "{start}");
        assert!(link(&third, "next").is_none(), "{start}");
        let back_to_second = app.get(&link(&third, "prev").expect("before page 3")).await;
        assert_eq!(names(&back_to_second), names(&second), "{start}");
        assert_eq!(
            link(&back_to_second, "next"),
            link(&second, "next"),
            "{start}: forward again from the page read back"
        );
        let back_to_first = app
            .get(&link(&back_to_second, "prev").expect("before page 2"))
            .await;
        assert_eq!(names(&back_to_first), names(&first), "{start}");
        assert!(
            link(&back_to_first, "prev").is_none(),
            "{start}: the first page read back knows it is first"
        );
    }
}
