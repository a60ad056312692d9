//! `mde demo`: a mistaken mass isolation on an in-process emulator, then the real
//! selection and bulk cancel, with no credentials needed.

use std::process::ExitCode;

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use http::{Request, StatusCode};
use http_body_util::Full;
use hyper_util::rt::TokioExecutor;
use mde_core::{Client, Config};
use mde_emulator::{Emulator, EmulatorConfig};
use serde_json::json;

use crate::cancel::{self, CancelArgs};
use crate::selection::FilterArgs;
use crate::Failure;

const PLAYBOOK: &str = "SOAR playbook";
const MISTAKES: usize = 30;
const FINISHED: usize = 6;
const UNRELATED: usize = 10;

/// Runs the demo; exit status 0 when every mistaken pending isolation was cancelled.
pub async fn run() -> Result<ExitCode, Failure> {
    let failed = |e: String| Failure::Failed(e);
    // The service allows 100 calls a minute; the demo compresses that to 10 a second
    // on both sides, so the pacing (and the progress bar) can be watched.
    let emu = Emulator::start(EmulatorConfig {
        app_name: PLAYBOOK.into(),
        rate_limits: vec![mde_emulator::RateWindow {
            calls: 10,
            period: std::time::Duration::from_secs(1),
        }],
        ..EmulatorConfig::default()
    })
    .map_err(|e| failed(format!("cannot start the emulator: {e}")))?;
    println!(
        "An emulator of the Defender for Endpoint API runs at {}.",
        emu.url()
    );

    // The mistake: a playbook isolates machines through the real create call.
    let http = hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http();
    for i in 0..MISTAKES {
        let machine = format!("{:040x}", 0xdead_0000_u64 + i as u64);
        let body =
            json!({"Comment": "Suspicious sign-in (playbook rule v2)", "IsolationType": "Full"});
        // A well-behaved playbook: on 429 it waits out Retry-After and tries again.
        loop {
            let launch_failed =
                |e: String| failed(format!("cannot launch the demo isolations: {e}"));
            let request = Request::post(format!("{}/api/machines/{machine}/isolate", emu.url()))
                .header(AUTHORIZATION, "Bearer demo-token")
                .header(CONTENT_TYPE, "application/json")
                .body(Full::new(Bytes::from(body.to_string())))
                .map_err(|e| launch_failed(e.to_string()))?;
            let response = http
                .request(request)
                .await
                .map_err(|e| launch_failed(e.to_string()))?;
            let status = response.status();
            if status == StatusCode::TOO_MANY_REQUESTS {
                let wait = response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok()?.parse().ok())
                    .unwrap_or(1);
                tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
                continue;
            }
            if !status.is_success() {
                return Err(launch_failed(format!("the emulator answered {status}")));
            }
            break;
        }
    }
    for _ in 0..FINISHED {
        emu.seed(json!({"type": "Isolate", "status": "Succeeded", "requestor": PLAYBOOK}))
            .map_err(failed)?;
    }
    for _ in 0..UNRELATED {
        emu.seed(json!({"type": "RunAntiVirusScan", "status": "Pending", "requestor": "analyst@contoso.com"}))
            .map_err(failed)?;
    }
    println!(
        "A {PLAYBOOK} isolated {} machines by mistake ({FINISHED} isolations already completed); \
         an analyst's {UNRELATED} scans are pending too.\n",
        MISTAKES + FINISHED
    );
    println!("$ mde cancel --requestor '{PLAYBOOK}' --type Isolate --comment '...' --yes");
    println!("  (paced at 10 calls a second, the service's 100 a minute compressed)\n");

    let config = Config::from_value(json!({
        "base_url": emu.url(),
        "token": "demo-token",
        "rate_limits": [{"calls": 10, "period_ms": 1000}],
        "rate_limit_margin_ms": 20,
    }))
    .map_err(|e| failed(e.to_string()))?;
    let client = Client::new(config).map_err(|e| failed(e.to_string()))?;
    let args = CancelArgs {
        comment: "Isolated by a misconfigured playbook (mde demo)".into(),
        filter: FilterArgs {
            action_type: vec!["Isolate".into()],
            requestor: Some(PLAYBOOK.into()),
            ..FilterArgs::default()
        },
        yes: true,
        concurrency: mde_core::DEFAULT_CONCURRENCY,
        ..CancelArgs::default()
    };
    let code = cancel::run(&client, args).await?;
    let log = emu.requests();
    let touched = log.iter().filter(|r| r.route == "cancel").count();
    let throttled = log
        .iter()
        .filter(|r| r.route == "cancel" && r.status == Some(429))
        .count();
    println!(
        "\n{touched} cancels sent, one per pending mistaken isolation, {throttled} throttled; the \
         {FINISHED} completed ones and the analyst's scans were not selected, so nothing else was \
         touched."
    );
    Ok(code)
}
