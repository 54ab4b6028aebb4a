//! Open string enums: the values a spec lists are variants, and any other value is kept in an
//! [`UnknownValue`], which can only hold a value its enum does not list.
//!
//! That guarantee is what makes `==` on an open enum mean "same value on the wire": if callers
//! could write `BillingMode::Unknown("spot")`, it would send the same `"spot"` as
//! `BillingMode::Spot` yet compare unequal to it. So an `UnknownValue<E>` has no public
//! constructor; [`open_enum`] makes one only after `E` itself ([`OpenEnum::from_known`]) has
//! turned the value down.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

/// A generated open enum: how its listed values are recognised and where other values go.
pub trait OpenEnum: Sized {
    /// The variant for a listed value, or `None` for any other.
    fn from_known(value: &str) -> Option<Self>;

    /// The catch-all variant holding a value the enum does not list.
    fn from_unknown(value: UnknownValue<Self>) -> Self;
}

/// Reads a wire value into the open enum `E`: its listed variant, or its catch-all variant
/// holding the value as received.
pub fn open_enum<E: OpenEnum>(value: impl AsRef<str> + Into<String>) -> E {
    match E::from_known(value.as_ref()) {
        Some(known) => known,
        None => E::from_unknown(UnknownValue {
            value: value.into(),
            enum_type: PhantomData,
        }),
    }
}

/// A value the open enum `E` does not list, kept as received (for example from a newer API).
///
/// It cannot be built directly: it comes from decoding a response or from `E::from("…")`, which
/// gives the listed variant for a listed value. So it never stands for a value `E` has a
/// variant for, and two values of `E` are equal exactly when they travel as the same string.
pub struct UnknownValue<E> {
    value: String,
    // `fn() -> E`: the enum is only a label, so it does not affect auto traits or drop checking.
    enum_type: PhantomData<fn() -> E>,
}

impl<E> UnknownValue<E> {
    /// The value as it travels on the wire.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

// The impls below are written out because derives would require `E` itself to implement each
// trait, although only the string is compared, hashed or printed.

impl<E> Clone for UnknownValue<E> {
    fn clone(&self) -> Self {
        UnknownValue {
            value: self.value.clone(),
            enum_type: PhantomData,
        }
    }
}

impl<E> fmt::Debug for UnknownValue<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UnknownValue").field(&self.value).finish()
    }
}

impl<E> fmt::Display for UnknownValue<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<E> PartialEq for UnknownValue<E> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<E> Eq for UnknownValue<E> {}

impl<E> PartialOrd for UnknownValue<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for UnknownValue<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl<E> Hash for UnknownValue<E> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Mode {
        Spot,
        Other(UnknownValue<Mode>),
    }

    impl OpenEnum for Mode {
        fn from_known(value: &str) -> Option<Self> {
            (value == "spot").then_some(Mode::Spot)
        }

        fn from_unknown(value: UnknownValue<Self>) -> Self {
            Mode::Other(value)
        }
    }

    #[test]
    fn a_listed_value_becomes_its_variant() {
        assert_eq!(open_enum::<Mode>("spot"), Mode::Spot);
        assert_eq!(open_enum::<Mode>("spot".to_owned()), Mode::Spot);
    }

    #[test]
    fn any_other_value_is_kept_as_received() {
        let Mode::Other(value) = open_enum::<Mode>("Spot") else {
            panic!("`Spot` is not listed");
        };
        assert_eq!(value.as_str(), "Spot");
        assert_eq!(value.to_string(), "Spot");
        assert_eq!(format!("{value:?}"), r#"UnknownValue("Spot")"#);
        assert_eq!(value.clone(), value);
    }
}
