//! The client's configuration: one JSON object whose keys are a public contract
//! shared by the C ABI, Python and PowerShell, or the same keys from the environment.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use url::{Host, Url};

use crate::cloud::Cloud;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::ratelimit::RateLimit;
use crate::roots::ExtraRoots;

/// How a configuration key is read from the environment.
enum EnvForm {
    /// The variable's text is the value.
    Text,
    /// The variable's text is JSON (numbers, lists).
    Json,
}

/// Every configuration key, with the environment variables that set it (the first
/// one set wins): `MDE_` + the key, and the Azure tooling's names for credentials.
const KEYS: &[(&str, &[&str], EnvForm)] = &[
    ("base_url", &["MDE_BASE_URL"], EnvForm::Text),
    ("cloud", &["MDE_CLOUD"], EnvForm::Text),
    ("region", &["MDE_REGION"], EnvForm::Text),
    ("token", &["MDE_TOKEN"], EnvForm::Text),
    (
        "tenant_id",
        &["MDE_TENANT_ID", "AZURE_TENANT_ID"],
        EnvForm::Text,
    ),
    (
        "client_id",
        &["MDE_CLIENT_ID", "AZURE_CLIENT_ID"],
        EnvForm::Text,
    ),
    (
        "client_secret",
        &["MDE_CLIENT_SECRET", "AZURE_CLIENT_SECRET"],
        EnvForm::Text,
    ),
    (
        "client_certificate_path",
        &[
            "MDE_CLIENT_CERTIFICATE_PATH",
            "AZURE_CLIENT_CERTIFICATE_PATH",
        ],
        EnvForm::Text,
    ),
    (
        "client_certificate_password",
        &[
            "MDE_CLIENT_CERTIFICATE_PASSWORD",
            "AZURE_CLIENT_CERTIFICATE_PASSWORD",
        ],
        EnvForm::Text,
    ),
    (
        "authority_host",
        &["MDE_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST"],
        EnvForm::Text,
    ),
    ("scope", &["MDE_SCOPE"], EnvForm::Text),
    (
        "ca_certificate_path",
        &["MDE_CA_CERTIFICATE_PATH"],
        EnvForm::Text,
    ),
    ("timeout_ms", &["MDE_TIMEOUT_MS"], EnvForm::Json),
    ("rate_limits", &["MDE_RATE_LIMITS"], EnvForm::Json),
    (
        "rate_limit_margin_ms",
        &["MDE_RATE_LIMIT_MARGIN_MS"],
        EnvForm::Json,
    ),
    ("max_wait_ms", &["MDE_MAX_WAIT_MS"], EnvForm::Json),
    ("max_retries", &["MDE_MAX_RETRIES"], EnvForm::Json),
    ("retry_base_ms", &["MDE_RETRY_BASE_MS"], EnvForm::Json),
    ("retry_cap_ms", &["MDE_RETRY_CAP_MS"], EnvForm::Json),
];

/// The default bound on one HTTP attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(30_000);

/// The service's documented limits, per API: 100 calls a minute and 1500 an hour.
pub const DEFAULT_RATE_LIMITS: &[RateLimit] = &[
    RateLimit {
        calls: 100,
        period_ms: 60_000,
    },
    RateLimit {
        calls: 1500,
        period_ms: 3_600_000,
    },
];

/// How the client retries and waits, with the defaults of the configuration keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// `max_retries`: retries after the first attempt (default 3).
    pub max_retries: u32,
    /// `retry_base_ms`: the first backoff's upper bound (default 1 s).
    pub base: Duration,
    /// `retry_cap_ms`: the largest backoff (default 30 s).
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base: Duration::from_secs(1),
            cap: Duration::from_secs(30),
        }
    }
}

/// A validated client configuration. Build it with [`Config::from_json`],
/// [`Config::from_value`] or [`Config::from_env`]; every error is `InvalidArgument`
/// and names the key at fault.
#[derive(Clone, Debug)]
pub struct Config {
    cloud: Cloud,
    api_base: String,
    credentials: Option<Credentials>,
    authority_host: String,
    scope: String,
    ca_certificates: Option<ExtraRoots>,
    timeout: Duration,
    rate_limits: Vec<RateLimit>,
    margin: Duration,
    max_wait: Duration,
    retry: RetryPolicy,
}

