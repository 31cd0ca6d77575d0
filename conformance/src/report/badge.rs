//! The shields.io endpoint badge of a run: the MUST cases passed, and the suite.

use serde::{Deserialize, Serialize};

use super::json::RunReport;
use crate::case::Level;
use crate::runner::{CaseResult, OutcomeKind};
use crate::suite::SuiteInfo;

/// How the MUST cases of a run went: those that ran (not skipped), and those of them
/// that did not fail at MUST (a MUST case failing in exactness only counts at SHOULD;
/// an expected failure still fails).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MustTally {
    /// MUST cases run.
    pub run: usize,
    /// Of those, passed.
    pub passed: usize,
}

impl MustTally {
    /// The tally of cases given as (the level stated, the level counted, the outcome's
    /// JSON name): one rule for results and for reports read back.
    fn count(cases: impl Iterator<Item = (Level, Level, OutcomeKind)>) -> MustTally {
        let mut t = MustTally::default();
        for (declared, counted, outcome) in cases {
            if declared != Level::Must || outcome == OutcomeKind::Skip {
                continue;
            }
            t.run += 1;
            let failed_at_must = matches!(outcome, OutcomeKind::Fail | OutcomeKind::Expected)
                && counted == Level::Must;
            if !failed_at_must {
                t.passed += 1;
            }
        }
        t
    }

    /// The tally of `results`.
    pub fn of(results: &[CaseResult]) -> MustTally {
        MustTally::count(results.iter().map(|r| {
            (
                r.detail.declared.unwrap_or(r.level),
                r.level,
                r.outcome.kind(),
            )
        }))
    }

    /// The tally of a JSON report's cases.
    pub fn of_report(report: &RunReport) -> MustTally {
        MustTally::count(
            report
                .cases
                .iter()
                .map(|c| (c.declared_level.unwrap_or(c.level), c.level, c.outcome)),
        )
    }
}

/// A shields.io endpoint badge: `{"schemaVersion": 1, "label", "message", "color"}`.
/// The label names the suite (shields.io accepts no other members; `?label=` on the
/// badge URL replaces it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Badge {
    /// Always 1.
    pub schema_version: u8,
    /// `ivs-conformance 0.1.0 · API 2020-07-14 · 237 cases · 1a2b3c4d5e6f`.
    pub label: String,
    /// `183/183 MUST`.
    pub message: String,
    /// `brightgreen` when every MUST case run passed, `yellow` from 90%, else `red`
    /// (`lightgrey` when none ran).
    pub color: String,
}

impl Badge {
    /// The badge of a tally of `suite`'s MUST cases.
    pub fn of(suite: &SuiteInfo, t: &MustTally) -> Badge {
        let color = if t.run == 0 {
            "lightgrey"
        } else if t.passed == t.run {
            "brightgreen"
        } else if t.passed * 10 >= t.run * 9 {
            "yellow"
        } else {
            "red"
        };
        Badge {
            schema_version: 1,
            label: format!(
                "ivs-conformance {} · API {} · {} cases · {}",
                suite.kit_version,
                suite.api_version,
                suite.cases,
                suite.short_digest()
            ),
            message: format!("{}/{} MUST", t.passed, t.run),
            color: color.to_owned(),
        }
    }
}
