//! actix-session's store over the `sessions` table (both backends): the cookie carries only
//! the session key, signed; the table keeps its SHA-256. Loading a session is one statement
//! that also reads its user and the data generation ([`sessions::load`]). The session state
//! holds what a request may change (and the key's hash under `_id`, never written back); the
//! rest of what the load read is handed to the request's extractor through a small table of
//! the worker thread ([`take_loaded`]), so that nothing is encoded and decoded again. On
//! SQLite, a load that is one lookup by key runs at once on the request's own thread
//! ([`sessions::load_at_once`]); any other goes off the async workers.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::db::sessions::Session;
use crate::error::AppError;
use crate::services::Instance;
use crate::services::accounts::sessions::{self, Loaded, hash_token, new_token};
use crate::web::blocking;

/// The keys of the session state.
pub mod keys {
    /// The signed-in user's id.
    pub const USER: &str = "user";
    /// The current account's id.
    pub const ACCOUNT: &str = "account";
    /// The user's security stamp at sign-in (a password change ends older sessions).
    pub const STAMP: &str = "stamp";
    /// The synchronizer token of the session's forms.
    pub const CSRF: &str = "csrf";
    /// The one-time message of the next page (`kind:message`).
    pub const FLASH: &str = "flash";
    /// When a new session began (for the absolute limit; set at sign-in, read by `save`).
    pub const CREATED: &str = "created";
    /// The key's hash, read with the session and never written back.
    pub const ID: &str = "_id";
    /// The database could not be reached to load the session.
    pub const UNAVAILABLE: &str = "_unavailable";
}

type State = HashMap<String, String>;

fn put<T: Serialize>(state: &mut State, key: &str, value: &T) {
    if let Ok(json) = serde_json::to_string(value) {
        state.insert(key.to_owned(), json);
    }
}

/// Puts a value into a request's session (saved after the response).
pub fn insert<T: Serialize>(
    session: &actix_session::Session,
    key: &str,
    value: &T,
) -> Result<(), AppError> {
    session.insert(key, value).map_err(AppError::internal)
}

/// A value of the state (`None` when missing or not of that type).
pub fn get<T: DeserializeOwned>(state: &State, key: &str) -> Option<T> {
    state.get(key).and_then(|v| serde_json::from_str(v).ok())
}

/// The state of a loaded session, as the request sees it (its times stay in the table: the
/// limits were judged on load).
fn state_of(loaded: &Loaded) -> State {
    let s = &loaded.session;
    let mut state = State::with_capacity(10);
    put(&mut state, keys::ID, &s.id_hash);
    put(&mut state, keys::CSRF, &s.csrf_token);
    if let Some(user) = &s.user_id {
        put(&mut state, keys::USER, user);
    }
    if let Some(account) = &s.account_id {
        put(&mut state, keys::ACCOUNT, account);
    }
    if let Some(stamp) = &s.security_stamp {
        put(&mut state, keys::STAMP, stamp);
    }
    if let Some(flash) = &s.flash {
        put(&mut state, keys::FLASH, flash);
    }
    state
}

/// Sessions loaded on this worker thread whose request has not taken them yet, by key hash.
/// A request that takes none (its handler reads no session) leaves its entry behind: the
/// table is emptied when it grows past [`HANDOVER_LIMIT`].
const HANDOVER_LIMIT: usize = 256;

thread_local! {
    static HANDOVER: RefCell<HashMap<String, Loaded>> = RefCell::new(HashMap::new());
}

fn hand_over(loaded: Loaded) {
    HANDOVER.with(|table| {
        let mut table = table.borrow_mut();
        if table.len() >= HANDOVER_LIMIT {
            table.clear();
        }
        table.insert(loaded.session.id_hash.clone(), loaded);
    });
}

/// The session the store loaded for this request (on this worker thread), if no other
/// request of the same session took it first.
pub fn take_loaded(id_hash: &str) -> Option<Loaded> {
    HANDOVER.with(|table| table.borrow_mut().remove(id_hash))
}

/// The session row a state describes, under the key hashed to `id_hash`.
pub fn row_of(state: &State, id_hash: String, now: NaiveDateTime) -> Session {
    Session {
        id_hash,
        user_id: get(state, keys::USER),
        account_id: get(state, keys::ACCOUNT),
        security_stamp: get(state, keys::STAMP),
        csrf_token: get(state, keys::CSRF).unwrap_or_default(),
        flash: get(state, keys::FLASH),
        created_at: get(state, keys::CREATED).unwrap_or(now),
        last_seen_at: now,
    }
}

