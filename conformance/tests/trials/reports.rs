//! The implementer's workflow, through the binary: a server that validates
//! nothing gets its full report, not a refusal; misconfigurations are one message and
//! exit 2; expected failures keep CI green on a known list and fail when it goes stale;
//! the HTML report renders in a real browser (headless Chromium) and loads nothing; the
//! matrix of several runs and the badge say what each run did and which suite it ran.
//!
//! A custom harness (libtest-mimic): the browser test must be able to say it was skipped,
//! and why, when Chromium is not installed (it fails instead under `CI`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Duration;

use ivs_participant_token::token::{mint, unix_now, MintParams, PrivateKey};
use ivs_participant_token::{
    CreateParticipantTokenRequest, CreateParticipantTokenResponse, ValidRequest,
};
use libtest_mimic::{Completion, Failed, Trial};
use serde_json::Value;

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

type Check = Result<Completion, Failed>;

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(what().into())
    }
}

fn bin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ivs-conformance"))
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn scratch() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("ivs-reports-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    })
    .clone()
}

/// A server on a thread that answers every request with `answer(body)` (a whole HTTP
/// response), one request a connection.
fn fake_server(answer: fn(&[u8]) -> String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                if let Some(body) = read_request(&mut stream) {
                    let _ = stream.write_all(answer(&body).as_bytes());
                }
            });
        }
    });
    url
}

fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream);
    let mut length = 0usize;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    Some(body)
}

fn http(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\nx-amzn-RequestId: 0a1b\r\n\r\n{body}",
        body.len()
    )
}

/// The deliberately lax server: it validates nothing and answers every request with a
/// well-formed token (for the request when the core finds it valid, else for the stage).
fn lax_answer(body: &[u8]) -> String {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    let key = KEY.get_or_init(PrivateKey::generate);
    let request = ivs_participant_token::Verdict::request(body)
        .into_result()
        .map(|c| c.value)
        .or_else(|_| ValidRequest::new(CreateParticipantTokenRequest::new(ARN)))
        .expect("the stage is a valid request");
    let params = MintParams {
        kid: "arn:aws:ivs:us-west-2:123456789012:public-key/lax",
        events_url: "wss://global.events.live-video.net",
        whip_url: "https://global.whip.live-video.net",
        now: unix_now(),
        participant_id: None,
    };
    let token = mint(&request, key, &params).expect("a valid request mints");
    let response = CreateParticipantTokenResponse {
        participant_token: Some(token),
    };
    http(
        "200 OK",
        "Content-Type: application/json\r\n",
        &serde_json::to_string(&response).unwrap(),
    )
}

/// A server that refuses every request with a ValidationException, in the service's form.
fn refusing_answer(_: &[u8]) -> String {
    http(
        "400 Bad Request",
        "Content-Type: application/json\r\nX-Amzn-Errortype: ValidationException\r\n",
        r#"{"exceptionMessage":"1 validation error detected: nope"}"#,
    )
}

fn lax() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| fake_server(lax_answer))
}

fn run_against(url: &str, extra: &[&str]) -> Output {
    let mut args = vec!["run", "--endpoint", url, "--stage-arn", ARN];
    args.extend_from_slice(extra);
    bin(&args)
}

fn a_server_that_validates_nothing_gets_its_report() -> Check {
    let out = run_against(lax(), &["--format", "json"]);
    ensure(out.status.code() == Some(1), || {
        format!("exit {:?}: {}", out.status, text(&out))
    })?;
    let report: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    let failed: Vec<&str> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] == "fail")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    // Every request it must refuse is a failure: at least the range cases of duration.
    ensure(failed.len() > 50, || {
        format!("{} failures: {failed:?}", failed.len())
    })?;
    ensure(failed.iter().any(|id| id.contains("duration")), || {
        format!("{failed:?}")
    })?;
    ensure(report["passed"].as_u64().unwrap_or(0) > 0, || {
        "nothing passed".into()
    })?;
    Ok(Completion::Completed)
}

