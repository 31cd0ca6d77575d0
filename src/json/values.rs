//! The visitors of scalar members and of the model's lists and maps: exact JSON types,
//! 32-bit integers, no `null` in a collection, RFC 3339 timestamps.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;

use super::state::{within, Seg, State};
use super::ParseErrorKind;
use crate::messages as msg;
use crate::model::{Attributes, Capability};
use crate::timestamp::Timestamp;

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
        pub(super) struct $name<'s, 'de> {
            pub(super) st: &'s mut State<'de>,
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
pub(super) struct KeySeed;

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
