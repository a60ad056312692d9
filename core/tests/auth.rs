//! App credentials against the emulator's token endpoints: secret and certificate
//! flows, renewal, one token request for concurrent callers, 401 recovery, errors.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use mde_core::{ActionId, Client, Config, ErrorKind};
use mde_emulator::{Emulator, EmulatorConfig, Fault, RegisteredApp};
use serde_json::{json, Value};

const TENANT: &str = "11111111-2222-4333-8444-555555555555";
const CLIENT: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const SECRET: &str = "app-secret-Zq8~never-shown";

fn app() -> RegisteredApp {
    RegisteredApp {
        tenant_id: TENANT.into(),
        client_id: CLIENT.into(),
        client_secret: Some(SECRET.into()),
        certificate_pem: None,
        roles: vec!["Machine.Isolate".into(), "Machine.Read.All".into()],
        display_name: "SOC Bot".into(),
    }
}

fn emulator(app: RegisteredApp, lifetime: Duration) -> Emulator {
    Emulator::start(EmulatorConfig {
        accept_any_token: false,
        apps: vec![app],
        token_lifetime: lifetime,
        ..EmulatorConfig::default()
    })
    .unwrap()
}

fn client(emu: &Emulator, credentials: Value) -> Client {
    let mut config = json!({
        "base_url": emu.url(), "authority_host": emu.url(), "tenant_id": TENANT,
        "client_id": CLIENT, "timeout_ms": 3000, "retry_base_ms": 10, "retry_cap_ms": 20,
    });
    for (k, v) in credentials.as_object().unwrap() {
        config[k] = v.clone();
    }
    Client::new(Config::from_value(config).unwrap()).unwrap()
}

fn seed(emu: &Emulator) -> ActionId {
    ActionId::parse(&emu.seed_one(json!({}))).unwrap()
}

#[tokio::test]
async fn client_secret_flow_end_to_end() {
    let emu = emulator(app(), Duration::from_secs(3599));
    let id = seed(&emu);
    let action = client(&emu, json!({"client_secret": SECRET}))
        .cancel_action(&id, "x")
        .await
        .unwrap();
    assert_eq!(action.cancellation_requestor.as_deref(), Some("SOC Bot"));
    let log = emu.requests();
    let token = &log[0];
    assert_eq!(token.route, "token");
    assert_eq!(token.path, format!("/{TENANT}/oauth2/v2.0/token"));
    assert!(
        token.body.contains("grant_type=client_credentials"),
        "{}",
        token.body
    );
    assert!(token.body.contains(&format!("client_id={CLIENT}")));
    assert!(
        token
            .body
            .contains("scope=https%3A%2F%2Fapi.securitycenter.microsoft.com%2F.default"),
        "{}",
        token.body
    );
    assert!(token.body.contains("client_secret=%5Bredacted%5D") && !token.body.contains("Zq8"));
    assert_eq!(log[1].route, "cancel");
    assert!(log[1].headers["authorization"].starts_with("Bearer "));
}

/// A fresh self-signed certificate and its RSA key, made here.
struct AppCertificate {
    /// The certificate, PEM.
    cert_pem: String,
    cert_der: Vec<u8>,
    /// The key, unencrypted PKCS#8 PEM.
    key_pem: String,
    key_der: Vec<u8>,
}

impl AppCertificate {
    fn new() -> Self {
        use rsa::pkcs8::EncodePrivateKey;
        let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
        let key_pem = key
            .to_pkcs8_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap()
            .to_string();
        let pair = rcgen::KeyPair::from_pkcs8_pem_and_sign_algo(&key_pem, &rcgen::PKCS_RSA_SHA256)
            .unwrap();
        let cert = rcgen::CertificateParams::new(vec!["mde-test-app".to_string()])
            .unwrap()
            .self_signed(&pair)
            .unwrap();
        AppCertificate {
            cert_pem: cert.pem(),
            cert_der: cert.der().to_vec(),
            key_der: pem::parse(&key_pem).unwrap().contents().to_vec(),
            key_pem,
        }
    }

    /// An emulator where the app signs in with this certificate only.
    fn emulator(&self) -> Emulator {
        emulator(
            RegisteredApp {
                client_secret: None,
                certificate_pem: Some(self.cert_pem.clone()),
                ..app()
            },
            Duration::from_secs(3599),
        )
    }

    /// A PEM file with the certificate and the unencrypted key.
    fn pem_file(&self) -> tempfile_path::TempPath {
        tempfile_path::TempPath::new("pem", format!("{}{}", self.cert_pem, self.key_pem))
    }

    /// A PEM file with the certificate and the key encrypted (PBES2, AES-256-CBC).
    fn encrypted_pem_file(&self, password: &str) -> tempfile_path::TempPath {
        use pkcs8::pkcs5::pbes2::Parameters;
        let params = Parameters::generate_pbkdf2_sha256_aes256cbc(2048, &[7; 16], [9; 16]).unwrap();
        let encrypted = pkcs8::PrivateKeyInfoRef::try_from(self.key_der.as_slice())
            .unwrap()
            .encrypt_with_params(params, password)
            .unwrap();
        let block = pem::encode(&pem::Pem::new(
            "ENCRYPTED PRIVATE KEY",
            encrypted.as_bytes(),
        ));
        tempfile_path::TempPath::new("pem", format!("{}{block}", self.cert_pem))
    }

