//! The data generation covers every table a cache reads: each table of the database is either
//! tracked (its triggers move the generation, on both backends) or listed as untracked with
//! its reason, and a committed change to any tracked table moves the counter.

use diesel::QueryableByName;
use diesel::prelude::*;
use process_library::db;
use process_library::db::generations::{TRACKED, UNTRACKED};
use process_library::db::ids::*;
use process_library::domain::accounts::BuiltInRole;
use process_library::services::groups;

use crate::support::{TestApp, install, library_world, shared_with_gold};

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

fn names(app: &TestApp, sql: &str) -> Vec<String> {
    db::read(&app.pool, |conn| {
        Ok(diesel::sql_query(sql)
            .load::<Name>(conn)?
            .into_iter()
            .map(|n| n.name)
            .collect())
    })
    .expect("catalog")
}

/// The application's tables (SQLite's search index counts once, with its own tables).
fn tables(app: &TestApp) -> Vec<String> {
    let sql = if app.is_postgres() {
        "SELECT table_name AS name FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    };
    let mut found: Vec<String> = names(app, sql)
        .into_iter()
        .filter(|t| t != "__diesel_schema_migrations" && !t.starts_with("component_names_"))
        .collect();
    found.sort();
    found
}

/// The triggers that move the generation on a table.
fn generation_triggers(app: &TestApp, table: &str) -> Vec<String> {
    let sql = if app.is_postgres() {
        format!(
            "SELECT t.tgname AS name FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid \
             WHERE t.tgrelid = '{table}'::regclass AND p.proname = 'bump_generation' \
             AND t.tgdeferrable AND t.tginitdeferred"
        )
    } else {
        format!(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{table}' \
             AND sql LIKE '%UPDATE generations%'"
        )
    };
    names(app, &sql)
}

fn generation(app: &TestApp) -> i64 {
    db::read(&app.pool, db::generations::current).expect("generation")
}

#[actix_web::test]
async fn every_table_is_tracked_or_says_why_not_and_tracked_changes_move_the_generation() {
    let mut w = library_world().await;
    let (_, published) = shared_with_gold(&w, "Orders Sync");
    groups::add_user(
        &w.app.admin(&w.partner),
        &GroupId::from(&w.gold),
        "ada@partner.test",
        &RoleId::from(BuiltInRole::Administrator.id()),
    )
    .expect("group user");
    install(&mut w.app, &published, "Orders Sync").await;
    let app = &w.app;

    let untracked: Vec<&str> = UNTRACKED.iter().map(|(t, _)| *t).collect();
    for table in tables(app) {
        let listed = usize::from(TRACKED.contains(&table.as_str()))
            + usize::from(untracked.contains(&table.as_str()));
        assert_eq!(
            listed, 1,
            "{table} must be in exactly one of db::generations::TRACKED and UNTRACKED"
        );
    }
    for (table, reason) in UNTRACKED {
        assert!(!reason.is_empty(), "{table} says why it is untracked");
    }

    for table in TRACKED {
        let triggers = generation_triggers(app, table);
        let expected = if app.is_postgres() { 1 } else { 3 };
        assert_eq!(
            triggers.len(),
            expected,
            "{table}: the generation triggers found are {triggers:?}"
        );
        assert!(app.count(table) > 0, "{table} has a row to change");
        // A column every row of the table has, set to itself: an update all the same.
        let column = match *table {
            "user_roles" => "role_id",
            "publisher_profiles" => "publisher_name",
            "group_members" | "group_users" | "group_resources" => "group_id",
            _ => "id",
        };
        let before = generation(app);
        app.execute(&format!("UPDATE {table} SET {column} = {column}"));
        assert!(
            generation(app) > before,
            "a committed change to {table} moves the generation"
        );
    }
}
