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
use std::fmt::{self, Write as _};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::constraints::MemberConstraints;
use crate::error::{ErrorKind, ServiceError};
use crate::messages as msg;
use crate::model::{
    Attributes, Capability, CreateParticipantTokenRequest, CreateParticipantTokenResponse, Field,
    ParticipantToken, Shape, Token,
};
use crate::timestamp::Timestamp;

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
        let text: Cow<'_, str> = match self {
            ParseErrorKind::InvalidUtf8 => msg::PARSE_INVALID_UTF8.into(),
            ParseErrorKind::Syntax(m) => msg::fill(msg::PARSE_SYNTAX, &[("detail", m)]).into(),
            ParseErrorKind::UnexpectedEnd => msg::PARSE_UNEXPECTED_END.into(),
            ParseErrorKind::TrailingData => msg::PARSE_TRAILING_DATA.into(),
            ParseErrorKind::InvalidEscape => msg::PARSE_INVALID_ESCAPE.into(),
            ParseErrorKind::TooDeep => {
                let depth = crate::constraints::MAX_JSON_DEPTH.to_string();
                msg::fill(msg::PARSE_TOO_DEEP, &[("depth", &depth)]).into()
            }
            ParseErrorKind::NotAnObject { found } => {
                msg::fill(msg::PARSE_NOT_AN_OBJECT, &[("found", found)]).into()
            }
            ParseErrorKind::DuplicateMember(name) => {
                // As a JSON string: what any language can write the same way.
                let name = serde_json::to_string(name).map_err(|_| fmt::Error)?;
                msg::fill(msg::PARSE_DUPLICATE_MEMBER, &[("name", &name)]).into()
            }
            ParseErrorKind::WrongType { expected, found } => msg::fill(
                msg::PARSE_WRONG_TYPE,
                &[("expected", expected), ("found", found)],
            )
            .into(),
            ParseErrorKind::NotAnInteger => msg::PARSE_NOT_AN_INTEGER.into(),
            ParseErrorKind::IntegerOutOfRange => msg::PARSE_INTEGER_OUT_OF_RANGE.into(),
            ParseErrorKind::NullInCollection => msg::PARSE_NULL_IN_COLLECTION.into(),
            ParseErrorKind::InvalidTimestamp => msg::PARSE_INVALID_TIMESTAMP.into(),
            ParseErrorKind::NumberOutOfRange => msg::PARSE_NUMBER_OUT_OF_RANGE.into(),
            ParseErrorKind::ByteOrderMark => msg::PARSE_BYTE_ORDER_MARK.into(),
        };
        f.write_str(&text)
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
            f.write_str(&msg::fill(msg::PARSE_AT, &[("path", &self.path)]))?;
        }
        if self.line > 0 {
            let (line, column) = (self.line.to_string(), self.column.to_string());
            let at = msg::fill(msg::PARSE_POSITION, &[("line", &line), ("column", &column)]);
            f.write_str(&at)?;
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
/// use ivs_participant_token::{parse_request, ParseErrorKind};
/// let ok = parse_request(br#"{"stageArn":"arn:aws:ivs:us-east-1:1:stage/a","x":1}"#).unwrap();
/// assert_eq!(ok.unknown_members, vec!["/x".to_string()]);
/// let err = parse_request(br#"{"duration":1,"duration":2}"#).unwrap_err();
/// assert_eq!(err.kind, ParseErrorKind::DuplicateMember("duration".into()));
/// ```
pub fn parse_request(body: &[u8]) -> Result<Parsed<CreateParticipantTokenRequest>, ParseError> {
    parse_with(body, |st, de| TopSeed::new(st).deserialize(de))
}

/// Reads a CreateParticipantToken response body strictly.
pub fn parse_response(body: &[u8]) -> Result<Parsed<CreateParticipantTokenResponse>, ParseError> {
    parse_with(body, |st, de| TopSeed::new(st).deserialize(de))
}

type JsonDe<'a> = serde_json::Deserializer<serde_json::de::StrRead<'a>>;

#[inline]
fn parse_with<'a, T: Default>(
    body: &'a [u8],
    read: impl FnOnce(&mut State<'a>, &mut JsonDe<'a>) -> Result<T, serde_json::Error>,
) -> Result<Parsed<T>, ParseError> {
    // The bytes' own faults first: not UTF-8, then a byte-order mark. One pass over the
    // whole body checks UTF-8 faster than serde_json's check of each string it reads.
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
    match read(&mut st, &mut de).and_then(|value| de.end().map(|()| value)) {
        Ok(value) => Ok(Parsed {
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
    // `<[u8]>::contains` is std's memchr: one fast scan, not a loop of ours per byte.
    let bytes = segment.as_bytes();
    if !bytes.contains(&b'~') && !bytes.contains(&b'/') {
        out.push_str(segment);
        return;
    }
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
        let mut out = String::with_capacity(32);
        for seg in self.path.iter() {
            out.push('/');
            match seg {
                Seg::Member(m) => out.push_str(m),
                Seg::Key(k) => escape_into(&mut out, k),
                Seg::Index(i) => {
                    let _ = write!(out, "{i}");
                }
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
    } else if msg.ends_with("hex escape") {
        // serde_json's "lone leading surrogate in hex escape" and "unexpected end of hex
        // escape".
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
            Err(self.st.wrong($expected, msg::FOUND_BOOLEAN))
        }
    };
    (@one $expected:expr, number) => {
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(self.st.wrong($expected, msg::FOUND_NUMBER))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(self.st.wrong($expected, msg::FOUND_NUMBER))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(self.st.wrong($expected, msg::FOUND_NUMBER))
        }
    };
    (@one $expected:expr, string) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Err(self.st.wrong($expected, msg::FOUND_STRING))
        }
    };
    (@one $expected:expr, null) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(self.st.fail(ParseErrorKind::NullInCollection))
        }
    };
    (@one $expected:expr, array) => {
        fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.st.wrong($expected, msg::FOUND_ARRAY))
        }
    };
    (@one $expected:expr, object) => {
        fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.st.wrong($expected, msg::FOUND_OBJECT))
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

