//! How the client proves who it is: a static token, or an app registration's client
//! secret or certificate. Chosen by which configuration keys are present.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::certificate::ClientCertificate;
use crate::error::Error;
use crate::secret::Secret;

/// The credentials of a client.
#[derive(Clone)]
pub enum Credentials {
    /// A bearer token, sent as is (`token`).
    Token(Secret),
    /// OAuth2 client credentials with a secret (`tenant_id`, `client_id`,
    /// `client_secret`).
    ClientSecret {
        /// The tenant (directory) id.
        tenant_id: String,
        /// The app's client id.
        client_id: String,
        /// The client secret.
        secret: Secret,
    },
    /// OAuth2 client credentials with a certificate (`tenant_id`, `client_id`,
    /// `client_certificate_path`): a signed JWT assertion.
    Certificate {
        /// The tenant (directory) id.
        tenant_id: String,
        /// The app's client id.
        client_id: String,
        /// The certificate and its private key.
        certificate: Arc<ClientCertificate>,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Token(_) => f.write_str("Token([redacted])"),
            Credentials::ClientSecret {
                tenant_id,
                client_id,
                ..
            } => f
                .debug_struct("ClientSecret")
                .field("tenant_id", tenant_id)
                .field("client_id", client_id)
                .finish_non_exhaustive(),
            Credentials::Certificate {
                tenant_id,
                client_id,
                certificate,
            } => f
                .debug_struct("Certificate")
                .field("tenant_id", tenant_id)
                .field("client_id", client_id)
                .field("certificate", certificate)
                .finish_non_exhaustive(),
        }
    }
}

impl Credentials {
    /// What the service counts calls against: the token, or tenant and client.
    pub(crate) fn identity(&self) -> String {
        match self {
            Credentials::Token(t) => t.expose().to_owned(),
            Credentials::ClientSecret {
                tenant_id,
                client_id,
                ..
            }
            | Credentials::Certificate {
                tenant_id,
                client_id,
                ..
            } => format!("{tenant_id}/{client_id}"),
        }
    }

    /// Reads the credential keys of a configuration object; `None` when it has none.
    pub(crate) fn from_config(map: &Map<String, Value>) -> Result<Option<Self>, Error> {
        let secret = |key: &str| -> Result<Option<Secret>, Error> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(Secret::new(s.as_str()))),
                // The value is a secret: the message must not repeat it.
                Some(_) => Err(Error::invalid_argument(format!(
                    "configuration key {key:?} must be a non-empty string"
                ))),
            }
        };
        let text = |key: &str| secret(key).map(|s| s.map(|s| s.expose().to_owned()));
        let token = secret("token")?;
        let tenant_id = text("tenant_id")?;
        let client_id = text("client_id")?;
        let client_secret = secret("client_secret")?;
        let certificate_path = text("client_certificate_path")?;
        let password = secret("client_certificate_password")?;

        let app_keys: Vec<&str> = [
            ("tenant_id", tenant_id.is_some()),
            ("client_id", client_id.is_some()),
            ("client_secret", client_secret.is_some()),
            ("client_certificate_path", certificate_path.is_some()),
            ("client_certificate_password", password.is_some()),
        ]
        .iter()
        .filter(|(_, present)| *present)
        .map(|(k, _)| *k)
        .collect();
        if let Some(token) = token {
            if !app_keys.is_empty() {
                return Err(Error::invalid_argument(format!(
                    "conflicting credentials: \"token\" cannot be combined with {}; configure \
                     either a token or an app registration",
                    app_keys.join(", ")
                )));
            }
            return Ok(Some(Credentials::Token(token)));
        }
        if app_keys.is_empty() {
            return Ok(None);
        }
        let mut missing = Vec::new();
        if tenant_id.is_none() {
            missing.push("tenant_id");
        }
        if client_id.is_none() {
            missing.push("client_id");
        }
        if client_secret.is_none() && certificate_path.is_none() {
            missing.push("client_secret or client_certificate_path");
        }
        if !missing.is_empty() {
            return Err(Error::invalid_argument(format!(
                "incomplete app credentials: {} given, {} missing",
                app_keys.join(", "),
                missing.join(", ")
            )));
        }
        let (tenant_id, client_id) = (tenant_id.unwrap_or_default(), client_id.unwrap_or_default());
        // Both go into URLs and assertions: only the characters ids and domains use.
        let plain = |v: &str| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
        };
        if !plain(&tenant_id) {
            return Err(Error::invalid_argument(format!(
                "configuration key \"tenant_id\" is {tenant_id:?}: expected a GUID or a domain name"
            )));
        }
        if uuid::Uuid::try_parse(&client_id).is_err() {
            return Err(Error::invalid_argument(format!(
                "configuration key \"client_id\" is {client_id:?}: expected the app's GUID"
            )));
        }
        match (client_secret, certificate_path, password) {
            (Some(_), Some(_), _) => Err(Error::invalid_argument(
                "conflicting credentials: client_secret and client_certificate_path; configure one",
            )),
            (Some(_), None, Some(_)) => Err(Error::invalid_argument(
                "client_certificate_password is given without client_certificate_path",
            )),
            (Some(secret), None, None) => Ok(Some(Credentials::ClientSecret {
                tenant_id,
                client_id,
                secret,
            })),
            (None, Some(path), password) => Ok(Some(Credentials::Certificate {
                tenant_id,
                client_id,
                certificate: Arc::new(ClientCertificate::load(
                    Path::new(&path),
                    password.as_ref(),
                )?),
            })),
            (None, None, _) => unreachable!("checked as missing above"),
        }
    }
}
