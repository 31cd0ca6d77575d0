//! The conformance library's public API (the cases, loading, the targets, the runner and
//! the reports), listed in `conformance/tests/public-api.txt` and held to it, as the core's
//! is: the command's own code is not part of it.
//!
//! To accept a change: `IVS_WRITE_PUBLIC_API=1 cargo test -p ivs-conformance --test it public_api`.

use std::path::Path;

#[path = "../../../tests/it/api_listing.rs"]
mod api_listing;

#[test]
fn the_public_api_is_the_listed_one() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !dir.join("../tests/it/api_listing.rs").exists() {
        eprintln!("skipped: the listing's machinery is in the workspace's core tests");
        return;
    }
    api_listing::check(
        "ivs-conformance",
        "ivs_conformance",
        dir,
        &dir.join("tests").join("public-api.txt"),
        50,
        "cargo test -p ivs-conformance --test it public_api",
    );
}
