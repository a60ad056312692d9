use super::*;
use crate::ErrorKind;
use serde_json::json;

fn err(value: Value) -> String {
    let e = Config::from_value(value).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    e.to_string()
}

#[test]
fn defaults_to_the_public_cloud() {
    let c = Config::from_value(json!({})).unwrap();
    assert_eq!(c.api_base(), "https://api.security.microsoft.com");
    assert_eq!(c.timeout(), Duration::from_secs(30));
    assert!(c.credentials().is_none());
}

#[test]
fn clouds_and_regions_map_to_the_reference_hosts() {
    let cases = [
        (
            json!({"cloud": "public"}),
            "https://api.security.microsoft.com",
        ),
        (
            json!({"cloud": "gcc"}),
            "https://api-gcc.securitycenter.microsoft.us",
        ),
        (
            json!({"cloud": "gcc-high"}),
            "https://api-gov.securitycenter.microsoft.us",
        ),
        (
            json!({"cloud": "dod"}),
            "https://api-gov.securitycenter.microsoft.us",
        ),
        (
            json!({"region": "eu"}),
            "https://eu.api.security.microsoft.com",
        ),
        (
            json!({"region": "aea"}),
            "https://aea.api.security.microsoft.com",
        ),
        (
            json!({"cloud": "dod", "base_url": "https://proxy.example/mde/"}),
            "https://proxy.example/mde",
        ),
    ];
    for (value, base) in cases {
        assert_eq!(
            Config::from_value(value.clone()).unwrap().api_base(),
            base,
            "{value}"
        );
    }
}

#[test]
fn unknown_values_list_the_valid_ones() {
    let text = err(json!({"cloud": "azure-china"}));
    assert!(
        text.contains("azure-china") && text.contains("gcc-high"),
        "{text}"
    );
    let text = err(json!({"region": "mars"}));
    assert!(text.contains("mars") && text.contains("swa"), "{text}");
    let text = err(json!({"cloud": "gcc", "region": "eu"}));
    assert!(text.contains("only valid in the public cloud"), "{text}");
}

#[test]
fn unknown_keys_are_named() {
    let text = err(json!({"token": "t", "time_out": 5}));
    assert!(text.contains("\"time_out\""), "{text}");
    assert!(text.contains("timeout_ms"), "{text}");
}

#[test]
fn wrong_types_name_the_key_and_never_echo_the_token() {
    let text = err(json!({"timeout_ms": "soon"}));
    assert!(text.contains("timeout_ms"), "{text}");
    let text = err(json!({"token": ["sekrit-value"]}));
    assert!(text.contains("token") && !text.contains("sekrit"), "{text}");
    assert!(err(json!({"timeout_ms": 0})).contains("timeout_ms"));
    assert!(err(json!([])).contains("JSON object"));
}

#[test]
fn base_url_requires_https_except_on_loopback() {
    for ok in [
        "https://api.security.microsoft.com",
        "http://127.0.0.1:8080",
        "http://127.9.9.9",
        "http://[::1]:80/",
        "http://localhost:1234",
        "http://LOCALHOST",
    ] {
        assert!(
            Config::from_value(json!({ "base_url": ok })).is_ok(),
            "{ok}"
        );
    }
    for bad in [
        "http://api.security.microsoft.com",
        "http://10.0.0.1",
        "http://localhost.evil.com",
        "ftp://127.0.0.1",
        "https://user:pw@host",
        "https://host/?x=1",
        "not a url",
    ] {
        let text = err(json!({ "base_url": bad }));
        assert!(text.contains("base_url"), "{bad}: {text}");
    }
}

#[test]
fn token_is_redacted_in_debug() {
    let c = Config::from_value(json!({"token": "eyJ-very-secret"})).unwrap();
    assert!(!format!("{c:?}").contains("very-secret"));
    assert!(
        matches!(c.credentials(), Some(Credentials::Token(t)) if t.expose() == "eyJ-very-secret")
    );
}

#[test]
fn environment_uses_the_same_keys() {
    let vars = [
        ("MDE_BASE_URL", "http://127.0.0.1:9"),
        ("MDE_TOKEN", "tok"),
        ("MDE_TIMEOUT_MS", "1500"),
        ("MDE_REGION", ""),
    ];
    let lookup = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    let c = Config::from_env_vars(lookup).unwrap();
    assert_eq!(c.api_base(), "http://127.0.0.1:9");
    assert_eq!(c.timeout(), Duration::from_millis(1500));
    assert!(matches!(c.credentials(), Some(Credentials::Token(t)) if t.expose() == "tok"));

    let e = Config::from_env_vars(|n| (n == "MDE_TIMEOUT_MS").then(|| "ten".into())).unwrap_err();
    assert!(e.to_string().contains("MDE_TIMEOUT_MS"), "{e}");
    let e = Config::from_env_vars(|n| (n == "MDE_CLOUD").then(|| "moon".into())).unwrap_err();
    assert!(e.to_string().contains("moon"), "{e}");
}

