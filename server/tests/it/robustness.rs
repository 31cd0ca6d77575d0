//! The server under hostile and slow clients, with bad framing and odd signatures: each
//! wait on a client is bounded, and what AWS refuses is refused. Raw TCP on loopback, so
//! the tests control every byte and every pause.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use ivs_reference_server::{spawn, AccessKey, RunningServer, ServerConfig};

use crate::common;

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

fn server(config: ServerConfig) -> RunningServer {
    spawn(ServerConfig {
        stages: vec![ARN.to_owned()],
        ..config
    })
    .expect("the server starts")
}

fn fast() -> ServerConfig {
    ServerConfig {
        header_timeout: Duration::from_millis(700),
        body_timeout: Duration::from_millis(700),
        ..ServerConfig::default()
    }
}

fn addr(s: &RunningServer) -> String {
    s.url().trim_start_matches("http://").to_owned()
}

fn connect(addr: &str) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// Reads until the server closes the connection (or the 10 s read timeout).
fn read_all(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn request(addr: &str, body: &str) -> String {
    let mut s = connect(addr);
    write!(
        s,
        "POST /CreateParticipantToken HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    read_all(&mut s)
}

fn ok_body() -> String {
    format!(r#"{{"stageArn":"{ARN}"}}"#)
}

#[test]
fn a_client_stalled_in_its_headers_is_cut_off_while_others_are_served() {
    let s = server(fast());
    let a = addr(&s);
    let mut stalled: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut c = connect(&a);
            c.write_all(b"POST /CreateParticipantToken HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            c
        })
        .collect();
    let started = Instant::now();
    assert!(request(&a, &ok_body()).starts_with("HTTP/1.1 200"));
    for c in &mut stalled {
        let _ = read_all(c);
    }
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(4),
        "stalled clients held on for {waited:?}"
    );
}

#[test]
fn a_client_stalled_in_its_body_gets_408() {
    let s = server(fast());
    let a = addr(&s);
    let mut c = connect(&a);
    write!(
        c,
        "POST /CreateParticipantToken HTTP/1.1\r\nHost: {a}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"stageArn\""
    )
    .unwrap();
    let started = Instant::now();
    let reply = read_all(&mut c);
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(reply.contains("RequestTimeoutException"), "{reply}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[test]
fn an_idle_keep_alive_connection_is_closed() {
    let s = server(fast());
    let a = addr(&s);
    let mut c = connect(&a);
    let body = ok_body();
    write!(
        c,
        "POST /CreateParticipantToken HTTP/1.1\r\nHost: {a}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let started = Instant::now();
    let reply = read_all(&mut c); // the answer, then the close once idle too long
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_connection_cap_holds_and_stalled_clients_delay_others_by_one_timeout_at_most() {
    let s = server(ServerConfig {
        max_connections: 2,
        ..fast()
    });
    let a = addr(&s);
    let _stalled: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut c = connect(&a);
            c.write_all(b"POST / HTTP/1.1\r\n").unwrap();
            c
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    assert!(request(&a, &ok_body()).starts_with("HTTP/1.1 200"));
    let waited = started.elapsed();
    // It waited for a slot: at least part of a header timeout, at most about one.
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

#[test]
fn a_body_shorter_than_its_content_length_is_malformed_not_too_large() {
    let s = server(ServerConfig::default());
    let a = addr(&s);
    let mut c = connect(&a);
    write!(
        c,
        "POST /CreateParticipantToken HTTP/1.1\r\nHost: {a}\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{{\"stageArn\":1}}"
    )
    .unwrap();
    c.shutdown(Shutdown::Write).unwrap();
    let reply = read_all(&mut c);
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
    assert!(reply.contains("SerializationException"), "{reply}");
    assert!(!reply.contains("exceeds"), "{reply}");
}

#[test]
fn framing_that_aws_refuses_is_refused() {
    let s = server(ServerConfig::default());
    let a = addr(&s);
    let body = ok_body();
    let mut c = connect(&a);
    write!(
        c,
        "POST /CreateParticipantToken HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let reply = read_all(&mut c);
    assert!(reply.starts_with("HTTP/1.1 400"), "no Host: {reply}");
    assert!(
        reply.to_ascii_lowercase().contains("x-amzn-errortype"),
        "{reply}"
    );
    let mut c = connect(&a);
    write!(
        c,
        "POST /CreateParticipantToken HTTP/1.1\r\nHost: {a}\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
        body.len()
    )
    .unwrap();
    let reply = read_all(&mut c);
    assert!(reply.starts_with("HTTP/1.1 400"), "gzip, chunked: {reply}");
}

#[test]
fn wrong_methods_on_the_documents_answer_in_the_service_error_form() {
    let s = server(ServerConfig::default());
    let a = addr(&s);
    let mut c = connect(&a);
    write!(c, "POST /.well-known/jwks.json HTTP/1.1\r\nHost: {a}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
    let reply = read_all(&mut c);
    assert!(reply.starts_with("HTTP/1.1 405"), "{reply}");
    assert!(reply.contains("exceptionMessage"), "{reply}");
    assert!(
        reply
            .to_ascii_lowercase()
            .contains("x-amzn-errortype: methodnotallowedexception"),
        "{reply}"
    );
}

fn signing_server(region: Option<&str>, stage: &str) -> RunningServer {
    spawn(ServerConfig {
        stages: vec![stage.to_owned()],
        region: region.map(str::to_owned),
        access_keys: Some(vec![AccessKey {
            access_key_id: common::KEY_ID.into(),
            secret_access_key: common::SECRET.into(),
            allowed_stages: None,
        }]),
        ..ServerConfig::default()
    })
    .unwrap()
}

#[test]
fn the_signing_region_defaults_to_the_stages_region() {
    let stage = "arn:aws:ivs:eu-west-1:123456789012:stage/abcdABCD1234";
    let s = signing_server(None, stage);
    let body = format!(r#"{{"stageArn":"{stage}"}}"#);
    let ok = common::post_signed(s.url(), &body, common::KEY_ID, common::SECRET, "eu-west-1");
    assert_eq!(ok.status, 200, "{}", ok.body);
    let other = common::post_signed(s.url(), &body, common::KEY_ID, common::SECRET, "us-west-2");
    assert_eq!(other.status, 403, "{}", other.body);
}

/// Sends a signed request with its headers edited by `edit`.
fn signed_with(edit: impl Fn(&mut Vec<(String, String)>)) -> common::Answer {
    let s = signing_server(None, ARN);
    let url = format!("{}/CreateParticipantToken", s.url());
    let body = ok_body();
    let mut headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("host".to_owned(), addr(&s)),
    ];
    let signed = ivs_conformance::auth::Signer::new(common::KEY_ID, common::SECRET, "us-west-2")
        .sign("POST", &url, &headers, body.as_bytes())
        .unwrap();
    headers.extend(signed);
    edit(&mut headers);
    common::send("POST", &url, &headers, body.as_bytes())
}

#[test]
fn signatures_aws_refuses_are_refused() {
    assert_eq!(signed_with(|_| {}).status, 200);
    let twice = signed_with(|h| {
        let auth = h
            .iter()
            .find(|(k, _)| k == "authorization")
            .unwrap()
            .clone();
        h.push(auth);
    });
    assert_eq!(
        (twice.status, twice.header("x-amzn-errortype")),
        (403, Some("IncompleteSignatureException")),
        "{}",
        twice.body
    );
    let repeated = signed_with(|h| {
        for (k, v) in h.iter_mut() {
            if k == "authorization" {
                let sig = v.rsplit("Signature=").next().unwrap().to_owned();
                v.push_str(&format!(", Signature={sig}"));
            }
        }
    });
    assert_eq!(
        (repeated.status, repeated.header("x-amzn-errortype")),
        (403, Some("IncompleteSignatureException")),
        "{}",
        repeated.body
    );
    let token =
        signed_with(|h| h.push(("x-amz-security-token".into(), "FwoGZXIvYXdzEXAMPLE".into())));
    assert_eq!(
        (token.status, token.header("x-amzn-errortype")),
        (403, Some("UnrecognizedClientException")),
        "{}",
        token.body
    );
}

#[test]
fn settings_that_can_never_work_are_refused_before_binding() {
    let cases: [(ServerConfig, &str); 5] = [
        (
            ServerConfig {
                stages: vec!["not-an-arn".into()],
                ..ServerConfig::default()
            },
            "--stage",
        ),
        (
            ServerConfig {
                region: Some("Mars".into()),
                ..ServerConfig::default()
            },
            "--region",
        ),
        (
            ServerConfig {
                max_body_bytes: 0,
                ..ServerConfig::default()
            },
            "max_body_bytes",
        ),
        (
            ServerConfig {
                max_connections: 0,
                ..ServerConfig::default()
            },
            "--max-connections",
        ),
        (
            ServerConfig {
                header_timeout: Duration::ZERO,
                ..ServerConfig::default()
            },
            "--header-timeout",
        ),
    ];
    for (config, setting) in cases {
        let err = spawn(config).expect_err(setting).to_string();
        assert!(err.starts_with(setting), "{setting}: {err}");
    }
}

#[test]
fn an_address_in_use_is_named() {
    let first = spawn(ServerConfig::default()).unwrap();
    let taken: std::net::SocketAddr = addr(&first).parse().unwrap();
    let err = spawn(ServerConfig {
        bind: taken,
        ..ServerConfig::default()
    })
    .expect_err("the port is taken")
    .to_string();
    assert!(err.contains(&taken.to_string()), "{err}");
}

#[test]
fn heads_too_large_are_refused_in_the_service_error_form() {
    let s = server(ServerConfig::default());
    let a = addr(&s);
    let many: String = (0..80).map(|i| format!("X-Extra-{i}: v\r\n")).collect();
    let mut c = connect(&a);
    write!(
        c,
        "GET /health HTTP/1.1\r\nHost: {a}\r\n{many}Connection: close\r\n\r\n"
    )
    .unwrap();
    let reply = read_all(&mut c);
    assert!(reply.starts_with("HTTP/1.1 431"), "{reply}");
    assert!(reply.contains("exceptionMessage"), "{reply}");
    let long = "a".repeat(10_000);
    let mut c = connect(&a);
    write!(
        c,
        "GET /{long} HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let reply = read_all(&mut c);
    assert!(
        reply.starts_with("HTTP/1.1 414"),
        "{}",
        &reply[..reply.len().min(300)]
    );
    assert!(reply
        .to_ascii_lowercase()
        .contains("x-amzn-errortype: uritoolongexception"));
}

/// Writes `n` pipelined GETs and never reads an answer; the writes stop when the server
/// stops reading (its answers have filled both socket buffers). Each asks for a path of
/// 4 KiB, which the 404 repeats, so that the buffers fill within a few thousand answers.
fn pipeline_without_reading(addr: &str, n: usize) -> TcpStream {
    let c = connect(addr);
    let mut writer = c.try_clone().unwrap();
    writer
        .set_write_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let path = "a".repeat(4096);
    let one = format!("GET /{path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    std::thread::spawn(move || {
        let batch = one.repeat(100);
        for _ in 0..n / 100 {
            if writer.write_all(batch.as_bytes()).is_err() {
                break;
            }
        }
    });
    c
}

#[test]
fn a_client_that_never_reads_its_answers_is_cut_off_within_the_write_timeout() {
    let s = server(ServerConfig {
        max_connections: 2,
        write_timeout: Duration::from_secs(1),
        header_timeout: Duration::from_secs(2),
        ..ServerConfig::default()
    });
    let a = addr(&s);
    // Two such clients would hold both slots for as long as they liked.
    let _hogs: Vec<TcpStream> = (0..2)
        .map(|_| pipeline_without_reading(&a, 20_000))
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let mut c = connect(&a);
    write!(
        c,
        "GET /health HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let reply = read_all(&mut c);
    let waited = started.elapsed();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

#[test]
fn a_waiting_client_gets_a_slot_or_a_refusal_within_one_header_timeout() {
    let s = server(ServerConfig {
        max_connections: 2,
        header_timeout: Duration::from_secs(1),
        ..ServerConfig::default()
    });
    let a = addr(&s);
    // Two idle connections take the slots, a third waits for one.
    let idle: Vec<TcpStream> = (0..3).map(|_| connect(&a)).collect();
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    let reply = {
        let mut c = connect(&a);
        write!(
            c,
            "GET /health HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        read_all(&mut c)
    };
    let waited = started.elapsed();
    assert!(
        reply.starts_with("HTTP/1.1 200") || reply.starts_with("HTTP/1.1 503"),
        "{reply}"
    );
    // One header timeout from its accept, and a little for the answer.
    assert!(waited < Duration::from_millis(1600), "{waited:?}");
    drop(idle);

    // With every slot and every place in the wait taken, a refusal comes at once, in
    // the service's error form.
    let s = server(ServerConfig {
        max_connections: 2,
        header_timeout: Duration::from_secs(3),
        ..ServerConfig::default()
    });
    let a = addr(&s);
    let _idle: Vec<TcpStream> = (0..4).map(|_| connect(&a)).collect();
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    let mut c = connect(&a);
    let reply = read_all(&mut c);
    assert!(reply.starts_with("HTTP/1.1 503"), "{reply}");
    assert!(
        reply
            .to_ascii_lowercase()
            .contains("x-amzn-errortype: serviceunavailableexception"),
        "{reply}"
    );
    assert!(reply.contains("exceptionMessage"), "{reply}");
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[test]
fn a_broken_chunk_size_is_called_broken_framing() {
    let s = server(ServerConfig::default());
    let a = addr(&s);
    let mut c = connect(&a);
    write!(
        c,
        "POST /CreateParticipantToken HTTP/1.1\r\nHost: {a}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n"
    )
    .unwrap();
    let reply = read_all(&mut c);
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
    assert!(reply.contains("the chunked body is malformed"), "{reply}");
    assert!(!reply.contains("Content-Length"), "{reply}");
    // A chunked body cut short is a body that ended before its last chunk.
    let mut c = connect(&a);
    write!(
        c,
        "POST /CreateParticipantToken HTTP/1.1\r\nHost: {a}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{{}}"
    )
    .unwrap();
    c.shutdown(Shutdown::Write).unwrap();
    let reply = read_all(&mut c);
    assert!(reply.contains("before its last chunk"), "{reply}");
}

#[test]
fn an_http_1_0_request_without_host_is_not_told_it_is_http_1_1() {
    let s = server(ServerConfig::default());
    let a = addr(&s);
    let body = ok_body();
    let mut c = connect(&a);
    write!(
        c,
        "POST /CreateParticipantToken HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let reply = read_all(&mut c);
    assert!(reply.starts_with("HTTP/1.0 400"), "{reply}");
    assert!(!reply.contains("HTTP/1.1 request"), "{reply}");
    assert!(reply.contains("HTTP/1.0 too"), "{reply}");
}

#[test]
fn the_reset_endpoints_refuse_other_methods_in_the_service_error_form() {
    let s = server(ServerConfig::default());
    let a = addr(&s);
    for path in ["/_reset", "/moto-api/reset"] {
        let mut c = connect(&a);
        write!(
            c,
            "GET {path} HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let reply = read_all(&mut c).to_ascii_lowercase();
        assert!(reply.starts_with("http/1.1 405"), "{reply}");
        assert!(
            reply.contains("x-amzn-errortype: methodnotallowedexception"),
            "{reply}"
        );
        assert!(reply.contains("allow: post"), "{reply}");
        assert!(reply.contains("use post"), "{reply}");
    }
}

#[test]
fn a_well_formed_date_long_past_is_an_expired_signature() {
    // The request time and the credential's date both in 1900: well-formed, consistent,
    // and long past.
    let old = signed_with(|h| {
        let date = h
            .iter()
            .find(|(k, _)| k == "x-amz-date")
            .map(|(_, v)| v[..8].to_owned())
            .unwrap();
        for (k, v) in h.iter_mut() {
            if k == "x-amz-date" {
                *v = "19000101T000000Z".into();
            }
            if k == "authorization" {
                *v = v.replace(&format!("/{date}/"), "/19000101/");
            }
        }
    });
    assert_eq!(old.status, 403, "{}", old.body);
    assert!(old.body.contains("Signature expired"), "{}", old.body);
    assert!(!old.body.contains("is not yyyymmdd"), "{}", old.body);
}

#[test]
fn settings_beyond_their_bounds_are_refused_naming_them() {
    let cases: [(ServerConfig, &str, &str); 5] = [
        (
            ServerConfig {
                kid: Some("not-an-arn".into()),
                ..ServerConfig::default()
            },
            "kid",
            "is not a public-key ARN",
        ),
        (
            ServerConfig {
                max_connections: usize::MAX,
                ..ServerConfig::default()
            },
            "--max-connections",
            "is not between 1 and",
        ),
        (
            ServerConfig {
                shutdown_grace: Duration::from_secs(u64::MAX),
                ..ServerConfig::default()
            },
            "--shutdown-grace",
            "longer than the longest allowed",
        ),
        (
            ServerConfig {
                write_timeout: Duration::ZERO,
                ..ServerConfig::default()
            },
            "--write-timeout",
            "must be positive",
        ),
        (
            ServerConfig {
                max_body_bytes: usize::MAX,
                ..ServerConfig::default()
            },
            "max_body_bytes",
            "is not between 1 and",
        ),
    ];
    for (config, setting, says) in cases {
        let err = spawn(config).expect_err(setting).to_string();
        assert!(err.starts_with(setting), "{setting}: {err}");
        assert!(err.contains(says), "{setting}: {err}");
    }
    // A zero grace period is allowed: stop at once.
    let s = spawn(ServerConfig {
        shutdown_grace: Duration::ZERO,
        ..ServerConfig::default()
    })
    .unwrap();
    s.shutdown();
}

#[test]
fn an_access_keys_debug_form_hides_its_secret() {
    let key = AccessKey {
        access_key_id: "AKID".into(),
        secret_access_key: "TOPSECRET".into(),
        allowed_stages: None,
    };
    let shown = format!("{key:?}");
    assert!(
        shown.contains("AKID") && !shown.contains("TOPSECRET"),
        "{shown}"
    );
    let config = ServerConfig {
        access_keys: Some(vec![key]),
        ..ServerConfig::default()
    };
    assert!(!format!("{config:?}").contains("TOPSECRET"));
    let err = "AKID;TOPSECRET".parse::<AccessKey>().unwrap_err();
    assert!(!err.contains("TOPSECRET"), "{err}");
}