/// How long a request waits for its session from the gathered reads (see
/// [`crate::db::session_reads`]) before it reads it the usual way: longer than the pool waits
/// for a connection, so that an outage is reported rather than tried twice.
const GATHERED_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The store: the instance's pool, caches and session policy.
#[derive(Clone)]
pub struct DbSessionStore {
    instance: Arc<Instance>,
}

impl DbSessionStore {
    pub fn new(instance: Arc<Instance>) -> Self {
        Self { instance }
    }
}

fn other(error: AppError) -> anyhow::Error {
    anyhow::anyhow!(error.to_string())
}

impl SessionStore for DbSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<State>, LoadError> {
        let id_hash = hash_token(session_key.as_ref());
        let instance = self.instance.clone();
        let at_once = if instance.reads_at_once {
            sessions::load_at_once(
                &instance.pool,
                &instance.caches,
                instance.changes.as_ref(),
                &id_hash,
                &instance.settings.session,
            )
        } else if let Some(reads) = &instance.session_reads {
            let gathered = sessions::load_gathered(
                reads,
                &instance.caches,
                &id_hash,
                &instance.settings.session,
            );
            // A read queued behind a statement that hangs is read again the usual way.
            actix_web::rt::time::timeout(GATHERED_WAIT, gathered)
                .await
                .unwrap_or(sessions::AtOnce::Load(None))
        } else {
            sessions::AtOnce::Load(None)
        };
        let loaded = match at_once {
            sessions::AtOnce::Done(loaded) => *loaded,
            sessions::AtOnce::Load(read) => {
                blocking(move || {
                    sessions::load(
                        &instance.pool,
                        &instance.caches,
                        &id_hash,
                        &instance.settings.session,
                        read.map(|read| *read),
                    )
                })
                .await
            }
        };
        match loaded {
            Ok(Some(found)) => {
                let state = state_of(&found);
                hand_over(found);
                Ok(Some(state))
            }
            Ok(None) => Ok(None),
            // The page answers 503 (the session is neither lost nor rewritten).
            Err(AppError::Unavailable(message)) => {
                let mut state = State::new();
                put(&mut state, keys::UNAVAILABLE, &message);
                Ok(Some(state))
            }
            Err(error) => Err(LoadError::Other(other(error))),
        }
    }

    async fn save(&self, state: State, _ttl: &Duration) -> Result<SessionKey, SaveError> {
        let (token, id_hash) = new_token();
        let key = SessionKey::try_from(token).map_err(|e| SaveError::Other(e.into()))?;
        let instance = self.instance.clone();
        blocking(move || {
            let now = instance.settings.session.clock.now();
            let mut row = row_of(&state, id_hash, now);
            row.last_seen_at = now;
            sessions::save(&instance.pool, &row)
        })
        .await
        .map_err(|e| SaveError::Other(other(e)))?;
        Ok(key)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        state: State,
        _ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        if state.contains_key(keys::UNAVAILABLE) {
            return Ok(session_key);
        }
        let id_hash = hash_token(session_key.as_ref());
        let instance = self.instance.clone();
        let updated = blocking(move || {
            let now = instance.settings.session.clock.now();
            sessions::update(&instance.pool, &row_of(&state, id_hash, now))
        })
        .await;
        match updated {
            Ok(()) => Ok(session_key),
            // The page was answered; a message shown twice or an account switch to redo
            // beats an error page for a change that is done.
            Err(AppError::Unavailable(message)) => {
                tracing::warn!(%message, "a session change was not kept");
                Ok(session_key)
            }
            Err(error) => Err(UpdateError::Other(other(error))),
        }
    }

    async fn update_ttl(&self, _session_key: &SessionKey, _ttl: &Duration) -> anyhow::Result<()> {
        // The idle limit is judged on load, which touches `last_seen_at` once a minute.
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> anyhow::Result<()> {
        let id_hash = hash_token(session_key.as_ref());
        let instance = self.instance.clone();
        blocking(move || sessions::delete(&instance.pool, &id_hash))
            .await
            .map_err(other)
    }
}
