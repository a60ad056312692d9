//! Certificate authorities to trust besides the web's public roots
//! (`ca_certificate_path`): a corporate proxy that inspects TLS, or a private
//! gateway in front of the API.

use std::fmt;
use std::path::{Path, PathBuf};

use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

use crate::error::Error;

/// The certificates of a `ca_certificate_path` file, checked to be usable as trust
/// anchors.
#[derive(Clone)]
pub(crate) struct ExtraRoots {
    path: PathBuf,
    certificates: Vec<CertificateDer<'static>>,
}

impl fmt::Debug for ExtraRoots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExtraRoots")
            .field("path", &self.path)
            .field("certificates", &self.certificates.len())
            .finish()
    }
}

impl ExtraRoots {
    /// Reads every `CERTIFICATE` block of the PEM file at `path`. Errors are
    /// `InvalidArgument`, naming the file and what is wrong with it.
    pub(crate) fn load(path: &Path) -> Result<Self, Error> {
        let invalid = |why: String| {
            Error::invalid_argument(format!(
                "configuration key \"ca_certificate_path\" ({}): {why}",
                path.display()
            ))
        };
        let bytes = std::fs::read(path).map_err(|e| invalid(format!("cannot read it: {e}")))?;
        let blocks =
            pem::parse_many(&bytes).map_err(|e| invalid(format!("not a PEM file: {e}")))?;
        let certificates: Vec<CertificateDer<'static>> = blocks
            .into_iter()
            .filter(|b| b.tag() == "CERTIFICATE")
            .map(|b| CertificateDer::from(b.into_contents()))
            .collect();
        if certificates.is_empty() {
            return Err(invalid("no CERTIFICATE block".into()));
        }
        let mut store = RootCertStore::empty();
        for (i, certificate) in certificates.iter().enumerate() {
            store.add(certificate.clone()).map_err(|e| {
                invalid(format!(
                    "certificate {} cannot be a trust anchor: {e}",
                    i + 1
                ))
            })?;
        }
        Ok(ExtraRoots {
            path: path.to_owned(),
            certificates,
        })
    }

    /// The web's public roots (webpki-roots) and these.
    pub(crate) fn with_public_roots(extra: Option<&ExtraRoots>) -> RootCertStore {
        let mut store = RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for certificate in extra.into_iter().flat_map(|e| &e.certificates) {
            // Checked in `load`.
            let _ = store.add(certificate.clone());
        }
        store
    }
}
