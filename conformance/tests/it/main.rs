//! The runner's and the CLI's integration tests, as one executable (one link for `cargo
//! test`, the `tests/it` pattern); each module is one subject. The tests whose list or
//! whose skipping is decided at run time (one per case; those that need a tool from the
//! venv or a browser) are in `tests/trials`, under a harness that can say why it skips.
//!
//! `cargo test -p ivs-conformance --test it cli::` runs one module.

mod cases_have_teeth;
mod cli;
mod create_stage;
mod emulator;
mod explains;
mod hostile;
mod js_rules;
mod layout;
mod one_build;
mod public_api;
mod servers;
mod untrusted;
