//! The verdict on a body (see [`Verdict`]).

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::body::{check_request, check_response};
use crate::error::{ErrorKind, ServiceError};
use crate::json::ParseError;
use crate::model::{
    CreateParticipantTokenRequest, CreateParticipantTokenResponse, CreateStageRequest,
    CreateStageResponse,
};
use crate::report::{Advisory, Checked, Report};
use crate::valid_request::ValidRequest;
use crate::violation::Violation;

/// What a body means: the one answer to "what does this body mean?".
///
/// Every consumer of this crate's judgement goes through [`Verdict`]: the reference
/// server answers from it, the conformance runner's offline target and the generative
/// server fuzzer build their expectations from it, and `ivs-conformance validate`
/// prints it. They agree because there is nothing else to disagree with.
///
/// A verdict is one of three things:
/// - **malformed**: the bytes are not a body of the shape (a [`ParseError`]; the service
///   answers `SerializationException`, 400);
/// - **invalid**: a body that breaks at least one constraint (its value and its
///   [`Report`]; `ValidationException`, 400);
/// - **valid**: its value, its advisories and, for a request, the effective request
///   (the documented defaults applied); the service answers 200.
///
/// Its JSON form is the `validate` command's output:
///
/// ```
/// use ivs_participant_token::Verdict;
///
/// let v = Verdict::request(br#"{"stageArn": "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234", "duration": 0}"#);
/// assert_eq!(v.status(), 400);
/// assert_eq!(v.error_type(), Some("ValidationException"));
/// assert_eq!(v.violation_paths().collect::<Vec<_>>(), ["/duration"]);
/// let json = serde_json::to_value(&v).unwrap();
/// assert_eq!(json["valid"], false);
/// assert_eq!(json["error"], "ValidationException");
/// assert_eq!(json["violations"][0]["constraint"], "range");
/// assert_eq!(json["effective"], serde_json::Value::Null);
///
/// let v = Verdict::request(b"[1]");
/// assert_eq!(v.error_type(), Some("SerializationException"));
/// let json = serde_json::to_value(&v).unwrap();
/// assert_eq!(json["serialization"]["kind"], "notAnObject");
///
/// let v = Verdict::request(br#"{"stageArn": "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234"}"#);
/// assert!(v.is_valid());
/// assert_eq!(serde_json::to_value(&v).unwrap()["effective"]["duration"], 720);
/// ```
///
/// The JSON object has the members `valid` (boolean), `error` (`null`,
/// `"SerializationException"` or `"ValidationException"`), `message` (the
/// `exceptionMessage` a server sends; empty when valid), `violations` and `advisories`
/// (arrays of objects with `path`, `constraint` or `kind`, `message`, …), `effective`
/// (the effective request when a request is valid, else `null`), for a malformed body
/// only, `serialization` (`kind`, `path`, `line`, `column`), and, only when the report
/// lists fewer than it found ([`MAX_LISTED`](crate::violation::MAX_LISTED)), `omitted`
/// (`violations`, `advisories`: how many were counted but not listed).
///
/// `T` is the shape as read; `V` what a valid body gives, the same type or a checked form
/// of it (a request's is [`ValidRequest`], its stage ARN parsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict<T, V = T> {
    /// The bytes are not a body of the shape: a `SerializationException`.
    Malformed(ParseError),
    /// The body breaks at least one constraint: a `ValidationException`. The report's
    /// violations are not empty.
    Invalid(Checked<T>),
    /// The body is valid; the report holds its advisories and no violation.
    Valid(Checked<V>),
}

/// The verdict on a CreateParticipantToken request body: a valid one holds the
/// [`ValidRequest`], which minting a token and checking one against it take.
pub type RequestVerdict = Verdict<CreateParticipantTokenRequest, ValidRequest>;
/// The verdict on a CreateParticipantToken response body.
pub type ResponseVerdict = Verdict<CreateParticipantTokenResponse>;

