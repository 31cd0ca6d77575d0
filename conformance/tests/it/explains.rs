//! A failing run explains itself: a deliberately faulty server (`faulty_server.py`, a
//! first draft with the mistakes implementers make) is run, and the run's causes are
//! checked: grouped, largest first, counted, hinted from the table; an unreadable 200
//! body is one cause, not each member it hides; a message in free text is a SHOULD, so
//! that the reference server behind a proxy that only rewrites its messages passes.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

const STAGE: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";
const UNKNOWN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/zzzzzzzzzzzz";

/// A child process killed when the test ends, and the URL it printed.
pub(crate) struct Listening {
    child: Child,
    pub(crate) url: String,
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `cmd`, reads its first line, `listening on URL`.
fn listening(mut cmd: Command) -> Listening {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 runs (the faulty server is a Python script)");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    std::thread::spawn(move || lines.for_each(drop));
    let url = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .to_owned();
    Listening { child, url }
}

fn script() -> String {
    format!("{}/tests/it/faulty_server.py", env!("CARGO_MANIFEST_DIR"))
}

/// The faulty server, its messages in free text or (`aws`) in AWS's form.
pub(crate) fn faulty(messages: &str) -> Listening {
    faulty_with(&[("FAULTY_MESSAGES", messages)])
}

/// The faulty server with its settings (`FAULTY_…`, see the script).
pub(crate) fn faulty_with(env: &[(&str, &str)]) -> Listening {
    let mut cmd = Command::new("python3");
    cmd.arg(script()).arg(STAGE).envs(env.iter().copied());
    listening(cmd)
}

fn ivs() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ivs-conformance"))
}

/// `run` against `url` with the stage flags and `extra`.
pub(crate) fn run(url: &str, extra: &[&str]) -> Output {
    ivs()
        .args(["run", "--endpoint", url, "--stage-arn", STAGE])
        .args(["--unknown-stage-arn", UNKNOWN])
        .args(extra)
        .output()
        .unwrap()
}

