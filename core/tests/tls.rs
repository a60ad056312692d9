//! https: the server's certificate is verified against the web's public roots and
//! the authorities of `ca_certificate_path`, so an untrusted server is refused before
//! any request (or token) is sent to it, and a private authority can be trusted.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use mde_core::{ActionId, Client, Config, ErrorKind};
use serde_json::json;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

/// A TLS front on loopback with a fresh self-signed certificate for `localhost`.
struct TlsFront {
    port: u16,
    /// The certificate, PEM: the authority to trust.
    cert_pem: String,
    /// Per connection: the protocol chosen by ALPN (`h2`, `http/1.1`, `none`), or
    /// `refused` when the handshake failed.
    handshakes: Arc<Mutex<Vec<String>>>,
    /// Bytes that reached the front with no backend to forward them to.
    stray: Arc<Mutex<Vec<u8>>>,
}

impl TlsFront {
    /// Starts the front, offering `alpn`; with a `backend` address, decrypted
    /// traffic goes there.
    async fn start(backend: Option<String>, alpn: &[&[u8]]) -> TlsFront {
        let key = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
        let chain = vec![CertificateDer::from(key.cert.der().to_vec())];
        let private =
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.signing_key.serialize_der()));
        let mut config =
            ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(chain, private)
                .unwrap();
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let front = TlsFront {
            port: listener.local_addr().unwrap().port(),
            cert_pem: key.cert.pem(),
            handshakes: Arc::default(),
            stray: Arc::default(),
        };
        let (handshakes, stray) = (front.handshakes.clone(), front.stray.clone());
        tokio::spawn(async move {
            loop {
                let (tcp, _) = listener.accept().await.unwrap();
                let (acceptor, backend) = (acceptor.clone(), backend.clone());
                let (handshakes, stray) = (handshakes.clone(), stray.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        handshakes.lock().unwrap().push("refused".into());
                        return;
                    };
                    let chosen = tls
                        .get_ref()
                        .1
                        .alpn_protocol()
                        .map_or("none".into(), |p| String::from_utf8_lossy(p).into_owned());
                    handshakes.lock().unwrap().push(chosen);
                    match backend {
                        Some(addr) => {
                            let mut out = TcpStream::connect(addr).await.unwrap();
                            tokio::io::copy_bidirectional(&mut tls, &mut out).await.ok();
                        }
                        None => {
                            let mut data = Vec::new();
                            tls.read_to_end(&mut data).await.ok();
                            stray.lock().unwrap().extend(data);
                        }
                    }
                });
            }
        });
        front
    }

    /// Writes the certificate to a file for `ca_certificate_path`.
    fn ca_file(&self) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("mde-test-ca-{}.pem", self.port));
        std::fs::write(&path, &self.cert_pem).unwrap();
        path
    }

    fn url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }
}

#[tokio::test]
async fn a_server_with_an_untrusted_certificate_is_refused() {
    let front = TlsFront::start(None, &[]).await;
    let token = "tls-test-token-0a1b2c";
    let config = Config::from_value(json!({
        "base_url": front.url(),
        "token": token,
        "max_retries": 0,
    }))
    .unwrap();
    let id = ActionId::parse("00000000-0000-4000-8000-000000000001").unwrap();
    let e = Client::new(config)
        .unwrap()
        .cancel_action(&id, "never sent")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    let text = e.to_string();
    assert!(text.contains("certificate"), "{text}");
    assert!(!text.contains(token));
    // The front records the failed handshake after the client has given up.
    for _ in 0..200 {
        if !front.handshakes.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(*front.handshakes.lock().unwrap(), ["refused"]);
    assert!(front.stray.lock().unwrap().is_empty(), "nothing reached it");
}

#[tokio::test]
async fn an_authority_in_ca_certificate_path_is_trusted() {
    let emu = emulator();
    let id = seed(&emu, json!({"status": "Pending"}));
    let backend = emu.url().trim_start_matches("http://").to_owned();
    let front = TlsFront::start(Some(backend), &[b"http/1.1"]).await;
    let ca = front.ca_file();

    let config = Config::from_value(json!({
        "base_url": front.url(),
        "token": TOKEN,
        "ca_certificate_path": ca.to_str().unwrap(),
    }))
    .unwrap();
    let client = Client::new(config).unwrap();
    let action = client.cancel_action(&id, "over TLS").await.unwrap();
    assert_eq!(action.cancellation_comment.as_deref(), Some("over TLS"));
    client.get_action(&id).await.unwrap();
    // Both calls on one kept-alive TLS connection.
    assert_eq!(*front.handshakes.lock().unwrap(), ["http/1.1"]);
    let routes: Vec<String> = emu.requests().into_iter().map(|r| r.route).collect();
    assert_eq!(routes, ["cancel", "get"]);

    // Files that hold no usable authority are refused by name.
    let not_pem = ca.with_extension("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    for (path, why) in [
        (not_pem.as_path(), "no CERTIFICATE block"),
        (
            std::path::Path::new("/nonexistent/ca.pem"),
            "cannot read it",
        ),
    ] {
        let e =
            Config::from_value(json!({"ca_certificate_path": path.to_str().unwrap()})).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        let text = e.to_string();
        assert!(
            text.contains("ca_certificate_path") && text.contains(why),
            "{text}"
        );
    }
    std::fs::remove_file(&not_pem).ok();
    std::fs::remove_file(&ca).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_is_chosen_by_alpn_and_carries_concurrent_calls_on_one_connection() {
    let emu = emulator();
    let ids: Vec<ActionId> = (0..20)
        .map(|_| seed(&emu, json!({"status": "Pending"})))
        .collect();
    let backend = emu.url().trim_start_matches("http://").to_owned();
    let front = TlsFront::start(Some(backend), &[b"h2", b"http/1.1"]).await;
    let ca = front.ca_file();
    let client = Client::new(
        Config::from_value(json!({
            "base_url": front.url(),
            "token": TOKEN,
            "ca_certificate_path": ca.to_str().unwrap(),
            "rate_limits": [],
        }))
        .unwrap(),
    )
    .unwrap();
    // One call first, so the others find the connection open.
    client.get_action(&ids[0]).await.unwrap();
    let calls: Vec<_> = ids
        .iter()
        .map(|id| {
            let (client, id) = (client.clone(), id.clone());
            tokio::spawn(async move { client.cancel_action(&id, "h2").await })
        })
        .collect();
    for call in calls {
        let action = call.await.unwrap().unwrap();
        assert_eq!(action.cancellation_comment.as_deref(), Some("h2"));
    }
    assert_eq!(
        *front.handshakes.lock().unwrap(),
        ["h2"],
        "21 calls, one HTTP/2 connection"
    );
    assert_eq!(emu.requests().len(), 21);
    std::fs::remove_file(&ca).ok();
}
