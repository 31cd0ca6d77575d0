//! The HTML reports: one run's page (`run --format html`) and the matrix of several runs
//! (`ivs-conformance report RUN.json…`). Each is one self-contained file: its style and
//! script are inline, it loads nothing (a Content-Security-Policy of `default-src
//! 'none'` says so to the browser), and it opens from `file://`.
//!
//! Filters are driven by the page's fragment (`report.html#outcome=fail&level=MUST`),
//! which the controls keep up to date, so that a filtered view is a link.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::report::{outcome_name, xml_escape as esc, MustTally, RunMeta, RunReport};
use crate::runner::{CaseResult, Outcome, Summary};

/// The outcomes, in the order failures-first pages show them.
const OUTCOMES: [(&str, &str); 5] = [
    ("fail", "FAIL"),
    ("stale", "STALE"),
    ("expected", "XFAIL"),
    ("pass", "pass"),
    ("skip", "skip"),
];

const LEVELS: [&str; 3] = ["MUST", "SHOULD", "MAY"];

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; \
                   img-src data:; base-uri 'none'; form-action 'none'";

const STYLE: &str = r#"
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .5em; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; font-family: ui-monospace, monospace; }
table { border-collapse: collapse; margin: .8em 0; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.o-fail, .o-stale { background: #fdd; } .o-expected { background: #ffe9b3; }
.o-pass { background: #dfd; } .o-skip { background: #eee; color: #666; }
.warning { background: #ffe9b3; border: 1px solid #e0b000; padding: .5em 1em; }
fieldset { display: inline-block; margin: 0 1em .5em 0; }
.sides { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: .5em; }
.sides pre { background: #f6f6f6; padding: .5em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: 0; }
.sides h4 { margin: .2em 0; }
ul.reasons { margin: .3em 0; padding-left: 1.2em; }
code { font-family: ui-monospace, monospace; }
"#;

/// The filter script: reads the controls into the fragment and the fragment into the
/// controls, then shows the rows that match.
const SCRIPT: &str = r#"
(function () {
  var form = document.getElementById('filters');
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.case'));
  function fromHash() {
    var want = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      var kv = part.split('=');
      if (kv[0]) { want[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1] || ''); }
    });
    ['level', 'outcome'].forEach(function (name) {
      if (!(name in want)) { return; }
      var on = want[name].split(',');
      form.querySelectorAll('input[name=' + name + ']').forEach(function (box) {
        box.checked = on.indexOf(box.value) >= 0;
      });
    });
    if ('tag' in want && form.tag) { form.tag.value = want.tag; }
  }
  function checked(name) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name=' + name + ']'),
      function (box) { return box.checked; }).map(function (box) { return box.value; });
  }
  function apply() {
    var levels = checked('level'), outcomes = checked('outcome');
    var tag = form.tag ? form.tag.value : '';
    var shown = 0;
    rows.forEach(function (row) {
      var show = levels.indexOf(row.dataset.level) >= 0 &&
        row.dataset.outcomes.split(' ').some(function (o) { return outcomes.indexOf(o) >= 0; }) &&
        (!tag || (' ' + row.dataset.tags + ' ').indexOf(' ' + tag + ' ') >= 0);
      row.hidden = !show;
      if (show) { shown += 1; }
    });
    document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' cases shown';
  }
  function toHash() {
    var parts = ['level=' + checked('level').join(','), 'outcome=' + checked('outcome').join(',')];
    if (form.tag && form.tag.value) { parts.push('tag=' + encodeURIComponent(form.tag.value)); }
    history.replaceState(null, '', '#' + parts.join('&'));
  }
  form.addEventListener('change', function () { toHash(); apply(); });
  window.addEventListener('hashchange', function () { fromHash(); apply(); });
  fromHash();
  apply();
  // What the page itself loaded (Resource Timing): nothing, by design and by its policy.
  document.body.setAttribute('data-resources',
    String(performance.getEntriesByType('resource').length));
})();
"#;

