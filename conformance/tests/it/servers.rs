//! The suite over HTTP: it passes against the reference server, a generative run agrees,
//! and test doubles with known faults are each caught by the cases that should catch them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use ivs_conformance::case::Level;
use ivs_conformance::case::{self, Case};
use ivs_conformance::load;
use ivs_conformance::runner::generated;
use ivs_conformance::runner::{run_all, CaseResult, Outcome, Summary};
use ivs_conformance::target::embedded::Embedded;
use ivs_conformance::target::http::HttpTarget;
use ivs_conformance::target::transport::Endpoint;
use ivs_participant_token::{Constraint, Verdict};

fn cases() -> Vec<Case> {
    load::load_dir(&load::default_cases_dir()).unwrap()
}

#[test]
fn the_suite_passes_against_the_reference_server() {
    let embedded = Embedded::start(Duration::from_secs(10)).unwrap();
    let cases = cases();
    let selected: Vec<&Case> = cases.iter().collect();
    let results = run_all(&embedded.target, &selected, 8, &|_| {});
    let failures: Vec<_> = results
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Fail(why) => Some((r.id.clone(), why.clone())),
            _ => None,
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    let s = Summary::of(&results);
    // Every case that applies to servers ran, preconditions included.
    let server_cases = cases
        .iter()
        .filter(|c| c.applies_to.contains(&case::AppliesTo::Server))
        .count();
    assert_eq!(s.passed, server_cases);
}

#[test]
fn a_generative_run_agrees_with_the_core() {
    let embedded = Embedded::start(Duration::from_secs(10)).unwrap();
    assert_eq!(generated::run(&embedded.target_clone(), 96, 42), Ok(96));
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    None,
    WrongStatus,
    MessageNotExceptionMessage,
    EmptyCapabilitiesBecomeBoth,
    TokenNotJwt,
    NoRequestId,
    ServerErrorOnMalformedBody,
    /// ValidationException messages in a Smithy server's form: pointers, one per item.
    SmithyForm,
    /// ValidationException messages in the live form with each item at its own dotted
    /// path (`capabilities.2.member`), as some AWS services write nested members.
    PerItemLiveForm,
}

/// The ValidationException message `fault` writes for `body` in place of the server's.
fn rewritten_message(fault: Fault, path: &str, body: &[u8]) -> Option<String> {
    let report = if path == "/CreateStage" {
        ivs_participant_token::CreateStageVerdict::create_stage_request(body)
            .report()?
            .clone()
    } else {
        Verdict::request(body).report()?.clone()
    };
    match fault {
        Fault::SmithyForm => Some(report.smithy_message()),
        Fault::PerItemLiveForm => {
            let entries: Vec<String> = report
                .violations
                .iter()
                .map(|v| {
                    let value = match (&v.constraint, &v.value) {
                        (Constraint::Required, _) => "Value null".to_owned(),
                        (_, Some(x)) => format!("Value '{x}'"),
                        (_, None) => "Value".to_owned(),
                    };
                    format!(
                        "{value} at '{}' failed to satisfy constraint: {}",
                        v.aws_path(),
                        v.aws_rule()
                    )
                })
                .collect();
            let n = entries.len();
            Some(format!(
                "{n} validation error{} detected: {}",
                if n == 1 { "" } else { "s" },
                entries.join("; ")
            ))
        }
        _ => None,
    }
}

/// Method, path, headers and body of a request.
type Request = (String, String, Vec<(String, String)>, Vec<u8>);

/// Reads one HTTP/1.1 request (a body by Content-Length only).
fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some((method, path, headers, body))
}

