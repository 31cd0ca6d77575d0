//! The reference server over HTTP: every answer the issue asks for.

use crate::common;

use std::collections::HashSet;
use std::io::{Read, Write};

use common::{post, post_signed, send, KEY_ID, SECRET};
use ivs_participant_token::token::{audit_response, unix_now, verify, PublicKey};
use ivs_participant_token::{check_response, CreateParticipantTokenRequest};
use ivs_reference_server::{spawn, AccessKey, Quotas, ServerConfig};

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

fn config() -> ServerConfig {
    ServerConfig {
        stages: vec![ARN.to_owned()],
        ..ServerConfig::default()
    }
}

#[test]
fn issues_a_token_that_verifies_with_the_published_key() {
    let server = spawn(config()).unwrap();
    let body = format!(
        r#"{{"stageArn":"{ARN}","userId":"alice","capabilities":[],"attributes":{{"a":"b"}}}}"#
    );
    let a = post(server.url(), &body);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.header("content-type"), Some("application/json"));
    assert!(a.header("x-amzn-RequestId").is_some_and(|v| v.len() == 36));
    let checked = check_response(a.body.as_bytes()).unwrap();
    assert!(checked.report.is_valid(), "{:?}", checked.report);
    let issued = checked.value.participant_token.unwrap();
    assert_eq!(
        issued.capabilities,
        Some(vec![]),
        "an empty list stays empty"
    );
    assert_eq!(issued.duration, Some(720));
    let id = issued.participant_id.clone().unwrap();
    assert_eq!(id.len(), 12);
    // The published key, as PEM and as JWKS.
    let pem = send("GET", &format!("{}/public-key.pem", server.url()), &[], b"");
    let key = PublicKey::from_pem(&pem.body).unwrap();
    let jwks = send(
        "GET",
        &format!("{}/.well-known/jwks.json", server.url()),
        &[],
        b"",
    )
    .json();
    assert_eq!(jwks["keys"][0]["kid"], server.kid());
    assert_eq!(jwks["keys"][0]["crv"], "P-384");
    let decoded = verify(issued.token.as_ref().unwrap().expose(), &key, unix_now()).unwrap();
    assert_eq!(decoded.header.kid.as_deref(), Some(server.kid()));
    let request: CreateParticipantTokenRequest = serde_json::from_str(&body).unwrap();
    let response = ivs_participant_token::CreateParticipantTokenResponse {
        participant_token: Some(issued.clone()),
    };
    let request = ivs_participant_token::ValidRequest::new(request).unwrap();
    let audit = audit_response(Some(&request), &response);
    assert!(audit.is_clean(), "{audit:?}");
    let exp = issued.expiration_time.unwrap().unix_seconds();
    assert!((exp - (unix_now() + 720 * 60)).abs() <= 5);
}