seed! {
    /// A string member; `null` is an absent one.
    StrSeed => Option<String>
}

impl<'de> Visitor<'de> for StrSeed<'_, 'de> {
    type Value = Option<String>;
    reject!(msg::EXPECTED_STRING; bool, number, array, object);
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

seed! {
    /// A map value: a string; `null` is an error.
    ValueSeed => String
}

impl<'de> Visitor<'de> for ValueSeed<'_, 'de> {
    type Value = String;
    reject!(msg::EXPECTED_STRING; bool, number, null, array, object);
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(v)
    }
}

seed! {
    /// A 32-bit integer member.
    IntSeed => Option<i32>
}

impl<'de> Visitor<'de> for IntSeed<'_, 'de> {
    type Value = Option<i32>;
    reject!(msg::EXPECTED_INTEGER; bool, string, array, object);
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

seed! {
    /// The capabilities list; `null` is an absent one.
    CapabilitiesSeed => Option<Vec<Capability>>
}

impl<'de> Visitor<'de> for CapabilitiesSeed<'_, 'de> {
    type Value = Option<Vec<Capability>>;
    reject!(msg::EXPECTED_LIST; bool, number, string, object);
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let item = within(self.st, Seg::Index(out.len()), |st| {
                seq.next_element_seed(CapabilitySeed { st })
            })?;
            match item {
                Some(c) => out.push(c),
                None => break,
            }
        }
        Ok(Some(out))
    }
}

seed! {
    /// One capability: a string, known or not.
    CapabilitySeed => Capability
}

impl<'de> Visitor<'de> for CapabilitySeed<'_, 'de> {
    type Value = Capability;
    reject!(msg::EXPECTED_STRING; bool, number, null, array, object);
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Capability::from_wire(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Capability::from_wire_owned(v))
    }
}

seed! {
    /// The attributes map; `null` is an absent one.
    AttributesSeed => Option<Attributes>
}

impl<'de> Visitor<'de> for AttributesSeed<'_, 'de> {
    type Value = Option<Attributes>;
    reject!(msg::EXPECTED_MAP; bool, number, string, array);
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Attributes::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            // The key stays on the path while its value is read, so that an error in the
            // value names it.
            self.st.path.push(Seg::Key(key));
            let value = map.next_value_seed(ValueSeed { st: self.st })?;
            let Some(Seg::Key(key)) = self.st.path.pop() else {
                unreachable!("the key pushed above")
            };
            match out.entry(key.into_owned()) {
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(value);
                }
                std::collections::btree_map::Entry::Occupied(e) => {
                    let name = e.key().clone();
                    return Err(self.st.fail(ParseErrorKind::DuplicateMember(name)));
                }
            }
        }
        Ok(Some(out))
    }
}

seed! {
    /// An RFC 3339 date-time member.
    TimestampSeed => Option<Timestamp>
}

