//! The `ivs-conformance` command's own code, private to the binary: its arguments
//! (`args`), what each command does (`commands`), how a target is built from the flags
//! (`builder`), `serve` (`serving`), the exports (`export`, `js_export`, `openapi`) and
//! how a command's output is printed (`output`). The library (`ivs_conformance`) holds the
//! cases, the targets, the runner and the reports.

pub mod args;
pub mod builder;
pub mod commands;
pub mod export;
pub mod fuzz;
pub mod js_export;
pub mod openapi;
pub mod output;
pub mod select;
pub mod serving;
pub mod show;
pub mod token;
