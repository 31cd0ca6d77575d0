//! Hints that help fix a mistake, attached to advisories and violations without changing
//! any verdict: the known member an unknown name was probably meant to be, and the part
//! of a stage ARN that breaks the pattern.

use std::borrow::Cow;

use crate::constraints::MemberConstraints;
use crate::messages as msg;
use crate::pattern::{
    is_account, is_region, is_resource_id, ARN_PREFIX, PUBLIC_KEY_RESOURCE, STAGE_RESOURCE,
};

/// The longest name, once folded, that a suggestion is looked for: far beyond any
/// member's (the longest is 14 characters), so nothing near one is missed, and short
/// enough to fold on the stack.
const MAX_FOLDED: usize = 64;

/// A name folded for comparison, lower case and without `_` and `-`, into `buf`; its
/// length, or `None` when it is longer than [`MAX_FOLDED`]. No allocation: this runs for
/// every unknown member of every body.
fn fold_into(name: &str, buf: &mut [char; MAX_FOLDED]) -> Option<usize> {
    let mut n = 0;
    for c in name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
    {
        *buf.get_mut(n)? = c;
        n += 1;
    }
    Some(n)
}

/// The edit distance of two short strings (at most [`MAX_FOLDED`] characters each),
/// counting at most up to `limit + 1`.
fn distance(a: &[char], b: &[char], limit: usize) -> usize {
    if a.len().abs_diff(b.len()) > limit || a.len() > MAX_FOLDED || b.len() > MAX_FOLDED {
        return limit + 1;
    }
    let mut row = [0usize; MAX_FOLDED + 1];
    for (j, cell) in row.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// The known member an unknown `name` most likely meant: the same name but for case,
/// `_` or `-` (`StageArn`, `user_id`, `userID`), or one a few edits away
/// (`capability`, `durration`).
pub(crate) fn suggest_member(
    name: &str,
    table: &'static [MemberConstraints],
) -> Option<&'static str> {
    // A name this long cannot fold to 64 characters or fewer without being absurd.
    if name.len() > 16 * MAX_FOLDED {
        return None;
    }
    let mut buf = ['\0'; MAX_FOLDED];
    let n = fold_into(name, &mut buf)?;
    let f = &buf[..n];
    if f.is_empty() {
        return None;
    }
    let folded_member = |m: &MemberConstraints| {
        let mut b = ['\0'; MAX_FOLDED];
        let k = fold_into(m.member, &mut b).unwrap_or(0);
        (b, k)
    };
    // A member's folded form is no longer than its name: one more than three edits
    // shorter than `f` can match neither way, and is not folded at all.
    let near = |m: &&MemberConstraints| m.member.len() + 3 >= f.len();
    if let Some(m) = table.iter().filter(near).find(|m| {
        let (b, k) = folded_member(m);
        &b[..k] == f
    }) {
        return Some(m.member);
    }
    table
        .iter()
        .filter(near)
        .filter_map(|m| {
            let (b, k) = folded_member(m);
            let known = &b[..k];
            // A quarter of the longer name, one edit at least, three at most.
            let limit = (f.len().max(known.len()) / 4).clamp(1, 3);
            let d = distance(f, known, limit);
            (d <= limit).then_some((d, m.member))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, member)| member)
}

/// Which part of `s` keeps it from matching the stage ARN pattern, in words; `None` when
/// no single part can be named.
pub(crate) fn stage_arn_hint(s: &str) -> Option<&'static str> {
    if s.trim() != s {
        return Some(msg::HINT_ARN_SPACE);
    }
    if s.contains(PUBLIC_KEY_RESOURCE) {
        return Some(msg::HINT_ARN_PUBLIC_KEY);
    }
    if s.contains(":channel/") {
        return Some(msg::HINT_ARN_CHANNEL);
    }
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.len() < 6 {
        return Some(msg::HINT_ARN_PARTS);
    }
    let prefix: Vec<&str> = ARN_PREFIX.split(':').collect();
    if parts[0] != prefix[0] {
        return Some(msg::HINT_ARN_PREFIX);
    }
    if parts[1] != prefix[1] {
        return Some(msg::HINT_ARN_PARTITION);
    }
    if parts[2] != prefix[2] {
        return Some(msg::HINT_ARN_SERVICE);
    }
    // Each part by the pattern's own character classes (`pattern`), named in words.
    if !is_region(parts[3]) {
        return Some(msg::HINT_ARN_REGION);
    }
    if !is_account(parts[4]) {
        return Some(msg::HINT_ARN_ACCOUNT);
    }
    let resource = format!(":{}", parts[5]);
    let Some(id) = resource.strip_prefix(STAGE_RESOURCE) else {
        return Some(msg::HINT_ARN_RESOURCE);
    };
    if !is_resource_id(id) {
        return Some(msg::HINT_ARN_STAGE_ID);
    }
    None
}

