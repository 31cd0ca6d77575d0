//! Judging what a target did against what a case expects: every departure, graded
//! by whether it fails the case at its own level or only in exactness (a SHOULD).

use std::collections::BTreeMap;

use serde_json::Value;

use super::lists::{agree_at_list_level, exact_mismatches, in_collection_form, sorted};
use crate::case::Expect;
use crate::cause::{member_path, Cause};
use crate::target::Observed;

/// Compares two echoed values; lists compare as multisets (capabilities are a set).
fn same_value(expected: &Value, got: &Value) -> bool {
    match (expected, got) {
        (Value::Array(a), Value::Array(b)) => {
            let key = |v: &Vec<Value>| {
                let mut s: Vec<String> = v.iter().map(Value::to_string).collect();
                s.sort();
                s
            };
            key(a) == key(b)
        }
        _ => expected == got,
    }
}

/// Every way `got` departs from `expect`; empty when it meets it.
pub fn compare(expect: &Expect, got: &Observed, is_request: bool) -> Vec<String> {
    let graded = compare_graded(expect, got, is_request);
    graded.hard.into_iter().chain(graded.exactness).collect()
}

/// How an answer departs from a case, graded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graded {
    /// Departures that fail the case at its own level.
    pub hard: Vec<String>,
    /// Departures in exactness or wording only, which fail a case at most at SHOULD: item
    /// pointers or counts that differ while the lists named and their constraints agree,
    /// and a ValidationException whose message names no member the kit can read (the
    /// model says nothing of the message's words, and no AWS client parses them). (A
    /// server that reports a list's item violations once, at the list, in the live-AWS
    /// collection form `Value '[…]' at 'capabilities'`, departs in nothing: that is how
    /// AWS services write them.)
    pub exactness: Vec<String>,
    /// The cause of the first hard departure, else of the first in exactness.
    pub cause: Option<Cause>,
    /// Whether a departure is that the message names no member the kit can read.
    pub unread_message: bool,
    hard_cause: bool,
}

impl Graded {
    fn hard(&mut self, text: String, cause: Cause) {
        if !self.hard_cause {
            self.cause = Some(cause);
            self.hard_cause = true;
        }
        self.hard.push(text);
    }

    fn soft(&mut self, text: String, cause: Cause) {
        if self.cause.is_none() {
            self.cause = Some(cause);
        }
        self.exactness.push(text);
    }
}

