//! Expected failures: a file listing the cases an implementation is known to fail, so
//! that its CI passes while exactly those fail, and fails when one more breaks or one
//! starts passing (WPT's expectation files, smithy-rs's ExpectFail lists).
//!
//! The file is text: one case id a line; what follows the id on its line, after white
//! space and an optional `#`, is a note; a line whose first character (after white
//! space) is `#` is a comment; blank lines are ignored. A UTF-8 byte-order mark at the
//! start is accepted, and lines may end in LF, CRLF or CR alike. A note that starts with
//! `cause:` records the cause the case failed with (as a run names it, at most 120
//! characters): when the case later fails of another cause, the run says so ("fails
//! differently") and fails, so that a listed case cannot break in a new way unseen.
//!
//! ```text
//! # known failures of my-server
//! duration.range.min-minus-one   # cause: `/duration` range not checked: expected 400 ValidationException, got 200
//! capabilities.enum.lowercase    we accept any capability
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ivs_reference_server::escape;
use ivs_reference_server::files::{self, FileKind};

use crate::runner::{CaseResult, Outcome};
use crate::suite::SuiteInfo;

/// The most characters of a listed id that a message repeats.
const QUOTED_ID_CHARS: usize = 80;

/// The most unknown ids one message lists; the rest are counted.
const LISTED_UNKNOWN: usize = 10;

/// `an id` or `N ids`.
fn ids(n: usize) -> String {
    if n == 1 {
        "an id".to_owned()
    } else {
        format!("{n} ids")
    }
}

/// `id` as a message quotes it: cut, in quotes.
fn quoted(id: &str) -> String {
    format!("{:?}", escape::cut(id, QUOTED_ID_CHARS))
}

/// One listed case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its 1-based line in the file.
    pub line: usize,
    /// The note after the id, if any.
    pub note: Option<String>,
}

/// What a note starts with when it records the cause a case failed with.
const CAUSE_NOTE: &str = "cause:";

impl Entry {
    /// The cause the note records, when it records one (`cause: …`).
    pub fn cause(&self) -> Option<&str> {
        self.note
            .as_deref()
            .and_then(|n| n.strip_prefix(CAUSE_NOTE))
            .map(str::trim)
            .filter(|c| !c.is_empty())
    }
}

/// An expected-failures file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedFailures {
    /// Where it was read from, as given.
    pub path: PathBuf,
    /// The listed case ids.
    pub entries: BTreeMap<String, Entry>,
    /// Ids listed more than once: (id, the line of the repeat, the line of the first).
    pub repeated: Vec<(String, usize, usize)>,
}

impl ExpectedFailures {
    /// Reads the file at `path`, a regular file within [`FileKind::Expectations`]'s
    /// bound.
    pub fn read(path: &Path) -> Result<ExpectedFailures, String> {
        let text = files::read_text(path, FileKind::Expectations).map_err(|e| e.to_string())?;
        ExpectedFailures::parse(path, &text)
    }

