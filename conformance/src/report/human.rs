//! The human report: a line a case that did not pass (every case with `verbose`), the
//! skips counted by reason, and the closing counts; colored on a terminal.

use std::fmt::Write as _;

use ivs_reference_server::escape;

use super::meta::{HumanStyle, RunMeta};
use crate::case::Operation;
use crate::runner::{CaseResult, Outcome, Summary};

/// The causes the terminal lists; JSON and HTML list them all.
const MAX_CAUSES_SHOWN: usize = 10;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// A reason `what: expected A, got B` as a colored diff: expected in green, actual in red.
pub(super) fn colored_reason(reason: &str) -> String {
    match reason.split_once(": expected ").and_then(|(what, rest)| {
        rest.split_once(", got ")
            .map(|(want, got)| (what, want, got))
    }) {
        Some((what, want, got)) => {
            format!("{what}:\n            {GREEN}- expected {want}{RESET}\n            {RED}+ actual   {got}{RESET}")
        }
        None => format!("{RED}{reason}{RESET}"),
    }
}

/// The human report. Every value from outside (the target's name, case ids, reasons
/// quoting a server's answer, file names) is shown with [`escape::terminal`]: it can
/// neither act on the terminal nor start a line of its own.
pub(super) fn human(meta: &RunMeta, results: &[CaseResult], style: HumanStyle) -> String {
    let HumanStyle { color, verbose } = style;
    let t = |s: &str| escape::terminal(s).into_owned();
    let paint = |c: &str, text: &str| {
        if color {
            format!("{c}{text}{RESET}")
        } else {
            text.to_owned()
        }
    };
    let mut out = format!(
        "running {} {} against {}\nsuite: {}\n",
        results.len(),
        if results.len() == 1 { "case" } else { "cases" },
        t(&meta.target),
        t(&meta.suite.line())
    );
    let reasons_of = |out: &mut String, reasons: &[String]| {
        for reason in reasons {
            let reason = t(reason);
            if color {
                let _ = writeln!(out, "          {}", colored_reason(&reason));
            } else {
                let _ = writeln!(out, "          {reason}");
            }
        }
    };
    for r in results {
        match &r.outcome {
            Outcome::Pass | Outcome::Skip(_) | Outcome::ExpectedFail(_) if !verbose => {}
            Outcome::Pass => {
                let _ = writeln!(out, "{}      {}", paint(GREEN, "ok"), t(&r.id));
            }
            Outcome::Skip(why) => {
                let _ = writeln!(
                    out,
                    "{}    {} ({})",
                    paint(YELLOW, "skip"),
                    t(&r.id),
                    t(why)
                );
            }
            Outcome::ExpectedFail(reasons) => {
                let _ = writeln!(
                    out,
                    "{}   {} [{}]",
                    paint(YELLOW, "xfail"),
                    t(&r.id),
                    bracket(r)
                );
                reasons_of(&mut out, reasons);
            }
            Outcome::Fail(reasons) => {
                let _ = writeln!(
                    out,
                    "{}    {} [{}]",
                    paint(RED, "FAIL"),
                    t(&r.id),
                    bracket(r)
                );
                reasons_of(&mut out, reasons);
                if let Some(flags) = &meta.replay_flags {
                    let _ = writeln!(
                        out,
                        "          replay: ivs-conformance show {}{}",
                        t(&escape::shell_word(&r.id)),
                        t(flags)
                    );
                }
            }
            Outcome::Stale(why) => {
                let _ = writeln!(
                    out,
                    "{}   {} [{}]",
                    paint(GREEN, "STALE"),
                    t(&r.id),
                    bracket(r)
                );
                reasons_of(&mut out, std::slice::from_ref(why));
            }
        }
    }
    let groups = crate::runner::group(results);
    if !groups.is_empty() {
        let _ = writeln!(
            out,
            "\n{} {}, largest first (fix the first one first):",
            groups.len(),
            if groups.len() == 1 { "cause" } else { "causes" }
        );
        for (i, g) in groups.iter().enumerate().take(MAX_CAUSES_SHOWN) {
            let _ = writeln!(
                out,
                "{:>3}. {} ({} {}, {} at MUST), e.g. {}",
                i + 1,
                t(&g.cause.key),
                g.cases,
                if g.cases == 1 { "case" } else { "cases" },
                g.must,
                t(&g.example)
            );
            if let Some(hint) = &g.cause.hint {
                let _ = writeln!(out, "       the table asks: {}", t(hint));
            }
        }
        if groups.len() > MAX_CAUSES_SHOWN {
            let _ = writeln!(
                out,
                "     … and {} more (--format json lists them all)",
                groups.len() - MAX_CAUSES_SHOWN
            );
        }
        out.push('\n');
    }
    let summary = Summary::of(results);
    if !verbose {
        // Skips counted by reason, most common first.
        let mut reasons: Vec<(&str, usize)> = Vec::new();
        for r in results {
            if let Outcome::Skip(why) = &r.outcome {
                match reasons.iter_mut().find(|(w, _)| *w == why.as_str()) {
                    Some((_, n)) => *n += 1,
                    None => reasons.push((why, 1)),
                }
            }
        }
        reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
        for (why, n) in reasons {
            let _ = writeln!(out, "{} {n} skipped: {}", paint(YELLOW, "skip"), t(why));
        }
        if summary.expected > 0 {
            let _ = writeln!(
                out,
                "{} {} failed as expected ({}; --verbose lists them)",
                paint(YELLOW, "xfail"),
                summary.expected,
                t(meta
                    .expected_failures
                    .as_deref()
                    .unwrap_or("the expected failures"))
            );
        }
    }
    let _ = writeln!(out, "{summary}");
    out
}

/// A result's level, and its operation unless it is CreateParticipantToken (whose cases
/// were the suite's only ones, and still are most of it): `MUST` or `MUST, CreateStage`.
fn bracket(r: &CaseResult) -> String {
    match r.detail.operation {
        Operation::CreateParticipantToken => r.level.as_str().to_owned(),
        other => format!("{}, {}", r.level.as_str(), other.as_str()),
    }
}
