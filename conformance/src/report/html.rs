//! The HTML reports: one run's page (`run --format html`) and the matrix of several runs
//! (`ivs-conformance report RUN.json…`). Each is one self-contained file: its style and
//! script are inline, it loads nothing (a Content-Security-Policy of `default-src
//! 'none'` says so to the browser), and it opens from `file://`. Every value from a run,
//! a report or a server is written with [`escape::markup`], and the policy lets only
//! the page's own script and style run (by their SHA-256), so that a missed escape still
//! runs no script.
//!
//! Filters are driven by the page's fragment (`report.html#outcome=fail&level=MUST`),
//! which the controls keep up to date, so that a filtered view is a link.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use base64::Engine as _;
use ivs_reference_server::escape;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::meta::RunMeta;
use crate::case::Level;
use crate::runner::{CaseResult, Outcome, OutcomeKind, Summary};

const LEVELS: [Level; 3] = [Level::Must, Level::Should, Level::May];

/// `s` for HTML text or an attribute value.
pub(crate) fn esc(s: &str) -> Cow<'_, str> {
    escape::markup(s)
}

/// The page's Content-Security-Policy: nothing loaded, and no script or style but the
/// page's own, named by their SHA-256 (so no injected `<script>` or handler runs).
fn csp() -> String {
    let hash = |text: &str| {
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    };
    format!(
        "default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; \
         img-src data:; base-uri 'none'; form-action 'none'",
        hash(STYLE),
        hash(SCRIPT)
    )
}