    /// Reads the text of a file at `path` (named in errors).
    pub fn parse(path: &Path, text: &str) -> Result<ExpectedFailures, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        let mut repeated = Vec::new();
        for (i, raw) in lines(text).enumerate() {
            let line = i + 1;
            let content = raw.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let end = content
                .find(|c: char| c.is_whitespace() || c == '#')
                .unwrap_or(content.len());
            let (id, rest) = content.split_at(end);
            let note = rest.trim_start().trim_start_matches('#').trim();
            let entry = Entry {
                line,
                note: (!note.is_empty()).then(|| note.to_owned()),
            };
            if let Some(first) = entries.get(id) {
                repeated.push((id.to_owned(), line, first.line));
                continue;
            }
            entries.insert(id.to_owned(), entry);
        }
        Ok(ExpectedFailures {
            path: path.to_owned(),
            entries,
            repeated,
        })
    }

    /// Refuses, all at once, ids listed twice and ids that no case of the suite has
    /// (each by line, with the id it most likely meant), since a typo would otherwise
    /// hide a failure.
    pub fn check_ids(&self, suite_ids: &BTreeSet<String>) -> Result<(), String> {
        let mut problems: Vec<String> = Vec::new();
        if !self.repeated.is_empty() {
            let n = self.repeated.len();
            let shown = self.repeated.iter().map(|(id, line, first)| {
                format!("line {line}: {} (first on line {first})", quoted(id))
            });
            problems.push(format!(
                "lists {} twice ({})",
                ids(n),
                escape::listed(shown, LISTED_UNKNOWN)
            ));
        }
        let mut unknown: Vec<(usize, &str)> = self
            .entries
            .iter()
            .filter(|(id, _)| !suite_ids.contains(*id))
            .map(|(id, e)| (e.line, id.as_str()))
            .collect();
        if !unknown.is_empty() {
            unknown.sort_unstable();
            let n = unknown.len();
            let shown = unknown.into_iter().enumerate().map(|(i, (line, id))| {
                // Did-you-mean for the ids shown (the rest are only counted).
                let near = (i < LISTED_UNKNOWN)
                    .then(|| crate::case::nearest_id(id, suite_ids.iter().map(String::as_str)))
                    .flatten()
                    .map_or(String::new(), |n| format!(", did you mean {n}?"));
                format!("line {line}: {}{near}", quoted(id))
            });
            problems.push(format!(
                "lists {} no case of the suite has ({}); `ivs-conformance list` shows the ids",
                ids(n),
                escape::listed(shown, LISTED_UNKNOWN)
            ));
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(format!(
            "{} {}",
            self.path.display(),
            problems.join("; and ")
        ))
    }

    /// Marks the results: a listed case that failed failed as expected, unless its entry
    /// records another cause than the one it failed with now: then it fails, "fails
    /// differently" first among its reasons; a listed case that passed is stale. A
    /// listed case that was skipped, or not selected, is neither.
    pub fn apply(&self, results: &mut [CaseResult]) {
        for r in results {
            let Some(entry) = self.entries.get(&r.id) else {
                continue;
            };
            let now = crate::runner::cause_of(r);
            r.outcome = match std::mem::replace(&mut r.outcome, Outcome::Pass) {
                Outcome::Fail(mut reasons) => match entry.cause() {
                    Some(was) if was != note_form(&now.key) => {
                        // The cause stays the failure's own, not the words said here.
                        r.detail.cause.get_or_insert(now.clone());
                        reasons.insert(
                            0,
                            format!(
                                "fails differently: was {:?} ({} line {}), now {:?}",
                                escape::cut(was, 120),
                                self.path.display(),
                                entry.line,
                                now.key
                            ),
                        );
                        Outcome::Fail(reasons)
                    }
                    _ => Outcome::ExpectedFail(reasons),
                },
                Outcome::Pass => Outcome::Stale(format!(
                    "listed as failing in {} (line {}), but it passed: remove it from {}",
                    self.path.display(),
                    entry.line,
                    self.path.display()
                )),
                other => other,
            };
        }
    }
}

/// The lines of `text`, ended by LF, CRLF or CR.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let t = rest?;
        match t.find(['\r', '\n']) {
            None => {
                rest = None;
                (!t.is_empty()).then_some(t)
            }
            Some(i) => {
                let skip = if t[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&t[i + skip..]);
                Some(&t[..i])
            }
        }
    })
}

/// The cases of a run that failed (expected or not), sorted by id, each with its cause.
fn failing(results: &[CaseResult]) -> Vec<(&str, String)> {
    let mut failing: Vec<(&str, String)> = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Fail(_) | Outcome::ExpectedFail(_)))
        .map(|r| (r.id.as_str(), crate::runner::cause_of(r).key))
        .collect();
    failing.sort();
    failing
}

