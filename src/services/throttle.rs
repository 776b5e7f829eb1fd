//! Throttling of failed sign-ins per e-mail and per client address (GCRA from `governor`).
//! Only failures spend the quota: the failure that uses up the last one is answered "too
//! many", and the key is then refused, whatever the password, until the quota refills.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Limits: how many failures in a burst, and how often one more is allowed afterwards.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimits {
    pub per_email: u32,
    pub per_address: u32,
    pub refill_every: Duration,
}

pub struct SignInThrottle {
    by_email: DefaultKeyedRateLimiter<String>,
    by_address: DefaultKeyedRateLimiter<String>,
    blocked: Mutex<HashMap<String, Instant>>,
}

impl SignInThrottle {
    pub fn new(limits: ThrottleLimits) -> Self {
        let quota = |burst: u32| {
            Quota::with_period(limits.refill_every.max(Duration::from_millis(1)))
                .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
                .allow_burst(
                    NonZeroU32::new(burst.saturating_sub(1).max(1)).unwrap_or(NonZeroU32::MIN),
                )
        };
        Self {
            by_email: RateLimiter::keyed(quota(limits.per_email)),
            by_address: RateLimiter::keyed(quota(limits.per_address)),
            blocked: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` while the e-mail or the address is blocked.
    pub fn check(&self, email_key: &str, address: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let Ok(blocked) = self.blocked.lock() else {
            return Ok(());
        };
        [email_key_of(email_key), address_key_of(address)]
            .iter()
            .filter_map(|key| blocked.get(key))
            .filter(|until| **until > now)
            .map(|until| *until - now)
            .max()
            .map_or(Ok(()), Err)
    }

    /// Spends one failure; `Err(wait)` when this failure used up a quota.
    pub fn record_failure(&self, email_key: &str, address: &str) -> Result<(), Duration> {
        let clock = DefaultClock::default();
        let mut wait = None;
        for (limiter, key) in [
            (&self.by_email, email_key_of(email_key)),
            (&self.by_address, address_key_of(address)),
        ] {
            if let Err(not_until) = limiter.check_key(&key) {
                let duration = not_until.wait_time_from(clock.now());
                self.block(key, duration);
                wait = Some(wait.map_or(duration, |w: Duration| w.max(duration)));
            }
        }
        wait.map_or(Ok(()), Err)
    }

    fn block(&self, key: String, duration: Duration) {
        if let Ok(mut blocked) = self.blocked.lock() {
            let now = Instant::now();
            if blocked.len() > 10_000 {
                blocked.retain(|_, until| *until > now);
            }
            blocked.insert(key, now + duration);
        }
        self.by_email.retain_recent();
        self.by_address.retain_recent();
    }
}

fn email_key_of(email_key: &str) -> String {
    format!("email:{email_key}")
}

fn address_key_of(address: &str) -> String {
    format!("addr:{address}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_beyond_the_burst_block_the_email() {
        let throttle = SignInThrottle::new(ThrottleLimits {
            per_email: 3,
            per_address: 100,
            refill_every: Duration::from_secs(60),
        });
        for _ in 0..2 {
            assert!(throttle.check("a@x.test", "1.2.3.4").is_ok());
            assert!(throttle.record_failure("a@x.test", "1.2.3.4").is_ok());
        }
        assert!(
            throttle.record_failure("a@x.test", "1.2.3.4").is_err(),
            "the third failure locks"
        );
        assert!(throttle.check("a@x.test", "5.6.7.8").is_err());
        assert!(throttle.check("b@x.test", "1.2.3.4").is_ok());
    }
}
