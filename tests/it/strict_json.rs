//! The strict reader's typed API: the payloads of [`ParseErrorKind`], positions, the
//! value read, and bounds that no case file can carry (nesting 100,000 deep). Which
//! bodies are a SerializationException, of which kind and at which pointer, is data:
//! the `strict-json.*` and `*.type.*` cases under `conformance/cases/`, which
//! `ivs-conformance`'s `offline_cases` test runs against the core.

use ivs_participant_token::{check_request, ErrorKind};
use ivs_participant_token::{parse_request, parse_response, ParseErrorKind};

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

fn err(body: &[u8]) -> ivs_participant_token::ParseError {
    match parse_request(body) {
        Ok(v) => panic!("accepted {:?}: {v:?}", String::from_utf8_lossy(body)),
        Err(e) => e,
    }
}

fn with(member: &str, value: &str) -> String {
    format!(r#"{{"stageArn":"{ARN}","{member}":{value}}}"#)
}

#[test]
fn top_level_must_be_an_object() {
    for (body, found) in [
        ("[]", "an array"),
        (r#"["stageArn"]"#, "an array"),
        ("\"x\"", "a string"),
        ("1", "a number"),
        ("true", "a boolean"),
        ("null", "null"),
    ] {
        assert_eq!(
            err(body.as_bytes()).kind,
            ParseErrorKind::NotAnObject { found },
            "{body}"
        );
    }
    assert_eq!(
        parse_response(b"[]").unwrap_err().kind,
        ParseErrorKind::NotAnObject { found: "an array" }
    );
}

#[test]
fn duplicate_members_are_rejected() {
    let e = err(format!(r#"{{"stageArn":"{ARN}","stageArn":"{ARN}"}}"#).as_bytes());
    assert_eq!(e.kind, ParseErrorKind::DuplicateMember("stageArn".into()));
    // null counts as a mention too.
    let e = err(br#"{"duration":null,"duration":5}"#);
    assert_eq!(e.kind, ParseErrorKind::DuplicateMember("duration".into()));
    // Inside attributes, and among unknown members.
    let e = err(with("attributes", r#"{"a":"1","a":"2"}"#).as_bytes());
    assert_eq!(e.kind, ParseErrorKind::DuplicateMember("a".into()));
    assert_eq!(e.path, "/attributes");
    let e = err(br#"{"zz":1,"zz":2}"#);
    assert_eq!(e.kind, ParseErrorKind::DuplicateMember("zz".into()));
    // Escaped spellings of the same name are the same name.
    let e = err(br#"{"userId":"a","user\u0049d":"b"}"#);
    assert_eq!(e.kind, ParseErrorKind::DuplicateMember("userId".into()));
    let e = parse_response(br#"{"participantToken":{"token":"a","token":"b"}}"#).unwrap_err();
    assert_eq!(e.kind, ParseErrorKind::DuplicateMember("token".into()));
}

#[test]
fn null_is_absence_for_members_and_an_error_in_collections() {
    let p = parse_request(
        format!(r#"{{"stageArn":"{ARN}","duration":null,"userId":null,"attributes":null,"capabilities":null}}"#)
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(
        p.value,
        ivs_participant_token::CreateParticipantTokenRequest::new(ARN)
    );
    let c = check_request(br#"{"stageArn":null}"#).unwrap();
    assert_eq!(c.report.violations[0].constraint.kind(), "required");
    let e = err(with("capabilities", r#"["PUBLISH",null]"#).as_bytes());
    assert_eq!(
        (e.kind, e.path.as_str()),
        (ParseErrorKind::NullInCollection, "/capabilities/1")
    );
    let e = err(with("attributes", r#"{"k":null}"#).as_bytes());
    assert_eq!(
        (e.kind, e.path.as_str()),
        (ParseErrorKind::NullInCollection, "/attributes/k")
    );
}

#[test]
fn positions_of_text_errors() {
    let e = err(b"{\"userId\":\"\xff\"}");
    assert_eq!(e.kind, ParseErrorKind::InvalidUtf8);
    assert_eq!((e.line, e.column), (1, 12));
    let e = err(with("userId", r#""\ud800""#).as_bytes());
    assert_eq!(
        (&e.kind, e.path.as_str()),
        (&ParseErrorKind::InvalidEscape, "/userId")
    );
    let se = e.to_service_error();
    assert_eq!((se.status, se.kind), (400, ErrorKind::Serialization));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for depth in [200usize, 100_000] {
        let body = format!(r#"{{"x":{}{}}}"#, "[".repeat(depth), "]".repeat(depth));
        assert_eq!(
            err(body.as_bytes()).kind,
            ParseErrorKind::TooDeep,
            "{depth}"
        );
    }
    let limit = ivs_participant_token::constraints::MAX_JSON_DEPTH;
    // The top-level object is one level: an unknown member may hold limit - 1 more.
    let ok = format!(
        r#"{{"x":{}{}}}"#,
        "[".repeat(limit - 1),
        "]".repeat(limit - 1)
    );
    assert!(parse_request(ok.as_bytes()).is_ok());
    let over = format!(r#"{{"x":{}{}}}"#, "[".repeat(limit), "]".repeat(limit));
    assert_eq!(err(over.as_bytes()).kind, ParseErrorKind::TooDeep);
}

#[test]
fn write_then_read_is_the_identity() {
    let body = format!(
        r#"{{"stageArn":"{ARN}","duration":20160,"userId":"ü\"\\/","attributes":{{"":"","k":"v"}},"capabilities":["SUBSCRIBE","other"]}}"#
    );
    let v = parse_request(body.as_bytes()).unwrap().value;
    let again = serde_json::to_vec(&v).unwrap();
    assert_eq!(parse_request(&again).unwrap().value, v);
}
