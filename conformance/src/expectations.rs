//! Expected failures: a file listing the cases an implementation is known to fail, so
//! that its CI passes while exactly those fail, and fails when one more breaks or one
//! starts passing (WPT's expectation files, smithy-rs's ExpectFail lists).
//!
//! The file is text: one case id a line; what follows the id on its line, after white
//! space and an optional `#`, is a note; a line whose first character (after white
//! space) is `#` is a comment; blank lines are ignored. A UTF-8 byte-order mark at the
//! start is accepted, and lines may end in LF, CRLF or CR alike.
//!
//! ```text
//! # known failures of my-server
//! request.duration.zero          # we do not check duration yet
//! request.capabilities.unknown   we accept any capability
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

/// An expected-failures file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedFailures {
    /// Where it was read from, as given.
    pub path: PathBuf,
    /// The listed case ids.
    pub entries: BTreeMap<String, Entry>,
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
                return Err(format!(
                    "{}:{line}: {} is listed twice (first on line {})",
                    path.display(),
                    quoted(id),
                    first.line
                ));
            }
            entries.insert(id.to_owned(), entry);
        }
        Ok(ExpectedFailures {
            path: path.to_owned(),
            entries,
        })
    }

    /// Refuses ids that no case of the suite has (all of them, by line), since a typo
    /// would otherwise hide a failure.
    pub fn check_ids(&self, suite_ids: &BTreeSet<String>) -> Result<(), String> {
        let mut unknown: Vec<(usize, &str)> = self
            .entries
            .iter()
            .filter(|(id, _)| !suite_ids.contains(*id))
            .map(|(id, e)| (e.line, id.as_str()))
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        unknown.sort_unstable();
        let n = unknown.len();
        let shown = unknown
            .into_iter()
            .map(|(line, id)| format!("line {line}: {}", quoted(id)));
        Err(format!(
            "{} lists {} no case of the suite has ({}); `ivs-conformance list` shows the ids",
            self.path.display(),
            if n == 1 {
                "an id".to_owned()
            } else {
                format!("{n} ids")
            },
            escape::listed(shown, LISTED_UNKNOWN)
        ))
    }

    /// Marks the results: a listed case that failed failed as expected; a listed case
    /// that passed is stale. A listed case that was skipped, or not selected, is neither.
    pub fn apply(&self, results: &mut [CaseResult]) {
        for r in results {
            let Some(entry) = self.entries.get(&r.id) else {
                continue;
            };
            r.outcome = match std::mem::replace(&mut r.outcome, Outcome::Pass) {
                Outcome::Fail(reasons) => Outcome::ExpectedFail(reasons),
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

/// The expected-failures file of a run: every case that failed (expected or not),
/// sorted by id, each with the first line of its first reason as a note; a header says
/// what wrote it, against what and with which suite.
pub fn write(target: &str, suite: &SuiteInfo, results: &[CaseResult]) -> String {
    let mut failing: Vec<(&str, &str)> = results
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Fail(reasons) | Outcome::ExpectedFail(reasons) => Some((
                r.id.as_str(),
                reasons.first().and_then(|r| r.lines().next()).unwrap_or(""),
            )),
            _ => None,
        })
        .collect();
    failing.sort();
    let width = failing.iter().map(|(id, _)| id.len()).max().unwrap_or(0);
    let mut out = format!(
        "# Expected failures: `ivs-conformance run --expected-failures FILE` passes while exactly\n\
         # these cases fail. One case id a line; text after the id is a note.\n\
         # Written by `--write-expected-failures` against {target}\n\
         # ({}).\n",
        suite.line()
    );
    for (id, why) in failing {
        if why.is_empty() {
            out.push_str(id);
            out.push('\n');
        } else {
            out.push_str(&format!("{id:<width$}  # {why}\n"));
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
    fn twice_and_unknown_are_errors_naming_the_lines() {
        let err = parse("a\nb\na\n").unwrap_err();
        assert!(
            err.contains("x.txt:3: \"a\" is listed twice (first on line 1)"),
            "{err}"
        );
        let e = parse("a\n: b\nzz\n").unwrap();
        let known: BTreeSet<String> = ["a".to_owned()].into();
        let err = e.check_ids(&known).unwrap_err();
        assert!(err.contains("line 2: \":\""), "{err}");
        assert!(err.contains("line 3: \"zz\""), "{err}");
    }
}
