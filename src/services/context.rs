//! What a service runs in: the [`Instance`] it belongs to (pool, caches, sealer, settings,
//! throttle), who is asking ([`Caller`]) and the data generation read with their session.
//! Services take one `&Ctx` instead of a pool, caches, a caller and a generation each.
//!
//! A context is either *full* (it may open the database: run it off the async workers) or
//! *cache-only* (any database work, or a cache miss, answers [`AppError::NeedsDatabase`]),
//! so one service function serves a page from memory on the request's own thread when it
//! can, and is run again off the workers when it cannot (`web::request`).

use crate::db::generations::Generations;
use std::hash::Hash;
use std::sync::Arc;

use crate::config::Settings;
use crate::db::{self, DbConnection, DbPool};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::cache::{Caches, GenerationCache, LastingCache, Tagged, Weight};
use crate::services::secrets::Sealer;
use crate::services::throttle::SignInThrottle;

/// What one running instance shares across requests.
pub struct Instance {
    pub pool: DbPool,
    pub settings: Settings,
    pub throttle: SignInThrottle,
    /// The JSON API's requests per token (GCRA from `governor`).
    pub api_limiter: governor::DefaultKeyedRateLimiter<String>,
    pub sealer: Sealer,
    pub caches: Caches,
    /// Signs the session cookie.
    pub cookie_key: actix_web::cookie::Key,
    /// Signs the anonymous forms' CSRF cookie.
    pub csrf_key: actix_web::cookie::Key,
    /// Whether a request may run a lookup by key at once on its own thread (SQLite, whose
    /// readers never wait for its writer; see [`crate::db::read_at_once`]).
    pub reads_at_once: bool,
    /// The watch over the database's commits (SQLite in write-ahead-log mode): a session
    /// read since the last commit is used again without a statement.
    pub changes: Option<db::changes::Changes>,
    /// The thread that reads sessions many at a time in one statement (PostgreSQL, where
    /// each read is a round trip; see [`crate::db::session_reads`]).
    pub session_reads: Option<db::session_reads::SessionReads>,
}

impl Instance {
    /// Prepares the database (built-in roles) and the shared state.
    pub fn new(pool: DbPool, settings: Settings) -> Result<Self, AppError> {
        crate::services::accounts::setup::prepare_database(&pool)?;
        let throttle = SignInThrottle::new(settings.throttle);
        let rate = std::num::NonZeroU32::new(settings.api_requests_per_second)
            .unwrap_or(std::num::NonZeroU32::MIN);
        let api_limiter =
            governor::RateLimiter::keyed(governor::Quota::per_second(rate).allow_burst(
                rate.saturating_mul(
                    std::num::NonZeroU32::new(2).unwrap_or(std::num::NonZeroU32::MIN),
                ),
            ));
        let sealer = Sealer::new(&settings.secret_key);
        let reads_at_once = db::read(&pool, |conn| Ok(matches!(conn, DbConnection::Sqlite(_))))?;
        let changes = if reads_at_once {
            db::changes::Changes::watch(&pool)
        } else {
            None
        };
        let session_reads = if reads_at_once {
            None
        } else {
            db::session_reads::SessionReads::start(pool.clone())
        };
        Ok(Self {
            reads_at_once,
            changes,
            session_reads,
            pool,
            cookie_key: settings.cookie_key(),
            csrf_key: settings.csrf_key(),
            settings,
            throttle,
            api_limiter,
            sealer,
            caches: Caches::default(),
        })
    }
}

/// One request's context (cheap to clone).
#[derive(Clone)]
pub struct Ctx {
    shared: Arc<Shared>,
    database: bool,
}

struct Shared {
    instance: Arc<Instance>,
    caller: Caller,
    generations: Generations,
}

impl Ctx {
    /// A full context for `caller`, with the generations read with their session (where
    /// they are unknown, nothing is cached).
    pub fn new(instance: Arc<Instance>, caller: Caller, generations: Generations) -> Self {
        Self {
            shared: Arc::new(Shared {
                instance,
                caller,
                generations,
            }),
            database: true,
        }
    }

    /// A full context of the same instance for another caller (the command line acting in
    /// several accounts).
    pub fn acting_as(&self, caller: Caller) -> Self {
        Self::new(self.shared.instance.clone(), caller, Generations::none())
    }

    /// The same context, unable to open the database: it serves from the caches or answers
    /// [`AppError::NeedsDatabase`].
    pub fn cache_only(&self) -> Self {
        Self {
            shared: self.shared.clone(),
            database: false,
        }
    }

    pub fn caller(&self) -> &Caller {
        &self.shared.caller
    }

    pub fn instance(&self) -> &Instance {
        &self.shared.instance
    }

    /// The instance, shared (to build another request's context).
    pub fn instance_arc(&self) -> Arc<Instance> {
        self.shared.instance.clone()
    }

    /// The time now by the instance's clock (which tests move forward): what scheduled
    /// releases are judged by.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.shared.instance.settings.session.clock.now()
    }

    pub fn sealer(&self) -> &Sealer {
        &self.shared.instance.sealer
    }

    pub fn caches(&self) -> &Caches {
        &self.shared.instance.caches
    }

    /// The generations read with the caller's session.
    pub fn generations(&self) -> &Generations {
        &self.shared.generations
    }

    /// The pool, for work that is not one read or one write (a full context only).
    pub fn pool(&self) -> Result<&DbPool, AppError> {
        if self.database {
            Ok(&self.shared.instance.pool)
        } else {
            Err(AppError::NeedsDatabase)
        }
    }

    /// A read on a pooled connection (tried once more on a lost connection).
    pub fn read<T>(
        &self,
        f: impl Fn(&mut DbConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        db::read(self.pool()?, f)
    }

    /// A write transaction on a pooled connection.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        db::write(self.pool()?, f)
    }

    /// The value of `key` in a generation cache, as recent as this request's generations of
    /// what the cache depends on: built (and kept) when missing or older, in a full context
    /// only.
    pub fn cached<K: Eq + Hash + Clone, V: Weight>(
        &self,
        cache: impl FnOnce(&Caches) -> &GenerationCache<K, V>,
        key: &K,
        build: impl FnOnce() -> Result<V, AppError>,
    ) -> Result<Arc<Tagged<V>>, AppError> {
        let cache = cache(self.caches());
        let generation = self.generations().of(cache.depends());
        if self.database {
            cache.get_or_build(key, generation, build)
        } else {
            cache
                .current(key, generation)
                .ok_or(AppError::NeedsDatabase)
        }
    }

    /// The value of `key` in a cache of values that never change: built (and kept) when
    /// missing, in a full context only.
    pub fn lasting<K: Eq + Hash + Clone, V: Weight>(
        &self,
        cache: impl FnOnce(&Caches) -> &LastingCache<K, V>,
        key: &K,
        build: impl FnOnce() -> Result<V, AppError>,
    ) -> Result<Arc<Tagged<V>>, AppError> {
        let cache = cache(self.caches());
        if self.database {
            cache.get_or_build(key, build)
        } else {
            cache.get(key).ok_or(AppError::NeedsDatabase)
        }
    }
}
