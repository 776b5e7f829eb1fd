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
use crate::db::changes::Changes;
use crate::db::session_reads::SessionReads;
use crate::db::sessions::{ClockedSession, Session, SessionUser};
use crate::db::{self, DbConnection, DbPool};
use crate::domain::audit::{Action, Source};
use crate::domain::validation::name_key;
use crate::error::AppError;
use crate::services::audit::{self, By, Entry};
use crate::services::cache::{Caches, KeptGenerations, Tagged};
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
/// of its user in its account is resolved into the cache in the same read. `read`: the
/// session as [`load_at_once`] read it, if it did.
pub fn load(
    pool: &DbPool,
    caches: &Caches,
    id_hash: &str,
    policy: &SessionPolicy,
    read: Option<ClockedSession>,
) -> Result<Option<Loaded>, AppError> {
    let id_hash = id_hash.to_owned();
    let now = policy.clock.now();
    let read = std::cell::Cell::new(read);
    db::read(pool, |conn| {
        let Some((session, user, columns)) = find(conn, caches, &id_hash, read.take())? else {
            return Ok(None);
        };
        if stale_user(&session, user.as_ref()) || expired(&session, policy, now) {
            db::sessions::delete(conn, &id_hash)?;
            return Ok(None);
        }
        if needs_touch(&session, now) {
            db::sessions::touch(conn, &id_hash, now)?;
        }
        let generations = db::generations::from_columns(columns, user.is_some());
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
        Ok(Some(loaded(session, user, access, generations)))
    })
}

/// What [`load_at_once`] did.
pub enum AtOnce {
    /// The session, loaded.
    Done(Box<Result<Option<Loaded>, AppError>>),
    /// [`load`] must run, with what was read so far.
    Load(Option<Box<ClockedSession>>),
}

/// [`load`] done at once on the calling thread, when the session needs one lookup by key and
/// nothing else: SQLite, its generations and its user's access cached and current, and neither
/// deleted nor touched by this load (see [`db::read_at_once`]).
pub fn load_at_once(
    pool: &DbPool,
    caches: &Caches,
    changes: Option<&Changes>,
    id_hash: &str,
    policy: &SessionPolicy,
) -> AtOnce {
    // A session never seen since its generations were dropped reads them at once in `load`.
    let Some(kept) = caches.session_generations.peek(id_hash) else {
        return AtOnce::Load(None);
    };
    let read = read_at_once(pool, caches, changes, id_hash);
    judge(caches, &kept, read, policy)
}

/// [`load`] without a thread of the blocking pool, when the session needs one lookup by key
/// and nothing else (as [`load_at_once`]): the lookup is gathered with those of other
/// requests into one statement (PostgreSQL; see [`db::session_reads`]). An outage is the
/// load's answer at once.
pub async fn load_gathered(
    reads: &SessionReads,
    caches: &Caches,
    id_hash: &str,
    policy: &SessionPolicy,
) -> AtOnce {
    let Some(kept) = caches.session_generations.peek(id_hash) else {
        return AtOnce::Load(None);
    };
    match reads.ask(id_hash).await {
        // The database cannot serve: the page says so at once.
        Some(Err(error)) => AtOnce::Done(Box::new(Err(error))),
        read => judge(caches, &kept, read, policy),
    }
}

/// What a session read by key at once (`None`: it could not be) leaves to do: nothing when
/// the generations kept for it still hold, its user's access is cached and current, and the
/// session is neither to be deleted nor touched; otherwise [`load`], with what was read.
fn judge(
    caches: &Caches,
    kept: &Tagged<KeptGenerations>,
    read: Option<Result<Option<ClockedSession>, AppError>>,
    policy: &SessionPolicy,
) -> AtOnce {
    let now = policy.clock.now();
    let (session, user, clock) = match read {
        Some(Ok(Some(found))) => found,
        Some(Ok(None)) => return AtOnce::Done(Box::new(Ok(None))),
        Some(Err(_)) | None => return AtOnce::Load(None),
    };
    if !holds(kept, &session, clock)
        || stale_user(&session, user.as_ref())
        || expired(&session, policy, now)
        || needs_touch(&session, now)
    {
        return AtOnce::Load(Some(Box::new((session, user, clock))));
    }
    let generations = db::generations::from_columns(kept.value.columns, user.is_some());
    let access = match &user {
        Some(u) => {
            let key = (u.id.clone(), session.account_id.clone());
            match caches.access.current(&key, generations.of(Depends::People)) {
                Some(access) => access.value.clone(),
                None => return AtOnce::Load(Some(Box::new((session, user, clock)))),
            }
        }
        None => None,
    };
    AtOnce::Done(Box::new(Ok(Some(loaded(
        session,
        user,
        access,
        generations,
    )))))
}