impl<'de> Visitor<'de> for TimestampSeed<'_, 'de> {
    type Value = Option<Timestamp>;
    reject!(msg::EXPECTED_TIMESTAMP; bool, number, array, object);
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
fn member_name<'de, T: Shape, A: MapAccess<'de>>(
    map: &mut A,
    st: &mut State<'de>,
    seen: &mut u16,
    others: &mut BTreeSet<String>,
) -> Result<Option<Result<&'static MemberConstraints, String>>, A::Error> {
    let known = T::TABLE;
    let Some(name) = map.next_key_seed(MemberKey::<T>(std::marker::PhantomData))? else {
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
/// Generic over the shape, so that the names compared are constants where it is used.
struct MemberKey<T>(std::marker::PhantomData<T>);

impl<'de, T: Shape> DeserializeSeed<'de> for MemberKey<T> {
    type Value = Result<usize, String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, T: Shape> Visitor<'de> for MemberKey<T> {
    type Value = Result<usize, String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(T::TABLE
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
        // Names borrowed from the body where they hold no escape: no allocation a key.
        let mut names: BTreeSet<Cow<'de, str>> = BTreeSet::new();
        while let Some(name) = map.next_key_seed(KeySeed)? {
            if let Some(name) = names.replace(name) {
                return Err(self
                    .st
                    .fail(ParseErrorKind::DuplicateMember(name.into_owned())));
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
            Err(self.st.fail(ParseErrorKind::NotAnObject {
                found: msg::FOUND_BOOLEAN,
            }))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(self.st.fail(ParseErrorKind::NotAnObject {
                found: msg::FOUND_NUMBER,
            }))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(self.st.fail(ParseErrorKind::NotAnObject {
                found: msg::FOUND_NUMBER,
            }))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(self.st.fail(ParseErrorKind::NotAnObject {
                found: msg::FOUND_NUMBER,
            }))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Err(self.st.fail(ParseErrorKind::NotAnObject {
                found: msg::FOUND_STRING,
            }))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(self.st.fail(ParseErrorKind::NotAnObject {
                found: msg::FOUND_NULL,
            }))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.st.fail(ParseErrorKind::NotAnObject {
                found: msg::FOUND_ARRAY,
            }))
        }
    };
}

/// Reads one member's value into its field, by the field's kind.
fn read_field<'de, A: MapAccess<'de>>(
    map: &mut A,
    st: &mut State<'de>,
    field: Field<'_>,
) -> Result<(), A::Error> {
    match field {
        Field::Text(v) => *v = map.next_value_seed(StrSeed { st })?,
        Field::Secret(v) => *v = map.next_value_seed(StrSeed { st })?.map(Token::new),
        Field::Int(v) => *v = map.next_value_seed(IntSeed { st })?,
        Field::Attributes(out) => *out = map.next_value_seed(AttributesSeed { st })?,
        Field::Capabilities(out) => *out = map.next_value_seed(CapabilitiesSeed { st })?,
        Field::Time(v) => *v = map.next_value_seed(TimestampSeed { st })?,
        Field::ParticipantToken(out) => *out = map.next_value_seed(NestedSeed { st })?,
    }
    Ok(())
}

/// The one object reader, for every shape: member names checked against the shape's
/// table (duplicates refused, unknown members skipped and recorded), each known member
/// read into its field with its name on the path.
fn read_object<'de, T: Shape, A: MapAccess<'de>>(
    map: &mut A,
    st: &mut State<'de>,
) -> Result<T, A::Error> {
    let mut out = T::default();
    let (mut seen, mut others) = (0u16, BTreeSet::new());
    while let Some(member) = member_name::<T, A>(map, st, &mut seen, &mut others)? {
        let routed = match member {
            Ok(m) => out.field(m.id).map(|field| (m, field)),
            Err(_) => None,
        };
        match (routed, member) {
            (Some((m, field)), _) => {
                within(st, Seg::Member(m.member), |st| read_field(map, st, field))?
            }
            (None, Ok(m)) => skip_unknown(map, st, m.member.to_owned())?,
            (None, Err(name)) => skip_unknown(map, st, name)?,
        }
    }
    Ok(out)
}

/// A top-level structure: a JSON object, or [`ParseErrorKind::NotAnObject`].
struct TopSeed<'s, 'de, T> {
    st: &'s mut State<'de>,
    shape: std::marker::PhantomData<T>,
}

impl<'s, 'de, T> TopSeed<'s, 'de, T> {
    fn new(st: &'s mut State<'de>) -> Self {
        TopSeed {
            st,
            shape: std::marker::PhantomData,
        }
    }
}

impl<'de, T: Shape> DeserializeSeed<'de> for TopSeed<'_, 'de, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Shape> Visitor<'de> for TopSeed<'_, 'de, T> {
    type Value = T;
    top_level_object!();
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        read_object(&mut map, self.st)
    }
}