fn misconfigurations_are_one_message_and_exit_2() -> Check {
    let html = fake_server(|_| http("200 OK", "Content-Type: text/html\r\n", "<html>hi</html>"));
    let bare404 = fake_server(|_| http("404 Not Found", "", ""));
    let other_stage = ivs_reference_server::spawn(ivs_reference_server::ServerConfig {
        stages: vec!["arn:aws:ivs:us-west-2:123456789012:stage/other".into()],
        ..Default::default()
    })
    .unwrap();
    let signing = ivs_reference_server::spawn(ivs_reference_server::ServerConfig {
        access_keys: Some(vec!["AKID:secret".parse().unwrap()]),
        ..Default::default()
    })
    .unwrap();
    let checks: Vec<(Vec<String>, &str)> = vec![
        (vec!["127.0.0.1:9".into()], "has no scheme"),
        (vec!["http://127.0.0.1:9".into()], "cannot reach the server"),
        (vec![html], "does not answer in the service's protocol"),
        (vec![bare404], "does not answer in the service's protocol"),
        (
            vec![other_stage.url().to_owned()],
            "--stage-arn arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234 is not a stage of",
        ),
        (vec![signing.url().to_owned()], "wants SigV4 signatures"),
    ];
    for (endpoint, says) in checks {
        let out = run_against(&endpoint[0], &[]);
        let all = text(&out);
        ensure(out.status.code() == Some(2), || {
            format!("{endpoint:?}: {all}")
        })?;
        ensure(all.contains(says), || format!("{endpoint:?}: {all}"))?;
        ensure(all.lines().count() == 1, || {
            format!("{endpoint:?}: more than one line: {all}")
        })?;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_ivs-conformance"))
        .args([
            "run",
            "--endpoint",
            signing.url(),
            "--stage-arn",
            ARN,
            "--sign",
        ])
        .env("AWS_ACCESS_KEY_ID", "AKID")
        .env("AWS_SECRET_ACCESS_KEY", "wrong")
        .output()
        .unwrap();
    ensure(out.status.code() == Some(2), || text(&out))?;
    ensure(
        text(&out).contains("refused the signature (InvalidSignatureException"),
        || text(&out),
    )?;
    Ok(Completion::Completed)
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

fn expected_failures_keep_ci_green_and_go_stale() -> Check {
    let dir = scratch();
    let file = dir.join("expected.txt");
    let f = file.to_str().unwrap();
    // 1. Write the list from a run against the lax server.
    let out = run_against(lax(), &["--write-expected-failures", f]);
    ensure(out.status.code() == Some(1), || text(&out))?;
    let written = std::fs::read_to_string(&file).unwrap();
    let ids: Vec<&str> = written
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    ensure(ids.len() > 50, || written.clone())?;
    ensure(ids.windows(2).all(|w| w[0] < w[1]), || "not sorted".into())?;
    ensure(written.contains("  # "), || "no reasons as notes".into())?;
    // 2. Run again with it: exactly those fail, so it passes, and says so in each format.
    let out = run_against(lax(), &["--expected-failures", f]);
    ensure(out.status.code() == Some(0), || text(&out))?;
    ensure(
        text(&out).contains(&format!("{} failed as expected", ids.len())),
        || text(&out),
    )?;
    let json = dir.join("run.json");
    let junit = dir.join("run.xml");
    let out = run_against(
        lax(),
        &[
            "--expected-failures",
            f,
            "--report",
            &format!("json={}", json.display()),
            "--report",
            &format!("junit={}", junit.display()),
        ],
    );
    ensure(out.status.code() == Some(0), || text(&out))?;
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    ensure(report["expectedFailures"] == ids.len(), || {
        report.to_string()
    })?;
    ensure(
        report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["outcome"] == "expected"),
        || "no expected outcome".into(),
    )?;
    let xml = std::fs::read_to_string(&junit).unwrap();
    ensure(
        xml.contains("<skipped message=\"expected failure: "),
        || xml.clone(),
    )?;
    // 3. Remove a line: that case fails the run, named.
    let removed = ids[0];
    let without: String = written
        .lines()
        .filter(|l| l.split_whitespace().next() != Some(removed))
        .map(|l| format!("{l}\n"))
        .collect();
    write(&file, &without);
    let out = run_against(lax(), &["--expected-failures", f]);
    ensure(out.status.code() == Some(1), || text(&out))?;
    ensure(text(&out).contains(&format!("FAIL    {removed}")), || {
        text(&out)
    })?;
    // 4. Add a case that passes: stale.
    let passing = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["outcome"] == "pass")
        .and_then(|c| c["id"].as_str())
        .unwrap()
        .to_owned();
    write(&file, &format!("{written}{passing}  # listed by mistake\n"));
    let out = run_against(lax(), &["--expected-failures", f]);
    ensure(out.status.code() == Some(1), || text(&out))?;
    ensure(text(&out).contains(&format!("STALE   {passing}")), || {
        text(&out)
    })?;
    ensure(text(&out).contains("remove it from"), || text(&out))?;
    // 5. Filter the stale case out: a listed case not selected is neither.
    let first_failing = ids[0];
    let out = run_against(
        lax(),
        &["--expected-failures", f, "--filter", first_failing],
    );
    ensure(out.status.code() == Some(0), || text(&out))?;
    // 6. An id no case has: exit 2, named, before anything runs.
    write(&file, &format!("{written}no.such.case\n"));
    let out = run_against(lax(), &["--expected-failures", f]);
    ensure(out.status.code() == Some(2), || text(&out))?;
    ensure(text(&out).contains("\"no.such.case\""), || text(&out))?;
    // 7. CRLF line ends and a byte-order mark: read as the same list.
    let crlf = format!("\u{feff}{}", written.replace('\n', "\r\n"));
    write(&file, &crlf);
    let out = run_against(lax(), &["--expected-failures", f]);
    ensure(out.status.code() == Some(0), || text(&out))?;
    // 8. A line whose id is not an id (`: note`): named as unknown, exit 2.
    write(&file, &format!("{written}: a note with no id\n"));
    let out = run_against(lax(), &["--expected-failures", f]);
    ensure(out.status.code() == Some(2), || text(&out))?;
    ensure(text(&out).contains("\":\""), || text(&out))?;
    Ok(Completion::Completed)
}

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// The DOM Chromium renders for `file` (scripts run), and the URLs of its network log.
fn render(browser: &Path, file: &Path, fragment: &str) -> Result<(String, String), Failed> {
    let profile = scratch().join(format!("chromium-profile-{}", fragment.len()));
    let netlog = scratch().join(format!("netlog-{}.json", fragment.len()));
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}{fragment}", file.display()))
        .output()
        .map_err(|e| format!("chromium does not run: {e}"))?;
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    if dom.is_empty() {
        return Err(format!("no DOM: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let log = std::fs::read_to_string(&netlog).unwrap_or_default();
    Ok((dom, log))
}

/// The URLs of the requests in a Chromium network log that a page started: every
/// request with a method and a URL other than the file's, but the browser's own (whose
/// initiator is "not an origin").
fn page_requests(netlog: &str) -> Vec<String> {
    // A log cut short by the browser's exit lacks its closing brackets.
    let doc: Value = serde_json::from_str(netlog)
        .or_else(|_| {
            serde_json::from_str(&format!("{}]}}", netlog.trim_end().trim_end_matches(',')))
        })
        .unwrap_or(Value::Null);
    doc["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let p = &e["params"];
            let url = p["url"].as_str()?;
            p.get("method")?;
            let browsers_own = p["initiator"] == "not an origin";
            (!url.starts_with("file:") && !browsers_own).then(|| url.to_owned())
        })
        .collect()
}

fn the_html_report_renders_in_a_browser_and_loads_nothing() -> Check {
    let dir = scratch();
    let reference = dir.join("reference.html");
    let faulty = dir.join("lax.html");
    let out = bin(&["run", "--report", &format!("html={}", reference.display())]);
    ensure(out.status.code() == Some(0), || text(&out))?;
    let out = run_against(lax(), &["--format", "html"]);
    ensure(out.status.code() == Some(1), || text(&out))?;
    std::fs::write(&faulty, &out.stdout).unwrap();
    let page = String::from_utf8_lossy(&out.stdout).into_owned();
    // Self-contained: no external script, style, font or image, a policy that forbids
    // them, and small.
    for file in [&reference, &faulty] {
        let size = std::fs::metadata(file).unwrap().len();
        // About 1 KiB a case (294 cases), a failing one's exchange included.
        ensure(size < 400 * 1024, || {
            format!("{}: {size} bytes", file.display())
        })?;
    }
    ensure(
        page.contains("Content-Security-Policy\" content=\"default-src 'none'"),
        || "no CSP".into(),
    )?;
    for attr in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "href=\"//",
        "@import",
        "url(",
    ] {
        ensure(!page.contains(attr), || {
            format!("the page refers to {attr}")
        })?;
    }
    ensure(
        page.contains("ivs-conformance 0.1.0, API 2020-07-14"),
        || "no suite".into(),
    )?;
    let Some(browser) = chromium() else {
        if std::env::var_os("CI").is_some() {
            return Err("CI must install Chromium (apt-get install chromium; .ci/run does)".into());
        }
        return Ok(Completion::ignored_with(
            "the browser half needs Chromium (apt-get install chromium)",
        ));
    };
    let report: Value =
        serde_json::from_slice(&run_against(lax(), &["--format", "json"]).stdout).unwrap();
    let failing: Vec<&str> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] == "fail")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let (dom, netlog) = render(&browser, &faulty, "#outcome=fail")?;
    // The counts and the failing ids are in the rendered DOM; the filter from the
    // fragment ran, so the passing rows are hidden and the count of shown rows is set.
    ensure(dom.contains("id=\"count-all-fail\">"), || {
        dom[..dom.len().min(2000)].to_owned()
    })?;
    for id in failing.iter().take(20) {
        ensure(dom.contains(&format!("id=\"case-{id}\"")), || {
            format!("{id} not in the DOM")
        })?;
    }
    let rows_of = |outcome: &str| {
        dom.match_indices(&format!("data-outcomes=\"{outcome}\""))
            .map(|(i, _)| {
                let start = dom[..i].rfind("<tr").unwrap();
                let end = i + dom[i..].find('>').unwrap();
                dom[start..end].to_owned()
            })
            .collect::<Vec<_>>()
    };
    let passing = rows_of("pass");
    ensure(!passing.is_empty(), || "no passing row".into())?;
    ensure(passing.iter().all(|row| row.contains("hidden")), || {
        format!("{:?}", &passing[..1])
    })?;
    ensure(
        rows_of("fail").iter().all(|row| !row.contains("hidden")),
        || "a failing row is hidden".into(),
    )?;
    let shown = format!(
        "{} of {} cases shown",
        failing.len(),
        report["cases"].as_array().unwrap().len()
    );
    ensure(dom.contains(&shown), || format!("no {shown:?} in the DOM"))?;
    // No request left the page: it counts no resource it loaded (Resource Timing), and
    // the browser's network log holds no request the page started (the browser's own
    // background requests carry no origin: "initiator": "not an origin").
    ensure(dom.contains("data-resources=\"0\""), || {
        "the page loaded resources".into()
    })?;
    let from_page = page_requests(&netlog);
    ensure(from_page.is_empty(), || {
        format!("the page requested {from_page:?}")
    })?;
    ensure(netlog.contains("\"events\""), || "no network log".into())?;
    // Unfiltered, nothing is hidden.
    let (dom, _) = render(&browser, &reference, "")?;
    let hidden = dom
        .lines()
        .filter(|l| l.contains("<tr class=\"case") && l.contains("hidden"))
        .count();
    ensure(hidden == 0, || {
        format!("{hidden} rows hidden without a filter")
    })?;
    ensure(dom.contains(" cases shown"), || {
        "the script did not run".into()
    })?;
    Ok(Completion::Completed)
}

