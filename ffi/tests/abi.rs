//! The exported functions, called as C would call them, through the rlib.

use std::ffi::{c_char, CStr, CString};
use std::ptr::{null, null_mut};

use mde::*;
use mde_emulator::{Emulator, EmulatorConfig};
use serde_json::json;

fn text(p: *const c_char) -> String {
    assert!(!p.is_null());
    unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned()
}

fn cstr(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// The details of an error, then frees it.
fn take_error(e: *mut mde_error) -> (mde_status, i32, i64, String, String, String) {
    assert!(!e.is_null());
    unsafe {
        let out = (
            mde_error_status(e),
            mde_error_http_status(e),
            mde_error_retry_after_ms(e),
            text(mde_error_code(e)),
            text(mde_error_message(e)),
            text(mde_error_action_status(e)),
        );
        mde_error_free(e);
        out
    }
}

fn new_client(config: serde_json::Value) -> *mut mde_client {
    let config = cstr(&config.to_string());
    let mut client = null_mut();
    let mut error = null_mut();
    let status = unsafe { mde_client_new(config.as_ptr(), &mut client, &mut error) };
    assert_eq!(
        status,
        MDE_STATUS_OK,
        "{:?}",
        (!error.is_null()).then(|| take_error(error))
    );
    assert!(error.is_null());
    client
}

fn emulator_client(emu: &Emulator) -> *mut mde_client {
    new_client(json!({"base_url": emu.url(), "token": "t", "timeout_ms": 2000, "max_retries": 0}))
}

const GUID: &str = "00000000-0000-4000-8000-000000000001";

#[test]
fn versions_match_the_manifest() {
    assert_eq!(mde_abi_version(), MDE_ABI_VERSION);
    assert_eq!(MDE_ABI_VERSION, 1);
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml")).unwrap();
    let version = manifest
        .lines()
        .skip_while(|l| l.trim() != "[workspace.package]")
        .find_map(|l| l.strip_prefix("version = "))
        .unwrap()
        .trim_matches('"');
    assert_eq!(text(mde_version()), version);
}

#[test]
fn status_strings_are_never_null() {
    for status in -3..20 {
        assert!(!text(mde_status_str(status)).is_empty());
    }
    assert_eq!(
        text(mde_status_str(MDE_STATUS_NOT_FOUND)),
        "machine action not found"
    );
    assert_eq!(text(mde_status_str(99)), "unknown status");
}

#[test]
fn nulls_in_every_pointer_position() {
    unsafe {
        let mut error = null_mut();
        assert_eq!(
            mde_client_new(null(), null_mut(), &mut error),
            MDE_STATUS_NULL_ARGUMENT
        );
        assert!(take_error(error).4.contains("out_client"));
        assert_eq!(
            mde_client_new(null(), null_mut(), null_mut()),
            MDE_STATUS_NULL_ARGUMENT
        );

        let client = new_client(json!({"token": "t", "base_url": "http://127.0.0.1:9"}));
        let id = cstr(GUID);
        let comment = cstr("c");
        let mut json_out: *mut c_char = std::ptr::dangling_mut::<c_char>();
        type Call<'a> = Box<dyn Fn(*mut *mut c_char, *mut *mut mde_error) -> mde_status + 'a>;
        let cases: [(&str, Call); 4] = [
            (
                "client",
                Box::new(|o, e| mde_cancel_action(null(), id.as_ptr(), comment.as_ptr(), o, e)),
            ),
            (
                "action_id",
                Box::new(|o, e| mde_cancel_action(client, null(), comment.as_ptr(), o, e)),
            ),
            (
                "comment",
                Box::new(|o, e| mde_cancel_action(client, id.as_ptr(), null(), o, e)),
            ),
            (
                "out_action_json",
                Box::new(|_, e| {
                    mde_cancel_action(client, id.as_ptr(), comment.as_ptr(), null_mut(), e)
                }),
            ),
        ];
        for (name, call) in cases {
            json_out = std::ptr::dangling_mut::<c_char>();
            error = std::ptr::dangling_mut::<mde_error>();
            assert_eq!(
                call(&mut json_out, &mut error),
                MDE_STATUS_NULL_ARGUMENT,
                "{name}"
            );
            let (_, http, retry, code, message, _) = take_error(error);
            assert!(message.contains(name), "{name}: {message}");
            assert_eq!((http, retry, code.as_str()), (0, -1, ""));
            if name != "out_action_json" {
                assert!(json_out.is_null(), "{name}: result cleared on failure");
            }
            // Without out_error the status still comes back.
            assert_eq!(
                call(&mut json_out, null_mut()),
                MDE_STATUS_NULL_ARGUMENT,
                "{name}"
            );
        }
        assert_eq!(
            mde_get_action(null(), id.as_ptr(), &mut json_out, null_mut()),
            MDE_STATUS_NULL_ARGUMENT
        );
        assert_eq!(
            mde_get_action(client, null(), &mut json_out, null_mut()),
            MDE_STATUS_NULL_ARGUMENT
        );
        assert_eq!(
            mde_get_action(client, id.as_ptr(), null_mut(), null_mut()),
            MDE_STATUS_NULL_ARGUMENT
        );

        assert_eq!(mde_error_status(null()), MDE_STATUS_NULL_ARGUMENT);
        assert_eq!(mde_error_http_status(null()), 0);
        assert_eq!(mde_error_retry_after_ms(null()), -1);
        assert_eq!(text(mde_error_code(null())), "");
        assert!(!text(mde_error_message(null())).is_empty());
        assert_eq!(text(mde_error_action_status(null())), "");
        mde_error_free(null_mut());
        mde_string_free(null_mut());
        mde_client_free(null_mut());
        mde_client_free(client);
    }
}

#[test]
fn invalid_utf8_is_refused_by_name() {
    let bad = CString::new(vec![b'a', 0xff, b'b']).unwrap();
    unsafe {
        let mut client = null_mut();
        let mut error = null_mut();
        assert_eq!(
            mde_client_new(bad.as_ptr(), &mut client, &mut error),
            MDE_STATUS_INVALID_UTF8
        );
        assert!(client.is_null());
        assert!(take_error(error).4.contains("config_json"));

        let client = new_client(json!({"token": "t", "base_url": "http://127.0.0.1:9"}));
        let id = cstr(GUID);
        let mut out = null_mut();
        assert_eq!(
            mde_cancel_action(client, bad.as_ptr(), bad.as_ptr(), &mut out, &mut error),
            MDE_STATUS_INVALID_UTF8
        );
        assert!(take_error(error).4.contains("action_id"));
        assert_eq!(
            mde_cancel_action(client, id.as_ptr(), bad.as_ptr(), &mut out, &mut error),
            MDE_STATUS_INVALID_UTF8
        );
        assert!(take_error(error).4.contains("comment"));
        mde_client_free(client);
    }
}

#[test]
fn unknown_config_keys_are_named() {
    let config = cstr(r#"{"token": "t", "bogus_key": 1}"#);
    unsafe {
        let mut client = std::ptr::dangling_mut::<mde_client>();
        let mut error = null_mut();
        assert_eq!(
            mde_client_new(config.as_ptr(), &mut client, &mut error),
            MDE_STATUS_INVALID_ARGUMENT
        );
        assert!(client.is_null());
        let (status, .., message, _) = take_error(error);
        assert_eq!(status, MDE_STATUS_INVALID_ARGUMENT);
        assert!(message.contains("bogus_key"), "{message}");
    }
}

#[test]
fn outcomes_against_the_emulator() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let pending = emu.seed_one(json!({"status": "Pending", "futureField": [1, 2]}));
    let done = emu.seed_one(json!({"status": "Succeeded"}));
    let client = emulator_client(&emu);
    unsafe {
        let mut out: *mut c_char = null_mut();
        let mut error: *mut mde_error = std::ptr::dangling_mut::<mde_error>();
        let id = cstr(&pending);
        let status = mde_cancel_action(
            client,
            id.as_ptr(),
            cstr("oops").as_ptr(),
            &mut out,
            &mut error,
        );
        assert_eq!(status, MDE_STATUS_OK);
        assert!(error.is_null(), "cleared on success");
        let action: serde_json::Value = serde_json::from_str(&text(out)).unwrap();
        assert_eq!(action["status"], "Cancelled");
        assert_eq!(action["futureField"], json!([1, 2]), "unknown fields kept");
        mde_string_free(out);

        let id = cstr(&done);
        let status = mde_cancel_action(
            client,
            id.as_ptr(),
            cstr("late").as_ptr(),
            &mut out,
            &mut error,
        );
        assert_eq!(status, MDE_STATUS_NOT_CANCELLABLE);
        assert!(out.is_null());
        let (_, http, _, code, message, action_status) = take_error(error);
        assert_eq!(
            (http, code.as_str(), action_status.as_str()),
            (400, "BadRequest", "Succeeded")
        );
        assert!(message.contains("Succeeded"));

        let id = cstr(GUID);
        assert_eq!(
            mde_get_action(client, id.as_ptr(), &mut out, &mut error),
            MDE_STATUS_NOT_FOUND
        );
        let (_, http, _, code, ..) = take_error(error);
        assert_eq!((http, code.as_str()), (404, "NotFound"));

        emu.clear_requests();
        let bad = cstr("../machines/x");
        assert_eq!(
            mde_cancel_action(
                client,
                bad.as_ptr(),
                cstr("c").as_ptr(),
                &mut out,
                &mut error
            ),
            MDE_STATUS_INVALID_ARGUMENT
        );
        assert!(take_error(error).4.contains("../machines/x"));
        assert!(emu.requests().is_empty(), "nothing sent for an invalid id");

        emu.inject(mde_emulator::Fault {
            route: "get".into(),
            count: 1,
            status: Some(429),
            retry_after: Some("3".into()),
            ..Default::default()
        });
        let id = cstr(&pending);
        assert_eq!(
            mde_get_action(client, id.as_ptr(), &mut out, &mut error),
            MDE_STATUS_RATE_LIMITED
        );
        assert_eq!(take_error(error).2, 3000);
        mde_client_free(client);
    }
}

#[test]
fn calling_from_inside_a_tokio_runtime_fails_cleanly() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let id = emu.seed_one(json!({}));
    let client = emulator_client(&emu) as usize;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let (status, message) = runtime.block_on(async move {
        let id = cstr(&id);
        let mut out = null_mut();
        let mut error = null_mut();
        let status = unsafe {
            mde_get_action(
                client as *const mde_client,
                id.as_ptr(),
                &mut out,
                &mut error,
            )
        };
        (status, take_error(error).4)
    });
    assert_eq!(status, MDE_STATUS_INVALID_ARGUMENT);
    assert!(message.contains("inside a tokio runtime"), "{message}");
    unsafe { mde_client_free(client as *mut mde_client) };
}

#[test]
fn many_threads_share_one_client() {
    let emu = Emulator::start(EmulatorConfig {
        rate_limits: vec![],
        ..EmulatorConfig::default()
    })
    .unwrap();
    let ids: Vec<String> = (0..8 * 25).map(|_| emu.seed_one(json!({}))).collect();
    let client =
        new_client(json!({"base_url": emu.url(), "token": "t", "rate_limits": []})) as usize;
    std::thread::scope(|s| {
        for chunk in ids.chunks(25) {
            s.spawn(move || {
                for id in chunk {
                    let id = cstr(id);
                    let mut out = null_mut();
                    let mut error = null_mut();
                    let status = unsafe {
                        mde_cancel_action(
                            client as *const mde_client,
                            id.as_ptr(),
                            cstr("bulk").as_ptr(),
                            &mut out,
                            &mut error,
                        )
                    };
                    assert_eq!(status, MDE_STATUS_OK);
                    unsafe { mde_string_free(out) };
                }
            });
        }
    });
    assert_eq!(emu.requests().len(), 200);
    assert!(ids.iter().all(|id| emu.applied_cancels(id) == 1));
    unsafe { mde_client_free(client as *mut mde_client) };
}