seed! {
    /// The participant token inside a response: an object, or `null` for an absent one.
    NestedSeed => Option<ParticipantToken>
}

impl<'de> Visitor<'de> for NestedSeed<'_, 'de> {
    type Value = Option<ParticipantToken>;
    reject!(msg::EXPECTED_OBJECT; bool, number, string, array);
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        read_object(&mut map, self.st).map(Some)
    }
}

impl<'de> Deserialize<'de> for CreateParticipantTokenRequest {
    /// Reads a request with the strict rules of [`parse_request`] (unknown members are
    /// skipped without a report).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        TopSeed::new(&mut State::default()).deserialize(d)
    }
}

impl<'de> Deserialize<'de> for CreateParticipantTokenResponse {
    /// Reads a response with the strict rules of [`parse_response`] (unknown members are
    /// skipped without a report).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        TopSeed::new(&mut State::default()).deserialize(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constraints;

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
            ParseErrorKind::NotAnObject {
                found: msg::FOUND_ARRAY
            }
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

    /// The wire type a field kind reads.
    fn wire_type_of(field: &Field<'_>) -> constraints::WireType {
        use constraints::WireType;
        match field {
            Field::Text(_) | Field::Secret(_) => WireType::String,
            Field::Int(_) => WireType::Integer,
            Field::Attributes(_) => WireType::StringMap,
            Field::Capabilities(_) => WireType::StringList,
            Field::Time(_) => WireType::Timestamp,
            Field::ParticipantToken(_) => WireType::Object,
        }
    }

    /// A JSON value of `wire_type` that every member of that type accepts as read.
    fn sample(wire_type: constraints::WireType) -> serde_json::Value {
        use constraints::WireType;
        match wire_type {
            WireType::String => "s".into(),
            WireType::Integer | WireType::Long => 7.into(),
            WireType::Object => serde_json::json!({}),
            WireType::StringList => serde_json::json!(["PUBLISH"]),
            WireType::StringMap => serde_json::json!({"k": "v"}),
            WireType::Timestamp => "2026-11-24T07:04:31Z".into(),
        }
    }

    /// Every row of a shape's table is routed to a field of its wire type, and a value
    /// read into it comes back under the member's own name when written: a member
    /// added to the table and forgotten in `Shape::field`, or routed to another member's
    /// field, fails here.
    fn every_row_is_routed<T: Shape + serde::Serialize>() {
        let table: Vec<_> = T::TABLE.iter().map(|m| m.id).collect();
        assert_eq!(
            T::MEMBERS,
            table,
            "the list and the table differ, or their order does"
        );
        for row in T::TABLE {
            let mut value = T::default();
            let field = value
                .field(row.id)
                .unwrap_or_else(|| panic!("{}.{} has no route", row.shape, row.member));
            assert_eq!(wire_type_of(&field), row.wire_type, "{}", row.member);
            let body = serde_json::json!({ row.member: sample(row.wire_type) }).to_string();
            let parsed = parse_with(body.as_bytes(), |st, de| {
                TopSeed::<T>::new(st).deserialize(de)
            })
            .unwrap_or_else(|e| panic!("{}: {e}", row.member));
            assert!(parsed.unknown_members.is_empty(), "{}", row.member);
            let written = serde_json::to_value(&parsed.value).unwrap();
            let members: Vec<&String> = written.as_object().unwrap().keys().collect();
            assert_eq!(
                members,
                [row.member],
                "{} was read into another field",
                row.member
            );
        }
    }

    #[test]
    fn every_table_member_has_a_route() {
        every_row_is_routed::<CreateParticipantTokenRequest>();
        every_row_is_routed::<ParticipantToken>();
        every_row_is_routed::<CreateParticipantTokenResponse>();
    }

    #[test]
    fn serde_deserialize_is_strict_too() {
        assert!(serde_json::from_str::<CreateParticipantTokenRequest>("[]").is_err());
        assert!(
            serde_json::from_str::<CreateParticipantTokenRequest>(r#"{"duration":"1"}"#).is_err()
        );
    }
}
