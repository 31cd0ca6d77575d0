//! Validation: every violation of the constraint table at once, in member order.
//!
//! Validating a valid value allocates nothing: reports, paths and messages are built only
//! for what fails.

use crate::constraints::{self, Bounds, MemberConstraints, Source};
use crate::model::{
    Attributes, Capability, CreateParticipantTokenRequest, CreateParticipantTokenResponse,
    ParticipantToken, Token,
};
use crate::model::{FieldRef, Shape};
use std::borrow::Cow;

mod nested;

use crate::report::{Advisory, AdvisoryKind, Report};
use crate::violation::{echoed, list_echo, Constraint, Violation, MAX_LISTED};
/// Where an object's members sit: at the top level, or down a chain of members and list
/// items (`/participantTokenConfigurations/3`), each step borrowed from the caller's
/// frame. Paths are built from it only for what fails, so that checking a valid value
/// builds no string.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a>(Option<(&'a At<'a>, Step)>);

/// One step down from an object.
#[derive(Debug, Clone, Copy)]
enum Step {
    Member(&'static str),
    Index(usize),
}

impl At<'static> {
    /// The top level of a document.
    pub(crate) const TOP: At<'static> = At(None);
}

impl<'a> At<'a> {
    /// Inside the member `name` of the object here.
    pub(crate) fn member(&'a self, name: &'static str) -> At<'a> {
        At(Some((self, Step::Member(name))))
    }

    /// At item `i` of the list here.
    pub(crate) fn index(&'a self, i: usize) -> At<'a> {
        At(Some((self, Step::Index(i))))
    }

    fn write_into(&self, out: &mut String) {
        if let Some((up, step)) = self.0 {
            up.write_into(out);
            out.push('/');
            match step {
                Step::Member(name) => out.push_str(name),
                Step::Index(i) => out.push_str(&i.to_string()),
            }
        }
    }
}

/// Every constraint of a structure's members, in member order, each checked by its
/// kind; an object member's own members under it.
#[inline(always)]
pub(crate) fn check_members<T: Shape>(r: &mut Report, value: &T, at: At<'_>) {
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
                check_token(r, v.as_ref().unwrap_or(&missing), at.member(m.member));
            }
            FieldRef::Bool(v) => check_required(r, m, at, v.is_some()),
            FieldRef::Strings(v) => nested::check_strings(r, m, at, v.as_deref()),
            FieldRef::Configurations(v) => nested::check_objects(r, m, at, v.as_deref()),
            FieldRef::Tokens(v) => nested::check_objects(r, m, at, v.as_deref()),
            FieldRef::Recording(v) => nested::check_object(r, m, at, v.as_ref()),
            FieldRef::Thumbnail(v) => nested::check_object(r, m, at, v.as_ref()),
            FieldRef::Hls(v) => nested::check_object(r, m, at, v.as_ref()),
            FieldRef::Stage(v) => nested::check_object(r, m, at, v.as_ref()),
            FieldRef::Endpoints(v) => nested::check_object(r, m, at, v.as_ref()),
        },
    );
}

/// The participant token's members (a function of its own, so that the response's
/// check does not nest the generic one in itself).
fn check_token(r: &mut Report, token: &ParticipantToken, at: At<'_>) {
    check_members(r, token, at);
}

impl crate::model::CreateStageRequest {
    /// Checks every constraint of the table, each token configuration's and the
    /// recording configuration's included; all violations at once, in member order.
    pub fn validate(&self) -> Report {
        let mut r = Report::default();
        check_members(&mut r, self, At::TOP);
        r
    }
}

impl crate::model::CreateStageResponse {
    /// Checks the response: the stage (its `arn` required) and each token as
    /// CreateParticipantToken's token is checked, except that a token may come without
    /// its `expirationTime`: CreateStage's tokens have been reported to (a public report,
    /// aws/aws-sdk-java-v2#6429), so this kit's requirement of it does not hold here.
    pub fn validate(&self) -> Report {
        let mut r = Report::default();
        check_members(&mut r, self, At::TOP);
        r.violations.retain(|v| {
            !(v.member.id == constraints::MemberId::ExpirationTime
                && v.constraint == Constraint::Required)
        });
        r
    }
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

pub(crate) fn path(at: At<'_>, m: &MemberConstraints) -> String {
    let mut out = String::with_capacity(32);
    at.write_into(&mut out);
    out.push('/');
    out.push_str(m.member);
    out
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
pub(crate) fn check_required(
    r: &mut Report,
    m: &'static MemberConstraints,
    at: At<'_>,
    present: bool,
) {
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
pub(crate) fn scalar_length_outside(s: &str, b: &Bounds) -> Option<usize> {
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
pub(crate) fn check_string(
    r: &mut Report,
    m: &'static MemberConstraints,
    at: At<'_>,
    v: Option<&str>,
) {
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
pub(crate) fn check_int(r: &mut Report, m: &'static MemberConstraints, at: At<'_>, v: Option<i32>) {
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
    at: At<'_>,
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
    if m.length.is_some() || m.key_length.is_some() || m.value_length.is_some() {
        nested::check_map_entries(r, m, at, map);
    }
}

/// Checks a list of capabilities.
// Inlined where called, so that the table row (a constant there) folds away.
#[inline(always)]
pub(crate) fn check_list(
    r: &mut Report,
    m: &'static MemberConstraints,
    at: At<'_>,
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