impl RequestVerdict {
    /// The verdict on a request body: the strict reader, then every constraint; a valid
    /// request's stage ARN is parsed once, here.
    pub fn request(body: &[u8]) -> RequestVerdict {
        match check_request(body) {
            Err(e) => Verdict::Malformed(e),
            Ok(c) if !c.report.is_valid() => Verdict::Invalid(c),
            Ok(Checked { value, report }) => match ValidRequest::checked(value) {
                Ok(value) => Verdict::Valid(Checked { value, report }),
                // Validation accepted what the ARN parser refuses: never seen (the fuzz
                // targets assert it), and an invalid verdict with no violation if it were.
                Err(value) => Verdict::Invalid(Checked { value, report }),
            },
        }
    }

    /// The valid request, when the body is valid.
    pub fn valid_request(&self) -> Option<&ValidRequest> {
        match self {
            Verdict::Valid(c) => Some(&c.value),
            _ => None,
        }
    }

    /// The request as the service reads it (defaults applied), when it is valid.
    pub fn effective(&self) -> Option<CreateParticipantTokenRequest> {
        self.valid_request().map(ValidRequest::effective)
    }
}

impl ResponseVerdict {
    /// The verdict on a response body, as a client checks what it received.
    pub fn response(body: &[u8]) -> ResponseVerdict {
        match check_response(body) {
            Err(e) => Verdict::Malformed(e),
            Ok(c) if c.report.is_valid() => Verdict::Valid(c),
            Ok(c) => Verdict::Invalid(c),
        }
    }
}

/// The verdict on a CreateStage request body (a valid one needs no further check).
pub type CreateStageVerdict = Verdict<CreateStageRequest>;
/// The verdict on a CreateStage response body.
pub type CreateStageResponseVerdict = Verdict<CreateStageResponse>;

impl CreateStageVerdict {
    /// The verdict on a CreateStage request body: the strict reader, then every
    /// constraint, each token configuration's included.
    pub fn create_stage_request(body: &[u8]) -> CreateStageVerdict {
        match crate::body::check_create_stage_request(body) {
            Err(e) => Verdict::Malformed(e),
            Ok(c) if c.report.is_valid() => Verdict::Valid(c),
            Ok(c) => Verdict::Invalid(c),
        }
    }
}

impl CreateStageResponseVerdict {
    /// The verdict on a CreateStage response body, as a client checks what it received.
    pub fn create_stage_response(body: &[u8]) -> CreateStageResponseVerdict {
        match crate::body::check_create_stage_response(body) {
            Err(e) => Verdict::Malformed(e),
            Ok(c) if c.report.is_valid() => Verdict::Valid(c),
            Ok(c) => Verdict::Invalid(c),
        }
    }
}

impl<T, V: AsRef<T>> Verdict<T, V> {
    /// The value read (as sent, no defaults applied), unless the body is malformed.
    pub fn value(&self) -> Option<&T> {
        match self {
            Verdict::Malformed(_) => None,
            Verdict::Invalid(c) => Some(&c.value),
            Verdict::Valid(c) => Some(c.value.as_ref()),
        }
    }
}

impl<T, V> Verdict<T, V> {
    /// Whether the body is valid.
    pub fn is_valid(&self) -> bool {
        matches!(self, Verdict::Valid(_))
    }

    /// The HTTP status a server answers with: 200 when valid, else 400.
    pub fn status(&self) -> u16 {
        match self.error_kind() {
            Some(kind) => kind.status().unwrap_or(400),
            None => 200,
        }
    }

    /// `Serialization`, `Validation`, or `None` when valid.
    pub fn error_kind(&self) -> Option<ErrorKind> {
        match self {
            Verdict::Malformed(_) => Some(ErrorKind::Serialization),
            Verdict::Invalid(_) => Some(ErrorKind::Validation),
            Verdict::Valid(_) => None,
        }
    }

