//! Validating a valid request allocates nothing, and reading a body costs one allocation
//! per owned part of its value: a counting global allocator proves both.
//! (The counting allocator is this test executable's, `alloc.rs`; the core itself has
//! no unsafe code.)

use crate::alloc::allocations_during;

#[test]
fn validating_valid_values_allocates_nothing() {
    let typical = br#"{"stageArn":"arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234","duration":60,"userId":"alice","attributes":{"displayName":"Alice"},"capabilities":["PUBLISH","SUBSCRIBE"]}"#;
    let request = ivs_participant_token::parse_request(typical).unwrap().value;
    let maximal = ivs_participant_token::CreateParticipantTokenRequest {
        user_id: Some("😀".repeat(128)),
        attributes: Some([("k".to_owned(), "é".repeat(511) + "a")].into()),
        ..request.clone()
    };
    let response = ivs_participant_token::parse_response(
        br#"{"participantToken":{"participantId":"p","token":"t","duration":1,"expirationTime":"2026-11-24T07:04:31Z"}}"#,
    )
    .unwrap()
    .value;
    let mut valid = true;
    let n = allocations_during(|| {
        valid &= request.validate().is_valid();
        valid &= maximal.validate().is_valid();
        valid &= response.validate().is_valid();
    });
    assert!(valid);
    assert_eq!(n, 0, "validation of valid values allocated {n} times");
    // The counter works: an invalid value's report allocates.
    let invalid = ivs_participant_token::CreateParticipantTokenRequest::default();
    assert!(allocations_during(|| assert!(!invalid.validate().is_valid())) > 0);
}

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

/// The benchmark's bodies (benches/validation.rs): typical, maximal, invalid, response.
fn bodies() -> [String; 4] {
    let arn = format!("{ARN}{}", "a".repeat(128 - ARN.len()));
    [
        format!(
            r#"{{"stageArn":"{ARN}","duration":60,"userId":"alice","attributes":{{"displayName":"Alice"}},"capabilities":["PUBLISH","SUBSCRIBE"]}}"#
        ),
        format!(
            r#"{{"stageArn":"{arn}","duration":20160,"userId":"{}","attributes":{{"k":"{}"}},"capabilities":["PUBLISH","SUBSCRIBE"]}}"#,
            "😀".repeat(128),
            "é".repeat(511) + "a"
        ),
        format!(
            r#"{{"stageArn":"arn:aws:ivs:us-west-2:123456789012:stage/a_b","duration":0,"userId":"{}","capabilities":["PUBLISH","SUBSCRIBE","ADMIN"]}}"#,
            "u".repeat(129)
        ),
        r#"{"participantToken":{"participantId":"AbCdEfGh1234","token":"eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ.eyJleHAiOjE3OTU1MDM4NzF9.c2lnbmF0dXJl","userId":"alice","attributes":{"displayName":"Alice"},"duration":720,"capabilities":["PUBLISH","SUBSCRIBE"],"expirationTime":"2026-11-24T07:04:31Z"}}"#.to_owned(),
    ]
}

/// What reading a body costs: one allocation for each string the value holds, one for
/// the attributes map's node and one for the capabilities list; validating a valid value
/// adds none. The core README states the typical body's count from this test.
#[test]
fn reading_allocates_once_per_owned_part() {
    let [typical, _, invalid, response] = bodies();
    // stageArn, userId, one attribute's name and value, the map's node, the list.
    let n = allocations_during(|| {
        let checked = ivs_participant_token::check_request(typical.as_bytes()).unwrap();
        assert!(checked.report.is_valid());
    });
    assert_eq!(n, 6, "the typical body cost {n} allocations");
    // The response: participantId, token, userId, the attribute's name and value, the
    // map's node, the list.
    let n = allocations_during(|| {
        let checked = ivs_participant_token::check_response(response.as_bytes()).unwrap();
        assert!(checked.report.is_valid());
    });
    assert_eq!(n, 7, "the response cost {n} allocations");
    // An invalid body: reading it costs its parts (stageArn, userId, the list, ADMIN);
    // its report allocates besides.
    let read = allocations_during(|| {
        let parsed = ivs_participant_token::parse_request(invalid.as_bytes()).unwrap();
        assert!(parsed.unknown_members.is_empty());
    });
    assert_eq!(read, 4, "reading the invalid body cost {read} allocations");
    let value = ivs_participant_token::parse_request(invalid.as_bytes())
        .unwrap()
        .value;
    assert!(allocations_during(|| assert!(!value.validate().is_valid())) > 0);
}
