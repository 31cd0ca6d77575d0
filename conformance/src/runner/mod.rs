//! Running cases against a target and judging what it did.

use std::time::{Duration, Instant};

use serde_json::Value;

mod compare;
mod detail;
pub mod generated;
mod groups;
mod lists;

pub use compare::{compare, compare_graded, Graded};
use detail::{bounded_reasons, differing_paths, exchange_json, sent_json};
pub use detail::{observed_json, CaseDetail, EXCHANGE_BODY_BYTES};
pub use groups::{cause_of, group, CauseGroup};

use crate::case::{AppliesTo, Case, Level};
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
    /// It failed, as an expected-failures file says it does; the reasons, as for `Fail`.
    ExpectedFail(Vec<String>),
    /// An expected-failures file lists it, but it passed: the entry is stale. Says where
    /// the entry is.
    Stale(String),
}

/// What kind of outcome a case had, as every report names it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeKind {
    /// Passed.
    Pass,
    /// Failed.
    Fail,
    /// Skipped.
    Skip,
    /// Failed, as the expected-failures file says.
    Expected,
    /// Listed in the expected-failures file, but passed.
    Stale,
}

impl OutcomeKind {
    /// Every kind, in the order failures-first pages show them.
    pub const ALL: [OutcomeKind; 5] = [
        OutcomeKind::Fail,
        OutcomeKind::Stale,
        OutcomeKind::Expected,
        OutcomeKind::Pass,
        OutcomeKind::Skip,
    ];

    /// The kind's name in reports: `pass`, `fail`, `skip`, `expected`, `stale`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Pass => "pass",
            OutcomeKind::Fail => "fail",
            OutcomeKind::Skip => "skip",
            OutcomeKind::Expected => "expected",
            OutcomeKind::Stale => "stale",
        }
    }

    /// The kind's label in a page: `FAIL`, `STALE`, `XFAIL`, `pass`, `skip`.
    pub fn label(self) -> &'static str {
        match self {
            OutcomeKind::Pass => "pass",
            OutcomeKind::Fail => "FAIL",
            OutcomeKind::Skip => "skip",
            OutcomeKind::Expected => "XFAIL",
            OutcomeKind::Stale => "STALE",
        }
    }
}

impl Outcome {
    /// Its kind.
    pub fn kind(&self) -> OutcomeKind {
        match self {
            Outcome::Pass => OutcomeKind::Pass,
            Outcome::Fail(_) => OutcomeKind::Fail,
            Outcome::Skip(_) => OutcomeKind::Skip,
            Outcome::ExpectedFail(_) => OutcomeKind::Expected,
            Outcome::Stale(_) => OutcomeKind::Stale,
        }
    }

    /// Why the case failed, was skipped or is stale (nothing for a pass): what every
    /// report lists under the case.
    pub fn reasons(&self) -> &[String] {
        match self {
            Outcome::Pass => &[],
            Outcome::Fail(reasons) | Outcome::ExpectedFail(reasons) => reasons,
            Outcome::Skip(why) | Outcome::Stale(why) => std::slice::from_ref(why),
        }
    }
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
    /// What it sent, expected and got.
    pub detail: CaseDetail,
}

/// Counts of a run: the one set of numbers every report gives (terminal, JSON, JUnit,
/// HTML, the matrix and the badge).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Cases that passed, stale ones included (they passed; their entry is what is
    /// wrong, and it fails the run).
    pub passed: usize,
    /// Cases that failed (not counting expected failures).
    pub failed: usize,
    /// Of those, MUST cases.
    pub failed_must: usize,
    /// Cases skipped.
    pub skipped: usize,
    /// Cases that failed as an expected-failures file says.
    pub expected: usize,
    /// Cases an expected-failures file lists that passed (counted in `passed` too).
    pub stale: usize,
}

impl Summary {
    /// Counts `results`.
    pub fn of(results: &[CaseResult]) -> Summary {
        Summary::of_outcomes(results.iter().map(|r| (r.outcome.kind(), r.level)))
    }

    /// Counts outcomes, each with the level it counts at: one rule for results and for
    /// reports read back.
    pub fn of_outcomes(outcomes: impl Iterator<Item = (OutcomeKind, Level)>) -> Summary {
        let mut s = Summary::default();
        for (kind, level) in outcomes {
            match kind {
                OutcomeKind::Pass => s.passed += 1,
                OutcomeKind::Fail => {
                    s.failed += 1;
                    if level == Level::Must {
                        s.failed_must += 1;
                    }
                }
                OutcomeKind::Skip => s.skipped += 1,
                OutcomeKind::Expected => s.expected += 1,
                OutcomeKind::Stale => {
                    s.stale += 1;
                    s.passed += 1;
                }
            }
        }
        s
    }

    /// The cases that ran (were not skipped).
    pub fn run(&self) -> usize {
        self.passed + self.failed + self.expected
    }
}

