//! Conformance cases for the Amazon IVS Real-Time CreateParticipantToken operation, and
//! the runner that checks a target against them.
//!
//! The cases are language-agnostic JSON files under `conformance/cases/`, described by
//! `conformance/case.schema.json`; see `conformance/README.md` for the format. This crate
//! loads them ([`load::load_dir`]), filters them ([`case::Filter`]), runs them against a
//! [`target::Target`] ([`runner::run_all`]) and renders the results ([`report`]).
//!
//! ```
//! use ivs_conformance::{case, load, model_target::ModelTarget, runner};
//!
//! let cases = load::load_dir(&load::default_cases_dir()).unwrap();
//! let selected: Vec<&case::Case> = cases.iter().filter(|c| c.id.starts_with("duration.")).collect();
//! let results = runner::run_all(&ModelTarget::default(), &selected, 1, &|_| {});
//! let summary = runner::Summary::of(&results);
//! assert_eq!(summary.failed, 0);
//! assert!(summary.passed > 0);
//! ```

#![forbid(unsafe_code)]
// docs.rs builds with `--cfg docsrs`: show which feature each gated item needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub mod auth;
pub mod builder;
pub mod case;
pub mod commands;
pub mod compare;
pub mod embedded;
pub mod expectations;
pub mod export;
pub mod generative;
pub mod html;
pub mod http_target;
pub mod js_export;
pub mod judge;
pub mod load;
pub mod matrix;
pub mod message;
pub mod model_target;
pub mod openapi;
pub mod outcome;
pub mod report;
pub mod runner;
pub mod serving;
pub mod suite;
pub mod target;
pub mod transport;
pub mod wire;
