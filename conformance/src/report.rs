//! Rendering a run: human text, JSON, JUnit XML, a self-contained HTML page, and a
//! shields.io badge. Every form names the suite that ran ([`SuiteInfo`]).

use std::fmt::Write as _;

use ivs_reference_server::escape;
use serde::{Deserialize, Serialize};

use crate::case::Level;
use crate::runner::{CaseResult, Outcome, OutcomeKind, Summary};
use crate::suite::SuiteInfo;

/// The output formats of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line a case, reasons under failures, the closing count.
    Human,
    /// One JSON document ([`RunReport`]), which `ivs-conformance report` reads.
    Json,
    /// JUnit XML, for CI systems.
    Junit,
    /// One self-contained HTML page (no external script, style, font or image).
    Html,
    /// A shields.io endpoint badge (JSON): the MUST cases passed.
    Badge,
}

impl Format {
    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Junit => "junit",
            Format::Html => "html",
            Format::Badge => "badge",
        }
    }
}

/// What every report says about the run besides its results.
#[derive(Debug, Clone)]
pub struct RunMeta {
    /// The target's name (its URL, or the embedded server's).
    pub target: String,
    /// The suite that ran.
    pub suite: SuiteInfo,
    /// When the run ended, RFC 3339 UTC.
    pub generated_at: String,
    /// The expected-failures file the results were read against, if any.
    pub expected_failures: Option<String>,
}

impl RunMeta {
    /// A run of `suite` against `target`, ending now.
    pub fn now(target: &str, suite: &SuiteInfo) -> RunMeta {
        let now = ivs_participant_token::token::unix_now();
        let generated_at = ivs_participant_token::Timestamp::from_unix(now, 0)
            .map(|t| t.to_rfc3339())
            .unwrap_or_default();
        RunMeta {
            target: target.to_owned(),
            suite: suite.clone(),
            generated_at,
            expected_failures: None,
        }
    }
}

/// How human output is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HumanStyle {
    /// ANSI colors.
    pub color: bool,
    /// A line for every case; otherwise only the failures, the skips counted by reason,
    /// and the closing line.
    pub verbose: bool,
}

/// Renders `results` in `format`, human output in `style`.
pub fn render(format: Format, meta: &RunMeta, results: &[CaseResult], style: HumanStyle) -> String {
    match format {
        Format::Human => human(meta, results, style),
        Format::Json => {
            serde_json::to_string_pretty(&RunReport::of(meta, results))
                .expect("a report serialises")
                + "\n"
        }
        Format::Junit => junit(meta, results),
        Format::Html => crate::html::run_page(meta, results),
        Format::Badge => {
            serde_json::to_string_pretty(&Badge::of(&meta.suite, &MustTally::of(results)))
                .expect("a badge serialises")
                + "\n"
        }
    }
}

/// Whether to color human output: stdout is a terminal and `NO_COLOR` is unset or empty.
pub fn color_wanted() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// A reason `what: expected A, got B` as a colored diff: expected in green, actual in red.
fn colored_reason(reason: &str) -> String {
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
fn human(meta: &RunMeta, results: &[CaseResult], style: HumanStyle) -> String {
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
        "running {} cases against {}\nsuite: {}\n",
        results.len(),
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
                    r.level.as_str()
                );
                reasons_of(&mut out, reasons);
            }
            Outcome::Fail(reasons) => {
                let _ = writeln!(
                    out,
                    "{}    {} [{}]",
                    paint(RED, "FAIL"),
                    t(&r.id),
                    r.level.as_str()
                );
                reasons_of(&mut out, reasons);
            }
            Outcome::Stale(why) => {
                let _ = writeln!(
                    out,
                    "{}   {} [{}]",
                    paint(RED, "STALE"),
                    t(&r.id),
                    r.level.as_str()
                );
                reasons_of(&mut out, std::slice::from_ref(why));
            }
        }
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

/// One case in the JSON report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseReport {
    /// The case id.
    pub id: String,
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
}

