//! The crate's public API, listed in `tests/public-api.txt` and held to it (see
//! `api_listing`).
//!
//! To accept a change: `IVS_WRITE_PUBLIC_API=1 cargo test --all-features --test it public_api`.

use std::path::Path;

#[test]
fn the_public_api_is_the_listed_one() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    super::api_listing::check(
        "ivs-participant-token",
        "ivs_participant_token",
        dir,
        &dir.join("tests").join("public-api.txt"),
        100,
        "cargo test --all-features --test it public_api",
    );
}
