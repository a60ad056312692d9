//! Helpers shared by the integration tests: an emulator and a client pointed at it.
#![allow(dead_code)]

use mde_core::{ActionId, Client, Config};
use mde_emulator::{Emulator, EmulatorConfig};
use serde_json::{json, Value};

/// The token the tests use.
pub const TOKEN: &str = "test-token-sekrit-9f8e7d";

/// An emulator with the default configuration.
pub fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("emulator starts")
}

/// A client of `emu`, with `extra` config keys on top of base_url and token.
pub fn client_with(emu: &Emulator, extra: Value) -> Client {
    let mut config = json!({ "base_url": emu.url(), "token": TOKEN, "timeout_ms": 2000 });
    for (k, v) in extra.as_object().expect("an object") {
        config[k] = v.clone();
    }
    Client::new(Config::from_value(config).expect("valid config")).expect("client")
}

/// A client of `emu` with the defaults.
pub fn client(emu: &Emulator) -> Client {
    client_with(emu, json!({}))
}

/// Seeds one action and returns its parsed id.
pub fn seed(emu: &Emulator, spec: Value) -> ActionId {
    ActionId::parse(&emu.seed_one(spec)).expect("seeded id is a GUID")
}

/// A GUID no action has.
pub fn unknown_id() -> ActionId {
    ActionId::parse("00000000-0000-4000-8000-000000000000").unwrap()
}
