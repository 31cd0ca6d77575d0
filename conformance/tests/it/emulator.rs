//! `serve` as a local AWS emulator is used: configured from the environment, the README's
//! example stage existing by default, `--any-stage`, LocalStack's health document, a reset
//! between tests, and logs fit for a file or a collector.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The README's and `examples/request.json`'s stage.
const README_STAGE: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

struct Served {
    child: Child,
    url: String,
    stdout: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve` with `args` and `env`, stderr to `stderr`; reads stdout up to `Ready.`.
fn serve(args: &[&str], env: &[(&str, &str)], stderr: Stdio) -> Served {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ivs-conformance"));
    cmd.arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut stdout = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line == "Ready.";
        stdout.push(line);
        if done {
            break;
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    let url = stdout
        .first()
        .and_then(|l| l.strip_prefix("listening on "))
        .unwrap_or_else(|| panic!("no URL in {stdout:?}"))
        .to_owned();
    Served { child, url, stdout }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// POSTs `body` as JSON to `path`; answers the status and the body.
fn post(url: &str, path: &str, body: &str) -> (u16, String) {
    let mut r = agent()
        .post(format!("{url}{path}"))
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

fn token_for(url: &str, stage: &str) -> u16 {
    post(
        url,
        "/CreateParticipantToken",
        &format!(r#"{{"stageArn":"{stage}"}}"#),
    )
    .0
}

#[test]
fn the_environment_configures_serve_and_a_flag_wins_over_it() {
    let other = "arn:aws:ivs:eu-west-1:123456789012:stage/other";
    let s = serve(
        &["--tokens-per-stage", "2"],
        &[
            ("IVS_SERVE_PORT", "0"),
            ("IVS_SERVE_STAGES", &format!("{README_STAGE},{other}")),
            ("IVS_SERVE_TOKENS_PER_STAGE", "1"),
        ],
        Stdio::null(),
    );
    assert!(
        s.stdout.contains(&format!("stage {other}")),
        "{:?}",
        s.stdout
    );
    assert_eq!(token_for(&s.url, other), 200);
    assert_eq!(token_for(&s.url, other), 200, "the flag's quota of 2 wins");
    assert_eq!(token_for(&s.url, other), 402);
    // A setting that can never work, from the environment, is refused at start and named.
    let out = Command::new(env!("CARGO_BIN_EXE_ivs-conformance"))
        .arg("serve")
        .env("IVS_SERVE_PORT", "0")
        .env("IVS_SERVE_MAX_CONNECTIONS", "0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-connections"));
}

#[test]
fn the_readme_stage_exists_by_default_and_any_stage_makes_up_the_rest() {
    let s = serve(&["--port", "0"], &[], Stdio::null());
    assert!(
        s.stdout.contains(&format!("stage {README_STAGE}")),
        "{:?}",
        s.stdout
    );
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/request.json"
    ))
    .unwrap();
    assert_eq!(post(&s.url, "/CreateParticipantToken", &example).0, 200);
    let made_up = "arn:aws:ivs:ap-south-1:999999999999:stage/madeUp42";
    assert_eq!(token_for(&s.url, made_up), 404, "without --any-stage");

    // From the environment as containers set switches: `1`.
    let any = serve(
        &["--port", "0"],
        &[("IVS_SERVE_ANY_STAGE", "1")],
        Stdio::null(),
    );
    assert_eq!(token_for(&any.url, made_up), 200);
    assert_eq!(token_for(&any.url, README_STAGE), 200);
    assert_eq!(
        token_for(&any.url, "arn:aws:ivs:us-west-2:1:channel/x"),
        400
    );
}

#[test]
fn localstack_health_names_the_service_running() {
    let s = serve(&["--port", "0"], &[], Stdio::null());
    let mut r = agent()
        .get(format!("{}/_localstack/health", s.url))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(v["services"]["ivs-realtime"], "running", "{v}");
    let plain = agent().get(format!("{}/health", s.url)).call().unwrap();
    assert_eq!(plain.status().as_u16(), 200);
}

#[test]
fn reset_clears_quotas_between_tests() {
    let s = serve(
        &["--port", "0", "--tokens-per-stage", "1"],
        &[],
        Stdio::null(),
    );
    for path in ["/_reset", "/moto-api/reset"] {
        assert_eq!(token_for(&s.url, README_STAGE), 200);
        assert_eq!(token_for(&s.url, README_STAGE), 402, "quota spent");
        let (status, body) = post(&s.url, path, "");
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(token_for(&s.url, README_STAGE), 200, "after {path}");
        post(&s.url, path, "");
    }
}

/// Reads what `serve` wrote to stderr (a file, not a terminal) after one request.
fn logs_of(args: &[&str]) -> String {
    let path = std::env::temp_dir().join(format!(
        "ivs-serve-log-{}-{}.txt",
        std::process::id(),
        args.len()
    ));
    let file = std::fs::File::create(&path).unwrap();
    let mut s = serve(args, &[("RUST_LOG", "info")], Stdio::from(file));
    assert_eq!(token_for(&s.url, README_STAGE), 200);
    assert_eq!(token_for(&s.url, "arn:aws:ivs:us-west-2:1:stage/none"), 404);
    // Log lines are written by a thread of their own, promptly but not synchronously:
    // wait (a little) for the second request's line before stopping the server.
    let read = || {
        let mut text = String::new();
        std::fs::File::open(&path)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let started = std::time::Instant::now();
    while !read().contains("ResourceNotFoundException")
        && started.elapsed() < std::time::Duration::from_secs(5)
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = s.child.kill();
    let _ = s.child.wait();
    let text = read();
    let _ = std::fs::remove_file(&path);
    text
}

#[test]
fn logs_to_a_file_are_plain_text_or_json_on_request() {
    let plain = logs_of(&["--port", "0"]);
    assert!(plain.contains("CreateParticipantToken"), "{plain}");
    assert!(plain.contains("ResourceNotFoundException"), "{plain}");
    assert!(
        !plain.contains('\u{1b}'),
        "ANSI escapes in a file: {plain:?}"
    );

    let json = logs_of(&["--port", "0", "--log-format", "json"]);
    let lines: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["fields"]["status"] == 404
            && l["fields"]["error_type"] == "ResourceNotFoundException"),
        "{json}"
    );
}

#[test]
fn the_banner_says_whether_sigv4_is_required() {
    let open = serve(&["--port", "0"], &[], Stdio::null());
    assert!(
        open.stdout
            .iter()
            .any(|l| l.starts_with("SigV4 not checked: any credentials are accepted")),
        "{:?}",
        open.stdout
    );
    let signed = serve(
        &["--port", "0", "--access-key", "AKID:secret"],
        &[],
        Stdio::null(),
    );
    assert!(
        signed
            .stdout
            .iter()
            .any(|l| l == "SigV4 required: 1 access key, scopes in us-west-2"),
        "{:?}",
        signed.stdout
    );
    assert!(!signed.stdout.iter().any(|l| l.contains("secret")));
}
