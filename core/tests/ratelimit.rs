//! The client-side limiter against the emulator's throttling, with compressed windows.

mod common;

use std::time::{Duration, Instant};

use common::*;
use mde_core::ErrorKind;
use mde_emulator::{Emulator, EmulatorConfig, RateWindow};
use serde_json::json;

fn compressed() -> Emulator {
    Emulator::start(EmulatorConfig {
        rate_limits: vec![
            RateWindow {
                calls: 10,
                period: Duration::from_millis(200),
            },
            RateWindow {
                calls: 40,
                period: Duration::from_millis(2000),
            },
        ],
        ..EmulatorConfig::default()
    })
    .unwrap()
}

fn limits() -> serde_json::Value {
    json!({
        "rate_limits": [{"calls": 10, "period_ms": 200}, {"calls": 40, "period_ms": 2000}],
        "rate_limit_margin_ms": 15,
        "max_wait_ms": 60000,
    })
}

/// When the i-th (0-based) of a burst may be sent under 10/200 ms and 40/2 s.
fn earliest_ms(i: usize) -> f64 {
    ((i / 40) * 2000 + ((i % 40) / 10) * 200) as f64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrent_bulk_is_never_throttled_and_as_fast_as_the_limits_allow() {
    const TOTAL: usize = 240;
    const TASKS: usize = 6;
    let emu = compressed();
    let ids: Vec<_> = (0..TOTAL).map(|_| seed(&emu, json!({}))).collect();
    let c = client_with(&emu, limits());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for chunk in ids.chunks(TOTAL / TASKS) {
        let c = c.clone();
        let chunk = chunk.to_vec();
        tasks.push(tokio::spawn(async move {
            for id in chunk {
                c.cancel_action(&id, "bulk").await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = started.elapsed();
    let log = emu.requests();
    assert_eq!(log.len(), TOTAL, "one request per cancel");
    assert!(log.iter().all(|r| r.status == Some(200)), "zero 429s");
    let span = log.last().unwrap().at_ms - log[0].at_ms;
    let minimum = earliest_ms(TOTAL - 1);
    println!("bulk of {TOTAL}: span {span:.0} ms, minimum {minimum:.0} ms, wall {elapsed:?}");
    assert!(
        span >= minimum,
        "faster than the limits allow: {span} < {minimum}"
    );
    assert!(
        span <= minimum * 1.05,
        "slower than 105% of the minimum: {span} ms vs {minimum} ms"
    );
}

#[tokio::test]
async fn a_wait_beyond_max_wait_fails_at_once_and_sends_nothing() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    let c = client_with(
        &emu,
        json!({"rate_limits": [{"calls": 2, "period_ms": 10000}], "max_wait_ms": 100}),
    );
    c.get_action(&id).await.unwrap();
    c.get_action(&id).await.unwrap();
    let started = Instant::now();
    let err = c.get_action(&id).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(100),
        "failed at once"
    );
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.attempts(), 0);
    let wait = err.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(9) && wait <= Duration::from_millis(10_100),
        "{wait:?}"
    );
    assert!(err.to_string().contains("max_wait_ms"), "{err}");
    assert_eq!(emu.requests().len(), 2);
}

#[tokio::test]
async fn clients_with_the_same_identity_share_one_budget() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    let config = json!({"rate_limits": [{"calls": 3, "period_ms": 10000}], "max_wait_ms": 0});
    let a = client_with(&emu, config.clone());
    let b = client_with(&emu, config.clone());
    for _ in 0..3 {
        a.get_action(&id).await.unwrap();
    }
    assert_eq!(
        b.get_action(&id).await.unwrap_err().kind(),
        ErrorKind::RateLimited
    );
    // Another identity has its own budget.
    let mut other = config;
    other["token"] = json!("another-app-token");
    client_with(&emu, other).get_action(&id).await.unwrap();
    assert_eq!(emu.requests().len(), 4);
}

#[tokio::test]
async fn an_empty_list_turns_client_side_limiting_off() {
    let emu = Emulator::start(EmulatorConfig {
        rate_limits: vec![RateWindow {
            calls: 2,
            period: Duration::from_secs(60),
        }],
        ..EmulatorConfig::default()
    })
    .unwrap();
    let id = seed(&emu, json!({}));
    let c = client_with(&emu, json!({"rate_limits": [], "max_retries": 0}));
    c.get_action(&id).await.unwrap();
    c.get_action(&id).await.unwrap();
    // Nothing held the third back: the emulator throttled it.
    let err = c.get_action(&id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.http_status(), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(60)));
}
