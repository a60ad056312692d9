//! An app registration's certificate, read from a PEM or a PKCS#12 (.pfx) file, and
//! the client assertions signed with its key.

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine;
use zeroize::Zeroizing;

use crate::error::Error;
use crate::secret::Secret;

/// An app's certificate: its SHA-1 thumbprint and its RSA private key.
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

/// What a certificate file holds: the certificate (DER) and its private key (PEM).
struct Parts {
    certificate: Vec<u8>,
    key_pem: Zeroizing<String>,
}

impl ClientCertificate {
    /// Reads the certificate and its RSA private key from `path`, opening it with
    /// `password` when the key is encrypted:
    /// - a PEM file with a `CERTIFICATE` block and a `PRIVATE KEY` (PKCS#8),
    ///   `RSA PRIVATE KEY` (PKCS#1) or `ENCRYPTED PRIVATE KEY` (PKCS#8, PBES2 or
    ///   3DES; needs the password) block;
    /// - a PKCS#12 file (.pfx, .p12) as Windows, Azure Key Vault and OpenSSL export
    ///   them; without a password, the empty password is tried.
    ///
    /// Errors are `InvalidArgument`, naming the file and what is wrong with it; they
    /// never hold the password or the key.
    pub fn load(path: &Path, password: Option<&Secret>) -> Result<Self, Error> {
        let invalid = |why: &str| {
            Error::invalid_argument(format!(
                "configuration key \"client_certificate_path\" ({}): {why}",
                path.display()
            ))
        };
        let bytes = Zeroizing::new(
            std::fs::read(path).map_err(|e| invalid(&format!("cannot read it: {e}")))?,
        );
        let parts = if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            from_pem(&bytes, password)
        } else {
            from_pkcs12(&bytes, password)
        }
        .map_err(|why| invalid(&why))?;
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(parts.key_pem.as_bytes())
            .map_err(|_| invalid("the private key is not an RSA key"))?;
        let digest =
            ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &parts.certificate);
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

/// A PKCS#8 private key (DER) as a PEM block, the form the signer reads.
fn pkcs8_pem(der: &[u8]) -> Zeroizing<String> {
    Zeroizing::new(pem::encode(&pem::Pem::new("PRIVATE KEY", der)))
}

fn from_pem(bytes: &[u8], password: Option<&Secret>) -> Result<Parts, String> {
    let blocks = pem::parse_many(bytes).map_err(|e| format!("not a PEM file: {e}"))?;
    let certificate = blocks
        .iter()
        .find(|b| b.tag() == "CERTIFICATE")
        .ok_or("no CERTIFICATE block")?
        .contents()
        .to_vec();
    if let Some(block) = blocks.iter().find(|b| b.tag() == "ENCRYPTED PRIVATE KEY") {
        let password = password.ok_or(
            "the private key is encrypted: give its password in client_certificate_password",
        )?;
        let info = pkcs8::EncryptedPrivateKeyInfoRef::try_from(block.contents())
            .map_err(|e| format!("the encrypted private key cannot be read: {e}"))?;
        let key = info.decrypt(password.expose()).map_err(|_| {
            "cannot decrypt the private key: wrong client_certificate_password, or an \
             unsupported cipher (PBES2 with AES, and 3DES, are supported)"
                .to_owned()
        })?;
        return Ok(Parts {
            certificate,
            key_pem: pkcs8_pem(key.as_bytes()),
        });
    }
    let key = blocks
        .iter()
        .find(|b| b.tag() == "PRIVATE KEY" || b.tag() == "RSA PRIVATE KEY")
        .ok_or("no PRIVATE KEY block")?;
    // OpenSSL's traditional encryption marks the block with headers instead.
    if key.headers().get("Proc-Type").is_some() {
        return Err(
            "the private key uses OpenSSL's legacy PEM encryption, which is not supported; \
             convert it to PKCS#8 (openssl pkcs8 -topk8 -in key.pem -out key-pkcs8.pem)"
                .to_owned(),
        );
    }
    if password.is_some() {
        return Err(
            "client_certificate_password is given, but the private key in this PEM file is \
             not encrypted"
                .to_owned(),
        );
    }
    Ok(Parts {
        certificate,
        key_pem: Zeroizing::new(pem::encode(key)),
    })
}

fn from_pkcs12(bytes: &[u8], password: Option<&Secret>) -> Result<Parts, String> {
    let password = password.map_or("", |p| p.expose());
    let store = p12_keystore::KeyStore::from_pkcs12(
        bytes,
        password,
        p12_keystore::Pkcs12ImportPolicy::Strict,
    )
    .map_err(|e| match e {
        p12_keystore::error::Error::MacError(_) => {
            "cannot open the PKCS#12 file: wrong client_certificate_password".to_owned()
        }
        other => format!("neither a PEM file nor a PKCS#12 file this client can read ({other})"),
    })?;
    let (_, chain) = store
        .private_key_chain()
        .ok_or("the PKCS#12 file holds no private key with its certificate")?;
    // The chain starts with the certificate of the key.
    let certificate = chain
        .certs()
        .first()
        .ok_or("the PKCS#12 file holds no certificate for its private key")?
        .as_der()
        .to_vec();
    Ok(Parts {
        certificate,
        key_pem: pkcs8_pem(chain.key().as_der()),
    })
}
