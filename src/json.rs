//! Strict JSON reading: bytes in, a typed value or a typed [`ParseError`] out.
//!
//! serde_json does the tokenising (and its recursion limit keeps deep nesting from
//! overflowing the stack); the visitors here add what a restJson1 server insists on and
//! serde's derive does not: the top level must be an object, member names are unique,
//! JSON types are exact (no `"720"` for an integer, no `720.5`, nothing beyond 32 bits),
//! and a list or map holds no `null`. Every failure carries its kind, the line and column
//! serde_json reports, and the JSON pointer of the member being read.
//!
//! Rules that are a reading of the protocol rather than a quote of it:
//! - an empty body (zero bytes) is read as `{}`, as restJson1 servers treat a missing
//!   payload; a body of only white space is not empty and is malformed;
//! - `null` for a member means the member is absent; a `null` `stageArn` is therefore a
//!   missing one, which validation reports;
//! - unknown members are skipped and reported as advisories, never errors;
//! - `-0` is read by serde_json as a float and so is not an integer.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::constraints::{self, MemberConstraints, MemberId};
use crate::error::{ErrorKind, ServiceError};
use crate::model::{
    Attributes, Capability, CreateParticipantTokenRequest, CreateParticipantTokenResponse,
    ParticipantToken, Token,
};
use crate::timestamp::Timestamp;
use crate::view::{Items, Pairs, ParticipantTokenView, RequestView, ResponseView, TokenView};

/// A value read by the strict parser, with what it noticed but did not reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The value.
    pub value: T,
    /// JSON pointers of members the model does not define, in the order read. They are
    /// ignored, as the protocol says, and reported as advisories by the validator.
    pub unknown_members: Vec<String>,
}

/// What was wrong with a body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// Not JSON at all, or JSON broken somewhere (serde_json's description).
    Syntax(String),
    /// The body ends in the middle of a value.
    UnexpectedEnd,
    /// Something follows the top-level value.
    TrailingData,
    /// A string holds a lone UTF-16 surrogate escape or a broken `\u` escape.
    InvalidEscape,
    /// Arrays and objects nest deeper than [`MAX_JSON_DEPTH`](crate::constraints::MAX_JSON_DEPTH).
    TooDeep,
    /// The top-level value is not a JSON object.
    NotAnObject {
        /// The JSON type found.
        found: &'static str,
    },
    /// A member name appears twice in one object.
    DuplicateMember(String),
    /// A member holds the wrong JSON type.
    WrongType {
        /// The JSON type the member needs.
        expected: &'static str,
        /// The JSON type found.
        found: &'static str,
    },
    /// A number that needs to be an integer has a fraction or an exponent.
    NotAnInteger,
    /// An integer does not fit in 32 bits.
    IntegerOutOfRange,
    /// A list item or a map value is `null`.
    NullInCollection,
    /// A timestamp string is not an RFC 3339 date-time.
    InvalidTimestamp,
    /// A number too large in magnitude for a 64-bit float (`1e400`), wherever it stands.
    NumberOutOfRange,
    /// The body starts with a UTF-8 byte-order mark, which JSON text must not
    /// (RFC 8259 section 8.1).
    ByteOrderMark,
}

