//! What judging a body costs grows with the body, never faster: the peak of heap bytes
//! live while a body is read, validated and its verdict rendered (JSON, human text and
//! the live-AWS message) stays under a fixed multiple of the body's size, and a body
//! eight times larger takes at most a bounded multiple of the time. The bodies are the
//! shapes that once cost the square of their size (thousands of unknown capabilities,
//! each of whose violations held the whole list) and the other ways to make a report
//! large: repeated capabilities, unknown members, attributes, long strings.
//!
//! A counting global allocator measures the heap (this test executable's, `alloc.rs`; the
//! core itself has no unsafe code).

use crate::alloc::{live_bytes, peak_bytes, reset_peak};
use std::time::{Duration, Instant};

use ivs_participant_token::MAX_LISTED;
use ivs_participant_token::{CreateStageResponseVerdict, CreateStageVerdict, Verdict};

/// Heap bytes a judgement may hold at its peak per byte of body, over a fixed allowance.
/// The value read is the largest part: an unknown capability of one character (`"x",`,
/// 4 bytes) becomes a 24-byte `Capability` in a `Vec` that doubles as it grows, plus its
/// string's allocation.
const BYTES_PER_BODY_BYTE: usize = 40;
const ALLOWANCE: usize = 256 * 1024;

/// Which body a shape makes: a request or a response, of CreateParticipantToken or
/// CreateStage.
#[derive(Clone, Copy)]
enum Body {
    Request,
    Response,
    StageRequest,
    StageResponse,
}

/// Everything a consumer does with a verdict: the server's message, the CLI's JSON and
/// human form.
fn judge(body: &[u8], kind: Body) -> usize {
    fn render<T, V>(v: &ivs_participant_token::Verdict<T, V>) -> usize
    where
        ivs_participant_token::Verdict<T, V>: serde::Serialize + std::fmt::Display,
    {
        serde_json::to_string(v).unwrap().len() + v.to_string().len() + v.message().len()
    }
    match kind {
        Body::Request => render(&Verdict::request(body)),
        Body::Response => render(&Verdict::response(body)),
        Body::StageRequest => render(&CreateStageVerdict::create_stage_request(body)),
        Body::StageResponse => render(&CreateStageResponseVerdict::create_stage_response(body)),
    }
}

/// The peak of live heap bytes while `body` is judged, and the rendered size.
fn peak_during(body: &[u8], response: Body) -> (usize, usize) {
    let base = live_bytes();
    reset_peak();
    let rendered = judge(body, response);
    (peak_bytes() - base, rendered)
}

fn timed(body: &[u8], response: Body) -> Duration {
    let t = Instant::now();
    std::hint::black_box(judge(body, response));
    t.elapsed()
}

/// The fastest of seven runs of each body, the two taken in turn: load from elsewhere
/// (the other tests, a build beside them) only ever slows a run, and in turn it slows
/// both sides alike.
fn fastest_in_turn(small: &[u8], large: &[u8], response: Body) -> (Duration, Duration) {
    let (mut a, mut b) = (Duration::MAX, Duration::MAX);
    for _ in 0..7 {
        a = a.min(timed(small, response));
        b = b.min(timed(large, response));
    }
    (a, b)
}

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