fn the_matrix_and_the_badge_say_what_each_run_did() -> Check {
    let dir = scratch();
    let refusing = fake_server(refusing_answer);
    let runs = [
        ("reference.json", bin(&["run", "--format", "json"])),
        ("lax.json", run_against(lax(), &["--format", "json"])),
        (
            "refusing.json",
            run_against(&refusing, &["--format", "json"]),
        ),
    ];
    let mut files = Vec::new();
    let mut reports = Vec::new();
    for (name, out) in &runs {
        let path = dir.join(name);
        std::fs::write(&path, &out.stdout).unwrap();
        reports.push(
            serde_json::from_slice::<Value>(&out.stdout).map_err(|e| format!("{name}: {e}"))?,
        );
        files.push(path.display().to_string());
    }
    let mut args = vec!["report"];
    args.extend(files.iter().map(String::as_str));
    let out = bin(&args);
    ensure(out.status.code() == Some(0), || text(&out))?;
    let page = String::from_utf8_lossy(&out.stdout).into_owned();
    for i in 0..3 {
        ensure(page.contains(&format!("id=\"run-{i}\"")), || {
            format!("no column {i}")
        })?;
    }
    ensure(!page.contains("id=\"run-3\""), || "a fourth column".into())?;
    ensure(!page.contains("suite-warning"), || {
        "a warning for one suite".into()
    })?;
    // A sample of cells: each run's outcome of a case, in its column.
    let label = |o: &str| match o {
        "pass" => "pass",
        "fail" => "FAIL",
        "skip" => "skip",
        "expected" => "XFAIL",
        _ => "STALE",
    };
    let cases = reports[0]["cases"].as_array().unwrap();
    for case in cases.iter().step_by(17) {
        let id = case["id"].as_str().unwrap();
        let start = page
            .find(&format!("id=\"case-{id}\""))
            .ok_or_else(|| format!("no row for {id}"))?;
        let row = &page[start..start + page[start..].find("</tr>").unwrap()];
        for (i, report) in reports.iter().enumerate() {
            let case = report["cases"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == id)
                .unwrap();
            let outcome = case["outcome"].as_str().unwrap();
            // The cell: its label, then its first reason, when it has one.
            let cell = match case["reasons"][0].as_str() {
                None => format!("data-run=\"{i}\">{}</td>", label(outcome)),
                Some(_) => format!(
                    "data-run=\"{i}\">{}<br><small class=\"reason\">",
                    label(outcome)
                ),
            };
            ensure(row.contains(&cell), || format!("{id}: {cell} not in {row}"))?;
        }
    }
    // Reports of different suites may be compared, with a warning.
    let mut other = reports[1].clone();
    other["suite"]["digest"] = "sha256:0000".into();
    let other_path = dir.join("other-suite.json");
    std::fs::write(&other_path, other.to_string()).unwrap();
    let out = bin(&["report", &files[0], other_path.to_str().unwrap()]);
    ensure(out.status.code() == Some(0), || text(&out))?;
    ensure(
        String::from_utf8_lossy(&out.stdout).contains("suite-warning"),
        || "no warning".into(),
    )?;
    // The badge: shields.io's members only (it refuses others), the run's counts, a
    // colour by them, a label of at most 24 characters.
    for (file, colour) in [(&files[0], "brightgreen"), (&files[1], "red")] {
        let out = bin(&["report", "--badge", file]);
        ensure(out.status.code() == Some(0), || text(&out))?;
        let badge: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
        let keys: Vec<&str> = badge
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        ensure(
            keys == ["color", "label", "message", "schemaVersion"],
            || format!("{keys:?}"),
        )?;
        ensure(badge["schemaVersion"] == 1, || badge.to_string())?;
        let report: Value =
            serde_json::from_slice(&std::fs::read(file).unwrap()).map_err(|e| e.to_string())?;
        let run = ["passed", "failed", "expectedFailures"]
            .map(|k| report[k].as_u64().unwrap())
            .iter()
            .sum::<u64>();
        ensure(
            badge["message"] == format!("{}/{run} passed", report["passed"]),
            || badge.to_string(),
        )?;
        ensure(badge["color"] == colour, || badge.to_string())?;
        ensure(
            badge["label"].as_str().unwrap().chars().count() <= 24,
            || badge.to_string(),
        )?;
    }
    let out = bin(&["run", "--format", "badge"]);
    let badge: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    ensure(badge["color"] == "brightgreen", || badge.to_string())?;
    Ok(Completion::Completed)
}