impl ParseErrorKind {
    /// A stable identifier for the kind, such as `duplicateMember`, for reports and tests.
    pub fn code(&self) -> &'static str {
        match self {
            ParseErrorKind::InvalidUtf8 => "invalidUtf8",
            ParseErrorKind::Syntax(_) => "syntax",
            ParseErrorKind::UnexpectedEnd => "unexpectedEnd",
            ParseErrorKind::TrailingData => "trailingData",
            ParseErrorKind::InvalidEscape => "invalidEscape",
            ParseErrorKind::TooDeep => "tooDeep",
            ParseErrorKind::NotAnObject { .. } => "notAnObject",
            ParseErrorKind::DuplicateMember(_) => "duplicateMember",
            ParseErrorKind::WrongType { .. } => "wrongType",
            ParseErrorKind::NotAnInteger => "notAnInteger",
            ParseErrorKind::IntegerOutOfRange => "integerOutOfRange",
            ParseErrorKind::NullInCollection => "nullInCollection",
            ParseErrorKind::InvalidTimestamp => "invalidTimestamp",
            ParseErrorKind::NumberOutOfRange => "numberOutOfRange",
            ParseErrorKind::ByteOrderMark => "byteOrderMark",
        }
    }
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseErrorKind::InvalidUtf8 => f.write_str("the body is not valid UTF-8"),
            ParseErrorKind::Syntax(m) => write!(f, "malformed JSON: {m}"),
            ParseErrorKind::UnexpectedEnd => f.write_str("the body ends in the middle of a value"),
            ParseErrorKind::TrailingData => f.write_str("data follows the top-level JSON value"),
            ParseErrorKind::InvalidEscape => {
                f.write_str("a string holds a lone surrogate or a broken \\u escape")
            }
            ParseErrorKind::TooDeep => write!(
                f,
                "arrays and objects nest deeper than {} levels",
                crate::constraints::MAX_JSON_DEPTH
            ),
            ParseErrorKind::NotAnObject { found } => {
                write!(f, "the body must be a JSON object, found {found}")
            }
            ParseErrorKind::DuplicateMember(name) => {
                write!(f, "member {name:?} appears more than once")
            }
            ParseErrorKind::WrongType { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ParseErrorKind::NotAnInteger => {
                f.write_str("expected an integer, found a number with a fraction or exponent")
            }
            ParseErrorKind::IntegerOutOfRange => f.write_str("the integer does not fit in 32 bits"),
            ParseErrorKind::NullInCollection => f.write_str("null is not allowed in a list or map"),
            ParseErrorKind::InvalidTimestamp => {
                f.write_str("expected an RFC 3339 date-time such as 2026-11-23T19:04:31Z")
            }
            ParseErrorKind::NumberOutOfRange => {
                f.write_str("a number is too large in magnitude for a 64-bit float")
            }
            ParseErrorKind::ByteOrderMark => f.write_str(
                "the body starts with a UTF-8 byte-order mark (EF BB BF), which JSON text must not",
            ),
        }
    }
}

/// A body that could not be read: a `SerializationException` in the making.
///
/// Its message never includes a string value from the body, so a token cannot leak
/// through it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What was wrong.
    pub kind: ParseErrorKind,
    /// 1-based line where it was noticed (0 when unknown).
    pub line: usize,
    /// 1-based column where it was noticed (0 when unknown).
    pub column: usize,
    /// JSON pointer of the member being read (`""` for the top level).
    pub path: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if !self.path.is_empty() {
            write!(f, " at '{}'", self.path)?;
        }
        if self.line > 0 {
            write!(f, " (line {}, column {})", self.line, self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// The `SerializationException` a server answers with.
    pub fn to_service_error(&self) -> ServiceError {
        ServiceError::new(ErrorKind::Serialization, self.to_string())
    }
}

/// Reads a CreateParticipantToken request body strictly.
///
/// ```
/// use ivs_participant_token::json::{parse_request, ParseErrorKind};
/// let ok = parse_request(br#"{"stageArn":"arn:aws:ivs:us-east-1:1:stage/a","x":1}"#).unwrap();
/// assert_eq!(ok.unknown_members, vec!["/x".to_string()]);
/// let err = parse_request(br#"{"duration":1,"duration":2}"#).unwrap_err();
/// assert_eq!(err.kind, ParseErrorKind::DuplicateMember("duration".into()));
/// ```
pub fn parse_request(body: &[u8]) -> Result<Parsed<CreateParticipantTokenRequest>, ParseError> {
    parse_with(body, |st, de, out| TopSeed { st, out }.deserialize(de))
}

/// Reads a CreateParticipantToken response body strictly.
pub fn parse_response(body: &[u8]) -> Result<Parsed<CreateParticipantTokenResponse>, ParseError> {
    parse_with(body, |st, de, out| TopSeed { st, out }.deserialize(de))
}

/// Reads a request body strictly into a view that borrows its strings from `body`. The
/// same reader as [`parse_request`], filling the view's slots rather than the owned
/// request's: the same rules, errors and positions.
#[inline]
pub fn parse_request_view(body: &[u8]) -> Result<Parsed<RequestView<'_>>, ParseError> {
    parse_with(body, |st, de, out| TopSeed { st, out }.deserialize(de))
}

/// Reads a response body strictly into a view that borrows from `body`.
#[inline]
pub fn parse_response_view(body: &[u8]) -> Result<Parsed<ResponseView<'_>>, ParseError> {
    parse_with(body, |st, de, out| TopSeed { st, out }.deserialize(de))
}

type JsonDe<'a> = serde_json::Deserializer<serde_json::de::StrRead<'a>>;

