//! A violation of the constraint table: which member, which constraint, the value as a
//! message echoes it, and its renderings (the live-AWS rule and entry, the Smithy
//! sentence, the JSON of `validate`), built from the message templates.

use std::borrow::Cow;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::constraints::{Bounds, MemberConstraints, Source};
use crate::messages as msg;
/// The kind of constraint a value failed, with its bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    /// The member must be present.
    Required,
    /// Length in Unicode scalar values (strings) or items (lists).
    Length(Bounds),
    /// Integer range.
    Range(Bounds),
    /// The model's ECMA-262 pattern.
    Pattern(&'static str),
    /// One of the enum values.
    Enum(&'static [&'static str]),
    /// UTF-8 bytes of all keys and values added up.
    MaxBytes(usize),
    /// A rule between members, in words (`equal to the stage id of resource`).
    Relation(&'static str),
}

impl Constraint {
    /// The name used in reports and cases: `required`, `length`, `range`, `pattern`,
    /// `enum`, `maxBytes` (the Smithy trait names, and the table's export keys).
    pub fn kind(&self) -> &'static str {
        match self {
            Constraint::Required => "required",
            Constraint::Length(_) => "length",
            Constraint::Range(_) => "range",
            Constraint::Pattern(_) => "pattern",
            Constraint::Enum(_) => "enum",
            Constraint::MaxBytes(_) => "maxBytes",
            Constraint::Relation(_) => "relation",
        }
    }
}

/// One failed constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer of the failing value (`/capabilities/1`).
    pub path: String,
    /// The member's entry in the constraint table.
    pub member: &'static MemberConstraints,
    /// What failed.
    pub constraint: Constraint,
    /// Where the constraint comes from.
    pub source: Source,
    /// The measured length (scalar values, items or bytes, as the constraint counts).
    pub length: Option<usize>,
    /// The value, where it may be echoed (never for a `@sensitive` member), cut at
    /// [`MAX_ECHOED_CHARS`] when it is built (`length` has the whole length).
    pub value: Option<String>,
    /// For a list item's violation, the list as the live message echoes it
    /// (`[PUBLISH, ADMIN]`, cut at [`MAX_ECHOED_CHARS`]); `None` for a member's own
    /// violation.
    pub list_value: Option<String>,
    /// What to fix, where it can be told: which part of a stage ARN breaks its pattern,
    /// or the enum value a value differs from only in case.
    pub hint: Option<Cow<'static, str>>,
}

/// The most Unicode scalar values of one value a live-AWS message echoes; a longer value
/// is cut there and marked with `…`. AWS's own behaviour for huge values is unknown: this
/// is our reading, chosen so that a message stays small (a 1 MiB userId is not echoed
/// whole) while every value of a legal length (128 at most in this model) and the first
/// 128 characters beyond it are shown.
pub const MAX_ECHOED_CHARS: usize = 256;

/// `value` as a live message echoes it: whole, or cut at [`MAX_ECHOED_CHARS`].
pub(crate) fn echoed(value: &str) -> std::borrow::Cow<'_, str> {
    // No more bytes than the limit: no more scalar values either, nothing to count.
    if value.len() <= MAX_ECHOED_CHARS {
        return value.into();
    }
    match value.char_indices().nth(MAX_ECHOED_CHARS) {
        None => value.into(),
        Some((cut, _)) => format!("{}{}", &value[..cut], msg::CUT).into(),
    }
}

/// The most item violations a report lists for one list, and the most advisories it
/// lists. The rest are counted ([`Report::omitted_violations`](crate::Report::omitted_violations),
/// [`Report::omitted_advisories`](crate::Report::omitted_advisories)), so that the report of a body with 200,000 unknown
/// capabilities is as small as one with 101: what judging a body costs grows with the
/// body, never faster. The live-AWS message is unaffected, since it reports a list's
/// item violations once, at the list, with the list's echo cut at [`MAX_ECHOED_CHARS`].
pub const MAX_LISTED: usize = 100;