/// A request or response body whose costly part repeats `n` times.
type Shape = (&'static str, Body, fn(usize) -> String);

fn shapes() -> Vec<Shape> {
    fn list(item: &str, n: usize) -> String {
        vec![item; n].join(",")
    }
    vec![
        ("unknown capabilities", Body::Request, |n| {
            format!(
                r#"{{"stageArn":"{ARN}","capabilities":[{}]}}"#,
                list(r#""x""#, n)
            )
        }),
        ("empty-string capabilities", Body::Request, |n| {
            format!(
                r#"{{"stageArn":"{ARN}","capabilities":[{}]}}"#,
                list(r#""""#, n)
            )
        }),
        ("repeated capabilities", Body::Request, |n| {
            format!(
                r#"{{"stageArn":"{ARN}","capabilities":[{}]}}"#,
                list(r#""PUBLISH""#, n)
            )
        }),
        ("unknown members", Body::Request, |n| {
            let members: Vec<String> = (0..n).map(|i| format!(r#""m{i}":0"#)).collect();
            format!(r#"{{"stageArn":"{ARN}",{}}}"#, members.join(","))
        }),
        ("attributes", Body::Request, |n| {
            let pairs: Vec<String> = (0..n).map(|i| format!(r#""k{i}":"v""#)).collect();
            format!(
                r#"{{"stageArn":"{ARN}","attributes":{{{}}}}}"#,
                pairs.join(",")
            )
        }),
        ("a long userId and stage ARN", Body::Request, |n| {
            let long = "é".repeat(n);
            format!(r#"{{"stageArn":"{ARN}{long}","userId":"{long}"}}"#)
        }),
        ("a long unknown member name", Body::Request, |n| {
            format!(r#"{{"stageArn":"{ARN}","{}":1}}"#, "u".repeat(n))
        }),
        ("a response's unknown capabilities", Body::Response, |n| {
            format!(
                r#"{{"participantToken":{{"token":"t","expirationTime":"2026-11-24T07:04:31Z","capabilities":[{}]}}}}"#,
                list(r#""ADMIN""#, n)
            )
        }),
        ("a response's unknown members", Body::Response, |n| {
            let members: Vec<String> = (0..n).map(|i| format!(r#""m{i}":[]"#)).collect();
            format!(
                r#"{{"participantToken":{{"token":"t","expirationTime":"2026-11-24T07:04:31Z",{}}}}}"#,
                members.join(",")
            )
        }),
        (
            "CreateStage configurations, each invalid",
            Body::StageRequest,
            |n| {
                format!(
                    r#"{{"participantTokenConfigurations":[{}]}}"#,
                    list(r#"{"duration":0}"#, n)
                )
            },
        ),
        (
            "a CreateStage configuration's unknown capabilities",
            Body::StageRequest,
            |n| {
                format!(
                    r#"{{"participantTokenConfigurations":[{{"capabilities":[{}]}}]}}"#,
                    list(r#""x""#, n)
                )
            },
        ),
        (
            "CreateStage tags, too many and too long",
            Body::StageRequest,
            |n| {
                let pairs: Vec<String> = (0..n)
                    .map(|i| format!(r#""k{i}":"{}""#, "v".repeat(i % 300)))
                    .collect();
                format!(r#"{{"tags":{{{}}}}}"#, pairs.join(","))
            },
        ),
        (
            "unknown members inside a configuration",
            Body::StageRequest,
            |n| {
                let members: Vec<String> = (0..n).map(|i| format!(r#""m{i}":0"#)).collect();
                format!(
                    r#"{{"participantTokenConfigurations":[{{{}}}]}}"#,
                    members.join(",")
                )
            },
        ),
        (
            "a CreateStage response's tokens, each invalid",
            Body::StageResponse,
            |n| {
                format!(
                    r#"{{"stage":{{"arn":"{ARN}"}},"participantTokens":[{}]}}"#,
                    list(r#"{"participantId":"a b"}"#, n)
                )
            },
        ),
    ]
}

#[test]
fn memory_is_linear_in_the_body() {
    for (name, response, make) in shapes() {
        // 200,000 items: the 800 KB body that once took a server to 6 GB.
        for n in [1_000, 200_000] {
            let body = make(n);
            let (peak, rendered) = peak_during(body.as_bytes(), response);
            let bound = BYTES_PER_BODY_BYTE * body.len() + ALLOWANCE;
            assert!(
                peak <= bound,
                "{name} ×{n}: {peak} bytes at the peak for a {}-byte body (bound {bound})",
                body.len()
            );
            // What is printed is smaller still: the report lists at most MAX_LISTED
            // items, and the value it echoes is cut.
            assert!(
                rendered <= 8 * body.len() + 256 * 1024,
                "{name} ×{n}: {rendered} bytes rendered for a {}-byte body",
                body.len()
            );
        }
    }
}

#[test]
fn time_is_linear_in_the_body() {
    for (name, response, make) in shapes() {
        let (small, large) = (make(20_000), make(160_000));
        // Warm up (page faults of the first large allocation), then time.
        judge(large.as_bytes(), response);
        let (t_small, t_large) = fastest_in_turn(small.as_bytes(), large.as_bytes(), response);
        // Eight times the body: linear work takes about 8 times as long, quadratic 64.
        let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-6);
        assert!(
            ratio < 24.0,
            "{name}: 8× the body took {ratio:.1}× the time ({t_small:?} → {t_large:?})"
        );
    }
}

#[test]
fn the_report_lists_at_most_max_listed_and_counts_the_rest() {
    let n = 5_000;
    let body = format!(
        r#"{{"stageArn":"{ARN}","capabilities":[{}]}}"#,
        vec![r#""ADMIN""#; n].join(",")
    );
    let v = Verdict::request(body.as_bytes());
    let report = v.report().unwrap();
    // The list's length violation, then MAX_LISTED of its items.
    assert_eq!(report.violations.len(), 1 + MAX_LISTED);
    assert_eq!(report.omitted_violations, n - MAX_LISTED);
    assert_eq!(report.violations[0].path, "/capabilities");
    assert_eq!(
        report.violations[MAX_LISTED].path,
        format!("/capabilities/{}", MAX_LISTED - 1)
    );
    // The live message is unchanged by the cap: the length entry and one entry for the
    // items, the list echoed once and cut.
    let message = v.message();
    assert!(
        message.starts_with("2 validation errors detected: "),
        "{message}"
    );
    assert!(message.len() < 1_500, "{} bytes", message.len());
    assert!(message.contains("[ADMIN, ADMIN, "), "{message}");
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["omitted"]["violations"], n - MAX_LISTED);
    assert_eq!(json["omitted"]["advisories"], 0);
    assert!(v
        .to_string()
        .contains(&format!("and {} more", n - MAX_LISTED)));

    let members: Vec<String> = (0..n).map(|i| format!(r#""m{i}":0"#)).collect();
    let body = format!(r#"{{"stageArn":"{ARN}",{}}}"#, members.join(","));
    let v = Verdict::request(body.as_bytes());
    assert!(v.is_valid());
    assert_eq!(v.advisories().len(), MAX_LISTED);
    assert_eq!(v.report().unwrap().omitted_advisories, n - MAX_LISTED);

    // A report that lists everything has no `omitted` member.
    let v = Verdict::request(br#"{"capabilities":["ADMIN"]}"#);
    assert!(serde_json::to_value(&v).unwrap().get("omitted").is_none());
}

#[test]
fn echoed_values_are_cut_when_built() {
    let long = "é".repeat(100_000);
    let body = format!(r#"{{"stageArn":"{ARN}","userId":"{long}"}}"#);
    let v = Verdict::request(body.as_bytes());
    let violation = &v.violations()[0];
    assert_eq!(violation.length, Some(100_000));
    let value = violation.value.as_deref().unwrap();
    assert_eq!(
        value.chars().count(),
        ivs_participant_token::MAX_ECHOED_CHARS + 1
    );
    assert!(value.ends_with('…'));
}
