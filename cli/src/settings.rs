//! The connection options: flags over a `--config` JSON file over the environment,
//! all the same configuration keys.

use std::path::PathBuf;

use mde_core::Config;
use serde_json::{Map, Value};

/// How to reach the service and sign in.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Connection {
    /// A JSON file with configuration keys (flags override it; it overrides the
    /// environment: MDE_*, AZURE_*).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// API base URL (https, or http to loopback only).
    #[arg(long)]
    pub base_url: Option<String>,
    /// public, gcc, gcc-high or dod.
    #[arg(long)]
    pub cloud: Option<String>,
    /// Public-cloud region: us, eu, uk, au, swa, ina, aea.
    #[arg(long)]
    pub region: Option<String>,
    /// A bearer token (prefer MDE_TOKEN: flags show in process lists).
    #[arg(long)]
    pub token: Option<String>,
    /// The app registration's tenant id.
    #[arg(long)]
    pub tenant_id: Option<String>,
    /// The app registration's client id.
    #[arg(long)]
    pub client_id: Option<String>,
    /// The app's client secret (prefer AZURE_CLIENT_SECRET).
    #[arg(long)]
    pub client_secret: Option<String>,
    /// A PEM or PKCS#12 (.pfx) file with the app's certificate and private key (an
    /// encrypted key's password: AZURE_CLIENT_CERTIFICATE_PASSWORD).
    #[arg(long)]
    pub client_certificate_path: Option<String>,
    /// The sign-in authority.
    #[arg(long)]
    pub authority_host: Option<String>,
    /// The token scope.
    #[arg(long)]
    pub scope: Option<String>,
    /// A PEM file of certificate authorities to trust besides the public ones (a
    /// TLS-inspecting proxy's, a private gateway's).
    #[arg(long)]
    pub ca_certificate_path: Option<String>,
    /// Bound on one HTTP attempt, in milliseconds.
    #[arg(long)]
    pub timeout_ms: Option<u64>,
    /// Retries of a failed call.
    #[arg(long)]
    pub max_retries: Option<u32>,
    /// Longest wait for rate-limit budget, in milliseconds.
    #[arg(long)]
    pub max_wait_ms: Option<u64>,
}

impl Connection {
    /// The configuration: environment, then the file, then the flags.
    pub fn config(&self) -> Result<Config, String> {
        let mut map =
            Config::env_values(|name| std::env::var(name).ok()).map_err(|e| e.to_string())?;
        if let Some(path) = &self.config {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(file)) => map.extend(file),
                Ok(_) => return Err(format!("{} must hold one JSON object", path.display())),
                Err(e) => return Err(format!("{} is not valid JSON: {e}", path.display())),
            }
        }
        let mut flag = |key: &str, value: Option<Value>| {
            if let Some(v) = value {
                map.insert(key.to_owned(), v);
            }
        };
        let text = |v: &Option<String>| v.clone().map(Value::String);
        flag("base_url", text(&self.base_url));
        flag("cloud", text(&self.cloud));
        flag("region", text(&self.region));
        flag("token", text(&self.token));
        flag("tenant_id", text(&self.tenant_id));
        flag("client_id", text(&self.client_id));
        flag("client_secret", text(&self.client_secret));
        flag(
            "client_certificate_path",
            text(&self.client_certificate_path),
        );
        flag("authority_host", text(&self.authority_host));
        flag("scope", text(&self.scope));
        flag("ca_certificate_path", text(&self.ca_certificate_path));
        flag("timeout_ms", self.timeout_ms.map(Value::from));
        flag("max_retries", self.max_retries.map(Value::from));
        flag("max_wait_ms", self.max_wait_ms.map(Value::from));
        Config::from_value(Value::Object(std::mem::take(&mut map) as Map<String, Value>))
            .map_err(|e| e.to_string())
    }
}