/// For a value that is one of `values` but for its case (`publish`), what to write
/// instead: enum values are compared exactly, as the service does.
pub(crate) fn enum_case_hint(value: &str, values: &[&str]) -> Option<Cow<'static, str>> {
    let meant = values.iter().find(|v| v.eq_ignore_ascii_case(value))?;
    Some(Cow::Owned(msg::fill(
        msg::HINT_ENUM_CASE,
        &[("meant", meant)],
    )))
}

#[cfg(test)]
mod tests {
    /// Issue 25, item 7: a capability in the wrong case says which value was meant; a
    /// value that is no capability in any case gets no hint.
    #[test]
    fn enum_values_in_the_wrong_case_are_named() {
        let body = br#"{"stageArn":"arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234","capabilities":["publish","Subscribe","ADMIN"]}"#;
        let report = crate::check_request(body).unwrap().report;
        let hints: Vec<Option<&str>> = report
            .violations
            .iter()
            .filter(|v| v.constraint.kind() == "enum")
            .map(|v| v.hint.as_deref())
            .collect();
        assert_eq!(
            hints,
            [
                Some("enum values are case-sensitive: did you mean PUBLISH?"),
                Some("enum values are case-sensitive: did you mean SUBSCRIBE?"),
                None
            ]
        );
    }

    use super::*;
    use crate::constraints::REQUEST;

    #[test]
    fn members() {
        for (typed, meant) in [
            ("StageArn", "stageArn"),
            ("user_id", "userId"),
            ("userID", "userId"),
            ("capability", "capabilities"),
            ("durration", "duration"),
            ("Attributes", "attributes"),
        ] {
            assert_eq!(suggest_member(typed, &REQUEST), Some(meant), "{typed}");
        }
        for far in ["x", "extra", "requestId", ""] {
            assert_eq!(suggest_member(far, &REQUEST), None, "{far}");
        }
    }

    #[test]
    fn stage_arn_parts() {
        let cases = [
            (
                "arn:aws:ivs:us-west-2:123456789012:stage/abc\n",
                "white space",
            ),
            (
                "arn:aws-cn:ivs:cn-north-1:123456789012:stage/abc",
                "partition",
            ),
            (
                "arn:aws:ivsrealtime:us-west-2:123456789012:stage/abc",
                "service",
            ),
            ("arn:aws:ivs:US-WEST-2:123456789012:stage/abc", "region"),
            ("arn:aws:ivs:us-west-2:12345678901a:stage/abc", "account"),
            (
                "arn:aws:ivs:us-west-2:123456789012:channel/abc",
                "channel ARN",
            ),
            (
                "arn:aws:ivs:us-west-2:123456789012:public-key/abc",
                "public-key ARN",
            ),
            ("arn:aws:ivs:us-west-2:123456789012:stages/abc", "resource"),
            ("arn:aws:ivs:us-west-2:123456789012:stage/ab_c", "stage id"),
            ("stage/abc", "six parts"),
        ];
        for (arn, part) in cases {
            let hint = stage_arn_hint(arn).unwrap_or_default();
            assert!(hint.contains(part), "{arn:?}: {hint}");
        }
        assert_eq!(
            stage_arn_hint("arn:aws:ivs:us-west-2:123456789012:stage/abc"),
            None
        );
    }
}
