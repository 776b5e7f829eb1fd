//! The data generations cover every table a cache reads: each table of the database is either
//! tracked (its triggers move generations, on both backends) or listed as untracked with its
//! reason, and a committed change to one row of a tracked table moves exactly the scopes it is
//! declared to move, for that row's family, account or user, and nothing of another family.

use diesel::QueryableByName;
use diesel::prelude::*;
use process_library::db;
use process_library::db::generations::{Scope, TRACKED, UNTRACKED};
use process_library::db::ids::*;
use process_library::domain::accounts::{BuiltInRole, Privilege, Privileges};
use process_library::services::accounts::roles::{self, RoleInput};
use process_library::services::groups;

use crate::support::{TestApp, install, library_world, shared_with_gold, tenant};

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

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    key: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    account: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    usr: Option<String>,
}

#[derive(QueryableByName, PartialEq, Debug)]
struct Moved {
    #[diesel(sql_type = diesel::sql_types::Text)]
    scope: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    value: i64,
}

/// Every scope's value, by scope.
fn scopes(app: &TestApp) -> std::collections::BTreeMap<String, i64> {
    db::read(&app.pool, |conn| {
        Ok(diesel::sql_query("SELECT scope, value FROM generations")
            .load::<Moved>(conn)?
            .into_iter()
            .map(|m| (m.scope, m.value))
            .collect())
    })
    .expect("generations")
}

/// The account a row of `table` belongs to, as SQL over the row.
fn account_of(table: &str) -> String {
    match table {
        "accounts" => "accounts.id".to_owned(),
        "group_users" | "group_resources" => {
            format!("(SELECT ag.account_id FROM account_groups ag WHERE ag.id = {table}.group_id)")
        }
        _ => format!("{table}.account_id"),
    }
}

/// One row of `table` in the family of `primary`: its key (row id or ctid), its account and
/// its user if it has one.
fn row_of_family(app: &TestApp, table: &str, primary: &str) -> Row {
    let key = if app.is_postgres() {
        "ctid::text"
    } else {
        "CAST(rowid AS TEXT)"
    };
    let account = account_of(table);
    let user = if matches!(table, "user_roles" | "group_users") {
        "user_id"
    } else {
        "CAST(NULL AS TEXT)"
    };
    let sql = format!(
        "SELECT {key} AS key, {account} AS account, {user} AS usr FROM {table} \
         WHERE (SELECT COALESCE(a.parent_id, a.id) FROM accounts a WHERE a.id = {account}) \
         = '{primary}' LIMIT 1"
    );
    db::read(&app.pool, |conn| {
        Ok(diesel::sql_query(&sql).get_result::<Row>(conn)?)
    })
    .unwrap_or_else(|e| panic!("{table} has a row in the family: {e:?}"))
}

#[actix_web::test]
async fn every_table_is_tracked_or_says_why_not_and_a_change_moves_exactly_its_scopes() {
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
    roles::create(
        &w.app.admin(&w.partner),
        &RoleInput {
            name: "Auditor".to_owned(),
            privileges: Privileges::of(&[Privilege::ViewAuditLogs]),
        },
    )
    .expect("role");
    // Another family with a row in every table: none of its scopes may move.
    tenant(&w.app, "Rival Partner", "rival.test", "Rival");
    let app = &w.app;

    let untracked: Vec<&str> = UNTRACKED.iter().map(|(t, _)| *t).collect();
    for table in tables(app) {
        let listed = usize::from(TRACKED.iter().any(|(t, _)| *t == table))
            + usize::from(untracked.contains(&table.as_str()));
        assert_eq!(
            listed, 1,
            "{table} must be in exactly one of db::generations::TRACKED and UNTRACKED"
        );
    }
    for (table, reason) in UNTRACKED {
        assert!(!reason.is_empty(), "{table} says why it is untracked");
    }

    for (table, moves) in TRACKED {
        let triggers = generation_triggers(app, table);
        let expected = if app.is_postgres() { 1 } else { 3 };
        assert_eq!(
            triggers.len(),
            expected,
            "{table}: the generation triggers found are {triggers:?}"
        );
        // One row of the partner's family, its column set to itself: an update all the same.
        let row = row_of_family(app, table, &w.partner);
        let column = match *table {
            "user_roles" => "role_id",
            "publisher_profiles" => "publisher_name",
            "group_members" | "group_users" | "group_resources" => "group_id",
            _ => "id",
        };
        let target = if app.is_postgres() {
            format!("ctid = '{}'::tid", row.key)
        } else {
            format!("rowid = {}", row.key)
        };
        let before = scopes(app);
        app.execute(&format!(
            "UPDATE {table} SET {column} = {column} WHERE {target}"
        ));
        let after = scopes(app);
        let clock = after["*"];
        assert!(clock > before["*"], "a change to {table} moves the clock");
        let mut moved: Vec<&str> = after
            .iter()
            .filter(|(scope, value)| *scope != "*" && before.get(*scope) != Some(*value))
            .map(|(scope, value)| {
                assert_eq!(*value, clock, "{scope} moves to the clock");
                scope.as_str()
            })
            .collect();
        moved.sort_unstable();
        let family = &w.partner;
        let mut wanted: Vec<String> = moves
            .iter()
            .map(|scope| {
                let of = match scope {
                    Scope::People | Scope::Library => family.clone(),
                    Scope::User => row.usr.clone().expect("a user"),
                    Scope::Installs | Scope::Content => row.account.clone(),
                };
                format!("{}:{of}", scope.prefix())
            })
            .collect();
        wanted.sort_unstable();
        assert_eq!(
            moved, wanted,
            "a change to one row of {table} moves exactly its scopes"
        );
    }

    // A built-in role (no account) moves the scope every user's access reads.
    let before = scopes(app);
    app.execute("UPDATE roles SET name = name WHERE account_id IS NULL");
    let after = scopes(app);
    let moved: Vec<&str> = after
        .iter()
        .filter(|(scope, value)| *scope != "*" && before.get(*scope) != Some(*value))
        .map(|(scope, _)| scope.as_str())
        .collect();
    assert_eq!(moved, ["p:*"]);

    // An install counting itself on its published process moves nothing; anything else
    // changed with it does.
    let before = scopes(app);
    app.execute("UPDATE published_processes SET install_count = install_count + 1");
    assert_eq!(scopes(app), before, "install counts move no generation");
    app.execute(
        "UPDATE published_processes SET install_count = install_count + 1, \
         description = description || ' '",
    );
    assert!(scopes(app)["*"] > before["*"], "a description moves it");
}
