//! Validating a valid request allocates nothing, and neither does reading and validating
//! a valid body through the borrowed entry points: a counting global allocator proves it.
//! (This test crate has its own allocator; the core itself has no unsafe code.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    // Per thread, so that tests running side by side do not count each other's
    // allocations (a const-initialised thread local never allocates itself).
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    ALLOCATIONS.with(|c| c.set(c.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the wrapper only
// counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

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

#[test]
fn the_borrowed_entry_points_allocate_nothing_for_valid_bodies() {
    let [typical, maximal, invalid, response] = bodies();
    let mut valid = true;
    let n = allocations_during(|| {
        for body in [&typical, &maximal] {
            let checked = ivs_participant_token::check_request_view(body.as_bytes()).unwrap();
            valid &= checked.report.is_valid();
        }
        let checked = ivs_participant_token::check_response_view(response.as_bytes()).unwrap();
        valid &= checked.report.is_valid();
    });
    assert!(valid);
    assert_eq!(
        n, 0,
        "reading and validating valid bodies allocated {n} times"
    );
    // An invalid body: reading it allocates nothing; only its report does.
    let read = allocations_during(|| {
        let view = ivs_participant_token::json::parse_request_view(invalid.as_bytes()).unwrap();
        assert!(view.unknown_members.is_empty());
    });
    assert_eq!(read, 0, "reading the invalid body allocated {read} times");
    let view = ivs_participant_token::json::parse_request_view(invalid.as_bytes())
        .unwrap()
        .value;
    assert!(allocations_during(|| assert!(!view.validate().is_valid())) > 0);
    // The owned entry point copies the strings out: it does allocate.
    assert!(
        allocations_during(|| {
            ivs_participant_token::check_request(typical.as_bytes()).unwrap();
        }) > 0
    );
}
