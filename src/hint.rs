//! Hints that help fix a mistake, attached to advisories and violations without changing
//! any verdict: the known member an unknown name was probably meant to be, and the part
//! of a stage ARN that breaks the pattern.

use std::borrow::Cow;

use crate::constraints::MemberConstraints;
use crate::messages as msg;
use crate::pattern::{
    is_account, is_region, is_resource_id, ARN_PREFIX, CHANNEL_RESOURCE, PUBLIC_KEY_RESOURCE,
    STAGE_RESOURCE,
};

/// The most edits between a name and the member it is suggested for.
const MAX_EDITS: usize = 3;

/// The longest name, once folded, that a suggestion is looked for: the longest member's
/// (14 characters) plus [`MAX_EDITS`], and a little more; a longer name is more than
/// [`MAX_EDITS`] from every member, so nothing near one is missed (a test holds every
/// member to it), and the buffers stay small enough to fold on the stack.
const MAX_FOLDED: usize = 20;

/// The longest name, in bytes, that is folded at all.
const MAX_NAME_BYTES: usize = 1024;

/// A name folded for comparison, lower case and without `_` and `-`, into `buf`; its
/// length, or `None` when it is longer than [`MAX_FOLDED`]. No allocation: this runs for
/// every unknown member of every body.
fn fold_into(name: &str, buf: &mut [char; MAX_FOLDED]) -> Option<usize> {
    let mut n = 0;
    if name.is_ascii() {
        // Every member name, and most names sent: no Unicode case tables needed.
        for b in name.bytes().filter(|b| *b != b'_' && *b != b'-') {
            *buf.get_mut(n)? = char::from(b.to_ascii_lowercase());
            n += 1;
        }
        return Some(n);
    }
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

/// The edit distance of two short strings (at most [`MAX_FOLDED`] characters each), or
/// `limit + 1` when it is more than `limit`. Only the cells within `limit` of the
/// diagonal are computed (a path outside that band costs more than `limit`), and the
/// work stops once a whole row is past `limit`: this runs for every unknown member.
fn distance(a: &[char], b: &[char], limit: usize) -> usize {
    let (n, m) = (a.len(), b.len());
    let over = limit + 1;
    if n.abs_diff(m) > limit || n > MAX_FOLDED || m > MAX_FOLDED {
        return over;
    }
    // row[j]: the distance of a[..i] and b[..j] within the band, `over` outside it.
    let mut row = [over; MAX_FOLDED + 1];
    for (j, cell) in row.iter_mut().enumerate().take(m.min(limit) + 1) {
        *cell = j;
    }
    for (i, ca) in (1..=n).zip(a) {
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(m);
        let mut diagonal = row[lo - 1];
        // The cell left of the band: the empty prefix of `b` while it is within reach.
        let mut left = if lo == 1 && i <= limit { i } else { over };
        row[lo - 1] = left;
        let mut least = left;
        // Iterated, not indexed: no bounds check in the inner loop.
        for (cell, cb) in row[lo..=hi].iter_mut().zip(&b[lo - 1..hi]) {
            let above = *cell;
            let here = (diagonal + usize::from(ca != cb))
                .min(left + 1)
                .min(above + 1)
                .min(over);
            diagonal = above;
            *cell = here;
            left = here;
            least = least.min(here);
        }
        if least > limit {
            return over;
        }
    }
    row[m]
}

/// The known member an unknown `name` most likely meant: the same name but for case,
/// `_` or `-` (`StageArn`, `user_id`, `userID`), or one a few edits away
/// (`capability`, `durration`).
pub(crate) fn suggest_member(
    name: &str,
    table: &'static [MemberConstraints],
) -> Option<&'static str> {
    // A name this long is absurd: given up before folding (`_` and `-` fold to nothing,
    // so its length alone does not say how long its folded form is).
    if name.len() > MAX_NAME_BYTES {
        return None;
    }
    let mut buf = ['\0'; MAX_FOLDED];
    let n = fold_into(name, &mut buf)?;
    let f = &buf[..n];
    if f.is_empty() {
        return None;
    }
    // One pass, each member folded once: the same name but for case, `_` or `-` wins at
    // once; else the nearest within a quarter of the longer name (one edit at least,
    // [`MAX_EDITS`] at most), the first of equals.
    let mut best: Option<(usize, &'static str)> = None;
    let mut b = ['\0'; MAX_FOLDED];
    for m in table {
        // A member's folded form is no longer than its name: one more than MAX_EDITS
        // shorter than `f` can match neither way, and is not folded at all.
        if m.member.len() + MAX_EDITS < f.len() {
            continue;
        }
        let k = fold_into(m.member, &mut b).unwrap_or(0);
        let known = &b[..k];
        if known == f {
            return Some(m.member);
        }
        let limit = (f.len().max(known.len()) / 4).clamp(1, MAX_EDITS);
        let d = distance(f, known, limit);
        if d <= limit && best.is_none_or(|(best, _)| d < best) {
            best = Some((d, m.member));
        }
    }
    best.map(|(_, member)| member)
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
    if s.contains(CHANNEL_RESOURCE) {
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
    /// The banded distance agrees with the full dynamic programme, capped at the limit,
    /// on every pair of short strings over a small alphabet.
    #[test]
    fn the_banded_distance_is_the_edit_distance() {
        fn full(a: &[char], b: &[char]) -> usize {
            let mut row: Vec<usize> = (0..=b.len()).collect();
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
        let words: Vec<Vec<char>> = (0..3u32.pow(6))
            .flat_map(|n| {
                (0..=6).map(move |len| {
                    (0..len)
                        .map(|k| ['a', 'b', 'c'][(n / 3u32.pow(k)) as usize % 3])
                        .collect()
                })
            })
            .collect();
        for (x, a) in words.iter().enumerate().step_by(7) {
            for b in words.iter().skip(x % 5).step_by(11) {
                for limit in 1..=3 {
                    let want = full(a, b).min(limit + 1);
                    assert_eq!(super::distance(a, b, limit), want, "{a:?} {b:?} {limit}");
                }
            }
        }
    }

    /// Every member a name is compared with folds to at most `MAX_FOLDED - MAX_EDITS`
    /// characters, so that no name within `MAX_EDITS` of one is too long to fold.
    #[test]
    fn every_member_folds_well_within_the_buffer() {
        use crate::constraints::{PARTICIPANT_TOKEN, REQUEST, RESPONSE};
        for m in REQUEST.iter().chain(&RESPONSE).chain(&PARTICIPANT_TOKEN) {
            let mut buf = ['\0'; super::MAX_FOLDED];
            let n = super::fold_into(m.member, &mut buf).unwrap();
            assert!(n + super::MAX_EDITS <= super::MAX_FOLDED, "{}", m.member);
        }
    }

    /// A capability in the wrong case says which value was meant; a
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
