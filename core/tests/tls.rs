//! https: the server's certificate is verified against the web's public roots, so a
//! self-signed server is refused before any request (or token) is sent to it.

use std::sync::Arc;

use mde_core::{ActionId, Client, Config, ErrorKind};
use serde_json::json;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

#[tokio::test]
async fn a_server_with_an_untrusted_certificate_is_refused() {
    let key = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let chain = vec![CertificateDer::from(key.cert.der().to_vec())];
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.signing_key.serialize_der()));
    let config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // The one connection (no retries): whether its handshake completed, and any
    // application data that reached the server.
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut data = Vec::new();
        let accepted = match acceptor.accept(tcp).await {
            Ok(mut tls) => {
                tls.read_to_end(&mut data).await.ok();
                true
            }
            Err(_) => false,
        };
        (accepted, data)
    });

    let token = "tls-test-token-0a1b2c";
    let config = Config::from_value(json!({
        "base_url": format!("https://localhost:{port}"),
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
    let (accepted, data) = server.await.unwrap();
    assert!(!accepted, "the client broke off the handshake");
    assert!(data.is_empty(), "nothing reached the untrusted server");
}