#[inline]
fn parse_with<'a, T: Default>(
    body: &'a [u8],
    read: impl FnOnce(&mut State<'a>, &mut JsonDe<'a>, &mut T) -> Result<(), serde_json::Error>,
) -> Result<Parsed<T>, ParseError> {
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let (line, column) = line_column(&body[..e.valid_up_to()]);
            return Err(ParseError {
                kind: ParseErrorKind::InvalidUtf8,
                line,
                column,
                path: String::new(),
            });
        }
    };
    if text.starts_with('\u{feff}') {
        // serde_json would say only "expected value": name the mark instead.
        return Err(ParseError {
            kind: ParseErrorKind::ByteOrderMark,
            line: 1,
            column: 1,
            path: String::new(),
        });
    }
    if text.is_empty() {
        return Ok(Parsed {
            value: T::default(),
            unknown_members: Vec::new(),
        });
    }
    let mut st = State::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let mut value = T::default();
    match read(&mut st, &mut de, &mut value).and_then(|()| de.end()) {
        Ok(()) => Ok(Parsed {
            value,
            unknown_members: st.unknown,
        }),
        Err(e) => Err(st.into_error(&e)),
    }
}

fn line_column(prefix: &[u8]) -> (usize, usize) {
    let line = 1 + prefix.iter().filter(|b| **b == b'\n').count();
    let line_start = prefix
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    (line, prefix.len() - line_start + 1)
}

/// One step of the path being read.
#[derive(Debug)]
enum Seg<'de> {
    Member(&'static str),
    Key(Cow<'de, str>),
    Index(usize),
}

/// The path being read. The shapes nest at most three members deep
/// (`/participantToken/attributes/key`), so a fixed array holds it and reading a body
/// costs no allocation for it.
#[derive(Debug, Default)]
struct Path<'de> {
    segs: [Option<Seg<'de>>; 3],
    len: usize,
}

impl<'de> Path<'de> {
    fn push(&mut self, seg: Seg<'de>) {
        debug_assert!(self.len < self.segs.len(), "the shapes nest at most 3 deep");
        if let Some(slot) = self.segs.get_mut(self.len) {
            *slot = Some(seg);
        }
        self.len += 1;
    }

    fn pop(&mut self) -> Option<Seg<'de>> {
        self.len = self.len.checked_sub(1)?;
        self.segs.get_mut(self.len).and_then(Option::take)
    }

    fn iter(&self) -> impl Iterator<Item = &Seg<'de>> {
        self.segs[..self.len.min(self.segs.len())].iter().flatten()
    }
}

/// What the visitors share: where they are, what they skipped, and the first failure.
#[derive(Debug, Default)]
struct State<'de> {
    path: Path<'de>,
    unknown: Vec<String>,
    failure: Option<ParseErrorKind>,
}

fn escape_into(out: &mut String, segment: &str) {
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

impl State<'_> {
    fn pointer(&self) -> String {
        let mut out = String::new();
        for seg in self.path.iter() {
            out.push('/');
            match seg {
                Seg::Member(m) => out.push_str(m),
                Seg::Key(k) => escape_into(&mut out, k),
                Seg::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    fn fail<E: de::Error>(&mut self, kind: ParseErrorKind) -> E {
        let msg = kind.to_string();
        self.failure.get_or_insert(kind);
        E::custom(msg)
    }

    fn wrong<E: de::Error>(&mut self, expected: &'static str, found: &'static str) -> E {
        self.fail(ParseErrorKind::WrongType { expected, found })
    }

    fn into_error(self, e: &serde_json::Error) -> ParseError {
        let path = self.pointer();
        let kind = self.failure.unwrap_or_else(|| classify(e));
        ParseError {
            kind,
            line: e.line(),
            column: e.column(),
            path,
        }
    }
}

fn classify(e: &serde_json::Error) -> ParseErrorKind {
    use serde_json::error::Category;
    if e.classify() == Category::Eof {
        return ParseErrorKind::UnexpectedEnd;
    }
    let full = e.to_string();
    // serde_json appends " at line L column C"; the position is kept separately.
    let msg = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => &full[..],
    };
    if msg == "trailing characters" {
        ParseErrorKind::TrailingData
    } else if msg == "recursion limit exceeded" {
        ParseErrorKind::TooDeep
    } else if msg == "number out of range" {
        ParseErrorKind::NumberOutOfRange
    } else if msg.contains("surrogate") || msg.contains("hex escape") {
        ParseErrorKind::InvalidEscape
    } else {
        ParseErrorKind::Syntax(msg.to_owned())
    }
}

/// Runs `f` with `seg` pushed on the path; the segment stays on error so that the error
/// can name where it happened.
fn within<'de, T, E>(
    st: &mut State<'de>,
    seg: Seg<'de>,
    f: impl FnOnce(&mut State<'de>) -> Result<T, E>,
) -> Result<T, E> {
    st.path.push(seg);
    let out = f(st)?;
    st.path.pop();
    Ok(out)
}

/// Implements the visitor methods of the JSON types a visitor does not take, each
/// answering a typed wrong-type error (or `null in a collection` where null is not absent).
macro_rules! reject {
    (@one $expected:expr, bool) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Err(self.st.wrong($expected, "a boolean"))
        }
    };
    (@one $expected:expr, number) => {
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(self.st.wrong($expected, "a number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(self.st.wrong($expected, "a number"))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(self.st.wrong($expected, "a number"))
        }
    };
    (@one $expected:expr, string) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Err(self.st.wrong($expected, "a string"))
        }
    };
    (@one $expected:expr, null) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(self.st.fail(ParseErrorKind::NullInCollection))
        }
    };
    (@one $expected:expr, array) => {
        fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.st.wrong($expected, "an array"))
        }
    };
    (@one $expected:expr, object) => {
        fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.st.wrong($expected, "an object"))
        }
    };
    ($expected:expr; $($kind:ident),*) => {
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str($expected)
        }
        $( reject!(@one $expected, $kind); )*
    };
}