const STYLE: &str = r#"
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .5em; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; font-family: ui-monospace, monospace; }
table { border-collapse: collapse; margin: .8em 0; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.o-fail { background: #fdd; } .o-expected { background: #ffe9b3; }
.o-stale { background: #d7ecff; }
.o-pass { background: #dfd; } .o-skip { background: #eee; color: #666; }
.warning { background: #ffe9b3; border: 1px solid #e0b000; padding: .5em 1em; }
fieldset { display: inline-block; margin: 0 1em .5em 0; }
.sides { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: .5em; }
.sides pre { background: #f6f6f6; padding: .5em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: 0; }
.sides h4 { margin: .2em 0; }
ul.reasons { margin: .3em 0; padding-left: 1.2em; }
code { font-family: ui-monospace, monospace; }
ul.reasons li, small.reason { overflow-wrap: anywhere; }
small.reason { display: block; max-width: 24em; color: #555; }
td.reason { max-width: 40em; overflow-wrap: anywhere; }
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

pub(crate) fn page_head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style></head>\n<body>\n",
        csp(),
        esc(title)
    );
}

pub(crate) fn page_end(out: &mut String) {
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body></html>\n");
}

/// The level and outcome checkboxes, and the tag list when there are tags.
pub(crate) fn filters(out: &mut String, tags: &BTreeSet<String>) {
    out.push_str("<form id=\"filters\"><fieldset><legend>Level</legend>");
    for level in LEVELS.map(Level::as_str) {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"level\" value=\"{level}\" checked> {level}</label> "
        );
    }
    out.push_str("</fieldset><fieldset><legend>Outcome</legend>");
    for kind in OutcomeKind::ALL {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"outcome\" value=\"{}\" checked> {}</label> ",
            kind.as_str(),
            kind.label()
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
    escape::cut(text, SHOWN_CHARS).into_owned()
}

/// `v` with its long strings shown cut and its top-level `null` members left out (an
/// expectation states only some members; deeper down, a `null` says something: an
/// echoed member expected absent).
fn clipped(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (shown(k), clipped_within(v)))
                .collect(),
        ),
        other => clipped_within(other),
    }
}

fn clipped_within(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(shown(s)),
        Value::Array(a) => Value::Array(a.iter().map(clipped_within).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (shown(k), clipped_within(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(&clipped(v)).unwrap_or_default()
}

/// A request as it went on the wire, or (with a `status`) an answer as it came: the
/// request or status line, the headers, the body (hex when it is not UTF-8).
fn wire_form(sent: &Value) -> String {
    let field = |k: &str| sent.get(k).and_then(Value::as_str).unwrap_or_default();
    let mut out = match sent.get("status") {
        Some(status) => format!("HTTP {status}\n"),
        None => format!("{} {}\n", field("method"), field("path")),
    };
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
    if let Some(hex) = sent.get("bodyHex").and_then(Value::as_str) {
        out.push_str("(not UTF-8; hex) ");
        out.push_str(&shown(hex));
    } else {
        out.push_str(&shown(field("body")));
    }
    if let Some(n) = sent.get("bodyBytesCut").and_then(Value::as_u64) {
        out.push_str(&format!("\n… ({n} more bytes cut)"));
    }
    out
}

fn level_of(r: &CaseResult) -> &'static str {
    r.detail.declared.unwrap_or(r.level).as_str()
}

/// One run's page: what ran against what, the counts by level and outcome, then every
/// case, failures first, a failure's request, expectation and answer side by side.
/// The failures by cause, largest first: what to fix first.
fn causes_table(out: &mut String, results: &[CaseResult]) {
    let groups = crate::runner::group(results);
    if groups.is_empty() {
        return;
    }
    out.push_str(
        "<h2>Causes, largest first: fix the first one first</h2>\n<table id=\"causes\"><thead><tr>\
         <th>cases</th><th>MUST</th><th>cause</th><th>what the table asks</th><th>for example</th></tr></thead><tbody>\n",
    );
    for g in &groups {
        let _ = writeln!(
            out,
            "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"reason\">{}</td>\
             <td class=\"reason\">{}</td><td><a href=\"#case-{}\">{}</a></td></tr>",
            g.cases,
            g.must,
            esc(&g.cause.key),
            esc(g.cause.hint.as_deref().unwrap_or("")),
            esc(&g.example),
            esc(&g.example)
        );
    }
    out.push_str("</tbody></table>\n");
}

pub(super) fn run_page(meta: &RunMeta, results: &[CaseResult]) -> String {
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
            .entry((level_of(r), r.outcome.kind().as_str()))
            .or_default() += 1;
    }
    out.push_str("<table id=\"counts\"><thead><tr><th>level</th>");
    for kind in OutcomeKind::ALL {
        let _ = write!(out, "<th>{}</th>", kind.label());
    }
    out.push_str("<th>total</th></tr></thead><tbody>\n");
    for level in LEVELS.map(Level::as_str).into_iter().chain(["all"]) {
        let _ = write!(out, "<tr><th>{level}</th>");
        let mut total = 0;
        for outcome in OutcomeKind::ALL.map(OutcomeKind::as_str) {
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
    causes_table(&mut out, results);

    let tags: BTreeSet<String> = results
        .iter()
        .flat_map(|r| r.detail.tags.iter().cloned())
        .collect();
    filters(&mut out, &tags);

    out.push_str(
        "<table id=\"cases\"><thead><tr><th>outcome</th><th>level</th><th>case</th></tr></thead><tbody>\n",
    );
    for kind in OutcomeKind::ALL {
        for r in results.iter().filter(|r| r.outcome.kind() == kind) {
            case_row(&mut out, r, kind.as_str(), kind.label());
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
        "<code>{}</code> ({}) — {}",
        esc(&r.id),
        r.detail.operation.as_str(),
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
        let _ = write!(out, "<li>{}</li>", esc(&shown(reason)));
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
    // The exchange as it went, where the case kept it (a case that did not pass).
    let exchange = r.detail.exchange.as_ref();
    let sent = exchange
        .and_then(|e| e.get("request"))
        .or(r.detail.sent.as_ref())
        .map_or("(nothing: a response case)".to_owned(), wire_form);
    let mut received = side(r.detail.observed.as_ref());
    if let Some(answer) = exchange.and_then(|e| e.get("response")) {
        received.push_str("\n\nas it came:\n");
        received.push_str(&wire_form(answer));
    }
    let _ = writeln!(
        out,
        "<div class=\"sides\"><div><h4>Sent</h4><pre>{}</pre></div>\
         <div><h4>Expected</h4><pre>{}</pre></div>\
         <div><h4>Received</h4><pre>{}</pre></div></div></details></td></tr>",
        esc(&sent),
        esc(&side(Some(&r.detail.expected))),
        esc(&received)
    );
}
