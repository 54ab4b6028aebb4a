//! The JSON objects of generated structs, read and written by one shared routine each.
//!
//! A derived `Deserialize` gives every struct its own field enum, visitor and map loop, and a
//! derived `Serialize` its own sequence of calls; for an API with hundreds of schemas that is
//! most of what the compiler checks in a generated crate. Here a struct's impls are one short
//! body: `Deserialize` lists its fields as [`Slot`]s (wire name, where the value goes) for
//! [`read_object`], then takes each value out; `Serialize` lists `(wire name, value)` pairs for
//! [`write_object`]. The values cross the shared routine as `erased_serde` trait objects, so it
//! is compiled once, not once per struct.
//!
//! What a derive did, this keeps: unknown fields are ignored (or kept, for structs with
//! additional properties), a repeated field is an error, a missing required one is
//! `missing field` naming it, and absent optional fields are left out when writing.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::decode::{LenientInt, lenient_int, lenient_int_opt};

type ErasedDeserializer<'a, 'de> = dyn erased_serde::Deserializer<'de> + 'a;
type Reader<'de, T> = fn(&mut ErasedDeserializer<'_, 'de>) -> Result<T, erased_serde::Error>;

/// Where the value of one field of a struct being read goes, and how it is read.
pub struct Slot<'de, T> {
    value: Option<T>,
    read: Reader<'de, T>,
}

impl<'de, T: Deserialize<'de>> Slot<'de, T> {
    /// A field read as `T` reads itself.
    pub fn new() -> Self {
        Slot {
            value: None,
            read: |deserializer| erased_serde::deserialize(deserializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Default for Slot<'de, T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: LenientInt> Slot<'de, T> {
    /// An integer field that also accepts a string holding the integer.
    pub fn lenient_int() -> Self {
        Slot {
            value: None,
            read: |deserializer| lenient_int(deserializer),
        }
    }
}

impl<'de, T: LenientInt> Slot<'de, Option<T>> {
    /// A nullable integer field that also accepts a string holding the integer; `null` and an
    /// empty string are `None`.
    pub fn lenient_int_opt() -> Self {
        Slot {
            value: None,
            read: |deserializer| lenient_int_opt(deserializer),
        }
    }
}

impl<T> Slot<'_, T> {
    /// The value of a required field; `missing field` naming `name` when it was absent.
    pub fn required<E: de::Error>(self, name: &'static str) -> Result<T, E> {
        self.value.ok_or_else(|| E::missing_field(name))
    }

    /// The value, or `None` when the field was absent.
    pub fn optional(self) -> Option<T> {
        self.value
    }
}

/// A [`Slot`] with its type erased, as [`read_object`] fills it.
pub trait Fill<'de> {
    /// Whether a value has been read already.
    fn is_filled(&self) -> bool;

    /// Reads the field's value.
    fn fill(&mut self, value: &mut ErasedDeserializer<'_, 'de>) -> Result<(), erased_serde::Error>;
}

impl<'de, T> Fill<'de> for Slot<'de, T> {
    fn is_filled(&self) -> bool {
        self.value.is_some()
    }

    fn fill(&mut self, value: &mut ErasedDeserializer<'_, 'de>) -> Result<(), erased_serde::Error> {
        self.value = Some((self.read)(value)?);
        Ok(())
    }
}

/// Where properties no field names go: the map of a struct with additional properties.
pub trait Extra<'de> {
    /// Reads the value of the property `key`.
    fn insert(
        &mut self,
        key: String,
        value: &mut ErasedDeserializer<'_, 'de>,
    ) -> Result<(), erased_serde::Error>;
}

impl<'de, V: Deserialize<'de>> Extra<'de> for BTreeMap<String, V> {
    fn insert(
        &mut self,
        key: String,
        value: &mut ErasedDeserializer<'_, 'de>,
    ) -> Result<(), erased_serde::Error> {
        let value = erased_serde::deserialize(value)?;
        BTreeMap::insert(self, key, value);
        Ok(())
    }
}