/// Declares a seed that carries the shared [`State`] and reads its value with
/// `deserialize_any`, so that its visitor sees whatever JSON type is there.
macro_rules! seed {
    ($(#[$doc:meta])* $name:ident => $value:ty) => {
        $(#[$doc])*
        struct $name<'s, 'de> {
            st: &'s mut State<'de>,
        }

        impl<'de> DeserializeSeed<'de> for $name<'_, 'de> {
            type Value = $value;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
    };
}

/// A string member (`null` is absent), or with `in_collection` a list item or map value
/// (`null` is an error).
struct StrSeed<'s, 'de> {
    st: &'s mut State<'de>,
    in_collection: bool,
}

impl<'de> DeserializeSeed<'de> for StrSeed<'_, 'de> {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrSeed<'_, 'de> {
    type Value = Option<Cow<'de, str>>;
    reject!("a string"; bool, number, array, object);
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        if self.in_collection {
            Err(self.st.fail(ParseErrorKind::NullInCollection))
        } else {
            Ok(None)
        }
    }
}

fn string_member<'de, A: MapAccess<'de>>(
    map: &mut A,
    st: &mut State<'de>,
) -> Result<Option<Cow<'de, str>>, A::Error> {
    map.next_value_seed(StrSeed {
        st,
        in_collection: false,
    })
}

seed! {
    /// A 32-bit integer member.
    IntSeed => Option<i32>
}

impl<'de> Visitor<'de> for IntSeed<'_, 'de> {
    type Value = Option<i32>;
    reject!("an integer"; bool, string, array, object);
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        i32::try_from(v)
            .map(Some)
            .map_err(|_| self.st.fail(ParseErrorKind::IntegerOutOfRange))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i32::try_from(v)
            .map(Some)
            .map_err(|_| self.st.fail(ParseErrorKind::IntegerOutOfRange))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // serde_json hands integers beyond 64 bits over as floats: call those out of
        // range rather than fractional.
        let whole_but_huge = v.is_finite() && v.fract() == 0.0 && v.abs() > f64::from(i32::MAX);
        Err(self.st.fail(if whole_but_huge {
            ParseErrorKind::IntegerOutOfRange
        } else {
            ParseErrorKind::NotAnInteger
        }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// The capabilities list, written in place into `out` (a view's inline list or the
/// owned `Vec`): lists and maps are the largest parts of a value, and filling them where
/// they stay saves copying them on the way out.
struct CapabilitiesSeed<'s, 'o, 'de> {
    st: &'s mut State<'de>,
    out: &'o mut dyn ListField<'de>,
}

impl<'de> DeserializeSeed<'de> for CapabilitiesSeed<'_, '_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CapabilitiesSeed<'_, '_, 'de> {
    type Value = ();
    reject!("an array of strings"; bool, number, string, object);
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.out.clear();
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let out = self.out.start();
        loop {
            let item = within(self.st, Seg::Index(out.len()), |st| {
                seq.next_element_seed(CapabilitySeed { st })
            })?;
            match item {
                Some(c) => out.push(c),
                None => break,
            }
        }
        Ok(())
    }
}

seed! {
    /// One capability: a string, borrowed when it has no escapes.
    CapabilitySeed => Cow<'de, str>
}

impl<'de> Visitor<'de> for CapabilitySeed<'_, 'de> {
    type Value = Cow<'de, str>;
    reject!("a string"; bool, number, null, array, object);
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// The attributes map, written in place into `out` (a view's pairs or the owned map).
struct AttributesSeed<'s, 'o, 'de> {
    st: &'s mut State<'de>,
    out: &'o mut dyn MapField<'de>,
}

impl<'de> DeserializeSeed<'de> for AttributesSeed<'_, '_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AttributesSeed<'_, '_, 'de> {
    type Value = ();
    reject!("an object of strings"; bool, number, string, array);
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.out.clear();
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let out = self.out.start();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            self.st.path.push(Seg::Key(key));
            let value = map.next_value_seed(StrSeed {
                st: self.st,
                in_collection: true,
            })?;
            let Some(Seg::Key(key)) = self.st.path.pop() else {
                unreachable!("the key pushed above")
            };
            if let Err(key) = out.insert(key, value.unwrap_or_default()) {
                return Err(self
                    .st
                    .fail(ParseErrorKind::DuplicateMember(key.into_owned())));
            }
        }
        Ok(())
    }
}

