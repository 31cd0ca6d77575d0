//! Running cases against a target and judging what it did.

use std::time::{Duration, Instant};

use crate::case::{AppliesTo, Case, Level};
pub use crate::compare::{compare, compare_graded, Graded};
use crate::target::{Observed, SendRequest, Target};

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
    /// The level its outcome counts at: the case's, or SHOULD for a MUST case that
    /// failed in exactness only.
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
    run_case_graded(target, case).0
}

/// Runs one case, and says at which level its outcome counts: the case's own, or at
/// most SHOULD when the answer departs from the case in exactness only
/// ([`Graded::exactness`]).
pub fn run_case_graded(target: &dyn Target, case: &Case) -> (Outcome, Level) {
    let run = std::panic::AssertUnwindSafe(|| run_case_unguarded(target, case));
    std::panic::catch_unwind(run).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        (
            Outcome::Fail(vec![format!("checking this case panicked: {what}")]),
            case.level,
        )
    })
}

fn run_case_unguarded(target: &dyn Target, case: &Case) -> (Outcome, Level) {
    match observe_case(target, case) {
        Err(outcome) => (outcome, case.level),
        Ok(observed) => {
            let graded = compare_graded(&case.expect, &observed, case.request.is_some());
            if !graded.hard.is_empty() {
                let mut all = graded.hard;
                all.extend(graded.exactness);
                (Outcome::Fail(all), case.level)
            } else if !graded.exactness.is_empty() {
                (
                    Outcome::Fail(graded.exactness),
                    case.level.max(Level::Should),
                )
            } else {
                (Outcome::Pass, case.level)
            }
        }
    }
}

/// Sends or reads what the case holds; an `Err` is the case's outcome already (a skip,
/// or a failure to send).
fn observe_case(target: &dyn Target, case: &Case) -> Result<Observed, Outcome> {
    let kind = target.kind();
    if !case.applies_to.contains(&kind) {
        let others: Vec<&str> = [
            (AppliesTo::Model, "models"),
            (AppliesTo::Server, "servers"),
            (AppliesTo::Client, "clients"),
        ]
        .into_iter()
        .filter(|(k, _)| *k != kind)
        .map(|(_, name)| name)
        .collect();
        return Err(Outcome::Skip(format!(
            "they apply to {} only",
            others.join(" or ")
        )));
    }
    if let Some(p) = case
        .preconditions
        .iter()
        .find(|p| !target.supports_precondition(p))
    {
        return Err(Outcome::Skip(format!(
            "needs set-up {p:?}, which this target cannot give"
        )));
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
                Err(e) => return Err(Outcome::Fail(vec![e])),
            }
        }
        (None, Some(spec)) => match target.read_response(spec) {
            Some(o) => o,
            None => return Err(Outcome::Skip("this target does not read responses".into())),
        },
        _ => {
            return Err(Outcome::Fail(vec![
                "a case has a request or a response, not both".into(),
            ]))
        }
    };
    Ok(observed)
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
                let (outcome, level) = run_case_graded(target, case);
                let result = CaseResult {
                    id: case.id.clone(),
                    level,
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
