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
use std::fmt;

use serde::de::DeserializeSeed;
use serde::{Deserialize, Deserializer};

use crate::error::{ErrorKind, ServiceError};
use crate::messages as msg;
use crate::model::{
    CreateParticipantTokenRequest, CreateParticipantTokenResponse, CreateStageRequest,
    CreateStageResponse,
};

#[macro_use]
mod state;
#[macro_use]
mod values;
mod nested;
mod objects;
#[cfg(test)]
mod tests;

use objects::TopSeed;
use state::State;

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

/// Reads a CreateStage request body strictly, its token configurations and recording
/// configuration included.
///
/// ```
/// use ivs_participant_token::{parse_create_stage_request, ParseErrorKind};
/// let ok = parse_create_stage_request(br#"{"participantTokenConfigurations":[{"userId":"a"}]}"#).unwrap();
/// assert_eq!(ok.value.participant_token_configurations.unwrap()[0].user_id.as_deref(), Some("a"));
/// let err = parse_create_stage_request(br#"{"participantTokenConfigurations":[null]}"#).unwrap_err();
/// assert_eq!((err.kind, err.path.as_str()), (ParseErrorKind::NullInCollection, "/participantTokenConfigurations/0"));
/// ```
pub fn parse_create_stage_request(body: &[u8]) -> Result<Parsed<CreateStageRequest>, ParseError> {
    parse_with(body, |st, de| TopSeed::new(st).deserialize(de))
}

/// Reads a CreateStage response body strictly.
pub fn parse_create_stage_response(body: &[u8]) -> Result<Parsed<CreateStageResponse>, ParseError> {
    parse_with(body, |st, de| TopSeed::new(st).deserialize(de))
}

/// Reads any shape of the model strictly.
pub(crate) fn parse_shape<T: crate::model::Shape>(body: &[u8]) -> Result<Parsed<T>, ParseError> {
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

impl<'de> Deserialize<'de> for CreateParticipantTokenRequest {
    /// Reads a request with the strict rules of [`parse_request`] (unknown members are
    /// skipped without a report).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        TopSeed::new(&mut State::default()).deserialize(d)
    }
}

impl<'de> Deserialize<'de> for CreateStageRequest {
    /// Reads a request with the strict rules of [`parse_create_stage_request`].
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        TopSeed::new(&mut State::default()).deserialize(d)
    }
}

impl<'de> Deserialize<'de> for CreateStageResponse {
    /// Reads a response with the strict rules of [`parse_create_stage_response`].
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