fn bad_report_input_is_a_clear_error() -> Check {
    let dir = scratch();
    let not_json = dir.join("not.json");
    std::fs::write(&not_json, "<html>").unwrap();
    let not_report = dir.join("not-report.json");
    std::fs::write(&not_report, r#"{"hello": 1}"#).unwrap();
    for (file, says) in [
        (not_json.to_str().unwrap(), "not a JSON report"),
        (not_report.to_str().unwrap(), "missing field"),
        ("/no/such/file.json", "cannot read /no/such/file.json"),
    ] {
        let out = bin(&["report", file]);
        ensure(out.status.code() == Some(2), || text(&out))?;
        ensure(text(&out).contains(says), || text(&out))?;
    }
    let reference = dir.join("reference-for-badge.json");
    std::fs::write(&reference, bin(&["run", "--format", "json"]).stdout).unwrap();
    let r = reference.to_str().unwrap();
    let out = bin(&["report", "--badge", r, r]);
    ensure(out.status.code() == Some(2), || text(&out))?;
    ensure(text(&out).contains("--badge takes one report"), || {
        text(&out)
    })?;
    let out = bin(&["run", "--report", "pdf=x.pdf"]);
    ensure(out.status.code() == Some(2), || text(&out))?;
    let out = bin(&["run", "--report", "html=/no/such/dir/r.html"]);
    ensure(out.status.code() == Some(2), || text(&out))?;
    ensure(
        text(&out).contains("cannot write /no/such/dir/r.html"),
        || text(&out),
    )?;
    Ok(Completion::Completed)
}

fn every_report_names_its_suite() -> Check {
    let version = text(&bin(&["--version"]));
    ensure(version.contains("API 2020-07-14"), || version.clone())?;
    let digest = version
        .split("suite ")
        .nth(1)
        .map(|s| s.trim().trim_end_matches(')').to_owned())
        .unwrap_or_default();
    ensure(digest.starts_with("sha256:") && digest.len() == 71, || {
        version.clone()
    })?;
    let human = text(&bin(&["run"]));
    ensure(human.contains(&digest[7..19]), || human.clone())?;
    let json: Value = serde_json::from_slice(&bin(&["run", "--format", "json"]).stdout).unwrap();
    ensure(json["suite"]["digest"] == digest.as_str(), || {
        json["suite"].to_string()
    })?;
    ensure(json["suite"]["cases"].as_u64() > Some(200), || {
        json["suite"].to_string()
    })?;
    let junit = String::from_utf8_lossy(&bin(&["run", "--format", "junit"]).stdout).into_owned();
    ensure(junit.contains(&format!("value=\"{digest}\"")), || {
        junit.clone()
    })?;
    // Another directory of cases is another suite.
    let dir = scratch().join("cases");
    std::fs::create_dir_all(&dir).unwrap();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cases");
    let first = std::fs::read_dir(&src)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::copy(&first, dir.join(first.file_name().unwrap())).unwrap();
    let out = bin(&[
        "run",
        "--offline",
        "--format",
        "json",
        "--cases",
        dir.to_str().unwrap(),
    ]);
    let json: Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("{e}: {}", text(&out)))?;
    ensure(json["suite"]["digest"] != digest.as_str(), || {
        "the same digest".into()
    })?;
    Ok(Completion::Completed)
}

