//! The typed API and the message wording of violations. The boundary tables themselves
//! (every constraint at min−1, min, max and max+1, multi-byte text, every pattern edge)
//! are conformance cases under `conformance/cases/`, run against the core by
//! `ivs-conformance`'s `offline_cases` test and against servers by `run`: one test format
//! for every engine. What stays here is what cases cannot say: the exact messages, the
//! measured lengths and the Rust types. The numbers are written out on purpose: they
//! check the constraint table against the documented facts, not against itself.

use ivs_participant_token::{
    check_request, check_response, Capability, Constraint, CreateParticipantTokenRequest,
    CreateParticipantTokenResponse, ParticipantToken, Report, Timestamp, Token,
};

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

fn req() -> CreateParticipantTokenRequest {
    CreateParticipantTokenRequest::new(ARN)
}

/// (path, constraint kind) of every violation.
fn paths(r: &Report) -> Vec<(String, &'static str)> {
    r.violations
        .iter()
        .map(|v| (v.path.clone(), v.constraint.kind()))
        .collect()
}

fn one(path: &str, kind: &'static str) -> Vec<(String, &'static str)> {
    vec![(path.to_owned(), kind)]
}

/// A stage ARN of exactly `n` characters that satisfies the pattern.
fn arn_of_len(n: usize) -> String {
    let head = "arn:aws:ivs:us-west-2:123456789012:stage/";
    format!("{head}{}", "a".repeat(n - head.len()))
}

