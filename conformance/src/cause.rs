//! Causes: what a failing case failed of first, in words shared by every case that fails
//! for the same mistake (a member and a check, or a status answered for another), so that
//! a run can list its mistakes, largest first, instead of its cases.
//!
//! A cause names no value of the case (neither what it sent nor what came back): 76 cases
//! that each get a differently dated `expirationTime` without a zone are one cause. Where
//! the cause is a member's, the hint says what the constraint table asks of it, with an
//! example value.

use ivs_participant_token::constraints::{
    DefaultValue, MemberConstraints, WireType, EXAMPLE_STAGE_ARN, PARTICIPANT_TOKEN,
    PARTICIPANT_TOKEN_MEMBER, REQUEST,
};
use serde::{Deserialize, Serialize};

/// The longest cause kept, in characters (an expectations file records it).
pub const MAX_CAUSE_CHARS: usize = 120;

/// What a case failed of first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cause {
    /// The words cases are grouped by, at most [`MAX_CAUSE_CHARS`] characters
    /// (`` `/duration` range: expected 400 ValidationException, got 200 ``).
    pub key: String,
    /// What the constraint table asks of the member the cause is about, with an example
    /// (`an integer from 1 to 20160, e.g. 720`); none when the cause is not a member's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Cause {
    /// A cause in `key`'s words (cut at [`MAX_CAUSE_CHARS`]), hinted from the table row of
    /// the member at `path` when there is one.
    pub fn new(key: impl AsRef<str>, path: Option<&str>) -> Cause {
        let key = key.as_ref();
        let key = if key.chars().count() > MAX_CAUSE_CHARS {
            let mut kept: String = key.chars().take(MAX_CAUSE_CHARS - 1).collect();
            kept.push('…');
            kept
        } else {
            key.to_owned()
        };
        Cause {
            key,
            hint: path.and_then(hint),
        }
    }
}

/// The pointer of the member of the table that `path` is in (`/capabilities/3` →
/// `/capabilities`, `/attributes/any key` → `/attributes`,
/// `/participantToken/capabilities/0` → `/participantToken/capabilities`); a path in no
/// member, as it is. A cause names the member, never an item or a key: those differ
/// from case to case.
pub fn member_path(path: &str) -> &str {
    let Some(rest) = path.strip_prefix('/') else {
        return path;
    };
    let mut cut = 1 + rest.find('/').unwrap_or(rest.len());
    if path[1..cut] == *PARTICIPANT_TOKEN_MEMBER.member && cut < path.len() {
        cut += 1 + path[cut + 1..].find('/').unwrap_or(path.len() - cut - 1);
    }
    if row_of(&path[..cut]).is_some() {
        &path[..cut]
    } else {
        path
    }
}

/// A pointer with a list index at its end shortened to its list (`/capabilities/1` →
/// `/capabilities`).
pub fn collapsed(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some((list, last)) if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) => list,
        _ => path,
    }
}

/// The table row of the member a pointer names: `/userId`, `/capabilities/1`,
/// `/participantToken/expirationTime`, `/attributes/k`.
pub fn row_of(path: &str) -> Option<&'static MemberConstraints> {
    let mut segments = path.strip_prefix('/')?.split('/');
    let first = segments.next()?;
    if first == PARTICIPANT_TOKEN_MEMBER.member {
        let second = segments.next()?;
        return PARTICIPANT_TOKEN.iter().find(|m| m.member == second);
    }
    REQUEST.iter().find(|m| m.member == first)
}

/// What the table asks of the member at `path`, with an example value.
pub fn hint(path: &str) -> Option<String> {
    let row = row_of(path)?;
    let mut asks: Vec<String> = Vec::new();
    if let Some(r) = row.range {
        asks.push(bounds("an integer", r.value.min, r.value.max, ""));
    }
    if let Some(l) = row.length {
        let unit = match row.wire_type {
            WireType::StringList => " items",
            _ => " characters",
        };
        asks.push(bounds("a length", l.value.min, l.value.max, unit));
    }
    if let Some(p) = row.pattern {
        asks.push(format!("matching {}", p.value.text));
    }
    if let Some(e) = row.enum_values {
        asks.push(format!("each one of {}", e.value.join(", ")));
    }
    if let Some(b) = row.max_bytes {
        asks.push(format!("at most {} bytes of keys and values", b.value));
    }
    if row.wire_type == WireType::Timestamp {
        asks.push("an RFC 3339 date-time with its offset".to_owned());
    }
    if asks.is_empty() && row.required.is_some() {
        asks.push("present".to_owned());
    }
    let example = match row.wire_type {
        WireType::Timestamp => Some("\"2026-12-03T18:00:00Z\"".to_owned()),
        _ if row.pattern.is_some() && row.member == "stageArn" => {
            Some(format!("\"{EXAMPLE_STAGE_ARN}\""))
        }
        _ => row.default.map(|d| match d.value {
            DefaultValue::Integer(n) => n.to_string(),
            DefaultValue::StringList(items) => format!("[\"{}\"]", items.join("\", \"")),
            DefaultValue::Boolean(b) => b.to_string(),
        }),
    };
    let mut text = format!("`{}`: {}", row.member, asks.join("; "));
    if let Some(e) = example {
        text.push_str(&format!(", e.g. {e}"));
    }
    Some(text)
}

fn bounds(what: &str, min: Option<i64>, max: Option<i64>, unit: &str) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{what} from {a} to {b}{unit}"),
        (Some(a), None) => format!("{what} of at least {a}{unit}"),
        (None, Some(b)) => format!("{what} of at most {b}{unit}"),
        (None, None) => what.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_names_the_member_never_an_item_or_a_key() {
        assert_eq!(member_path("/capabilities/3"), "/capabilities");
        assert_eq!(member_path("/attributes/any key/x"), "/attributes");
        assert_eq!(member_path("/duration"), "/duration");
        assert_eq!(
            member_path("/participantToken/capabilities/0"),
            "/participantToken/capabilities"
        );
        assert_eq!(member_path("/participantToken"), "/participantToken");
        assert_eq!(member_path("/unknown/1"), "/unknown/1");
        assert_eq!(member_path(""), "");
    }

    #[test]
    fn a_cause_is_at_most_its_bound() {
        let long = "é".repeat(500);
        let c = Cause::new(&long, None);
        assert_eq!(c.key.chars().count(), MAX_CAUSE_CHARS);
        assert!(c.key.ends_with('…'));
        assert_eq!(Cause::new("short", None).key, "short");
    }
}
