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
    /// Per connection: whether the handshake completed.
    handshakes: Arc<Mutex<Vec<bool>>>,
    /// Bytes that reached the front with no backend to forward them to.
    stray: Arc<Mutex<Vec<u8>>>,
}

impl TlsFront {
    /// Starts the front; with a `backend` address, decrypted traffic goes there.
    async fn start(backend: Option<String>) -> TlsFront {
        let key = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
        let chain = vec![CertificateDer::from(key.cert.der().to_vec())];
        let private =
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.signing_key.serialize_der()));
        let config =
            ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(chain, private)
                .unwrap();
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
                        handshakes.lock().unwrap().push(false);
                        return;
                    };
                    handshakes.lock().unwrap().push(true);
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

    fn url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }
}

#[tokio::test]
async fn a_server_with_an_untrusted_certificate_is_refused() {
    let front = TlsFront::start(None).await;
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
    assert_eq!(
        *front.handshakes.lock().unwrap(),
        [false],
        "the client broke off"
    );
    assert!(front.stray.lock().unwrap().is_empty(), "nothing reached it");
}

#[tokio::test]
async fn an_authority_in_ca_certificate_path_is_trusted() {
    let emu = emulator();
    let id = seed(&emu, json!({"status": "Pending"}));
    let backend = emu.url().trim_start_matches("http://").to_owned();
    let front = TlsFront::start(Some(backend)).await;
    let dir = std::env::temp_dir().join(format!("mde-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &front.cert_pem).unwrap();

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
    assert_eq!(*front.handshakes.lock().unwrap(), [true]);
    let routes: Vec<String> = emu.requests().into_iter().map(|r| r.route).collect();
    assert_eq!(routes, ["cancel", "get"]);

    // Files that hold no usable authority are refused by name.
    let not_pem = dir.join("not.pem");
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
    std::fs::remove_dir_all(&dir).ok();
}
