//! One API's budget as callers see it: first come first served, and a bound on how
//! long anyone waits.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::windows::{RateLimit, Windows};

/// The budget of one API on one (host, identity): admissions are recorded as
/// requests are sent, in arrival order.
pub struct ApiBudget {
    state: Mutex<State>,
    /// Held by the waiter at the head of the line; tokio's mutex is FIFO-fair.
    turn: tokio::sync::Mutex<()>,
}

struct State {
    windows: Windows,
    /// Callers between arrival and admission.
    waiting: usize,
}

/// Decrements the waiting count however the wait ends (admitted, refused, dropped).
struct Waiting<'a>(&'a ApiBudget);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.lock().waiting -= 1;
    }
}

impl ApiBudget {
    /// A budget with these limits; `margin` widens every window.
    pub fn new(limits: &[RateLimit], margin: Duration) -> Self {
        ApiBudget {
            state: Mutex::new(State {
                windows: Windows::new(limits, margin),
                waiting: 0,
            }),
            turn: tokio::sync::Mutex::new(()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is consistent after every statement: a panic elsewhere cannot
        // leave it half-written.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for budget and records the admission. When admission would come later
    /// than `max_wait` from now, returns at once with how long it would take.
    pub async fn acquire(&self, max_wait: Duration) -> Result<(), Duration> {
        let now = Instant::now();
        let deadline = now + max_wait;
        {
            let mut state = self.lock();
            if !state.windows.is_limited() {
                return Ok(());
            }
            if state.waiting == 0 && state.windows.earliest(now, 1) <= now {
                state.windows.record(now);
                return Ok(());
            }
            let when = state.windows.earliest(now, state.waiting + 1);
            if when > deadline {
                return Err(when - now);
            }
            state.waiting += 1;
        }
        let _waiting = Waiting(self);
        let _turn = self.turn.lock().await;
        loop {
            let now = Instant::now();
            let when = {
                let mut state = self.lock();
                let when = state.windows.earliest(now, 1);
                if when <= now {
                    state.windows.record(now);
                    return Ok(());
                }
                when
            };
            // A 429 may have paused the API since arrival.
            if when > deadline {
                return Err(when - now);
            }
            tokio::time::sleep_until(when).await;
        }
    }

    /// How long until `n` more requests could all have been admitted: the limits' own
    /// estimate of a bulk job's remaining time. The callers already waiting are taken
    /// to be part of those `n` (a bulk job's own requests in flight), unless they
    /// are more.
    pub fn eta(&self, n: usize) -> Duration {
        let now = Instant::now();
        let state = self.lock();
        if n == 0 || !state.windows.is_limited() {
            return Duration::ZERO;
        }
        state.windows.earliest(now, n.max(state.waiting)) - now
    }

    /// Pauses the API until `until` (a 429's `Retry-After`).
    pub fn pause(&self, until: Instant) {
        self.lock().windows.pause(until);
    }
}
