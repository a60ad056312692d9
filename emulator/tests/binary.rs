//! The `mde-emulator` binary: first line, --help, and serving.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn help_documents_every_option() {
    let out = Command::new(env!("CARGO_BIN_EXE_mde-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for option in [
        "--listen",
        "--token",
        "--accept-any-token",
        "--app-name",
        "--rate-limit",
        "--no-rate-limits",
        "--pending-ms",
        "--in-progress-ms",
        "--page-size",
        "--final-cancel-status",
        "--seed",
    ] {
        assert!(text.contains(option), "{option} missing from --help");
    }
}

#[test]
fn prints_where_it_listens_then_serves_a_seeded_action() {
    let dir = std::env::temp_dir().join(format!("mde-emu-seed-{}", std::process::id()));
    std::fs::write(
        &dir,
        r#"[{"id": "988cc94e-7a8f-4b28-ab65-54970c5d5018", "status": "Pending"}]"#,
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mde-emulator"))
        .args(["--listen", "127.0.0.1:0", "--token", "secret-1", "--seed"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("first line")
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (ok, wrong) = runtime.block_on(async {
        let http = reqwest::Client::new();
        let path = format!("{url}/api/machineactions/988cc94e-7a8f-4b28-ab65-54970c5d5018");
        let ok = http
            .get(&path)
            .bearer_auth("secret-1")
            .send()
            .await
            .unwrap()
            .status();
        let wrong = http
            .get(&path)
            .bearer_auth("nope")
            .send()
            .await
            .unwrap()
            .status();
        (ok, wrong)
    });
    child.kill().unwrap();
    let _ = child.wait();
    let _ = std::fs::remove_file(&dir);
    assert_eq!(ok, 200);
    assert_eq!(wrong, 401, "with --token only that token is accepted");
}