impl Default for Config {
    /// The public cloud, no credentials, default limits.
    fn default() -> Self {
        Config {
            cloud: Cloud::Public,
            api_base: Cloud::Public.api_base().to_owned(),
            credentials: None,
            authority_host: Cloud::Public.authority_host().to_owned(),
            scope: Cloud::Public.default_scope(),
            ca_certificates: None,
            timeout: DEFAULT_TIMEOUT,
            rate_limits: DEFAULT_RATE_LIMITS.to_vec(),
            margin: Duration::from_millis(100),
            max_wait: Duration::from_secs(60),
            retry: RetryPolicy::default(),
        }
    }
}

impl Config {
    /// Reads a configuration from JSON text holding one object.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Error::invalid_argument(format!("configuration is not valid JSON: {e}"))
        })?;
        Self::from_value(value)
    }

    /// Reads a configuration from a JSON object. Unknown keys are rejected by name;
    /// a `null` value means the key is absent.
    pub fn from_value(value: Value) -> Result<Self, Error> {
        let Value::Object(map) = value else {
            return Err(Error::invalid_argument(
                "configuration must be a JSON object",
            ));
        };
        if let Some(unknown) = map.keys().find(|k| !KEYS.iter().any(|(key, ..)| key == k)) {
            let valid: Vec<&str> = KEYS.iter().map(|(k, ..)| *k).collect();
            return Err(Error::invalid_argument(format!(
                "unknown configuration key {unknown:?}; valid keys: {}",
                valid.join(", ")
            )));
        }
        let cloud = match field::<String>(&map, "cloud")? {
            Some(name) => Cloud::parse(&name)?,
            None => Cloud::Public,
        };
        let region = field::<String>(&map, "region")?;
        let api_base = match (field::<String>(&map, "base_url")?, region) {
            (Some(url), _) => parse_url("base_url", &url)?,
            (None, Some(region)) => cloud.regional_api_base(&region)?,
            (None, None) => cloud.api_base().to_owned(),
        };
        let credentials = Credentials::from_config(&map)?;
        let authority_host = match field::<String>(&map, "authority_host")? {
            Some(url) => parse_url("authority_host", &url)?,
            None => cloud.authority_host().to_owned(),
        };
        let scope = field::<String>(&map, "scope")?.unwrap_or_else(|| cloud.default_scope());
        let ca_certificates = field::<String>(&map, "ca_certificate_path")?
            .map(|path| ExtraRoots::load(std::path::Path::new(&path)))
            .transpose()?;
        let defaults = Config::default();
        let ms = |key: &str, default: Duration, range: std::ops::RangeInclusive<u64>| {
            let value = field::<u64>(&map, key)?.unwrap_or(default.as_millis() as u64);
            if !range.contains(&value) {
                return Err(Error::invalid_argument(format!(
                    "configuration key {key:?} is {value}; it must be between {} and {}",
                    range.start(),
                    range.end()
                )));
            }
            Ok(Duration::from_millis(value))
        };
        let timeout = ms("timeout_ms", defaults.timeout, 1..=3_600_000)?;
        let margin = ms("rate_limit_margin_ms", defaults.margin, 0..=60_000)?;
        let max_wait = ms("max_wait_ms", defaults.max_wait, 0..=86_400_000)?;
        let base = ms("retry_base_ms", defaults.retry.base, 0..=600_000)?;
        let cap = ms("retry_cap_ms", defaults.retry.cap, 0..=3_600_000)?;
        let max_retries = field::<u32>(&map, "max_retries")?.unwrap_or(defaults.retry.max_retries);
        if max_retries > 10 {
            return Err(Error::invalid_argument(format!(
                "configuration key \"max_retries\" is {max_retries}; it must be at most 10"
            )));
        }
        let rate_limits = match field::<Vec<RateLimit>>(&map, "rate_limits")? {
            None => defaults.rate_limits,
            Some(limits) => {
                if let Some(bad) = limits.iter().find(|l| l.calls == 0 || l.period_ms == 0) {
                    return Err(Error::invalid_argument(format!(
                        "configuration key \"rate_limits\": {{\"calls\": {}, \"period_ms\": {}}} \
                         must have calls and period_ms above 0",
                        bad.calls, bad.period_ms
                    )));
                }
                limits
            }
        };
        Ok(Config {
            cloud,
            api_base,
            credentials,
            authority_host,
            scope,
            ca_certificates,
            timeout,
            rate_limits,
            margin,
            max_wait,
            retry: RetryPolicy {
                max_retries,
                base,
                cap,
            },
        })
    }

    /// Reads the configuration from the process environment (`MDE_BASE_URL`,
    /// `MDE_CLOUD`, `MDE_REGION`, `MDE_TOKEN`, `MDE_TIMEOUT_MS`, ...).
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_vars(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup`. Empty variables
    /// count as unset. Errors name the variable.
    pub fn from_env_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        Self::from_value(Value::Object(Self::env_values(lookup)?))
    }

    /// The configuration keys the environment sets, as a JSON object, for a caller
    /// that layers other sources on top (a file, command-line flags) before
    /// [`Config::from_value`].
    pub fn env_values(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Map<String, Value>, Error> {
        let mut map = Map::new();
        for (key, vars, form) in KEYS {
            let Some((var, text)) = vars
                .iter()
                .find_map(|var| lookup(var).filter(|t| !t.is_empty()).map(|t| (var, t)))
            else {
                continue;
            };
            let value = match form {
                EnvForm::Text => Value::String(text),
                EnvForm::Json => serde_json::from_str(&text).map_err(|_| {
                    Error::invalid_argument(format!(
                        "environment variable {var} is {text:?}, which is not a valid value"
                    ))
                })?,
            };
            map.insert((*key).to_owned(), value);
        }
        Ok(map)
    }

    /// The cloud.
    pub fn cloud(&self) -> Cloud {
        self.cloud
    }

    /// The API base URL requests go to (no trailing slash).
    pub fn api_base(&self) -> &str {
        &self.api_base
    }

    /// The credentials, if any are configured.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The sign-in authority for app credentials (no trailing slash).
    pub fn authority_host(&self) -> &str {
        &self.authority_host
    }

    /// The token scope requested for app credentials.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// Certificate authorities trusted besides the public roots.
    pub(crate) fn ca_certificates(&self) -> Option<&ExtraRoots> {
        self.ca_certificates.as_ref()
    }

    /// The bound on one HTTP attempt.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The client-side rate limits, per API (empty: no client-side limiting).
    pub fn rate_limits(&self) -> &[RateLimit] {
        &self.rate_limits
    }

    /// The safety margin added to every rate-limit window.
    pub fn rate_limit_margin(&self) -> Duration {
        self.margin
    }

    /// The longest a call waits for rate-limit budget before failing with
    /// `RateLimited` (without sending anything).
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }

    /// Retries and backoff.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The longest one call can take: every attempt may wait `max_wait` for budget,
    /// run `timeout`, then back off (at most `retry_cap_ms`). A cancel may add one
    /// read of the action, bounded the same way.
    pub fn worst_case_duration(&self) -> Duration {
        let attempts = self.retry.max_retries + 1;
        let one_call =
            (self.max_wait + self.timeout) * attempts + self.retry.cap * self.retry.max_retries;
        one_call * 2
    }
}

/// Reads one optional key, naming it in the error.
fn field<T: DeserializeOwned>(map: &Map<String, Value>, key: &str) -> Result<Option<T>, Error> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v.clone())
            .map(Some)
            .map_err(|e| Error::invalid_argument(format!("configuration key {key:?}: {e}"))),
    }
}

/// Checks a service URL (`base_url`, `authority_host`): https, or plain http to a
/// loopback host only, with no user information, query or fragment.
fn parse_url(key: &str, text: &str) -> Result<String, Error> {
    let invalid = |why: &str| Error::invalid_argument(format!("configuration key {key:?}: {why}"));
    let url = Url::parse(text).map_err(|e| invalid(&format!("not a valid URL ({e})")))?;
    let loopback = match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(invalid("the URL has no host")),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(invalid(&format!(
                "plain http is only allowed to a loopback host (127.0.0.0/8, ::1, \
                 localhost), not {:?}: use https so no credential is ever sent in clear text",
                url.host_str().unwrap_or_default()
            )))
        }
        other => return Err(invalid(&format!("scheme {other:?} is not https"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("the URL must not hold user information"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("the URL must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests;
