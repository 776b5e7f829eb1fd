//! Server-side sessions: the cookie carries a random id, the table keeps its SHA-256 hash.

use crate::db::ids::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{generations, session_generations, sessions, users};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id_hash: String,
    pub user_id: Option<UserId>,
    pub account_id: Option<AccountId>,
    pub security_stamp: Option<String>,
    pub csrf_token: String,
    pub flash: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

/// What a request needs of the signed-in user (never the password hash).
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = users)]
pub struct SessionUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub security_stamp: String,
}

/// A session, its user if it belongs to a signed-in one, the generations of its user and
/// account (see [`super::generations`]) and the clock, read in the same statement.
pub type SessionRow = (
    Session,
    Option<SessionUser>,
    super::generations::Columns,
    Option<i64>,
);

/// A session, its user if it belongs to a signed-in one, and the clock (see
/// [`super::generations::CLOCK`]), read in the same statement.
pub type ClockedSession = (Session, Option<SessionUser>, Option<i64>);

/// The session, its user and the clock: three lookups by key. Run on every request, on the
/// backend's own connection (see [`crate::on_backend`]); while the clock stands where it stood
/// when the generations of the session's user and account were last read, they still hold.
pub fn find_with_clock(conn: &mut DbConnection, id_hash: &str) -> Result<Option<ClockedSession>> {
    Ok(crate::on_backend!(conn, |c| sessions::table
        .left_join(users::table)
        .left_join(generations::table.on(generations::scope.eq(super::generations::CLOCK)))
        .filter(sessions::id_hash.eq(id_hash))
        .select((
            Session::as_select(),
            Option::<SessionUser>::as_select(),
            generations::value.nullable(),
        ))
        .first(c)
        .optional())?)
}

/// [`find_with_clock`] for several sessions in one statement (keys unknown have no row).
pub fn find_many_with_clock(
    conn: &mut DbConnection,
    id_hashes: &[&str],
) -> Result<Vec<ClockedSession>> {
    Ok(crate::on_backend!(conn, |c| sessions::table
        .left_join(users::table)
        .left_join(generations::table.on(generations::scope.eq(super::generations::CLOCK)))
        .filter(sessions::id_hash.eq_any(id_hashes))
        .select((
            Session::as_select(),
            Option::<SessionUser>::as_select(),
            generations::value.nullable(),
        ))
        .load(c))?)
}

/// The session, its user, their generations and the clock, on the backend's own connection:
/// run when the clock moved since the generations of the session's user and account were read.
pub fn find_with_user(conn: &mut DbConnection, id_hash: &str) -> Result<Option<SessionRow>> {
    Ok(crate::on_backend!(conn, |c| sessions::table
        .left_join(users::table)
        .inner_join(session_generations::table)
        .left_join(generations::table.on(generations::scope.eq(super::generations::CLOCK)))
        .filter(sessions::id_hash.eq(id_hash))
        .select((
            Session::as_select(),
            Option::<SessionUser>::as_select(),
            super::generations::session_columns(),
            generations::value.nullable(),
        ))
        .first(c)
        .optional())?)
}

pub fn insert(conn: &mut DbConnection, session: &Session) -> Result<()> {
    diesel::insert_into(sessions::table)
        .values(session)
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConnection, id_hash: &str) -> Result<()> {
    diesel::delete(sessions::table.find(id_hash)).execute(conn)?;
    Ok(())
}

/// Ends every session of a user (password change, removal).
pub fn delete_for_user(conn: &mut DbConnection, user_id: &UserId) -> Result<()> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?;
    Ok(())
}

/// Removes sessions idle since before `idle_before` or created before `created_before`.
pub fn delete_expired(
    conn: &mut DbConnection,
    idle_before: NaiveDateTime,
    created_before: NaiveDateTime,
) -> Result<usize> {
    Ok(diesel::delete(
        sessions::table.filter(
            sessions::last_seen_at
                .lt(idle_before)
                .or(sessions::created_at.lt(created_before)),
        ),
    )
    .execute(conn)?)
}

pub fn touch(conn: &mut DbConnection, id_hash: &str, now: NaiveDateTime) -> Result<()> {
    diesel::update(sessions::table.find(id_hash))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Writes the state a request may change: the current account, the security stamp, the
/// CSRF token and the one-time message.
pub fn update_state(conn: &mut DbConnection, session: &Session) -> Result<()> {
    diesel::update(sessions::table.find(&session.id_hash))
        .set((
            sessions::account_id.eq(&session.account_id),
            sessions::security_stamp.eq(&session.security_stamp),
            sessions::csrf_token.eq(&session.csrf_token),
            sessions::flash.eq(&session.flash),
        ))
        .execute(conn)?;
    Ok(())
}
