//! Personal access tokens of the JSON API (SPEC §6.5): every signed-in user makes and revokes
//! their own. A token is shown once; only its SHA-256 is kept. It acts as its user in the
//! accounts that user reaches, with their privileges there, and dies when revoked, when it
//! expires, or when the user changes their password (the security stamp it was made under no
//! longer matches).

use chrono::{Duration, NaiveDateTime};

use crate::db::accounts::User;
use crate::db::api_tokens::{ApiToken, ClockedToken};
use crate::db::generations::{Columns, Depends, Generations};
use crate::db::ids::{AccountId, TokenId};
use crate::db::{self, DbConnection, DbPool};
use crate::domain::accounts::{AccountKind, Features};
use crate::domain::audit::Action;
use crate::domain::validation::{self as v, FieldErrors};
use crate::error::AppError;
use crate::services::accounts::access::{self, Access};
use crate::services::accounts::sessions::{hash_token, new_token};
use crate::services::audit::{self, By, Entry};
use crate::services::cache::Caches;
use crate::services::{Caller, Ctx};

/// What a token's secret starts with, so that it is recognised where it leaks (logs, code).
pub const PREFIX: &str = "plt_";

/// *Expires*: (code, label, days; `None` for never).
pub const EXPIRIES: [(&str, &str, Option<i64>); 4] = [
    ("30", "30 days", Some(30)),
    ("90", "90 days", Some(90)),
    ("365", "1 year", Some(365)),
    ("never", "Never", None),
];

/// *Access*: (code, label).
pub const ACCESSES: [(&str, &str); 2] = [("read", "Read only"), ("write", "Read and write")];

/// The *New Token* form.
#[derive(Debug, Clone, Default)]
pub struct NewToken {
    pub name: String,
    pub expires: String,
    pub access: String,
}

/// Makes a token for the caller; returns it with its secret, which is never shown again.
pub fn create(ctx: &Ctx, input: &NewToken) -> Result<(ApiToken, String), AppError> {
    let caller = ctx.caller();
    let now = ctx.now();
    let mut errors = FieldErrors::new();
    let name = v::clean_name(&input.name);
    errors.check("name", v::required_text("Token Name", &name, 100));
    let expiry = EXPIRIES.iter().find(|(code, _, _)| *code == input.expires);
    if expiry.is_none() {
        errors.add("expires", "Choose when the token expires.");
    }
    if !ACCESSES.iter().any(|(code, _)| *code == input.access) {
        errors.add("access", "Choose the token's access.");
    }
    errors.into_result()?;
    let days = expiry.and_then(|(_, _, days)| *days);
    ctx.write(|conn| {
        let user = db::accounts::get_user(conn, caller.user_id())?;
        let (token, _) = new_token();
        let secret = format!("{PREFIX}{token}");
        let row = ApiToken {
            id: TokenId::generate(),
            user_id: user.id.clone(),
            name: name.clone(),
            token_hash: hash_token(&secret),
            access: input.access.clone(),
            security_stamp: user.security_stamp.clone(),
            expires_at: days.map(|d| now + Duration::days(d)),
            created_at: now,
            revoked_at: None,
        };
        db::api_tokens::insert(conn, &row)?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::ApiTokenCreated,
                target_type: "api_token",
                target_id: Some(&row.id),
                summary: format!(
                    "API token {} created ({}, {})",
                    row.name,
                    if row.access == "write" {
                        "read and write"
                    } else {
                        "read only"
                    },
                    days.map_or("never expires".to_owned(), |d| format!(
                        "expires in {d} days"
                    ))
                ),
            },
        )?;
        Ok((row, secret))
    })
}

/// The caller's tokens, newest first.
pub fn list(ctx: &Ctx) -> Result<Vec<ApiToken>, AppError> {
    let caller = ctx.caller();
    ctx.read(|conn| db::api_tokens::list_for_user(conn, caller.user_id()))
}

/// One of the caller's tokens (for its *Revoke* confirmation); 404 for anyone else's.
pub fn find(ctx: &Ctx, id: &TokenId) -> Result<ApiToken, AppError> {
    let caller = ctx.caller();
    ctx.read(|conn| {
        db::api_tokens::find_for_user(conn, caller.user_id(), id)?.ok_or(AppError::NotFound)
    })
}

/// Revokes one of the caller's tokens at once; returns its name.
pub fn revoke(ctx: &Ctx, id: &TokenId) -> Result<String, AppError> {
    let caller = ctx.caller();
    let now = ctx.now();
    ctx.write(|conn| {
        let token =
            db::api_tokens::find_for_user(conn, caller.user_id(), id)?.ok_or(AppError::NotFound)?;
        if token.revoked_at.is_none() {
            db::api_tokens::revoke(conn, &token.id, now)?;
            audit::record(
                conn,
                &By::from(caller),
                Entry {
                    account_id: Some(caller.account_id()),
                    action: Action::ApiTokenRevoked,
                    target_type: "api_token",
                    target_id: Some(&token.id),
                    summary: format!("API token {} revoked", token.name),
                },
            )?;
        }
        Ok(token.name)
    })
}

