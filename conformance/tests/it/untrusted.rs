//! Untrusted text stays text: what a hostile server under test, a crafted report or
//! expectations file, a hostile setting or file, or the Action's inputs can make the kit
//! write. Each test is one reproduction of the third hostile round, run through the
//! real binary; the writers' own escapes are tested beside them
//! (`ivs_reference_server::escape`).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::hostile::{
    fake_server, http_answer, output, run_measured, serve_refused, temp_file, text, ARN,
};

/// What a hostile server or file sends to act on a terminal: a title change (OSC … BEL),
/// a screen clear (CSI 2 J), and an 8-bit CSI (C1).
const TERMINAL_PAYLOAD: &str = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m";

/// The same, as a JSON string's contents.
const TERMINAL_PAYLOAD_JSON: &str = r"\u001b]0;owned\u0007\u001b[2J\u009b31m";

/// Whether `s` holds anything a terminal would act on.
fn acts_on_a_terminal(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ivs-untrusted-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn json_answer(status: &str, body: &str) -> String {
    http_answer(status, "Content-Type: application/json\r\n", body)
}

/// A run's JSON report of `cases` cases, each `(id, outcome)`, its target `target`.
fn report_json(target: &str, cases: &[(String, &str)]) -> String {
    let cases: Vec<serde_json::Value> = cases
        .iter()
        .map(|(id, outcome)| {
            serde_json::json!({"id": id, "level": "MUST", "outcome": outcome,
                "reasons": ["<script>document.title='owned'</script>"], "seconds": 0.0})
        })
        .collect();
    serde_json::json!({"target": target, "passed": 0, "failed": cases.len(),
        "failedMust": cases.len(), "skipped": 0, "cases": cases})
    .to_string()
}

fn bin(args: &[&str]) -> std::process::Output {
    output(args, &[], b"")
}

#[test]
fn a_crafted_report_runs_no_script_in_the_matrix() {
    let dir = scratch("matrix-script");
    // A level, declared level or outcome outside their sets is refused as it is read.
    for (member, value) in [
        ("level", "<script>document.title='x'</script>"),
        ("declaredLevel", "MUST\" onmouseover=\"alert(1)"),
        ("outcome", "fail\"><script>alert(1)</script>"),
    ] {
        let mut report: serde_json::Value =
            serde_json::from_str(&report_json("t", &[("a".into(), "fail")])).unwrap();
        report["cases"][0][member] = value.into();
        let file = dir.join(format!("{member}.json"));
        std::fs::write(&file, report.to_string()).unwrap();
        let out = bin(&["report", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{member}: {}", text(&out));
        assert!(text(&out).contains("unknown variant"), "{}", text(&out));
    }
    // Every free-text member is written escaped, and the page's policy lets only its own
    // script run (by hash), so that a missed escape would still run nothing.
    let hostile = "\"><script>document.title='owned'</script><img src=x onerror=alert(1)>";
    let file = dir.join("free-text.json");
    std::fs::write(&file, report_json(hostile, &[(hostile.to_owned(), "fail")])).unwrap();
    let out = bin(&["report", file.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let page = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!page.contains("<img"), "no element from the report");
    assert!(!page.contains("'unsafe-inline'"), "{}", &page[..600]);
    assert!(page.contains("script-src 'sha256-"), "{}", &page[..600]);
    // The badge of a report whose suite is named by a payload.
    let mut report: serde_json::Value =
        serde_json::from_str(&report_json("t", &[("a".into(), "fail")])).unwrap();
    report["suite"] = serde_json::json!({"kitVersion": TERMINAL_PAYLOAD, "apiVersion": "x",
        "cases": 1, "digest": "sha256:00", "source": "s"});
    let file = dir.join("badge.json");
    std::fs::write(&file, report.to_string()).unwrap();
    let out = bin(&["report", "--badge", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!acts_on_a_terminal(&text(&out)), "{}", text(&out));
    let badge: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Nothing of the report's own text reaches the badge: its label is the kit's.
    assert_eq!(badge["label"], ivs_conformance::report::BADGE_LABEL);
}

#[test]
fn nothing_a_server_sends_acts_on_the_terminal() {
    // A 200 whose participantId would retitle the terminal, issued twice (a repeated id);
    // and a 400 whose error type would.
    let token = format!(
        r#"{{"participantToken":{{"participantId":"{TERMINAL_PAYLOAD_JSON}","token":"a.b.c","expirationTime":"2026-11-24T07:04:31Z"}}}}"#
    );
    let (ok_url, _) = fake_server(json_answer("200 OK", &token));
    let error = format!(
        r#"{{"__type":"{TERMINAL_PAYLOAD_JSON}X","message":"{TERMINAL_PAYLOAD_JSON}<script>alert(1)</script>"}}"#
    );
    let (error_url, _) = fake_server(json_answer("400 Bad Request", &error));
    for url in [&ok_url, &error_url] {
        for format in ["human", "json", "junit", "html"] {
            let out = bin(&[
                "run",
                "--endpoint",
                url,
                "--stage-arn",
                ARN,
                "--format",
                format,
            ]);
            assert_eq!(out.status.code(), Some(1), "{format}: {}", text(&out));
            assert!(
                !acts_on_a_terminal(&text(&out)),
                "{format}: {:?}",
                text(&out)
            );
            if format == "html" {
                let page = String::from_utf8_lossy(&out.stdout);
                assert_eq!(page.matches("<script").count(), 1, "only the page's own");
            }
        }
    }
    // The reasons quote what was sent, escaped where it can be seen.
    let out = bin(&[
        "run",
        "--endpoint",
        &ok_url,
        "--stage-arn",
        ARN,
        "--verbose",
    ]);
    assert!(
        text(&out).contains(r"\u{1b}]0;owned\u{7}"),
        "{}",
        text(&out)
    );
    // The preflight's quoted message.
    let not_found =
        format!(r#"{{"__type":"ResourceNotFoundException","message":"{TERMINAL_PAYLOAD_JSON}"}}"#);
    let (url, _) = fake_server(json_answer("404 Not Found", &not_found));
    let out = bin(&["run", "--endpoint", &url, "--stage-arn", ARN]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains(r"\u{1b}]0;owned"), "{}", text(&out));
    assert!(!acts_on_a_terminal(&text(&out)), "{:?}", text(&out));
    // fuzz-server's reasons.
    let out = bin(&[
        "fuzz-server",
        "--endpoint",
        &error_url,
        "--stage-arn",
        ARN,
        "--requests",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(!acts_on_a_terminal(&text(&out)), "{:?}", text(&out));
}

#[test]
fn nothing_a_token_or_a_body_holds_acts_on_the_terminal() {
    use ivs_participant_token::token::{sign, unix_now, Claims, Header, PrivateKey};
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
    let key = PrivateKey::from_pem(&std::fs::read_to_string(data.join("p384-pkcs8.pem")).unwrap())
        .unwrap();
    let claims = Claims {
        jti: Some(TERMINAL_PAYLOAD.to_owned()),
        exp: Some(unix_now() + 600),
        iat: Some(unix_now()),
        ..Claims::default()
    };
    let header = Header::self_signed("arn:aws:ivs:us-west-2:123456789012:public-key/abcd");
    let token = sign(&header, &claims, &key);
    let token_file = temp_file("jti.token", token.expose());
    let public = data.join("p384-public.pem");
    for args in [
        vec!["token", "verify", "--public-key", public.to_str().unwrap()],
        vec!["token", "decode"],
    ] {
        let mut args = args;
        args.extend(["--token-file", token_file.to_str().unwrap()]);
        let out = bin(&args);
        assert!(
            !acts_on_a_terminal(&text(&out)),
            "{args:?}: {:?}",
            text(&out)
        );
        assert!(!text(&out).contains('\u{9b}'), "{args:?}: {:?}", text(&out));
    }
    // An unknown member named by a payload, in both of validate's forms.
    let body = format!(r#"{{"stageArn":"{ARN}","{TERMINAL_PAYLOAD_JSON}":1}}"#);
    for format in ["human", "json"] {
        let out = output(&["validate", "--format", format], &[], body.as_bytes());
        assert_eq!(out.status.code(), Some(0), "an advisory: {}", text(&out));
        assert!(text(&out).contains(r"\u{1b}") || text(&out).contains(r"\u001b"));
        assert!(
            !acts_on_a_terminal(&text(&out)),
            "{format}: {:?}",
            text(&out)
        );
        assert!(!text(&out).contains('\u{9b}'), "{format}: {:?}", text(&out));
    }
    // The JSON form keeps its meaning: the escapes decode to the member's name.
    let out = output(&["validate"], &[], body.as_bytes());
    let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(verdict.to_string().contains(r"\u001b]0;owned"), "{verdict}");
    assert!(
        serde_json::to_string(&verdict)
            .unwrap()
            .contains(&TERMINAL_PAYLOAD_JSON[..12]),
        "{verdict}"
    );
}

#[test]
fn junit_stays_xml_whatever_the_server_sends() {
    let error =
        r#"{"__type":"Validation\uFFFE\uFFFFException\u0000","message":"\uFFFF <&> \u001b"}"#;
    let (url, _) = fake_server(json_answer("400 Bad Request", error));
    let out = bin(&[
        "run",
        "--endpoint",
        &url,
        "--stage-arn",
        ARN,
        "--format",
        "junit",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}"));
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert!(failures > 10, "{failures} failures");
    assert!(xml.contains(r"\u{fffe}\u{ffff}"), "the replacement is said");
}

#[test]
fn the_matrix_is_bounded() {
    let dir = scratch("matrix-bound");
    // 2,000 one-case reports that share no case id: 4,000,000 cells, refused.
    let mut files = Vec::new();
    for i in 0..2_000 {
        let file = dir.join(format!("r{i}.json"));
        std::fs::write(&file, report_json("t", &[(format!("case-{i}"), "fail")])).unwrap();
        files.push(file.display().to_string());
    }
    let mut args = vec!["report"];
    args.extend(files.iter().map(String::as_str));
    let (code, all, peak) = run_measured(&args, &[]);
    assert_eq!(code, 2, "{all}");
    assert!(all.contains("at most 100 runs"), "{all}");
    assert!(peak < 64 * 1024, "{peak} KiB");
    // 100 of them: 10,000 cells, rendered; 400 of one case each sharing none: refused
    // as the cells pass the bound.
    let (code, all, _) = run_measured(&args[..101], &[]);
    assert_eq!(code, 0);
    assert!(all.len() < 4 * 1024 * 1024, "{} bytes", all.len());
    // 10,000 reports of the suite's own cases, given at once: refused before any is read,
    // within the same memory.
    let suite = dir.join("suite.json");
    std::fs::write(
        &suite,
        bin(&["run", "--offline", "--format", "json"]).stdout,
    )
    .unwrap();
    let many: Vec<&str> = std::iter::repeat_n(suite.to_str().unwrap(), 10_000).collect();
    let mut args = vec!["report"];
    args.extend(many);
    let (code, all, peak) = run_measured(&args, &[]);
    assert_eq!(code, 2, "{}", &all[..all.len().min(500)]);
    assert!(all.contains("10000 reports given"), "{all}");
    assert!(peak < 64 * 1024, "{peak} KiB");
    // Wide reports: each new one adds 2,000 cases; the fiftieth passes 100,000 cells.
    let wide: Vec<PathBuf> = (0..60)
        .map(|i| {
            let file = dir.join(format!("wide{i}.json"));
            let cases: Vec<(String, &str)> =
                (0..2_000).map(|c| (format!("w{i}-{c}"), "pass")).collect();
            std::fs::write(&file, report_json("t", &cases)).unwrap();
            file
        })
        .collect();
    let mut args = vec!["report".to_owned()];
    args.extend(wide.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, all, peak) = run_measured(&args, &[]);
    assert_eq!(code, 2, "{}", &all[..all.len().min(500)]);
    assert!(all.contains("more than the 100000 it renders"), "{all}");
    assert!(peak < 256 * 1024, "{peak} KiB");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_file_is_read_within_a_bound_and_special_files_are_refused() {
    let dir = scratch("files");
    let zero = dir.join("zero");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let z = zero.to_str().unwrap();
    let fifo = dir.join("fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let cases = dir.join("cases");
    std::fs::create_dir_all(&cases).unwrap();
    std::os::unix::fs::symlink("/dev/zero", cases.join("zero.json")).unwrap();
    let config = dir.join("key.toml");
    std::fs::write(&config, format!("signing_key_pem = {z:?}\n")).unwrap();
    let key = "arn:aws:ivs:us-west-2:123456789012:public-key/abcd";
    type Env<'a> = Vec<(&'a str, &'a str)>;
    let runs: Vec<(Vec<&str>, Env)> = vec![
        (vec!["run", "--offline", "--expected-failures", z], vec![]),
        (vec!["report", z], vec![]),
        (vec!["token", "decode", "--token-file", z], vec![]),
        (vec!["token", "verify", "--public-key", z, "x.y.z"], vec![]),
        (vec!["token", "mint", "--key", z, "--kid", key], vec![]),
        (vec!["fuzz-server", "--replay", z], vec![]),
        (vec!["serve", "--port", "0", "--config", z], vec![]),
        (
            vec!["serve", "--port", "0", "--config", config.to_str().unwrap()],
            vec![],
        ),
        (
            vec!["run", "--offline", "--cases", cases.to_str().unwrap()],
            vec![],
        ),
        (
            vec![
                "run",
                "--endpoint",
                "http://127.0.0.1:9",
                "--stage-arn",
                ARN,
                "--sign",
            ],
            vec![
                ("AWS_SHARED_CREDENTIALS_FILE", z),
                ("AWS_ACCESS_KEY_ID", ""),
            ],
        ),
        (vec!["validate", fifo.to_str().unwrap()], vec![]),
        (vec!["report", fifo.to_str().unwrap()], vec![]),
    ];
    for (args, env) in runs {
        let started = std::time::Instant::now();
        let (code, all, peak) = run_measured(&args, &env);
        assert_eq!(code, 2, "{args:?}: {all}");
        assert!(all.contains("not a regular file"), "{args:?}: {all}");
        assert!(peak < 64 * 1024, "{args:?}: {peak} KiB");
        assert!(started.elapsed().as_secs() < 20, "{args:?}");
    }
    // A regular file past its kind's bound is refused, naming the bound.
    let big = dir.join("big.pem");
    std::fs::write(&big, vec![b'A'; 64 * 1024 + 1]).unwrap();
    let out = bin(&[
        "token",
        "mint",
        "--key",
        big.to_str().unwrap(),
        "--kid",
        key,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("larger than 65536 bytes, the most this kit reads of a key"),
        "{}",
        text(&out)
    );
}

#[test]
fn unknown_ids_in_an_expectations_file_are_cut_and_counted() {
    let dir = scratch("expectations");
    let long = dir.join("long.txt");
    std::fs::write(&long, "x".repeat(3 * 1024 * 1024)).unwrap();
    let many = dir.join("many.txt");
    let ids: String = (0..200_000)
        .map(|i| format!("no-such-case-{i}\n"))
        .collect();
    std::fs::write(&many, ids).unwrap();
    let nul = dir.join("nul.txt");
    std::fs::write(&nul, vec![0u8; 100 * 1024 * 1024]).unwrap();
    // The round's own: a 10 MB id and a million unknown ids pass the file's bound.
    let huge_id = dir.join("huge-id.txt");
    std::fs::write(&huge_id, "x".repeat(10 * 1024 * 1024)).unwrap();
    let million = dir.join("million.txt");
    let ids: String = (0..1_000_000)
        .map(|i| format!("no-such-case-{i}\n"))
        .collect();
    std::fs::write(&million, ids).unwrap();
    for (file, says) in [
        (&long, "an id no case"),
        (&many, "200000 ids no case"),
        (&nul, "larger than 4194304 bytes"),
        (&huge_id, "larger than 4194304 bytes"),
        (&million, "larger than 4194304 bytes"),
    ] {
        let (code, all, peak) = run_measured(
            &[
                "run",
                "--offline",
                "--expected-failures",
                file.to_str().unwrap(),
            ],
            &[],
        );
        assert_eq!(code, 2, "{}", &all[..all.len().min(300)]);
        assert!(all.contains(says), "{}", &all[..all.len().min(300)]);
        assert!(all.len() < 4096, "{} bytes of message", all.len());
        assert!(peak < 128 * 1024, "{peak} KiB");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn credentials_in_the_endpoint_are_refused_and_never_written() {
    let dir = scratch("credentials");
    let report = dir.join("r.json");
    let out = bin(&[
        "run",
        "--endpoint",
        "http://alice:S3CRET@127.0.0.1:9",
        "--stage-arn",
        ARN,
        "--report",
        &format!("json={}", report.display()),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("holds credentials"), "{}", text(&out));
    assert!(!text(&out).contains("S3CRET"), "{}", text(&out));
    assert!(!report.exists());
    for endpoint in ["alice:S3CRET@127.0.0.1:9", "ftp://alice:S3CRET@host"] {
        let out = bin(&["fuzz-server", "--endpoint", endpoint, "--stage-arn", ARN]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(!text(&out).contains("S3CRET"), "{}", text(&out));
    }
}

#[test]
fn a_line_break_in_the_actions_report_dir_adds_no_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = scratch("action");
    let outputs = dir.join("outputs");
    std::fs::write(&outputs, "").unwrap();
    let out = Command::new("bash")
        .arg(root.join("action/run.sh"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GITHUB_OUTPUT", &outputs)
        .env("IVS_ENDPOINT", "http://127.0.0.1:9")
        .env("IVS_STAGE_ARN", ARN)
        .env(
            "IVS_REPORT_DIR",
            format!("{}\nfailed-must=0", dir.display()),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("holds a line break"), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&outputs).unwrap(), "");
}

#[test]
fn smaller_ones_url_schemes_bare_cr_and_long_numbers() {
    for (setting, value, says) in [
        ("events_url", "javascript:alert(1)", "not a wss:// URL"),
        ("whip_url", "", "not a https:// URL"),
        ("whip_url", "http://whip.example", "not a https:// URL"),
        ("events_url", "wss://u:p@host", "credentials"),
    ] {
        let file = temp_file("urls.toml", &format!("{setting} = {value:?}\n"));
        let all = serve_refused(&["--config", file.to_str().unwrap()], &[]);
        assert!(
            all.contains(setting) && all.contains(says),
            "{setting}={value:?}: {all}"
        );
    }
    // Bare CR line ends: each line its own id, so the unknown one is named alone.
    let file = temp_file("cr.txt", "duration.default.absent # a note\rno-such-case\r");
    let out = bin(&[
        "run",
        "--offline",
        "--expected-failures",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("line 2: \"no-such-case\""),
        "{}",
        text(&out)
    );
    // A number in a bad setting is shown short.
    let file = temp_file("grace.toml", "shutdown_grace_seconds = 1e300\n");
    let all = serve_refused(&["--config", file.to_str().unwrap()], &[]);
    assert!(all.contains("1e300 s is longer"), "{all}");
    assert!(all.len() < 400, "{all}");
}
