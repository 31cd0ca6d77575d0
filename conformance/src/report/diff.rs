//! Two runs compared (`report --diff OLD.json NEW.json`): the cases that broke, those
//! fixed, and those that fail of another cause than before.

use std::collections::HashMap;
use std::fmt::Write as _;

use ivs_reference_server::escape;

use super::json::{CaseReport, RunReport};
use crate::runner::OutcomeKind;

/// How a case went from one run to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// Passed before (stale entries included), fail now (as expected or not): a
    /// regression. Each with its cause now.
    pub broke: Vec<(String, String)>,
    /// Failed before (as expected or not), pass now.
    pub fixed: Vec<String>,
    /// Failing in both, of another cause: (id, cause before, cause now).
    pub changed: Vec<(String, String, String)>,
    /// Ran in one run and not in the other (skipped or absent).
    pub not_compared: usize,
}

fn passed(c: &CaseReport) -> bool {
    matches!(c.outcome, OutcomeKind::Pass | OutcomeKind::Stale)
}

fn failed(c: &CaseReport) -> bool {
    matches!(c.outcome, OutcomeKind::Fail | OutcomeKind::Expected)
}

fn cause(c: &CaseReport) -> String {
    c.cause
        .as_ref()
        .map(|c| c.key.clone())
        .or_else(|| c.reasons.first().cloned())
        .unwrap_or_default()
}

impl Diff {
    /// `new` against `old`, in `new`'s order.
    pub fn of(old: &RunReport, new: &RunReport) -> Diff {
        let before: HashMap<&str, &CaseReport> =
            old.cases.iter().map(|c| (c.id.as_str(), c)).collect();
        let mut d = Diff::default();
        for now in &new.cases {
            let Some(was) = before.get(now.id.as_str()) else {
                d.not_compared += 1;
                continue;
            };
            if passed(was) && failed(now) {
                d.broke.push((now.id.clone(), cause(now)));
            } else if failed(was) && passed(now) {
                d.fixed.push(now.id.clone());
            } else if failed(was) && failed(now) && cause(was) != cause(now) {
                d.changed.push((now.id.clone(), cause(was), cause(now)));
            } else if was.outcome == OutcomeKind::Skip || now.outcome == OutcomeKind::Skip {
                d.not_compared += 1;
            }
        }
        d
    }

    /// Whether a case that passed before fails now.
    pub fn regressed(&self) -> bool {
        !self.broke.is_empty()
    }

    /// The comparison as text, every value from the reports escaped for a terminal.
    pub fn text(&self) -> String {
        let t = |s: &str| escape::terminal(&escape::cut(s, 300)).into_owned();
        let mut out = String::new();
        let _ = writeln!(out, "{} broke (passed before, fail now):", self.broke.len());
        for (id, cause) in &self.broke {
            let _ = writeln!(out, "  {}: {}", t(id), t(cause));
        }
        let _ = writeln!(out, "{} fixed (failed before, pass now):", self.fixed.len());
        for id in &self.fixed {
            let _ = writeln!(out, "  {}", t(id));
        }
        let _ = writeln!(out, "{} fail of another cause:", self.changed.len());
        for (id, was, now) in &self.changed {
            let _ = writeln!(out, "  {}: was {}, now {}", t(id), t(was), t(now));
        }
        if self.not_compared > 0 {
            let _ = writeln!(
                out,
                "{} not compared (skipped or absent in one of the runs)",
                self.not_compared
            );
        }
        out
    }
}
