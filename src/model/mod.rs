//! The request and response types of CreateParticipantToken.
//!
//! Every member is optional in the types, `stageArn` included, so that a request read from
//! the wire can be represented as sent and validation can report what is missing. Absent
//! members are omitted when writing. Reading goes through the strict parser of
//! [`crate::json`], whichever way it is called (`parse_request`, or serde's
//! `Deserialize`).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::constraints::{self, DefaultValue, PUBLISH, SUBSCRIBE};
use crate::timestamp::Timestamp;

/// Application attributes: a map of UTF-8 keys to UTF-8 values, kept in key order.
pub type Attributes = BTreeMap<String, String>;

#[macro_use]
mod shape;

pub(crate) use shape::{echoed_members, Field, FieldRef, FieldType, Shape};

mod stage;
pub use stage::{
    AutoParticipantRecordingConfiguration, CreateStageRequest, CreateStageResponse,
    ParticipantRecordingHlsConfiguration, ParticipantThumbnailConfiguration,
    ParticipantTokenConfiguration, Stage, StageEndpoints, Tags,
};
pub use stage::{DeleteStageRequest, GetStageRequest, ListStagesRequest};

shape! {
    /// The input of CreateParticipantToken.
    pub struct CreateParticipantTokenRequest in constraints::REQUEST {
        /// ARN of the stage the token is scoped to. Required: `None` fails validation.
        StageArn => stage_arn: Option<String>,
        /// Minutes until the token expires, 1..=20160; 720 when absent.
        Duration => duration: Option<i32>,
        /// A name that identifies the token, up to 128 characters.
        UserId => user_id: Option<String>,
        /// Application attributes, at most 1 KB in total.
        Attributes => attributes: Option<Attributes>,
        /// What the participant may do; `[PUBLISH, SUBSCRIBE]` when absent. An empty list
        /// is legal and grants nothing.
        Capabilities => capabilities: Option<Vec<Capability>>,
    }
}

impl CreateParticipantTokenRequest {
    /// A request for `stage_arn` with every other member absent.
    pub fn new(stage_arn: impl Into<String>) -> Self {
        CreateParticipantTokenRequest {
            stage_arn: Some(stage_arn.into()),
            ..Default::default()
        }
    }

    /// The request as the service reads it: the documented defaults applied to absent
    /// members (duration 720, capabilities `[PUBLISH, SUBSCRIBE]`). An explicit empty
    /// capabilities list stays empty. Applying it twice changes nothing.
    pub fn effective(&self) -> CreateParticipantTokenRequest {
        let mut out = self.clone();
        if out.duration.is_none() {
            out.duration = Some(default_duration());
        }
        if out.capabilities.is_none() {
            out.capabilities = Some(default_capabilities());
        }
        out
    }
}

/// The documented default duration (from the constraint table).
pub(crate) fn default_duration() -> i32 {
    match constraints::DURATION.default.map(|d| d.value) {
        Some(DefaultValue::Integer(n)) => n as i32,
        _ => unreachable!("the constraint table gives duration an integer default"),
    }
}

/// The documented default capabilities (from the constraint table).
pub(crate) fn default_capabilities() -> Vec<Capability> {
    match constraints::CAPABILITIES.default.map(|d| d.value) {
        Some(DefaultValue::StringList(values)) => {
            values.iter().map(|v| Capability::from_wire(v)).collect()
        }
        _ => unreachable!("the constraint table gives capabilities a list default"),
    }
}

/// A capability a participant is granted.
///
/// A value other than the model's two is kept as [`Capability::Unknown`] when read, as the
/// AWS SDKs do for forward compatibility; validation reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capability {
    /// `PUBLISH`: may publish media to the stage.
    Publish,
    /// `SUBSCRIBE`: may subscribe to others' media.
    Subscribe,
    /// Any other string, kept as read.
    Unknown(String),
}

impl Capability {
    /// Reads a wire value; anything but the model's values becomes `Unknown`.
    pub fn from_wire(s: &str) -> Capability {
        match s {
            PUBLISH => Capability::Publish,
            SUBSCRIBE => Capability::Subscribe,
            _ => Capability::Unknown(s.to_owned()),
        }
    }

