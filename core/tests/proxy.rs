//! The environment's proxy settings: requests go through an http:// proxy's CONNECT
//! tunnel, with its credentials, unless NO_PROXY names the host.
//!
//! One test in its own binary (its own process), because it sets environment
//! variables that every client built meanwhile would read.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use mde_core::ErrorKind;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A CONNECT proxy on loopback that records the head of every CONNECT it tunnels.
async fn connect_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let (mut inbound, _) = listener.accept().await.unwrap();
            let log = log.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if inbound.read(&mut byte).await.unwrap() == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8(head).unwrap();
                let target = head.split_whitespace().nth(1).unwrap().to_owned();
                log.lock().unwrap().push(head.clone());
                if !head.starts_with("CONNECT ") {
                    inbound
                        .write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                        .await
                        .ok();
                    return;
                }
                let mut outbound = TcpStream::connect(target).await.unwrap();
                inbound
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .unwrap();
                tokio::io::copy_bidirectional(&mut inbound, &mut outbound)
                    .await
                    .ok();
            });
        }
    });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_follow_the_environments_proxy_settings() {
    let emu = emulator();
    let (proxy, seen) = connect_proxy().await;
    let emu_host = emu.url().trim_start_matches("http://").to_owned();
    let id = seed(&emu, json!({"status": "Pending"}));

    // HTTP_PROXY with credentials: tunnelled, with a Proxy-Authorization header.
    let with_credentials = proxy.replace("http://", "http://scanner:p%40ss@");
    std::env::set_var("HTTP_PROXY", &with_credentials);
    client(&emu)
        .get_action(&id)
        .await
        .expect("through the proxy");
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "one tunnel: {seen:?}");
        assert!(seen[0].starts_with(&format!("CONNECT {emu_host} HTTP/1.1\r\n")));
        // base64("scanner:p@ss")
        assert!(
            seen[0].contains("proxy-authorization: Basic c2Nhbm5lcjpwQHNz\r\n")
                || seen[0].contains("Proxy-Authorization: Basic c2Nhbm5lcjpwQHNz\r\n"),
            "{}",
            seen[0]
        );
    }
    let cancelled = client(&emu).cancel_action(&id, "via proxy").await.unwrap();
    assert_eq!(cancelled.cancellation_comment.as_deref(), Some("via proxy"));
    assert_eq!(seen.lock().unwrap().len(), 2);

    // NO_PROXY naming the host: straight to the emulator.
    std::env::set_var("NO_PROXY", "127.0.0.1");
    client(&emu).get_action(&id).await.unwrap();
    assert_eq!(seen.lock().unwrap().len(), 2, "NO_PROXY bypasses the proxy");
    std::env::remove_var("NO_PROXY");

    // A proxy this client cannot speak to is an error naming it, not a direct call.
    std::env::set_var("HTTP_PROXY", "socks5://127.0.0.1:9");
    let e = client_with(&emu, json!({"max_retries": 0}))
        .get_action(&id)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    assert!(e.to_string().contains("only http:// proxies"), "{e}");
    std::env::remove_var("HTTP_PROXY");
    let gets = emu.requests().iter().filter(|r| r.method == "GET").count();
    assert_eq!(gets, 2, "the refused proxy sent nothing to the API");
}
