//! The matrix of several runs (`ivs-conformance report RUN.json…`): a column per run, a
//! row per case, the outcome in each cell with its first reason, and the counts per
//! column. Several servers side by side, or one over time; runs of different suites may
//! be compared, and the page says so.
//!
//! The matrix is bounded: at most [`MAX_RUNS`] runs and [`MAX_CELLS`] cells (runs times
//! the distinct cases among them). A run is added one at a time and kept only as the
//! page needs it (its first reason per case, cut), so that reports beyond the bounds are
//! refused after reading no more than the first one past them.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use ivs_reference_server::escape;

use super::html::{esc, filters, page_end, page_head};
use super::RunReport;
use crate::case::Level;
use crate::runner::OutcomeKind;
use crate::runner::Summary;

/// The most runs one matrix compares.
pub const MAX_RUNS: usize = 100;

/// The most cells one matrix holds: its runs times the distinct cases among them. At
/// about 250 bytes a cell, with every reason at its longest, the page stays under 25 MB.
pub const MAX_CELLS: usize = 100_000;

/// The most characters of a case id, a run's name or a reason the matrix keeps.
const KEPT_CHARS: usize = 160;

/// One case of a run, as the matrix keeps it.
#[derive(Debug, Clone)]
struct Cell {
    level: Level,
    outcome: OutcomeKind,
    reason: Option<String>,
}

/// One run, as the matrix keeps it.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    target: String,
    generated_at: String,
    suite: String,
    digest: Option<String>,
    version: Option<String>,
    summary: Summary,
    cells: HashMap<String, Cell>,
}

/// Runs being gathered into a matrix, within its bounds.
#[derive(Debug, Default)]
pub struct Matrix {
    columns: Vec<Column>,
    /// Every case id, in the order first seen.
    ids: Vec<String>,
    seen: BTreeSet<String>,
}

/// The message that refuses a matrix past its bounds.
fn too_large(runs: usize, cases: usize) -> String {
    format!(
        "the matrix of {runs} runs × {cases} cases would hold {} cells, more than the {MAX_CELLS} \
         it renders (at most {MAX_RUNS} runs): compare fewer runs, or runs of one suite",
        runs.saturating_mul(cases)
    )
}

impl Matrix {
    /// Refuses, before any is read, more reports than a matrix compares.
    pub fn check_runs(runs: usize) -> Result<(), String> {
        if runs > MAX_RUNS {
            return Err(format!(
                "{runs} reports given: the matrix compares at most {MAX_RUNS} runs"
            ));
        }
        Ok(())
    }

    /// Adds the run `report`, read from `name`; refuses it when the matrix would pass
    /// its bounds.
    pub fn add(&mut self, name: &str, report: RunReport) -> Result<(), String> {
        Matrix::check_runs(self.columns.len() + 1)?;
        let new: BTreeSet<String> = report
            .cases
            .iter()
            .map(|c| escape::cut(&c.id, KEPT_CHARS).into_owned())
            .filter(|id| !self.seen.contains(id))
            .collect();
        let (runs, cases) = (self.columns.len() + 1, self.seen.len() + new.len());
        if runs.saturating_mul(cases) > MAX_CELLS {
            return Err(too_large(runs, cases));
        }
        let summary = report.summary();
        let mut cells = HashMap::with_capacity(report.cases.len());
        for c in report.cases {
            let id = escape::cut(&c.id, KEPT_CHARS).into_owned();
            if self.seen.insert(id.clone()) {
                self.ids.push(id.clone());
            }
            let reason = c
                .reasons
                .first()
                .map(|r| escape::cut(r, KEPT_CHARS).into_owned());
            let cell = Cell {
                level: c.declared_level.unwrap_or(c.level),
                outcome: c.outcome,
                reason,
            };
            cells.insert(id, cell);
        }
        self.columns.push(Column {
            // The run's own name (`run --name`), else the file it was read from.
            name: escape::cut(report.name.as_deref().unwrap_or(name), KEPT_CHARS).into_owned(),
            version: report
                .implementation_version
                .as_deref()
                .map(|v| escape::cut(v, KEPT_CHARS).into_owned()),
            target: escape::cut(&report.target, KEPT_CHARS).into_owned(),
            generated_at: escape::cut(report.generated_at.as_deref().unwrap_or(""), KEPT_CHARS)
                .into_owned(),
            suite: report
                .suite
                .as_ref()
                .map_or("suite not named".to_owned(), |s| {
                    escape::cut(&s.line(), KEPT_CHARS).into_owned()
                }),
            digest: report.suite.map(|s| s.digest),
            summary,
            cells,
        });
        Ok(())
    }

