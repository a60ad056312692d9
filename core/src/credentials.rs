//! How the client proves who it is: a static token, or an app registration's client
//! secret or certificate. Chosen by which configuration keys are present.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use serde_json::{Map, Value};

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
                .field("path", &certificate.path)
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
            (None, Some(_), Some(_)) => Err(Error::invalid_argument(
                "client_certificate_password: encrypted keys and PKCS#12 files are not supported; \
                 give a PEM file with the certificate and an unencrypted private key \
                 (openssl pkcs12 -in cert.pfx -nodes -out cert.pem)",
            )),
            (None, Some(path), None) => Ok(Some(Credentials::Certificate {
                tenant_id,
                client_id,
                certificate: Arc::new(ClientCertificate::load(Path::new(&path))?),
            })),
            (None, None, _) => unreachable!("checked as missing above"),
        }
    }
}

/// An app's certificate: its SHA-1 thumbprint and its RSA private key, read from a
/// PEM file holding both.
pub struct ClientCertificate {
    path: PathBuf,
    /// base64url SHA-1 of the DER certificate: the JWT header's `x5t`.
    thumbprint: String,
    key: jsonwebtoken::EncodingKey,
}

impl fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("path", &self.path)
            .field("thumbprint", &self.thumbprint)
            .finish_non_exhaustive()
    }
}

impl ClientCertificate {
    /// Reads the certificate and its private key (PKCS#8 or PKCS#1 RSA) from `path`.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let invalid = |why: String| {
            Error::invalid_argument(format!(
                "configuration key \"client_certificate_path\" ({}): {why}",
                path.display()
            ))
        };
        let text =
            std::fs::read_to_string(path).map_err(|e| invalid(format!("cannot read it: {e}")))?;
        let blocks = pem::parse_many(&text).map_err(|e| invalid(format!("not a PEM file: {e}")))?;
        let certificate = blocks
            .iter()
            .find(|b| b.tag() == "CERTIFICATE")
            .ok_or_else(|| invalid("no CERTIFICATE block".into()))?;
        if blocks.iter().any(|b| b.tag() == "ENCRYPTED PRIVATE KEY") {
            return Err(invalid(
                "the private key is encrypted, which is not supported".into(),
            ));
        }
        let key = blocks
            .iter()
            .find(|b| b.tag() == "PRIVATE KEY" || b.tag() == "RSA PRIVATE KEY")
            .ok_or_else(|| invalid("no PRIVATE KEY block".into()))?;
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(pem::encode(key).as_bytes())
            .map_err(|_| invalid("the private key is not an RSA key".into()))?;
        let digest = ring::digest::digest(
            &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            certificate.contents(),
        );
        Ok(ClientCertificate {
            path: path.to_owned(),
            thumbprint: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref()),
            key,
        })
    }

    /// The certificate's thumbprint as the JWT header's `x5t` carries it.
    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// A client assertion for `client_id` at the token endpoint `audience`: RS256,
    /// `x5t` in the header, valid ten minutes, as Microsoft's libraries send it.
    pub(crate) fn assertion(&self, client_id: &str, audience: &str) -> Result<String, Error> {
        #[derive(serde::Serialize)]
        struct Claims<'a> {
            aud: &'a str,
            iss: &'a str,
            sub: &'a str,
            jti: String,
            nbf: u64,
            iat: u64,
            exp: u64,
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.x5t = Some(self.thumbprint.clone());
        let claims = Claims {
            aud: audience,
            iss: client_id,
            sub: client_id,
            jti: uuid::Uuid::new_v4().to_string(),
            nbf: now,
            iat: now,
            exp: now + 600,
        };
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|e| Error::invalid_argument(format!("cannot sign the client assertion: {e}")))
    }
}
