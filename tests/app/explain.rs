//! No hot page reads a whole table: every statement the hot pages run is explained by the
//! database itself (SQLite's `EXPLAIN QUERY PLAN`; PostgreSQL's generic plan with sequential
//! scans disabled, so that only a missing index can leave one), and a full scan of any table
//! that grows with the data fails the test.

use diesel::prelude::*;
use diesel::sql_types::Text;
use process_library::db::ids::{AccountId, ProcessId};
use process_library::db::{self, DbConnection};

use crate::support::{PASSWORD, TestApp, hot_pages, scale_world};

/// Tables that hold a fixed handful of rows.
const SMALL_TABLES: [&str; 2] = ["generations", "__diesel_schema_migrations"];

#[derive(QueryableByName)]
struct SqlitePlanRow {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PostgresPlanRow {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "QUERY PLAN")]
    plan: String,
}

/// Whether a `SCAN` of a virtual table is a lookup: FTS5 reports the constraints it serves
/// from its index after the colon (`M` a full-text match, `=` a rowid), nothing for a scan of
/// every row.
fn virtual_lookup(detail: &str) -> bool {
    detail
        .split_once("VIRTUAL TABLE INDEX ")
        .and_then(|(_, index)| index.split_once(':'))
        .is_some_and(|(_, constraints)| constraints.contains(['M', '=']))
}

/// The full scans of large tables in a SQLite plan (`SCAN t`, with or without an index). A
/// scan of a subquery's rows (named by a `CO-ROUTINE` or `MATERIALIZE` step) reads what that
/// subquery's own, separately checked steps produced.
fn sqlite_full_scans(conn: &mut SqliteConnection, sql: &str) -> Vec<String> {
    let rows: Vec<SqlitePlanRow> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
        .load(conn)
        .unwrap_or_else(|e| panic!("explain {sql}: {e}"));
    let derived: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.detail
                .strip_prefix("CO-ROUTINE ")
                .or_else(|| r.detail.strip_prefix("MATERIALIZE "))
                .map(|name| name.trim().to_owned())
        })
        .collect();
    rows.into_iter()
        .map(|r| r.detail)
        .filter(|d| {
            d.strip_prefix("SCAN ")
                .and_then(|rest| rest.split_whitespace().next())
                .is_some_and(|table| {
                    !SMALL_TABLES.contains(&table)
                        && is_table(table)
                        && !derived.iter().any(|name| name == table)
                })
                && !virtual_lookup(d)
        })
        .collect()
}

fn is_table(name: &str) -> bool {
    !matches!(name, "CONSTANT" | "SUBQUERY") && !name.starts_with('(')
}

/// Walks a PostgreSQL JSON plan for sequential scans and index scans without a condition.
fn postgres_nodes(node: &serde_json::Value, found: &mut Vec<String>) {
    let kind = node["Node Type"].as_str().unwrap_or_default();
    let relation = node["Relation Name"].as_str().unwrap_or_default();
    let conditioned = node.get("Index Cond").is_some();
    let full = match kind {
        "Seq Scan" => true,
        "Index Scan" | "Index Only Scan" | "Bitmap Index Scan" => !conditioned,
        _ => false,
    };
    if full && !SMALL_TABLES.contains(&relation) {
        let index = node["Index Name"].as_str().unwrap_or_default();
        found.push(format!("{kind} on {relation} {index}").trim().to_owned());
    }
    if let Some(children) = node["Plans"].as_array() {
        for child in children {
            postgres_nodes(child, found);
        }
    }
}

/// The full scans of large tables in PostgreSQL's generic plan of a statement.
fn postgres_full_scans(conn: &mut PgConnection, sql: &str) -> Vec<String> {
    let params = (1..=64)
        .rev()
        .find(|n| sql.contains(&format!("${n}")))
        .unwrap_or(0);
    diesel::sql_query("DEALLOCATE ALL")
        .execute(conn)
        .expect("deallocate");
    diesel::sql_query(format!("PREPARE explained AS {sql}"))
        .execute(conn)
        .unwrap_or_else(|e| panic!("prepare {sql}: {e}"));
    let nulls = vec!["NULL"; params].join(", ");
    let execute = if params == 0 {
        "EXPLAIN (FORMAT JSON) EXECUTE explained".to_owned()
    } else {
        format!("EXPLAIN (FORMAT JSON) EXECUTE explained({nulls})")
    };
    let rows: Vec<PostgresPlanRow> = diesel::sql_query(&execute)
        .load(conn)
        .unwrap_or_else(|e| panic!("explain {sql}: {e}"));
    let plan: serde_json::Value =
        serde_json::from_str(&rows.first().expect("a plan").plan).expect("JSON plan");
    let mut found = Vec::new();
    postgres_nodes(&plan[0]["Plan"], &mut found);
    found
}