/// Why a token was not accepted (the API answers 401 with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    Revoked,
    Expired,
    /// The user changed their password since.
    Stale,
}

impl Refusal {
    pub fn message(&self) -> &'static str {
        match self {
            Self::Unknown => "The token is not known.",
            Self::Revoked => "The token has been revoked.",
            Self::Expired => "The token has expired.",
            Self::Stale => "The token's user has changed their password since it was made.",
        }
    }
}

/// A live token: its row, and whether it may write.
pub struct Bearer {
    pub token: ApiToken,
    pub user: User,
}

impl Bearer {
    pub fn may_write(&self) -> bool {
        self.token.access == "write"
    }
}

/// The token row and its user as a live token, or why it is refused.
fn live(token: ApiToken, user: User, now: NaiveDateTime) -> Result<Bearer, Refusal> {
    if token.revoked_at.is_some() {
        return Err(Refusal::Revoked);
    }
    if token.expires_at.is_some_and(|at| at <= now) {
        return Err(Refusal::Expired);
    }
    if token.security_stamp != user.security_stamp {
        return Err(Refusal::Stale);
    }
    Ok(Bearer { token, user })
}

fn well_formed(secret: &str) -> bool {
    secret.starts_with(PREFIX) && secret.len() <= 200
}

/// The live token whose secret this is.
pub fn authenticate(
    pool: &DbPool,
    secret: &str,
    now: NaiveDateTime,
) -> Result<Result<Bearer, Refusal>, AppError> {
    if !well_formed(secret) {
        return Ok(Err(Refusal::Unknown));
    }
    let found = db::read(pool, |conn| {
        db::api_tokens::find_by_hash(conn, &hash_token(secret))
    })?;
    Ok(match found {
        Some((token, user)) => live(token, user, now),
        None => Err(Refusal::Unknown),
    })
}

/// A token's user in the account of a request's path, with the generations of its caches.
pub struct InAccount {
    pub account_id: String,
    pub caller: Caller,
    pub generations: Generations,
}

