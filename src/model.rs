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

use crate::constraints::{
    self, DefaultValue, MemberConstraints, MemberId, WireType, PUBLISH, SUBSCRIBE,
};
use crate::timestamp::Timestamp;

/// Application attributes: a map of UTF-8 keys to UTF-8 values, kept in key order.
pub type Attributes = BTreeMap<String, String>;

// How the members of a structure are reached by their identity in the constraint table:
// the one route that the strict reader fills and the validator checks. The structures
// below are declared with `shape!`, which writes each structure and its routes from one
// list of members, so that a member is one line of that list: its table identity, its
// field and its type (whose kind is the type's, held to the row's wire type when it
// compiles). `json::tests::every_table_member_has_a_route` fails for a row of the table
// that a list lacks or routes to another member's field.

/// A member's field, to fill: one variant per kind of field the model has.
pub(crate) enum Field<'a> {
    /// A string.
    Text(&'a mut Option<String>),
    /// The `@sensitive` token string.
    Secret(&'a mut Option<Token>),
    /// A 32-bit integer.
    Int(&'a mut Option<i32>),
    /// A map of strings.
    Attributes(&'a mut Option<Attributes>),
    /// A list of capabilities.
    Capabilities(&'a mut Option<Vec<Capability>>),
    /// A date-time.
    Time(&'a mut Option<Timestamp>),
    /// The response's participant token.
    ParticipantToken(&'a mut Option<ParticipantToken>),
}

/// A member's field, to check: the same kinds as [`Field`], shared.
pub(crate) enum FieldRef<'a> {
    Text(&'a Option<String>),
    Secret(&'a Option<Token>),
    Int(&'a Option<i32>),
    Attributes(&'a Option<Attributes>),
    Capabilities(&'a Option<Vec<Capability>>),
    Time(&'a Option<Timestamp>),
    ParticipantToken(&'a Option<ParticipantToken>),
}

/// A field's Rust type, which says its kind: how reading fills it and validation checks
/// it, and the wire type its row of the table must have. `shape!` reads the kind from the
/// type, and checks the row's wire type at compile time, so that a member's kind is
/// written once, in the table.
pub(crate) trait FieldType {
    /// The wire type of the field's member.
    const WIRE: WireType;
    /// The field, to fill.
    fn field(&mut self) -> Field<'_>;
    /// The field, to check.
    fn field_ref(&self) -> FieldRef<'_>;
}

macro_rules! field_type {
    ($($ty:ty => $wire:ident as $kind:ident,)*) => {
        $(
            impl FieldType for $ty {
                const WIRE: WireType = WireType::$wire;
                fn field(&mut self) -> Field<'_> {
                    Field::$kind(self)
                }
                fn field_ref(&self) -> FieldRef<'_> {
                    FieldRef::$kind(self)
                }
            }
        )*
    };
}

field_type! {
    Option<String> => String as Text,
    Option<Token> => String as Secret,
    Option<i32> => Integer as Int,
    Option<Attributes> => StringMap as Attributes,
    Option<Vec<Capability>> => StringList as Capabilities,
    Option<Timestamp> => Timestamp as Time,
    Option<ParticipantToken> => Object as ParticipantToken,
}

/// A structure of the model: its rows of the constraint table, in member order, and the
/// field of each.
pub(crate) trait Shape: Default {
    /// The structure's rows of the constraint table.
    const TABLE: &'static [MemberConstraints];
    /// The field of the member `id`, to fill; `None` for an identity not in the list.
    fn field(&mut self, id: MemberId) -> Option<Field<'_>>;
    /// Calls `f` with each member's row and field, in the order of the list (which
    /// `every_table_member_has_a_route` holds equal to the table's): what validation
    /// walks, each row a constant at its call.
    fn each_member(&self, f: impl FnMut(&'static MemberConstraints, FieldRef<'_>));
    /// The identities of the list, in its order.
    #[cfg(test)]
    const MEMBERS: &'static [MemberId];
}

/// Declares a structure of the model and its [`Shape`]: the struct (camelCase on the wire,
/// absent members omitted) and both routes, from one list of `Identity => field: Type`
/// lines, each field's kind read from its type ([`FieldType`]), whose wire type must be
/// the row's (a compile-time error otherwise).
macro_rules! shape {
    (
        $(#[$meta:meta])*
        pub struct $name:ident in $table:path {
            $(
                $(#[$field_meta:meta])*
                $id:ident => $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: $ty,
            )*
        }

        impl crate::model::Shape for $name {
            const TABLE: &'static [crate::constraints::MemberConstraints] = &$table;

            #[inline]
            fn field(
                &mut self,
                id: crate::constraints::MemberId,
            ) -> Option<crate::model::Field<'_>> {
                match id {
                    $( crate::constraints::MemberId::$id => {
                        Some(<$ty as crate::model::FieldType>::field(&mut self.$field))
                    } )*
                    _ => None,
                }
            }

            #[inline(always)]
            fn each_member(
                &self,
                mut f: impl FnMut(&'static crate::constraints::MemberConstraints, crate::model::FieldRef<'_>),
            ) {
                $(
                    f(
                        const { crate::constraints::row(&$table, crate::constraints::MemberId::$id) },
                        <$ty as crate::model::FieldType>::field_ref(&self.$field),
                    );
                )*
            }

            #[cfg(test)]
            const MEMBERS: &'static [crate::constraints::MemberId] =
                &[$(crate::constraints::MemberId::$id),*];
        }

        // Each field's type has its row's wire type: a mismatch does not compile.
        const _: () = {
            $(
                assert!(
                    <$ty as crate::model::FieldType>::WIRE as u8
                        == crate::constraints::row(&$table, crate::constraints::MemberId::$id)
                            .wire_type as u8,
                    concat!(
                        "the table's wire type of ",
                        stringify!($name),
                        ".",
                        stringify!($field),
                        " is not its Rust type's"
                    )
                );
            )*
        };
    };
}

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
