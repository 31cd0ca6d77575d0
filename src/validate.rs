//! Validation: every violation of the constraint table at once, in member order.
//!
//! Validating a valid value allocates nothing: reports, paths and messages are built only
//! for what fails.

use std::borrow::Cow;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::constraints::{self, Bounds, MemberConstraints, Source};
use crate::error::{ErrorKind, ServiceError};
use crate::model::{
    Attributes, Capability, CreateParticipantTokenRequest, CreateParticipantTokenResponse,
    ParticipantToken, Token,
};
use crate::model::{FieldRef, Shape};

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
fn echoed(value: &str) -> std::borrow::Cow<'_, str> {
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
/// lists. The rest are counted ([`Report::omitted_violations`],
/// [`Report::omitted_advisories`]), so that the report of a body with 200,000 unknown
/// capabilities is as small as one with 101: what judging a body costs grows with the
/// body, never faster. The live-AWS message is unaffected, since it reports a list's
/// item violations once, at the list, with the list's echo cut at [`MAX_ECHOED_CHARS`].
pub const MAX_LISTED: usize = 100;

/// A list as a live message echoes it (`[PUBLISH, ADMIN]`), built from its first items
/// only: the same text as joining every item and cutting the result with [`echoed`],
/// without ever holding more than [`MAX_ECHOED_CHARS`] characters of it.
fn list_echo<'x>(items: impl Iterator<Item = &'x str>) -> String {
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

use crate::messages as msg;

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
    fn list_pointer(&self) -> Option<&str> {
        self.list_value.as_ref()?;
        self.path.rsplit_once('/').map(|(list, _)| list)
    }

    /// This violation as one entry of a live-AWS ValidationException message, such as
    /// `Value '0' at 'duration' failed to satisfy constraint: Member must have value
    /// greater than or equal to 1`. A list item's violation is reported at its list, the
    /// whole list echoed (`Value '[PUBLISH, ADMIN]' at 'capabilities' failed to satisfy
    /// constraint: Member must satisfy constraint: [Member must satisfy enum value set:
    /// [PUBLISH, SUBSCRIBE]]`); a `@sensitive` value is never echoed (`Value at …`);
    /// a missing member reads `Value null at …`. See [`Report::aws_message`].
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
fn collection_entry(list_pointer: &str, list_value: &str, rules: &[String]) -> String {
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

/// Something worth knowing that is not a violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdvisoryKind {
    /// A member the model does not define; the protocol says to ignore it.
    UnknownMember,
    /// A capability listed twice. The docs call capabilities a set, but the model has no
    /// `@uniqueItems`, so a duplicate is not a violation.
    DuplicateCapability {
        /// Index of the first occurrence.
        first: usize,
    },
}

/// A note on a value that is not a violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advisory {
    /// JSON pointer of the value.
    pub path: String,
    /// What was noticed.
    pub kind: AdvisoryKind,
    /// For an unknown member, the known member it was probably meant to be.
    pub suggestion: Option<&'static str>,
}

impl Advisory {
    /// A readable sentence.
    pub fn message(&self) -> String {
        match &self.kind {
            AdvisoryKind::UnknownMember => match self.suggestion {
                Some(meant) => msg::fill(
                    msg::UNKNOWN_MEMBER_MEANT,
                    &[("path", &self.path), ("meant", meant)],
                ),
                None => msg::fill(msg::UNKNOWN_MEMBER, &[("path", &self.path)]),
            },
            AdvisoryKind::DuplicateCapability { first } => msg::fill(
                msg::DUPLICATE_CAPABILITY,
                &[("path", &self.path), ("first", &first.to_string())],
            ),
        }
    }

    /// `unknownMember` or `duplicateCapability`.
    pub fn code(&self) -> &'static str {
        match self.kind {
            AdvisoryKind::UnknownMember => "unknownMember",
            AdvisoryKind::DuplicateCapability { .. } => "duplicateCapability",
        }
    }
}

impl Serialize for Advisory {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("path", &self.path)?;
        m.serialize_entry("kind", self.code())?;
        m.serialize_entry("message", &self.message())?;
        if let Some(meant) = self.suggestion {
            m.serialize_entry("suggestion", meant)?;
        }
        m.end()
    }
}

/// Everything validation found: violations (the value is invalid when there is any) and
/// advisories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Failed constraints, in member order: every member's own, and up to
    /// [`MAX_LISTED`] item violations per list.
    pub violations: Vec<Violation>,
    /// Notes that do not make the value invalid, up to [`MAX_LISTED`].
    pub advisories: Vec<Advisory>,
    /// Item violations found beyond the [`MAX_LISTED`] of their list, counted only.
    pub omitted_violations: usize,
    /// Advisories found beyond the [`MAX_LISTED`] listed, counted only.
    pub omitted_advisories: usize,
}