/// The session, its user and the clock as a read at once finds them: as kept when nothing
/// was committed to the database since they were read (no statement), otherwise read (and
/// kept with the mark of the log taken just before the read, so that a commit during the
/// read makes the next request read again). `None`: the read could not run at once.
fn read_at_once(
    pool: &DbPool,
    caches: &Caches,
    changes: Option<&Changes>,
    id_hash: &str,
) -> Option<Result<Option<ClockedSession>, AppError>> {
    let mark = changes.and_then(Changes::mark);
    if let Some(mark) = &mark
        && let Some(kept) = caches.session_rows.unchanged(id_hash, mark)
    {
        return Some(Ok(Some(kept)));
    }
    let read = db::read_at_once(pool, |conn| db::sessions::find_with_clock(conn, id_hash));
    if let (Some(mark), Some(Ok(Some(found)))) = (mark, &read) {
        caches
            .session_rows
            .keep(id_hash.to_owned(), mark, found.clone());
    }
    read
}

/// Whether generations kept for a session still hold for it as just read: the clock has not
/// moved since they were read (every change of anything they depend on moves it), and the
/// session is still of the user and in the account they were read for.
fn holds(kept: &Tagged<KeptGenerations>, session: &Session, clock: Option<i64>) -> bool {
    kept.as_recent_as(clock)
        && kept.value.user_id == session.user_id
        && kept.value.account_id == session.account_id
}

/// Whether the session's user is gone or changed their password since it began.
fn stale_user(session: &Session, user: Option<&SessionUser>) -> bool {
    match (&session.user_id, user) {
        (Some(_), Some(u)) => session.security_stamp.as_deref() != Some(u.security_stamp.as_str()),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Whether the load records that the session was seen (once a minute).
fn needs_touch(session: &Session, now: NaiveDateTime) -> bool {
    now - session.last_seen_at > chrono::Duration::seconds(60)
}

/// A loaded session, whose generations hold only in the account its user's access is in.
fn loaded(
    session: Session,
    user: Option<SessionUser>,
    access: Option<Access>,
    mut generations: Generations,
) -> Loaded {
    let current = access.as_ref().map(|a| &a.current.id);
    if current.map(|id| id.as_str()) != session.account_id.as_deref() {
        generations = generations.for_another_account();
    }
    Loaded {
        session,
        user,
        access,
        generations,
    }
}

/// The session, its user and their generations. A session whose generations are kept is read
/// with the clock (one statement of lookups by key, unless `read` holds it already); while
/// they hold, that is all. Otherwise the session is read with its generations and the clock
/// (one statement, whose clock keeps them).
fn find(
    conn: &mut DbConnection,
    caches: &Caches,
    id_hash: &str,
    read: Option<ClockedSession>,
) -> Result<Option<(Session, Option<SessionUser>, db::generations::Columns)>, AppError> {
    if let Some(kept) = caches.session_generations.peek(id_hash) {
        let read = match read {
            Some(read) => Some(read),
            None => db::sessions::find_with_clock(conn, id_hash)?,
        };
        let Some((session, user, clock)) = read else {
            return Ok(None);
        };
        if holds(&kept, &session, clock) {
            return Ok(Some((session, user, kept.value.columns)));
        }
    }
    let Some((session, user, columns, clock)) = db::sessions::find_with_user(conn, id_hash)? else {
        return Ok(None);
    };
    if let Some(clock) = clock {
        let kept = KeptGenerations {
            user_id: session.user_id.clone(),
            account_id: session.account_id.clone(),
            columns,
        };
        caches
            .session_generations
            .keep(id_hash.to_owned(), clock, kept);
    }
    Ok(Some((session, user, columns)))
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
