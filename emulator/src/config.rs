//! What an emulator instance is configured with.

use std::net::SocketAddr;
use std::time::Duration;

/// One rate-limit window: at most `calls` requests per caller and API in any interval
/// of `period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateWindow {
    /// Requests allowed in any interval of `period`.
    pub calls: u32,
    /// The window length.
    pub period: Duration,
}

/// A token the emulator accepts, with the roles it grants and the app's display name.
#[derive(Clone, Debug)]
pub struct StaticToken {
    /// The bearer token text.
    pub token: String,
    /// The roles; `None` grants every permission.
    pub roles: Option<Vec<String>>,
    /// The app's display name, recorded as requestor.
    pub name: String,
}

/// An app registration the emulator issues tokens to.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisteredApp {
    /// The tenant (directory) the app lives in.
    pub tenant_id: String,
    /// The app's client id.
    pub client_id: String,
    /// Its client secret, if it signs in with one.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Its certificate (PEM), if it signs in with a client assertion.
    #[serde(default)]
    pub certificate_pem: Option<String>,
    /// The application roles granted (e.g. Machine.Isolate, Machine.Read.All).
    #[serde(default)]
    pub roles: Vec<String>,
    /// The app's display name, recorded as requestor.
    pub display_name: String,
}

/// The emulator's configuration.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Accept any non-empty bearer token (with every permission).
    pub accept_any_token: bool,
    /// Tokens accepted besides that.
    pub tokens: Vec<StaticToken>,
    /// The display name recorded for callers with an "any" token.
    pub app_name: String,
    /// Rate-limit windows applied per caller and per API (empty: none).
    pub rate_limits: Vec<RateWindow>,
    /// How long a new action stays Pending before it goes InProgress (`None`: forever).
    pub pending_for: Option<Duration>,
    /// How long an action stays InProgress before it Succeeds (`None`: forever).
    pub in_progress_for: Option<Duration>,
    /// The most entities one list page holds; more get an `@odata.nextLink`.
    pub page_size: usize,
    /// The HTTP status answered to a cancel of a final action (400 by default).
    pub final_cancel_status: u16,
    /// Apps the token endpoints issue tokens to.
    pub apps: Vec<RegisteredApp>,
    /// How long issued tokens last.
    pub token_lifetime: Duration,
}

impl Default for EmulatorConfig {
    /// Loopback on a free port, any token accepted, the service's documented limits
    /// (100/minute and 1500/hour), actions that stay where they are.
    fn default() -> Self {
        EmulatorConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            accept_any_token: true,
            tokens: Vec::new(),
            app_name: "mde-emulator app".into(),
            rate_limits: vec![
                RateWindow {
                    calls: 100,
                    period: Duration::from_secs(60),
                },
                RateWindow {
                    calls: 1500,
                    period: Duration::from_secs(3600),
                },
            ],
            pending_for: None,
            in_progress_for: None,
            page_size: 10_000,
            final_cancel_status: 400,
            apps: Vec::new(),
            token_lifetime: Duration::from_secs(3599),
        }
    }
}