    /// The error's wire name (`ValidationException`), or `None` when valid.
    pub fn error_type(&self) -> Option<&'static str> {
        match self {
            Verdict::Malformed(_) => Some(ErrorKind::Serialization.name_static()),
            Verdict::Invalid(_) => Some(ErrorKind::Validation.name_static()),
            Verdict::Valid(_) => None,
        }
    }

    /// The error a server answers with, or `None` when valid.
    pub fn to_service_error(&self) -> Option<ServiceError> {
        match self {
            Verdict::Malformed(e) => Some(e.to_service_error()),
            Verdict::Invalid(c) => c.report.to_service_error(),
            Verdict::Valid(_) => None,
        }
    }

    /// The parse error of a malformed body.
    pub fn parse_error(&self) -> Option<&ParseError> {
        match self {
            Verdict::Malformed(e) => Some(e),
            _ => None,
        }
    }

    /// The report (violations and advisories), unless the body is malformed.
    pub fn report(&self) -> Option<&Report> {
        match self {
            Verdict::Malformed(_) => None,
            Verdict::Invalid(c) => Some(&c.report),
            Verdict::Valid(c) => Some(&c.report),
        }
    }

    /// The violations, in member order (none when valid or malformed).
    pub fn violations(&self) -> &[Violation] {
        self.report().map_or(&[], |r| &r.violations)
    }

    /// The advisories (none when malformed).
    pub fn advisories(&self) -> &[Advisory] {
        self.report().map_or(&[], |r| &r.advisories)
    }

    /// The JSON pointers of the violations, in member order.
    pub fn violation_paths(&self) -> impl Iterator<Item = &str> {
        self.violations().iter().map(|v| v.path.as_str())
    }

    /// The value, when valid; otherwise the error a server answers with.
    pub fn into_result(self) -> Result<Checked<V>, ServiceError> {
        match self {
            Verdict::Valid(c) => Ok(c),
            Verdict::Malformed(e) => Err(e.to_service_error()),
            Verdict::Invalid(c) => Err(c
                .report
                .to_service_error()
                .unwrap_or_else(|| ServiceError::new(ErrorKind::Validation, String::new()))),
        }
    }

    /// The `exceptionMessage` a server sends (empty when valid).
    pub fn message(&self) -> String {
        match self {
            Verdict::Malformed(e) => e.to_string(),
            Verdict::Invalid(c) => c.report.aws_message(),
            Verdict::Valid(c) => c.report.aws_message(),
        }
    }
}

/// The serialization error's position and kind, as the `serialization` member.
struct SerializationDetail<'a>(&'a ParseError);

impl Serialize for SerializationDetail<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("column", &e.column)?;
        m.serialize_entry("kind", e.kind.code())?;
        m.serialize_entry("line", &e.line)?;
        m.serialize_entry("path", &e.path)?;
        m.end()
    }
}

/// What the `effective` member holds for what a valid body gives: the effective request,
/// or nothing. Not for use outside the crate: it names what the verdict's JSON prints.
#[doc(hidden)]
pub trait EffectiveView {
    /// What is printed: the request type with its defaults applied.
    type Effective: Serialize;
    /// The effective value to print for a valid body, or `None`.
    fn effective_view(&self) -> Option<Self::Effective>;
}

impl EffectiveView for ValidRequest {
    type Effective = CreateParticipantTokenRequest;
    fn effective_view(&self) -> Option<CreateParticipantTokenRequest> {
        Some(self.effective())
    }
}

impl EffectiveView for CreateStageRequest {
    type Effective = CreateStageRequest;
    fn effective_view(&self) -> Option<CreateStageRequest> {
        Some(self.effective())
    }
}

impl EffectiveView for CreateParticipantTokenResponse {
    type Effective = ();
    fn effective_view(&self) -> Option<()> {
        None
    }
}

impl EffectiveView for CreateStageResponse {
    type Effective = ();
    fn effective_view(&self) -> Option<()> {
        None
    }
}