impl Report {
    /// Whether no constraint failed.
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }

    /// Lists `a`, or counts it once [`MAX_LISTED`] advisories are listed.
    pub(crate) fn advise(&mut self, a: Advisory) {
        if self.advisories.len() < MAX_LISTED {
            self.advisories.push(a);
        } else {
            self.omitted_advisories += 1;
        }
    }

    /// The entries of the live-AWS message, in member order: one for each violation of
    /// a member itself, and one for all the item violations of a list, at the list's
    /// place of first mention, its distinct item rules in brackets.
    pub fn aws_entries(&self) -> Vec<String> {
        let mut entries = Vec::new();
        let mut done: Vec<&str> = Vec::new();
        for (i, v) in self.violations.iter().enumerate() {
            let Some(list) = v.list_pointer() else {
                entries.push(v.aws_message());
                continue;
            };
            if done.contains(&list) {
                continue;
            }
            done.push(list);
            let mut rules: Vec<String> = Vec::new();
            for item in &self.violations[i..] {
                if item.list_pointer() == Some(list) {
                    let rule = item.aws_rule();
                    if !rules.contains(&rule) {
                        rules.push(rule);
                    }
                }
            }
            let value = v.list_value.as_deref().unwrap_or_default();
            entries.push(collection_entry(list, value, &rules));
        }
        entries
    }

    /// The whole report as one live-AWS ValidationException message:
    /// `2 validation errors detected: …; …`, counting the entries of
    /// [`Report::aws_entries`]. Empty when valid.
    ///
    /// The form follows ValidationException messages of AWS services quoted in public
    /// reports: CloudFormation's `1 validation error detected: Value '[CAPABILITY_IAM,
    /// …]' at 'capabilities' failed to satisfy constraint: Member must satisfy
    /// constraint: [Member must satisfy enum value set: […]]` (a list's item constraint
    /// reported once, at the list; CodeGenieApp/serverless-express#59), CodePipeline's
    /// `Map value must satisfy constraint: [Member must have length less than or equal
    /// to 1000, Member must have length greater than or equal to 1]` (item rules in
    /// brackets; awslabs/aws-service-catalog-factory#279), OpenSearch's dotted member
    /// paths (`'elasticsearchClusterConfig.instanceType'`;
    /// ministryofjustice/cloud-platform-infrastructure#3651), and `Value null at '…'
    /// failed to satisfy constraint: Member must not be null` for missing members.
    ///
    /// Map keys and values would be reported the same way as list items (`Map value must
    /// satisfy constraint: […]`), but this model puts no constraint on one key or value:
    /// the 1 KB limit of `attributes` is on the whole map, reported at the map.
    pub fn aws_message(&self) -> String {
        let entries = self.aws_entries();
        let n = entries.len();
        if n == 0 {
            return String::new();
        }
        report_message(msg::REPORT_ONE, msg::REPORT_MANY, n, &entries)
    }

    /// The whole report as a Smithy server framework writes its ValidationException
    /// message: `2 validation errors detected. …; …`, one entry per violation (list items
    /// at their own pointers, `/capabilities/1`). Empty when valid.
    pub fn smithy_message(&self) -> String {
        let n = self.violations.len();
        if n == 0 {
            return String::new();
        }
        let items: Vec<String> = self.violations.iter().map(Violation::message).collect();
        report_message(msg::SMITHY_REPORT_ONE, msg::SMITHY_REPORT_MANY, n, &items)
    }

    /// The ValidationException a server answers with, or `None` when valid.
    pub fn to_service_error(&self) -> Option<ServiceError> {
        (!self.is_valid()).then(|| ServiceError::new(ErrorKind::Validation, self.aws_message()))
    }

    /// Records unknown members; `table_at` gives the table of the object a pointer's
    /// parent names, for the did-you-mean suggestion.
    pub(crate) fn add_unknown(
        &mut self,
        unknown: Vec<String>,
        table_at: impl Fn(&str) -> Option<&'static [MemberConstraints]>,
    ) {
        for path in unknown {
            if self.advisories.len() >= MAX_LISTED {
                self.omitted_advisories += 1;
                continue;
            }
            let (parent, name) = path.rsplit_once('/').unwrap_or(("", &path));
            let name: std::borrow::Cow<'_, str> = if name.contains('~') {
                name.replace("~1", "/").replace("~0", "~").into()
            } else {
                name.into()
            };
            let suggestion = table_at(parent).and_then(|t| crate::hint::suggest_member(&name, t));
            self.advisories.push(Advisory {
                path,
                kind: AdvisoryKind::UnknownMember,
                suggestion,
            });
        }
    }
}

