//! The shields.io endpoint badge of a run: the cases passed of those run, as every
//! report counts them ([`Summary`]).

use serde::{Deserialize, Serialize};

use crate::runner::Summary;

/// The badge's label: short enough for a README's row of badges (at most 24
/// characters). The suite that ran is in the JSON report (`suite`): shields.io refuses
/// an endpoint document with members it does not know.
pub const BADGE_LABEL: &str = "IVS conformance";

/// A shields.io endpoint badge: `{"schemaVersion": 1, "label", "message", "color"}`
/// (`?label=` on the badge URL replaces the label).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Badge {
    /// Always 1.
    pub schema_version: u8,
    /// [`BADGE_LABEL`].
    pub label: String,
    /// `180/180 passed`: the cases passed of those run, as every report counts them.
    pub message: String,
    /// `brightgreen` when nothing failed, `yellow` when only cases below MUST failed
    /// (or failed as expected, or an expected failure went stale), `red` when a MUST
    /// case failed (`lightgrey` when none ran).
    pub color: String,
}

impl Badge {
    /// The badge of a run's counts.
    pub fn of(s: &Summary) -> Badge {
        let color = if s.run() == 0 {
            "lightgrey"
        } else if s.failed_must > 0 {
            "red"
        } else if s.failed > 0 || s.expected > 0 || s.stale > 0 {
            "yellow"
        } else {
            "brightgreen"
        };
        Badge {
            schema_version: 1,
            label: BADGE_LABEL.to_owned(),
            message: format!("{}/{} passed", s.passed, s.run()),
            color: color.to_owned(),
        }
    }
}
