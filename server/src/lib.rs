//! A local reference server for the Amazon IVS Real-Time **CreateParticipantToken**
//! operation: the conformance suite's default target, and an emulator for other
//! projects' tests.
//!
//! `POST /CreateParticipantToken` goes through the core crate's strict parser and
//! validator and answers as the model and docs say: 200 with a participant token (an ES384
//! JWT signed with the server's key, published at [`app::JWKS_PATH`]), or the operation's
//! errors in their restJson1 form. Optional SigV4 verification (service `ivs`), stages,
//! quotas and a pending-verification mode come from [`ServerConfig`].
//!
//! ```no_run
//! let server = ivs_reference_server::spawn(ivs_reference_server::ServerConfig::default()).unwrap();
//! let url = format!("{}/CreateParticipantToken", server.url());
//! # let _ = url;
//! server.shutdown();
//! ```

#![forbid(unsafe_code)]
// docs.rs builds with `--cfg docsrs`: show which feature each gated item needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

/// The crate's README, whose Rust blocks run as doctests: its first use runs as written.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod app;
pub mod config;
mod config_file;
mod connection;
pub mod emulator;
pub mod escape;
pub mod files;
pub mod limits;
mod respond;
mod run;
pub mod sigv4;
mod stage_ops;
pub mod stages;
mod state;

pub use config::{AccessKey, Overrides, Quotas, ServerConfig, DEFAULT_STAGE};
pub use run::{serve, shutdown_signal, spawn, RunningServer};
pub use state::{State, MAX_COUNTED_STAGES};