/// The JSON report of a run, as `run --format json` writes it and `report` reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    /// The target's name.
    pub target: String,
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
                    level: r.level,
                    outcome: r.outcome.kind(),
                    reasons,
                    seconds: r.elapsed.as_secs_f64(),
                    declared_level: r.detail.declared,
                    tags: r.detail.tags.clone(),
                }
            })
            .collect();
        RunReport {
            target: meta.target.clone(),
            passed: s.passed,
            failed: s.failed,
            failed_must: s.failed_must,
            skipped: s.skipped,
            expected_failures: s.expected,
            stale: s.stale,
            suite: Some(meta.suite.clone()),
            generated_at: Some(meta.generated_at.clone()),
            cases,
        }
    }

    /// Reads a JSON report, with an error that says what was wrong with it.
    pub fn parse(text: &str) -> Result<RunReport, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        serde_json::from_str(text)
            .map_err(|e| format!("not a JSON report of `ivs-conformance run --format json`: {e}"))
    }
}

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

/// `s` for XML: see [`escape::markup`].
fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    escape::markup(s)
}

fn junit(meta: &RunMeta, results: &[CaseResult]) -> String {
    let s = Summary::of(results);
    let total: f64 = results.iter().map(|r| r.elapsed.as_secs_f64()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites><testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{total:.6}\" timestamp=\"{}\">",
        esc(&meta.target),
        results.len(),
        s.failed + s.stale,
        s.skipped + s.expected,
        esc(&meta.generated_at)
    );
    out.push_str("  <properties>\n");
    for (name, value) in [
        (
            "ivs-conformance.kitVersion",
            meta.suite.kit_version.as_str(),
        ),
        (
            "ivs-conformance.apiVersion",
            meta.suite.api_version.as_str(),
        ),
        ("ivs-conformance.cases", &meta.suite.cases.to_string()),
        ("ivs-conformance.digest", meta.suite.digest.as_str()),
        ("ivs-conformance.source", meta.suite.source.as_str()),
    ] {
        let _ = writeln!(
            out,
            "    <property name=\"{name}\" value=\"{}\"/>",
            esc(value)
        );
    }
    out.push_str("  </properties>\n");
    for r in results {
        let _ = write!(
            out,
            "  <testcase classname=\"{}\" name=\"{}\" time=\"{:.6}\"",
            r.level.as_str(),
            esc(&r.id),
            r.elapsed.as_secs_f64()
        );
        let first = |reasons: &[String]| reasons.first().cloned().unwrap_or_default();
        match &r.outcome {
            Outcome::Pass => out.push_str("/>\n"),
            Outcome::Skip(why) => {
                let _ = writeln!(out, "><skipped message=\"{}\"/></testcase>", esc(why));
            }
            Outcome::ExpectedFail(reasons) => {
                let _ = writeln!(
                    out,
                    "><skipped message=\"expected failure: {}\"/></testcase>",
                    esc(&first(reasons))
                );
            }
            Outcome::Fail(reasons) => {
                let joined = reasons.join("\n");
                let text = esc(&joined);
                let message = reasons.first().map(String::as_str).unwrap_or("failed");
                let _ = writeln!(
                    out,
                    "><failure message=\"{}\">{text}</failure></testcase>",
                    esc(message)
                );
            }
            Outcome::Stale(why) => {
                let _ = writeln!(
                    out,
                    "><failure message=\"stale expected failure: {}\"/></testcase>",
                    esc(why)
                );
            }
        }
    }
    out.push_str("</testsuite></testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Level;
    use crate::runner::CaseDetail;
    use std::time::Duration;

    fn results() -> Vec<CaseResult> {
        let r = |id: &str, outcome| CaseResult {
            id: id.into(),
            level: Level::Must,
            outcome,
            elapsed: Duration::from_millis(1),
            detail: CaseDetail {
                declared: Some(Level::Must),
                ..CaseDetail::default()
            },
        };
        vec![
            r("a", Outcome::Pass),
            r("b<&>", Outcome::Fail(vec!["status: \"x\"".into()])),
            r("c", Outcome::Skip("n/a".into())),
            r("d", Outcome::ExpectedFail(vec!["status: y".into()])),
            r("e", Outcome::Stale("listed, passed: remove it".into())),
        ]
    }

    fn meta() -> RunMeta {
        RunMeta::now("t", &SuiteInfo::of([("a.json", &b"{}"[..])], 5, "embedded"))
    }

    fn render_human(verbose: bool, color: bool) -> String {
        render(
            Format::Human,
            &meta(),
            &results(),
            HumanStyle { color, verbose },
        )
    }

    #[test]
    fn closing_line_and_header() {
        let text = render_human(true, false);
        assert!(
            text.ends_with("1 passed, 1 failed, 1 skipped, 1 expected to fail, 1 stale\n"),
            "{text}"
        );
        assert!(text.contains("FAIL    b<&> [MUST]"));
        assert!(text.contains("xfail   d [MUST]"));
        assert!(text.contains("STALE   e [MUST]"));
        assert!(text.contains("suite: ivs-conformance "), "{text}");
    }

    #[test]
    fn quiet_output_shows_failures_and_stale_and_counts_skips_and_xfails() {
        let text = render_human(false, false);
        assert!(!text.contains("ok      a"), "{text}");
        assert!(!text.contains("xfail   d"), "{text}");
        assert!(text.contains("FAIL    b<&> [MUST]"), "{text}");
        assert!(text.contains("STALE   e [MUST]"), "{text}");
        assert!(text.contains("skip 1 skipped: n/a"), "{text}");
        assert!(text.contains("xfail 1 failed as expected"), "{text}");
    }

    #[test]
    fn colored_diff() {
        let text = render_human(true, true);
        assert!(text.contains("\x1b[31mFAIL"));
        assert!(text.contains("\x1b[31mstatus: \"x\""), "{text}");
        assert!(colored_reason("status: expected 400, got 200").contains("- expected 400"));
        assert!(!render_human(true, false).contains('\x1b'));
    }

    #[test]
    fn junit_is_escaped_and_names_the_suite() {
        let x = render(Format::Junit, &meta(), &results(), HumanStyle::default());
        assert!(x.contains("name=\"b&lt;&amp;&gt;\""));
        assert!(x.contains("failures=\"2\" skipped=\"2\""), "{x}");
        assert!(
            x.contains("<skipped message=\"expected failure: status: y\"/>"),
            "{x}"
        );
        assert!(
            x.contains("name=\"ivs-conformance.digest\" value=\"sha256:"),
            "{x}"
        );
        assert!(!x.contains("b<&>"));
    }

    #[test]
    fn json_counts_read_back() {
        let text = render(Format::Json, &meta(), &results(), HumanStyle::default());
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (v["passed"].as_u64(), v["failed"].as_u64()),
            (Some(1), Some(1))
        );
        assert_eq!(v["cases"][1]["outcome"], "fail");
        assert_eq!(v["cases"][3]["outcome"], "expected");
        assert_eq!(v["cases"][4]["outcome"], "stale");
        assert_eq!(v["suite"]["apiVersion"], "2020-07-14");
        let back = RunReport::parse(&text).unwrap();
        assert_eq!(
            back,
            RunReport::of(&meta(), &results()).clone_with_time(&back)
        );
        assert!(RunReport::parse("{\"x\":1}")
            .unwrap_err()
            .contains("not a JSON report"));
    }

    #[test]
    fn the_badge_counts_must_cases_run() {
        let text = render(Format::Badge, &meta(), &results(), HumanStyle::default());
        let b: Badge = serde_json::from_str(&text).unwrap();
        assert_eq!(b.schema_version, 1);
        // a passed, b failed, c skipped, d an expected failure (still failing), e stale
        // (passing): 2 of the 4 run.
        assert_eq!(b.message, "2/4 MUST");
        assert_eq!(b.color, "red");
        assert!(b.label.contains("API 2020-07-14 · 5 cases"), "{}", b.label);
        let report = RunReport::of(&meta(), &results());
        assert_eq!(MustTally::of_report(&report), MustTally::of(&results()));
    }

    impl RunReport {
        /// This report with `other`'s time, to compare reports written moments apart.
        fn clone_with_time(mut self, other: &RunReport) -> RunReport {
            self.generated_at = other.generated_at.clone();
            self
        }
    }
}
