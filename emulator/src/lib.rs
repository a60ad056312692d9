//! mde-emulator: an emulator of Microsoft Defender for Endpoint's machine-action API.
//!
//! It answers the cancel, get, list and create calls with the service's real response
//! shapes, throttles per caller and API, and lets tests seed actions, inject faults
//! and read the log of what clients sent, under the separate `/_emulator/` path.
//! [`Emulator::start`] runs one in-process on its own thread and stops it on drop.

#![warn(missing_docs)]

mod api;
pub mod cli;
mod config;
mod control;
mod faults;
mod gate;
mod log;
mod odata;
mod ratelimit;
mod server;
mod shared;
mod store;
mod tokens;
mod wire;

use std::sync::Arc;
use std::thread::JoinHandle;

use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

pub use config::{EmulatorConfig, RateWindow, RegisteredApp, StaticToken};
pub use faults::Fault;
pub use log::LoggedRequest;
pub use server::serve;
use shared::Shared;

/// The emulator's routes (API and control) over one shared state.
fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/api/machineactions", get(api::list))
        .route("/api/machineactions/{id}", get(api::get))
        .route("/api/machineactions/{id}/cancel", post(api::cancel))
        .route("/api/machines/{machine_id}/{verb}", post(api::create))
        .route("/{tenant}/oauth2/v2.0/token", post(tokens::token_v2))
        .route("/{tenant}/oauth2/token", post(tokens::token_v1))
        .route_layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            gate::gate,
        ));
    api.merge(control::routes())
        .fallback(|| async { wire::api_error(404, "ResourceNotFound", "No such resource") })
        .with_state(shared)
}

/// Builds the router for a configuration, for a caller that runs its own accept
/// loop with [`serve`] (the `mde-emulator` binary does).
pub fn app(config: EmulatorConfig) -> Router {
    router(Arc::new(Shared::new(config)))
}

/// An emulator running on a thread of its own; dropping it stops it.
pub struct Emulator {
    url: String,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds `config.listen` and starts serving; returns once it accepts connections.
    pub fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = std::net::TcpListener::bind(config.listen)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config));
        let app = router(shared.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("mde-emulator")
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new()
            .name("mde-emulator".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => {
                            serve(listener, app, async {
                                let _ = rx.await;
                            })
                            .await
                        }
                        Err(e) => eprintln!("mde-emulator: {e}"),
                    }
                });
                // Connections still open are not waited for.
                runtime.shutdown_background();
            })?;
        Ok(Emulator {
            url: format!("http://{addr}"),
            shared,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The base URL, such as `http://127.0.0.1:41234` (the client's `base_url`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Seeds actions (one partial entity or an array); returns them as rendered.
    pub fn seed(&self, spec: Value) -> Result<Vec<Value>, String> {
        self.shared.seed(spec)
    }

    /// Seeds one action and returns its id.
    pub fn seed_one(&self, spec: Value) -> String {
        let seeded = self.seed(spec).expect("valid seed");
        seeded[0]["id"].as_str().expect("seeded id").to_owned()
    }

    /// Queues a fault for the next requests on its route.
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.add(fault);
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().log.clone()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.shared.lock().log.clear();
    }

    /// The action as the API would render it now, if it exists.
    pub fn action(&self, id: &str) -> Option<Value> {
        let mut state = self.shared.lock();
        state
            .store
            .get(id, &self.shared.config)
            .map(|a| a.render(None))
    }

    /// How many cancels were applied to an action.
    pub fn applied_cancels(&self, id: &str) -> u32 {
        let state = self.shared.lock();
        state
            .applied_cancels
            .get(&id.to_ascii_lowercase())
            .copied()
            .unwrap_or(0)
    }

    /// Forgets actions, faults, the log and the rate-limit state.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Revokes every token issued so far: the API answers 401 to them.
    pub fn revoke_tokens(&self) {
        self.shared.revoke_tokens();
    }

    /// How many token requests the token endpoints received.
    pub fn token_requests(&self) -> usize {
        self.shared
            .lock()
            .log
            .iter()
            .filter(|r| r.route == "token")
            .count()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
