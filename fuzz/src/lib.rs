//! The fuzz targets' checks, as plain functions of bytes. The targets are one-line
//! wrappers around them, and the core's `tests/fuzz_regressions.rs` includes this file to
//! replay every saved crash and the whole seed corpus under a stable `cargo test`.

pub mod checks;
