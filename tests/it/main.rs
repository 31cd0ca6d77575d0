//! The core's integration tests, as one executable (one link for `cargo test`, the
//! `tests/it` pattern); each module is one subject. `fuzz_regressions` stays apart: it
//! names a test for each saved input, which needs its own harness.
//!
//! `cargo test --test it strict_json::` runs one module.

mod alloc;
mod alloc_free;
mod api_listing;
mod boundaries;
mod bounded_cost;
mod create_stage;
mod module_cycles;
mod module_graph;
#[cfg(all(feature = "proptest", feature = "arbitrary", feature = "token"))]
mod properties;
mod public_api;
mod strict_json;
#[cfg(feature = "token")]
mod token;