seed! {
    /// An RFC 3339 date-time member.
    TimestampSeed => Option<Timestamp>
}

impl<'de> Visitor<'de> for TimestampSeed<'_, 'de> {
    type Value = Option<Timestamp>;
    reject!("an RFC 3339 date-time string"; bool, number, array, object);
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Timestamp::parse_rfc3339(v)
            .map(Some)
            .map_err(|_| self.st.fail(ParseErrorKind::InvalidTimestamp))
    }
}

/// An attribute name, borrowed when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Reads the next member name of an object, checking it against those already seen.
/// Known names are compared without allocating; unknown ones are remembered in `others`.
fn member_name<'de, A: MapAccess<'de>>(
    map: &mut A,
    st: &mut State<'de>,
    known: &'static [MemberConstraints],
    seen: &mut u16,
    others: &mut BTreeSet<String>,
) -> Result<Option<Result<&'static MemberConstraints, String>>, A::Error> {
    let Some(name) = map.next_key_seed(MemberKey { known })? else {
        return Ok(None);
    };
    match name {
        Ok(i) => {
            // `i` is the row's place in this object's table, used only as a bit of
            // `seen`; what the member is comes from the row itself.
            if *seen & (1 << i) != 0 {
                let name = known[i].member.to_owned();
                return Err(st.fail(ParseErrorKind::DuplicateMember(name)));
            }
            *seen |= 1 << i;
            Ok(Some(Ok(&known[i])))
        }
        Err(name) => {
            if !others.insert(name.clone()) {
                return Err(st.fail(ParseErrorKind::DuplicateMember(name)));
            }
            Ok(Some(Err(name)))
        }
    }
}

/// A member name: the index of a known member, found without allocating (serde's
/// `Cow<str>` would always allocate), or an unknown name.
struct MemberKey {
    known: &'static [MemberConstraints],
}

impl<'de> DeserializeSeed<'de> for MemberKey {
    type Value = Result<usize, String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for MemberKey {
    type Value = Result<usize, String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self
            .known
            .iter()
            .position(|m| m.member == v)
            .ok_or_else(|| v.to_owned()))
    }
}

/// Any JSON value, read and dropped, with the strict rules that hold everywhere: member
/// names are unique in each object. Unlike serde's `IgnoredAny`, which serde_json skips
/// with a loop that knows no depth, it goes through `deserialize_any`, so serde_json's
/// recursion limit applies to unknown members as to every other value. Only an object
/// inside an unknown member costs an allocation (the set of its names).
struct Skip<'s, 'de> {
    st: &'s mut State<'de>,
}

impl<'de> DeserializeSeed<'de> for Skip<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip { st: self.st })?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut names = BTreeSet::new();
        while let Some(name) = map.next_key::<String>()? {
            if let Some(name) = names.replace(name) {
                return Err(self.st.fail(ParseErrorKind::DuplicateMember(name)));
            }
            map.next_value_seed(Skip { st: self.st })?;
        }
        Ok(())
    }
}

/// Skips an unknown member's value (serde_json still checks it and its depth) and records
/// its pointer.
fn skip_unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    st: &mut State<'de>,
    name: String,
) -> Result<(), A::Error> {
    st.path.push(Seg::Key(Cow::Owned(name)));
    map.next_value_seed(Skip { st })?;
    let pointer = st.pointer();
    st.path.pop();
    st.unknown.push(pointer);
    Ok(())
}

