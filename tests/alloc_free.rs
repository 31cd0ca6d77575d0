//! Validating a valid request allocates nothing: a counting global allocator proves it.
//! (This test crate has its own allocator; the core itself has no unsafe code.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the wrapper only
// counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
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