impl<T, V: EffectiveView> Serialize for Verdict<T, V> {
    /// The `validate` command's JSON (members in alphabetical order).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("advisories", self.advisories())?;
        let effective = match self {
            Verdict::Valid(c) => c.value.effective_view(),
            _ => None,
        };
        m.serialize_entry("effective", &effective)?;
        m.serialize_entry("error", &self.error_type())?;
        m.serialize_entry("message", &self.message())?;
        if let Some(r) = self.report() {
            if r.omitted_violations + r.omitted_advisories > 0 {
                let omitted = serde_json::json!({
                    "advisories": r.omitted_advisories,
                    "violations": r.omitted_violations,
                });
                m.serialize_entry("omitted", &omitted)?;
            }
        }
        if let Verdict::Malformed(e) = self {
            m.serialize_entry("serialization", &SerializationDetail(e))?;
        }
        m.serialize_entry("valid", &self.is_valid())?;
        m.serialize_entry("violations", self.violations())?;
        m.end()
    }
}

impl<T, V: EffectiveView> fmt::Display for Verdict<T, V> {
    /// The human form: `valid` or `invalid: <error>`, then a line for each violation and
    /// advisory, then the effective request.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Valid(_) => writeln!(f, "valid")?,
            Verdict::Invalid(_) => writeln!(f, "invalid: {}", self.error_type().unwrap_or(""))?,
            Verdict::Malformed(e) => {
                writeln!(f, "invalid: {}", self.error_type().unwrap_or(""))?;
                writeln!(f, "  {e}")?;
            }
        }
        for v in self.violations() {
            writeln!(
                f,
                "  violation  {:<32} {:<9} {}",
                v.path,
                v.constraint.kind(),
                v.message()
            )?;
            if let Some(hint) = &v.hint {
                writeln!(f, "             hint: {hint}")?;
            }
        }
        let (omitted_violations, omitted_advisories) = self
            .report()
            .map_or((0, 0), |r| (r.omitted_violations, r.omitted_advisories));
        if omitted_violations > 0 {
            writeln!(
                f,
                "  violation  … and {omitted_violations} more of list items, not listed (at most {} a list)",
                crate::violation::MAX_LISTED
            )?;
        }
        for a in self.advisories() {
            writeln!(f, "  advisory   {}", a.message())?;
        }
        if omitted_advisories > 0 {
            writeln!(
                f,
                "  advisory   … and {omitted_advisories} more, not listed (at most {})",
                crate::violation::MAX_LISTED
            )?;
        }
        if let Verdict::Valid(c) = self {
            if let Some(e) = c.value.effective_view() {
                let json = serde_json::to_string(&e).map_err(|_| fmt::Error)?;
                writeln!(f, "effective request: {json}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

    #[test]
    fn statuses_and_errors() {
        let ok = Verdict::request(format!(r#"{{"stageArn":"{ARN}"}}"#).as_bytes());
        assert_eq!((ok.status(), ok.error_type()), (200, None));
        assert!(ok.to_service_error().is_none());
        assert!(ok.clone().into_result().is_ok());
        let bad = Verdict::request(br#"{"duration":0}"#);
        assert_eq!(bad.status(), 400);
        assert_eq!(
            bad.violation_paths().collect::<Vec<_>>(),
            ["/stageArn", "/duration"]
        );
        let e = bad.into_result().unwrap_err();
        assert_eq!(e.kind, ErrorKind::Validation);
        let malformed = Verdict::request(b"{");
        assert_eq!(malformed.error_kind(), Some(ErrorKind::Serialization));
        assert!(malformed.value().is_none());
        assert_eq!(malformed.to_service_error().unwrap().status, 400);
    }

    #[test]
    fn human_form() {
        let v = Verdict::request(br#"{"duration":0}"#);
        let text = v.to_string();
        assert!(text.starts_with("invalid: ValidationException\n"), "{text}");
        assert!(text.contains("violation  /duration"), "{text}");
        let v = Verdict::request(format!(r#"{{"stageArn":"{ARN}"}}"#).as_bytes());
        assert!(v.to_string().contains("effective request: {\"stageArn\""));
        let v = Verdict::response(br#"{"participantToken":{"token":"SECRET"}}"#);
        assert!(!v.to_string().contains("SECRET"));
    }
}
