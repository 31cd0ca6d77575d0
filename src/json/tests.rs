//! The strict reader's unit tests.

use super::*;
use crate::constraints;
use crate::model::{Field, ParticipantToken, Shape};

fn kind(body: &str) -> ParseErrorKind {
    parse_request(body.as_bytes()).unwrap_err().kind
}

#[test]
fn line_column_of_prefix() {
    assert_eq!(line_column(b""), (1, 1));
    assert_eq!(line_column(b"ab\ncd"), (2, 3));
}

#[test]
fn error_positions_and_paths() {
    let e = parse_request(b"{\n \"capabilities\": [\"PUBLISH\", null]}").unwrap_err();
    assert_eq!(e.kind, ParseErrorKind::NullInCollection);
    assert_eq!(e.path, "/capabilities/1");
    assert_eq!(e.line, 2);
    let e = parse_request(br#"{"attributes": {"a/b": 1}}"#).unwrap_err();
    assert_eq!(e.path, "/attributes/a~1b");
    assert!(matches!(e.kind, ParseErrorKind::WrongType { .. }));
}

#[test]
fn kinds() {
    assert_eq!(
        kind("[]"),
        ParseErrorKind::NotAnObject {
            found: msg::FOUND_ARRAY
        }
    );
    assert_eq!(kind("{} x"), ParseErrorKind::TrailingData);
    assert_eq!(kind("{"), ParseErrorKind::UnexpectedEnd);
    assert_eq!(kind(r#"{"duration": 720.5}"#), ParseErrorKind::NotAnInteger);
    assert_eq!(
        kind(r#"{"duration": 2147483648}"#),
        ParseErrorKind::IntegerOutOfRange
    );
    assert_eq!(
        kind(r#"{"userId": "\ud800"}"#),
        ParseErrorKind::InvalidEscape
    );
    assert_eq!(
        kind(r#"{"x": 1, "x": 2}"#),
        ParseErrorKind::DuplicateMember("x".into())
    );
}

#[test]
fn messages_do_not_echo_string_values() {
    let e = parse_response(br#"{"participantToken": {"token": "SECRET", "duration": "SECRET2"}}"#)
        .unwrap_err();
    assert!(!e.to_string().contains("SECRET"), "{e}");
}

/// The wire type a field kind reads.
fn wire_type_of(field: &Field<'_>) -> constraints::WireType {
    use constraints::WireType;
    match field {
        Field::Text(_) | Field::Secret(_) => WireType::String,
        Field::Int(_) => WireType::Integer,
        Field::Attributes(_) => WireType::StringMap,
        Field::Capabilities(_) => WireType::StringList,
        Field::Time(_) => WireType::Timestamp,
        Field::ParticipantToken(_)
        | Field::Recording(_)
        | Field::Thumbnail(_)
        | Field::Hls(_)
        | Field::Stage(_)
        | Field::Endpoints(_) => WireType::Object,
        Field::Configurations(_) | Field::Tokens(_) => WireType::ObjectList,
        Field::Bool(_) => WireType::Boolean,
        Field::Strings(_) => WireType::StringList,
    }
}

/// A JSON value of `wire_type` that every member of that type accepts as read.
fn sample(wire_type: constraints::WireType) -> serde_json::Value {
    use constraints::WireType;
    match wire_type {
        WireType::String => "s".into(),
        WireType::Integer | WireType::Long => 7.into(),
        WireType::Object => serde_json::json!({}),
        WireType::StringList => serde_json::json!(["PUBLISH"]),
        WireType::StringMap => serde_json::json!({"k": "v"}),
        WireType::Timestamp => "2026-11-24T07:04:31Z".into(),
        WireType::ObjectList => serde_json::json!([{}]),
        WireType::Boolean => true.into(),
    }
}

/// Every row of a shape's table is routed to a field of its wire type, and a value
/// read into it comes back under the member's own name when written: a member
/// added to the table and forgotten in `Shape::field`, or routed to another member's
/// field, fails here.
fn every_row_is_routed<T: Shape + serde::Serialize>() {
    let table: Vec<_> = T::TABLE.iter().map(|m| m.id).collect();
    assert_eq!(
        T::MEMBERS,
        table,
        "the list and the table differ, or their order does"
    );
    for row in T::TABLE {
        let mut value = T::default();
        let field = value
            .field(row.id)
            .unwrap_or_else(|| panic!("{}.{} has no route", row.shape, row.member));
        assert_eq!(wire_type_of(&field), row.wire_type, "{}", row.member);
        let body = serde_json::json!({ row.member: sample(row.wire_type) }).to_string();
        let parsed = parse_with(body.as_bytes(), |st, de| {
            TopSeed::<T>::new(st).deserialize(de)
        })
        .unwrap_or_else(|e| panic!("{}: {e}", row.member));
        assert!(parsed.unknown_members.is_empty(), "{}", row.member);
        let written = serde_json::to_value(&parsed.value).unwrap();
        let members: Vec<&String> = written.as_object().unwrap().keys().collect();
        assert_eq!(
            members,
            [row.member],
            "{} was read into another field",
            row.member
        );
    }
}

#[test]
fn every_table_member_has_a_route() {
    every_row_is_routed::<CreateParticipantTokenRequest>();
    every_row_is_routed::<ParticipantToken>();
    every_row_is_routed::<CreateParticipantTokenResponse>();
    every_row_is_routed::<crate::model::CreateStageRequest>();
    every_row_is_routed::<crate::model::ParticipantTokenConfiguration>();
    every_row_is_routed::<crate::model::AutoParticipantRecordingConfiguration>();
    every_row_is_routed::<crate::model::ParticipantThumbnailConfiguration>();
    every_row_is_routed::<crate::model::ParticipantRecordingHlsConfiguration>();
    every_row_is_routed::<crate::model::CreateStageResponse>();
    every_row_is_routed::<crate::model::Stage>();
    every_row_is_routed::<crate::model::StageEndpoints>();
}

#[test]
fn serde_deserialize_is_strict_too() {
    assert!(serde_json::from_str::<CreateParticipantTokenRequest>("[]").is_err());
    assert!(serde_json::from_str::<CreateParticipantTokenRequest>(r#"{"duration":"1"}"#).is_err());
}