/// A report's message: `one` for one entry, else `many`, the entries joined.
fn report_message(one: &str, many: &str, n: usize, entries: &[String]) -> String {
    let entries = entries.join(msg::ENTRY_SEPARATOR);
    let template = if n == 1 { one } else { many };
    msg::fill(template, &[("n", &n.to_string()), ("entries", &entries)])
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_valid() {
            f.write_str("valid")
        } else {
            f.write_str(&self.aws_message())
        }
    }
}

/// A body read and validated: the value as sent and what validation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked<T> {
    /// The value as read (no defaults applied).
    pub value: T,
    /// Violations and advisories, unknown members included.
    pub report: Report,
}

/// Where an object's members sit: at the top level, or in the object a top-level member
/// holds (the response's `participantToken`). Paths are built from it only for what
/// fails, so that checking a valid value builds no string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct At(Option<&'static str>);

impl At {
    /// The top level of a document.
    pub(crate) const TOP: At = At(None);
}

/// Every constraint of a structure's members, in member order, each checked by its
/// kind; an object member's own members under it.
#[inline(always)]
fn check_members<T: Shape>(r: &mut Report, value: &T, at: At) {
    value.each_member(
        #[inline(always)]
        |m, field| match field {
            FieldRef::Text(v) => check_string(r, m, at, v.as_deref()),
            FieldRef::Secret(v) => check_string(r, m, at, v.as_ref().map(Token::expose)),
            FieldRef::Int(v) => check_int(r, m, at, *v),
            FieldRef::Attributes(v) => check_map(r, m, at, v.as_ref()),
            FieldRef::Capabilities(v) => check_list(r, m, at, v.as_deref()),
            FieldRef::Time(v) => check_required(r, m, at, v.is_some()),
            FieldRef::ParticipantToken(v) => {
                // A missing token fails as a token without its required members would.
                let missing = ParticipantToken::default();
                check_token(r, v.as_ref().unwrap_or(&missing), At(Some(m.member)));
            }
        },
    );
}

/// The participant token's members (a function of its own, so that the response's
/// check does not nest the generic one in itself).
fn check_token(r: &mut Report, token: &ParticipantToken, at: At) {
    check_members(r, token, at);
}

impl CreateParticipantTokenRequest {
    /// Checks every constraint of the table; all violations at once, in member order.
    pub fn validate(&self) -> Report {
        let mut r = Report::default();
        check_members(&mut r, self, At::TOP);
        r
    }
}

impl ParticipantToken {
    /// Checks the token's members as they appear at the top level of a JSON document.
    pub fn validate(&self) -> Report {
        let mut r = Report::default();
        check_token(&mut r, self, At::TOP);
        r
    }
}

impl CreateParticipantTokenResponse {
    /// Checks the response: a missing `participantToken` fails as a token without its
    /// required members would.
    pub fn validate(&self) -> Report {
        let mut r = Report::default();
        check_members(&mut r, self, At::TOP);
        r
    }
}

pub(crate) fn path(at: At, m: &MemberConstraints) -> String {
    match at.0 {
        None => format!("/{}", m.member),
        Some(parent) => format!("/{parent}/{}", m.member),
    }
}

// Only for what fails: kept out of line, so that the checks above stay small.
#[cold]
#[inline(never)]
pub(crate) fn push(
    r: &mut Report,
    m: &'static MemberConstraints,
    path: String,
    constraint: Constraint,
    source: Source,
    length: Option<usize>,
    value: Option<&str>,
) {
    // Cut when built: a violation never holds more of a value than a message shows.
    let value = if m.sensitive {
        None
    } else {
        value.map(|v| echoed(v).into_owned())
    };
    r.violations.push(Violation {
        path,
        member: m,
        constraint,
        source,
        length,
        value,
        list_value: None,
        hint: None,
    });
}

/// Reports a missing member when it is required.
// Inlined where called, so that the table row (a constant there) folds away.
#[inline(always)]
pub(crate) fn check_required(r: &mut Report, m: &'static MemberConstraints, at: At, present: bool) {
    if !present {
        if let Some(source) = m.required {
            push(r, m, path(at, m), Constraint::Required, source, None, None);
        }
    }
}

/// The length of `s` in Unicode scalar values when it lies outside `b`, counting only
/// when the byte length cannot settle it (a scalar value takes 1 to 4 bytes).
// Inlined where called, so that the table row (a constant there) folds away.
#[inline(always)]
fn scalar_length_outside(s: &str, b: &Bounds) -> Option<usize> {
    let bytes = s.len() as i64;
    let fewest = (bytes + 3) / 4;
    if b.contains(fewest) && b.contains(bytes) {
        return None;
    }
    let n = s.chars().count();
    (!b.contains(n as i64)).then_some(n)
}

