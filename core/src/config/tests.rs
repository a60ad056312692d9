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
    assert!(c.token().is_none());
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
    assert_eq!(c.token().unwrap().expose(), "eyJ-very-secret");
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
    assert_eq!(c.token().unwrap().expose(), "tok");

    let e = Config::from_env_vars(|n| (n == "MDE_TIMEOUT_MS").then(|| "ten".into())).unwrap_err();
    assert!(e.to_string().contains("MDE_TIMEOUT_MS"), "{e}");
    let e = Config::from_env_vars(|n| (n == "MDE_CLOUD").then(|| "moon".into())).unwrap_err();
    assert!(e.to_string().contains("moon"), "{e}");
}
