//! Database access: the connection over both backends, the pool, migrations and transactions.
//! Functions here never make authorization decisions.

pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod backup;
pub mod browse;
pub mod build;
pub mod bulk;
pub mod changes;
pub mod connection;
pub mod deploy;
pub mod files;
pub mod generations;
pub mod groups;
pub mod ids;
pub mod invitations;
pub mod jobs;
pub mod library;
pub mod library_code;
pub mod name_search;
pub mod overview;
pub mod pack_instances;
pub mod packs;
pub mod platform;
pub mod rekey;
pub mod schema;
pub mod seek;
pub mod session_reads;
pub mod sessions;

pub use connection::{
    Backend, DbConnection, DbPool, connect_pool, read, read_at_once, snapshot, write,
};

use chrono::{NaiveDateTime, Utc};

/// Runs the same diesel code on the concrete connection of each backend. Needed where the
/// multi-backend connection lacks a feature both backends have: multi-row `INSERT … VALUES`.
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Postgresql($c) => $body,
        }
    };
}
pub(crate) use per_backend;

/// The current time as stored: UTC, truncated to microseconds so both backends keep it whole.
pub fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    now.with_nanosecond_micros()
}

trait TruncateMicros {
    fn with_nanosecond_micros(self) -> Self;
}

impl TruncateMicros for NaiveDateTime {
    fn with_nanosecond_micros(self) -> Self {
        use chrono::Timelike;
        let micros = self.nanosecond() / 1_000 * 1_000;
        self.with_nanosecond(micros).unwrap_or(self)
    }
}

/// A `LIKE` pattern matching text that contains `text` literally (`%`, `_` and `\\` escaped;
/// use with `.escape('\\')`).
pub fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// A new id for a row: a UUIDv7, time-ordered with 74 random bits, so that the rows of one
/// transaction land side by side at the end of each primary-key index instead of dirtying a
/// random page of it per row (an install of 50 components into a large database writes a few
/// pages instead of hundreds).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