fn full_scans(app: &TestApp, sql: &str) -> Vec<String> {
    db::read(&app.pool, |conn| {
        Ok(match conn {
            DbConnection::Sqlite(c) => sqlite_full_scans(c, sql),
            DbConnection::Postgresql(c) => {
                for setting in [
                    "SET enable_seqscan = off",
                    "SET plan_cache_mode = force_generic_plan",
                ] {
                    diesel::sql_query(setting).execute(c).expect(setting);
                }
                let found = postgres_full_scans(c, sql);
                diesel::sql_query("RESET ALL").execute(c).expect("reset");
                diesel::sql_query("DEALLOCATE ALL")
                    .execute(c)
                    .expect("deallocate");
                found
            }
        })
    })
    .expect("explain")
}

#[actix_web::test]
async fn no_hot_page_scans_a_whole_table() {
    let (mut app, ids) = scale_world(3).await;
    // A platform publisher sharing a process with every account: the library reads it too.
    let platform = app.primary_account("Atlas Platform", "ops@atlas.test");
    app.enable_library(&platform);
    process_library::services::platform::set(&app.pool, "Atlas Platform").expect("platform");
    let shared = app.component(
        &platform,
        "Platform Health Check",
        process_library::domain::build::Body::empty(
            process_library::domain::build::ComponentType::Process,
        ),
    );
    let (shared, _) = app.publish(&platform, &shared, false);
    let everyone = db::read(&app.pool, |conn| {
        db::platform::find_group(conn, &AccountId::from(&platform))
    })
    .expect("read")
    .expect("All Platform Accounts");
    process_library::services::groups::add_resources(
        &app.admin(&platform),
        &everyone.id,
        &[ProcessId::from(shared.clone())],
    )
    .expect("shared with everyone");
    let (partner_pages, mut customer_pages) = hot_pages(&ids);
    customer_pages.push(format!("/build/library/{shared}"));
    customer_pages.push(format!("/build/library/{shared}/install"));
    let mut statements: Vec<(String, String)> = Vec::new();
    for page in &partner_pages {
        for sql in app.statements_for(page).await {
            statements.push((page.clone(), sql));
        }
    }
    app.set_cookie(None);
    app.sign_in("heavy@customers.test", PASSWORD).await;
    for page in &customer_pages {
        for sql in app.statements_for(page).await {
            statements.push((page.clone(), sql));
        }
    }
    // Settings (`SET LOCAL …`) have no plan.
    statements.retain(|(_, sql)| !sql.starts_with("SET "));
    statements.sort_by(|a, b| a.1.cmp(&b.1));
    statements.dedup_by(|a, b| a.1 == b.1);
    assert!(
        statements.len() > 20,
        "the pages ran {} distinct statements",
        statements.len()
    );
    let unindexed = full_scans(&app, "SELECT id FROM components WHERE body = ''");
    assert!(
        !unindexed.is_empty(),
        "the check sees a scan where there is one"
    );
    let mut failures = Vec::new();
    for (page, sql) in &statements {
        let scans = full_scans(&app, sql);
        if !scans.is_empty() {
            failures.push(format!("{page}: {scans:?} in {sql}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} statements read a whole table:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[derive(QueryableByName)]
struct CompileOption {
    #[diesel(sql_type = Text)]
    compile_options: String,
}

#[test]
fn the_bundled_sqlite_plans_independently_of_bound_values() {
    let mut conn = SqliteConnection::establish(":memory:").expect("SQLite opens");
    let options: Vec<CompileOption> = diesel::sql_query("PRAGMA compile_options")
        .load(&mut conn)
        .expect("compile options");
    assert!(
        options.iter().any(|o| o.compile_options == "ENABLE_QPSG"),
        "SQLite was built without SQLITE_ENABLE_QPSG (.cargo/config.toml): every statement \
         with a bound LIMIT would be prepared again on each run"
    );
}

#[test]
fn a_full_text_match_is_a_lookup_and_reading_every_row_is_a_scan() {
    let mut conn = SqliteConnection::establish(":memory:").expect("SQLite opens");
    diesel::sql_query("CREATE VIRTUAL TABLE names USING fts5 (name_key, tokenize = 'trigram')")
        .execute(&mut conn)
        .expect("an FTS5 table");
    assert!(
        sqlite_full_scans(
            &mut conn,
            "SELECT rowid FROM names WHERE name_key MATCH '\"abc\"'"
        )
        .is_empty()
    );
    assert_eq!(
        sqlite_full_scans(&mut conn, "SELECT rowid FROM names").len(),
        1
    );
}
