//! The fresh database of each test (a temporary SQLite file, or a new PostgreSQL database
//! when `TEST_DATABASE_URL` names a server), the counting and recording of the statements
//! run, and the test application's direct database helpers.

use diesel::prelude::*;
use process_library::db;

use super::TestApp;

static QUERIES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
/// The text of every statement run while recording (see [`TestApp::statements_for`]).
pub(super) static RECORDED: std::sync::Mutex<Option<Vec<String>>> = std::sync::Mutex::new(None);

pub(super) fn count_queries() -> Option<Box<dyn diesel::connection::Instrumentation>> {
    Some(Box::new(
        |event: diesel::connection::InstrumentationEvent<'_>| {
            if let diesel::connection::InstrumentationEvent::StartQuery { query, .. } = event {
                let sql = query.to_string();
                let bookkeeping = ["PRAGMA", "SELECT 1", "BEGIN", "COMMIT", "ROLLBACK"]
                    .iter()
                    .any(|p| sql.trim_start().starts_with(p));
                if !bookkeeping {
                    QUERIES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if let Ok(mut recorded) = RECORDED.lock()
                        && let Some(statements) = recorded.as_mut()
                    {
                        let text = sql.split(" -- binds: ").next().unwrap_or_default();
                        statements.push(text.to_owned());
                    }
                }
            }
        },
    ))
}

/// Statements run so far by this test process (connections count from their creation).
pub fn queries_so_far() -> usize {
    QUERIES.load(std::sync::atomic::Ordering::SeqCst)
}

/// Where the test database lives, removed when the test ends.
pub(super) enum TestDb {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self
            && let Ok(mut conn) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut conn);
        }
    }
}

/// The PostgreSQL server of the tests (`TEST_DATABASE_URL`, or the local one `scripts/test`
/// makes sure of).
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub(super) fn fresh_postgres(admin_url: String) -> (String, TestDb) {
    let name = format!("pl_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = PgConnection::establish(&admin_url).expect("PostgreSQL answers");
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .expect("create test database");
    let mut url = url::Url::parse(&admin_url).expect("the PostgreSQL URL is a URL");
    url.set_path(&name);
    (url.to_string(), TestDb::Postgres { admin_url, name })
}

pub(super) fn fresh_database() -> (String, TestDb) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if admin_url.starts_with("postgres") => fresh_postgres(admin_url),
        _ => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            (url, TestDb::Sqlite(dir))
        }
    }
}

impl TestApp {
    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }

    /// Counts the rows of a table (to prove that nothing was written).
    pub fn count(&self, table: &str) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        db::read(&self.pool, |conn| {
            Ok(
                diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
                    .get_result::<Count>(conn)?
                    .n,
            )
        })
        .expect("count")
    }

    /// The text of a query's one row's column `t`.
    pub fn text_of(&self, sql: &str) -> String {
        #[derive(QueryableByName)]
        struct Text {
            #[diesel(sql_type = diesel::sql_types::Text)]
            t: String,
        }
        db::read(&self.pool, |conn| {
            Ok(diesel::sql_query(sql).get_result::<Text>(conn)?.t)
        })
        .expect("one row")
    }

    /// Runs a statement directly (to age a session, for instance).
    pub fn execute(&self, sql: &str) {
        db::read(&self.pool, |conn| Ok(diesel::sql_query(sql).execute(conn)?))
            .expect("statement runs");
    }
}
