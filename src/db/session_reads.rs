//! Session reads gathered into one statement. Every request reads its session; on PostgreSQL
//! each read is a round trip, and handing each to a thread of the blocking pool costs the
//! server more than the statement costs the database. Here one thread of its own reads them:
//! when it is free it takes every read waiting (up to [`LIMIT`]) and answers them all from
//! one statement by key (`id_hash = ANY(…)`). Alone, a read is answered as soon as it is
//! asked; under load, the reads that arrive while a statement runs share the next one.
//!
//! Each answer comes from a statement begun after its read was asked, so it sees every
//! commit made before: what any instance changed is seen at once, as with a read of its own.
//!
//! When the database cannot serve, the batch and every read waiting behind it get the outage
//! at once (the page answers 503), so that a queue never builds up behind one attempt after
//! another. While a statement runs for longer than [`STUCK`], new reads are not queued behind
//! it: their callers read the usual way, on the pool's other connections.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::sessions::{self, ClockedSession};
use super::{DbPool, read};
use crate::error::AppError;

/// The most sessions one statement reads.
pub const LIMIT: usize = 64;

/// How long a statement may run before new reads stop waiting for the thread.
pub const STUCK: Duration = Duration::from_secs(2);

/// The answer to one read: the session, its user and the clock (`Ok(None)` when no session
/// has that key), the outage when the database cannot serve, or `None` when it could not be
/// read this way (the caller reads the usual way).
pub type Answer = Option<Result<Option<ClockedSession>, AppError>>;

struct Ask {
    id_hash: String,
    reply: tokio::sync::oneshot::Sender<Answer>,
}

/// The gathering thread's mailbox. Dropping it ends the thread once it has answered what it
/// took.
pub struct SessionReads {
    asks: mpsc::Sender<Ask>,
    busy: Arc<Busy>,
}

/// Since when the thread's current statement runs (milliseconds after `epoch`, 0 when none
/// runs).
struct Busy {
    epoch: Instant,
    since: AtomicU64,
}

impl Busy {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis())
            .unwrap_or(u64::MAX)
            .max(1)
    }

    fn stuck(&self) -> bool {
        let since = self.since.load(Ordering::Acquire);
        since != 0 && self.now().saturating_sub(since) > STUCK.as_millis() as u64
    }
}

impl SessionReads {
    /// Starts the thread that reads sessions from `pool`. `None` when no thread can be made.
    pub fn start(pool: DbPool) -> Option<Self> {
        let (asks, waiting) = mpsc::channel();
        let busy = Arc::new(Busy {
            epoch: Instant::now(),
            since: AtomicU64::new(0),
        });
        let marks = busy.clone();
        std::thread::Builder::new()
            .name("session-reads".to_owned())
            .spawn(move || serve(&pool, &waiting, &marks))
            .ok()?;
        Some(Self { asks, busy })
    }

    /// Asks for the session whose key hashes to `id_hash` now, and waits for the answer
    /// without holding the calling thread.
    pub fn ask(&self, id_hash: &str) -> impl Future<Output = Answer> + use<> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let asked = !self.busy.stuck()
            && self
                .asks
                .send(Ask {
                    id_hash: id_hash.to_owned(),
                    reply,
                })
                .is_ok();
        async move {
            if asked {
                // A thread gone (it never is but by a panic) answers nothing.
                answer.await.ok().flatten()
            } else {
                None
            }
        }
    }
}

/// Answers reads until every mailbox is dropped.
fn serve(pool: &DbPool, waiting: &mpsc::Receiver<Ask>, busy: &Busy) {
    while let Ok(first) = waiting.recv() {
        let mut batch = vec![first];
        while batch.len() < LIMIT {
            match waiting.try_recv() {
                Ok(ask) => batch.push(ask),
                Err(_) => break,
            }
        }
        busy.since.store(busy.now(), Ordering::Release);
        let outage = answer(pool, batch);
        busy.since.store(0, Ordering::Release);
        if let Some(message) = outage {
            // What waited behind the attempt would wait for the same outage.
            while let Ok(ask) = waiting.try_recv() {
                let _ = ask
                    .reply
                    .send(Some(Err(AppError::Unavailable(message.clone()))));
            }
        }
    }
}

/// Reads the sessions of a batch in one statement and answers each of its reads; the
/// database's message when it could not serve.
fn answer(pool: &DbPool, batch: Vec<Ask>) -> Option<String> {
    let mut keys: Vec<&str> = batch.iter().map(|ask| ask.id_hash.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    let rows = match read(pool, |conn| sessions::find_many_with_clock(conn, &keys)) {
        Ok(rows) => rows,
        Err(AppError::Unavailable(message)) => {
            tracing::warn!(%message, "sessions could not be read");
            for ask in batch {
                let _ = ask
                    .reply
                    .send(Some(Err(AppError::Unavailable(message.clone()))));
            }
            return Some(message);
        }
        Err(error) => {
            // Each read again the usual way, which reports its error.
            tracing::warn!(%error, "sessions could not be read together");
            for ask in batch {
                let _ = ask.reply.send(None);
            }
            return None;
        }
    };
    for ask in batch {
        let found = rows
            .iter()
            .find(|(session, _, _)| session.id_hash == ask.id_hash)
            .cloned();
        // A request that went away no longer waits for its answer.
        let _ = ask.reply.send(Some(Ok(found)));
    }
    None
}
