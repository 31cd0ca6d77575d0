//! The `ivs-conformance` binary: exit codes and output shapes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ivs-conformance"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

#[test]
fn validate_valid_request_from_stdin() {
    let body = format!(r#"{{"stageArn":"{ARN}","capabilities":[]}}"#);
    let out = run(&["validate"], body.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["error"], Value::Null);
    assert_eq!(v["effective"]["duration"], 720);
    assert_eq!(v["effective"]["capabilities"], serde_json::json!([]));
}

#[test]
fn validate_checked_in_sample() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/request.json");
    let out = run(&["validate", sample], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn validate_invalid_request() {
    let body = format!(r#"{{"stageArn":"{ARN}","duration":0,"capabilities":["X"],"extra":1}}"#);
    let out = run(&["validate", "-"], body.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["error"], "ValidationException");
    assert_eq!(v["violations"][0]["path"], "/duration");
    assert_eq!(v["violations"][0]["constraint"], "range");
    assert_eq!(v["violations"][1]["path"], "/capabilities/0");
    assert_eq!(v["advisories"][0]["path"], "/extra");
    assert!(v["message"]
        .as_str()
        .unwrap()
        .starts_with("2 validation errors detected: "));
    assert_eq!(v["effective"], Value::Null);
}

#[test]
fn validate_malformed_request() {
    let out = run(&["validate"], b"[1]");
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["error"], "SerializationException");
    assert_eq!(v["serialization"]["kind"], "notAnObject");
}

#[test]
fn validate_response_never_prints_the_token() {
    let body = br#"{"participantToken":{"token":"SECRET-TOKEN-VALUE","participantId":"a b"}}"#;
    let out = run(&["validate", "--response"], body);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    let paths: Vec<&str> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        vec![
            "/participantToken/participantId",
            "/participantToken/expirationTime"
        ]
    );
    let human = run(&["validate", "--response", "--format", "human"], body);
    for o in [&out, &human] {
        assert!(!String::from_utf8_lossy(&o.stdout).contains("SECRET-TOKEN-VALUE"));
        assert!(!String::from_utf8_lossy(&o.stderr).contains("SECRET-TOKEN-VALUE"));
    }
}

#[test]
fn validate_unreadable_input() {
    let out = run(&["validate", "/no/such/file.json"], b"");
    assert_eq!(out.status.code(), Some(2));
    // The message names the file it could not read.
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /no/such/file.json"));
}

#[test]
fn constraints_json() {
    let out = run(&["constraints", "--json"], b"");
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 12);
    for row in rows {
        for key in [
            "shape", "member", "required", "length", "range", "pattern", "enum", "default",
            "maxBytes", "source",
        ] {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
    }
}

#[test]
fn run_offline_closing_line_and_formats() {
    let out = run(&["run", "--offline", "--filter", "duration."], b"");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap();
    assert!(last.ends_with(" passed, 0 failed, 0 skipped"), "{last}");
    let junit = run(
        &["run", "--offline", "--level", "must", "--format", "junit"],
        b"",
    );
    assert!(String::from_utf8_lossy(&junit.stdout).starts_with("<?xml"));
    let json = run(
        &["run", "--offline", "--tag", "surrogate", "--format", "json"],
        b"",
    );
    let v = json_of(&json);
    let tagged = ivs_conformance::load::load_dir(&ivs_conformance::load::default_cases_dir())
        .unwrap()
        .iter()
        .filter(|c| c.tags.iter().any(|t| t == "surrogate"))
        .count();
    assert!(tagged >= 3);
    assert_eq!(v["failed"], 0);
    assert_eq!(v["passed"], tagged);
}

#[test]
fn run_offline_fails_on_a_failing_case() {
    let dir = std::env::temp_dir().join(format!("ivs-cases-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("wrong.json"),
        r#"{"cases":[{"id":"wrong","description":"d","source":"s","level":"MUST","appliesTo":["model"],
            "request":{"method":"POST","path":"/CreateParticipantToken","body":"{}"},
            "expect":{"status":200}}]}"#,
    )
    .unwrap();
    let out = run(&["run", "--offline", "--cases", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 passed, 1 failed, 0 skipped"));
    // A file that breaks the schema is refused before anything runs.
    std::fs::write(dir.join("wrong.json"), r#"{"cases":[{"id":"x"}]}"#).unwrap();
    let out = run(&["list", "--cases", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("case.schema.json"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn list_filters() {
    let out = run(&["list", "--filter", "stage-arn.pattern.trailing"], b"");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("stage-arn.pattern.trailing-newline"));
    assert!(text.ends_with("3 cases\n"), "{text}");
}

#[test]
fn schema_agrees_with_the_core_on_the_cases_it_can_express() {
    let out = run(&["schema"], b"");
    assert_eq!(out.status.code(), Some(0));
    let schema = json_of(&out);
    let validator = jsonschema::validator_for(&schema).unwrap();
    let ok = serde_json::json!({"stageArn": ARN, "duration": 20160, "userId": "😀".repeat(128), "capabilities": []});
    assert!(validator.is_valid(&ok));
    for bad in [
        serde_json::json!({"duration": 5}),
        serde_json::json!({"stageArn": ARN, "duration": 20161}),
        serde_json::json!({"stageArn": format!("{ARN}\n")}),
        serde_json::json!({"stageArn": ARN, "userId": "😀".repeat(129)}),
        serde_json::json!({"stageArn": ARN, "capabilities": ["PUBLISH", "SUBSCRIBE", "PUBLISH"]}),
        serde_json::json!({"stageArn": ARN, "capabilities": ["publish"]}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
        let core = ivs_participant_token::check_request(bad.to_string().as_bytes()).unwrap();
        assert!(!core.report.is_valid(), "{bad}");
    }
    let response = json_of(&run(&["schema", "--response"], b""));
    assert_eq!(
        response["properties"]["participantToken"]["properties"]["token"]["writeOnly"],
        true
    );
}

#[test]
fn token_mint_decode_verify() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/");
    let key = format!("{data}p384-sec1.pem");
    let public = format!("{data}p384-public.pem");
    let other = format!("{data}other-p384-public.pem");
    let kid = "arn:aws:ivs:us-west-2:123456789012:public-key/abcdABCD1234";
    let body = format!(r#"{{"stageArn":"{ARN}","userId":"bob","capabilities":["PUBLISH"]}}"#);
    let out = run(
        &["token", "mint", "--key", &key, "--kid", kid],
        body.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    let t = &v["participantToken"];
    assert_eq!(t["userId"], "bob");
    assert_eq!(t["duration"], 720);
    assert_eq!(t["capabilities"], serde_json::json!(["PUBLISH"]));
    let token = t["token"].as_str().unwrap().to_owned();

    let decoded = run(&["token", "decode", &token], b"");
    assert_eq!(decoded.status.code(), Some(0));
    let d = json_of(&decoded);
    assert_eq!(d["header"]["alg"], "ES384");
    assert_eq!(d["claims"]["jti"], t["participantId"]);
    let signature = token.rsplit('.').next().unwrap();
    assert!(!String::from_utf8_lossy(&decoded.stdout).contains(signature));

    let ok = run(&["token", "verify", "--public-key", &public, &token], b"");
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert!(!String::from_utf8_lossy(&ok.stdout).contains("advisory"));
    // A hand-signed token whose jti holds '_' verifies, with the advisory printed.
    let underscore = {
        use ivs_participant_token::token::{decode, sign, Claims, Header, PrivateKey};
        let claims = Claims {
            jti: Some("abc_def".into()),
            ..decode(&token).unwrap().claims
        };
        let private = PrivateKey::from_pem(&std::fs::read_to_string(&key).unwrap()).unwrap();
        sign(&Header::self_signed(kid), &claims, &private)
            .expose()
            .to_owned()
    };
    let noted = run(
        &["token", "verify", "--public-key", &public, &underscore],
        b"",
    );
    assert_eq!(noted.status.code(), Some(0));
    let text = String::from_utf8_lossy(&noted.stdout);
    assert!(
        text.starts_with("valid\nadvisory: '/jti' holds '_'"),
        "{text}"
    );
    assert!(text.contains("GetParticipant"), "{text}");
    // And mint refuses to make one.
    let refused = run(
        &[
            "token",
            "mint",
            "--key",
            &key,
            "--kid",
            kid,
            "--participant-id",
            "a_b",
        ],
        body.as_bytes(),
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("'_'"));
    let bad = run(&["token", "verify", "--public-key", &other, &token], b"");
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("signature"));

    let invalid = run(
        &["token", "mint", "--key", &key, "--kid", kid],
        b"{\"duration\":0}",
    );
    assert_eq!(invalid.status.code(), Some(1));
}

#[test]
fn serve_answers_and_stops_on_sigterm() {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ivs-conformance"))
        .args(["serve", "--port", "0", "--stage", ARN])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.strip_prefix("listening on ").unwrap().to_owned();
    assert_eq!(lines.next().unwrap().unwrap(), format!("stage {ARN}"));
    // A raw HTTP/1.1 request, so the test needs no client crate.
    let addr = url.trim_start_matches("http://");
    let body = format!(r#"{{"stageArn":"{ARN}"}}"#);
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /CreateParticipantToken HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    std::io::Read::read_to_string(&mut s, &mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("participantToken"));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "graceful shutdown exits 0");
}

/// Starts `serve` with `args`; answers the child and its URL. Its standard output is
/// drained on a thread, so that what it prints later never meets a closed pipe.
fn start_serve(args: &[&str]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ivs-conformance"))
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.strip_prefix("listening on ").unwrap().to_owned();
    std::thread::spawn(move || lines.for_each(drop));
    (child, url)
}

#[test]
fn sigterm_with_a_stalled_client_exits_0_within_the_grace_period() {
    let (mut child, url) = start_serve(&[
        "--port",
        "0",
        "--stage",
        ARN,
        "--shutdown-grace",
        "1",
        "--header-timeout",
        "60",
    ]);
    let addr = url.trim_start_matches("http://");
    let mut stalled = std::net::TcpStream::connect(addr).unwrap();
    stalled
        .write_all(b"POST /CreateParticipantToken HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let started = std::time::Instant::now();
    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    let took = started.elapsed();
    assert_eq!(status.code(), Some(0));
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
}

#[test]
fn serve_refuses_settings_that_can_never_work() {
    for (args, setting) in [
        (vec!["--stage", "not-an-arn"], "--stage"),
        (vec!["--region", "Mars"], "--region"),
        (vec!["--access-key", ":secret"], "--access-key"),
        (vec!["--access-key", "nocolon"], "--access-key"),
        (vec!["--requests-per-second", "0"], "--requests-per-second"),
        (vec!["--max-connections", "0"], "--max-connections"),
        (vec!["--header-timeout", "0"], "--header-timeout"),
    ] {
        let mut all = vec!["serve", "--port", "0"];
        all.extend(args.iter().copied());
        let out = run(&all, b"");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(setting), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} must not start");
    }
}

#[test]
fn a_config_files_bind_is_used_when_no_port_is_given() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let dir = std::env::temp_dir().join(format!("ivs-bind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("server.toml");
    std::fs::write(
        &file,
        format!("bind = \"127.0.0.1:{port}\"\nstages = [\"{ARN}\"]\n"),
    )
    .unwrap();
    let (mut child, url) = start_serve(&["--config", file.to_str().unwrap()]);
    let _ = child.kill();
    let _ = child.wait();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(url, format!("http://127.0.0.1:{port}"));
}

#[test]
fn run_checks_a_remote_target_once_and_says_what_to_do() {
    let check = |args: &[&str], expected: &str| {
        let out = run(args, b"");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
        assert!(
            out.stdout.is_empty(),
            "no case ran: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    };
    check(
        &["run", "--endpoint", "127.0.0.1:9", "--stage-arn", ARN],
        "has no scheme",
    );
    check(
        &["run", "--endpoint", "http://127.0.0.1:9"],
        "needs --stage-arn",
    );
    check(
        &[
            "run",
            "--endpoint",
            "http://127.0.0.1:9",
            "--stage-arn",
            ARN,
        ],
        "cannot reach",
    );
    let (mut signing, url) =
        start_serve(&["--port", "0", "--stage", ARN, "--access-key", "AKID:secret"]);
    check(&["run", "--endpoint", &url, "--stage-arn", ARN], "--sign");
    let (mut other, other_url) = start_serve(&["--port", "0", "--stage", ARN]);
    check(
        &[
            "run",
            "--endpoint",
            &format!("{other_url}/nested"),
            "--stage-arn",
            ARN,
        ],
        &format!("does not serve CreateParticipantToken: POST {other_url}/nested/CreateParticipantToken got 404 UnknownOperationException"),
    );
    check(
        &[
            "run",
            "--endpoint",
            &other_url,
            "--stage-arn",
            "arn:aws:ivs:us-west-2:1:channel/x",
        ],
        "--stage-arn \"arn:aws:ivs:us-west-2:1:channel/x\": stage ARN does not match",
    );
    let ok = run(
        &[
            "run",
            "--endpoint",
            &other_url,
            "--stage-arn",
            ARN,
            "--filter",
            "duration.range",
        ],
        b"",
    );
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    for child in [&mut signing, &mut other] {
        let _ = child.kill();
        let _ = child.wait();
    }
}

#[test]
fn selecting_no_case_is_an_error_that_names_the_filter() {
    for args in [
        vec!["run", "--offline", "--filter", "typo"],
        vec!["list", "--filter", "typo"],
    ] {
        let out = run(&args, b"");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("--filter typo"), "{args:?}: {stderr}");
    }
}

#[test]
fn run_shows_failures_and_counts_skips_unless_verbose() {
    let quiet = run(&["run", "--offline", "--filter", "errors."], b"");
    let text = String::from_utf8_lossy(&quiet.stdout);
    assert!(!text.contains("\nok "), "{text}");
    assert!(
        text.contains("skipped: they apply to servers or clients only"),
        "{text}"
    );
    let verbose = run(
        &["run", "--offline", "--filter", "errors.", "--verbose"],
        b"",
    );
    let text = String::from_utf8_lossy(&verbose.stdout);
    assert!(text.contains("\nok "), "{text}");
}

#[test]
fn tokens_come_from_stdin_or_a_file_not_only_arguments() {
    let header = "eyJhbGciOiJFUzM4NCJ9"; // {"alg":"ES384"}
    let token = format!("{header}.e30.c2ln");
    let from_stdin = run(&["token", "decode"], format!("{token}\n").as_bytes());
    assert_eq!(
        from_stdin.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_stdin.stderr)
    );
    assert!(String::from_utf8_lossy(&from_stdin.stdout).contains("ES384"));
    let dash = run(&["token", "decode", "-"], token.as_bytes());
    assert_eq!(dash.status.code(), Some(0));
    let file = std::env::temp_dir().join(format!("ivs-token-{}", std::process::id()));
    std::fs::write(&file, &token).unwrap();
    let from_file = run(
        &["token", "decode", "--token-file", file.to_str().unwrap()],
        b"",
    );
    std::fs::remove_file(&file).unwrap();
    assert_eq!(from_file.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&from_file.stdout).contains("ES384"));
}

#[test]
fn fuzz_server_counts_requests_and_has_no_unused_flag() {
    let out = run(&["fuzz-server", "--requests", "5"], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("5 generated requests"));
    let out = run(&["fuzz-server", "--unknown-stage-arn", ARN], b"");
    assert_eq!(out.status.code(), Some(2));
}

/// `fuzz-server` checks a remote target as `run` does: without a stage,
/// one message and exit 2, never a "disagreement" with an empty body.
#[test]
fn fuzz_server_checks_a_remote_target_as_run_does() {
    for command in ["fuzz-server", "run"] {
        let out = run(&[command, "--endpoint", "http://127.0.0.1:9"], b"");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert!(
            err.contains("--endpoint needs --stage-arn"),
            "{command}: {err}"
        );
        assert!(!String::from_utf8_lossy(&out.stdout).contains("disagreement"));
    }
}

#[test]
fn token_decode_takes_a_saved_response_and_says_what_to_pass() {
    let key = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/p384-sec1.pem");
    let body = format!(r#"{{"stageArn":"{ARN}","userId":"alice"}}"#);
    let minted = run(
        &[
            "token",
            "mint",
            "--key",
            key,
            "--kid",
            "arn:aws:ivs:us-west-2:123456789012:public-key/k",
        ],
        body.as_bytes(),
    );
    assert_eq!(
        minted.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&minted.stderr)
    );
    let decoded = run(&["token", "decode"], &minted.stdout);
    let text = String::from_utf8_lossy(&decoded.stdout);
    assert_eq!(
        decoded.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&decoded.stderr)
    );
    assert!(text.contains("\"user_id\": \"alice\""), "{text}");
    let wrong = run(&["token", "decode"], b"not a token");
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(stderr.contains("pass the token itself"), "{stderr}");
    let empty = run(&["token", "decode"], br#"{"participantToken":{}}"#);
    let stderr = String::from_utf8_lossy(&empty.stderr);
    assert!(
        stderr.contains("holds no participantToken.token"),
        "{stderr}"
    );
}

#[test]
fn list_shows_the_tags_that_tag_selects_by() {
    let out = run(&["list", "--tag", "multibyte"], b"");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().filter(|l| !l.ends_with("cases")).collect();
    assert!(!lines.is_empty(), "{text}");
    for line in lines {
        let tags = &line[line.find('[').unwrap()..=line.find(']').unwrap()];
        assert!(tags.contains("multibyte"), "{line}");
    }
}

#[test]
fn list_columns_line_up() {
    let out = run(&["list", "--filter", "duration."], b"");
    let text = String::from_utf8_lossy(&out.stdout);
    let starts: std::collections::BTreeSet<usize> = text
        .lines()
        .filter(|l| !l.ends_with(" cases"))
        .map(|l| {
            let after_id = l[7..].find("  ").unwrap() + 7;
            after_id + l[after_id..].chars().take_while(|c| *c == ' ').count()
        })
        .collect();
    assert_eq!(starts.len(), 1, "descriptions start in one column: {text}");
}

#[test]
fn validate_on_a_terminal_says_it_reads_standard_input() {
    // `script` (util-linux) gives the command a pseudo-terminal as its standard input.
    let bin = env!("CARGO_BIN_EXE_ivs-conformance");
    let Ok(mut child) = Command::new("script")
        .args(["-qec", &format!("{bin} validate"), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        // Skipped where the tool is missing, saying so, but never under CI: CI's machine
        // has it (Debian's bsdutils), and a test that cannot run there must fail.
        assert!(
            std::env::var_os("CI").is_none(),
            "`script` (util-linux) is missing, and CI must give this test a terminal"
        );
        eprintln!("skipped: `script` (util-linux) is not installed, so no terminal can be given");
        return;
    };
    child.stdin.take().unwrap().write_all(b"{}\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("reading standard input"), "{text}");
    assert!(text.contains("ValidationException"), "{text}");
    // Not on a pipe: the message would be noise in a script.
    let piped = run(&["validate"], b"{}");
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("reading standard input"));
}

#[test]
fn hints_that_fix_the_mistake() {
    let body = br#"{"StageArn":"x","user_id":"a","capability":["PUBLISH"],"stageArn":"arn:aws:ivs:us-west-2:123456789012:channel/abc"}"#;
    let out = run(&["validate"], body);
    let v = json_of(&out);
    let suggestions: Vec<&str> = v["advisories"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["suggestion"].as_str())
        .collect();
    assert_eq!(suggestions, ["stageArn", "userId", "capabilities"]);
    assert!(v["violations"][0]["hint"]
        .as_str()
        .unwrap()
        .contains("channel ARN"));
    let human = run(&["validate", "--format", "human"], body);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("did you mean `stageArn`?"), "{text}");
    assert!(text.contains("hint: this is a channel ARN"), "{text}");
    // The verdict is the same as without the hints.
    assert_eq!(v["valid"], false);
    assert_eq!(v["violations"].as_array().unwrap().len(), 1);
    let newline = run(
        &["validate"],
        format!(r#"{{"stageArn":"{ARN}\n"}}"#).as_bytes(),
    );
    assert!(json_of(&newline)["violations"][0]["hint"]
        .as_str()
        .unwrap()
        .contains("line break"));
}

#[test]
fn constraints_text_has_no_json_fragments() {
    let out = run(&["constraints"], b"");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("CreateParticipantTokenRequest.duration"),
        "{text}"
    );
    assert!(text.contains("range 1..=20160 (model)"), "{text}");
    assert!(!text.contains('{') && !text.contains('"'), "{text}");
}

#[test]
fn the_embedded_cases_are_the_checked_in_files() {
    use ivs_conformance::{case, load};
    let embedded = load::load_embedded().unwrap();
    let on_disk = load::load_dir(&load::default_cases_dir()).unwrap();
    let ids = |cases: &[case::Case]| cases.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&embedded), ids(&on_disk));
    let names: Vec<&str> = load::EMBEDDED_CASES.iter().map(|(n, _)| *n).collect();
    let mut files: Vec<String> = std::fs::read_dir(load::default_cases_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    assert_eq!(names, files);
}

/// An installed binary has no checkout beside it: copied alone into an empty directory,
/// it still lists and runs the golden cases, and `--cases DIR` still reads other files.
#[test]
fn a_copied_binary_runs_the_suite_from_an_empty_directory() {
    let dir = std::env::temp_dir().join(format!("ivs-copied-bin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("ivs-conformance");
    std::fs::copy(env!("CARGO_BIN_EXE_ivs-conformance"), &bin).unwrap();
    let in_dir = |args: &[&str]| {
        Command::new(&bin)
            .args(args)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let count = ivs_conformance::load::load_embedded().unwrap().len();
    let list = in_dir(&["list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert_eq!(
        list.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    assert!(text.ends_with(&format!("{count} cases\n")), "{text}");
    let run = in_dir(&["run", "--offline"]);
    let text = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{text}");
    assert!(
        text.lines().last().unwrap().contains(" passed, 0 failed"),
        "{text}"
    );
    std::fs::write(
        dir.join("one.json"),
        r#"{"cases":[{"id":"mine","description":"d","source":"s","level":"MUST","appliesTo":["model"],
            "request":{"method":"POST","path":"/CreateParticipantToken","body":"{}"},
            "expect":{"status":400}}]}"#,
    )
    .unwrap();
    let own = in_dir(&["list", "--cases", "."]);
    assert!(String::from_utf8_lossy(&own.stdout).ends_with("1 case\n"));
    std::fs::remove_dir_all(dir).unwrap();
}

/// The fenced block after a README's `<!-- runs: WHERE` marker naming `place`.
fn readme_block(readme: &str, place: &str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(readme)).unwrap();
    let marker = format!("<!-- runs: {place}");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("{readme}: no {marker}"));
    let fence = start + text[start..].find("```").unwrap();
    let body = fence + text[fence..].find('\n').unwrap() + 1;
    let end = body + text[body..].find("```").unwrap();
    text[body..end].trim().to_owned()
}

#[test]
fn the_readmes_first_use_runs_as_written() {
    let block = readme_block("README.md", "conformance/tests/it/cli.rs");
    let words: Vec<&str> = block.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"ivs-conformance"), "{block}");
    let out = run(&words[1..], b"");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .lines()
            .last()
            .unwrap_or("")
            .contains(" passed, 0 failed"),
        "{stdout}"
    );
}

#[test]
fn no_help_shows_rustdoc_link_syntax() {
    let commands: &[&[&str]] = &[
        &[],
        &["validate"],
        &["constraints"],
        &["schema"],
        &["js-rules"],
        &["openapi"],
        &["token"],
        &["token", "mint"],
        &["token", "decode"],
        &["token", "verify"],
        &["serve"],
        &["list"],
        &["show"],
        &["run"],
        &["report"],
        &["fuzz-server"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let out = run(&args, b"");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}");
        for mark in ["[`", "`]", "](", "[crate::", "[Self"] {
            assert!(
                !help.contains(mark),
                "{args:?} --help shows {mark:?}: {help}"
            );
        }
    }
}
