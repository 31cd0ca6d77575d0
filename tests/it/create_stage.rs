//! CreateStage in the core: its token configurations under CreateParticipantToken's very
//! rows, every constraint of the request and response with its path, strict reading of
//! the new kinds of member, the defaults, and a cost that grows with the body.

use ivs_participant_token::constraints::{self, MemberId};
use ivs_participant_token::{
    check_create_stage_request, check_create_stage_response, Capability, CreateStageVerdict,
    ParseErrorKind, Verdict,
};
use serde_json::{json, Value};

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";
const STORAGE: &str = "arn:aws:ivs:us-west-2:123456789012:storage-configuration/abcABC123";

fn violations(body: &Value) -> Vec<(String, &'static str)> {
    let checked = check_create_stage_request(body.to_string().as_bytes()).unwrap();
    checked
        .report
        .violations
        .iter()
        .map(|v| (v.path.clone(), v.constraint.kind()))
        .collect()
}

fn v(path: &str, kind: &'static str) -> (String, &'static str) {
    (path.to_owned(), kind)
}

#[test]
fn token_configurations_hold_create_participant_tokens_rows() {
    for row in &constraints::TOKEN_CONFIGURATION {
        let same = constraints::REQUEST
            .iter()
            .find(|r| r.id == row.id)
            .unwrap();
        assert_eq!(
            constraints::MemberConstraints {
                shape: same.shape,
                ..*row
            },
            *same,
            "{}",
            row.member
        );
    }
    assert!(!constraints::TOKEN_CONFIGURATION
        .iter()
        .any(|r| r.id == MemberId::StageArn));
}

#[test]
fn an_empty_body_and_every_member_at_its_limit_are_valid() {
    assert!(violations(&json!({})).is_empty());
    let config = json!({"duration": 20160, "userId": "u".repeat(128),
        "attributes": {"k": "v".repeat(1023)}, "capabilities": ["PUBLISH", "SUBSCRIBE"]});
    let tags: serde_json::Map<String, Value> = (0..50)
        .map(|i| (format!("{i:0>128}"), json!("v".repeat(256))))
        .collect();
    let body = json!({
        "name": "a-Z_0".repeat(25) + "abc",
        "participantTokenConfigurations": vec![config; 12],
        "tags": tags,
        "autoParticipantRecordingConfiguration": {
            "storageConfigurationArn": STORAGE,
            "mediaTypes": ["AUDIO_ONLY"],
            "thumbnailConfiguration": {"targetIntervalSeconds": 86400,
                "storage": ["SEQUENTIAL", "LATEST"], "recordingMode": "INTERVAL"},
            "recordingReconnectWindowSeconds": 300,
            "hlsConfiguration": {"targetSegmentDurationSeconds": 10},
            "recordParticipantReplicas": true,
        },
    });
    assert_eq!(violations(&body), vec![]);
    // The storage configuration ARN may be empty: the model's pattern has `^^$|`.
    let empty = json!({"autoParticipantRecordingConfiguration": {"storageConfigurationArn": ""}});
    assert_eq!(violations(&empty), vec![]);
}

