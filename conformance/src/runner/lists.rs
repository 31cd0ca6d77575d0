//! Comparing the violations a case expects with those an answer names: exactly, in the
//! live-AWS collection form, and at the level of lists.

use crate::case::ExpectedViolation;
use crate::cause::collapsed;
use crate::target::ObservedViolation;

pub(super) fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// The expected constraints not found among those reported at the same paths. A
/// reported violation whose constraint could not be told matches any.
pub(super) fn constraint_mismatches(
    want: &[ExpectedViolation],
    have: &[ObservedViolation],
) -> Vec<String> {
    let mut unmatched: Vec<&ObservedViolation> = have.iter().collect();
    let mut out = Vec::new();
    // Named constraints first, so that a wildcard is not spent on a path-only one.
    let mut want: Vec<&ExpectedViolation> = want.iter().collect();
    want.sort_by_key(|w| w.constraint().is_none());
    for w in want {
        let fits = |h: &&ObservedViolation| {
            h.path == w.path()
                && match (w.constraint(), h.constraint.as_deref()) {
                    (Some(c), Some(hc)) => c == hc,
                    _ => true,
                }
        };
        match unmatched.iter().position(fits) {
            Some(i) => {
                unmatched.remove(i);
            }
            None => out.push(format!(
                "violation at {}: expected {}, got {}",
                w.path(),
                w.constraint().unwrap_or("any"),
                have.iter()
                    .filter(|h| h.path == w.path())
                    .map(|h| h.constraint.as_deref().unwrap_or("unknown"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    out
}

/// The expected violations as a server in the live-AWS collection form reports them:
/// where the answer names a list and none of its items (`Value '[…]' at
/// 'capabilities'`), the expected item violations of that list become one entry at the
/// list for each distinct constraint. Elsewhere they stay as they are.
pub(super) fn in_collection_form(
    want: &[ExpectedViolation],
    have: &[ObservedViolation],
) -> Vec<ExpectedViolation> {
    let reported_as_list = |list: &str| {
        have.iter().any(|h| h.path == list)
            && !have
                .iter()
                .any(|h| collapsed(&h.path) == list && h.path != list)
    };
    let mut out: Vec<ExpectedViolation> = Vec::new();
    for w in want {
        let list = collapsed(w.path());
        if list == w.path() || !reported_as_list(list) {
            out.push(w.clone());
            continue;
        }
        let entry = match w.constraint() {
            Some(c) => ExpectedViolation::Detailed {
                path: list.to_owned(),
                constraint: c.to_owned(),
            },
            None => ExpectedViolation::Path(list.to_owned()),
        };
        // One entry a constraint, beside the list's own violations (its length, say).
        let merged = want
            .iter()
            .take_while(|earlier| !std::ptr::eq(*earlier, w))
            .any(|earlier| {
                collapsed(earlier.path()) == list
                    && earlier.path() != list
                    && earlier.constraint() == w.constraint()
            });
        if !merged {
            out.push(entry);
        }
    }
    out
}

/// Departures from the exact expectation: the multiset of paths, then the constraints.
pub(super) fn exact_mismatches(
    want: &[ExpectedViolation],
    have: &[ObservedViolation],
) -> Vec<String> {
    let want_paths: Vec<String> = want.iter().map(|v| v.path().to_owned()).collect();
    let have_paths: Vec<String> = have.iter().map(|v| v.path.clone()).collect();
    if sorted(&want_paths) != sorted(&have_paths) {
        vec![format!(
            "violations: expected {want_paths:?}, got {have_paths:?}"
        )]
    } else {
        constraint_mismatches(want, have)
    }
}

/// Whether the violations agree once item pointers are read as their lists and counts
/// are set aside: each expected (path, constraint) is reported, and each report expected.
pub(super) fn agree_at_list_level(want: &[ExpectedViolation], have: &[ObservedViolation]) -> bool {
    let fits = |c1: Option<&str>, c2: Option<&str>| match (c1, c2) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    want.iter().all(|w| {
        have.iter().any(|h| {
            collapsed(w.path()) == collapsed(&h.path)
                && fits(w.constraint(), h.constraint.as_deref())
        })
    }) && have.iter().all(|h| {
        want.iter().any(|w| {
            collapsed(w.path()) == collapsed(&h.path)
                && fits(w.constraint(), h.constraint.as_deref())
        })
    })
}
