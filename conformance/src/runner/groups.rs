//! A run's failures grouped by cause, largest first: what to fix first.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cause::Cause;
use crate::runner::{CaseResult, OutcomeKind};

/// One cause and the cases that failed of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CauseGroup {
    /// The cause.
    #[serde(flatten)]
    pub cause: Cause,
    /// How many cases failed of it.
    pub cases: usize,
    /// Of those, how many count at MUST.
    pub must: usize,
    /// The first of them, in the suite's order: the one to look at.
    pub example: String,
}

/// The failures of a run (unexpected ones, `fail`) grouped by cause, largest first (ties
/// in the order of their first case): what to fix first.
pub fn group(results: &[CaseResult]) -> Vec<CauseGroup> {
    let mut groups: Vec<CauseGroup> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for r in results
        .iter()
        .filter(|r| r.outcome.kind() == OutcomeKind::Fail)
    {
        let cause = cause_of(r);
        let must = usize::from(r.level == crate::case::Level::Must);
        if let Some(&i) = index.get(&cause.key) {
            groups[i].cases += 1;
            groups[i].must += must;
            continue;
        }
        index.insert(cause.key.clone(), groups.len());
        groups.push(CauseGroup {
            cause,
            cases: 1,
            must,
            example: r.id.clone(),
        });
    }
    // Stable: equal counts keep the order of their first case.
    groups.sort_by_key(|g| std::cmp::Reverse(g.cases));
    groups
}

/// A result's cause: the one its judging found, else its first reason.
pub fn cause_of(r: &CaseResult) -> Cause {
    r.detail
        .cause
        .clone()
        .unwrap_or_else(|| Cause::new(r.outcome.reasons().first().map_or("", String::as_str), None))
}
