//! Checks of CreateStage's kinds of member: nested structures, lists of them, lists of
//! enum strings, and maps whose entries, keys and values have their own bounds. Each
//! list lists at most [`MAX_LISTED`] item violations and counts the rest, so that a
//! report's size stays bounded by the table, not by the body.

use std::borrow::Cow;

use super::{check_members, check_required, path, push, scalar_length_outside, At};
use crate::constraints::MemberConstraints;
use crate::model::{Attributes, Shape};
use crate::report::Report;
use crate::violation::{list_echo, Constraint, MAX_LISTED};

/// A nested structure: its own members under the member's name.
#[inline(never)]
pub(super) fn check_object<T: Shape>(
    r: &mut Report,
    m: &'static MemberConstraints,
    at: At<'_>,
    v: Option<&T>,
) {
    match v {
        None => check_required(r, m, at, false),
        Some(v) => check_members(r, v, at.member(m.member)),
    }
}

/// A list of structures: its length, then each item's members under its index, the
/// item violations beyond [`MAX_LISTED`] counted only.
#[inline(never)]
pub(super) fn check_objects<T: Shape>(
    r: &mut Report,
    m: &'static MemberConstraints,
    at: At<'_>,
    v: Option<&[T]>,
) {
    let Some(list) = v else {
        check_required(r, m, at, false);
        return;
    };
    if let Some(len) = m.length {
        if !len.value.contains(list.len() as i64) {
            let c = Constraint::Length(len.value);
            push(r, m, path(at, m), c, len.source, Some(list.len()), None);
        }
    }
    let before = r.violations.len();
    let here = at.member(m.member);
    for (i, item) in list.iter().enumerate() {
        let item_at = here.index(i);
        if r.violations.len() - before < MAX_LISTED {
            check_members(r, item, item_at);
        } else {
            let mut beyond = Report::default();
            check_members(&mut beyond, item, item_at);
            r.omitted_violations += beyond.violations.len() + beyond.omitted_violations;
        }
    }
}

/// A list of enum strings: its length, each item in the enum, and, under
/// `@uniqueItems`, no value twice (compared among the enum's values only, so linear).
#[inline(never)]
pub(super) fn check_strings(
    r: &mut Report,
    m: &'static MemberConstraints,
    at: At<'_>,
    v: Option<&[String]>,
) {
    let Some(list) = v else {
        check_required(r, m, at, false);
        return;
    };
    let items = list.iter().map(String::as_str);
    let mut shown: Option<String> = None;
    if let Some(len) = m.length {
        if !len.value.contains(list.len() as i64) {
            let c = Constraint::Length(len.value);
            let echo = shown.get_or_insert_with(|| list_echo(items.clone()));
            push(
                r,
                m,
                path(at, m),
                c,
                len.source,
                Some(list.len()),
                Some(echo),
            );
        }
    }
    let Some(e) = m.enum_values else { return };
    // The first index of each enum value, for @uniqueItems; enums here have 2 or 3 values.
    let mut first: [Option<usize>; 8] = [None; 8];
    let mut repeated = false;
    let mut listed = 0usize;
    for (i, item) in list.iter().enumerate() {
        match e.value.iter().position(|v| v == item) {
            Some(slot) if slot < first.len() => {
                if first[slot].is_some() {
                    repeated = true;
                } else {
                    first[slot] = Some(i);
                }
            }
            Some(_) => {}
            None => {
                if listed == MAX_LISTED {
                    r.omitted_violations += 1;
                    continue;
                }
                listed += 1;
                let c = Constraint::Enum(e.value);
                push(
                    r,
                    m,
                    format!("{}/{i}", path(at, m)),
                    c,
                    e.source,
                    None,
                    Some(item),
                );
                let echo = shown.get_or_insert_with(|| list_echo(items.clone()));
                if let Some(v) = r.violations.last_mut() {
                    v.list_value = Some(echo.clone());
                    v.hint = crate::hint::enum_case_hint(item, e.value);
                }
            }
        }
    }
    if let (true, Some(source)) = (repeated, m.unique_items) {
        let c = Constraint::Relation(UNIQUE_ITEMS);
        let echo = shown.get_or_insert_with(|| list_echo(items.clone()));
        push(r, m, path(at, m), c, source, Some(list.len()), Some(echo));
    }
}

/// The rule of `@uniqueItems`, in the words of [`Constraint::Relation`].
pub(crate) const UNIQUE_ITEMS: &str = "made of unique items";

/// A map's own bounds: its number of entries, each key's length (reported at the map,
/// the key echoed) and each value's (reported at its key).
#[inline(never)]
pub(super) fn check_map_entries(
    r: &mut Report,
    m: &'static MemberConstraints,
    at: At<'_>,
    map: &Attributes,
) {
    if let Some(len) = m.length {
        if !len.value.contains(map.len() as i64) {
            let c = Constraint::Length(len.value);
            push(r, m, path(at, m), c, len.source, Some(map.len()), None);
        }
    }
    let mut listed = 0usize;
    for (k, v) in map {
        let key_fault = m
            .key_length
            .and_then(|b| scalar_length_outside(k, &b.value).map(|n| (b, n)));
        let value_fault = m
            .value_length
            .and_then(|b| scalar_length_outside(v, &b.value).map(|n| (b, n)));
        for (fault, at_key) in [(key_fault, false), (value_fault, true)] {
            let Some((b, n)) = fault else { continue };
            if listed == MAX_LISTED {
                r.omitted_violations += 1;
                continue;
            }
            listed += 1;
            let c = Constraint::Length(b.value);
            let (p, echo) = if at_key {
                (format!("{}/{}", path(at, m), escape_key(k)), v.as_str())
            } else {
                (path(at, m), k.as_str())
            };
            push(r, m, p, c, b.source, Some(n), Some(echo));
        }
    }
}

/// A map key as a JSON pointer segment (RFC 6901: `~` as `~0`, `/` as `~1`).
fn escape_key(k: &str) -> Cow<'_, str> {
    if k.contains(['~', '/']) {
        Cow::Owned(k.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(k)
    }
}
