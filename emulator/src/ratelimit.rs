//! The service's throttling, per caller and API: a sliding window log per window.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::config::RateWindow;

/// Admission times per (caller, API), kept as long as the longest window.
#[derive(Default)]
pub struct Throttle {
    logs: HashMap<(String, String), VecDeque<Instant>>,
}

impl Throttle {
    /// Admits a request at `now`, or says how long until one would be admitted. A
    /// request is admitted when, for every window, fewer than `calls` requests were
    /// admitted in the `period` before it.
    pub fn admit(
        &mut self,
        caller: &str,
        api: &str,
        windows: &[RateWindow],
        now: Instant,
    ) -> Result<(), Duration> {
        let Some(longest) = windows.iter().map(|w| w.period).max() else {
            return Ok(());
        };
        let log = self
            .logs
            .entry((caller.to_owned(), api.to_owned()))
            .or_default();
        while log
            .front()
            .is_some_and(|t| now.duration_since(*t) >= longest)
        {
            log.pop_front();
        }
        let mut wait = Duration::ZERO;
        for w in windows {
            // Admissions strictly inside (now - period, now].
            let inside = log
                .iter()
                .rev()
                .take_while(|t| now.duration_since(**t) < w.period)
                .count();
            if inside >= w.calls as usize {
                // The oldest admission that must leave the window first.
                let oldest = log[log.len() - w.calls as usize];
                wait = wait.max(w.period - now.duration_since(oldest));
            }
        }
        if wait > Duration::ZERO {
            return Err(wait);
        }
        log.push_back(now);
        Ok(())
    }

    /// Forgets every admission.
    pub fn clear(&mut self) {
        self.logs.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_every_window() {
        let windows = [
            RateWindow {
                calls: 2,
                period: Duration::from_secs(1),
            },
            RateWindow {
                calls: 3,
                period: Duration::from_secs(10),
            },
        ];
        let mut t = Throttle::default();
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        assert!(t.admit("a", "cancel", &windows, at(0)).is_ok());
        assert!(t.admit("a", "cancel", &windows, at(1)).is_ok());
        assert_eq!(
            t.admit("a", "cancel", &windows, at(2)),
            Err(Duration::from_millis(998))
        );
        // Other callers and APIs have their own budgets.
        assert!(t.admit("b", "cancel", &windows, at(2)).is_ok());
        assert!(t.admit("a", "get", &windows, at(2)).is_ok());
        assert!(t.admit("a", "cancel", &windows, at(1000)).is_ok());
        // The hour-like window now binds: 3 in 10 s.
        assert_eq!(
            t.admit("a", "cancel", &windows, at(2500)),
            Err(Duration::from_millis(7500))
        );
        assert!(t.admit("a", "cancel", &windows, at(10_000)).is_ok());
    }
}
