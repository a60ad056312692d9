//! The emulator's command-line options and its run loop, shared by `mde-emulator`
//! and `mde emulator`.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use crate::{app, serve, EmulatorConfig, RateWindow, StaticToken};

/// The long help of the emulator commands: what it serves.
pub const ABOUT: &str = "An emulator of Microsoft Defender for Endpoint's machine-action API, for \
testing automation offline.

API routes: POST /api/machineactions/{id}/cancel, GET /api/machineactions/{id}, GET \
/api/machineactions (OData $filter/$top/$skip/$orderby), POST \
/api/machines/{machineId}/{isolate|unisolate|runAntiVirusScan|collectInvestigationPackage|\
restrictCodeExecution|unrestrictCodeExecution}, and the token endpoints \
POST /{tenant}/oauth2/v2.0/token and /{tenant}/oauth2/token for --apps.

Control routes (no token, for tests): POST /_emulator/actions (seed), POST|DELETE \
/_emulator/faults, GET|DELETE /_emulator/requests, GET /_emulator/stats, POST \
/_emulator/reset, POST /_emulator/revoke.";

/// The emulator's options.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// Address to listen on; port 0 picks a free one. The first line printed is
    /// `listening on http://HOST:PORT`.
    #[arg(long, default_value = "127.0.0.1:8780")]
    pub listen: SocketAddr,
    /// Accept this bearer token; repeatable. Form: TOKEN or TOKEN:ROLE,ROLE (the roles
    /// it grants, for example `t1:Machine.Read.All`). Without any --token, every
    /// non-empty token is accepted with every permission.
    #[arg(long = "token", value_name = "TOKEN[:ROLES]")]
    tokens: Vec<String>,
    /// Accept any non-empty bearer token even when --token is given.
    #[arg(long)]
    accept_any_token: bool,
    /// The app display name recorded as requestor for "any" tokens.
    #[arg(long, default_value = "mde-emulator app")]
    app_name: String,
    /// A throttling window, CALLS/PERIOD_MS, per caller and API; repeatable. Default:
    /// 100/60000 and 1500/3600000, the service's documented limits.
    #[arg(long = "rate-limit", value_name = "CALLS/PERIOD_MS", value_parser = parse_window)]
    rate_limits: Vec<RateWindow>,
    /// Turn throttling off.
    #[arg(long, conflicts_with = "rate_limits")]
    no_rate_limits: bool,
    /// Milliseconds a created action stays Pending before InProgress (default: forever).
    #[arg(long, value_name = "MS")]
    pending_ms: Option<u64>,
    /// Milliseconds an action stays InProgress before Succeeded (default: forever).
    #[arg(long, value_name = "MS")]
    in_progress_ms: Option<u64>,
    /// Largest list page; beyond it the answer carries @odata.nextLink.
    #[arg(long, default_value_t = 10_000)]
    page_size: usize,
    /// HTTP status answered to a cancel of an action that is already final (the real
    /// service's is undocumented).
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u16).range(400..=409))]
    final_cancel_status: u16,
    /// A JSON file holding an array of app registrations the token endpoints
    /// (/{tenant}/oauth2/v2.0/token and /{tenant}/oauth2/token) issue tokens to:
    /// [{"tenant_id", "client_id", "client_secret" or "certificate_pem", "roles": [...],
    /// "display_name"}]. Tokens are JWTs verified on every API call.
    #[arg(long, value_name = "FILE")]
    apps: Option<std::path::PathBuf>,
    /// Lifetime of issued tokens, in seconds.
    #[arg(long, default_value_t = 3599, value_name = "SECS")]
    token_lifetime: u64,
    /// A JSON file holding an array of actions to seed (partial entities).
    #[arg(long, value_name = "FILE")]
    seed: Option<std::path::PathBuf>,
}

fn parse_window(text: &str) -> Result<RateWindow, String> {
    let (calls, ms) = text
        .split_once('/')
        .ok_or_else(|| format!("{text:?} is not CALLS/PERIOD_MS"))?;
    let calls: u32 = calls
        .parse()
        .map_err(|_| format!("{calls:?} is not a count"))?;
    let ms: u64 = ms
        .parse()
        .map_err(|_| format!("{ms:?} is not milliseconds"))?;
    if calls == 0 || ms == 0 {
        return Err("calls and period must be positive".into());
    }
    Ok(RateWindow {
        calls,
        period: Duration::from_millis(ms),
    })
}

fn read_json<T: serde::de::DeserializeOwned>(what: &str, path: &std::path::Path) -> T {
    let parsed = std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()));
    parsed.unwrap_or_else(|e| {
        eprintln!(
            "mde-emulator: cannot read {what} file {}: {e}",
            path.display()
        );
        std::process::exit(2);
    })
}

/// The emulator configuration these options describe.
pub fn config(args: &Args) -> EmulatorConfig {
    let defaults = EmulatorConfig::default();
    let tokens: Vec<StaticToken> = args
        .tokens
        .iter()
        .map(|t| match t.split_once(':') {
            Some((token, roles)) => StaticToken {
                token: token.to_owned(),
                roles: Some(roles.split(',').map(str::to_owned).collect()),
                name: args.app_name.clone(),
            },
            None => StaticToken {
                token: t.clone(),
                roles: None,
                name: args.app_name.clone(),
            },
        })
        .collect();
    EmulatorConfig {
        listen: args.listen,
        accept_any_token: args.accept_any_token || tokens.is_empty(),
        tokens,
        app_name: args.app_name.clone(),
        rate_limits: if args.no_rate_limits {
            Vec::new()
        } else if args.rate_limits.is_empty() {
            defaults.rate_limits
        } else {
            args.rate_limits.clone()
        },
        pending_for: args.pending_ms.map(Duration::from_millis),
        in_progress_for: args.in_progress_ms.map(Duration::from_millis),
        page_size: args.page_size.max(1),
        final_cancel_status: args.final_cancel_status,
        apps: args
            .apps
            .as_deref()
            .map(|p| read_json("apps", p))
            .unwrap_or_default(),
        token_lifetime: Duration::from_secs(args.token_lifetime.max(1)),
    }
}

/// Runs the emulator with these options until Ctrl-C; the first line printed is
/// `listening on http://HOST:PORT`.
pub fn run(args: &Args) {
    let config = config(args);
    let seed: Option<serde_json::Value> = args.seed.as_deref().map(|p| read_json("seed", p));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(config.listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("mde-emulator: cannot listen on {}: {e}", config.listen);
                std::process::exit(2);
            }
        };
        let addr = listener.local_addr().expect("a bound address");
        let router = app(config);
        if let Some(seed) = seed {
            let seeded = router.clone();
            let request = axum::http::Request::post("/_emulator/actions")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(seed.to_string()))
                .expect("a request");
            let response = tower::ServiceExt::oneshot(seeded, request)
                .await
                .expect("infallible");
            if !response.status().is_success() {
                eprintln!(
                    "mde-emulator: the seed file was refused ({})",
                    response.status()
                );
                std::process::exit(2);
            }
        }
        println!("listening on http://{addr}");
        let _ = std::io::stdout().flush();
        serve(listener, router, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    });
}
