//! CreateStage through the runner: the reference server passes every CreateStage case
//! and is left with no stage the run made; a server without CreateStage gets those
//! cases skipped with the preflight's reason; a first draft of it fails them, each with
//! its cause; `validate --operation CreateStage` gives the core's verdict.

use std::process::Command;

use serde_json::{json, Value};

use crate::explains::{faulty_with, run};

const STAGE: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

fn ivs() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ivs-conformance"))
}

fn json_report(url: &str, extra: &[&str]) -> (Value, i32) {
    let mut args = vec!["--filter", "create-stage", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(url, &args);
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (report, out.status.code().unwrap())
}

fn cases_of<'a>(report: &'a Value, outcome: &str) -> Vec<&'a Value> {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] == outcome)
        .collect()
}

#[test]
fn the_reference_server_passes_and_keeps_no_stage_the_run_made() {
    let server = ivs_reference_server::spawn(ivs_reference_server::ServerConfig {
        stages: vec![STAGE.to_owned()],
        ..ivs_reference_server::ServerConfig::default()
    })
    .unwrap();
    let (report, code) = json_report(server.url(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let passed = cases_of(&report, "pass");
    assert!(passed.len() >= 45, "{}", passed.len());
    assert!(passed.iter().all(|c| c["operation"] == "CreateStage"));
    // Every stage a case made was deleted: the configured one is all that is left.
    let listed: Value = serde_json::from_str(
        &ureq::post(&format!("{}/ListStages", server.url()))
            .header("Content-Type", "application/json")
            .send("{}")
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        listed["stages"],
        json!([{"arn": STAGE, "tags": {}}]),
        "{listed:#}"
    );
}

#[test]
fn a_server_without_create_stage_gets_its_cases_skipped_with_the_reason() {
    let server = faulty_with(&[("FAULTY_EXPIRATION", "zulu")]);
    let (report, _) = json_report(&server.url, &[]);
    let skipped = cases_of(&report, "skip");
    let why = "the server does not implement CreateStage (the preflight's POST";
    let by_preflight: Vec<_> = skipped
        .iter()
        .filter(|c| c["reasons"][0].as_str().unwrap().starts_with(why))
        .collect();
    assert!(by_preflight.len() >= 45, "{report:#}");
    assert!(cases_of(&report, "fail").is_empty(), "{report:#}");
}

#[test]
fn a_first_draft_of_create_stage_fails_with_its_causes() {
    let server = faulty_with(&[("FAULTY_CREATE_STAGE", "1"), ("FAULTY_EXPIRATION", "zulu")]);
    let (report, code) = json_report(&server.url, &[]);
    assert_eq!(code, 1);
    let failed: Vec<&str> = cases_of(&report, "fail")
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in [
        "create-stage.configurations.thirteen",
        "create-stage.configuration.order",
        "create-stage.name.space",
        "create-stage.tags.fifty-one",
        "create-stage.recording.storage-arn.missing",
    ] {
        assert!(failed.contains(&id), "{id} not failed: {failed:?}");
    }
    let keys: Vec<&str> = report["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"`/participantTokenConfigurations` length not checked: expected 400 ValidationException, got 200"),
        "{keys:?}"
    );
    // Tokens out of order: each is held to the configuration at its place, claims too.
    let order = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "create-stage.configuration.order")
        .unwrap();
    let reasons: Vec<&str> = order["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"participantTokens/0: user_id = userId: expected \"c\", found \"b\""),
        "{reasons:?}"
    );
    assert_eq!(order["operation"], "CreateStage");
    // The human report names the operation beside the level.
    let out = run(
        &server.url,
        &["--filter", "create-stage.configurations.thirteen"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("create-stage.configurations.thirteen [MUST, CreateStage]"),
        "{text}"
    );
}

#[test]
fn validate_reads_create_stage_bodies() {
    let check = |args: &[&str], body: &str| {
        let mut child = ivs()
            .arg("validate")
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(body.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code().unwrap(), v)
    };
    let (code, v) = check(
        &["--operation", "CreateStage"],
        r#"{"participantTokenConfigurations":[{},{"userId":"ok","duration":0}]}"#,
    );
    assert_eq!(code, 1);
    assert_eq!(
        v["violations"][0]["path"],
        "/participantTokenConfigurations/1/duration"
    );
    let (code, v) = check(&["--operation", "CreateStage"], r#"{"name":"room"}"#);
    assert_eq!(code, 0);
    assert_eq!(v["effective"]["name"], "room");
    // The same body as a CreateParticipantToken request: another verdict.
    let (code, v) = check(&[], r#"{"name":"room"}"#);
    assert_eq!(code, 1);
    assert_eq!(v["violations"][0]["path"], "/stageArn");
    let (code, v) = check(
        &["--operation", "CreateStage", "--response"],
        r#"{"stage":{"name":"x"},"participantTokens":[]}"#,
    );
    assert_eq!(code, 1);
    assert_eq!(v["violations"][0]["path"], "/stage/arn");
}