/// Top-level visitors answer `NotAnObject` for any other JSON value.
macro_rules! top_level_object {
    () => {
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Err(self
                .st
                .fail(ParseErrorKind::NotAnObject { found: "a boolean" }))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(self
                .st
                .fail(ParseErrorKind::NotAnObject { found: "a number" }))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(self
                .st
                .fail(ParseErrorKind::NotAnObject { found: "a number" }))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(self
                .st
                .fail(ParseErrorKind::NotAnObject { found: "a number" }))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Err(self
                .st
                .fail(ParseErrorKind::NotAnObject { found: "a string" }))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(self.st.fail(ParseErrorKind::NotAnObject { found: "null" }))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self
                .st
                .fail(ParseErrorKind::NotAnObject { found: "an array" }))
        }
    };
}

/// Where a member's value goes: a mutable slot of the JSON type the member has. Each
/// shape hands out its slots by member identity, so one reader serves every shape, and
/// both forms of each: a borrowed view ([`RequestView`], …) and the owned value
/// ([`CreateParticipantTokenRequest`], …). The owned form is filled directly, each
/// string copied out once as it is read, so it costs no more than before views existed.
enum Slot<'a, 'de> {
    Str(&'a mut dyn StrField<'de>),
    Int(&'a mut Option<i32>),
    Map(&'a mut dyn MapField<'de>),
    List(&'a mut dyn ListField<'de>),
    Time(&'a mut Option<Timestamp>),
    ObjectView(&'a mut Option<ParticipantTokenView<'de>>),
    ObjectOwned(&'a mut Option<ParticipantToken>),
}

/// A string member's field: a view's `Cow` or an owned `String` (the token's secret
/// wrappers likewise).
trait StrField<'de> {
    fn set(&mut self, v: Option<Cow<'de, str>>);
}

impl<'de> StrField<'de> for Option<Cow<'de, str>> {
    fn set(&mut self, v: Option<Cow<'de, str>>) {
        *self = v;
    }
}

impl<'de> StrField<'de> for Option<String> {
    fn set(&mut self, v: Option<Cow<'de, str>>) {
        *self = v.map(Cow::into_owned);
    }
}

impl<'de> StrField<'de> for Option<TokenView<'de>> {
    fn set(&mut self, v: Option<Cow<'de, str>>) {
        *self = v.map(TokenView);
    }
}

impl<'de> StrField<'de> for Option<Token> {
    fn set(&mut self, v: Option<Cow<'de, str>>) {
        *self = v.map(|t| Token::new(t.into_owned()));
    }
}

/// Attributes as they are filled: names unique, a duplicate handed back.
trait MapSink<'de> {
    fn insert(&mut self, name: Cow<'de, str>, value: Cow<'de, str>) -> Result<(), Cow<'de, str>>;
}

impl<'de> MapSink<'de> for Pairs<'de> {
    fn insert(&mut self, name: Cow<'de, str>, value: Cow<'de, str>) -> Result<(), Cow<'de, str>> {
        Pairs::insert(self, name, value)
    }
}

impl<'de> MapSink<'de> for Attributes {
    fn insert(&mut self, name: Cow<'de, str>, value: Cow<'de, str>) -> Result<(), Cow<'de, str>> {
        match self.entry(name.into_owned()) {
            std::collections::btree_map::Entry::Occupied(e) => Err(Cow::Owned(e.key().clone())),
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(value.into_owned());
                Ok(())
            }
        }
    }
}

/// An attributes field: absent (`null`), or a fresh map to fill.
trait MapField<'de> {
    fn clear(&mut self);
    fn start(&mut self) -> &mut dyn MapSink<'de>;
}

impl<'de, M: MapSink<'de> + Default> MapField<'de> for Option<M> {
    fn clear(&mut self) {
        *self = None;
    }
    fn start(&mut self) -> &mut dyn MapSink<'de> {
        self.insert(M::default())
    }
}

/// Capabilities as they are filled, in order.
trait ListSink<'de> {
    fn push(&mut self, item: Cow<'de, str>);
    fn len(&self) -> usize;
}

impl<'de> ListSink<'de> for Items<'de> {
    fn push(&mut self, item: Cow<'de, str>) {
        Items::push(self, item);
    }
    fn len(&self) -> usize {
        Items::len(self)
    }
}

impl<'de> ListSink<'de> for Vec<Capability> {
    fn push(&mut self, item: Cow<'de, str>) {
        Vec::push(self, Capability::from_wire(&item));
    }
    fn len(&self) -> usize {
        Vec::len(self)
    }
}

/// A capabilities field: absent (`null`), or a fresh list to fill.
trait ListField<'de> {
    fn clear(&mut self);
    fn start(&mut self) -> &mut dyn ListSink<'de>;
}

