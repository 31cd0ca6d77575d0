//! The JUnit XML report, for CI systems: every value from outside written with
//! [`escape::markup`], so that the file stays XML whatever a server sends.

use std::fmt::Write as _;

use ivs_reference_server::escape;

use super::meta::RunMeta;
use crate::runner::{CaseResult, Outcome, Summary};

/// `s` for XML: see [`escape::markup`].
fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    escape::markup(s)
}

pub(super) fn junit(meta: &RunMeta, results: &[CaseResult]) -> String {
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
        // The run's counts as every report gives them (JUnit's own attributes count
        // stale entries as failures and expected failures as skipped, so that a CI
        // system shows what fails the run).
        ("ivs-conformance.passed", &s.passed.to_string()),
        ("ivs-conformance.failed", &s.failed.to_string()),
        ("ivs-conformance.expected", &s.expected.to_string()),
        ("ivs-conformance.stale", &s.stale.to_string()),
        ("ivs-conformance.skipped", &s.skipped.to_string()),
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
            "  <testcase classname=\"{}.{}\" name=\"{}\" time=\"{:.6}\"",
            r.detail.operation.as_str(),
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
