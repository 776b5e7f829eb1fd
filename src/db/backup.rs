//! Consistent snapshots of a SQLite database (`VACUUM INTO`); PostgreSQL is backed up with
//! `pg_dump`.

use diesel::connection::SimpleConnection;

use super::{DbConnection, DbPool};
use crate::error::AppError;

/// Writes a consistent copy of the SQLite database to `path` (which must not exist yet).
pub fn snapshot(pool: &DbPool, path: &std::path::Path) -> Result<(), AppError> {
    if path.exists() {
        return Err(AppError::BadRequest(format!(
            "{} exists already; choose a new file",
            path.display()
        )));
    }
    let target = path
        .to_str()
        .ok_or_else(|| AppError::BadRequest("the backup path is not valid UTF-8".to_owned()))?;
    super::read(pool, |conn| match conn {
        DbConnection::Sqlite(c) => {
            c.batch_execute(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))?;
            Ok(())
        }
        DbConnection::Postgresql(_) => Err(AppError::BadRequest(
            "back up PostgreSQL with pg_dump: pg_dump \"$DATABASE_URL\" > FILE (restore with psql)"
                .to_owned(),
        )),
    })
}