#[test]
fn stage_arn_required() {
    let r = CreateParticipantTokenRequest::default().validate();
    assert_eq!(paths(&r), one("/stageArn", "required"));
    assert_eq!(
        r.violations[0].message(),
        "Value at '/stageArn' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn stage_arn_length() {
    // min - 1 = 0: too short, and the empty string fails the pattern too.
    let r = CreateParticipantTokenRequest::new("").validate();
    assert_eq!(
        paths(&r),
        vec![
            ("/stageArn".into(), "length"),
            ("/stageArn".into(), "pattern")
        ]
    );
    // min = 1: long enough, but no 1-character string matches the pattern.
    let r = CreateParticipantTokenRequest::new("a").validate();
    assert_eq!(paths(&r), one("/stageArn", "pattern"));
    // max = 128 and max + 1 = 129, both matching the pattern.
    assert!(CreateParticipantTokenRequest::new(arn_of_len(128))
        .validate()
        .is_valid());
    let r = CreateParticipantTokenRequest::new(arn_of_len(129)).validate();
    assert_eq!(paths(&r), one("/stageArn", "length"));
    assert_eq!(r.violations[0].length, Some(129));
    assert_eq!(
        r.violations[0].message(),
        "Value with length 129 at '/stageArn' failed to satisfy constraint: Member must have length between 1 and 128, inclusive"
    );
}

#[test]
fn duration_messages() {
    let r = CreateParticipantTokenRequest {
        duration: Some(20161),
        ..req()
    }
    .validate();
    assert_eq!(paths(&r), one("/duration", "range"));
    assert_eq!(
        r.violations[0].message(),
        "Value at '/duration' failed to satisfy constraint: Member must be between 1 and 20160, inclusive"
    );
    assert_eq!(
        r.aws_message(),
        "1 validation error detected: Value '20161' at 'duration' failed to satisfy constraint: Member must have value less than or equal to 20160"
    );
}

#[test]
fn user_id_length_is_measured_in_scalar_values() {
    let r = CreateParticipantTokenRequest {
        user_id: Some("😀".repeat(129)),
        ..req()
    }
    .validate();
    assert_eq!(paths(&r), one("/userId", "length"));
    assert_eq!(r.violations[0].length, Some(129));
    assert_eq!(
        r.violations[0].message(),
        "Value with length 129 at '/userId' failed to satisfy constraint: Member must have length between 0 and 128, inclusive"
    );
}

fn attrs(pairs: &[(&str, &str)]) -> Option<ivs_participant_token::Attributes> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

#[test]
fn attributes_count_utf8_bytes_of_keys_and_values() {
    // 3-byte characters: "€" is E2 82 AC.
    let k = "€".repeat(100); // 300 bytes
    let v1024 = "€".repeat(241) + "a"; // 724 bytes: 300 + 724 = 1024
    let v1025 = "€".repeat(241) + "ab"; // 1025 in total
    let at = |v: &str| CreateParticipantTokenRequest {
        attributes: attrs(&[(&k, v)]),
        ..req()
    };
    assert!(at(&v1024).validate().is_valid());
    let r = at(&v1025).validate();
    assert_eq!(paths(&r), one("/attributes", "maxBytes"));
    assert_eq!(r.violations[0].length, Some(1025));
    assert_eq!(r.violations[0].constraint, Constraint::MaxBytes(1024));
}

#[test]
fn capabilities_length_and_enum() {
    use Capability::*;
    let with = |c: Vec<Capability>| {
        CreateParticipantTokenRequest {
            capabilities: Some(c),
            ..req()
        }
        .validate()
    };
    assert!(with(vec![]).is_valid());
    assert!(with(vec![Publish]).is_valid());
    assert!(with(vec![Publish, Subscribe]).is_valid());
    let r = with(vec![Publish, Subscribe, Publish]);
    assert_eq!(paths(&r), one("/capabilities", "length"));
    assert_eq!(r.violations[0].length, Some(3));
    let r = with(vec![Subscribe, Unknown("publish".into())]);
    assert_eq!(paths(&r), one("/capabilities/1", "enum"));
    assert_eq!(
        r.violations[0].message(),
        "Value at '/capabilities/1' failed to satisfy constraint: Member must satisfy enum value set: [PUBLISH, SUBSCRIBE]"
    );
    assert_eq!(
        r.aws_message(),
        "1 validation error detected: Value '[SUBSCRIBE, publish]' at 'capabilities' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [PUBLISH, SUBSCRIBE]]"
    );
}

#[test]
fn duplicate_capabilities_are_advisories() {
    let r = CreateParticipantTokenRequest {
        capabilities: Some(vec![Capability::Publish, Capability::Publish]),
        ..req()
    }
    .validate();
    assert!(r.is_valid());
    assert_eq!(r.advisories.len(), 1);
    assert_eq!(r.advisories[0].path, "/capabilities/1");
    assert_eq!(r.advisories[0].code(), "duplicateCapability");
}

#[test]
fn every_violation_at_once_in_member_order() {
    let body = format!(
        r#"{{"capabilities":["X","PUBLISH","SUBSCRIBE"],"userId":"{}","duration":0,"stageArn":"arn:aws:ivs:r:1:stage/a_b"}}"#,
        "u".repeat(129)
    );
    let c = check_request(body.as_bytes()).unwrap();
    assert_eq!(
        paths(&c.report),
        vec![
            ("/stageArn".into(), "pattern"),
            ("/duration".into(), "range"),
            ("/userId".into(), "length"),
            ("/capabilities".into(), "length"),
            ("/capabilities/0".into(), "enum"),
        ]
    );
    let msg = c.report.aws_message();
    assert!(msg.starts_with("5 validation errors detected: Value 'arn:aws:ivs:r:1:stage/a_b' at 'stageArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$; Value '0' at 'duration'"), "{msg}");
    assert_eq!(msg.matches("; ").count(), 4);
    let e = c.report.to_service_error().unwrap();
    assert_eq!((e.status, e.kind.name()), (400, "ValidationException"));
}

fn token() -> ParticipantToken {
    ParticipantToken {
        participant_id: Some("AbCdEfGh1234".into()),
        token: Some(Token::new("eyJ.secret.sig")),
        user_id: None,
        attributes: None,
        duration: Some(720),
        capabilities: Some(vec![Capability::Publish, Capability::Subscribe]),
        expiration_time: Timestamp::from_unix(1_795_460_671, 0),
    }
}

fn response(t: ParticipantToken) -> Report {
    CreateParticipantTokenResponse {
        participant_token: Some(t),
    }
    .validate()
}

#[test]
fn response_token_and_expiration_required_and_never_echoed() {
    assert!(response(token()).is_valid());
    let r = response(ParticipantToken {
        token: None,
        expiration_time: None,
        ..token()
    });
    assert_eq!(
        paths(&r),
        vec![
            ("/participantToken/token".into(), "required"),
            ("/participantToken/expirationTime".into(), "required")
        ]
    );
    let r = response(ParticipantToken {
        token: Some(Token::new("")),
        ..token()
    });
    assert_eq!(paths(&r), one("/participantToken/token", "length"));
    // A violation on the token never carries its value.
    assert_eq!(r.violations[0].value, None);
    let empty = CreateParticipantTokenResponse::default().validate();
    assert_eq!(empty.violations.len(), 2);
}

#[test]
fn response_bodies() {
    let ok = br#"{"participantToken":{"participantId":"p1","token":"t","duration":1,"expirationTime":"2026-11-23T19:04:31.25+01:00"}}"#;
    let c = check_response(ok).unwrap();
    assert!(c.report.is_valid());
    let t = c.value.participant_token.unwrap();
    assert_eq!(
        t.expiration_time.unwrap().to_rfc3339(),
        "2026-11-23T18:04:31.25Z"
    );
}