#[test]
fn participant_ids_are_unique() {
    let server = spawn(config()).unwrap();
    let mut ids = HashSet::new();
    for _ in 0..200 {
        let a = post(server.url(), &format!(r#"{{"stageArn":"{ARN}"}}"#));
        let id = a.json()["participantToken"]["participantId"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(ids.insert(id));
    }
}

#[test]
fn errors_travel_as_aws_sends_them() {
    let server = spawn(config()).unwrap();
    let url = server.url();
    let a = post(url, r#"{"duration":0,"capabilities":["X"]}"#);
    assert_eq!(
        (a.status, a.header("x-amzn-errortype")),
        (400, Some("ValidationException"))
    );
    let msg = a.json()["exceptionMessage"].as_str().unwrap().to_owned();
    assert!(
        msg.starts_with("3 validation errors detected: Value null at 'stageArn'"),
        "{msg}"
    );
    assert!(a.header("x-amzn-RequestId").is_some());

    let a = post(url, "[1]");
    assert_eq!(
        (a.status, a.header("x-amzn-errortype")),
        (400, Some("SerializationException"))
    );
    assert!(a.json()["exceptionMessage"]
        .as_str()
        .unwrap()
        .contains("JSON object"));

    let a = post(
        url,
        r#"{"stageArn":"arn:aws:ivs:us-west-2:123456789012:stage/nope"}"#,
    );
    assert_eq!(
        (a.status, a.header("x-amzn-errortype")),
        (404, Some("ResourceNotFoundException"))
    );

    let text = vec![("Content-Type".to_owned(), "text/plain".to_owned())];
    let a = send(
        "POST",
        &format!("{url}/CreateParticipantToken"),
        &text,
        ARN.as_bytes(),
    );
    assert_eq!(a.status, 415);
    let a = send("GET", &format!("{url}/CreateParticipantToken"), &[], b"");
    assert_eq!(a.status, 405);
    assert_eq!(
        a.header("allow"),
        Some("POST"),
        "RFC 9110: a 405 names what is allowed"
    );
    let a = send("DELETE", &format!("{url}/health"), &[], b"");
    assert_eq!((a.status, a.header("allow")), (405, Some("GET, HEAD")));
    let a = send("POST", &format!("{url}/Nope"), &[], b"");
    assert_eq!(a.status, 404);
    // An empty body is `{}`: stageArn is missing.
    let a = send("POST", &format!("{url}/CreateParticipantToken"), &[], b"");
    assert_eq!(a.header("x-amzn-errortype"), Some("ValidationException"));
}

#[test]
fn pending_verification_and_quotas() {
    let pending = spawn(ServerConfig {
        pending_verification: true,
        ..config()
    })
    .unwrap();
    let a = post(pending.url(), &format!(r#"{{"stageArn":"{ARN}"}}"#));
    assert_eq!(
        (a.status, a.header("x-amzn-errortype")),
        (403, Some("PendingVerification"))
    );

    let limited = spawn(ServerConfig {
        quotas: Quotas {
            tokens_per_stage: Some(2),
            requests_per_second: None,
            ..Quotas::default()
        },
        ..config()
    })
    .unwrap();
    let statuses: Vec<u16> = (0..3)
        .map(|_| post(limited.url(), &format!(r#"{{"stageArn":"{ARN}"}}"#)).status)
        .collect();
    assert_eq!(statuses, vec![200, 200, 402]);
    let a = post(limited.url(), &format!(r#"{{"stageArn":"{ARN}"}}"#));
    assert_eq!(
        a.header("x-amzn-errortype"),
        Some("ServiceQuotaExceededException")
    );

    let rps = spawn(ServerConfig {
        quotas: Quotas {
            tokens_per_stage: None,
            requests_per_second: Some(3),
            ..Quotas::default()
        },
        ..config()
    })
    .unwrap();
    let statuses: Vec<u16> = (0..5)
        .map(|_| post(rps.url(), &format!(r#"{{"stageArn":"{ARN}"}}"#)).status)
        .collect();
    assert!(statuses.contains(&402), "{statuses:?}");
}

#[test]
fn sigv4_is_verified_when_configured() {
    let other_stage = "arn:aws:ivs:us-west-2:123456789012:stage/other";
    let server = spawn(ServerConfig {
        stages: vec![ARN.to_owned(), other_stage.to_owned()],
        access_keys: Some(vec![AccessKey {
            access_key_id: KEY_ID.into(),
            secret_access_key: SECRET.into(),
            allowed_stages: Some(vec![ARN.to_owned()]),
        }]),
        ..ServerConfig::default()
    })
    .unwrap();
    let body = format!(r#"{{"stageArn":"{ARN}"}}"#);
    let ok = post_signed(server.url(), &body, KEY_ID, SECRET, "us-west-2");
    assert_eq!(ok.status, 200, "{}", ok.body);
    let cases = [
        (
            post(server.url(), &body),
            "MissingAuthenticationTokenException",
        ),
        (
            post_signed(server.url(), &body, KEY_ID, "wrong", "us-west-2"),
            "InvalidSignatureException",
        ),
        (
            post_signed(server.url(), &body, "AKIDUNKNOWN", SECRET, "us-west-2"),
            "UnrecognizedClientException",
        ),
        (
            post_signed(server.url(), &body, KEY_ID, SECRET, "eu-west-1"),
            "InvalidSignatureException",
        ),
    ];
    for (a, error_type) in cases {
        assert_eq!(
            (a.status, a.header("x-amzn-errortype")),
            (403, Some(error_type)),
            "{}",
            a.body
        );
        assert!(a.json()["message"].is_string());
    }
    let denied = post_signed(
        server.url(),
        &format!(r#"{{"stageArn":"{other_stage}"}}"#),
        KEY_ID,
        SECRET,
        "us-west-2",
    );
    assert_eq!(
        (denied.status, denied.header("x-amzn-errortype")),
        (403, Some("AccessDeniedException"))
    );
}

/// Sends `head` and then `body` on a raw connection, leaves it open, and reads the reply.
fn raw_exchange(addr: &str, head: &str, body: &[u8]) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    reply
}

#[test]
fn oversized_bodies_are_refused_unread() {
    let server = spawn(config()).unwrap();
    let addr = server.url().trim_start_matches("http://").to_owned();
    // A declared length over 1 MiB is refused on the headers alone: no body is sent, and
    // the answer comes anyway.
    let head = format!(
        "POST /CreateParticipantToken HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        2 * 1024 * 1024
    );
    let reply = raw_exchange(&addr, &head, b"");
    assert!(
        reply.starts_with("HTTP/1.1 413"),
        "{}",
        &reply[..reply.len().min(200)]
    );
    // Chunked, with no length announced: the server stops reading one byte past the
    // limit and answers, though the body never ends.
    let head = format!(
        "POST /CreateParticipantToken HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let mut body = Vec::new();
    let mut left = 1024 * 1024 + 1;
    while left > 0 {
        let n = left.min(64 * 1024);
        body.extend_from_slice(format!("{n:x}\r\n").as_bytes());
        body.extend(std::iter::repeat_n(b'a', n));
        body.extend_from_slice(b"\r\n");
        left -= n;
    }
    let reply = raw_exchange(&addr, &head, &body);
    assert!(
        reply.starts_with("HTTP/1.1 413"),
        "{}",
        &reply[..reply.len().min(200)]
    );
    // Within the limit, the same connection style is answered normally.
    let small = format!(r#"{{"stageArn":"{ARN}"}}"#);
    assert_eq!(post(server.url(), &small).status, 200);
}

#[test]
fn shutdown_is_graceful() {
    let server = spawn(config()).unwrap();
    let addr = server.url().trim_start_matches("http://").to_owned();
    assert_eq!(
        post(server.url(), &format!(r#"{{"stageArn":"{ARN}"}}"#)).status,
        200
    );
    server.shutdown();
    assert!(std::net::TcpStream::connect(addr).is_err());
}

#[test]
fn default_configuration_makes_a_stage() {
    let server = spawn(ServerConfig::default()).unwrap();
    assert_eq!(server.stages().len(), 1);
    let a = post(
        server.url(),
        &format!(r#"{{"stageArn":"{}"}}"#, server.stages()[0]),
    );
    assert_eq!(a.status, 200, "{}", a.body);
}
