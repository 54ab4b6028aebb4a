//! Serde helpers that generated types call: nullable optional fields (absent vs `null`) and
//! unions told apart by a discriminator property.
//!
//! Generated code reaches these through `runtime`; they hold every branch so the generated
//! `Deserialize` impls stay a flat `match` on the tag.

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer};

/// Deserializes a field that may be absent, `null`, or a value into `Option<Option<T>>`.
///
/// With `#[serde(default, deserialize_with = "…::deserialize_nullable")]`, an absent field stays
/// `None` (the `default`), a JSON `null` becomes `Some(None)` and a value `Some(Some(v))`. Paired
/// with `skip_serializing_if = "Option::is_none"`, the same field serializes back the same way,
/// which is what a PATCH body needs to say "clear this" apart from "leave this alone".
pub fn deserialize_nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Reads a JSON object and the string value of its discriminator property `tag`.
///
/// The whole object is returned, tag included, because the variant types usually declare the
/// tag property themselves (which is why serde's internally tagged enums cannot be used).
pub fn read_tagged<'de, D>(
    deserializer: D,
    tag: &'static str,
) -> Result<(String, serde_json::Value), D::Error>
where
    D: Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    let found = match &value {
        serde_json::Value::Object(map) => match map.get(tag) {
            Some(serde_json::Value::String(found)) => found.clone(),
            Some(other) => {
                return Err(de::Error::custom(format_args!(
                    "discriminator `{tag}` must be a string, found {other}"
                )));
            }
            None => return Err(de::Error::missing_field(tag)),
        },
        other => {
            return Err(de::Error::invalid_type(
                unexpected(other),
                &"an object with a discriminator property",
            ));
        }
    };
    Ok((found, value))
}

/// Decodes the variant a discriminator selected, keeping the variant's own error message.
pub fn tagged_variant<T, E>(value: serde_json::Value) -> Result<T, E>
where
    T: DeserializeOwned,
    E: de::Error,
{
    T::deserialize(value).map_err(E::custom)
}

/// The error for a discriminator value no variant lists.
pub fn unknown_tag<E: de::Error>(found: &str, expected: &'static [&'static str]) -> E {
    E::unknown_variant(found, expected)
}

fn unexpected(value: &serde_json::Value) -> de::Unexpected<'_> {
    match value {
        serde_json::Value::Null => de::Unexpected::Unit,
        serde_json::Value::Bool(b) => de::Unexpected::Bool(*b),
        serde_json::Value::Number(_) => de::Unexpected::Other("a number"),
        serde_json::Value::String(s) => de::Unexpected::Str(s),
        serde_json::Value::Array(_) => de::Unexpected::Seq,
        serde_json::Value::Object(_) => de::Unexpected::Map,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "deserialize_nullable"
        )]
        name: Option<Option<String>>,
    }

    #[test]
    fn nullable_keeps_absent_null_and_value_apart() {
        let absent: Patch = serde_json::from_value(json!({})).unwrap();
        let null: Patch = serde_json::from_value(json!({"name": null})).unwrap();
        let value: Patch = serde_json::from_value(json!({"name": "a"})).unwrap();
        assert_eq!(absent.name, None);
        assert_eq!(null.name, Some(None));
        assert_eq!(value.name, Some(Some("a".to_owned())));
        assert_eq!(serde_json::to_string(&absent).unwrap(), "{}");
        assert_eq!(serde_json::to_string(&null).unwrap(), r#"{"name":null}"#);
        assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"name":"a"}"#);
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Cat {
        kind: String,
        lives: u8,
    }

    #[derive(Debug, PartialEq)]
    enum Pet {
        Cat(Cat),
    }

    impl<'de> Deserialize<'de> for Pet {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let (tag, value) = read_tagged(deserializer, "kind")?;
            match tag.as_str() {
                "cat" => tagged_variant(value).map(Pet::Cat),
                other => Err(unknown_tag(other, &["cat"])),
            }
        }
    }

    #[test]
    fn tagged_dispatches_on_the_discriminator_and_keeps_it() {
        let pet: Pet = serde_json::from_value(json!({"kind": "cat", "lives": 9})).unwrap();
        assert_eq!(
            pet,
            Pet::Cat(Cat {
                kind: "cat".to_owned(),
                lives: 9
            })
        );
    }

    #[test]
    fn tagged_errors_name_the_problem() {
        let err = |v| serde_json::from_value::<Pet>(v).unwrap_err().to_string();
        assert!(err(json!({"kind": "dog"})).contains("unknown variant `dog`"));
        assert!(err(json!({"lives": 1})).contains("missing field `kind`"));
        assert!(err(json!({"kind": 3})).contains("must be a string"));
        assert!(err(json!([1])).contains("invalid type"));
        assert!(err(json!({"kind": "cat"})).contains("missing field `lives`"));
    }
}