fn page_head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style></head>\n<body>\n",
        esc(title)
    );
}

fn page_end(out: &mut String) {
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body></html>\n");
}

/// The level and outcome checkboxes, and the tag list when there are tags.
fn filters(out: &mut String, outcomes: &[(&str, &str)], tags: &BTreeSet<String>) {
    out.push_str("<form id=\"filters\"><fieldset><legend>Level</legend>");
    for level in LEVELS {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"level\" value=\"{level}\" checked> {level}</label> "
        );
    }
    out.push_str("</fieldset><fieldset><legend>Outcome</legend>");
    for (value, label) in outcomes {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"outcome\" value=\"{value}\" checked> {label}</label> "
        );
    }
    out.push_str("</fieldset>");
    if !tags.is_empty() {
        out.push_str(
            "<fieldset><legend>Tag</legend><select name=\"tag\"><option value=\"\">any</option>",
        );
        for t in tags {
            let _ = write!(out, "<option>{}</option>", esc(t));
        }
        out.push_str("</select></fieldset>");
    }
    out.push_str("</form>\n<p id=\"shown\"></p>\n");
}

/// The most characters of one string the page shows (a reason, or a string inside the
/// request, expectation or answer); the rest is elided, so that the page stays small
/// whatever the cases hold (a 1 KB attributes value, a 129-character userId).
const SHOWN_CHARS: usize = 160;

fn shown(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        None => text.to_owned(),
        Some((cut, _)) => format!(
            "{}… ({} more characters)",
            &text[..cut],
            text[cut..].chars().count()
        ),
    }
}