impl<'de, L: ListSink<'de> + Default> ListField<'de> for Option<L> {
    fn clear(&mut self) {
        *self = None;
    }
    fn start(&mut self) -> &mut dyn ListSink<'de> {
        self.insert(L::default())
    }
}

/// A structure the strict reader reads: its members' table, and where each goes.
trait Members<'de>: Default {
    /// The shape's rows of the constraint table.
    const TABLE: &'static [MemberConstraints];
    /// The slot of the member `id`, one of [`Members::TABLE`]'s identities.
    fn slot(&mut self, id: MemberId) -> Slot<'_, 'de>;
}

/// The request's slots, for both its forms.
macro_rules! request_members {
    ($ty:ty) => {
        impl<'de> Members<'de> for $ty {
            const TABLE: &'static [MemberConstraints] = &constraints::REQUEST;
            fn slot(&mut self, id: MemberId) -> Slot<'_, 'de> {
                match id {
                    MemberId::Duration => Slot::Int(&mut self.duration),
                    MemberId::UserId => Slot::Str(&mut self.user_id),
                    MemberId::Attributes => Slot::Map(&mut self.attributes),
                    MemberId::Capabilities => Slot::List(&mut self.capabilities),
                    // stageArn, the table's one other member.
                    _ => Slot::Str(&mut self.stage_arn),
                }
            }
        }
    };
}

request_members!(RequestView<'de>);
request_members!(CreateParticipantTokenRequest);

/// The participant token's slots, for both its forms.
macro_rules! token_members {
    ($ty:ty) => {
        impl<'de> Members<'de> for $ty {
            const TABLE: &'static [MemberConstraints] = &constraints::PARTICIPANT_TOKEN;
            fn slot(&mut self, id: MemberId) -> Slot<'_, 'de> {
                match id {
                    MemberId::Token => Slot::Str(&mut self.token),
                    MemberId::UserId => Slot::Str(&mut self.user_id),
                    MemberId::Attributes => Slot::Map(&mut self.attributes),
                    MemberId::Duration => Slot::Int(&mut self.duration),
                    MemberId::Capabilities => Slot::List(&mut self.capabilities),
                    MemberId::ExpirationTime => Slot::Time(&mut self.expiration_time),
                    // participantId, the table's one other member.
                    _ => Slot::Str(&mut self.participant_id),
                }
            }
        }
    };
}

token_members!(ParticipantTokenView<'de>);
token_members!(ParticipantToken);

impl<'de> Members<'de> for ResponseView<'de> {
    const TABLE: &'static [MemberConstraints] = &constraints::RESPONSE;
    fn slot(&mut self, _: MemberId) -> Slot<'_, 'de> {
        // participantToken, the table's one member.
        Slot::ObjectView(&mut self.participant_token)
    }
}

impl<'de> Members<'de> for CreateParticipantTokenResponse {
    const TABLE: &'static [MemberConstraints] = &constraints::RESPONSE;
    fn slot(&mut self, _: MemberId) -> Slot<'_, 'de> {
        Slot::ObjectOwned(&mut self.participant_token)
    }
}

/// Reads one member's value into its slot, by the slot's JSON type.
fn read_slot<'de, A: MapAccess<'de>>(
    map: &mut A,
    st: &mut State<'de>,
    slot: Slot<'_, 'de>,
) -> Result<(), A::Error> {
    match slot {
        Slot::Str(v) => v.set(string_member(map, st)?),
        Slot::Int(v) => *v = map.next_value_seed(IntSeed { st })?,
        Slot::Map(out) => map.next_value_seed(AttributesSeed { st, out })?,
        Slot::List(out) => map.next_value_seed(CapabilitiesSeed { st, out })?,
        Slot::Time(v) => *v = map.next_value_seed(TimestampSeed { st })?,
        Slot::ObjectView(out) => map.next_value_seed(NestedSeed { st, out })?,
        Slot::ObjectOwned(out) => map.next_value_seed(NestedSeed { st, out })?,
    }
    Ok(())
}

/// The one object reader, for every shape: member names checked against the shape's
/// table (duplicates refused, unknown members skipped and recorded), each known member
/// read into its slot of `out` with its name on the path.
fn read_object<'de, T: Members<'de>, A: MapAccess<'de>>(
    map: &mut A,
    st: &mut State<'de>,
    out: &mut T,
) -> Result<(), A::Error> {
    let (mut seen, mut others) = (0u16, BTreeSet::new());
    while let Some(member) = member_name(map, st, T::TABLE, &mut seen, &mut others)? {
        match member {
            Ok(m) => within(st, Seg::Member(m.member), |st| {
                read_slot(map, st, out.slot(m.id))
            })?,
            Err(name) => skip_unknown(map, st, name)?,
        }
    }
    Ok(())
}