// Inlined where called, so that the table row (a constant there) folds away.
#[inline(always)]
pub(crate) fn check_string(r: &mut Report, m: &'static MemberConstraints, at: At, v: Option<&str>) {
    let Some(s) = v else {
        check_required(r, m, at, false);
        return;
    };
    if let Some(len) = m.length {
        if let Some(n) = scalar_length_outside(s, &len.value) {
            let c = Constraint::Length(len.value);
            push(r, m, path(at, m), c, len.source, Some(n), Some(s));
        }
    }
    if let Some(pat) = m.pattern {
        if !(pat.value.matches)(s) {
            let c = Constraint::Pattern(pat.value.text);
            push(r, m, path(at, m), c, pat.source, None, Some(s));
            if pat.value == constraints::STAGE_ARN_PATTERN {
                if let Some(v) = r.violations.last_mut() {
                    v.hint = crate::hint::stage_arn_hint(s).map(Cow::Borrowed);
                }
            }
        }
    }
    if let Some(e) = m.enum_values {
        if !e.value.contains(&s) {
            let c = Constraint::Enum(e.value);
            push(r, m, path(at, m), c, e.source, None, Some(s));
            if let Some(v) = r.violations.last_mut() {
                v.hint = crate::hint::enum_case_hint(s, e.value);
            }
        }
    }
}

// Inlined where called, so that the table row (a constant there) folds away.
#[inline(always)]
pub(crate) fn check_int(r: &mut Report, m: &'static MemberConstraints, at: At, v: Option<i32>) {
    let Some(n) = v else {
        check_required(r, m, at, false);
        return;
    };
    if let Some(range) = m.range {
        if !range.value.contains(i64::from(n)) {
            let c = Constraint::Range(range.value);
            push(
                r,
                m,
                path(at, m),
                c,
                range.source,
                None,
                Some(&n.to_string()),
            );
        }
    }
}

// Inlined where called, so that the table row (a constant there) folds away.
#[inline(always)]
pub(crate) fn check_map(
    r: &mut Report,
    m: &'static MemberConstraints,
    at: At,
    v: Option<&Attributes>,
) {
    let Some(map) = v else {
        check_required(r, m, at, false);
        return;
    };
    if let Some(max) = m.max_bytes {
        let bytes: usize = map.iter().map(|(k, v)| k.len() + v.len()).sum();
        if bytes > max.value {
            let c = Constraint::MaxBytes(max.value);
            push(r, m, path(at, m), c, max.source, Some(bytes), None);
        }
    }
}

/// Checks a list of capabilities.
// Inlined where called, so that the table row (a constant there) folds away.
#[inline(always)]
pub(crate) fn check_list(
    r: &mut Report,
    m: &'static MemberConstraints,
    at: At,
    v: Option<&[Capability]>,
) {
    let Some(list) = v else {
        check_required(r, m, at, false);
        return;
    };
    let count = list.len();
    let items = list.iter().map(Capability::as_str);
    // The list as live messages echo it: built once, at the first failure, and bounded.
    let mut shown: Option<String> = None;
    if let Some(len) = m.length {
        if !len.value.contains(count as i64) {
            let c = Constraint::Length(len.value);
            let echo = shown.get_or_insert_with(|| list_echo(items.clone()));
            push(r, m, path(at, m), c, len.source, Some(count), Some(echo));
        }
    }
    // First index of each known capability, for the duplicate advisory; unknown values
    // are violations already and are not compared (which keeps this linear). At most
    // MAX_LISTED item violations are listed; the rest are counted.
    let mut first: [Option<usize>; 2] = [None, None];
    let mut listed = 0usize;
    for (i, capability) in list.iter().enumerate() {
        let item = capability.as_str();
        let slot = match capability.known_index() {
            Some(slot) => slot,
            None => {
                if let Some(e) = m.enum_values {
                    if listed == MAX_LISTED {
                        r.omitted_violations += 1;
                        continue;
                    }
                    listed += 1;
                    let c = Constraint::Enum(e.value);
                    let at = format!("{}/{i}", path(at, m));
                    push(r, m, at, c, e.source, None, Some(item));
                    let echo = shown.get_or_insert_with(|| list_echo(items.clone()));
                    if let Some(v) = r.violations.last_mut() {
                        v.list_value = Some(echo.clone());
                        v.hint = crate::hint::enum_case_hint(item, e.value);
                    }
                }
                continue;
            }
        };
        match first[slot] {
            Some(f) => r.advise(Advisory {
                path: format!("{}/{i}", path(at, m)),
                kind: AdvisoryKind::DuplicateCapability { first: f },
                suggestion: None,
            }),
            None => first[slot] = Some(i),
        }
    }
}
