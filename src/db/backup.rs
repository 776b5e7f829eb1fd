//! Consistent snapshots of a SQLite database (`VACUUM INTO`); PostgreSQL is backed up with
//! `pg_dump`.

use diesel::connection::SimpleConnection;

use super::{DbConnection, DbPool};
use crate::error::AppError;

const PG_DUMP: &str =
    "back up PostgreSQL with pg_dump: pg_dump \"$DATABASE_URL\" > FILE (restore with psql)";

/// Writes a consistent copy of the SQLite database to `path` (which must not exist yet),
/// readable by its owner only.
pub fn snapshot(pool: &DbPool, path: &std::path::Path) -> Result<(), AppError> {
    let target = path
        .to_str()
        .ok_or_else(|| AppError::BadRequest("the backup path is not valid UTF-8".to_owned()))?;
    if super::read(pool, |conn| Ok(matches!(conn, DbConnection::Postgresql(_))))? {
        return Err(AppError::BadRequest(PG_DUMP.to_owned()));
    }
    // `VACUUM INTO` fills an empty file and keeps its mode; creating it first with mode 0600
    // also refuses a file that exists.
    super::files::create_private(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => AppError::BadRequest(format!(
            "{} exists already; choose a new file",
            path.display()
        )),
        _ => AppError::BadRequest(format!("cannot create {}: {e}", path.display())),
    })?;
    super::read(pool, |conn| match conn {
        DbConnection::Sqlite(c) => {
            c.batch_execute(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))?;
            Ok(())
        }
        DbConnection::Postgresql(_) => Err(AppError::BadRequest(PG_DUMP.to_owned())),
    })
}