#[test]
fn every_violation_at_once_with_its_path() {
    let body = json!({
        "name": "has space",
        "participantTokenConfigurations": [
            {}, {}, {},
            {"userId": "u".repeat(129), "duration": 0, "capabilities": ["PUBLISH", "ADMIN"]},
            {"attributes": {"k": "v".repeat(1024)}},
            {}, {}, {}, {}, {}, {}, {}, {},
        ],
        "tags": {"": "x", "k": "v".repeat(257)},
        "autoParticipantRecordingConfiguration": {
            "mediaTypes": ["AUDIO_VIDEO", "VIDEO"],
            "thumbnailConfiguration": {"targetIntervalSeconds": 0,
                "storage": ["LATEST", "LATEST"], "recordingMode": "interval"},
            "recordingReconnectWindowSeconds": 301,
            "hlsConfiguration": {"targetSegmentDurationSeconds": 1},
        },
    });
    assert_eq!(
        violations(&body),
        vec![
            v("/name", "pattern"),
            v("/participantTokenConfigurations", "length"),
            v("/participantTokenConfigurations/3/duration", "range"),
            v("/participantTokenConfigurations/3/userId", "length"),
            v("/participantTokenConfigurations/3/capabilities/1", "enum"),
            v("/participantTokenConfigurations/4/attributes", "maxBytes"),
            v("/tags", "length"),
            v("/tags/k", "length"),
            v("/autoParticipantRecordingConfiguration/storageConfigurationArn", "required"),
            v("/autoParticipantRecordingConfiguration/mediaTypes", "length"),
            v("/autoParticipantRecordingConfiguration/mediaTypes/1", "enum"),
            v("/autoParticipantRecordingConfiguration/thumbnailConfiguration/targetIntervalSeconds", "range"),
            v("/autoParticipantRecordingConfiguration/thumbnailConfiguration/storage", "relation"),
            v("/autoParticipantRecordingConfiguration/thumbnailConfiguration/recordingMode", "enum"),
            v("/autoParticipantRecordingConfiguration/recordingReconnectWindowSeconds", "range"),
            v("/autoParticipantRecordingConfiguration/hlsConfiguration/targetSegmentDurationSeconds", "range"),
        ]
    );
    let checked = check_create_stage_request(body.to_string().as_bytes()).unwrap();
    let message = checked.report.aws_message();
    assert!(
        message.starts_with("16 validation errors detected: "),
        "{message}"
    );
    assert!(
        message.contains("at 'participantTokenConfigurations.4.member.userId' failed to satisfy constraint: Member must have length less than or equal to 128"),
        "{message}"
    );
    let recording_mode = checked
        .report
        .violations
        .iter()
        .find(|v| v.path.ends_with("recordingMode"))
        .unwrap();
    assert!(recording_mode
        .hint
        .as_deref()
        .unwrap_or_default()
        .contains("INTERVAL"));
    // The storage configuration ARN's pattern: a stage ARN is not one.
    let stage_arn =
        json!({"autoParticipantRecordingConfiguration": {"storageConfigurationArn": ARN}});
    assert_eq!(
        violations(&stage_arn),
        vec![v(
            "/autoParticipantRecordingConfiguration/storageConfigurationArn",
            "pattern"
        )]
    );
}