/// A page whose escaping failed would still run no script: a `<script>` and an
/// `onerror` handler written into a matrix page by hand (as a missed escape would write
/// them) do not run in Chromium, while the page's own script does.
fn an_injected_script_does_not_run_in_a_browser() -> Check {
    let Some(browser) = chromium() else {
        if std::env::var_os("CI").is_some() {
            return Err("CI must install Chromium (apt-get install chromium; .ci/run does)".into());
        }
        return Ok(Completion::ignored_with(
            "the browser test needs Chromium (apt-get install chromium)",
        ));
    };
    let dir = scratch();
    let run = dir.join("injected-run.json");
    std::fs::write(&run, bin(&["run", "--offline", "--format", "json"]).stdout).unwrap();
    let out = bin(&["report", run.to_str().unwrap()]);
    ensure(out.status.code() == Some(0), || text(&out))?;
    let page = String::from_utf8_lossy(&out.stdout).replacen(
        "<body>",
        "<body><script>document.title='owned'</script>\
         <img src=\"data:,x\" onerror=\"document.title='owned by a handler'\">",
        1,
    );
    let file = dir.join("injected.html");
    std::fs::write(&file, page).unwrap();
    let (dom, _) = render(&browser, &file, "")?;
    // The injected elements are in the DOM; what they would have done is not.
    ensure(!dom.contains("<title>owned"), || {
        dom[..dom.len().min(1500)].to_owned()
    })?;
    ensure(
        dom.contains("<title>ivs-conformance: implementations compared</title>"),
        || dom[..dom.len().min(1500)].to_owned(),
    )?;
    ensure(dom.contains(" cases shown"), || {
        "the page's own script did not run".into()
    })?;
    Ok(Completion::Completed)
}

