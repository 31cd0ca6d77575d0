//! How the model's structures are declared: the `shape!` macro and the field kinds.

use super::stage::{
    AutoParticipantRecordingConfiguration, ParticipantRecordingHlsConfiguration,
    ParticipantThumbnailConfiguration, ParticipantTokenConfiguration, Stage, StageEndpoints,
};
use super::{Attributes, Capability, ParticipantToken, Token};
use crate::constraints::{MemberConstraints, MemberId, WireType};
use crate::timestamp::Timestamp;

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
    /// A boolean.
    Bool(&'a mut Option<bool>),
    /// A list of enum strings (media types, thumbnail storage).
    Strings(&'a mut Option<Vec<String>>),
    /// CreateStage's token configurations.
    Configurations(&'a mut Option<Vec<ParticipantTokenConfiguration>>),
    /// CreateStage's issued tokens.
    Tokens(&'a mut Option<Vec<ParticipantToken>>),
    /// The recording configuration.
    Recording(&'a mut Option<AutoParticipantRecordingConfiguration>),
    /// The thumbnail configuration.
    Thumbnail(&'a mut Option<ParticipantThumbnailConfiguration>),
    /// The HLS configuration.
    Hls(&'a mut Option<ParticipantRecordingHlsConfiguration>),
    /// A stage.
    Stage(&'a mut Option<Stage>),
    /// A stage's endpoints.
    Endpoints(&'a mut Option<StageEndpoints>),
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
    Bool(&'a Option<bool>),
    Strings(&'a Option<Vec<String>>),
    Configurations(&'a Option<Vec<ParticipantTokenConfiguration>>),
    Tokens(&'a Option<Vec<ParticipantToken>>),
    Recording(&'a Option<AutoParticipantRecordingConfiguration>),
    Thumbnail(&'a Option<ParticipantThumbnailConfiguration>),
    Hls(&'a Option<ParticipantRecordingHlsConfiguration>),
    Stage(&'a Option<Stage>),
    Endpoints(&'a Option<StageEndpoints>),
}

impl FieldRef<'_> {
    /// The field as JSON, a list or map cut at its first `max` entries with a note of how
    /// many more there are; `None` when absent, and always for the secret token.
    pub(crate) fn to_json_cut(&self, max: usize) -> Option<serde_json::Value> {
        use serde_json::{json, Map, Value};
        match self {
            FieldRef::Text(v) => v.as_ref().map(|v| json!(v)),
            FieldRef::Secret(_)
            | FieldRef::ParticipantToken(_)
            | FieldRef::Configurations(_)
            | FieldRef::Tokens(_)
            | FieldRef::Recording(_)
            | FieldRef::Thumbnail(_)
            | FieldRef::Hls(_)
            | FieldRef::Stage(_)
            | FieldRef::Endpoints(_) => None,
            FieldRef::Bool(v) => v.map(|v| json!(v)),
            FieldRef::Strings(v) => v.as_ref().map(|items| {
                let mut kept: Vec<Value> = items.iter().take(max).map(|c| json!(c)).collect();
                if items.len() > max {
                    kept.push(json!(format!("… and {} more", items.len() - max)));
                }
                Value::Array(kept)
            }),
            FieldRef::Int(v) => v.map(|v| json!(v)),
            FieldRef::Time(v) => v.map(|v| json!(v)),
            FieldRef::Capabilities(v) => v.as_ref().map(|caps| {
                let mut kept: Vec<Value> = caps.iter().take(max).map(|c| json!(c)).collect();
                if caps.len() > max {
                    kept.push(json!(format!("… and {} more", caps.len() - max)));
                }
                Value::Array(kept)
            }),
            FieldRef::Attributes(v) => v.as_ref().map(|attrs| {
                let mut kept: Map<String, Value> = attrs
                    .iter()
                    .take(max)
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect();
                if attrs.len() > max {
                    kept.insert("…".to_owned(), json!(format!("{} more", attrs.len() - max)));
                }
                Value::Object(kept)
            }),
        }
    }
}

/// The members of `value` that the constraint table says a token echoes
/// ([`Echo::token`](crate::constraints::Echo::token)), by name, each as JSON cut at `max`
/// entries (`null` when absent): what the conformance runner compares a token by, in
/// memory that does not grow with what a server sends.
pub(crate) fn echoed_members<T: Shape>(
    value: &T,
    max: usize,
) -> Vec<(&'static str, serde_json::Value)> {
    let echoed: Vec<&str> = crate::constraints::REQUEST
        .iter()
        .filter(|r| r.echo.token.is_some())
        .map(|r| r.member)
        .collect();
    let mut out = Vec::new();
    value.each_member(|row, field| {
        if echoed.contains(&row.member) {
            out.push((
                row.member,
                field.to_json_cut(max).unwrap_or(serde_json::Value::Null),
            ));
        }
    });
    out
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
    Option<bool> => Boolean as Bool,
    Option<Vec<String>> => StringList as Strings,
    Option<Vec<ParticipantTokenConfiguration>> => ObjectList as Configurations,
    Option<Vec<ParticipantToken>> => ObjectList as Tokens,
    Option<AutoParticipantRecordingConfiguration> => Object as Recording,
    Option<ParticipantThumbnailConfiguration> => Object as Thumbnail,
    Option<ParticipantRecordingHlsConfiguration> => Object as Hls,
    Option<Stage> => Object as Stage,
    Option<StageEndpoints> => Object as Endpoints,
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
