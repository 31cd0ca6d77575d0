//! Conformance cases for the Amazon IVS Real-Time CreateParticipantToken operation, and
//! the runner that checks a target against them.
//!
//! The cases are language-agnostic JSON files under `conformance/cases/`, described by
//! `conformance/case.schema.json`; see `conformance/README.md` for the format. This crate
//! loads them ([`load`]), selects them ([`case::Filter`]), runs them against a
//! [`target::Target`] (a server over HTTP, [`target::http::HttpTarget`], or the core
//! itself, [`target::model::ModelTarget`]) with [`runner::run_all`], and renders the
//! results ([`report`]). The `ivs-conformance` command is built on it; its own code
//! (argument parsing, the commands) is not part of this library.
//!
//! ```
//! use ivs_conformance::{case, load, runner, target::model::ModelTarget};
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
pub mod case;
pub mod cause;
pub mod expectations;
pub mod load;
pub mod report;
pub mod runner;
pub mod suite;
pub mod target;