/// The live token whose secret this is, and its user in `account_id` (`None` when they hold
/// no role there, or no such account exists): the token, its user and the generations in one
/// statement, the user's access there from memory while those generations hold. `read`: the
/// token as [`authenticate_in_at_once`] read it, if it did.
pub fn authenticate_in(
    pool: &DbPool,
    caches: &Caches,
    secret: &str,
    account_id: &str,
    now: NaiveDateTime,
    client_addr: &str,
    read: Option<ClockedToken>,
) -> Result<Result<(Bearer, Option<InAccount>), Refusal>, AppError> {
    if !well_formed(secret) {
        return Ok(Err(Refusal::Unknown));
    }
    let hash = hash_token(secret);
    let read = std::cell::Cell::new(read);
    db::read(pool, |conn| {
        let Some((token, user, columns)) =
            find_with_generations(conn, caches, &hash, account_id, read.take())?
        else {
            return Ok(Err(Refusal::Unknown));
        };
        let bearer = match live(token, user, now) {
            Ok(bearer) => bearer,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let Some(columns) = columns else {
            return Ok(Ok((bearer, None)));
        };
        let generations = db::generations::from_columns(columns, true);
        let key = (
            bearer.user.id.clone(),
            Some(AccountId::from(account_id.to_owned())),
        );
        let access = caches
            .access
            .get_or_build(&key, generations.of(Depends::People), || {
                access::resolve(conn, &bearer.user.id, Some(account_id))
            })?
            .value
            .clone();
        let in_account = in_account(&bearer, access, account_id, generations, client_addr);
        Ok(Ok((bearer, in_account)))
    })
}

/// A token's check in an account, as far as [`authenticate_in_at_once`] took it.
pub type Checked = Result<Result<(Bearer, Option<InAccount>), Refusal>, AppError>;

/// What [`authenticate_in_at_once`] did.
pub enum AtOnce {
    /// The token, checked.
    Done(Box<Checked>),
    /// [`authenticate_in`] must run, with what was read so far.
    Check(Option<Box<ClockedToken>>),
}

/// [`authenticate_in`] done at once on the calling thread, when it needs one lookup by key and
/// nothing else: SQLite, and the user's generations and access in the account cached and
/// current (see [`db::read_at_once`]).
pub fn authenticate_in_at_once(
    pool: &DbPool,
    caches: &Caches,
    secret: &str,
    account_id: &str,
    now: NaiveDateTime,
    client_addr: &str,
) -> AtOnce {
    if !well_formed(secret) {
        return AtOnce::Done(Box::new(Ok(Err(Refusal::Unknown))));
    }
    let hash = hash_token(secret);
    let key = (hash, AccountId::from(account_id.to_owned()));
    // A token never seen here in this account reads its generations at once.
    let Some(kept) = caches.token_generations.peek(&key) else {
        return AtOnce::Check(None);
    };
    let read = db::read_at_once(pool, |conn| db::api_tokens::find_with_clock(conn, &key.0));
    let (token, user, clock) = match read {
        Some(Ok(Some(found))) => found,
        Some(Ok(None)) => return AtOnce::Done(Box::new(Ok(Err(Refusal::Unknown)))),
        Some(Err(_)) | None => return AtOnce::Check(None),
    };
    if !kept.as_recent_as(clock) {
        return AtOnce::Check(Some(Box::new((token, user, clock))));
    }
    let bearer = match live(token, user, now) {
        Ok(bearer) => bearer,
        Err(refusal) => return AtOnce::Done(Box::new(Ok(Err(refusal)))),
    };
    let Some(columns) = kept.value else {
        return AtOnce::Done(Box::new(Ok(Ok((bearer, None)))));
    };
    let generations = db::generations::from_columns(columns, true);
    let access_key = (bearer.user.id.clone(), Some(key.1));
    let Some(access) = caches
        .access
        .current(&access_key, generations.of(Depends::People))
    else {
        let Bearer { token, user } = bearer;
        return AtOnce::Check(Some(Box::new((token, user, clock))));
    };
    let in_account = in_account(
        &bearer,
        access.value.clone(),
        account_id,
        generations,
        client_addr,
    );
    AtOnce::Done(Box::new(Ok(Ok((bearer, in_account)))))
}

/// The token's user as a caller in `account_id`, when their access is there.
fn in_account(
    bearer: &Bearer,
    access: Option<Access>,
    account_id: &str,
    generations: Generations,
    client_addr: &str,
) -> Option<InAccount> {
    access
        .filter(|a| a.current.id.as_str() == account_id)
        .map(|access| InAccount {
            account_id: account_id.to_owned(),
            caller: Caller::by_token(&bearer.user.id, &bearer.user.email, &access, client_addr),
            generations,
        })
}

/// The token, its user and their generations in `account_id`. A token whose generations there
/// are kept is read with the clock (one statement of lookups by key, unless `read` holds it
/// already); while they hold, that is all. Otherwise the token is read with its generations
/// there and the clock (one statement, whose clock keeps them).
fn find_with_generations(
    conn: &mut DbConnection,
    caches: &Caches,
    hash: &str,
    account_id: &str,
    read: Option<ClockedToken>,
) -> Result<Option<(ApiToken, User, Option<Columns>)>, AppError> {
    let key = (hash.to_owned(), AccountId::from(account_id.to_owned()));
    if let Some(kept) = caches.token_generations.peek(&key) {
        let read = match read {
            Some(read) => Some(read),
            None => db::api_tokens::find_with_clock(conn, hash)?,
        };
        let Some((token, user, clock)) = read else {
            return Ok(None);
        };
        if kept.as_recent_as(clock) {
            return Ok(Some((token, user, kept.value)));
        }
    }
    let Some((token, user, columns, clock)) =
        db::api_tokens::find_in_account(conn, hash, account_id)?
    else {
        return Ok(None);
    };
    if let Some(clock) = clock {
        caches.token_generations.keep(key, clock, columns);
    }
    Ok(Some((token, user, columns)))
}

/// The token's user in an account: their privileges there, and the data generations as of
/// now (the clock: a cached value serves only while nothing at all has been written since it
/// was built); 404 when they hold no role there (another tenant's account, or no such
/// account).
pub fn caller_in(
    pool: &DbPool,
    bearer: &Bearer,
    account_id: &str,
    client_addr: &str,
) -> Result<(Caller, Generations), AppError> {
    let (account, clock) = db::read(pool, |conn| {
        let clock = db::generations::current(conn)?;
        let Some(account) = db::accounts::find_account(conn, &AccountId::from(account_id))? else {
            return Ok((None, clock));
        };
        let privileges = access::privileges_in(conn, &bearer.user.id, &account)?;
        Ok((Some((account, privileges)), clock))
    })?;
    let Some((account, privileges)) = account.filter(|(_, p)| !p.is_empty()) else {
        return Err(AppError::NotFound);
    };
    let access = Access {
        kind: AccountKind::from_code(&account.kind).unwrap_or(AccountKind::Managed),
        features: Features::parse(&account.features),
        privileges,
        current: account,
        accounts: std::sync::Arc::new([]),
        more_accounts: false,
    };
    Ok((
        Caller::by_token(&bearer.user.id, &bearer.user.email, &access, client_addr),
        Generations::all(clock),
    ))
}

/// The accounts the token's user reaches, by name (capped as the switcher is), and whether
/// there are more.
pub fn reachable(
    pool: &DbPool,
    bearer: &Bearer,
) -> Result<(Vec<db::accounts::Account>, bool), AppError> {
    db::read(pool, |conn| access::switchable(conn, &bearer.user.id))
}