/// A list as a live message echoes it (`[PUBLISH, ADMIN]`), built from its first items
/// only: the same text as joining every item and cutting the result with [`echoed`],
/// without ever holding more than [`MAX_ECHOED_CHARS`] characters of it.
pub(crate) fn list_echo<'x>(items: impl Iterator<Item = &'x str>) -> String {
    let mut out = String::new();
    let mut chars = 0usize;
    // Appends the characters of `piece` until one beyond the limit has been seen.
    let mut add = |out: &mut String, piece: &str| -> bool {
        for c in piece.chars() {
            if chars == MAX_ECHOED_CHARS {
                out.push_str(msg::CUT);
                return false;
            }
            out.push(c);
            chars += 1;
        }
        true
    };
    let (open, close) = msg::LIST_ECHO
        .split_once("{items}")
        .unwrap_or((msg::LIST_ECHO, ""));
    if !add(&mut out, open) {
        return out;
    }
    for (i, item) in items.enumerate() {
        if (i > 0 && !add(&mut out, msg::SEPARATOR)) || !add(&mut out, item) {
            return out;
        }
    }
    add(&mut out, close);
    out
}

/// The constraint kind a message's rule names (`length`, `pattern`, …), in the Smithy or
/// the live-AWS wording; `None` when the wording does not tell. The rules are read back by
/// the literal words of their templates (the `messages` module).
pub fn constraint_of_rule(rule: &str) -> Option<&'static str> {
    let range_words = msg::head(msg::RULE_RANGE);
    let kinds: [(&str, &str); 7] = [
        (msg::RULE_REQUIRED, "required"),
        (msg::head(msg::RULE_PATTERN), "pattern"),
        (msg::head(msg::RULE_ENUM), "enum"),
        (msg::tail(msg::RULE_MAX_BYTES), "maxBytes"),
        (msg::head(msg::RULE_LENGTH), "length"),
        (msg::head(msg::RULE_VALUE), "range"),
        (range_words, "range"),
    ];
    let between = msg::head(msg::BOUNDS_BOTH);
    kinds
        .iter()
        .find(|(w, kind)| {
            // "Member must be" alone also opens a relation: a range says "between".
            rule.contains(w) && (*kind != "range" || *w != range_words || rule.contains(between))
        })
        .map(|(_, kind)| *kind)
}

/// `between 1 and 20160, inclusive`, or the one side a bound has.
fn bounds_text(b: &Bounds) -> String {
    match (b.min, b.max) {
        (Some(min), Some(max)) => msg::fill(
            msg::BOUNDS_BOTH,
            &[("min", &min.to_string()), ("max", &max.to_string())],
        ),
        (Some(min), None) => min_text(min),
        (None, Some(max)) => max_text(max),
        (None, None) => msg::BOUNDS_NONE.to_owned(),
    }
}

fn min_text(min: i64) -> String {
    msg::fill(msg::BOUNDS_MIN, &[("min", &min.to_string())])
}

fn max_text(max: i64) -> String {
    msg::fill(msg::BOUNDS_MAX, &[("max", &max.to_string())])
}

fn enum_rule(values: &[&str]) -> String {
    msg::fill(msg::RULE_ENUM, &[("values", &values.join(msg::SEPARATOR))])
}

/// One violation's sentence from its parts.
fn sentence(subject: &str, path: &str, rule: &str) -> String {
    msg::fill(
        msg::VIOLATION,
        &[("subject", subject), ("path", path), ("rule", rule)],
    )
}

impl Violation {
    /// The Smithy server message, such as
    /// `Value at '/duration' failed to satisfy constraint: Member must be between 1 and 20160, inclusive`.
    pub fn message(&self) -> String {
        let length = self.length.unwrap_or_default().to_string();
        let subject = match &self.constraint {
            Constraint::Length(_) => msg::fill(msg::SUBJECT_LENGTH, &[("length", &length)]),
            Constraint::MaxBytes(_) => msg::fill(msg::SUBJECT_SIZE, &[("length", &length)]),
            _ => msg::SUBJECT_PLAIN.to_owned(),
        };
        let rule = match &self.constraint {
            Constraint::Length(b) => msg::fill(msg::RULE_LENGTH, &[("bounds", &bounds_text(b))]),
            Constraint::Range(b) => msg::fill(msg::RULE_RANGE, &[("bounds", &bounds_text(b))]),
            // The other rules read the same in both forms.
            _ => self.aws_rule(),
        };
        sentence(&subject, &self.path, &rule)
    }

    /// The path as live AWS services write it: dotted, list items as `name.N.member`
    /// counted from 1 (`capabilities.2.member` for `/capabilities/1`).
    pub fn aws_path(&self) -> String {
        crate::pointer::to_aws_path(&self.path)
    }

