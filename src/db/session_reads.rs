//! Session reads gathered into one statement. Every request reads its session; on PostgreSQL
//! each read is a round trip, and handing each to a thread of the blocking pool costs the
//! server more than the statement costs the database. Here one thread of its own reads them:
//! when it is free it takes every read waiting (up to [`LIMIT`]) and answers them all from
//! one statement by key (`id_hash = ANY(…)`). Alone, a read is answered as soon as it is
//! asked; under load, the reads that arrive while a statement runs share the next one.
//!
//! Each answer comes from a statement begun after its read was asked, so it sees every
//! commit made before: what any instance changed is seen at once, as with a read of its own.

use std::sync::mpsc;

use super::sessions::{self, ClockedSession};
use super::{DbPool, read};

/// The most sessions one statement reads.
pub const LIMIT: usize = 64;

/// The answer to one read: the session, its user and the clock (`None` when no session has
/// that key), or `None` when the statement failed (the caller reads the usual way, which
/// reports why).
type Answer = Option<Option<ClockedSession>>;

struct Ask {
    id_hash: String,
    reply: tokio::sync::oneshot::Sender<Answer>,
}

/// The gathering thread's mailbox. Dropping it ends the thread once it has answered what it
/// took.
pub struct SessionReads {
    asks: mpsc::Sender<Ask>,
}

impl SessionReads {
    /// Starts the thread that reads sessions from `pool`. `None` when no thread can be made.
    pub fn start(pool: DbPool) -> Option<Self> {
        let (asks, waiting) = mpsc::channel();
        std::thread::Builder::new()
            .name("session-reads".to_owned())
            .spawn(move || serve(&pool, &waiting))
            .ok()?;
        Some(Self { asks })
    }

    /// Asks for the session whose key hashes to `id_hash` now, and waits for the answer
    /// without holding the calling thread. `None` when it could not be read this way.
    pub fn ask(&self, id_hash: &str) -> impl Future<Output = Answer> + use<> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let asked = self
            .asks
            .send(Ask {
                id_hash: id_hash.to_owned(),
                reply,
            })
            .is_ok();
        async move {
            if asked {
                answer.await.ok().flatten()
            } else {
                None
            }
        }
    }
}

/// Answers reads until every mailbox is dropped.
fn serve(pool: &DbPool, waiting: &mpsc::Receiver<Ask>) {
    while let Ok(first) = waiting.recv() {
        let mut batch = vec![first];
        while batch.len() < LIMIT {
            match waiting.try_recv() {
                Ok(ask) => batch.push(ask),
                Err(_) => break,
            }
        }
        answer(pool, batch);
    }
}

/// Reads the sessions of a batch in one statement and answers each of its reads.
fn answer(pool: &DbPool, batch: Vec<Ask>) {
    let mut keys: Vec<&str> = batch.iter().map(|ask| ask.id_hash.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    let found = read(pool, |conn| sessions::find_many_with_clock(conn, &keys));
    let rows = found.ok();
    for ask in batch {
        let answer = rows.as_ref().map(|rows| {
            rows.iter()
                .find(|(session, _, _)| session.id_hash == ask.id_hash)
                .cloned()
        });
        // A request that went away no longer waits for its answer.
        let _ = ask.reply.send(answer);
    }
}