/// `v` with its long strings shown cut and its `null` members left out (an expectation
/// states only some members).
fn clipped(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(shown(s)),
        Value::Array(a) => Value::Array(a.iter().map(clipped).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (shown(k), clipped(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(&clipped(v)).unwrap_or_default()
}

/// A request as it went on the wire: the request line, the headers, the body.
fn wire_form(sent: &Value) -> String {
    let field = |k: &str| sent.get(k).and_then(Value::as_str).unwrap_or_default();
    let mut out = format!("{} {}\n", field("method"), field("path"));
    for h in sent
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.push_str(&shown(h.as_str().unwrap_or_default()));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&shown(field("body")));
    out
}

/// `s` escaped for an element's text.
fn esc_text(s: &str) -> String {
    crate::report::escape_markup(s, false)
}

fn level_of(r: &CaseResult) -> &'static str {
    r.detail.declared.unwrap_or(r.level).as_str()
}

/// One run's page: what ran against what, the counts by level and outcome, then every
/// case, failures first, a failure's request, expectation and answer side by side.
pub fn run_page(meta: &RunMeta, results: &[CaseResult]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    page_head(&mut out, &format!("ivs-conformance: {}", meta.target));
    let _ = write!(
        out,
        "<h1>CreateParticipantToken conformance</h1>\n<dl class=\"meta\">\
         <dt>Target</dt><dd id=\"target\">{}</dd>\
         <dt>When</dt><dd id=\"when\">{}</dd>\
         <dt>Suite</dt><dd id=\"suite\">{}</dd>\
         <dt>Digest</dt><dd>{}</dd><dt>Cases from</dt><dd>{}</dd>",
        esc(&meta.target),
        esc(&meta.generated_at),
        esc(&meta.suite.line()),
        esc(&meta.suite.digest),
        esc(&meta.suite.source)
    );
    if let Some(file) = &meta.expected_failures {
        let _ = write!(out, "<dt>Expected failures</dt><dd>{}</dd>", esc(file));
    }
    out.push_str("</dl>\n");

    // Counts by level (the level each case states) and outcome.
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in results {
        *counts
            .entry((level_of(r), outcome_name(&r.outcome)))
            .or_default() += 1;
    }
    out.push_str("<table id=\"counts\"><thead><tr><th>level</th>");
    for (_, label) in OUTCOMES {
        let _ = write!(out, "<th>{label}</th>");
    }
    out.push_str("<th>total</th></tr></thead><tbody>\n");
    for level in LEVELS.iter().copied().chain(["all"]) {
        let _ = write!(out, "<tr><th>{level}</th>");
        let mut total = 0;
        for (outcome, _) in OUTCOMES {
            let n: usize = counts
                .iter()
                .filter(|((l, o), _)| (level == "all" || *l == level) && *o == outcome)
                .map(|(_, n)| n)
                .sum();
            total += n;
            let _ = write!(
                out,
                "<td class=\"n o-{outcome}\" id=\"count-{level}-{outcome}\">{n}</td>"
            );
        }
        let _ = writeln!(
            out,
            "<td class=\"n\" id=\"count-{level}-total\">{total}</td></tr>"
        );
    }
    let summary = Summary::of(results);
    let _ = writeln!(
        out,
        "</tbody></table>\n<p id=\"summary\">{}</p>",
        esc(&summary.to_string())
    );

    let tags: BTreeSet<String> = results
        .iter()
        .flat_map(|r| r.detail.tags.iter().cloned())
        .collect();
    filters(&mut out, &OUTCOMES, &tags);

    out.push_str(
        "<table id=\"cases\"><thead><tr><th>outcome</th><th>level</th><th>case</th></tr></thead><tbody>\n",
    );
    for (outcome, label) in OUTCOMES {
        for r in results
            .iter()
            .filter(|r| outcome_name(&r.outcome) == outcome)
        {
            case_row(&mut out, r, outcome, label);
        }
    }
    out.push_str("</tbody></table>\n");
    page_end(&mut out);
    out
}

fn case_row(out: &mut String, r: &CaseResult, outcome: &str, label: &str) {
    let level = level_of(r);
    let _ = write!(
        out,
        "<tr class=\"case o-{outcome}\" id=\"case-{}\" data-level=\"{level}\" data-outcomes=\"{outcome}\" data-tags=\"{}\">\
         <td>{label}</td><td>{level}</td><td>",
        esc(&r.id),
        esc(&r.detail.tags.join(" "))
    );
    let title = format!(
        "<code>{}</code> — {}",
        esc(&r.id),
        esc(&r.detail.description)
    );
    let reasons = r.outcome.reasons();
    let detailed = matches!(
        r.outcome,
        Outcome::Fail(_) | Outcome::ExpectedFail(_) | Outcome::Stale(_)
    );
    if !detailed {
        out.push_str(&title);
        if let Some(why) = reasons.first() {
            let _ = write!(out, " <small>({})</small>", esc(&shown(why)));
        }
        out.push_str("</td></tr>\n");
        return;
    }
    let _ = write!(
        out,
        "<details><summary>{title}</summary><ul class=\"reasons\">"
    );
    for reason in reasons {
        let _ = write!(out, "<li>{}</li>", esc_text(&shown(reason)));
    }
    out.push_str("</ul>");
    if !r.detail.differing_paths.is_empty() {
        out.push_str("<p>Violation paths that differ:</p><ul class=\"reasons\">");
        for p in &r.detail.differing_paths {
            let _ = write!(out, "<li><code>{}</code></li>", esc(p));
        }
        out.push_str("</ul>");
    }
    let side = |v: Option<&Value>| v.map_or("(nothing)".to_owned(), pretty);
    let sent = r
        .detail
        .sent
        .as_ref()
        .map_or("(nothing: a response case)".to_owned(), wire_form);
    let _ = writeln!(
        out,
        "<div class=\"sides\"><div><h4>Sent</h4><pre>{}</pre></div>\
         <div><h4>Expected</h4><pre>{}</pre></div>\
         <div><h4>Received</h4><pre>{}</pre></div></div></details></td></tr>",
        esc_text(&sent),
        esc_text(&side(Some(&r.detail.expected))),
        esc_text(&side(r.detail.observed.as_ref()))
    );
}

/// The matrix of several runs (several servers, or one over time): a column per run, a
/// row per case, the outcome in each cell, and the counts per column. Runs of different
/// suites may be compared; the page says so.
pub fn matrix_page(runs: &[(String, RunReport)]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    page_head(&mut out, "ivs-conformance: implementations compared");
    out.push_str("<h1>CreateParticipantToken conformance, compared</h1>\n");

    let digests: BTreeSet<&str> = runs
        .iter()
        .map(|(_, r)| {
            r.suite
                .as_ref()
                .map_or("(not named)", |s| s.digest.as_str())
        })
        .collect();
    if digests.len() > 1 {
        out.push_str(
            "<p class=\"warning\" id=\"suite-warning\">These reports ran different suites \
             (their case files differ): a case's outcome may differ because the case did.</p>\n",
        );
    }

    // Rows: every case id, in the order first seen; per run, its outcome and level.
    let mut ids: Vec<&str> = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut level_by_id: BTreeMap<&str, &str> = BTreeMap::new();
    for (_, r) in runs {
        for c in &r.cases {
            if seen.insert(&c.id) {
                ids.push(&c.id);
            }
            level_by_id
                .entry(&c.id)
                .or_insert(c.declared_level.as_deref().unwrap_or(&c.level));
        }
    }
    let cells: Vec<BTreeMap<&str, &str>> = runs
        .iter()
        .map(|(_, r)| {
            r.cases
                .iter()
                .map(|c| (c.id.as_str(), c.outcome.as_str()))
                .collect()
        })
        .collect();

    out.push_str("<table id=\"matrix\"><thead><tr><th>level</th><th>case</th>");
    for (i, (name, r)) in runs.iter().enumerate() {
        let suite = r
            .suite
            .as_ref()
            .map_or("suite not named".to_owned(), |s| s.line());
        let _ = write!(
            out,
            "<th id=\"run-{i}\">{}<br><small>{}</small><br><small>{}</small><br><small>{}</small></th>",
            esc(&r.target),
            esc(name),
            esc(r.generated_at.as_deref().unwrap_or("")),
            esc(&suite)
        );
    }
    out.push_str("</tr>\n<tr><th colspan=\"2\">MUST passed</th>");
    for (i, (_, r)) in runs.iter().enumerate() {
        let t = MustTally::of_report(r);
        let _ = write!(
            out,
            "<td class=\"n\" id=\"must-{i}\">{}/{}</td>",
            t.passed, t.run
        );
    }
    for (outcome, label) in OUTCOMES {
        let _ = write!(out, "</tr>\n<tr><th colspan=\"2\">{label}</th>");
        for (i, cell) in cells.iter().enumerate() {
            let n = cell.values().filter(|o| **o == outcome).count();
            let _ = write!(
                out,
                "<td class=\"n o-{outcome}\" id=\"count-{i}-{outcome}\">{n}</td>"
            );
        }
    }
    out.push_str("</tr></thead><tbody>\n");
    for id in ids {
        let level = level_by_id.get(id).copied().unwrap_or("MAY");
        let outcomes: BTreeSet<&str> = cells
            .iter()
            .map(|c| c.get(id).copied().unwrap_or("absent"))
            .collect();
        let _ = write!(
            out,
            "<tr class=\"case\" id=\"case-{}\" data-level=\"{level}\" data-outcomes=\"{}\" data-tags=\"\">\
             <td>{level}</td><td><code>{}</code></td>",
            esc(id),
            outcomes.iter().copied().collect::<Vec<_>>().join(" "),
            esc(id)
        );
        for (i, cell) in cells.iter().enumerate() {
            let o = cell.get(id).copied().unwrap_or("absent");
            let label = OUTCOMES
                .iter()
                .find(|(v, _)| *v == o)
                .map_or("—", |(_, l)| l);
            let _ = write!(out, "<td class=\"o-{o}\" data-run=\"{i}\">{label}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    // The filters come last here: the matrix's header rows are its counts.
    filters(&mut out, &OUTCOMES, &BTreeSet::new());
    page_end(&mut out);
    out
}