/// This module's tests.
pub fn trials() -> Vec<Trial> {
    vec![
        Trial::ignorable_test(
            "reports::an_injected_script_does_not_run_in_a_browser",
            an_injected_script_does_not_run_in_a_browser,
        ),
        Trial::ignorable_test(
            "reports::a_server_that_validates_nothing_gets_its_report",
            a_server_that_validates_nothing_gets_its_report,
        ),
        Trial::ignorable_test(
            "reports::misconfigurations_are_one_message_and_exit_2",
            misconfigurations_are_one_message_and_exit_2,
        ),
        Trial::ignorable_test(
            "reports::expected_failures_keep_ci_green_and_go_stale",
            expected_failures_keep_ci_green_and_go_stale,
        ),
        Trial::ignorable_test(
            "reports::the_html_report_renders_in_a_browser_and_loads_nothing",
            the_html_report_renders_in_a_browser_and_loads_nothing,
        ),
        Trial::ignorable_test(
            "reports::the_matrix_and_the_badge_say_what_each_run_did",
            the_matrix_and_the_badge_say_what_each_run_did,
        ),
        Trial::ignorable_test(
            "reports::bad_report_input_is_a_clear_error",
            bad_report_input_is_a_clear_error,
        ),
        Trial::ignorable_test(
            "reports::every_report_names_its_suite",
            every_report_names_its_suite,
        ),
    ]
}
