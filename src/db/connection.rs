//! One connection type over SQLite and PostgreSQL, chosen from the URL scheme by our own r2d2
//! manager (diesel's `establish` on the multi-connection would try each backend in turn and hide
//! the real error).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::{AppError, lost_connection};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Per-connection SQLite settings: enforce foreign keys, wait for locks instead of failing,
/// write-ahead log so readers never block the writer. The log is copied back into the database
/// by [`checkpoint`] in the background; a commit does it itself only once the log passes
/// 40 MB (instead of SQLite's 4 MB), which keeps that work out of nearly every request.
const SQLITE_PRAGMAS: &str = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000;";

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = r2d2::Pool<Manager>;

/// Runs `$body` with `$c` bound to the backend's own connection. The multi-backend connection
/// renders a query's SQL on each pass over it (to check that it can be cached, to collect its
/// binds), so a statement run on every request goes to the backend directly: there, a query
/// of the typed DSL finds its prepared statement by type, without rendering anything.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Postgresql($c) => $body,
        }
    };
}

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite { path: String },
    Postgres { url: String },
}

impl Backend {
    /// Parses `sqlite://PATH` (also `sqlite:PATH`) or `postgres://…` / `postgresql://…`.
    pub fn from_url(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres {
                url: url.to_owned(),
            });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                format!("unsupported database URL {url:?}: use sqlite://FILE or postgres://…")
            })?;
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return Err("the SQLite database URL names no file: use sqlite://FILE".to_owned());
        }
        Ok(Self::Sqlite {
            path: path.to_owned(),
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Sqlite { .. } => "SQLite",
            Self::Postgres { .. } => "PostgreSQL",
        }
    }
}

/// The r2d2 manager that connects to the backend the URL names.
#[derive(Debug, Clone)]
pub struct Manager {
    backend: Backend,
    /// How many times a connection of this pool has failed the way a lost connection fails.
    losses: Arc<AtomicU64>,
}

impl Manager {
    pub fn new(backend: Backend) -> Self {
        Self {
            backend,
            losses: Arc::default(),
        }
    }