/// Reads a JSON object into `fields`, each a wire name and its slot; properties no field
/// names are skipped. `name` is the struct's, for error messages.
pub fn read_object<'de, D: Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
    fields: &mut [(&'static str, &mut dyn Fill<'de>)],
) -> Result<(), D::Error> {
    deserializer.deserialize_map(ObjectVisitor {
        name,
        fields,
        extra: None,
    })
}

/// [`read_object`] for a struct with additional properties: those no field names go into
/// `extra`.
pub fn read_object_with_extra<'de, D: Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
    fields: &mut [(&'static str, &mut dyn Fill<'de>)],
    extra: &mut dyn Extra<'de>,
) -> Result<(), D::Error> {
    deserializer.deserialize_map(ObjectVisitor {
        name,
        fields,
        extra: Some(extra),
    })
}

struct ObjectVisitor<'a, 'b, 'de> {
    name: &'static str,
    fields: &'a mut [(&'static str, &'b mut dyn Fill<'de>)],
    extra: Option<&'a mut dyn Extra<'de>>,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key()? {
            match self.fields.iter_mut().find(|(name, _)| *name == key) {
                Some((name, slot)) => {
                    if slot.is_filled() {
                        return Err(de::Error::duplicate_field(name));
                    }
                    map.next_value_seed(FillSeed(&mut **slot))?;
                }
                None => match self.extra.as_deref_mut() {
                    Some(extra) => map.next_value_seed(ExtraSeed(extra, key.into_owned()))?,
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                },
            }
        }
        Ok(())
    }
}

/// A property name, borrowed from the input when the format allows.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor<'de>(PhantomData<&'de ()>);

        impl<'de> Visitor<'de> for KeyVisitor<'de> {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor(PhantomData))
    }
}

struct FillSeed<'a, 'de>(&'a mut dyn Fill<'de>);

impl<'de> DeserializeSeed<'de> for FillSeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        self.0.fill(&mut erased).map_err(de::Error::custom)
    }
}

struct ExtraSeed<'a, 'de>(&'a mut dyn Extra<'de>, String);

impl<'de> DeserializeSeed<'de> for ExtraSeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        self.0
            .insert(self.1, &mut erased)
            .map_err(de::Error::custom)
    }
}

/// One property of a struct being written: its value, or `None` to leave it out.
pub type Property<'a> = (&'static str, Option<&'a dyn erased_serde::Serialize>);

/// The value of a field that is always written (`null` for a required nullable field that is
/// `None`).
pub fn field<T: Serialize>(value: &T) -> Option<&dyn erased_serde::Serialize> {
    Some(value)
}

/// The value of an optional field: written when set, left out when `None`.
pub fn present<T: Serialize>(value: &Option<T>) -> Option<&dyn erased_serde::Serialize> {
    value
        .as_ref()
        .map(|value| value as &dyn erased_serde::Serialize)
}