/// A cause as a note holds it: one line, no `#`, trimmed; what is written and what is
/// compared with what a file records, so that a cause reads back the same.
fn note_form(cause: &str) -> String {
    cause
        .chars()
        .map(|c| if c.is_control() || c == '#' { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// An entry's line as the kit writes it: the id, then its cause as a note.
fn entry_line(id: &str, cause: &str, width: usize) -> String {
    let cause = note_form(cause);
    if cause.is_empty() {
        format!("{id}\n")
    } else {
        format!("{id:<width$}  # {CAUSE_NOTE} {cause}\n")
    }
}

/// The expected-failures file of a run: every case that failed (expected or not),
/// sorted by id, each with the cause it failed with as its note; a header says what
/// wrote it, against what and with which suite.
pub fn write(target: &str, suite: &SuiteInfo, results: &[CaseResult]) -> String {
    let failing = failing(results);
    let width = failing.iter().map(|(id, _)| id.len()).max().unwrap_or(0);
    let mut out = format!(
        "# Expected failures: `ivs-conformance run --expected-failures FILE` passes while exactly\n\
         # these cases fail. One case id a line; text after the id is a note (`cause: …`, the\n\
         # cause it fails with: another cause fails the run).\n\
         # Written by `--write-expected-failures` against {target}\n\
         # ({}).\n",
        suite.line()
    );
    for (id, cause) in failing {
        out.push_str(&entry_line(id, &cause, width));
    }
    out
}

/// `existing` (an expected-failures file's text) brought up to a run: its comments,
/// blank lines, order and notes kept; the entries of cases that now pass removed; the
/// recorded cause of an entry that now fails of another one replaced (its note kept
/// when it records none); the run's new failures added at the end, sorted, under a
/// comment. Entries of cases the run did not run (skipped, not selected) stay.
pub fn rewrite(existing: &str, target: &str, results: &[CaseResult]) -> String {
    let existing = existing.strip_prefix('\u{feff}').unwrap_or(existing);
    let by_id: BTreeMap<&str, &CaseResult> = results.iter().map(|r| (r.id.as_str(), r)).collect();
    let failing: BTreeMap<&str, String> = failing(results).into_iter().collect();
    let mut listed: BTreeSet<String> = BTreeSet::new();
    let mut out = String::new();
    for raw in lines(existing) {
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            out.push_str(raw);
            out.push('\n');
            continue;
        }
        let end = content
            .find(|c: char| c.is_whitespace() || c == '#')
            .unwrap_or(content.len());
        let id = &content[..end];
        listed.insert(id.to_owned());
        let note = content[end..].trim_start().trim_start_matches('#').trim();
        match (by_id.get(id), failing.get(id)) {
            // Passes now: the entry is stale, and goes.
            (Some(r), None) if matches!(r.outcome, Outcome::Pass | Outcome::Stale(_)) => {}
            (Some(_), Some(cause)) if note.starts_with(CAUSE_NOTE) => {
                out.push_str(&entry_line(id, cause, id.len()));
            }
            _ => {
                out.push_str(raw);
                out.push('\n');
            }
        }
    }
    let added: Vec<(&str, &String)> = failing
        .iter()
        .filter(|(id, _)| !listed.contains(**id))
        .map(|(id, c)| (*id, c))
        .collect();
    if !added.is_empty() {
        let width = added.iter().map(|(id, _)| id.len()).max().unwrap_or(0);
        out.push_str(&format!(
            "# Added by `--write-expected-failures` against {target}:\n"
        ));
        for (id, cause) in added {
            out.push_str(&entry_line(id, cause, width));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ExpectedFailures, String> {
        ExpectedFailures::parse(Path::new("x.txt"), text)
    }

    #[test]
    fn ids_notes_comments_blank_lines_crlf_and_a_bom() {
        let e =
            parse("\u{feff}# head\r\n\r\na.b  # why\r\n  c.d note here\r\ne\r\n   \r\n").unwrap();
        assert_eq!(e.entries.len(), 3, "{e:?}");
        assert_eq!(e.entries["a.b"].note.as_deref(), Some("why"));
        assert_eq!(e.entries["a.b"].line, 3);
        assert_eq!(e.entries["c.d"].note.as_deref(), Some("note here"));
        assert_eq!(e.entries["e"].note, None);
        let e = parse("x#glued note\n").unwrap();
        assert_eq!(e.entries["x"].note.as_deref(), Some("glued note"));
    }

    #[test]
    fn lf_crlf_and_bare_cr_end_lines_alike() {
        let e = parse("a # one\rb\r\nc # three\nd").unwrap();
        let ids: Vec<(&str, usize)> = e
            .entries
            .iter()
            .map(|(k, v)| (k.as_str(), v.line))
            .collect();
        assert_eq!(ids, [("a", 1), ("b", 2), ("c", 3), ("d", 4)]);
        assert_eq!(e.entries["a"].note.as_deref(), Some("one"));
        assert_eq!(lines("x\r\r\ny\n").collect::<Vec<_>>(), ["x", "", "y"]);
    }

    #[test]
    fn unknown_ids_are_cut_and_counted() {
        let long = "z".repeat(10_000);
        let text: String = (0..5_000).map(|i| format!("{long}{i}\n")).collect();
        let err = parse(&text)
            .unwrap()
            .check_ids(&BTreeSet::new())
            .unwrap_err();
        assert!(err.contains("5000 ids"), "{}", &err[..200]);
        assert!(err.contains("and 4990 more"), "{}", &err[..200]);
        assert!(err.len() < 4_000, "{} bytes", err.len());
    }

    #[test]
    fn twice_and_unknown_are_reported_at_once_naming_the_lines() {
        let e = parse("a\nb\na\n: b\nduration.range.mn\nb\n").unwrap();
        let known: BTreeSet<String> = [
            "a".to_owned(),
            "b".to_owned(),
            "duration.range.min".to_owned(),
        ]
        .into();
        let err = e.check_ids(&known).unwrap_err();
        assert!(
            err.starts_with("x.txt lists 2 ids twice (line 3: \"a\" (first on line 1), line 6: \"b\" (first on line 2)); and lists 2 ids no case"),
            "{err}"
        );
        assert!(err.contains("line 4: \":\""), "{err}");
        assert!(
            err.contains("line 5: \"duration.range.mn\", did you mean duration.range.min?"),
            "{err}"
        );
    }
}