impl std::fmt::Display for Summary {
    /// `N passed, M failed, K skipped`, then the expected failures and stale entries
    /// when there are any: the closing line of every run.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )?;
        if self.expected > 0 {
            write!(f, ", {} expected to fail", self.expected)?;
        }
        if self.stale > 0 {
            write!(
                f,
                ", {} of the passed stale (listed as failing: remove them from the list)",
                self.stale
            )?;
        }
        Ok(())
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
    let (outcome, level, _) = run_case_detailed(target, case);
    (outcome, level)
}

/// Runs one case as [`run_case_graded`] does, and keeps what it sent and got.
pub fn run_case_detailed(target: &dyn Target, case: &Case) -> (Outcome, Level, CaseDetail) {
    let mut detail = CaseDetail {
        operation: case.operation,
        description: case.description.clone(),
        tags: case.tags.clone(),
        declared: Some(case.level),
        expected: serde_json::to_value(&case.expect).unwrap_or(Value::Null),
        ..CaseDetail::default()
    };
    let run = std::panic::AssertUnwindSafe(|| run_case_unguarded(target, case, &mut detail));
    let (outcome, level) = std::panic::catch_unwind(run).map_or_else(
        |payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            (
                Outcome::Fail(vec![format!("checking this case panicked: {what}")]),
                case.level,
            )
        },
        |(outcome, level)| {
            let outcome = match outcome {
                Outcome::Fail(reasons) => Outcome::Fail(bounded_reasons(reasons)),
                other => other,
            };
            (outcome, level)
        },
    );
    (outcome, level, detail)
}

fn run_case_unguarded(
    target: &dyn Target,
    case: &Case,
    detail: &mut CaseDetail,
) -> (Outcome, Level) {
    match observe_case(target, case, detail) {
        Err(outcome) => (outcome, case.level),
        Ok((mut observed, request)) => {
            let answer = observed.answer.take();
            detail.observed = Some(observed_json(&observed));
            detail.differing_paths = differing_paths(case, &observed);
            let mut graded = compare_graded(&case.expect, &observed, case.request.is_some());
            detail.cause = graded.cause.clone();
            if graded.unread_message {
                // Beside the server's words, the form AWS writes, for this very request
                // (the core's message, which the reference server sends).
                if let Some(aws) = request
                    .as_ref()
                    .and_then(|r| aws_message(r.operation, &r.body))
                {
                    graded.exactness.push(format!(
                        "the form AWS writes, which names each member: {aws:?}"
                    ));
                }
            }
            if !(graded.hard.is_empty() && graded.exactness.is_empty()) {
                if let Some(request) = &request {
                    detail.exchange = Some(exchange_json(request, answer.as_ref()));
                }
            }
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

/// The ValidationException message the core writes for `body`, cut: AWS's form.
fn aws_message(operation: crate::case::Operation, body: &[u8]) -> Option<String> {
    let error = match operation {
        crate::case::Operation::CreateParticipantToken => {
            ivs_participant_token::Verdict::request(body).to_service_error()
        }
        crate::case::Operation::CreateStage => {
            ivs_participant_token::CreateStageVerdict::create_stage_request(body).to_service_error()
        }
    };
    let message = error?.message?;
    Some(ivs_reference_server::escape::cut(&message, 300).into_owned())
}

/// Sends or reads what the case holds; an `Err` is the case's outcome already (a skip,
/// or a failure to send).
fn observe_case(
    target: &dyn Target,
    case: &Case,
    detail: &mut CaseDetail,
) -> Result<(Observed, Option<SendRequest>), Outcome> {
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
    if let Some(why) = target.missing_operation(case.operation) {
        return Err(Outcome::Skip(why));
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
                    operation: case.operation,
                    method: spec.method.clone(),
                    path: spec.path.clone(),
                    headers: spec.headers(vars)?,
                    body,
                })
            });
            let request = request.map_err(|e| Outcome::Fail(vec![e]))?;
            detail.sent = Some(sent_json(&request));
            match target.send(&request, &case.preconditions) {
                Ok(o) => (o, Some(request)),
                Err(e) => {
                    detail.exchange = Some(exchange_json(&request, None));
                    // The URL and port differ from run to run; what went wrong does not.
                    let what = match e.split_once(": ") {
                        Some((url, rest)) if url.starts_with("http") => rest,
                        _ => e.as_str(),
                    };
                    detail.cause =
                        Some(crate::cause::Cause::new(format!("no answer: {what}"), None));
                    return Err(Outcome::Fail(vec![e]));
                }
            }
        }
        (None, Some(spec)) => match target.read_response(case.operation, spec) {
            Some(o) => (o, None),
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
                let (outcome, level, detail) = run_case_detailed(target, case);
                let result = CaseResult {
                    id: case.id.clone(),
                    level,
                    outcome,
                    elapsed: start.elapsed(),
                    detail,
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