    /// The rule a live-AWS message states for this violation, such as
    /// `Member must have value greater than or equal to 1`: one-sided bounds name the
    /// side that failed, as AWS services write them.
    pub fn aws_rule(&self) -> String {
        match &self.constraint {
            Constraint::Required => msg::RULE_REQUIRED.to_owned(),
            Constraint::Length(b) => {
                let n = self.length.unwrap_or_default() as i64;
                let side = match (b.min, b.max) {
                    (Some(min), _) if n < min => min_text(min),
                    (_, Some(max)) => max_text(max),
                    _ => bounds_text(b),
                };
                msg::fill(msg::RULE_LENGTH, &[("bounds", &side)])
            }
            Constraint::Range(b) => {
                let n = self.value.as_deref().and_then(|v| v.parse::<i64>().ok());
                let side = match (b.min, b.max, n) {
                    (Some(min), _, Some(n)) if n < min => min_text(min),
                    (_, Some(max), _) => max_text(max),
                    _ => bounds_text(b),
                };
                msg::fill(msg::RULE_VALUE, &[("bounds", &side)])
            }
            Constraint::Pattern(text) => msg::fill(msg::RULE_PATTERN, &[("pattern", text)]),
            Constraint::Enum(values) => enum_rule(values),
            Constraint::MaxBytes(max) => {
                msg::fill(msg::RULE_MAX_BYTES, &[("max", &max.to_string())])
            }
            Constraint::Relation(rule) => msg::fill(msg::RULE_RELATION, &[("rule", rule)]),
        }
    }

    /// The pointer of the list whose item this violation is about, if it is an item's.
    pub(crate) fn list_pointer(&self) -> Option<&str> {
        self.list_value.as_ref()?;
        self.path.rsplit_once('/').map(|(list, _)| list)
    }

    /// This violation as one entry of a live-AWS ValidationException message, such as
    /// `Value '0' at 'duration' failed to satisfy constraint: Member must have value
    /// greater than or equal to 1`. A list item's violation is reported at its list, the
    /// whole list echoed (`Value '[PUBLISH, ADMIN]' at 'capabilities' failed to satisfy
    /// constraint: Member must satisfy constraint: [Member must satisfy enum value set:
    /// [PUBLISH, SUBSCRIBE]]`); a `@sensitive` value is never echoed (`Value at …`);
    /// a missing member reads `Value null at …`. See [`Report::aws_message`](crate::Report::aws_message).
    pub fn aws_message(&self) -> String {
        match self.list_pointer() {
            Some(list) => collection_entry(
                list,
                self.list_value.as_deref().unwrap_or_default(),
                &[self.aws_rule()],
            ),
            None => {
                let subject = match (&self.constraint, &self.value) {
                    (Constraint::Required, _) => msg::SUBJECT_NULL.to_owned(),
                    (_, Some(v)) => msg::fill(msg::SUBJECT_ECHO, &[("value", &echoed(v))]),
                    (_, None) => msg::SUBJECT_PLAIN.to_owned(),
                };
                sentence(&subject, &self.aws_path(), &self.aws_rule())
            }
        }
    }
}

/// The live-AWS entry for the item constraints of one list: reported once, at the list.
pub(crate) fn collection_entry(list_pointer: &str, list_value: &str, rules: &[String]) -> String {
    let subject = msg::fill(msg::SUBJECT_ECHO, &[("value", &echoed(list_value))]);
    let rule = msg::fill(msg::RULE_ITEMS, &[("rules", &rules.join(msg::SEPARATOR))]);
    sentence(&subject, &crate::pointer::to_aws_path(list_pointer), &rule)
}

impl Serialize for Violation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("path", &self.path)?;
        m.serialize_entry("constraint", self.constraint.kind())?;
        m.serialize_entry("message", &self.message())?;
        m.serialize_entry("source", self.source.as_str())?;
        match &self.constraint {
            Constraint::Length(b) | Constraint::Range(b) => {
                m.serialize_entry("min", &b.min)?;
                m.serialize_entry("max", &b.max)?;
            }
            Constraint::Pattern(p) => m.serialize_entry("pattern", p)?,
            Constraint::Enum(v) => m.serialize_entry("enum", v)?,
            Constraint::MaxBytes(max) => m.serialize_entry("max", max)?,
            Constraint::Relation(rule) => m.serialize_entry("rule", rule)?,
            Constraint::Required => {}
        }
        if let Some(n) = self.length {
            m.serialize_entry("length", &n)?;
        }
        if let Some(v) = &self.value {
            m.serialize_entry("value", v)?;
        }
        if let Some(h) = &self.hint {
            m.serialize_entry("hint", h)?;
        }
        m.end()
    }
}