/// `null` (absent), `""`, `[]` or `{}`.
fn is_empty_or_absent(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// `STATUS ErrorType`, or the status alone.
fn answer(status: Option<u16>, error_type: Option<&str>) -> String {
    match (status, error_type) {
        (Some(s), Some(t)) => format!("{s} {t}"),
        (Some(s), None) => s.to_string(),
        (None, Some(t)) => t.to_owned(),
        (None, None) => "any status".to_owned(),
    }
}

/// The cause of answering with another status than the case expects: the check that
/// was not made (the first expected violation's member and constraint), or the
/// statuses.
fn status_cause(expect: &Expect, got: &Observed) -> Cause {
    let want = answer(expect.status, expect.error_type.as_deref());
    let have = answer(Some(got.status), got.error_type.as_deref());
    if let Some(first) = expect.violations.as_ref().and_then(|v| v.first()) {
        let path = member_path(first.path());
        let check = first.constraint().unwrap_or("constraint");
        return Cause::new(
            format!("`{path}` {check} not checked: expected {want}, got {have}"),
            Some(path),
        );
    }
    if let Some(s) = &expect.serialization {
        let at = s
            .path
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(|p| format!("`{}` ", member_path(p)))
            .unwrap_or_default();
        return Cause::new(
            format!("{at}{} not refused: expected {want}, got {have}", s.kind),
            s.path.as_deref().map(member_path),
        );
    }
    if let Some(first) = got.violations.as_ref().and_then(|v| v.first()) {
        let path = member_path(&first.path);
        let check = first.constraint.as_deref().unwrap_or("constraint");
        return Cause::new(
            format!("`{path}` {check} refused where it holds: expected {want}, got {have}"),
            Some(path),
        );
    }
    Cause::new(format!("expected {want}, got {have}"), None)
}

/// Every way `got` departs from `expect`, graded: [`Graded`]'s `hard` and `exactness`,
/// with the first one's `cause`.
pub fn compare_graded(expect: &Expect, got: &Observed, is_request: bool) -> Graded {
    let mut graded = Graded::default();
    if let Some(status) = expect.status {
        if status != got.status {
            graded.hard(
                format!("status: expected {status}, got {}", got.status),
                status_cause(expect, got),
            );
        }
    }
    let expected_type = expect.error_type.as_deref();
    // An error type is checked where the case names one, and for an expected success
    // (where there must be none); a bare error status leaves the type open.
    let success_expected = is_request && expect.status.is_some_and(|s| s < 300);
    if (success_expected || expected_type.is_some()) && expected_type != got.error_type.as_deref() {
        let (want, have) = (
            expected_type.unwrap_or("none"),
            got.error_type.as_deref().unwrap_or("none"),
        );
        let cause = if expect.status == Some(got.status) {
            Cause::new(format!("error type: expected {want}, got {have}"), None)
        } else {
            status_cause(expect, got)
        };
        graded.hard(format!("error type: expected {want}, got {have}"), cause);
    }
    if let Some(want) = &expect.violations {
        let want_paths: Vec<String> = want.iter().map(|v| v.path().to_owned()).collect();
        // An empty list read from a message where members are expected is the same
        // as none read: the words named none.
        let read = got
            .violations
            .as_deref()
            .filter(|v| !v.is_empty() || want.is_empty());
        match read {
            Some(have) => {
                let want = in_collection_form(want, have);
                let exact = exact_mismatches(&want, have);
                let first = want
                    .iter()
                    .find(|w| !have.iter().any(|h| h.path == w.path()))
                    .or(want.first());
                let cause = || match first {
                    Some(w) => {
                        let path = member_path(w.path());
                        let check = w.constraint().unwrap_or("constraint");
                        Cause::new(
                            format!("`{path}` {check}: the answer names other violations"),
                            Some(path),
                        )
                    }
                    None => Cause::new("violations named where none are expected", None),
                };
                if !exact.is_empty() && agree_at_list_level(&want, have) {
                    let c = Cause::new("violations: exact item pointers or counts differ", None);
                    for e in exact {
                        graded.soft(
                            format!("{e} (exact item pointers and counts: a SHOULD)"),
                            c.clone(),
                        );
                    }
                } else {
                    for e in exact {
                        graded.hard(e, cause());
                    }
                }
            }
            // The error's status and type are checked above at the case's level; which
            // members it names is read from its words, which the model leaves free.
            None if !want.is_empty()
                && (got.error_type.as_deref() == expected_type || expected_type.is_none()) =>
            {
                graded.unread_message = true;
                graded.soft(
                    format!(
                        "violations: expected {want_paths:?}; the message names none the kit can read (a SHOULD): {}",
                        got.message.as_deref().map_or("no message".to_owned(), |m| format!("{:?}", ivs_reference_server::escape::cut(m, 200)))
                    ),
                    Cause::new(
                        "the ValidationException message names no member in a form the kit reads",
                        None,
                    ),
                );
            }
            None => graded.hard(
                format!(
                    "violations: expected {want_paths:?}, the answer names none that could be read"
                ),
                status_cause(expect, got),
            ),
        }
    }
    if let (Some(want), Some(have)) = (&expect.serialization, &got.serialization) {
        if want.kind != have.kind {
            graded.hard(
                format!(
                    "serialization error: expected {}, got {}",
                    want.kind, have.kind
                ),
                Cause::new(
                    format!(
                        "serialization error: expected {}, got {}",
                        want.kind, have.kind
                    ),
                    None,
                ),
            );
        }
        if let Some(path) = want.path.as_ref().filter(|p| **p != have.path) {
            graded.hard(
                format!(
                    "serialization error path: expected {path:?}, got {:?}",
                    have.path
                ),
                Cause::new(format!("{} named at another path", want.kind), None),
            );
        }
    }
    if let (Some(want), Some(have)) = (&expect.advisories, &got.advisories) {
        if sorted(want) != sorted(have) {
            graded.hard(
                format!("advisories: expected {want:?}, got {have:?}"),
                Cause::new("advisories differ", None),
            );
        }
    }
    // A 200 body that cannot be read hides its members: the unreadable body is the one
    // cause (among the problems), not each member it holds.
    if let Some(want) = expect.effective.as_ref().filter(|_| !got.unreadable) {
        let empty = BTreeMap::new();
        let echo = got.echo.as_ref().unwrap_or(&empty);
        if got.echo.is_none() && got.status < 300 {
            graded.hard(
                "effective: the answer holds no participantToken to compare".to_owned(),
                Cause::new("a 200 without a participantToken", None),
            );
        } else {
            for (k, v) in want {
                let have = echo.get(k).unwrap_or(&Value::Null);
                if same_value(v, have) {
                    continue;
                }
                let text = format!("{k}: expected {v}, got {have}");
                let path = format!("/{k}");
                // Whether an empty value is echoed as such or left out is a choice the
                // model and docs leave open: either satisfies a MUST; the exact form is
                // a SHOULD.
                if is_empty_or_absent(v) && is_empty_or_absent(have) {
                    graded.soft(
                        format!("{text} (empty echoed as absent or back: a SHOULD)"),
                        Cause::new(format!("`{k}` empty echoed as absent, or back"), None),
                    );
                } else {
                    graded.hard(
                        text,
                        Cause::new(
                            format!("`{k}` not echoed as the request gives it"),
                            Some(&path),
                        ),
                    );
                }
            }
        }
    }
    if let Some((seen, false)) = &got.token_header {
        graded.soft(
            format!(
                "token header: {seen}, neither form IVS uses (alg KMS, or ES384 with a \
                 public-key ARN as kid): a SHOULD, since the docs call tokens opaque"
            ),
            Cause::new("the token's JOSE header is neither form IVS uses", None),
        );
    }
    let problem_cause = |first: &str| {
        got.problem_cause
            .clone()
            .unwrap_or_else(|| Cause::new(first, None))
    };
    if let Some(want) = expect.conforms {
        if Some(want) != got.conforms {
            let why = if got.problems.is_empty() {
                String::new()
            } else {
                format!(" ({})", got.problems.join("; "))
            };
            let text = format!(
                "conforms: expected {want}, got {}{why}",
                got.conforms.map_or("nothing".to_owned(), |c| c.to_string())
            );
            let cause = match got.problems.first() {
                Some(first) => problem_cause(first),
                None => Cause::new(format!("conforms: expected {want}"), None),
            };
            graded.hard(text, cause);
        }
    } else if is_request && !got.problems.is_empty() {
        let cause = problem_cause(&got.problems[0]);
        for p in &got.problems {
            graded.hard(p.clone(), cause.clone());
        }
    }
    if let Some(want) = &expect.message {
        if Some(want) != got.message.as_ref() {
            graded.hard(
                format!("message: expected {want:?}, got {:?}", got.message),
                Cause::new("the message differs from the one expected", None),
            );
        }
    }
    graded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::ExpectedViolation;
    use crate::target::ObservedViolation;

    fn expect(violations: &[(&str, &str)]) -> Expect {
        Expect {
            status: Some(400),
            violations: Some(
                violations
                    .iter()
                    .map(|(p, c)| ExpectedViolation::Detailed {
                        path: (*p).to_owned(),
                        constraint: (*c).to_owned(),
                    })
                    .collect(),
            ),
            ..Expect::default()
        }
    }

    fn observed(violations: &[(&str, &str)]) -> Observed {
        Observed {
            status: 400,
            violations: Some(
                violations
                    .iter()
                    .map(|(p, c)| ObservedViolation {
                        path: (*p).to_owned(),
                        constraint: Some((*c).to_owned()),
                    })
                    .collect(),
            ),
            ..Observed::default()
        }
    }

    #[test]
    fn the_collection_form_meets_item_expectations() {
        let want = expect(&[
            ("/capabilities", "length"),
            ("/capabilities/0", "enum"),
            ("/capabilities/2", "enum"),
        ]);
        let got = observed(&[("/capabilities", "length"), ("/capabilities", "enum")]);
        assert_eq!(compare_graded(&want, &got, true), Graded::default());
        // Per item, exactly: fine too.
        let got = observed(&[
            ("/capabilities", "length"),
            ("/capabilities/0", "enum"),
            ("/capabilities/2", "enum"),
        ]);
        assert_eq!(compare_graded(&want, &got, true), Graded::default());
    }

    #[test]
    fn an_empty_echo_left_out_is_a_should() {
        let want = Expect {
            status: Some(200),
            effective: Some(BTreeMap::from([(
                "attributes".to_owned(),
                serde_json::json!({}),
            )])),
            ..Expect::default()
        };
        let mut got = Observed {
            status: 200,
            echo: Some(BTreeMap::new()),
            ..Observed::default()
        };
        let graded = compare_graded(&want, &got, true);
        assert!(
            graded.hard.is_empty() && graded.exactness.len() == 1,
            "{graded:?}"
        );
        got.echo = Some(BTreeMap::from([(
            "attributes".to_owned(),
            serde_json::json!({"a": "b"}),
        )]));
        assert_eq!(compare_graded(&want, &got, true).hard.len(), 1);
    }

    #[test]
    fn wrong_items_are_a_should_and_missing_constraints_a_must() {
        let want = expect(&[("/capabilities/1", "enum")]);
        let graded = compare_graded(&want, &observed(&[("/capabilities/0", "enum")]), true);
        assert!(
            graded.hard.is_empty() && graded.exactness.len() == 1,
            "{graded:?}"
        );
        let want = expect(&[("/capabilities", "length"), ("/capabilities/2", "enum")]);
        let graded = compare_graded(&want, &observed(&[("/capabilities", "enum")]), true);
        assert_eq!(graded.hard.len(), 1, "{graded:?}");
        let graded = compare_graded(&want, &observed(&[("/userId", "length")]), true);
        assert_eq!(graded.hard.len(), 1, "{graded:?}");
    }
}