/// Writes a JSON object of `properties` in order, leaving out those without a value.
pub fn write_object<S: Serializer>(
    serializer: S,
    properties: &[Property<'_>],
) -> Result<S::Ok, S::Error> {
    write_object_with_extra(serializer, properties, &BTreeMap::<String, ()>::new())
}

/// [`write_object`] followed by the additional properties in `extra`.
pub fn write_object_with_extra<S: Serializer, V: Serialize>(
    serializer: S,
    properties: &[Property<'_>],
    extra: &BTreeMap<String, V>,
) -> Result<S::Ok, S::Error> {
    let present = properties.iter().filter(|(_, value)| value.is_some());
    let mut map = serializer.serialize_map(Some(present.clone().count() + extra.len()))?;
    for (name, value) in present {
        if let Some(value) = value {
            map.serialize_entry(name, value)?;
        }
    }
    for (key, value) in extra {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Thing {
        id: String,
        size: Option<i64>,
        note: Option<Option<String>>,
        extra: BTreeMap<String, serde_json::Value>,
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut slots = (
                Slot::<String>::new(),
                Slot::<Option<i64>>::lenient_int_opt(),
                Slot::<Option<String>>::new(),
            );
            let mut extra = BTreeMap::new();
            read_object_with_extra(
                deserializer,
                "Thing",
                &mut [
                    ("id", &mut slots.0),
                    ("size", &mut slots.1),
                    ("note", &mut slots.2),
                ],
                &mut extra,
            )?;
            Ok(Thing {
                id: slots.0.required("id")?,
                size: slots.1.optional().flatten(),
                note: slots.2.optional(),
                extra,
            })
        }
    }

    impl Serialize for Thing {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            write_object_with_extra(
                serializer,
                &[
                    ("id", field(&self.id)),
                    ("size", present(&self.size)),
                    ("note", present(&self.note)),
                ],
                &self.extra,
            )
        }
    }

    #[test]
    fn fields_are_read_by_wire_name_and_the_rest_kept() {
        let thing: Thing = serde_json::from_value(
            json!({"note": null, "id": "t-1", "size": "12", "colour": "red"}),
        )
        .unwrap();
        assert_eq!(thing.id, "t-1");
        assert_eq!(thing.size, Some(12));
        assert_eq!(thing.note, Some(None));
        assert_eq!(
            thing.extra,
            BTreeMap::from([("colour".into(), json!("red"))])
        );
        assert_eq!(
            serde_json::to_string(&thing).unwrap(),
            r#"{"id":"t-1","size":12,"note":null,"colour":"red"}"#
        );
    }

    #[test]
    fn absent_optional_fields_stay_absent_both_ways() {
        let thing: Thing = serde_json::from_str(r#"{"id":"t-2"}"#).unwrap();
        assert_eq!((thing.size, &thing.note), (None, &None));
        assert_eq!(serde_json::to_string(&thing).unwrap(), r#"{"id":"t-2"}"#);
    }

    #[test]
    fn missing_repeated_and_mistyped_fields_are_errors_naming_the_field() {
        let missing = serde_json::from_str::<Thing>(r#"{"size":1}"#).unwrap_err();
        assert!(
            missing.to_string().contains("missing field `id`"),
            "{missing}"
        );
        let repeated = serde_json::from_str::<Thing>(r#"{"id":"a","id":"b"}"#).unwrap_err();
        assert!(
            repeated.to_string().contains("duplicate field `id`"),
            "{repeated}"
        );
        let mistyped = serde_json::from_str::<Thing>(r#"{"id":7}"#).unwrap_err();
        // The position is said once, though the error crossed erased-serde as text.
        assert_eq!(
            mistyped.to_string(),
            "invalid type: integer `7`, expected a string at line 1 column 7"
        );
        assert!(mistyped.is_data());
        let not_an_object = serde_json::from_str::<Thing>("[1]").unwrap_err();
        assert!(
            not_an_object.to_string().contains("expected struct Thing"),
            "{not_an_object}"
        );
    }

    #[test]
    fn the_path_of_a_nested_failure_is_found() {
        #[derive(Debug)]
        struct Outer(#[allow(dead_code)] Thing);
        impl<'de> Deserialize<'de> for Outer {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut inner = Slot::<Thing>::new();
                read_object(deserializer, "Outer", &mut [("inner", &mut inner)])?;
                inner.required("inner").map(Outer)
            }
        }
        let text = r#"{"inner": {"id": "a", "size": "twelve"}}"#;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let error = serde_path_to_error::deserialize::<_, Outer>(&mut deserializer).unwrap_err();
        assert_eq!(error.path().to_string(), "inner.size");
        let text = error.inner().to_string();
        assert_eq!(text.matches(" at line ").count(), 1, "{text}");
    }
}