#[test]
fn each_cloud_has_its_authority_api_host_and_scope() {
    let cases = [
        (
            "public",
            "https://login.microsoftonline.com",
            "https://api.security.microsoft.com",
            "https://api.securitycenter.microsoft.com/.default",
        ),
        (
            "gcc",
            "https://login.microsoftonline.com",
            "https://api-gcc.securitycenter.microsoft.us",
            "https://api-gcc.securitycenter.microsoft.us/.default",
        ),
        (
            "gcc-high",
            "https://login.microsoftonline.us",
            "https://api-gov.securitycenter.microsoft.us",
            "https://api-gov.securitycenter.microsoft.us/.default",
        ),
        (
            "dod",
            "https://login.microsoftonline.us",
            "https://api-gov.securitycenter.microsoft.us",
            "https://api-gov.securitycenter.microsoft.us/.default",
        ),
    ];
    for (cloud, authority, api, scope) in cases {
        let c = Config::from_value(json!({ "cloud": cloud })).unwrap();
        assert_eq!(
            (c.authority_host(), c.api_base(), c.scope()),
            (authority, api, scope),
            "{cloud}"
        );
    }
    let c = Config::from_value(
        json!({"authority_host": "https://login.example/", "scope": "api://x/.default"}),
    )
    .unwrap();
    assert_eq!(
        (c.authority_host(), c.scope()),
        ("https://login.example", "api://x/.default")
    );
    assert!(err(json!({"authority_host": "http://login.example"})).contains("authority_host"));
    Config::from_value(json!({"authority_host": "http://127.0.0.1:8080"})).unwrap();
}

const TENANT: &str = "11111111-2222-4333-8444-555555555555";
const CLIENT: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

#[test]
fn credentials_are_chosen_by_the_keys_present() {
    let c = Config::from_value(
        json!({"tenant_id": TENANT, "client_id": CLIENT, "client_secret": "s3cr3t"}),
    )
    .unwrap();
    assert!(matches!(
        c.credentials(),
        Some(Credentials::ClientSecret { .. })
    ));
    assert!(!format!("{c:?}").contains("s3cr3t"));

    let text = err(json!({"token": "t", "client_secret": "s3cr3t"}));
    assert!(
        text.contains("conflicting") && text.contains("client_secret") && !text.contains("s3cr3t"),
        "{text}"
    );
    let text = err(json!({"tenant_id": TENANT, "client_secret": "s"}));
    assert!(
        text.contains("incomplete") && text.contains("client_id"),
        "{text}"
    );
    let text = err(json!({"tenant_id": TENANT, "client_id": CLIENT}));
    assert!(
        text.contains("client_secret or client_certificate_path"),
        "{text}"
    );
    let text = err(
        json!({"tenant_id": TENANT, "client_id": CLIENT, "client_secret": "s", "client_certificate_path": "/x.pem"}),
    );
    assert!(text.contains("conflicting"), "{text}");
    let text = err(json!({"tenant_id": "../x", "client_id": CLIENT, "client_secret": "s"}));
    assert!(text.contains("tenant_id"), "{text}");
    let text = err(json!({"tenant_id": TENANT, "client_id": "app", "client_secret": "s"}));
    assert!(text.contains("client_id"), "{text}");
    let text = err(
        json!({"tenant_id": TENANT, "client_id": CLIENT, "client_certificate_path": "/nonexistent/cert.pem"}),
    );
    assert!(
        text.contains("/nonexistent/cert.pem") && text.contains("cannot read"),
        "{text}"
    );
    // The password is read with the file (tests/auth.rs), and never shown.
    let text = err(
        json!({"tenant_id": TENANT, "client_id": CLIENT, "client_certificate_path": "/x.pem", "client_certificate_password": "pw-8d7c"}),
    );
    assert!(
        text.contains("/x.pem") && !text.contains("pw-8d7c"),
        "{text}"
    );
    let text = err(
        json!({"tenant_id": TENANT, "client_id": CLIENT, "client_secret": "s", "client_certificate_password": "pw-8d7c"}),
    );
    assert!(
        text.contains("without client_certificate_path") && !text.contains("pw-8d7c"),
        "{text}"
    );
}

#[test]
fn environment_reads_the_azure_variables() {
    let vars = [
        ("AZURE_TENANT_ID", TENANT),
        ("AZURE_CLIENT_ID", CLIENT),
        ("AZURE_CLIENT_SECRET", "from-azure"),
        ("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.us/"),
        (
            "MDE_SCOPE",
            "https://api-gov.securitycenter.microsoft.us/.default",
        ),
        ("MDE_CLOUD", "gcc-high"),
    ];
    let lookup = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    let c = Config::from_env_vars(lookup).unwrap();
    match c.credentials() {
        Some(Credentials::ClientSecret {
            tenant_id,
            client_id,
            secret,
        }) => {
            assert_eq!(
                (tenant_id.as_str(), client_id.as_str(), secret.expose()),
                (TENANT, CLIENT, "from-azure")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.authority_host(), "https://login.microsoftonline.us");
    assert_eq!(c.api_base(), "https://api-gov.securitycenter.microsoft.us");
}

#[test]
fn worst_case_duration_bounds_attempts_waits_and_backoff() {
    // Defaults: 4 attempts x (60 s wait + 30 s timeout) + 3 backoffs of 30 s, for the
    // cancel and once more for the read that may reconcile it.
    assert_eq!(
        Config::default().worst_case_duration(),
        Duration::from_secs(2 * (4 * 90 + 90))
    );
    let c = Config::from_value(json!({"max_retries": 0, "max_wait_ms": 0, "timeout_ms": 1000}))
        .unwrap();
    assert_eq!(c.worst_case_duration(), Duration::from_secs(2));
}