    /// The page.
    pub fn page(&self) -> String {
        let cells = self.columns.len() * self.ids.len();
        let mut out = String::with_capacity(16 * 1024 + 64 * cells);
        page_head(&mut out, "ivs-conformance: implementations compared");
        out.push_str("<h1>CreateParticipantToken conformance, compared</h1>\n");
        let digests: BTreeSet<Option<&str>> =
            self.columns.iter().map(|c| c.digest.as_deref()).collect();
        if digests.len() > 1 {
            out.push_str(
                "<p class=\"warning\" id=\"suite-warning\">These reports ran different suites \
                 (their case files differ): a case's outcome may differ because the case did.</p>\n",
            );
        }
        out.push_str("<table id=\"matrix\"><thead><tr><th>level</th><th>case</th>");
        for (i, c) in self.columns.iter().enumerate() {
            let version = c
                .version
                .as_deref()
                .map_or(String::new(), |v| format!(" {}", esc(v)));
            let _ = write!(
                out,
                "<th id=\"run-{i}\">{}{version}<br><small>{}</small><br><small>{}</small><br><small>{}</small></th>",
                esc(&c.name),
                esc(&c.target),
                esc(&c.generated_at),
                esc(&c.suite)
            );
        }
        out.push_str("</tr>\n<tr><th colspan=\"2\">passed of run</th>");
        for (i, c) in self.columns.iter().enumerate() {
            let _ = write!(
                out,
                "<td class=\"n\" id=\"passed-{i}\">{}/{}</td>",
                c.summary.passed,
                c.summary.run()
            );
        }
        // The counts every report gives (stale ones are among the passed).
        for (kind, label) in [
            ("pass", "passed"),
            ("fail", "failed"),
            ("expected", "expected to fail"),
            ("stale", "of the passed, stale"),
            ("skip", "skipped"),
        ] {
            let _ = write!(out, "</tr>\n<tr><th colspan=\"2\">{label}</th>");
            for (i, c) in self.columns.iter().enumerate() {
                let s = &c.summary;
                let n = match kind {
                    "pass" => s.passed,
                    "fail" => s.failed,
                    "expected" => s.expected,
                    "stale" => s.stale,
                    _ => s.skipped,
                };
                let _ = write!(
                    out,
                    "<td class=\"n o-{kind}\" id=\"count-{i}-{kind}\">{n}</td>"
                );
            }
        }
        out.push_str("</tr></thead><tbody>\n");
        for id in &self.ids {
            self.row(&mut out, id);
        }
        out.push_str("</tbody></table>\n");
        // The filters come last here: the matrix's header rows are its counts.
        filters(&mut out, &BTreeSet::new());
        page_end(&mut out);
        out
    }

    fn row<'a>(&'a self, out: &mut String, id: &str) {
        let of = |c: &'a Column| c.cells.get(id);
        let level = self
            .columns
            .iter()
            .find_map(|c| of(c).map(|cell| cell.level))
            .unwrap_or(Level::May)
            .as_str();
        let outcomes: BTreeSet<&str> = self
            .columns
            .iter()
            .map(|c| of(c).map_or("absent", |cell| cell.outcome.as_str()))
            .collect();
        let _ = write!(
            out,
            "<tr class=\"case\" id=\"case-{0}\" data-level=\"{level}\" data-outcomes=\"{1}\" data-tags=\"\">\
             <td>{level}</td><td><code>{0}</code></td>",
            esc(id),
            outcomes.into_iter().collect::<Vec<_>>().join(" "),
        );
        for (i, c) in self.columns.iter().enumerate() {
            match of(c) {
                None => {
                    let _ = write!(out, "<td class=\"o-absent\" data-run=\"{i}\">—</td>");
                }
                Some(cell) => {
                    let _ = write!(
                        out,
                        "<td class=\"o-{}\" data-run=\"{i}\">{}",
                        cell.outcome.as_str(),
                        cell.outcome.label()
                    );
                    if let Some(why) = &cell.reason {
                        let _ = write!(out, "<br><small class=\"reason\">{}</small>", esc(why));
                    }
                    out.push_str("</td>");
                }
            }
        }
        out.push_str("</tr>\n");
    }
}
