//! Server-side sessions, kept by the web layer's actix-session store: load with expiry checks,
//! save and update, sign in, sign out, switch account. The raw session key only ever lives in
//! the (signed) cookie; the table keeps its SHA-256.

use crate::db::generations::{Depends, Generations};
use crate::db::ids::*;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::access::{self, Access};
use super::invitations;
use crate::db::accounts::Account;
use crate::db::sessions::{Session, SessionUser};
use crate::db::{self, DbConnection, DbPool};
use crate::domain::audit::{Action, Source};
use crate::domain::validation::name_key;
use crate::error::AppError;
use crate::services::audit::{self, By, Entry};
use crate::services::cache::Caches;
use crate::services::clock::Clock;
use crate::services::passwords;
use crate::services::throttle::SignInThrottle;

/// How long a session lives, and the clock it is judged by.
#[derive(Debug, Clone)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
    pub clock: Clock,
}

/// A session as loaded for one request.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub session: Session,
    pub user: Option<SessionUser>,
    pub access: Option<Access>,
    /// The generations read with the session, for the account the request acts in.
    pub generations: Generations,
}

/// A fresh random token and the hash stored for it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(token.as_bytes());
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

/// A fresh CSRF token.
pub fn new_csrf() -> String {
    new_token().0
}

fn to_chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::days(1))
}

fn expired(session: &Session, policy: &SessionPolicy, now: NaiveDateTime) -> bool {
    now - session.last_seen_at > to_chrono(policy.idle)
        || now - session.created_at > to_chrono(policy.absolute)
}

/// Loads the session whose key hashes to `id_hash`; `None` when it is unknown, expired, or
/// its user's security stamp changed since sign-in (then it is deleted for good). The access
/// of its user in its account is resolved into the cache in the same read.
pub fn load(
    pool: &DbPool,
    caches: &Caches,
    id_hash: &str,
    policy: &SessionPolicy,
) -> Result<Option<Loaded>, AppError> {
    let id_hash = id_hash.to_owned();
    let now = policy.clock.now();
    db::read(pool, |conn| {
        let Some((session, user, columns)) = db::sessions::find_with_user(conn, &id_hash)? else {
            return Ok(None);
        };
        let stale_user = match (&session.user_id, &user) {
            (Some(_), Some(u)) => {
                session.security_stamp.as_deref() != Some(u.security_stamp.as_str())
            }
            (Some(_), None) => true,
            (None, _) => false,
        };
        if stale_user || expired(&session, policy, now) {
            db::sessions::delete(conn, &id_hash)?;
            return Ok(None);
        }
        if now - session.last_seen_at > chrono::Duration::seconds(60) {
            db::sessions::touch(conn, &id_hash, now)?;
        }
        let mut generations = db::generations::from_columns(columns, user.is_some());
        let access = match &user {
            Some(u) => {
                let key = (u.id.clone(), session.account_id.clone());
                caches
                    .access
                    .get_or_build(&key, generations.of(Depends::People), || {
                        access::resolve(conn, &u.id, session.account_id.as_deref())
                    })?
                    .value
                    .clone()
            }
            None => None,
        };
        let current = access.as_ref().map(|a| &a.current.id);
        if current.map(|id| id.as_str()) != session.account_id.as_deref() {
            generations = generations.for_another_account();
        }
        Ok(Some(Loaded {
            session,
            user,
            access,
            generations,
        }))
    })
}

/// What a sign-in attempt carries.
pub struct SignIn<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub client_addr: &'a str,
    /// The time of the attempt (the session policy's clock).
    pub now: NaiveDateTime,
}

const INVALID: &str = "Invalid email or password";

/// What a new session holds (the web layer stores it under a new key).
#[derive(Debug, Clone)]
pub struct Started {
    pub user_id: UserId,
    pub account_id: Option<AccountId>,
    pub security_stamp: String,
    pub csrf_token: String,
    /// A message for the first page (`kind:message`).
    pub flash: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A signed-in user's new session, and where they land.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub session: Started,
    /// `/` in an account, or `/invitations` for a user whose only memberships are pending
    /// invitations.
    pub landing: &'static str,
}

/// Verifies the credentials and says what the new session holds (the web layer stores it
/// under a new key). Failures are throttled per e-mail and per address, and audited.
pub fn sign_in(
    pool: &DbPool,
    throttle: &SignInThrottle,
    attempt: SignIn<'_>,
    bcrypt_cost: u32,
) -> Result<SignedIn, AppError> {
    let email_key = name_key(attempt.email);
    if let Err(wait) = throttle.check(&email_key, attempt.client_addr) {
        return Err(too_many(wait));
    }
    let user = db::read(pool, |conn| {
        db::accounts::find_user_by_email(conn, &email_key)
    })?;
    let ok = passwords::verify(
        attempt.password,
        user.as_ref().map(|u| u.password_hash.as_str()),
        bcrypt_cost,
    );
    // The reachable accounts (a failure is audited in the first of them: never in one the
    // user is only invited to) and, for a right password, the account last switched to and
    // the count of pending invitations, in one read.
    let (accounts, last, invited) = match &user {
        Some(u) => db::read(pool, |conn| {
            let accounts = access::switchable(conn, &u.id)?.0;
            let (last, invited) = if ok {
                (
                    last_account(conn, &u.id)?,
                    invitations::count_received(conn, &u.id)?,
                )
            } else {
                (None, 0)
            };
            Ok((accounts, last, invited))
        })?,
        None => (Vec::new(), None, 0),
    };
    let Some(user) = user.filter(|_| ok) else {
        let account = access::home(&accounts).map(|a| a.id.as_str());
        record_failure(
            pool,
            &email_key,
            attempt.client_addr,
            account.map(AccountId::from).as_ref(),
        )?;
        return match throttle.record_failure(&email_key, attempt.client_addr) {
            Ok(()) => Err(AppError::invalid("form", INVALID)),
            Err(wait) => Err(too_many(wait)),
        };
    };
    let first = last.as_ref().or_else(|| access::home(&accounts));
    if first.is_none() && invited == 0 {
        return Err(AppError::invalid(
            "form",
            "This user has no access to any account yet. Ask an administrator to add you.",
        ));
    }
    let flash = (first.is_some() && invited > 0).then(|| {
        let what = if invited == 1 {
            "an invitation".to_owned()
        } else {
            format!("{invited} invitations")
        };
        format!(
            "status:You have {what} to join another account: accept or decline on Settings > Account Information."
        )
    });
    let session = Started {
        user_id: user.id.clone(),
        account_id: first.map(|a| a.id.clone()),
        security_stamp: user.security_stamp.clone(),
        csrf_token: new_csrf(),
        flash,
        created_at: attempt.now,
    };
    db::write(pool, |conn| {
        let by = By {
            user_id: Some(&user.id),
            email: Some(&user.email),
            source: Source::Web,
            client_addr: Some(attempt.client_addr),
        };
        audit::record(
            conn,
            &by,
            Entry {
                account_id: first.map(|a| a.id.as_str()),
                action: Action::SignIn,
                target_type: "user",
                target_id: Some(&user.id),
                summary: format!("{} signed in", user.email),
            },
        )
    })?;
    Ok(SignedIn {
        session,
        landing: if first.is_some() { "/" } else { "/invitations" },
    })
}

