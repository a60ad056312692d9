//! A NULL config reads the MDE_* environment (its own test binary: it sets variables).

use std::ffi::{CStr, CString};
use std::ptr::{null, null_mut};

use mde::*;
use mde_emulator::{Emulator, EmulatorConfig};

#[test]
fn null_config_reads_the_environment() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let id = emu.seed_one(serde_json::json!({"status": "Pending"}));
    std::env::set_var("MDE_BASE_URL", emu.url());
    std::env::set_var("MDE_TOKEN", "from-env");
    unsafe {
        let mut client = null_mut();
        assert_eq!(
            mde_client_new(null(), &mut client, null_mut()),
            MDE_STATUS_OK
        );
        let id = CString::new(id).unwrap();
        let mut out = null_mut();
        assert_eq!(
            mde_get_action(client, id.as_ptr(), &mut out, null_mut()),
            MDE_STATUS_OK
        );
        mde_string_free(out);
        mde_client_free(client);

        std::env::set_var("MDE_TIMEOUT_MS", "soon");
        let mut error = null_mut();
        assert_eq!(
            mde_client_new(null(), &mut client, &mut error),
            MDE_STATUS_INVALID_ARGUMENT
        );
        let message = CStr::from_ptr(mde_error_message(error))
            .to_str()
            .unwrap()
            .to_owned();
        assert!(message.contains("MDE_TIMEOUT_MS"), "{message}");
        mde_error_free(error);
    }
}
