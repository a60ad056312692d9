//! mde-core: an async client for Microsoft Defender for Endpoint machine actions.
//!
//! It cancels actions (`POST /api/machineactions/{id}/cancel`) and reads them, exactly
//! as the service's protocol asks, with one error model that the C ABI, Python and
//! PowerShell bindings map one to one. It owns no runtime, prints nothing and keeps no
//! globals; secrets never appear in `Debug`, errors or logs.
//!
//! ```no_run
//! # async fn demo() -> Result<(), mde_core::Error> {
//! use mde_core::{ActionId, Client, Config};
//! let config = Config::from_json(r#"{"token": "eyJ...", "region": "eu"}"#)?;
//! let client = Client::new(config)?;
//! let id = ActionId::parse("988cc94e-7a8f-4b28-ab65-54970c5d5018")?;
//! let action = client.cancel_action(&id, "isolated by mistake").await?;
//! assert!(action.is_final());
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod action;
mod action_id;
mod auth;
mod bulk;
mod certificate;
mod client;
mod cloud;
mod comment;
mod config;
mod credentials;
mod error;
mod http;
mod list;
mod open_enum;
pub mod ratelimit;
mod retry;
mod roots;
mod secret;
mod shared;
mod timestamp;
mod transport;
mod wait;

pub use action::{ActionStatus, ActionType, Command, MachineAction, RelatedFileInfo};
pub use action_id::ActionId;
pub use bulk::{error_json, BulkOutcome, CancelResult, Progress, DEFAULT_CONCURRENCY};
pub use certificate::ClientCertificate;
pub use client::{Client, USER_AGENT};
pub use cloud::{Cloud, CLOUD_NAMES, REGIONS};
pub use comment::{Comment, MAX_COMMENT_CHARS};
pub use config::{Config, RetryPolicy, DEFAULT_RATE_LIMITS, DEFAULT_TIMEOUT};
pub use credentials::Credentials;
pub use error::{Error, ErrorKind, Failure};
pub use list::{ListFilter, MAX_PAGE};
pub use ratelimit::RateLimit;
pub use secret::Secret;
pub use timestamp::Timestamp;
pub use wait::Settled;
