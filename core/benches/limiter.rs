//! The limiter's benchmark: admission overhead with budget available, and the
//! throughput achieved against the emulator with compressed windows.
//!
//! Run: `cargo bench -p mde-core --bench limiter`

use std::sync::Arc;
use std::time::{Duration, Instant};

use mde_core::ratelimit::{ApiBudget, RateLimit, Windows};
use mde_core::{ActionId, Client, Config};
use mde_emulator::{Emulator, EmulatorConfig, RateWindow};
use serde_json::json;

/// Nanoseconds per admission with `tasks` tasks sharing one budget that never runs out.
fn admission_overhead(runtime: &tokio::runtime::Runtime, tasks: usize) -> f64 {
    const TOTAL: usize = 800_000;
    let limits = [
        RateLimit {
            calls: 2_000_000,
            period_ms: 60_000,
        },
        RateLimit {
            calls: 3_000_000,
            period_ms: 3_600_000,
        },
    ];
    let budget = Arc::new(ApiBudget::new(&limits, Duration::from_millis(100)));
    runtime.block_on(async {
        let started = Instant::now();
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                let budget = budget.clone();
                tokio::spawn(async move {
                    for _ in 0..TOTAL / tasks {
                        budget
                            .acquire(Duration::ZERO)
                            .await
                            .expect("budget available");
                    }
                })
            })
            .collect();
        for h in handles {
            h.await.unwrap();
        }
        started.elapsed().as_nanos() as f64 / TOTAL as f64
    })
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    println!("limiter admission overhead, budget available (two windows):");
    for tasks in [1, 8] {
        let ns = admission_overhead(&runtime, tasks);
        println!(
            "  {tasks} task(s): {:.0} ns per admission ({:.3} us; target < 5 us)",
            ns,
            ns / 1000.0
        );
    }

    // Throughput against the emulator: the same compressed windows on both sides.
    let windows = [(20u32, 250u64), (100u32, 2_500u64)];
    let emu = Emulator::start(EmulatorConfig {
        rate_limits: windows
            .iter()
            .map(|&(calls, ms)| RateWindow {
                calls,
                period: Duration::from_millis(ms),
            })
            .collect(),
        ..EmulatorConfig::default()
    })
    .unwrap();
    const CANCELS: usize = 600;
    let ids: Vec<ActionId> = (0..CANCELS)
        .map(|_| ActionId::parse(&emu.seed_one(json!({}))).unwrap())
        .collect();
    let limits: Vec<_> = windows
        .iter()
        .map(|&(c, p)| json!({"calls": c, "period_ms": p}))
        .collect();
    let client = Client::new(
        Config::from_value(json!({
            "base_url": emu.url(), "token": "bench", "rate_limits": limits,
            "rate_limit_margin_ms": 10, "max_wait_ms": 600_000,
        }))
        .unwrap(),
    )
    .unwrap();
    runtime.block_on(async {
        let handles: Vec<_> = ids
            .chunks(CANCELS / 8)
            .map(|chunk| {
                let client = client.clone();
                let chunk = chunk.to_vec();
                tokio::spawn(async move {
                    for id in chunk {
                        client.cancel_action(&id, "bench").await.unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.await.unwrap();
        }
    });
    let log = emu.requests();
    let throttled = log.iter().filter(|r| r.status == Some(429)).count();
    let span_ms = log.last().unwrap().at_ms - log[0].at_ms;
    // The allowed maximum: when the last of CANCELS may go, if all arrive at once.
    let limits: Vec<RateLimit> = windows
        .iter()
        .map(|&(calls, period_ms)| RateLimit { calls, period_ms })
        .collect();
    let start = tokio::time::Instant::now();
    let minimum_ms = (Windows::new(&limits, Duration::ZERO).earliest(start, CANCELS) - start)
        .as_secs_f64()
        * 1000.0;
    println!(
        "emulator, {} per {} ms and {} per {} ms, {CANCELS} cancels from 8 tasks:",
        windows[0].0, windows[0].1, windows[1].0, windows[1].1
    );
    println!("  span {span_ms:.0} ms, allowed minimum {minimum_ms:.0} ms");
    println!(
        "  achieved/allowed throughput: {:.4} (target >= 0.98); 429 answers: {throttled}",
        minimum_ms / span_ms
    );
}