    /// Reads a wire value already owned, keeping its allocation for an unknown one.
    pub(crate) fn from_wire_owned(s: String) -> Capability {
        match s.as_str() {
            PUBLISH => Capability::Publish,
            SUBSCRIBE => Capability::Subscribe,
            _ => Capability::Unknown(s),
        }
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Capability::Publish => PUBLISH,
            Capability::Subscribe => SUBSCRIBE,
            Capability::Unknown(s) => s,
        }
    }

    /// The place of a known value among the model's values (`PUBLISH` 0, `SUBSCRIBE` 1);
    /// `None` for any other.
    pub(crate) fn known_index(&self) -> Option<usize> {
        match self {
            Capability::Publish => Some(0),
            Capability::Subscribe => Some(1),
            Capability::Unknown(_) => None,
        }
    }

    /// Whether this is one of the model's values.
    pub fn is_known(&self) -> bool {
        !matches!(self, Capability::Unknown(_))
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Capability {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

shape! {
    /// The output of CreateParticipantToken.
    pub struct CreateParticipantTokenResponse in constraints::RESPONSE {
        /// The token that was created.
        ParticipantToken => participant_token: Option<ParticipantToken>,
    }
}

shape! {
    /// A participant token and what it was issued for.
    pub struct ParticipantToken in constraints::PARTICIPANT_TOKEN {
        /// Unique id of this token, assigned by IVS (the JWT's `jti`).
        ParticipantId => participant_id: Option<String>,
        /// The token itself: a secret.
        Token => token: Option<Token>,
        /// The request's userId, echoed.
        UserId => user_id: Option<String>,
        /// The request's attributes, echoed.
        Attributes => attributes: Option<Attributes>,
        /// The effective duration in minutes.
        Duration => duration: Option<i32>,
        /// The effective capabilities.
        Capabilities => capabilities: Option<Vec<Capability>>,
        /// When the token expires.
        ExpirationTime => expiration_time: Option<Timestamp>,
    }
}

impl AsRef<CreateParticipantTokenResponse> for CreateParticipantTokenResponse {
    fn as_ref(&self) -> &CreateParticipantTokenResponse {
        self
    }
}

/// A participant token's secret value (`@sensitive` in the model).
///
/// It has no `Display`, and its `Debug` prints `Token(*** redacted ***)`; the value is
/// reachable only through [`Token::expose`] and is written out only when serialised.
///
/// ```
/// use ivs_participant_token::Token;
/// let t = Token::new("eyJhbGciOi.secret.sig");
/// assert_eq!(format!("{t:?}"), "Token(*** redacted ***)");
/// assert_eq!(t.expose(), "eyJhbGciOi.secret.sig");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Token(String);

impl Token {
    /// Wraps a token string.
    pub fn new(value: impl Into<String>) -> Token {
        Token(value.into())
    }

    /// The secret value. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Its length in bytes, which is not secret.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(*** redacted ***)")
    }
}

impl Serialize for Token {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_come_from_the_table() {
        let r = CreateParticipantTokenRequest::new("x").effective();
        assert_eq!(r.duration, Some(720));
        assert_eq!(
            r.capabilities,
            Some(vec![Capability::Publish, Capability::Subscribe])
        );
        let empty = CreateParticipantTokenRequest {
            capabilities: Some(vec![]),
            ..CreateParticipantTokenRequest::new("x")
        };
        assert_eq!(empty.effective().capabilities, Some(vec![]));
        assert_eq!(r.effective(), r);
    }

    #[test]
    fn writes_camel_case_and_omits_absent() {
        let r = CreateParticipantTokenRequest {
            user_id: Some("u".into()),
            ..CreateParticipantTokenRequest::new("a")
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"stageArn":"a","userId":"u"}"#
        );
    }

    #[test]
    fn token_is_redacted() {
        let p = ParticipantToken {
            token: Some(Token::new("SECRET-VALUE")),
            ..Default::default()
        };
        let dbg = format!("{p:?}");
        assert!(!dbg.contains("SECRET-VALUE"), "{dbg}");
        assert!(serde_json::to_string(&p).unwrap().contains("SECRET-VALUE"));
    }

    #[test]
    fn capability_round_trip() {
        for s in ["PUBLISH", "SUBSCRIBE", "publish", ""] {
            assert_eq!(Capability::from_wire(s).as_str(), s);
        }
        assert!(!Capability::from_wire("publish").is_known());
    }
}
