//! Microsoft clouds and their API hosts.

use crate::error::Error;

/// A Microsoft cloud: decides the API host (and, with app credentials, the sign-in
/// authority).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Cloud {
    /// Commercial (worldwide) cloud.
    #[default]
    Public,
    /// US Government Community Cloud.
    Gcc,
    /// US Government Community Cloud High.
    GccHigh,
    /// US Department of Defense.
    Dod,
}

/// The configuration spellings of [`Cloud`], in order.
pub const CLOUD_NAMES: &[&str] = &["public", "gcc", "gcc-high", "dod"];

/// The regional hosts of the public cloud, `https://{region}.api.security.microsoft.com`.
pub const REGIONS: &[&str] = &["us", "eu", "uk", "au", "swa", "ina", "aea"];

impl Cloud {
    /// Reads a configuration value; the error lists the valid ones.
    pub fn parse(name: &str) -> Result<Self, Error> {
        match name {
            "public" => Ok(Cloud::Public),
            "gcc" => Ok(Cloud::Gcc),
            "gcc-high" => Ok(Cloud::GccHigh),
            "dod" => Ok(Cloud::Dod),
            other => Err(Error::invalid_argument(format!(
                "unknown cloud {other:?}; valid values: {}",
                CLOUD_NAMES.join(", ")
            ))),
        }
    }

    /// The configuration spelling.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Public => "public",
            Cloud::Gcc => "gcc",
            Cloud::GccHigh => "gcc-high",
            Cloud::Dod => "dod",
        }
    }

    /// The API base URL of this cloud (no trailing slash).
    pub fn api_base(self) -> &'static str {
        match self {
            Cloud::Public => "https://api.security.microsoft.com",
            Cloud::Gcc => "https://api-gcc.securitycenter.microsoft.us",
            Cloud::GccHigh | Cloud::Dod => "https://api-gov.securitycenter.microsoft.us",
        }
    }

    /// The sign-in authority of this cloud (no trailing slash).
    pub fn authority_host(self) -> &'static str {
        match self {
            Cloud::Public | Cloud::Gcc => "https://login.microsoftonline.com",
            Cloud::GccHigh | Cloud::Dod => "https://login.microsoftonline.us",
        }
    }

    /// The token scope of this cloud's API. Microsoft documents the public one; for
    /// the government clouds other clients use `{API base}/.default`.
    pub fn default_scope(self) -> String {
        match self {
            Cloud::Public => "https://api.securitycenter.microsoft.com/.default".to_owned(),
            other => format!("{}/.default", other.api_base()),
        }
    }

    /// The API base URL of a public-cloud region, after checking the region name.
    pub fn regional_api_base(self, region: &str) -> Result<String, Error> {
        if self != Cloud::Public {
            return Err(Error::invalid_argument(format!(
                "region {region:?} is only valid in the public cloud, not in {:?}",
                self.name()
            )));
        }
        if !REGIONS.contains(&region) {
            return Err(Error::invalid_argument(format!(
                "unknown region {region:?}; valid values: {}",
                REGIONS.join(", ")
            )));
        }
        Ok(format!("https://{region}.api.security.microsoft.com"))
    }
}