fn json_run(url: &str) -> (Value, i32) {
    let out = run(url, &["--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (report, out.status.code().unwrap())
}

fn group<'a>(report: &'a Value, starts: &str) -> &'a Value {
    report["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("no cause {starts:?} in {:#}", report["causes"]))
}

#[test]
fn the_faulty_servers_failures_come_grouped_by_cause_largest_first() {
    let server = faulty("free");
    let (report, code) = json_run(&server.url);
    assert_eq!(code, 1, "MUST cases fail");
    let causes = report["causes"].as_array().unwrap();
    let cases = report["cases"].as_array().unwrap();

    // Every unexpected failure is in exactly one group, and each group's count is the
    // number of cases that carry its cause.
    let failed = report["failed"].as_u64().unwrap();
    let grouped: u64 = causes.iter().map(|g| g["cases"].as_u64().unwrap()).sum();
    assert_eq!(grouped, failed);
    for g in causes {
        let key = g["key"].as_str().unwrap();
        let carrying = cases
            .iter()
            .filter(|c| c["outcome"] == "fail" && c["cause"]["key"] == key)
            .count() as u64;
        assert_eq!(carrying, g["cases"].as_u64().unwrap(), "{key}");
        assert!(key.chars().count() <= 120, "{key}");
    }
    // Largest first.
    let counts: Vec<u64> = causes
        .iter()
        .map(|g| g["cases"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");

    // The zone-less expirationTime is the largest cause, hinted with the form and an
    // example; the members it hides are not reported absent.
    let first = &causes[0];
    assert_eq!(
        first["key"],
        "the 200 body cannot be read: `/participantToken/expirationTime` (invalidTimestamp)"
    );
    assert!(
        first["hint"].as_str().unwrap().contains("RFC 3339")
            && first["hint"].as_str().unwrap().contains("e.g. \"2026-"),
        "{first}"
    );
    for c in cases.iter().filter(|c| c["cause"]["key"] == first["key"]) {
        let reasons = c["reasons"].to_string();
        assert!(!reasons.contains("got null"), "{}: {reasons}", c["id"]);
    }

    // Each mistake of the draft is one cause, named by member and check.
    let duration = group(&report, "`/duration` range not checked");
    assert!(duration["hint"]
        .as_str()
        .unwrap()
        .contains("from 1 to 20160"));
    assert!(duration["cases"].as_u64().unwrap() >= 2);
    let arn = group(&report, "`/stageArn` pattern not checked");
    assert!(arn["hint"].as_str().unwrap().contains("arn:aws:ivs:"));
    group(&report, "`/attributes` maxBytes not checked");
    group(&report, "duplicateMember not refused");

    // Free-text messages: one cause, never at MUST.
    let wording = group(&report, "the ValidationException message names no member");
    assert_eq!(wording["must"], 0, "{wording}");
    assert!(wording["cases"].as_u64().unwrap() > 0);
}

#[test]
fn the_human_summary_lists_the_causes_with_their_hints() {
    let server = faulty("free");
    let out = run(&server.url, &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    let at = text
        .find("largest first (fix the first one first):")
        .unwrap_or_else(|| panic!("{text}"));
    let list = &text[at..];
    assert!(
        list.contains("1. the 200 body cannot be read: `/participantToken/expirationTime`"),
        "{list}"
    );
    assert!(
        list.contains("the table asks: `duration`: an integer from 1 to 20160"),
        "{list}"
    );
}

#[test]
fn free_text_messages_alone_fail_no_must_case() {
    // The reference server, behind a proxy that only rewrites its ValidationException
    // messages into free text.
    let served = listening({
        let mut cmd = ivs();
        cmd.args(["serve", "--port", "0"]);
        cmd
    });
    let mut cmd = Command::new("python3");
    cmd.arg(script()).arg("--proxy").arg(&served.url);
    let proxy = listening(cmd);
    let (report, code) = json_run(&proxy.url);
    assert_eq!(report["failedMust"], 0, "{:#}", report["causes"]);
    assert_eq!(code, 0, "SHOULD departures alone pass the run");
    let causes = report["causes"].as_array().unwrap();
    assert_eq!(causes.len(), 1, "{causes:#?}");
    assert!(report["failed"].as_u64().unwrap() > 0);
    // Each such case shows the server's words beside AWS's form.
    let case = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["outcome"] == "fail")
        .unwrap();
    let reasons = case["reasons"].to_string();
    assert!(reasons.contains("The request is not valid."), "{reasons}");
    assert!(
        reasons.contains("failed to satisfy constraint"),
        "{reasons}"
    );
    assert_ne!(case["level"], "MUST");
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ivs-explains-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn every_failing_line_ends_with_a_replay_whose_curl_gets_the_same_status() {
    let server = faulty("free");
    let dir = scratch("replay");
    let out = run(&server.url, &["--save-exchanges", dir.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut replays = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(id) = line.strip_prefix("FAIL    ") {
            let id = id.split(' ').next().unwrap();
            let replay = lines[i + 1..]
                .iter()
                .find_map(|l| l.trim().strip_prefix("replay: "))
                .unwrap_or_else(|| panic!("no replay after {line}"));
            assert!(replay.starts_with(&format!("ivs-conformance show {id} --endpoint ")));
            replays.push((id.to_owned(), replay.to_owned()));
        }
    }
    assert!(replays.len() > 20, "{text}");
    // Every one of them.
    for (id, replay) in &replays {
        let words: Vec<&str> = replay.split(' ').skip(1).collect();
        let shown = ivs().args(&words).output().unwrap();
        assert!(shown.status.success(), "{replay}");
        let shown = String::from_utf8(shown.stdout).unwrap();
        let curl = shown
            .lines()
            .skip_while(|l| !l.starts_with("replay it"))
            .nth(1)
            .unwrap_or_else(|| panic!("no curl in {shown}"));
        let answer = Command::new("sh").arg("-c").arg(curl).output().unwrap();
        let answer = String::from_utf8_lossy(&answer.stdout).into_owned();
        let status: Option<u64> = answer.split(' ').nth(1).and_then(|s| s.parse().ok());
        let saved: Value =
            serde_json::from_slice(&std::fs::read(dir.join(format!("{id}.json"))).unwrap())
                .unwrap();
        // A request the server died of gets no answer either way.
        assert_eq!(
            saved["exchange"]["response"]["status"].as_u64(),
            status,
            "{id}: {curl}"
        );
        assert_eq!(saved["replay"], replay.as_str());
        assert!(saved["cause"]["key"].is_string(), "{saved}");
        assert_eq!(saved["exchange"]["request"]["method"], "POST");
        assert!(!saved.to_string().contains("eyJ"), "a token saved: {saved}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn show_prints_the_body_a_curl_command_and_the_expectation() {
    let out = ivs()
        .args(["show", "duration.range.min-minus-one"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("request: POST http://127.0.0.1:4566/CreateParticipantToken"),
        "{text}"
    );
    assert!(text.contains("\"duration\":0"), "{text}");
    assert!(
        text.contains("| curl -sS -i -H 'Content-Type: application/json' --data-binary @- "),
        "{text}"
    );
    assert!(text.contains("\"status\": 400"), "{text}");
    assert!(
        !text.contains("null"),
        "members the case leaves open are not shown: {text}"
    );
    // With --body-file, the exact bytes go to the file and the command sends it.
    let dir = scratch("show");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("body.bin");
    let out = ivs()
        .args(["show", "duration.range.min-minus-one", "--body-file"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        std::fs::read(&file).unwrap(),
        format!(r#"{{"stageArn":"{STAGE}","duration":0}}"#).as_bytes()
    );
    assert!(
        text.contains(&format!("--data-binary @{} ", file.display())),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let typo = ivs()
        .args(["show", "duration.range.min-minus-on"])
        .output()
        .unwrap();
    assert_eq!(typo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&typo.stderr)
        .contains("did you mean duration.range.min-minus-one?"));
}

fn report_of(path: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The id of the first case of `report` with `outcome`, and its cause.
fn first_with<'a>(report: &'a Value, outcome: &str) -> (&'a str, &'a Value) {
    let c = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["outcome"] == outcome)
        .unwrap_or_else(|| panic!("no {outcome} case"));
    (c["id"].as_str().unwrap(), &c["cause"])
}

#[test]
fn expectations_keep_their_cause_their_comments_and_fail_when_a_case_fails_differently() {
    let server = faulty("free");
    let dir = scratch("expectations");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("expected.txt");
    let f = file.to_str().unwrap();
    let first = run(
        &server.url,
        &["--write-expected-failures", f, "--format", "json"],
    );
    let report: Value = serde_json::from_slice(&first.stdout).unwrap();
    let written = std::fs::read_to_string(&file).unwrap();
    let (failing, cause) = first_with(&report, "fail");
    let (passing, _) = first_with(&report, "pass");
    assert!(
        written.contains(&format!("# cause: {}", cause["key"].as_str().unwrap())),
        "{written}"
    );

    // The file as a person edits it: a comment, a note of their own, a cause changed by
    // hand (standing for a server that now fails that case another way), a stale entry.
    let mut lines: Vec<String> = Vec::new();
    let mut noted = None;
    for line in written.lines() {
        let id = line.split_whitespace().next().unwrap_or("");
        if id == failing {
            lines.push(format!("{failing}  # cause: an older cause"));
        } else if noted.is_none() && !line.starts_with('#') && !line.is_empty() {
            noted = Some(id.to_owned());
            lines.push(format!("{id}  our own note, kept"));
        } else {
            lines.push(line.to_owned());
        }
    }
    lines.insert(0, "# my comment, kept".to_owned());
    lines.push(format!("{passing}  # cause: fixed since"));
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let noted = noted.unwrap();

    let second = run(&server.url, &["--expected-failures", f, "--format", "json"]);
    assert_eq!(
        second.status.code(),
        Some(1),
        "a case failing differently fails the run"
    );
    let report: Value = serde_json::from_slice(&second.stdout).unwrap();
    let case = |id: &str| {
        report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    let changed = case(failing);
    assert_eq!(changed["outcome"], "fail");
    let why = changed["reasons"][0].as_str().unwrap();
    assert!(
        why.starts_with("fails differently: was \"an older cause\"")
            && why.contains(cause["key"].as_str().unwrap()),
        "{why}"
    );
    assert_eq!(case(passing)["outcome"], "stale");
    assert_eq!(case(&noted)["outcome"], "expected");
    assert_eq!(report["failed"], 1, "{:#}", report["causes"]);
    assert_eq!(report["stale"], 1);

    // Rewritten in place: comments, order and notes kept, the stale entry gone, the
    // changed cause brought up to date.
    let third = run(
        &server.url,
        &["--expected-failures", f, "--write-expected-failures", f],
    );
    assert_eq!(third.status.code(), Some(1));
    let rewritten = std::fs::read_to_string(&file).unwrap();
    assert!(rewritten.starts_with("# my comment, kept\n"), "{rewritten}");
    assert!(
        rewritten.contains(&format!("{noted}  our own note, kept")),
        "{rewritten}"
    );
    assert!(!rewritten.contains(passing), "{rewritten}");
    assert!(!rewritten.contains("an older cause"), "{rewritten}");
    assert!(rewritten.contains(&format!("# cause: {}", cause["key"].as_str().unwrap())));
    let order = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| l.split_whitespace().next().unwrap().to_owned())
            .collect()
    };
    let mut before = order(&lines.join("\n"));
    before.retain(|id| id != passing);
    assert_eq!(order(&rewritten), before);
    let fourth = run(&server.url, &["--expected-failures", f]);
    assert_eq!(
        fourth.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fourth.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The five counts as a format gives them: passed, failed, expected, stale, skipped.
type Counts = [u64; 5];

fn counts_in_line(line: &str) -> Counts {
    let number_before = |word: &str| -> u64 {
        line.split(", ")
            .find(|part| part.contains(word))
            .and_then(|part| part.split(' ').next())
            .map_or(0, |n| n.parse().unwrap())
    };
    [
        number_before(" passed"),
        number_before(" failed"),
        number_before(" expected to fail"),
        number_before(" of the passed stale"),
        number_before(" skipped"),
    ]
}

#[test]
fn every_format_gives_the_same_counts() {
    let server = faulty("free");
    let dir = scratch("counts");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("expected.txt");
    let first = run(&server.url, &["--format", "json"]);
    let report: Value = serde_json::from_slice(&first.stdout).unwrap();
    let (failing, _) = first_with(&report, "fail");
    let (passing, _) = first_with(&report, "pass");
    std::fs::write(&file, format!("{failing}\n{passing}\n")).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let out = run(
        &server.url,
        &[
            "--expected-failures",
            file.to_str().unwrap(),
            "--report",
            &format!("json={}", path("run.json")),
            "--report",
            &format!("junit={}", path("run.xml")),
            "--report",
            &format!("html={}", path("run.html")),
            "--report",
            &format!("badge={}", path("badge.json")),
        ],
    );
    let human = String::from_utf8(out.stdout).unwrap();
    let closing = human.lines().last().unwrap();
    let expected = counts_in_line(closing);
    assert_eq!(expected[2], 1, "{closing}");
    assert_eq!(expected[3], 1, "{closing}");

    let json = report_of(&dir.join("run.json"));
    let from_json: Counts = ["passed", "failed", "expectedFailures", "stale", "skipped"]
        .map(|k| json[k].as_u64().unwrap());
    assert_eq!(from_json, expected, "JSON");

    let xml = std::fs::read_to_string(dir.join("run.xml")).unwrap();
    let property = |name: &str| -> u64 {
        let at = xml
            .find(&format!("name=\"ivs-conformance.{name}\" value=\""))
            .unwrap_or_else(|| panic!("no {name} in the JUnit file"));
        let rest = &xml[at..];
        let v = rest.split("value=\"").nth(1).unwrap();
        v[..v.find('"').unwrap()].parse().unwrap()
    };
    let from_junit: Counts = ["passed", "failed", "expected", "stale", "skipped"].map(property);
    assert_eq!(from_junit, expected, "JUnit");

    let html = std::fs::read_to_string(dir.join("run.html")).unwrap();
    let summary = html.split("<p id=\"summary\">").nth(1).unwrap();
    let summary = &summary[..summary.find("</p>").unwrap()];
    assert_eq!(counts_in_line(summary), expected, "HTML: {summary}");
    // Each failure's exchange, one click away: the answer as it came, but its token (a
    // secret: the faulty server's JWTs start `eyJ`).
    assert!(
        html.contains("as it came:\nHTTP 200"),
        "no exchange in the HTML"
    );
    assert!(
        html.contains("&lt;token redacted: "),
        "no redacted token in the HTML"
    );
    let json_text = std::fs::read_to_string(dir.join("run.json")).unwrap();
    assert!(json_text.contains("<token redacted: "));
    for text in [&html, &json_text, &xml, &human] {
        assert!(!text.contains("eyJ"), "a token in a report");
    }
    assert!(html.contains("<table id=\"causes\">"));

    let matrix = ivs().args(["report", &path("run.json")]).output().unwrap();
    let page = String::from_utf8(matrix.stdout).unwrap();
    let cell = |kind: &str| -> u64 {
        let marker = format!("id=\"count-0-{kind}\">");
        let rest = &page[page.find(&marker).unwrap_or_else(|| panic!("{marker}")) + marker.len()..];
        rest[..rest.find('<').unwrap()].parse().unwrap()
    };
    let from_matrix: Counts = ["pass", "fail", "expected", "stale", "skip"].map(cell);
    assert_eq!(from_matrix, expected, "matrix");

    let badge = report_of(&dir.join("badge.json"));
    let run_count = expected[0] + expected[1] + expected[2];
    assert_eq!(
        badge["message"],
        format!("{}/{run_count} passed", expected[0])
    );
    assert!(badge["label"].as_str().unwrap().chars().count() <= 24);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn report_diff_lists_what_broke_and_what_was_fixed_and_exits_1_on_a_regression() {
    let server = faulty("free");
    let dir = scratch("diff");
    std::fs::create_dir_all(&dir).unwrap();
    let out = run(&server.url, &["--format", "json"]);
    let old: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (passing, _) = first_with(&old, "pass");
    let (failing, _) = first_with(&old, "fail");
    let with = |id: &str, outcome: &str| {
        let mut v = old.clone();
        for c in v["cases"].as_array_mut().unwrap() {
            if c["id"] == id {
                c["outcome"] = Value::from(outcome);
            }
        }
        v
    };
    let write = |name: &str, v: &Value| {
        let p = dir.join(name);
        std::fs::write(&p, serde_json::to_vec(v).unwrap()).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let (o, broke, fixed) = (
        write("old.json", &old),
        write("broke.json", &with(passing, "fail")),
        write("fixed.json", &with(failing, "pass")),
    );
    let diff = |a: &str, b: &str| ivs().args(["report", "--diff", a, b]).output().unwrap();
    let d = diff(&o, &broke);
    let text = String::from_utf8(d.stdout).unwrap();
    assert_eq!(d.status.code(), Some(1), "{text}");
    assert!(
        text.starts_with(&format!("1 broke (passed before, fail now):\n  {passing}")),
        "{text}"
    );
    let d = diff(&o, &fixed);
    let text = String::from_utf8(d.stdout).unwrap();
    assert_eq!(d.status.code(), Some(0), "{text}");
    assert!(
        text.contains(&format!("1 fixed (failed before, pass now):\n  {failing}")),
        "{text}"
    );
    assert_eq!(diff(&o, &o).status.code(), Some(0));
    assert_eq!(diff(&o, "/nonexistent.json").status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_token_signed_hs256_or_not_at_all_is_reported_at_should_with_the_form_seen() {
    for alg in ["HS256", "none"] {
        let server = faulty_with(&[("FAULTY_EXPIRATION", "zulu"), ("FAULTY_ALG", alg)]);
        let (report, _) = json_run(&server.url);
        let g = group(&report, "the token's JOSE header is neither form IVS uses");
        assert_eq!(g["must"], 0, "{g}");
        let case = report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["cause"]["key"] == g["key"])
            .unwrap();
        let reasons = case["reasons"].to_string();
        assert!(reasons.contains(&format!("alg \\\"{alg}\\\"")), "{reasons}");
        assert_ne!(case["level"], "MUST");
    }
    // The reference server's tokens are self-signed, in the form IVS gives them.
    let served = listening({
        let mut cmd = ivs();
        cmd.args(["serve", "--port", "0"]);
        cmd
    });
    let (report, code) = json_run(&served.url);
    assert_eq!(code, 0);
    assert_eq!(report["failed"], 0, "{:#}", report["causes"]);
}

#[test]
fn fuzz_server_finds_a_lax_readers_duplicate_members_and_nan_and_saves_them() {
    let server = faulty("aws");
    let dir = scratch("fuzz");
    let out = ivs()
        .args([
            "fuzz-server",
            "--endpoint",
            &server.url,
            "--stage-arn",
            STAGE,
        ])
        .args([
            "--requests",
            "150",
            "--keep-going",
            "--save",
            dir.to_str().unwrap(),
        ])
        .env("PROPTEST_MAX_SHRINK_ITERS", "not a number")
        .env("PROPTEST_CASES", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        !text.contains("PROPTEST") && !out.stderr.windows(8).any(|w| w == b"proptest"),
        "{text}"
    );
    // Each distinct cause once, numbered, with its minimal request saved.
    let line_of = |cause: &str| -> (usize, &str) {
        text.lines()
            .find_map(|l| {
                let (n, rest) = l.split_once(". ")?;
                rest.starts_with(cause)
                    .then(|| (n.parse().ok(), l))
                    .and_then(|(n, l)| Some((n?, l)))
            })
            .unwrap_or_else(|| panic!("no {cause:?} in {text}"))
    };
    let (dup, _) =
        line_of("duplicateMember not refused: expected 400 SerializationException, got 200");
    let (nan, _) =
        line_of("`/duration` syntax not refused: expected 400 SerializationException, got 200");
    let body = |n: usize| std::fs::read(dir.join(format!("disagreement-{n}.body"))).unwrap();
    let dup_body = String::from_utf8(body(dup)).unwrap();
    assert!(
        dup_body.starts_with(r#"{"stageArn":"x","stageArn":"#),
        "{dup_body}"
    );
    let nan_body = String::from_utf8(body(nan)).unwrap();
    assert!(
        nan_body.contains("NaN") || nan_body.contains("Infinity"),
        "{nan_body}"
    );
    // What --save writes, --replay sends again: the same disagreement.
    for n in [dup, nan] {
        let file = dir.join(format!("disagreement-{n}.body"));
        let replayed = ivs()
            .args([
                "fuzz-server",
                "--endpoint",
                &server.url,
                "--stage-arn",
                STAGE,
            ])
            .args(["--replay", file.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(replayed.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&replayed.stdout).starts_with("disagrees with the core: "));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
