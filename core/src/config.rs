//! The client's configuration: one JSON object whose keys are a public contract
//! shared by the C ABI, Python and PowerShell, or the same keys from the environment.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use url::{Host, Url};

use crate::cloud::Cloud;
use crate::error::Error;
use crate::secret::Secret;

/// How a configuration key is read from the environment.
enum EnvForm {
    /// The variable's text is the value.
    Text,
    /// The variable's text is JSON (numbers, lists).
    Json,
}

/// Every configuration key, with its environment variable.
const KEYS: &[(&str, &str, EnvForm)] = &[
    ("base_url", "MDE_BASE_URL", EnvForm::Text),
    ("cloud", "MDE_CLOUD", EnvForm::Text),
    ("region", "MDE_REGION", EnvForm::Text),
    ("token", "MDE_TOKEN", EnvForm::Text),
    ("timeout_ms", "MDE_TIMEOUT_MS", EnvForm::Json),
];

/// The default bound on one HTTP attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(30_000);

/// A validated client configuration. Build it with [`Config::from_json`],
/// [`Config::from_value`] or [`Config::from_env`]; every error is `InvalidArgument`
/// and names the key at fault.
#[derive(Clone, Debug)]
pub struct Config {
    cloud: Cloud,
    api_base: String,
    token: Option<Secret>,
    timeout: Duration,
}

impl Default for Config {
    /// The public cloud, no credentials, default limits.
    fn default() -> Self {
        Config {
            cloud: Cloud::Public,
            api_base: Cloud::Public.api_base().to_owned(),
            token: None,
            timeout: DEFAULT_TIMEOUT,
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
            (Some(url), _) => parse_base_url(&url)?,
            (None, Some(region)) => cloud.regional_api_base(&region)?,
            (None, None) => cloud.api_base().to_owned(),
        };
        let token = match map.get("token") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) if !t.trim().is_empty() => Some(Secret::new(t.as_str())),
            // The value is a secret: the message must not repeat it.
            Some(_) => {
                return Err(Error::invalid_argument(
                    "configuration key \"token\" must be a non-empty string",
                ))
            }
        };
        let timeout_ms = field::<u64>(&map, "timeout_ms")?.unwrap_or(30_000);
        if !(1..=3_600_000).contains(&timeout_ms) {
            return Err(Error::invalid_argument(format!(
                "configuration key \"timeout_ms\" is {timeout_ms}; it must be between 1 and \
                 3600000"
            )));
        }
        Ok(Config {
            cloud,
            api_base,
            token,
            timeout: Duration::from_millis(timeout_ms),
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
        let mut map = Map::new();
        for (key, var, form) in KEYS {
            let Some(text) = lookup(var).filter(|t| !t.is_empty()) else {
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
        Self::from_value(Value::Object(map))
    }

    /// The cloud.
    pub fn cloud(&self) -> Cloud {
        self.cloud
    }

    /// The API base URL requests go to (no trailing slash).
    pub fn api_base(&self) -> &str {
        &self.api_base
    }

    /// The static bearer token, if one is configured.
    pub fn token(&self) -> Option<&Secret> {
        self.token.as_ref()
    }

    /// The bound on one HTTP attempt.
    pub fn timeout(&self) -> Duration {
        self.timeout
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

/// Checks a base URL: https, or plain http to a loopback host only, with no user
/// information, query or fragment.
fn parse_base_url(text: &str) -> Result<String, Error> {
    let invalid =
        |why: &str| Error::invalid_argument(format!("configuration key \"base_url\": {why}"));
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
                 localhost), not {:?}: use https so the token is never sent in clear text",
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
