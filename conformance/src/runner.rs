//! Running cases against a target and judging what it did.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::case::{Case, Expect, ExpectedViolation, Level};
use crate::target::{Observed, ObservedViolation, SendRequest, Target};

/// A case's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The target did what the case expects.
    Pass,
    /// It did not; each string says how.
    Fail(Vec<String>),
    /// The case does not apply to the target, or needs set-up it cannot give.
    Skip(String),
}

/// One case's result.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// Its level.
    pub level: Level,
    /// The verdict.
    pub outcome: Outcome,
    /// Wall time spent on it.
    pub elapsed: Duration,
}

/// Counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Of those, MUST cases.
    pub failed_must: usize,
    /// Cases skipped.
    pub skipped: usize,
}

impl Summary {
    /// Counts `results`.
    pub fn of(results: &[CaseResult]) -> Summary {
        let mut s = Summary::default();
        for r in results {
            match r.outcome {
                Outcome::Pass => s.passed += 1,
                Outcome::Fail(_) => {
                    s.failed += 1;
                    if r.level == Level::Must {
                        s.failed_must += 1;
                    }
                }
                Outcome::Skip(_) => s.skipped += 1,
            }
        }
        s
    }
}

impl std::fmt::Display for Summary {
    /// `N passed, M failed, K skipped`: the closing line of every run.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

/// Runs one case against `target`. A panic while running or judging it (in a target, or
/// in the checks an answer goes through) is that case's failure, never the run's end.
pub fn run_case(target: &dyn Target, case: &Case) -> Outcome {
    let run = std::panic::AssertUnwindSafe(|| run_case_unguarded(target, case));
    std::panic::catch_unwind(run).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        Outcome::Fail(vec![format!("checking this case panicked: {what}")])
    })
}

fn run_case_unguarded(target: &dyn Target, case: &Case) -> Outcome {
    let kind = target.kind();
    if !case.applies_to.contains(&kind) {
        return Outcome::Skip(format!("does not apply to a {kind:?} target"));
    }
    if let Some(p) = case
        .preconditions
        .iter()
        .find(|p| !target.supports_precondition(p))
    {
        return Outcome::Skip(format!("needs set-up {p:?}, which this target cannot give"));
    }
    let observed = match (&case.request, &case.response) {
        (Some(spec), None) => {
            let vars = target.variables();
            let request = spec.body_bytes(vars).and_then(|body| {
                Ok(SendRequest {
                    method: spec.method.clone(),
                    path: spec.path.clone(),
                    headers: spec.headers(vars)?,
                    body,
                })
            });
            match request.and_then(|r| target.send(&r, &case.preconditions)) {
                Ok(o) => o,
                Err(e) => return Outcome::Fail(vec![e]),
            }
        }
        (None, Some(spec)) => match target.read_response(spec) {
            Some(o) => o,
            None => return Outcome::Skip("this target does not read responses".into()),
        },
        _ => return Outcome::Fail(vec!["a case has a request or a response, not both".into()]),
    };
    let mismatches = compare(&case.expect, &observed, case.request.is_some());
    if mismatches.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail(mismatches)
    }
}

/// Runs every case on `concurrency` threads, timing each; results come back in the
/// cases' order. `progress` hears of each case as it finishes.
pub fn run_all(
    target: &dyn Target,
    cases: &[&Case],
    concurrency: usize,
    progress: &(dyn Fn(&CaseResult) + Sync),
) -> Vec<CaseResult> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<CaseResult>>> =
        cases.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..concurrency.max(1).min(cases.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                let start = Instant::now();
                let outcome = run_case(target, case);
                let result = CaseResult {
                    id: case.id.clone(),
                    level: case.level,
                    outcome,
                    elapsed: start.elapsed(),
                };
                progress(&result);
                *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
            });
        }
    });
    slots
        .into_iter()
        .map(|s| {
            s.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every case ran")
        })
        .collect()
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// Compares two echoed values; lists compare as multisets (capabilities are a set).
fn same_value(expected: &Value, got: &Value) -> bool {
    match (expected, got) {
        (Value::Array(a), Value::Array(b)) => {
            let key = |v: &Vec<Value>| {
                let mut s: Vec<String> = v.iter().map(Value::to_string).collect();
                s.sort();
                s
            };
            key(a) == key(b)
        }
        _ => expected == got,
    }
}

