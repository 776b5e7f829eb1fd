//! Personal access tokens of the JSON API: stored by the SHA-256 of their secret.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::accounts::User;
use super::ids::{TokenId, UserId};
use super::schema::{api_tokens, generations, users};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    pub token_hash: String,
    /// `read` (GET only) or `write`.
    pub access: String,
    pub security_stamp: String,
    pub expires_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, token: &ApiToken) -> Result<()> {
    diesel::insert_into(api_tokens::table)
        .values(token)
        .execute(conn)?;
    Ok(())
}

/// A user's tokens, newest first.
pub fn list_for_user(conn: &mut DbConnection, user_id: &UserId) -> Result<Vec<ApiToken>> {
    Ok(api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .order((api_tokens::created_at.desc(), api_tokens::id.desc()))
        .select(ApiToken::as_select())
        .load(conn)?)
}

/// One of a user's tokens.
pub fn find_for_user(
    conn: &mut DbConnection,
    user_id: &UserId,
    id: &TokenId,
) -> Result<Option<ApiToken>> {
    Ok(api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::id.eq(id))
        .select(ApiToken::as_select())
        .first(conn)
        .optional()?)
}

/// The token with this hash and its user, in one statement.
pub fn find_by_hash(conn: &mut DbConnection, hash: &str) -> Result<Option<(ApiToken, User)>> {
    Ok(api_tokens::table
        .inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
        .filter(api_tokens::token_hash.eq(hash))
        .select((ApiToken::as_select(), User::as_select()))
        .first(conn)
        .optional()?)
}

/// A token, its user and the clock (see [`super::generations::CLOCK`]).
pub type ClockedToken = (ApiToken, User, Option<i64>);

/// The token with this hash, its user and the clock: three lookups by key, run on every API
/// request on the backend's own connection (see [`crate::on_backend`]); while the clock stands
/// where it stood when the generations of the user in an account were last read, they hold.
pub fn find_with_clock(conn: &mut DbConnection, hash: &str) -> Result<Option<ClockedToken>> {
    Ok(crate::on_backend!(conn, |c| api_tokens::table
        .inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
        .left_join(generations::table.on(generations::scope.eq(super::generations::CLOCK)))
        .filter(api_tokens::token_hash.eq(hash))
        .select((
            ApiToken::as_select(),
            User::as_select(),
            generations::value.nullable(),
        ))
        .first(c)
        .optional())?)
}

/// A token, its user, their generations in an account (`None`: no such account) and the clock.
pub type TokenInAccount = (
    ApiToken,
    User,
    Option<super::generations::Columns>,
    Option<i64>,
);

/// The token with this hash, its user, the generations of that user in `account_id` (`None`
/// when no such account exists) and the clock, in one statement on the backend's own
/// connection: run when the clock moved since those generations were read.
pub fn find_in_account(
    conn: &mut DbConnection,
    hash: &str,
    account_id: &str,
) -> Result<Option<TokenInAccount>> {
    use super::schema::token_generations as tg;
    Ok(crate::on_backend!(conn, |c| api_tokens::table
        .inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
        .left_join(generations::table.on(generations::scope.eq(super::generations::CLOCK)))
        .left_join(
            // The bound hash rather than the outer column, so that SQLite can look the view's
            // row up instead of computing it for every token.
            tg::table.on(tg::token_hash.eq(hash).and(tg::account_id.eq(account_id))),
        )
        .filter(api_tokens::token_hash.eq(hash))
        .select((
            ApiToken::as_select(),
            User::as_select(),
            (
                tg::people,
                tg::family_people,
                tg::library,
                tg::installs,
                tg::content,
            )
                .nullable(),
            generations::value.nullable(),
        ))
        .first(c)
        .optional())?)
}

pub fn revoke(conn: &mut DbConnection, id: &TokenId, at: NaiveDateTime) -> Result<()> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::revoked_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}