    /// A PKCS#12 file with both, encrypted with `algorithm`.
    fn pfx_file(
        &self,
        password: &str,
        algorithm: p12_keystore::EncryptionAlgorithm,
    ) -> tempfile_path::TempPath {
        let chain = p12_keystore::PrivateKeyChain::new(
            &b"key-1"[..],
            p12_keystore::PrivateKey::from_der(&self.key_der).unwrap(),
            [p12_keystore::Certificate::from_der(&self.cert_der).unwrap()],
        );
        let mut store = p12_keystore::KeyStore::new();
        store.add_entry("app", p12_keystore::KeyStoreEntry::PrivateKeyChain(chain));
        let bytes = store
            .writer(password)
            .encryption_algorithm(algorithm)
            .write()
            .unwrap();
        tempfile_path::TempPath::new("pfx", bytes)
    }
}

/// A file removed when dropped (ten lines, not worth a crate).
mod tempfile_path {
    pub struct TempPath(pub std::path::PathBuf);
    impl TempPath {
        pub fn new(ext: &str, contents: impl AsRef<[u8]>) -> Self {
            let path = std::env::temp_dir().join(format!("mde-test-{}.{ext}", uuid_like()));
            std::fs::write(&path, contents).unwrap();
            TempPath(path)
        }
    }
    fn uuid_like() -> String {
        format!("{}-{:?}", std::process::id(), std::time::SystemTime::now())
            .replace(|c: char| !c.is_ascii_alphanumeric(), "")
    }
    impl Drop for TempPath {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

#[tokio::test]
async fn certificate_flow_end_to_end() {
    let certificate = AppCertificate::new();
    let path = certificate.pem_file();
    let emu = certificate.emulator();
    let id = seed(&emu);
    let c = client(
        &emu,
        json!({"client_certificate_path": path.0.to_str().unwrap()}),
    );
    let action = c.cancel_action(&id, "x").await.unwrap();
    assert_eq!(action.cancellation_requestor.as_deref(), Some("SOC Bot"));
    let body = &emu.requests()[0].body;
    assert!(body.contains(
        "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
    ));
    assert!(body.contains("client_assertion=%5Bredacted%5D"));

    // Another certificate (another thumbprint) is refused by the identity platform.
    let other = AppCertificate::new().pem_file();
    let emu2 = emulator(
        RegisteredApp {
            client_secret: None,
            certificate_pem: Some(std::fs::read_to_string(&path.0).unwrap()),
            ..app()
        },
        Duration::from_secs(3599),
    );
    let err = client(
        &emu2,
        json!({"client_certificate_path": other.0.to_str().unwrap()}),
    )
    .get_action(&id)
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(err.code(), Some("invalid_client"));
    assert!(
        err.service_message().unwrap().contains("AADSTS700027"),
        "{err}"
    );
}

#[tokio::test]
async fn certificates_in_pkcs12_and_encrypted_pem_files_sign_in() {
    use p12_keystore::EncryptionAlgorithm::{
        PbeWithHmacSha256AndAes256, PbeWithShaAnd3KeyTripleDesCbc,
    };
    const PASSWORD: &str = "pfx-pa55word~hidden";
    let certificate = AppCertificate::new();
    let emu = certificate.emulator();
    let id = seed(&emu);
    let files = [
        (
            "pfx, AES",
            certificate.pfx_file(PASSWORD, PbeWithHmacSha256AndAes256),
            Some(PASSWORD),
        ),
        (
            "pfx, 3DES",
            certificate.pfx_file(PASSWORD, PbeWithShaAnd3KeyTripleDesCbc),
            Some(PASSWORD),
        ),
        (
            "pfx, no password",
            certificate.pfx_file("", PbeWithHmacSha256AndAes256),
            None,
        ),
        (
            "encrypted PEM",
            certificate.encrypted_pem_file(PASSWORD),
            Some(PASSWORD),
        ),
    ];
    for (what, file, password) in &files {
        let c = client(
            &emu,
            json!({"client_certificate_path": file.0.to_str().unwrap(),
                   "client_certificate_password": password}),
        );
        c.get_action(&id)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
    }
    assert_eq!(emu.token_requests(), files.len(), "one sign-in per file");

    // What cannot be opened is an InvalidArgument naming the file and the reason,
    // before any request, and never showing the password.
    let refused = |file: &tempfile_path::TempPath, password: Option<&str>| {
        let mut config = json!({
            "base_url": emu.url(), "authority_host": emu.url(), "tenant_id": TENANT,
            "client_id": CLIENT, "client_certificate_path": file.0.to_str().unwrap(),
        });
        if let Some(p) = password {
            config["client_certificate_password"] = json!(p);
        }
        let e = Config::from_value(config).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        let text = e.to_string();
        assert!(text.contains(file.0.to_str().unwrap()), "{text}");
        assert!(
            !text.contains("wrong-guess") && !text.contains(PASSWORD),
            "{text}"
        );
        text
    };
    let pfx = &files[0].1;
    let text = refused(pfx, Some("wrong-guess"));
    assert!(text.contains("wrong client_certificate_password"), "{text}");
    let text = refused(pfx, None);
    assert!(text.contains("wrong client_certificate_password"), "{text}");
    let encrypted = &files[3].1;
    let text = refused(encrypted, None);
    assert!(text.contains("encrypted: give its password"), "{text}");
    let text = refused(encrypted, Some("wrong-guess"));
    assert!(text.contains("cannot decrypt the private key"), "{text}");
    let plain = certificate.pem_file();
    let text = refused(&plain, Some("wrong-guess"));
    assert!(text.contains("not encrypted"), "{text}");
    let garbage = tempfile_path::TempPath::new("pfx", b"\x30\x03\x02\x01\x03 not a pfx");
    let text = refused(&garbage, None);
    assert!(
        text.contains("neither a PEM file nor a PKCS#12 file"),
        "{text}"
    );
    assert_eq!(
        emu.token_requests(),
        files.len(),
        "nothing was sent for them"
    );
}

#[tokio::test]
async fn a_job_that_outlives_its_token_renews_it() {
    // Tokens last 2 s and are renewed after half of that.
    let emu = emulator(app(), Duration::from_secs(2));
    let id = seed(&emu);
    let c = client(&emu, json!({"client_secret": SECRET}));
    c.get_action(&id).await.unwrap(); // token 1
    c.get_action(&id).await.unwrap(); // cached
    tokio::time::sleep(Duration::from_millis(1200)).await;
    c.get_action(&id).await.unwrap(); // token 2
    tokio::time::sleep(Duration::from_millis(1200)).await;
    c.get_action(&id).await.unwrap(); // token 3: token 1 has expired by now
    assert_eq!(emu.token_requests(), 3);
    assert!(
        emu.requests().iter().all(|r| r.status == Some(200)),
        "no call was refused"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_first_calls_make_one_token_request() {
    let emu = emulator(app(), Duration::from_secs(3599));
    let id = seed(&emu);
    let c = client(&emu, json!({"client_secret": SECRET}));
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let (c, id) = (c.clone(), id.clone());
            tokio::spawn(async move { c.get_action(&id).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(emu.token_requests(), 1);
}

#[tokio::test]
async fn a_revoked_token_is_renewed_once_and_the_call_succeeds() {
    let emu = emulator(app(), Duration::from_secs(3599));
    let id = seed(&emu);
    let c = client(&emu, json!({"client_secret": SECRET}));
    c.get_action(&id).await.unwrap();
    emu.revoke_tokens();
    c.get_action(&id).await.unwrap();
    let seen: Vec<_> = emu
        .requests()
        .iter()
        .map(|r| (r.route.clone(), r.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("token".into(), Some(200)),
            ("get".into(), Some(200)),
            ("get".into(), Some(401)),
            ("token".into(), Some(200)),
            ("get".into(), Some(200)),
        ]
    );
}

#[tokio::test]
async fn a_failed_renewal_keeps_the_valid_token() {
    let emu = emulator(app(), Duration::from_secs(3));
    let id = seed(&emu);
    let c = client(&emu, json!({"client_secret": SECRET, "max_retries": 0}));
    c.get_action(&id).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1700)).await; // renewal due, token valid
    emu.inject(Fault {
        route: "token".into(),
        count: 1,
        status: Some(503),
        ..Fault::default()
    });
    c.get_action(&id).await.unwrap();
    assert_eq!(emu.token_requests(), 2, "one renewal tried");
}

/// Captures every tracing line of the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_wrong_secret_is_unauthorized_with_the_platform_code_and_never_shown() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emu = emulator(app(), Duration::from_secs(3599));
    let id = seed(&emu);
    let wrong = "wrong-secret-Yx7~also-never-shown";
    let c = client(&emu, json!({"client_secret": wrong}));
    let err = c.get_action(&id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(err.http_status(), Some(401));
    assert_eq!(err.code(), Some("invalid_client"));
    assert!(
        err.service_message().unwrap().starts_with("AADSTS7000215"),
        "{err}"
    );
    assert!(err.target().is_some());
    // An unknown app gets the platform's own code too.
    let unknown = Client::new(
        Config::from_value(
            json!({"base_url": emu.url(), "authority_host": emu.url(), "tenant_id": TENANT,
            "client_id": "00000000-0000-4000-8000-000000000009", "client_secret": wrong}),
        )
        .unwrap(),
    )
    .unwrap();
    let err2 = unknown.get_action(&id).await.unwrap_err();
    assert_eq!(err2.code(), Some("unauthorized_client"));
    c.cancel_action(&id, "x").await.unwrap_err();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("mde"), "something was logged: {logs}");
    for text in [
        err.to_string(),
        format!("{err:?}"),
        err2.to_string(),
        format!("{c:?}"),
        logs,
    ] {
        assert!(
            !text.contains("Yx7") && !text.contains("Zq8"),
            "a secret leaked: {text}"
        );
    }
    assert!(emu.requests().iter().all(|r| !r.body.contains("Yx7")));
}