    fn open(&self) -> Result<DbConnection, ConnectError> {
        match &self.backend {
            Backend::Sqlite { path } => {
                if let Some(dir) = std::path::Path::new(path).parent()
                    && !dir.as_os_str().is_empty()
                    && !dir.exists()
                {
                    return Err(ConnectError(format!(
                        "the directory {} does not exist",
                        dir.display()
                    )));
                }
                let mut conn =
                    SqliteConnection::establish(path).map_err(|e| ConnectError(e.to_string()))?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(|e| ConnectError(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
            Backend::Postgres { url } => PgConnection::establish(url)
                .map(DbConnection::Postgresql)
                .map_err(|e| {
                    ConnectError(
                        e.to_string()
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                }),
        }
    }
}

/// Why a connection could not be opened, as the database said it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConnectError(String);

/// A pooled connection, and whether it failed the way only a lost connection fails (then the
/// pool drops it instead of handing it out again).
pub struct Pooled {
    conn: DbConnection,
    broken: bool,
    /// The pool's count of losses when this connection was opened or last checked: when a
    /// connection has been lost since (a database restart, a fail-over, a network cut drop
    /// them all at once), this one is checked before it is used.
    checked_at: u64,
    losses: Arc<AtomicU64>,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Pooled;
    type Error = ConnectError;

    fn connect(&self) -> Result<Pooled, ConnectError> {
        let checked_at = self.losses.load(Ordering::Acquire);
        Ok(Pooled {
            conn: self.open()?,
            broken: false,
            checked_at,
            losses: self.losses.clone(),
        })
    }

    fn is_valid(&self, pooled: &mut Pooled) -> Result<(), ConnectError> {
        pooled
            .conn
            .batch_execute("SELECT 1")
            .map_err(|e| ConnectError(e.to_string()))
    }

    fn has_broken(&self, pooled: &mut Pooled) -> bool {
        pooled.broken
    }
}

/// Opens the pool, reporting the real reason in one line when the database cannot be reached,
/// then runs pending migrations.
pub fn connect_pool(url: &str, max_size: u32) -> Result<DbPool, String> {
    let backend = Backend::from_url(url)?;
    if let Backend::Sqlite { path } = &backend {
        super::files::make_private(path)?;
    }
    let manager = Manager::new(backend.clone());
    let mut first = manager
        .open()
        .map_err(|e| format!("cannot open the {} database: {e}", backend.name()))?;
    run_migrations(&mut first)
        .map_err(|e| format!("cannot migrate the {} database: {e}", backend.name()))?;
    drop(first);
    r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        // No `SELECT 1` before every use (a round trip per request on PostgreSQL): a connection
        // that turns out to be lost is dropped when it fails, and reads are tried once more.
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(5))
        .build(manager)
        .map_err(|e| format!("cannot open the {} database: {e}", backend.name()))
}

/// Applies the migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> Result<(), String> {
    let result = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| e.to_string())
}

type Checkout = r2d2::PooledConnection<Manager>;

/// A pooled connection that is not known to be lost: one opened before the pool last lost a
/// connection is checked with `SELECT 1` first (and dropped, for the next, when it fails).
fn checkout(pool: &DbPool) -> Result<Checkout, AppError> {
    for _ in 0..pool.max_size() {
        let mut pooled = pool
            .get()
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        let losses = pooled.losses.load(Ordering::Acquire);
        if pooled.checked_at >= losses {
            return Ok(pooled);
        }
        if pooled.conn.batch_execute("SELECT 1").is_ok() {
            pooled.checked_at = losses;
            return Ok(pooled);
        }
        pooled.broken = true;
    }
    pool.get().map_err(|e| AppError::Unavailable(e.to_string()))
}

/// After work on a pooled connection: one through which the database could not serve is
/// dropped, and when it was lost the pool's other connections are checked before their next
/// use.
fn settle<T>(pooled: &mut Checkout, result: &Result<T, AppError>) {
    if let Err(error @ AppError::Unavailable(_)) = result {
        pooled.broken = true;
        if lost_connection(error) {
            pooled.losses.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// Runs `f` on a pooled connection, marking the connection broken when it was lost.
fn on_connection<T>(
    pool: &DbPool,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let mut pooled = checkout(pool)?;
    let result = f(&mut pooled.conn);
    settle(&mut pooled, &result);
    result
}

/// Runs read-only work on a pooled connection; when the connection turns out to be lost (the
/// database restarted, a proxy dropped it), once more on a new one.
pub fn read<T>(
    pool: &DbPool,
    f: impl Fn(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    match on_connection(pool, &f) {
        Err(error) if lost_connection(&error) => on_connection(pool, &f),
        other => other,
    }
}

/// Runs quick read-only work at once, on the calling thread, on an idle connection of a SQLite
/// pool: for lookups by key that take microseconds, where handing them to another thread
/// costs more than they do (SQLite's readers never wait for its writer). `None`, with nothing
/// run, on PostgreSQL (each statement is a round trip: it is not for an async worker to wait
/// on), when no connection is idle, or when the pool last lost a connection since this one
/// was checked: then the caller runs it the usual way.
pub fn read_at_once<T>(
    pool: &DbPool,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Option<Result<T, AppError>> {
    let mut pooled = pool.try_get()?;
    if !matches!(pooled.conn, DbConnection::Sqlite(_))
        || pooled.checked_at < pooled.losses.load(Ordering::Acquire)
    {
        return None;
    }
    let result = f(&mut pooled.conn);
    settle(&mut pooled, &result);
    Some(result)
}

/// Runs `f` in one write transaction: `BEGIN IMMEDIATE` on SQLite, so that concurrent writers
/// queue on the busy timeout instead of failing when a read lock would have to be upgraded.
pub fn write<T>(
    pool: &DbPool,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    on_connection(pool, |conn| transaction(conn, f))
}

/// Runs read-only work in one read transaction, so that every statement of it sees the same
/// committed state (an export): a deferred transaction on SQLite (its snapshot starts with the
/// first read), `REPEATABLE READ READ ONLY` on PostgreSQL.
pub fn snapshot<T>(
    pool: &DbPool,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    on_connection(pool, |conn| {
        match conn {
            DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN")?,
            DbConnection::Postgresql(c) => AnsiTransactionManager::begin_transaction_sql(
                c,
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            )?,
        }
        let result = f(conn);
        <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
        result
    })
}

/// Reverts the newest applied migration of the connection's backend, returning its version
/// (to step a database back to an earlier release's schema).
pub fn revert_last_migration(conn: &mut DbConnection) -> Result<String, String> {
    let version = match conn {
        DbConnection::Sqlite(c) => c
            .revert_last_migration(SQLITE_MIGRATIONS)
            .map(|v| v.to_string()),
        DbConnection::Postgresql(c) => c
            .revert_last_migration(POSTGRES_MIGRATIONS)
            .map(|v| v.to_string()),
    };
    version.map_err(|e| e.to_string())
}

/// Copies what the SQLite write-ahead log holds back into the database without waiting for
/// readers or writers; `false` on PostgreSQL, which has no such log to tend.
pub fn checkpoint(pool: &DbPool) -> Result<bool, AppError> {
    read(pool, |conn| match conn {
        DbConnection::Sqlite(c) => {
            c.batch_execute("PRAGMA wal_checkpoint(PASSIVE)")?;
            Ok(true)
        }
        DbConnection::Postgresql(_) => Ok(false),
    })
}

/// The transaction of [`write`] on a connection already held.
pub fn transaction<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        DbConnection::Postgresql(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend_by_scheme() {
        assert_eq!(
            Backend::from_url("sqlite://x.db"),
            Ok(Backend::Sqlite {
                path: "x.db".into()
            })
        );
        assert_eq!(
            Backend::from_url("sqlite:///tmp/x.db"),
            Ok(Backend::Sqlite {
                path: "/tmp/x.db".into()
            })
        );
        assert!(matches!(
            Backend::from_url("postgres://u@h/db"),
            Ok(Backend::Postgres { .. })
        ));
        assert!(Backend::from_url("mysql://h/db").is_err());
        assert!(Backend::from_url("sqlite://").is_err());
    }
}
