//! The JSON report of a run (`run --format json`), which `report` reads back.

use serde::{Deserialize, Serialize};

use super::meta::RunMeta;
use crate::case::{Level, Operation};
use crate::cause::Cause;
use crate::runner::{CaseResult, CauseGroup, OutcomeKind, Summary};
use crate::suite::SuiteInfo;

/// One case in the JSON report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseReport {
    /// The case id.
    pub id: String,
    /// The operation it exercises (reports written before CreateStage had cases name
    /// none: CreateParticipantToken).
    #[serde(default)]
    pub operation: Operation,
    /// The level its outcome counts at (`MUST`, `SHOULD`, `MAY`).
    pub level: Level,
    /// `pass`, `fail`, `skip`, `expected` (failed, as the expected-failures file says)
    /// or `stale` (listed there, but passed).
    pub outcome: OutcomeKind,
    /// Why it failed, was skipped or is stale.
    pub reasons: Vec<String>,
    /// Wall time spent on it.
    pub seconds: f64,
    /// The level the case states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_level: Option<Level>,
    /// The case's tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// What it failed of first, for a case that did not pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// For a case that did not pass, its HTTP exchange: the request sent and the answer
    /// as it came (credentials redacted; each body within
    /// [`EXCHANGE_BODY_BYTES`](crate::runner::EXCHANGE_BODY_BYTES), the cut counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<serde_json::Value>,
}

/// The JSON report of a run, as `run --format json` writes it and `report` reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    /// The target's name.
    pub target: String,
    /// The run's name (`run --name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The version of the implementation that ran (`run --implementation-version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementation_version: Option<String>,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed (not counting expected failures).
    pub failed: usize,
    /// Of those, MUST cases.
    pub failed_must: usize,
    /// Cases skipped.
    pub skipped: usize,
    /// Cases that failed as the expected-failures file says.
    #[serde(default)]
    pub expected_failures: usize,
    /// Cases listed as failing that passed.
    #[serde(default)]
    pub stale: usize,
    /// The suite that ran; `None` in a report written before reports named it.
    #[serde(default)]
    pub suite: Option<SuiteInfo>,
    /// When the run ended, RFC 3339 UTC.
    #[serde(default)]
    pub generated_at: Option<String>,
    /// The failures grouped by cause, largest first: what to fix first.
    #[serde(default)]
    pub causes: Vec<CauseGroup>,
    /// Every case, in the suite's order.
    pub cases: Vec<CaseReport>,
}

impl RunReport {
    /// The report of `results`.
    pub fn of(meta: &RunMeta, results: &[CaseResult]) -> RunReport {
        let s = Summary::of(results);
        let cases = results
            .iter()
            .map(|r| {
                let reasons = r.outcome.reasons().to_vec();
                CaseReport {
                    id: r.id.clone(),
                    operation: r.detail.operation,
                    level: r.level,
                    outcome: r.outcome.kind(),
                    reasons,
                    seconds: r.elapsed.as_secs_f64(),
                    declared_level: r.detail.declared,
                    tags: r.detail.tags.clone(),
                    cause: (!matches!(r.outcome.kind(), OutcomeKind::Pass | OutcomeKind::Skip))
                        .then(|| crate::runner::cause_of(r)),
                    exchange: r.detail.exchange.clone(),
                }
            })
            .collect();
        RunReport {
            target: meta.target.clone(),
            name: meta.name.clone(),
            implementation_version: meta.implementation_version.clone(),
            passed: s.passed,
            failed: s.failed,
            failed_must: s.failed_must,
            skipped: s.skipped,
            expected_failures: s.expected,
            stale: s.stale,
            suite: Some(meta.suite.clone()),
            generated_at: Some(meta.generated_at.clone()),
            causes: crate::runner::group(results),
            cases,
        }
    }

    /// Its counts, from its cases, as [`Summary::of`] counts results.
    pub fn summary(&self) -> Summary {
        Summary::of_outcomes(self.cases.iter().map(|c| (c.outcome, c.level)))
    }

    /// Reads a JSON report, with an error that says what was wrong with it.
    pub fn parse(text: &str) -> Result<RunReport, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        serde_json::from_str(text)
            .map_err(|e| format!("not a JSON report of `ivs-conformance run --format json`: {e}"))
    }
}
