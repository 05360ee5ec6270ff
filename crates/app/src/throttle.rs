//! Sign-in throttling: slow a password guesser down without locking the real user out.
//!
//! - **Per account**, an exponential delay instead of a lock: the first few failures are
//!   free; after them, each further attempt on the account must wait a delay that doubles
//!   with every failure (1 s, 2 s, 4 s, … up to a cap). An attempt inside the delay is
//!   refused unchecked (429 with the seconds left) and does not count; a success clears it.
//! - **Per client address**, a limit that can never refuse the right password: an address
//!   with too many failures in the window is only slowed — every failed attempt from it is
//!   answered after a pause — while its attempts are still checked, so an office behind one
//!   address keeps signing in while a machine next to it guesses.
//!
//! Pure arithmetic; the service (`auth`) reads the counts and writes the attempts.

use jiff::SignedDuration;

/// The throttling rules (from the service settings).
#[derive(Debug, Clone)]
pub struct SignInPolicy {
    /// Failures of one account (since its last success) before delays begin.
    pub free_failures: i64,
    /// The first delay; each further failure doubles it.
    pub base_delay: SignedDuration,
    /// The longest delay.
    pub max_delay: SignedDuration,
    /// Failures older than this are forgotten (for accounts).
    pub memory: SignedDuration,
    /// Failures from one address within `client_window` after which it is slowed.
    pub client_failures: i64,
    pub client_window: SignedDuration,
    /// How long a failed attempt from a slowed address waits for its answer.
    pub client_pause: std::time::Duration,
}

impl Default for SignInPolicy {
    fn default() -> Self {
        SignInPolicy {
            free_failures: 5,
            base_delay: SignedDuration::from_secs(1),
            max_delay: SignedDuration::from_mins(15),
            memory: SignedDuration::from_hours(24),
            client_failures: 30,
            client_window: SignedDuration::from_mins(15),
            client_pause: std::time::Duration::from_secs(2),
        }
    }
}

impl SignInPolicy {
    /// The delay an account is under after `failures` consecutive failures.
    pub fn delay_after(&self, failures: i64) -> SignedDuration {
        let over = failures - self.free_failures;
        if over < 0 {
            return SignedDuration::ZERO;
        }
        let factor = 1i32 << over.min(30);
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// How many whole seconds (rounded up) an attempt at `now` must still wait, if any.
    /// Times are microseconds since the epoch.
    pub fn wait(&self, failures: i64, last_failure: Option<i64>, now: i64) -> Option<u64> {
        let last = last_failure?;
        let delay = self.delay_after(failures).as_micros() as i64;
        let left = last.saturating_add(delay).saturating_sub(now);
        (left > 0).then(|| (left as u64).div_ceil(1_000_000))
    }

    /// Whether an address with this many recent failures is slowed.
    pub fn slows_client(&self, failures: i64) -> bool {
        failures >= self.client_failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: i64 = 1_000_000;

    #[test]
    fn the_first_failures_are_free_then_the_delay_doubles_up_to_its_cap() {
        let policy = SignInPolicy::default();
        let delays: Vec<i64> = (0..=16).map(|f| policy.delay_after(f).as_secs()).collect();
        assert_eq!(
            delays,
            [
                0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900
            ]
        );
        assert_eq!(policy.delay_after(10_000), SignedDuration::from_mins(15));
    }

    #[test]
    fn an_attempt_waits_only_for_what_is_left_of_the_delay() {
        let policy = SignInPolicy::default();
        let now = 1_000 * SECOND;
        assert_eq!(policy.wait(4, Some(now), now), None, "still free");
        assert_eq!(policy.wait(5, Some(now), now), Some(1));
        assert_eq!(policy.wait(7, Some(now - SECOND), now), Some(3));
        assert_eq!(
            policy.wait(7, Some(now - 4 * SECOND), now),
            None,
            "delay over"
        );
        assert_eq!(
            policy.wait(8, Some(now - SECOND / 2), now),
            Some(8),
            "rounded up"
        );
        assert_eq!(policy.wait(9, None, now), None);
    }

    #[test]
    fn an_address_is_slowed_from_its_limit_on() {
        let policy = SignInPolicy::default();
        assert!(!policy.slows_client(29));
        assert!(policy.slows_client(30));
    }
}
