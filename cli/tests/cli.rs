//! The `mde` binary against an in-process emulator.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use mde_emulator::{Emulator, EmulatorConfig};
use serde_json::{json, Value};

fn mde(emu: &Emulator, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mde"))
        .arg(args[0])
        .args(["--base-url", emu.url(), "--token", "cli-test"])
        .args(&args[1..])
        .env_remove("MDE_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn seed_many(emu: &Emulator, n: usize, requestor: &str) -> Vec<String> {
    (0..n)
        .map(|_| {
            emu.seed_one(json!({"status": "Pending", "type": "Isolate", "requestor": requestor}))
        })
        .collect()
}

fn cancels(emu: &Emulator) -> usize {
    emu.requests()
        .iter()
        .filter(|r| r.route == "cancel")
        .count()
}

#[test]
fn demo_exits_zero_and_prints_the_outcome_table() {
    let out = Command::new(env!("CARGO_BIN_EXE_mde"))
        .arg("demo")
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(
        stdout.contains("ID") && stdout.contains("OUTCOME") && stdout.contains("DETAIL"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("  cancelled  ").count(), 30, "{stdout}");
    assert!(
        stdout.contains("30 cancels sent, one per pending mistaken isolation, 0 throttled"),
        "{stdout}"
    );
}

#[test]
fn dry_run_sends_no_cancel() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let ids = seed_many(&emu, 15, "playbook");
    seed_many(&emu, 3, "analyst");
    let out = mde(
        &emu,
        &[
            "cancel",
            "--requestor",
            "playbook",
            "--comment",
            "c",
            "--dry-run",
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(ids.iter().all(|id| stdout.contains(id)), "{stdout}");
    assert!(text(&out.stderr).contains("would cancel 15"));
    assert_eq!(cancels(&emu), 0);
}

#[test]
fn declining_the_confirmation_sends_none_and_accepting_proceeds() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    seed_many(&emu, 12, "playbook");
    let args = ["cancel", "--requestor", "playbook", "--comment", "mistake"];
    let out = mde(&emu, &args, "n\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("Cancel 12 machine actions? [y/N]"));
    assert!(text(&out.stderr).contains("nothing was cancelled"));
    assert_eq!(cancels(&emu), 0);
    let out = mde(&emu, &args, "y\n");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(cancels(&emu), 12);
}

#[test]
fn an_interrupted_run_resumes_and_cancels_every_action_exactly_once() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let ids = seed_many(&emu, 40, "playbook");
    let dir = std::env::temp_dir().join(format!("mde-cli-resume-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (ids_file, report, config) = (
        dir.join("ids.txt"),
        dir.join("report.jsonl"),
        dir.join("config.json"),
    );
    std::fs::write(&ids_file, ids.join("\n")).unwrap();
    let _ = std::fs::remove_file(&report);
    // Slow enough to interrupt: 4 cancels per 250 ms.
    std::fs::write(
        &config,
        r#"{"rate_limits": [{"calls": 4, "period_ms": 250}], "rate_limit_margin_ms": 5}"#,
    )
    .unwrap();
    let args = |resume: bool| {
        let mut a = vec![
            "cancel".to_owned(),
            "--config".into(),
            config.display().to_string(),
            "--ids-file".into(),
            ids_file.display().to_string(),
            "--comment".into(),
            "bulk".into(),
            "--yes".into(),
            "--report".into(),
            report.display().to_string(),
        ];
        if resume {
            a.extend(["--resume".into(), report.display().to_string()]);
        }
        a
    };
    let first = args(false);
    let mut child = Command::new(env!("CARGO_BIN_EXE_mde"))
        .arg(&first[0])
        .args(["--base-url", emu.url(), "--token", "cli-test"])
        .args(&first[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let lines = std::fs::read_to_string(&report)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if lines >= 10 || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // as abrupt as a crash
    child.wait().unwrap();
    let first = std::fs::read_to_string(&report).unwrap().lines().count();
    assert!(
        (10..40).contains(&first),
        "interrupted midway: {first} outcomes"
    );

    let resume_args = args(true);
    let resume_args: Vec<&str> = resume_args.iter().map(String::as_str).collect();
    let out = mde(&emu, &resume_args, "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("resuming:"),
        "{}",
        text(&out.stderr)
    );
    for id in &ids {
        assert_eq!(emu.applied_cancels(id), 1, "{id}");
    }
    let outcomes: Vec<Value> = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for id in &ids {
        assert!(
            outcomes
                .iter()
                .any(|o| o["id"] == id.as_str() && o["outcome"] == "cancelled"),
            "{id}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mixed_outcomes_set_the_exit_status_and_every_format_works() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let pending = emu.seed_one(json!({"status": "Pending"}));
    let done = emu.seed_one(json!({"status": "Succeeded"}));
    let out = mde(
        &emu,
        &[
            "cancel",
            &pending,
            &done,
            "not-a-guid",
            "--comment",
            "c",
            "--output",
            "jsonl",
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "not every action ended cancelled"
    );
    let lines: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut kinds: Vec<&str> = lines
        .iter()
        .map(|l| l["outcome"].as_str().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["cancelled", "invalid_id", "not_cancellable"]);

    let out = mde(
        &emu,
        &["list", "--status", "Cancelled", "--output", "json"],
        "",
    );
    let listed: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let out = mde(&emu, &["get", &pending], "");
    let got: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(got["status"], "Cancelled");
    let out = mde(&emu, &["cancel", "--comment", "c"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nothing selected"));
    let out = mde(&emu, &["cancel", &pending, "--comment", " "], "");
    assert_eq!(
        out.status.code(),
        Some(2),
        "a blank comment is refused before anything"
    );
}

#[test]
fn mde_emulator_serves_with_the_emulators_options() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_mde"))
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--no-rate-limits",
            "--token",
            "only-this",
        ])
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
    let get = |token: &str| {
        Command::new(env!("CARGO_BIN_EXE_mde"))
            .args([
                "get",
                "--base-url",
                &url,
                "--token",
                token,
                "00000000-0000-4000-8000-000000000000",
            ])
            .output()
            .unwrap()
    };
    let (wrong, right) = (get("other"), get("only-this"));
    child.kill().unwrap();
    let _ = child.wait();
    assert!(
        text(&wrong.stderr).contains("unauthorized"),
        "{}",
        text(&wrong.stderr)
    );
    assert!(
        text(&right.stderr).contains("not found"),
        "{}",
        text(&right.stderr)
    );
    assert_eq!(right.status.code(), Some(1));
}
