//! Rendering a run: human text, JSON, JUnit XML.

use std::fmt::Write as _;

use serde_json::json;

use crate::runner::{CaseResult, Outcome, Summary};

/// The output formats of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line a case, reasons under failures, the closing count.
    Human,
    /// One JSON document.
    Json,
    /// JUnit XML, for CI systems.
    Junit,
}

/// Renders `results` of a run against `target` in `format`, without color.
pub fn render(format: Format, target: &str, results: &[CaseResult]) -> String {
    render_with(format, target, results, false)
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

/// How human output is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HumanStyle {
    /// ANSI colors.
    pub color: bool,
    /// A line for every case; otherwise only the failures, the skips counted by reason,
    /// and the closing line.
    pub verbose: bool,
}

/// Renders `results` in `format`; `color` adds ANSI colors to human output, which lists
/// every case.
pub fn render_with(format: Format, target: &str, results: &[CaseResult], color: bool) -> String {
    render_styled(
        format,
        target,
        results,
        HumanStyle {
            color,
            verbose: true,
        },
    )
}

/// Renders `results` in `format`, human output in `style`.
pub fn render_styled(
    format: Format,
    target: &str,
    results: &[CaseResult],
    style: HumanStyle,
) -> String {
    match format {
        Format::Human => human(target, results, style),
        Format::Json => json(target, results),
        Format::Junit => junit(target, results),
    }
}

fn human(target: &str, results: &[CaseResult], style: HumanStyle) -> String {
    let HumanStyle { color, verbose } = style;
    let paint = |c: &str, text: &str| {
        if color {
            format!("{c}{text}{RESET}")
        } else {
            text.to_owned()
        }
    };
    let mut out = format!("running {} cases against {target}\n", results.len());
    for r in results {
        match &r.outcome {
            Outcome::Pass if !verbose => Ok(()),
            Outcome::Skip(_) if !verbose => Ok(()),
            Outcome::Pass => writeln!(out, "{}      {}", paint(GREEN, "ok"), r.id),
            Outcome::Skip(why) => writeln!(out, "{}    {} ({why})", paint(YELLOW, "skip"), r.id),
            Outcome::Fail(reasons) => {
                let _ = writeln!(
                    out,
                    "{}    {} [{}]",
                    paint(RED, "FAIL"),
                    r.id,
                    r.level.as_str()
                );
                reasons.iter().try_for_each(|reason| {
                    if color {
                        writeln!(out, "          {}", colored_reason(reason))
                    } else {
                        writeln!(out, "          {reason}")
                    }
                })
            }
        }
        .expect("writing to a String");
    }
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
            let _ = writeln!(out, "{} {n} skipped: {why}", paint(YELLOW, "skip"));
        }
    }
    let _ = writeln!(out, "{}", Summary::of(results));
    out
}

fn json(target: &str, results: &[CaseResult]) -> String {
    let s = Summary::of(results);
    let cases: Vec<_> = results
        .iter()
        .map(|r| {
            let (outcome, reasons) = match &r.outcome {
                Outcome::Pass => ("pass", vec![]),
                Outcome::Fail(reasons) => ("fail", reasons.clone()),
                Outcome::Skip(why) => ("skip", vec![why.clone()]),
            };
            json!({
                "id": r.id,
                "level": r.level.as_str(),
                "outcome": outcome,
                "reasons": reasons,
                "seconds": r.elapsed.as_secs_f64(),
            })
        })
        .collect();
    let doc = json!({
        "target": target,
        "passed": s.passed,
        "failed": s.failed,
        "failedMust": s.failed_must,
        "skipped": s.skipped,
        "cases": cases,
    });
    serde_json::to_string_pretty(&doc).expect("JSON values serialise") + "\n"
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters at all.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn junit(target: &str, results: &[CaseResult]) -> String {
    let s = Summary::of(results);
    let total: f64 = results.iter().map(|r| r.elapsed.as_secs_f64()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites><testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{total:.6}\">",
        xml_escape(target),
        results.len(),
        s.failed,
        s.skipped
    );
    for r in results {
        let _ = write!(
            out,
            "  <testcase classname=\"{}\" name=\"{}\" time=\"{:.6}\"",
            r.level.as_str(),
            xml_escape(&r.id),
            r.elapsed.as_secs_f64()
        );
        match &r.outcome {
            Outcome::Pass => out.push_str("/>\n"),
            Outcome::Skip(why) => {
                let _ = writeln!(
                    out,
                    "><skipped message=\"{}\"/></testcase>",
                    xml_escape(why)
                );
            }
            Outcome::Fail(reasons) => {
                let text = xml_escape(&reasons.join("\n"));
                let first = reasons.first().map(String::as_str).unwrap_or("failed");
                let _ = writeln!(
                    out,
                    "><failure message=\"{}\">{text}</failure></testcase>",
                    xml_escape(first)
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
    use std::time::Duration;

    fn results() -> Vec<CaseResult> {
        let r = |id: &str, outcome| CaseResult {
            id: id.into(),
            level: Level::Must,
            outcome,
            elapsed: Duration::from_millis(1),
        };
        vec![
            r("a", Outcome::Pass),
            r("b<&>", Outcome::Fail(vec!["status: \"x\"".into()])),
            r("c", Outcome::Skip("n/a".into())),
        ]
    }

    #[test]
    fn closing_line() {
        let text = render(Format::Human, "t", &results());
        assert!(text.ends_with("1 passed, 1 failed, 1 skipped\n"), "{text}");
        assert!(text.contains("FAIL    b<&> [MUST]"));
    }

    #[test]
    fn quiet_output_shows_failures_and_counts_skips() {
        let text = render_styled(Format::Human, "t", &results(), HumanStyle::default());
        assert!(!text.contains("ok      a"), "{text}");
        assert!(text.contains("FAIL    b<&> [MUST]"), "{text}");
        assert!(text.contains("skip 1 skipped: n/a"), "{text}");
        assert!(text.ends_with("1 passed, 1 failed, 1 skipped\n"), "{text}");
    }

    #[test]
    fn colored_diff() {
        let text = render_with(Format::Human, "t", &results(), true);
        assert!(text.contains("\x1b[31mFAIL"));
        assert!(text.contains("\x1b[31mstatus: \"x\""), "{text}");
        assert!(colored_reason("status: expected 400, got 200").contains("- expected 400"));
        assert!(!render(Format::Human, "t", &results()).contains('\x1b'));
    }

    #[test]
    fn junit_is_escaped() {
        let x = render(Format::Junit, "t", &results());
        assert!(x.contains("name=\"b&lt;&amp;&gt;\""));
        assert!(x.contains("failures=\"1\" skipped=\"1\""));
        assert!(!x.contains("b<&>"));
    }

    #[test]
    fn json_counts() {
        let v: serde_json::Value =
            serde_json::from_str(&render(Format::Json, "t", &results())).unwrap();
        assert_eq!(
            (v["passed"].as_u64(), v["failed"].as_u64()),
            (Some(1), Some(1))
        );
        assert_eq!(v["cases"][1]["outcome"], "fail");
    }
}
