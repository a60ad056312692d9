//! The limiter on tokio's paused clock: random arrival patterns never exceed any
//! window, and every request is admitted exactly when a first-come-first-served
//! schedule allows it (checked against a brute-force oracle).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::*;

/// A budget with one window of `calls` per `period_ms`.
fn one_window(calls: u32, period_ms: u64, margin: Duration) -> ApiBudget {
    ApiBudget::new(&[RateLimit { calls, period_ms }], margin)
}

/// The admission times (ms) a first-come-first-served client should get: each request,
/// in arrival order, at the earliest time not before its arrival nor the previous
/// admission at which every window holds fewer than `calls` admissions in the
/// `period` before it.
fn oracle(arrivals: &[u64], limits: &[RateLimit]) -> Vec<u64> {
    let mut admitted: Vec<u64> = Vec::new();
    for &a in arrivals {
        let mut t = a.max(admitted.last().copied().unwrap_or(0));
        loop {
            let mut later = t;
            for l in limits {
                let inside: Vec<u64> = admitted
                    .iter()
                    .copied()
                    .filter(|&x| t - x < l.period_ms)
                    .collect();
                if inside.len() >= l.calls as usize {
                    later = later.max(inside[inside.len() - l.calls as usize] + l.period_ms);
                }
            }
            if later == t {
                break;
            }
            t = later;
        }
        admitted.push(t);
    }
    admitted
}

/// Checks that no interval of `period` holds more than `calls` admissions.
fn assert_no_window_exceeded(times: &[u64], limits: &[RateLimit]) {
    for l in limits {
        for (i, &t) in times.iter().enumerate() {
            let inside = times[..=i].iter().filter(|&&x| t - x < l.period_ms).count();
            assert!(
                inside <= l.calls as usize,
                "{inside} admissions in {} ms before {t} with limit {l:?}",
                l.period_ms
            );
        }
    }
}

