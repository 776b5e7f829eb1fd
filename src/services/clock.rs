//! The time sessions are judged by: the system clock, moved forward by an offset that only
//! tests set (so idle and absolute expiry are tested by letting time pass, not by editing rows).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::NaiveDateTime;

use crate::db;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Seconds added to the system clock (shared by every copy of the clock).
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// The current time as stored (UTC, whole microseconds), plus the offset.
    pub fn now(&self) -> NaiveDateTime {
        db::now() + chrono::Duration::seconds(self.offset.load(Ordering::SeqCst))
    }

    /// Moves this clock, and every copy of it, forward.
    pub fn advance(&self, by: Duration) {
        let seconds = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_share_the_offset() {
        let clock = Clock::default();
        let copy = clock.clone();
        let before = copy.now();
        clock.advance(Duration::from_secs(3600));
        let moved = copy.now() - before;
        assert!(moved >= chrono::Duration::seconds(3600));
        assert!(moved < chrono::Duration::seconds(3660));
    }
}
