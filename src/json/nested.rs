//! The visitors of CreateStage's kinds of member: booleans, lists of enum strings, nested
//! structures and lists of them, each read with the rules of the rest (exact types, no
//! `null` inside a collection, `null` for an absent member).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;

use super::objects::read_object;
use super::state::{within, Seg, State};
use super::values::ValueSeed;
use super::ParseErrorKind;
use crate::messages as msg;
use crate::model::Shape;

seed! {
    /// A boolean member; `null` is an absent one.
    BoolSeed => Option<bool>
}

impl<'de> Visitor<'de> for BoolSeed<'_, 'de> {
    type Value = Option<bool>;
    reject!(msg::EXPECTED_BOOLEAN; number, string, array, object);
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

seed! {
    /// A list of strings (an enum's values, known or not); `null` is an absent one.
    StringsSeed => Option<Vec<String>>
}

impl<'de> Visitor<'de> for StringsSeed<'_, 'de> {
    type Value = Option<Vec<String>>;
    reject!(msg::EXPECTED_LIST; bool, number, string, object);
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let item = within(self.st, Seg::Index(out.len()), |st| {
                seq.next_element_seed(ValueSeed { st })
            })?;
            match item {
                Some(s) => out.push(s),
                None => break,
            }
        }
        Ok(Some(out))
    }
}

/// A nested structure: an object, or `null` for an absent one.
pub(super) struct ObjectSeed<'s, 'de, T> {
    pub(super) st: &'s mut State<'de>,
    pub(super) shape: PhantomData<T>,
}

impl<'de, T: Shape> DeserializeSeed<'de> for ObjectSeed<'_, 'de, T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Shape> Visitor<'de> for ObjectSeed<'_, 'de, T> {
    type Value = Option<T>;
    reject!(msg::EXPECTED_OBJECT; bool, number, string, array);
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        read_object(&mut map, self.st).map(Some)
    }
}

/// One structure inside a list: an object; `null` is an error there.
struct ItemSeed<'s, 'de, T> {
    st: &'s mut State<'de>,
    shape: PhantomData<T>,
}

impl<'de, T: Shape> DeserializeSeed<'de> for ItemSeed<'_, 'de, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Shape> Visitor<'de> for ItemSeed<'_, 'de, T> {
    type Value = T;
    reject!(msg::EXPECTED_OBJECT; bool, number, string, null, array);
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        read_object(&mut map, self.st)
    }
}

/// A list of structures; `null` is an absent one.
pub(super) struct ObjectListSeed<'s, 'de, T> {
    pub(super) st: &'s mut State<'de>,
    pub(super) shape: PhantomData<T>,
}

impl<'de, T: Shape> DeserializeSeed<'de> for ObjectListSeed<'_, 'de, T> {
    type Value = Option<Vec<T>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Shape> Visitor<'de> for ObjectListSeed<'_, 'de, T> {
    type Value = Option<Vec<T>>;
    reject!(msg::EXPECTED_OBJECTS; bool, number, string, object);
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let item = within(self.st, Seg::Index(out.len()), |st| {
                seq.next_element_seed(ItemSeed {
                    st,
                    shape: PhantomData,
                })
            })?;
            match item {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Some(out))
    }
}