fn record_failure(
    pool: &DbPool,
    email_key: &str,
    client_addr: &str,
    account_id: Option<&AccountId>,
) -> Result<(), AppError> {
    let email: String = email_key.chars().take(254).collect();
    db::write(pool, |conn| {
        let by = By {
            user_id: None,
            email: Some(&email),
            source: Source::Web,
            client_addr: Some(client_addr),
        };
        audit::record(
            conn,
            &by,
            Entry {
                account_id: account_id.map(|a| a.as_str()),
                action: Action::SignInFailed,
                target_type: "user",
                target_id: None,
                summary: format!("Failed sign-in for {email}"),
            },
        )
    })
}

/// The account a user last switched to, while they can still reach it.
fn last_account(conn: &mut DbConnection, user_id: &UserId) -> Result<Option<Account>, AppError> {
    let Some(id) = db::accounts::find_last_account(conn, user_id)? else {
        return Ok(None);
    };
    let Some(account) = db::accounts::find_account(conn, &id)? else {
        return Ok(None);
    };
    let reachable = !access::privileges_in(conn, user_id, &account)?.is_empty();
    Ok(reachable.then_some(account))
}

pub(crate) fn too_many(wait: Duration) -> AppError {
    let seconds = wait.as_secs().max(1);
    let when = if seconds >= 120 {
        format!("{} minutes", seconds.div_ceil(60))
    } else {
        format!("{seconds} seconds")
    };
    AppError::TooManyRequests(format!(
        "Too many failed sign-in attempts. Try again in {when}."
    ))
}

/// Ends a session for good (the store forgets its key too): a copy of its cookie is dead
/// afterwards.
pub fn sign_out(pool: &DbPool, loaded: &Loaded, client_addr: &str) -> Result<(), AppError> {
    db::write(pool, |conn| {
        db::sessions::delete(conn, &loaded.session.id_hash)?;
        if let (Some(user), Some(access)) = (&loaded.user, &loaded.access) {
            let by = By {
                user_id: Some(&user.id),
                email: Some(&user.email),
                source: Source::Web,
                client_addr: Some(client_addr),
            };
            audit::record(
                conn,
                &by,
                Entry {
                    account_id: Some(&access.current.id),
                    action: Action::SignOut,
                    target_type: "user",
                    target_id: Some(&user.id),
                    summary: format!("{} signed out", user.email),
                },
            )?;
        }
        Ok(())
    })
}

/// Checks that another account is reachable (404 for any other id) and remembers it as the
/// one last switched to; the web layer makes it the session's current one.
pub fn switch_account(
    pool: &DbPool,
    loaded: &Loaded,
    account_id: &AccountId,
) -> Result<Account, AppError> {
    let user = loaded.user.as_ref().ok_or(AppError::Unauthenticated)?;
    db::write(pool, |conn| {
        let target = db::accounts::find_account(conn, account_id)?.ok_or(AppError::NotFound)?;
        if access::privileges_in(conn, &user.id, &target)?.is_empty() {
            return Err(AppError::NotFound);
        }
        db::accounts::set_last_account(conn, &user.id, &target)?;
        Ok(target)
    })
}

/// A new session's row under the key hashed to `id_hash`.
pub fn save(pool: &DbPool, session: &Session) -> Result<(), AppError> {
    db::write(pool, |conn| db::sessions::insert(conn, session))
}

/// Writes what a request changed in its session (its key, user and creation stay).
pub fn update(pool: &DbPool, session: &Session) -> Result<(), AppError> {
    db::write(pool, |conn| db::sessions::update_state(conn, session))
}

/// Forgets a session.
pub fn delete(pool: &DbPool, id_hash: &str) -> Result<(), AppError> {
    db::write(pool, |conn| db::sessions::delete(conn, id_hash))
}

/// Removes expired sessions; run now and then.
pub fn purge_expired(pool: &DbPool, policy: &SessionPolicy) -> Result<usize, AppError> {
    let now = policy.clock.now();
    db::write(pool, |conn| {
        db::sessions::delete_expired(
            conn,
            now - to_chrono(policy.idle),
            now - to_chrono(policy.absolute),
        )
    })
}