/// A proxy in front of `upstream` that injects `fault` into the answers.
fn faulty_proxy(upstream: String, fault: Fault) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let upstream = upstream.clone();
            let agent = agent.clone();
            std::thread::spawn(move || {
                let Some((method, path, headers, body)) = read_request(&mut stream) else {
                    return;
                };
                let mut req = ureq::http::Request::builder()
                    .method(method.as_str())
                    .uri(format!("{upstream}{path}"));
                for (k, v) in &headers {
                    if !["host", "content-length", "connection"]
                        .contains(&k.to_ascii_lowercase().as_str())
                    {
                        req = req.header(k.as_str(), v.as_str());
                    }
                }
                let mut resp = agent.run(req.body(body.clone()).unwrap()).unwrap();
                let mut status = resp.status().as_u16();
                let mut out_headers: Vec<(String, String)> = resp
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
                    .collect();
                let mut out = resp.body_mut().read_to_string().unwrap();
                let error_type = out_headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("x-amzn-errortype"))
                    .map(|(_, v)| v.clone());
                match fault {
                    Fault::None => {}
                    Fault::WrongStatus if error_type.as_deref() == Some("ValidationException") => {
                        status = 422
                    }
                    Fault::MessageNotExceptionMessage => {
                        out = out.replace("\"exceptionMessage\"", "\"message\"")
                    }
                    Fault::EmptyCapabilitiesBecomeBoth
                        if String::from_utf8_lossy(&body).contains("\"capabilities\":[]") =>
                    {
                        out = out.replace(
                            "\"capabilities\":[]",
                            "\"capabilities\":[\"PUBLISH\",\"SUBSCRIBE\"]",
                        );
                    }
                    Fault::TokenNotJwt if status == 200 => {
                        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
                        v["participantToken"]["token"] = "an-opaque-token".into();
                        out = v.to_string();
                    }
                    Fault::SmithyForm | Fault::PerItemLiveForm
                        if error_type.as_deref() == Some("ValidationException") =>
                    {
                        if let Some(m) = rewritten_message(fault, &path, &body) {
                            out = serde_json::json!({ "exceptionMessage": m }).to_string();
                        }
                    }
                    Fault::NoRequestId => {
                        out_headers.retain(|(k, _)| !k.eq_ignore_ascii_case("x-amzn-requestid"))
                    }
                    Fault::ServerErrorOnMalformedBody
                        if error_type.as_deref() == Some("SerializationException") =>
                    {
                        status = 500;
                        out_headers.retain(|(k, _)| !k.eq_ignore_ascii_case("x-amzn-errortype"));
                        out_headers.push(("X-Amzn-Errortype".into(), "InternalFailure".into()));
                    }
                    _ => {}
                }
                let mut reply = format!("HTTP/1.1 {status} X\r\n");
                for (k, v) in out_headers {
                    if !["content-length", "transfer-encoding", "connection"]
                        .contains(&k.to_ascii_lowercase().as_str())
                    {
                        reply.push_str(&format!("{k}: {v}\r\n"));
                    }
                }
                reply.push_str(&format!(
                    "Content-Length: {}\r\nConnection: close\r\n\r\n{out}",
                    out.len()
                ));
                let _ = stream.write_all(reply.as_bytes());
            });
        }
    });
    url
}

/// Ids of the cases that fail against the reference server behind `fault`.
fn failing_behind(fault: Fault) -> Vec<String> {
    results_behind(fault)
        .into_iter()
        .filter(|r| matches!(r.outcome, Outcome::Fail(_)))
        .map(|r| r.id)
        .collect()
}

/// The results of the whole suite against the reference server behind `fault`.
fn results_behind(fault: Fault) -> Vec<CaseResult> {
    let embedded = Embedded::start(Duration::from_secs(10)).unwrap();
    let proxy = faulty_proxy(embedded.url().to_owned(), fault);
    let mut target = HttpTarget::new(
        Endpoint {
            url: proxy,
            signer: None,
        },
        Default::default(),
        Duration::from_secs(10),
    );
    target.set_var("stageArn", ivs_reference_server::DEFAULT_STAGE);
    let cases = cases();
    let selected: Vec<&Case> = cases.iter().collect();
    run_all(&target, &selected, 4, &|_| {})
}

#[test]
fn a_server_in_any_faithful_message_form_passes_every_must_case() {
    // The reference server's own live form (items at their list), a Smithy server's
    // form, and the live form with items at dotted item paths.
    for fault in [Fault::None, Fault::SmithyForm, Fault::PerItemLiveForm] {
        let results = results_behind(fault);
        let failed_must: Vec<_> = results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Fail(_)) && r.level == Level::Must)
            .map(|r| (&r.id, &r.outcome))
            .collect();
        assert!(failed_must.is_empty(), "{fault:?}: {failed_must:#?}");
        assert!(Summary::of(&results).passed > 100, "{fault:?}");
    }
    // Forms that name every item pass the exactness checks too.
    for fault in [Fault::SmithyForm, Fault::PerItemLiveForm] {
        assert_eq!(failing_behind(fault), Vec::<String>::new(), "{fault:?}");
    }
}

#[test]
fn a_faithful_proxy_fails_nothing() {
    assert_eq!(failing_behind(Fault::None), Vec::<String>::new());
}

#[test]
fn each_known_fault_is_caught() {
    let expectations = [
        (Fault::WrongStatus, "duration.range.max-plus-one"),
        (
            Fault::MessageNotExceptionMessage,
            "duration.range.max-plus-one",
        ),
        (Fault::EmptyCapabilitiesBecomeBoth, "capabilities.empty"),
        (Fault::TokenNotJwt, "duration.default.absent"),
        (Fault::NoRequestId, "stage-arn.required.absent"),
        (
            Fault::ServerErrorOnMalformedBody,
            "strict-json.top-level-array",
        ),
    ];
    for (fault, case_id) in expectations {
        let failing = failing_behind(fault);
        assert!(
            failing.iter().any(|id| id == case_id),
            "{fault:?} not caught by {case_id}: {failing:?}"
        );
    }
    // The empty-capabilities fault is caught there, in CreateStage's configurations, and
    // nowhere else.
    assert_eq!(
        failing_behind(Fault::EmptyCapabilitiesBecomeBoth),
        vec![
            "capabilities.empty",
            "create-stage.configuration.empty-capabilities"
        ]
    );
}