/// A top-level structure, read into `out`: a JSON object, or
/// [`ParseErrorKind::NotAnObject`].
struct TopSeed<'s, 'o, 'de, T> {
    st: &'s mut State<'de>,
    out: &'o mut T,
}

impl<'de, T: Members<'de>> DeserializeSeed<'de> for TopSeed<'_, '_, 'de, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Members<'de>> Visitor<'de> for TopSeed<'_, '_, 'de, T> {
    type Value = ();
    top_level_object!();
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        read_object(&mut map, self.st, self.out)
    }
}

/// A structure inside another, read into `out`: an object, or `null` for an absent one.
struct NestedSeed<'s, 'o, 'de, T> {
    st: &'s mut State<'de>,
    out: &'o mut Option<T>,
}

impl<'de, T: Members<'de>> DeserializeSeed<'de> for NestedSeed<'_, '_, 'de, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Members<'de>> Visitor<'de> for NestedSeed<'_, '_, 'de, T> {
    type Value = ();
    reject!("an object"; bool, number, string, array);
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        *self.out = None;
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let out = self.out.insert(T::default());
        read_object(&mut map, self.st, out)
    }
}

/// Reads a top-level `T` from any serde deserializer with the strict rules (unknown
/// members skipped without a report).
fn read_top<'de, T: Members<'de>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let mut out = T::default();
    TopSeed {
        st: &mut State::default(),
        out: &mut out,
    }
    .deserialize(d)?;
    Ok(out)
}

impl<'de> Deserialize<'de> for CreateParticipantTokenRequest {
    /// Reads a request with the strict rules of [`parse_request`] (unknown members are
    /// skipped without a report).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read_top::<CreateParticipantTokenRequest, D>(d)
    }
}

impl<'de> Deserialize<'de> for CreateParticipantTokenResponse {
    /// Reads a response with the strict rules of [`parse_response`] (unknown members are
    /// skipped without a report).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read_top::<CreateParticipantTokenResponse, D>(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(body: &str) -> ParseErrorKind {
        parse_request(body.as_bytes()).unwrap_err().kind
    }

    #[test]
    fn line_column_of_prefix() {
        assert_eq!(line_column(b""), (1, 1));
        assert_eq!(line_column(b"ab\ncd"), (2, 3));
    }

    #[test]
    fn error_positions_and_paths() {
        let e = parse_request(b"{\n \"capabilities\": [\"PUBLISH\", null]}").unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::NullInCollection);
        assert_eq!(e.path, "/capabilities/1");
        assert_eq!(e.line, 2);
        let e = parse_request(br#"{"attributes": {"a/b": 1}}"#).unwrap_err();
        assert_eq!(e.path, "/attributes/a~1b");
        assert!(matches!(e.kind, ParseErrorKind::WrongType { .. }));
    }

    #[test]
    fn kinds() {
        assert_eq!(
            kind("[]"),
            ParseErrorKind::NotAnObject { found: "an array" }
        );
        assert_eq!(kind("{} x"), ParseErrorKind::TrailingData);
        assert_eq!(kind("{"), ParseErrorKind::UnexpectedEnd);
        assert_eq!(kind(r#"{"duration": 720.5}"#), ParseErrorKind::NotAnInteger);
        assert_eq!(
            kind(r#"{"duration": 2147483648}"#),
            ParseErrorKind::IntegerOutOfRange
        );
        assert_eq!(
            kind(r#"{"userId": "\ud800"}"#),
            ParseErrorKind::InvalidEscape
        );
        assert_eq!(
            kind(r#"{"x": 1, "x": 2}"#),
            ParseErrorKind::DuplicateMember("x".into())
        );
    }

    #[test]
    fn messages_do_not_echo_string_values() {
        let e =
            parse_response(br#"{"participantToken": {"token": "SECRET", "duration": "SECRET2"}}"#)
                .unwrap_err();
        assert!(!e.to_string().contains("SECRET"), "{e}");
    }

    #[test]
    fn serde_deserialize_is_strict_too() {
        assert!(serde_json::from_str::<CreateParticipantTokenRequest>("[]").is_err());
        assert!(
            serde_json::from_str::<CreateParticipantTokenRequest>(r#"{"duration":"1"}"#).is_err()
        );
    }
}
