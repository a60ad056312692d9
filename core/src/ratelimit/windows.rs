//! The exact sliding-window arithmetic of one API's budget, with no clock and no
//! locking: the state a budget backend keeps.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// One limit: at most `calls` requests in any interval of `period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
pub struct RateLimit {
    /// Requests allowed in any interval of `period`.
    pub calls: u32,
    /// The window length, in milliseconds.
    pub period_ms: u64,
}

impl RateLimit {
    /// The window length.
    pub fn period(&self) -> Duration {
        Duration::from_millis(self.period_ms)
    }
}

/// The admissions of one API, enough of them to check every window: a request may
/// be admitted at `t` when, for each limit, fewer than `calls` admissions happened in
/// the `period + margin` before `t`. Only the last `max(calls)` admissions matter.
#[derive(Debug)]
pub struct Windows {
    limits: Vec<RateLimit>,
    margin: Duration,
    keep: usize,
    admitted: VecDeque<Instant>,
    paused_until: Option<Instant>,
}

impl Windows {
    /// An empty log for these limits; `margin` is added to every period.
    pub fn new(limits: &[RateLimit], margin: Duration) -> Self {
        let keep = limits.iter().map(|l| l.calls as usize).max().unwrap_or(0);
        Windows {
            limits: limits.to_vec(),
            margin,
            keep,
            // Grows on demand: a generous limit costs memory only when it is used.
            admitted: VecDeque::with_capacity(keep.min(4096)),
            paused_until: None,
        }
    }

    /// The earliest instant, not before `now`, at which the `n`-th of `n` further
    /// requests could be admitted if each is admitted as early as the limits allow
    /// (`n = 1`: the next request). Exact: this is when the limits allow it.
    pub fn earliest(&self, now: Instant, n: usize) -> Instant {
        // The times planned for the first n - 1 requests, needed only when a later one
        // looks back past the recorded admissions: no allocation for n = 1.
        let mut planned: Vec<Instant> = Vec::new();
        let len = self.admitted.len();
        let mut t = self.paused_until.map_or(now, |p| now.max(p));
        for j in 0..n.max(1) {
            // `t` never decreases, so request j is never planned before request j - 1.
            for limit in &self.limits {
                let calls = limit.calls as usize;
                // The admission that must leave the window before this one enters.
                let Some(i) = (len + j).checked_sub(calls).filter(|_| calls > 0) else {
                    continue;
                };
                let leaving = if i < len {
                    self.admitted[i]
                } else {
                    planned[i - len]
                };
                t = t.max(leaving + limit.period() + self.margin);
            }
            if j + 1 < n {
                planned.push(t);
            }
        }
        t
    }

    /// Records an admission at `at` (the moment the request is sent).
    pub fn record(&mut self, at: Instant) {
        if self.keep == 0 {
            return;
        }
        if self.admitted.len() == self.keep {
            self.admitted.pop_front();
        }
        self.admitted.push_back(at);
    }

    /// Admits nothing before `until` (after a 429 with `Retry-After`).
    pub fn pause(&mut self, until: Instant) {
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
    }

    /// Whether any limit is configured.
    pub fn is_limited(&self) -> bool {
        !self.limits.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows(limits: &[(u32, u64)]) -> Windows {
        let limits: Vec<RateLimit> = limits
            .iter()
            .map(|&(calls, period_ms)| RateLimit { calls, period_ms })
            .collect();
        Windows::new(&limits, Duration::ZERO)
    }

    #[test]
    fn a_burst_goes_out_at_once_then_waits_for_the_oldest_to_leave() {
        let t0 = Instant::now();
        let mut w = windows(&[(3, 1000)]);
        for _ in 0..3 {
            assert_eq!(w.earliest(t0, 1), t0);
            w.record(t0);
        }
        assert_eq!(w.earliest(t0, 1), t0 + Duration::from_millis(1000));
        assert_eq!(w.earliest(t0, 3), t0 + Duration::from_millis(1000));
        assert_eq!(w.earliest(t0, 4), t0 + Duration::from_millis(2000));
    }

    #[test]
    fn the_stricter_window_wins() {
        let t0 = Instant::now();
        let mut w = windows(&[(2, 100), (3, 1000)]);
        let ms = |m| t0 + Duration::from_millis(m);
        w.record(ms(0));
        w.record(ms(0));
        assert_eq!(w.earliest(ms(0), 1), ms(100));
        w.record(ms(100));
        assert_eq!(w.earliest(ms(100), 1), ms(1000));
    }

    #[test]
    fn a_pause_delays_everything() {
        let t0 = Instant::now();
        let mut w = windows(&[(100, 1000)]);
        w.pause(t0 + Duration::from_secs(5));
        w.pause(t0 + Duration::from_secs(2));
        assert_eq!(w.earliest(t0, 1), t0 + Duration::from_secs(5));
    }

    #[test]
    fn no_limits_admit_everything_now() {
        let t0 = Instant::now();
        let mut w = windows(&[]);
        w.record(t0);
        assert_eq!(w.earliest(t0, 1000), t0);
        assert!(!w.is_limited());
    }
}
