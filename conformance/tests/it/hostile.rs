//! The CLI under hostile input, answers and settings: a body that once took
//! the server to 6 GB, a server's 200 that once took the runner to 1.5 GB, a log reader
//! that never reads, a redirect that would carry a signed request elsewhere, settings
//! that cannot work, and settings that hold a secret. Each runs the real binary, and
//! where memory is the point, measures its peak resident set.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

/// The peak resident set the server may reach judging an 800 KB body of 200,000 bad
/// items (one at a time here).
const PEAK_RSS_LIMIT_KIB: u64 = 160 * 1024;

/// The peak resident set the runner may reach reading 800 KB answers of 200,000 bad
/// capabilities, 8 in flight (`run`'s default concurrency): about 20 MB each while it is
/// judged, nothing kept after but a bounded detail.
const RUNNER_PEAK_RSS_LIMIT_KIB: u64 = 256 * 1024;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ivs-conformance"))
}

/// Runs the binary to its end, killed after two minutes (a `serve` that should have
/// refused its settings would otherwise run forever).
pub(crate) fn output(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Output {
    let mut cmd = bin();
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

pub(crate) fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A process's peak resident set so far, from `/proc` (Linux).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

/// A running `serve`: its URL, and its stdout kept open (never read past `Ready.`).
struct Served {
    child: Child,
    url: String,
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve` on a free port with stderr piped and never read, as test fixtures
/// often start it; stdout is read up to `Ready.` and then left unread.
fn serve(args: &[&str]) -> Served {
    let mut child = bin()
        .args(["serve", "--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = None;
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "serve ended early"
        );
        if let Some(u) = line.trim().strip_prefix("listening on ") {
            url = Some(u.to_owned());
        }
        if line.trim() == "Ready." {
            break;
        }
    }
    Served {
        child,
        url: url.expect("a listening line"),
        _stdout: stdout,
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn post(agent: &ureq::Agent, url: &str, body: &str) -> (u16, String) {
    let mut r = agent
        .post(format!("{url}/CreateParticipantToken"))
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

fn bad_capabilities(n: usize) -> String {
    format!(
        r#"{{"stageArn":"{ARN}","capabilities":[{}]}}"#,
        vec![r#""x""#; n].join(",")
    )
}

#[test]
fn the_server_answers_200000_unknown_capabilities_in_bounded_memory() {
    let s = serve(&[]);
    let body = bad_capabilities(200_000);
    assert!(body.len() > 800_000 && body.len() < 1024 * 1024);
    let started = Instant::now();
    let (status, answer) = post(&agent(), &s.url, &body);
    let took = started.elapsed();
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("ValidationException") || answer.contains("exceptionMessage"));
    assert!(answer.len() < 4096, "{} bytes of answer", answer.len());
    assert!(took < Duration::from_secs(20), "answered in {took:?}");
    let peak = peak_rss_kib(s.child.id());
    assert!(
        peak < PEAK_RSS_LIMIT_KIB,
        "the server's peak resident set reached {peak} KiB"
    );
}

/// A server that answers every request with `answer` (a whole HTTP response), closing
/// each connection; counts the connections it took.
pub(crate) fn fake_server(answer: String) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let taken = Arc::new(AtomicUsize::new(0));
    let count = taken.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            count.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            std::thread::spawn(move || {
                let _ = read_request(&mut stream);
                let _ = stream.write_all(answer.as_bytes());
            });
        }
    });
    (url, taken)
}

/// Reads one request's head and its Content-Length of body.
fn read_request(stream: &mut TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream);
    let mut length = 0usize;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)
}

pub(crate) fn http_answer(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\nx-amzn-RequestId: r\r\n\r\n{body}",
        body.len()
    )
}

/// Runs `args` and reports its children's peak resident set, for [`run_measured`].
const MEASURE: &str = "import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write('\\nIVS-PEAK-KIB=%d\\n' % peak)
sys.exit(code if code >= 0 else 128 - code)";

/// Runs the binary with `args` to its end; answers its exit code, its output and its
/// peak resident set in KiB.
///
/// The peak is read by a small Python parent from `RUSAGE_CHILDREN`: a process's peak
/// counts the memory of the process it was spawned from (Linux carries the spawner's
/// high-water mark across `exec`), so the binary is spawned from Python's few MB rather
/// than from this test process, whose other tests hold hundreds.
pub(crate) fn run_measured(args: &[&str], env: &[(&str, &str)]) -> (i32, String, u64) {
    let mut cmd = Command::new("python3");
    cmd.args(["-c", MEASURE, env!("CARGO_BIN_EXE_ivs-conformance")])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let (stderr, peak) = stderr
        .rsplit_once("\nIVS-PEAK-KIB=")
        .expect("the peak line");
    let peak = peak.trim().parse().expect("a number of KiB");
    let text = format!("{}{stderr}", String::from_utf8_lossy(&out.stdout));
    (out.status.code().unwrap_or(-1), text, peak)
}

#[test]
fn the_runner_reads_a_200_with_thousands_of_bad_capabilities_in_bounded_memory() {
    let capabilities = vec![r#""ADMIN""#; 200_000].join(",");
    let body = format!(
        r#"{{"participantToken":{{"participantId":"p","token":"t","expirationTime":"2026-11-24T07:04:31Z","capabilities":[{capabilities}]}}}}"#
    );
    let (url, _) = fake_server(http_answer(
        "200 OK",
        "Content-Type: application/json\r\n",
        &body,
    ));
    let started = Instant::now();
    let (code, out, peak) = run_measured(
        &[
            "run",
            "--endpoint",
            &url,
            "--stage-arn",
            ARN,
            "--format",
            "json",
        ],
        &[],
    );
    assert!(code == 1 || code == 2, "exit {code}: {out}");
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "{:?}",
        started.elapsed()
    );
    assert!(
        peak < RUNNER_PEAK_RSS_LIMIT_KIB,
        "the runner's peak resident set reached {peak} KiB"
    );
}

#[test]
fn a_server_whose_logs_nobody_reads_still_answers() {
    let s = serve(&[]);
    let agent = agent();
    // Each request is a log line; 5,000 of them are far more than a pipe holds.
    for i in 0..5_000 {
        let (status, body) = post(&agent, &s.url, r#"{"duration":0}"#);
        assert_eq!(status, 400, "request {i}: {body}");
    }
    let (status, body) = post(&agent, &s.url, &format!(r#"{{"stageArn":"{ARN}"}}"#));
    assert_eq!(status, 200, "{body}");
    // And it still stops promptly on SIGTERM, its log unread.
    let mut s = s;
    let pid = s.child.id() as libc::pid_t;
    // SAFETY: sending a signal to our own child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let started = Instant::now();
    loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_redirect_is_the_targets_answer_and_nothing_signed_goes_elsewhere() {
    let (elsewhere, reached) = fake_server(http_answer("200 OK", "", "{}"));
    let (url, asked) = fake_server(http_answer(
        "302 Found",
        &format!("Location: {elsewhere}/CreateParticipantToken\r\n"),
        "",
    ));
    let creds = [
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_SESSION_TOKEN", "session"),
    ];
    let run = output(
        &["run", "--endpoint", &url, "--stage-arn", ARN, "--sign"],
        &creds,
        b"",
    );
    assert_ne!(run.status.code(), Some(0), "{}", text(&run));
    let fuzz = output(
        &[
            "fuzz-server",
            "--endpoint",
            &url,
            "--stage-arn",
            ARN,
            "--sign",
            "--requests",
            "5",
        ],
        &creds,
        b"",
    );
    assert_ne!(fuzz.status.code(), Some(0), "{}", text(&fuzz));
    assert!(asked.load(Ordering::SeqCst) > 0, "the target was asked");
    assert_eq!(
        reached.load(Ordering::SeqCst),
        0,
        "a request followed the redirect"
    );
    // The library's transport, directly: the 302 comes back as the answer.
    let transport = ivs_conformance::target::transport::Transport::new(Duration::from_secs(5));
    let endpoint = ivs_conformance::target::transport::Endpoint {
        url: url.clone(),
        signer: Some(ivs_conformance::auth::Signer::new(
            "AKIDEXAMPLE",
            "secret",
            "us-west-2",
        )),
    };
    let request = ivs_conformance::target::SendRequest {
        operation: ivs_conformance::case::Operation::CreateParticipantToken,
        method: "POST".into(),
        path: "/CreateParticipantToken".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: b"{}".to_vec(),
    };
    let answer = transport.exchange(&endpoint, &request).unwrap();
    assert_eq!(answer.status, 302);
    assert_eq!(reached.load(Ordering::SeqCst), 0);
}

pub(crate) fn serve_refused(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = output(&[&["serve", "--port", "0"], args].concat(), env, b"");
    let all = text(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(!all.contains("Ready."), "{all}");
    all
}

pub(crate) fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ivs-hostile-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn settings_that_cannot_work_are_refused_naming_them() {
    let file = temp_file("kid.toml", "kid = \"not-an-arn\"\n");
    let all = serve_refused(&["--config", file.to_str().unwrap()], &[]);
    assert!(
        all.contains("kid: \"not-an-arn\" is not a public-key ARN"),
        "{all}"
    );
    let all = serve_refused(&["--max-connections", "18446744073709551615"], &[]);
    assert!(all.contains("--max-connections"), "{all}");
    let all = serve_refused(&["--shutdown-grace=1e20"], &[]);
    assert!(
        all.contains("longer than the longest allowed, 3600 s"),
        "{all}"
    );
    let all = serve_refused(&["--write-timeout", "0"], &[]);
    assert!(all.contains("--write-timeout: must be positive"), "{all}");
    let file = temp_file("grace.toml", "shutdown_grace_seconds = 1e20\n");
    let all = serve_refused(&["--config", file.to_str().unwrap()], &[]);
    assert!(
        all.contains("shutdown_grace_seconds: 1e20 s is longer"),
        "{all}"
    );
    // The runner's wait.
    let out = output(&["run", "--timeout", "0"], &[], b"");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--timeout"), "{}", text(&out));
}

#[test]
fn no_message_prints_a_secret() {
    let secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY";
    let all = serve_refused(&[], &[("IVS_SERVE_ACCESS_KEYS", &format!("AKID;{secret}"))]);
    assert!(all.contains("--access-key"), "{all}");
    assert!(!all.contains(secret), "{all}");
    let all = serve_refused(&["--access-key", &format!("AKID{secret}")], &[]);
    assert!(!all.contains(secret), "{all}");
    // A TOML syntax error on the secret's line: the line is not shown.
    let file = temp_file(
        "secret.toml",
        &format!("[[access_keys]]\naccess_key_id = \"AKID\"\nsecret_access_key = \"{secret}\n"),
    );
    let all = serve_refused(&["--config", file.to_str().unwrap()], &[]);
    assert!(all.contains("line 3"), "{all}");
    assert!(!all.contains(secret), "{all}");
    // A secret given as a number is quoted by TOML's type error: not shown either.
    let file = temp_file(
        "number.toml",
        "[[access_keys]]\naccess_key_id = \"AKID\"\nsecret_access_key = 123456789\n",
    );
    let all = serve_refused(&["--config", file.to_str().unwrap()], &[]);
    assert!(!all.contains("123456789"), "{all}");
}

#[test]
fn validate_reads_at_most_the_body_limit() {
    let limit = ivs_participant_token::constraints::MAX_BODY_BYTES;
    let big = vec![b' '; limit + 1];
    let out = output(&["validate"], &[], &big);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("more than {limit} bytes")),
        "{}",
        text(&out)
    );
    let file = temp_file("big.json", &" ".repeat(limit + 1));
    let out = output(&["validate", file.to_str().unwrap()], &[], b"");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    // At the limit exactly, the body is judged.
    let mut body = format!(r#"{{"stageArn":"{ARN}"}}"#).into_bytes();
    body.resize(limit, b' ');
    let out = output(&["validate"], &[], &body);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}
