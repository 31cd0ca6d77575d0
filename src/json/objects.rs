//! The visitors of objects: each member read into its field by the table's kind, names
//! unique, unknown members skipped (their values still read strictly) and recorded, and
//! the top level an object.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;

use super::nested::{BoolSeed, ObjectListSeed, ObjectSeed, StringsSeed};
use super::state::{within, Seg, State};
use super::values::{AttributesSeed, CapabilitiesSeed, IntSeed, KeySeed, StrSeed, TimestampSeed};
use super::ParseErrorKind;
use crate::constraints::MemberConstraints;
use crate::messages as msg;
use crate::model::{Field, ParticipantToken, Shape, Token};

/// Reads the next member name of an object, checking it against those already seen.
/// Known names are compared without allocating; unknown ones are remembered in `others`.
pub(super) fn member_name<'de, T: Shape, A: MapAccess<'de>>(
    map: &mut A,
    st: &mut State<'de>,
    seen: &mut u16,
    others: &mut BTreeSet<Cow<'de, str>>,
) -> Result<Option<Result<&'static MemberConstraints, Cow<'de, str>>>, A::Error> {
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
            // Borrowed from the body where the name holds no escape: the set and the
            // path then cost no allocation, only the pointer recorded.
            if !others.insert(name.clone()) {
                return Err(st.fail(ParseErrorKind::DuplicateMember(name.into_owned())));
            }
            Ok(Some(Err(name)))
        }
    }
}

/// A member name: the index of a known member, found without allocating (serde's
/// `Cow<str>` would always allocate), or an unknown name.
/// Generic over the shape, so that the names compared are constants where it is used.
pub(super) struct MemberKey<T>(std::marker::PhantomData<T>);

impl<'de, T: Shape> DeserializeSeed<'de> for MemberKey<T> {
    type Value = Result<usize, Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, T: Shape> Visitor<'de> for MemberKey<T> {
    type Value = Result<usize, Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(T::TABLE
            .iter()
            .position(|m| m.member == v)
            .ok_or(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(T::TABLE
            .iter()
            .position(|m| m.member == v)
            .ok_or_else(|| Cow::Owned(v.to_owned())))
    }
}

/// Any JSON value, read and dropped, with the strict rules that hold everywhere: member
/// names are unique in each object. Unlike serde's `IgnoredAny`, which serde_json skips
/// with a loop that knows no depth, it goes through `deserialize_any`, so serde_json's
/// recursion limit applies to unknown members as to every other value. Only an object
/// inside an unknown member costs an allocation (the set of its names).
pub(super) struct Skip<'s, 'de> {
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
pub(super) fn skip_unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    st: &mut State<'de>,
    name: Cow<'de, str>,
) -> Result<(), A::Error> {
    st.path.push(Seg::Key(name));
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
pub(super) fn read_field<'de, A: MapAccess<'de>>(
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
        Field::Bool(v) => *v = map.next_value_seed(BoolSeed { st })?,
        Field::Strings(v) => *v = map.next_value_seed(StringsSeed { st })?,
        Field::Configurations(v) => *v = map.next_value_seed(list(st))?,
        Field::Tokens(v) => *v = map.next_value_seed(list(st))?,
        Field::Recording(v) => *v = map.next_value_seed(object(st))?,
        Field::Thumbnail(v) => *v = map.next_value_seed(object(st))?,
        Field::Hls(v) => *v = map.next_value_seed(object(st))?,
        Field::Stage(v) => *v = map.next_value_seed(object(st))?,
        Field::Endpoints(v) => *v = map.next_value_seed(object(st))?,
    }
    Ok(())
}

fn object<'s, 'de, T>(st: &'s mut State<'de>) -> ObjectSeed<'s, 'de, T> {
    ObjectSeed {
        st,
        shape: std::marker::PhantomData,
    }
}

fn list<'s, 'de, T>(st: &'s mut State<'de>) -> ObjectListSeed<'s, 'de, T> {
    ObjectListSeed {
        st,
        shape: std::marker::PhantomData,
    }
}

/// The one object reader, for every shape: member names checked against the shape's
/// table (duplicates refused, unknown members skipped and recorded), each known member
/// read into its field with its name on the path.
pub(super) fn read_object<'de, T: Shape, A: MapAccess<'de>>(
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
            (None, Ok(m)) => skip_unknown(map, st, Cow::Borrowed(m.member))?,
            (None, Err(name)) => skip_unknown(map, st, name)?,
        }
    }
    Ok(out)
}

/// A top-level structure: a JSON object, or [`ParseErrorKind::NotAnObject`].
pub(super) struct TopSeed<'s, 'de, T> {
    st: &'s mut State<'de>,
    shape: std::marker::PhantomData<T>,
}

impl<'s, 'de, T> TopSeed<'s, 'de, T> {
    pub(super) fn new(st: &'s mut State<'de>) -> Self {
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