#[test]
fn the_new_kinds_are_read_strictly() {
    let fails = |body: &str| check_create_stage_request(body.as_bytes()).unwrap_err();
    let e = fails(
        r#"{"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"","recordParticipantReplicas":"true"}}"#,
    );
    assert!(matches!(e.kind, ParseErrorKind::WrongType { .. }), "{e}");
    assert_eq!(
        e.path,
        "/autoParticipantRecordingConfiguration/recordParticipantReplicas"
    );
    let e =
        fails(r#"{"participantTokenConfigurations":[{"duration":1},{"duration":1,"duration":2}]}"#);
    assert_eq!(e.kind, ParseErrorKind::DuplicateMember("duration".into()));
    assert_eq!(e.path, "/participantTokenConfigurations/1");
    let e = fails(r#"{"participantTokenConfigurations":[{},"x"]}"#);
    assert!(matches!(e.kind, ParseErrorKind::WrongType { .. }), "{e}");
    assert_eq!(e.path, "/participantTokenConfigurations/1");
    let e = fails(r#"{"participantTokenConfigurations":{}}"#);
    assert!(
        matches!(
            e.kind,
            ParseErrorKind::WrongType {
                expected: "an array of objects",
                ..
            }
        ),
        "{e}"
    );
    let e = fails(r#"{"autoParticipantRecordingConfiguration":{"mediaTypes":[null]}}"#);
    assert_eq!(e.kind, ParseErrorKind::NullInCollection);
    assert_eq!(
        e.path,
        "/autoParticipantRecordingConfiguration/mediaTypes/0"
    );
    let e = fails(r#"{"participantTokenConfigurations":[{"duration":1.5}]}"#);
    assert_eq!(e.kind, ParseErrorKind::NotAnInteger);
    // null is an absent member, at every depth.
    let ok = check_create_stage_request(br#"{"name":null,"participantTokenConfigurations":[{"userId":null}],"autoParticipantRecordingConfiguration":null}"#).unwrap();
    assert!(ok.report.is_valid());
    // Unknown members are advisories, with the member meant, at any depth.
    let typo =
        check_create_stage_request(br#"{"participantTokenConfigurations":[{"userID":"a"}]}"#)
            .unwrap();
    assert_eq!(
        typo.report.advisories[0].path,
        "/participantTokenConfigurations/0/userID"
    );
    assert_eq!(typo.report.advisories[0].suggestion, Some("userId"));
}

#[test]
fn defaults_apply_to_each_configuration() {
    let verdict = CreateStageVerdict::create_stage_request(
        br#"{"participantTokenConfigurations":[{}, {"capabilities":[], "duration": 5}]}"#,
    );
    let Verdict::Valid(checked) = &verdict else {
        panic!("{verdict}")
    };
    let effective = checked.value.effective();
    let configs = effective.participant_token_configurations.unwrap();
    assert_eq!(configs[0].duration, Some(720));
    assert_eq!(
        configs[0].capabilities,
        Some(vec![Capability::Publish, Capability::Subscribe])
    );
    assert_eq!(configs[1].duration, Some(5));
    assert_eq!(configs[1].capabilities, Some(vec![]));
    assert_eq!((verdict.status(), verdict.error_type()), (200, None));
    let json = serde_json::to_value(&verdict).unwrap();
    assert_eq!(
        json["effective"]["participantTokenConfigurations"][0]["duration"],
        720
    );
    let bad = CreateStageVerdict::create_stage_request(br#"{"name":"a b"}"#);
    assert_eq!(
        (bad.status(), bad.error_type()),
        (400, Some("ValidationException"))
    );
}

#[test]
fn responses_are_checked_to_each_token() {
    let token = json!({"participantId": "abcABC123456", "token": "a.b.c", "duration": 720,
        "capabilities": ["PUBLISH", "SUBSCRIBE"], "expirationTime": "2026-12-04T09:00:00Z"});
    let good = json!({
        "stage": {"arn": ARN, "name": "room", "activeSessionId": "st-abcdefABCDEF1",
            "endpoints": {"events": "wss://e", "whip": "https://w", "rtmp": "rtmp://r", "rtmps": "rtmps://r"}},
        "participantTokens": [token.clone(), token.clone()],
    });
    let checked = check_create_stage_response(good.to_string().as_bytes()).unwrap();
    assert!(checked.report.is_valid(), "{}", checked.report);
    let bad = json!({
        "stage": {"name": "room", "activeSessionId": "st-short"},
        "participantTokens": [token, {"participantId": "has space"}],
    });
    let checked = check_create_stage_response(bad.to_string().as_bytes()).unwrap();
    let paths: Vec<_> = checked
        .report
        .violations
        .iter()
        .map(|v| v.path.as_str())
        .collect();
    assert_eq!(
        paths,
        vec![
            "/stage/arn",
            "/stage/activeSessionId",
            "/participantTokens/1/participantId",
            "/participantTokens/1/token",
        ]
    );
    // A token's expirationTime may be absent in CreateStage's answer (a public report
    // says the service leaves it null there); CreateParticipantToken's must have one.
    // No member of a token is echoed when it is the secret.
    assert!(!checked.report.aws_message().contains("a.b.c"));
    let missing = check_create_stage_response(b"{}").unwrap();
    assert_eq!(missing.report.violations[0].path, "/stage");
}

#[test]
fn item_violations_are_bounded_and_counted() {
    // 5,000 configurations, each with a bad duration: the report lists a bounded number
    // and counts the rest, and the length violation comes first.
    let configs: Vec<Value> = (0..5000).map(|_| json!({"duration": 0})).collect();
    let body = json!({"participantTokenConfigurations": configs});
    let checked = check_create_stage_request(body.to_string().as_bytes()).unwrap();
    let r = &checked.report;
    assert_eq!(r.violations[0].path, "/participantTokenConfigurations");
    assert_eq!(r.violations.len() - 1 + r.omitted_violations, 5000);
    assert!(r.violations.len() <= 1 + ivs_participant_token::MAX_LISTED);
}
