//! `mde demo`: a mistaken mass isolation on an in-process emulator, then the real
//! selection and bulk cancel, with no credentials needed.

use std::process::ExitCode;

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
    let emu = Emulator::start(EmulatorConfig {
        app_name: PLAYBOOK.into(),
        ..EmulatorConfig::default()
    })
    .map_err(|e| failed(format!("cannot start the emulator: {e}")))?;
    println!(
        "An emulator of the Defender for Endpoint API runs at {}.",
        emu.url()
    );

    // The mistake: a playbook isolates machines through the real create call.
    let http = reqwest::Client::new();
    for i in 0..MISTAKES {
        let machine = format!("{:040x}", 0xdead_0000_u64 + i as u64);
        http.post(format!("{}/api/machines/{machine}/isolate", emu.url()))
            .bearer_auth("demo-token")
            .json(&json!({"Comment": "Suspicious sign-in (playbook rule v2)", "IsolationType": "Full"}))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| failed(format!("cannot launch the demo isolations: {e}")))?;
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
    println!("$ mde cancel --requestor '{PLAYBOOK}' --type Isolate --comment '...' --yes\n");

    let config = Config::from_value(json!({"base_url": emu.url(), "token": "demo-token"}))
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
    let touched = emu
        .requests()
        .iter()
        .filter(|r| r.route == "cancel")
        .count();
    println!(
        "\n{touched} cancels sent, one per pending mistaken isolation; the {FINISHED} completed \
         ones and the analyst's scans were not selected, so nothing else was touched."
    );
    Ok(code)
}
