//! Every strict-JSON rule: what is a SerializationException, what is a
//! ValidationException, and what is accepted.

use ivs_participant_token::json::{parse_request, parse_response, ParseErrorKind};
use ivs_participant_token::{check_request, Capability, ErrorKind};

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
fn empty_body_is_an_empty_object() {
    let c = check_request(b"").unwrap();
    assert_eq!(c.report.violations[0].path, "/stageArn");
    assert_eq!(c.report.violations[0].constraint.kind(), "required");
    // White space alone is not empty: it is a body that ends before its value.
    assert_eq!(err(b" \n").kind, ParseErrorKind::UnexpectedEnd);
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
fn wrong_json_types() {
    for (member, value, path) in [
        ("stageArn", "1", "/stageArn"),
        ("stageArn", "[]", "/stageArn"),
        ("duration", r#""720""#, "/duration"),
        ("duration", "true", "/duration"),
        ("userId", "{}", "/userId"),
        ("userId", "5", "/userId"),
        ("attributes", "[]", "/attributes"),
        ("attributes", r#""a=b""#, "/attributes"),
        ("attributes", r#"{"k":1}"#, "/attributes/k"),
        ("attributes", r#"{"k":{}}"#, "/attributes/k"),
        ("capabilities", r#""PUBLISH""#, "/capabilities"),
        ("capabilities", r#"{"0":"PUBLISH"}"#, "/capabilities"),
        ("capabilities", r#"["PUBLISH",1]"#, "/capabilities/1"),
        ("capabilities", r#"[["PUBLISH"]]"#, "/capabilities/0"),
    ] {
        let body = if member == "stageArn" {
            format!(r#"{{"stageArn":{value}}}"#)
        } else {
            with(member, value)
        };
        let e = err(body.as_bytes());
        assert!(
            matches!(e.kind, ParseErrorKind::WrongType { .. }),
            "{member}={value}: {e}"
        );
        assert_eq!(e.path, path, "{member}={value}");
        let se = e.to_service_error();
        assert_eq!(
            (se.status, se.kind.clone()),
            (400, ErrorKind::Serialization)
        );
    }
}

#[test]
fn integers_are_exact_and_32_bit() {
    for (v, kind) in [
        ("720.5", ParseErrorKind::NotAnInteger),
        ("720.0", ParseErrorKind::NotAnInteger),
        ("7.2e2", ParseErrorKind::NotAnInteger),
        ("-0", ParseErrorKind::NotAnInteger),
        ("2147483648", ParseErrorKind::IntegerOutOfRange),
        ("-2147483649", ParseErrorKind::IntegerOutOfRange),
        ("18446744073709551616", ParseErrorKind::IntegerOutOfRange),
    ] {
        let e = err(with("duration", v).as_bytes());
        assert_eq!(e.kind, kind, "{v}");
        assert_eq!(e.path, "/duration");
    }
    assert!(matches!(
        err(with("duration", "1e400").as_bytes()).kind,
        ParseErrorKind::Syntax(_)
    ));
    // Within 32 bits but out of range: parsed, then a ValidationException.
    for v in ["2147483647", "-2147483648", "0", "20161"] {
        let c = check_request(with("duration", v).as_bytes()).unwrap();
        assert_eq!(c.report.violations[0].path, "/duration", "{v}");
        let e = c.report.to_service_error().unwrap();
        assert_eq!(e.kind, ErrorKind::Validation);
    }
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
fn omitted_null_and_empty_capabilities() {
    let eff = |body: String| {
        check_request(body.as_bytes())
            .unwrap()
            .value
            .effective()
            .capabilities
    };
    let both = Some(vec![Capability::Publish, Capability::Subscribe]);
    assert_eq!(eff(format!(r#"{{"stageArn":"{ARN}"}}"#)), both);
    assert_eq!(eff(with("capabilities", "null")), both);
    assert_eq!(eff(with("capabilities", "[]")), Some(vec![]));
}

#[test]
fn unknown_members_are_ignored_and_reported() {
    let body = format!(r#"{{"stageArn":"{ARN}","Duration":5,"x/y":{{"deep":[1,2,{{}}]}}}}"#);
    let c = check_request(body.as_bytes()).unwrap();
    assert!(c.report.is_valid());
    assert_eq!(c.value.duration, None, "member names are case-sensitive");
    let adv: Vec<&str> = c
        .report
        .advisories
        .iter()
        .map(|a| a.path.as_str())
        .collect();
    assert_eq!(adv, vec!["/Duration", "/x~1y"]);
    let p = parse_response(br#"{"participantToken":{"extra":1},"requestId":"r"}"#).unwrap();
    assert_eq!(
        p.unknown_members,
        vec!["/participantToken/extra", "/requestId"]
    );
}

#[test]
fn text_encoding_rules() {
    let e = err(b"{\"userId\":\"\xff\"}");
    assert_eq!(e.kind, ParseErrorKind::InvalidUtf8);
    assert_eq!((e.line, e.column), (1, 12));
    for s in [r#""\ud800""#, r#""\udc00""#, r#""\ud800\u0041""#] {
        assert_eq!(
            err(with("userId", s).as_bytes()).kind,
            ParseErrorKind::InvalidEscape,
            "{s}"
        );
    }
    // A proper surrogate pair is one scalar value.
    let c = check_request(with("userId", r#""\ud83d\ude00""#).as_bytes()).unwrap();
    assert_eq!(c.value.user_id.as_deref(), Some("😀"));
}

#[test]
fn trailing_data_and_truncation() {
    assert_eq!(err(b"{} {}").kind, ParseErrorKind::TrailingData);
    assert_eq!(err(b"{}x").kind, ParseErrorKind::TrailingData);
    assert!(
        parse_request(b"{}\n\t ").is_ok(),
        "trailing white space is fine"
    );
    assert_eq!(err(b"{\"stageArn\":").kind, ParseErrorKind::UnexpectedEnd);
    assert!(matches!(err(b"{,}").kind, ParseErrorKind::Syntax(_)));
    assert!(matches!(err(b"{'a':1}").kind, ParseErrorKind::Syntax(_)));
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
