//! The reference server's integration tests, as one executable (one link for `cargo
//! test`, the `tests/it` pattern); each module is one subject. boto3 and the AWS CLI
//! against the server are in `ivs-conformance`'s `tests/trials` (`server::`), with the
//! other tests that need a tool from the venv.
//!
//! `cargo test -p ivs-reference-server --test it robustness::` runs one module.

#[allow(dead_code)] // each module uses some of the helpers
mod common;
mod http;
mod logs;
mod robustness;
mod rust_sdk;
mod stages;