/// The expected constraints not found among those reported at the same paths. A
/// reported violation whose constraint could not be told matches any.
fn constraint_mismatches(want: &[ExpectedViolation], have: &[ObservedViolation]) -> Vec<String> {
    let mut unmatched: Vec<&ObservedViolation> = have.iter().collect();
    let mut out = Vec::new();
    // Named constraints first, so that a wildcard is not spent on a path-only one.
    let mut want: Vec<&ExpectedViolation> = want.iter().collect();
    want.sort_by_key(|w| w.constraint().is_none());
    for w in want {
        let fits = |h: &&ObservedViolation| {
            h.path == w.path()
                && match (w.constraint(), h.constraint.as_deref()) {
                    (Some(c), Some(hc)) => c == hc,
                    _ => true,
                }
        };
        match unmatched.iter().position(fits) {
            Some(i) => {
                unmatched.remove(i);
            }
            None => out.push(format!(
                "violation at {}: expected {}, got {}",
                w.path(),
                w.constraint().unwrap_or("any"),
                have.iter()
                    .filter(|h| h.path == w.path())
                    .map(|h| h.constraint.as_deref().unwrap_or("unknown"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    out
}

/// Every way `got` departs from `expect`; empty when it meets it.
pub fn compare(expect: &Expect, got: &Observed, is_request: bool) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(status) = expect.status {
        if status != got.status {
            out.push(format!("status: expected {status}, got {}", got.status));
        }
    }
    let expected_type = expect.error_type.as_deref();
    // An error type is checked where the case names one, and for an expected success
    // (where there must be none); a bare error status leaves the type open.
    let success_expected = is_request && expect.status.is_some_and(|s| s < 300);
    if (success_expected || expected_type.is_some()) && expected_type != got.error_type.as_deref() {
        out.push(format!(
            "error type: expected {}, got {}",
            expected_type.unwrap_or("none"),
            got.error_type.as_deref().unwrap_or("none")
        ));
    }
    if let Some(want) = &expect.violations {
        let want_paths: Vec<String> = want.iter().map(|v| v.path().to_owned()).collect();
        match &got.violations {
            Some(have) => {
                let have_paths: Vec<String> = have.iter().map(|v| v.path.clone()).collect();
                if sorted(&want_paths) != sorted(&have_paths) {
                    out.push(format!(
                        "violations: expected {want_paths:?}, got {have_paths:?}"
                    ));
                } else {
                    out.extend(constraint_mismatches(want, have));
                }
            }
            None => out.push(format!(
                "violations: expected {want_paths:?}, the answer names none that could be read"
            )),
        }
    }
    if let (Some(want), Some(have)) = (&expect.serialization, &got.serialization) {
        if want.kind != have.kind {
            out.push(format!(
                "serialization error: expected {}, got {}",
                want.kind, have.kind
            ));
        }
        if let Some(path) = want.path.as_ref().filter(|p| **p != have.path) {
            out.push(format!(
                "serialization error path: expected {path:?}, got {:?}",
                have.path
            ));
        }
    }
    if let (Some(want), Some(have)) = (&expect.advisories, &got.advisories) {
        if sorted(want) != sorted(have) {
            out.push(format!("advisories: expected {want:?}, got {have:?}"));
        }
    }
    if let Some(want) = &expect.effective {
        let empty = BTreeMap::new();
        let echo = got.echo.as_ref().unwrap_or(&empty);
        for (k, v) in want {
            let have = echo.get(k).unwrap_or(&Value::Null);
            if !same_value(v, have) {
                out.push(format!("{k}: expected {v}, got {have}"));
            }
        }
    }
    if let Some(want) = expect.conforms {
        if Some(want) != got.conforms {
            let why = if got.problems.is_empty() {
                String::new()
            } else {
                format!(" ({})", got.problems.join("; "))
            };
            out.push(format!(
                "conforms: expected {want}, got {}{why}",
                got.conforms.map_or("nothing".to_owned(), |c| c.to_string())
            ));
        }
    } else if is_request && !got.problems.is_empty() {
        out.extend(got.problems.iter().cloned());
    }
    if let Some(want) = &expect.message {
        if Some(want) != got.message.as_ref() {
            out.push(format!("message: expected {want:?}, got {:?}", got.message));
        }
    }
    out
}