async fn run_pattern(arrivals: Vec<u64>, limits: Vec<RateLimit>) -> Vec<u64> {
    let budget = Arc::new(ApiBudget::new(&limits, Duration::ZERO));
    let start = Instant::now();
    let admitted = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for (i, at) in arrivals.iter().copied().enumerate() {
        let budget = budget.clone();
        let admitted = admitted.clone();
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(start + Duration::from_millis(at)).await;
            // Spread same-instant arrivals in index order.
            tokio::task::yield_now().await;
            budget.acquire(Duration::from_secs(1 << 20)).await.unwrap();
            let ms = (Instant::now() - start).as_millis() as u64;
            admitted.lock().unwrap().push((i, ms));
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut out = admitted.lock().unwrap().clone();
    out.sort_by_key(|&(i, ms)| (ms, i));
    out.into_iter().map(|(_, ms)| ms).collect()
}

#[tokio::test(start_paused = true)]
async fn random_patterns_are_exact_and_never_exceed_a_window() {
    let mut rng = fastrand::Rng::with_seed(0x5eed_2026);
    for round in 0..150 {
        let mut limits = vec![RateLimit {
            calls: rng.u32(1..6),
            period_ms: rng.u64(10..200),
        }];
        if rng.bool() {
            let first = limits[0];
            limits.push(RateLimit {
                calls: first.calls * rng.u32(2..5),
                period_ms: first.period_ms * rng.u64(3..12),
            });
        }
        let n = rng.usize(1..40);
        let mut arrivals: Vec<u64> = (0..n)
            .map(|_| {
                if rng.u8(..4) == 0 {
                    0
                } else {
                    rng.u64(0..2000)
                }
            })
            .collect();
        arrivals.sort_unstable();
        let actual = run_pattern(arrivals.clone(), limits.clone()).await;
        assert_no_window_exceeded(&actual, &limits);
        let expected = oracle(&arrivals, &limits);
        assert_eq!(
            actual, expected,
            "round {round}: arrivals {arrivals:?} limits {limits:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_100_goes_out_at_once_and_the_hour_sustains_1500() {
    // The service's limits, which are the defaults.
    let limits = crate::config::DEFAULT_RATE_LIMITS.to_vec();
    let actual = run_pattern(vec![0; 1600], limits.clone()).await;
    assert!(actual[..100].iter().all(|&t| t == 0));
    assert_eq!(actual[100], 60_000);
    // 1500 calls fit in 14 minutes; the 1501st waits for the first to leave the hour.
    assert_eq!(actual[1499], 14 * 60_000);
    assert_eq!(actual[1500], 3_600_000);
    assert_no_window_exceeded(&actual, &limits);
}

#[tokio::test(start_paused = true)]
async fn a_wait_longer_than_max_wait_fails_at_once_and_takes_nothing() {
    let budget = one_window(2, 10_000, Duration::ZERO);
    let start = Instant::now();
    budget.acquire(Duration::ZERO).await.unwrap();
    budget.acquire(Duration::ZERO).await.unwrap();
    let wait = budget.acquire(Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(wait, Duration::from_secs(10));
    assert_eq!(Instant::now(), start, "failed at once");
    // The refused call took no budget: the next one is admitted at 10 s.
    budget.acquire(Duration::from_secs(10)).await.unwrap();
    assert_eq!(Instant::now() - start, Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn max_wait_counts_the_callers_ahead() {
    let budget = Arc::new(one_window(1, 1000, Duration::ZERO));
    budget.acquire(Duration::ZERO).await.unwrap();
    let ahead = {
        let b = budget.clone();
        tokio::spawn(async move { b.acquire(Duration::from_secs(5)).await })
    };
    tokio::task::yield_now().await;
    // One caller is waiting for t=1 s, so this one would go at t=2 s.
    assert_eq!(
        budget.acquire(Duration::from_millis(1500)).await,
        Err(Duration::from_secs(2))
    );
    assert!(ahead.await.unwrap().is_ok());
}

#[tokio::test(start_paused = true)]
async fn a_pause_holds_every_caller_until_it_ends() {
    let budget = one_window(100, 1000, Duration::ZERO);
    let start = Instant::now();
    budget.pause(start + Duration::from_secs(3));
    assert_eq!(
        budget.acquire(Duration::from_secs(1)).await,
        Err(Duration::from_secs(3))
    );
    budget.acquire(Duration::from_secs(3)).await.unwrap();
    assert_eq!(Instant::now() - start, Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn the_margin_widens_every_window() {
    let budget = one_window(1, 1000, Duration::from_millis(50));
    let start = Instant::now();
    budget.acquire(Duration::ZERO).await.unwrap();
    budget.acquire(Duration::from_secs(2)).await.unwrap();
    assert_eq!(Instant::now() - start, Duration::from_millis(1050));
}

#[tokio::test(start_paused = true)]
async fn an_abandoned_wait_gives_its_place_back() {
    let budget = Arc::new(one_window(1, 1000, Duration::ZERO));
    budget.acquire(Duration::ZERO).await.unwrap();
    let waiter = {
        let b = budget.clone();
        tokio::spawn(async move { b.acquire(Duration::from_secs(60)).await })
    };
    tokio::task::yield_now().await;
    waiter.abort();
    let _ = waiter.await;
    let start = Instant::now();
    budget.acquire(Duration::from_secs(2)).await.unwrap();
    assert_eq!(Instant::now() - start, Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn eta_is_the_schedule_of_the_remaining_requests() {
    let budget = one_window(10, 1000, Duration::ZERO);
    assert_eq!(budget.eta(10), Duration::ZERO);
    for _ in 0..10 {
        budget.acquire(Duration::ZERO).await.unwrap();
    }
    assert_eq!(budget.eta(1), Duration::from_secs(1));
    assert_eq!(budget.eta(20), Duration::from_secs(2));
    assert_eq!(budget.eta(0), Duration::ZERO);
}
