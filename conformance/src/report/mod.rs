//! Rendering a run, one module per form: human text, JSON (which `report` reads back),
//! JUnit XML, a self-contained HTML page, a shields.io badge, and the matrix of several
//! runs. Every form names the suite that ran ([`SuiteInfo`](crate::suite::SuiteInfo)).

mod badge;
mod diff;
mod html;
mod human;
mod json;
mod junit;
mod matrix;
mod meta;

pub use badge::{Badge, BADGE_LABEL};
pub use diff::Diff;
pub use json::{CaseReport, RunReport};
pub use matrix::{Matrix, MAX_CELLS, MAX_RUNS};
pub use meta::{HumanStyle, RunMeta};

use crate::runner::CaseResult;

/// The output formats of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 5] = [
        Format::Human,
        Format::Json,
        Format::Junit,
        Format::Html,
        Format::Badge,
    ];

    /// The format called `name` on the command line (any case).
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

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

/// Renders `results` in `format`, human output in `style`.
pub fn render(format: Format, meta: &RunMeta, results: &[CaseResult], style: HumanStyle) -> String {
    match format {
        Format::Human => human::human(meta, results, style),
        Format::Json => {
            serde_json::to_string_pretty(&RunReport::of(meta, results))
                .expect("a report serialises")
                + "\n"
        }
        Format::Junit => junit::junit(meta, results),
        Format::Html => html::run_page(meta, results),
        Format::Badge => {
            serde_json::to_string_pretty(&Badge::of(&crate::runner::Summary::of(results)))
                .expect("a badge serialises")
                + "\n"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Level;
    use crate::runner::CaseDetail;
    use crate::runner::Outcome;
    use crate::suite::SuiteInfo;
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
            text.ends_with(
                "2 passed, 1 failed, 1 skipped, 1 expected to fail, 1 of the passed stale \
                 (listed as failing: remove them from the list)\n"
            ),
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
        assert!(human::colored_reason("status: expected 400, got 200").contains("- expected 400"));
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
        // The stale case passed: it is among the passed, and counted apart too.
        assert_eq!(
            (
                v["passed"].as_u64(),
                v["failed"].as_u64(),
                v["stale"].as_u64()
            ),
            (Some(2), Some(1), Some(1))
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
        // (passing): 2 of the 4 run, as every format counts them.
        assert_eq!(b.message, "2/4 passed");
        assert_eq!(b.color, "red");
        assert!(b.label.chars().count() <= 24, "{}", b.label);
        let report = RunReport::of(&meta(), &results());
        assert_eq!(report.summary(), crate::runner::Summary::of(&results()));
    }

    impl RunReport {
        /// This report with `other`'s time, to compare reports written moments apart.
        fn clone_with_time(mut self, other: &RunReport) -> RunReport {
            self.generated_at = other.generated_at.clone();
            self
        }
    }
}
