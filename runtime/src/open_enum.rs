//! Open enums: the values a spec lists are variants, and any other value is kept in an
//! [`UnknownValue`], which can only hold a value its enum does not list. String enums hold a
//! `String`, integer enums an `i64`.
//!
//! That guarantee is what makes `==` on an open enum mean "same value on the wire": if callers
//! could write `Mode::Unknown("fast")`, it would send the same `"fast"` as `Mode::Fast` yet
//! compare unequal to it. So an `UnknownValue` has no public constructor; [`open_enum`] and
//! [`open_int_enum`] make one only after the enum itself (`from_known`) has turned the value
//! down.

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

/// A generated open integer enum: [`OpenEnum`] for `i64` wire values.
pub trait OpenIntEnum: Sized {
    /// The variant for a listed value, or `None` for any other.
    fn from_known(value: i64) -> Option<Self>;

    /// The catch-all variant holding a value the enum does not list.
    fn from_unknown(value: UnknownValue<Self, i64>) -> Self;
}

/// Reads a wire value into the open integer enum `E`: its listed variant, or its catch-all
/// variant holding the value as received.
pub fn open_int_enum<E: OpenIntEnum>(value: i64) -> E {
    match E::from_known(value) {
        Some(known) => known,
        None => E::from_unknown(UnknownValue {
            value,
            enum_type: PhantomData,
        }),
    }
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

/// A value the open enum `E` does not list, kept as received (for example from a newer API):
/// a `String` for string enums, an `i64` for integer enums.
///
/// It cannot be built directly: it comes from decoding a response or from `E::from(…)`, which
/// gives the listed variant for a listed value. So it never stands for a value `E` has a
/// variant for, and two values of `E` are equal exactly when they travel as the same value.
pub struct UnknownValue<E, V = String> {
    value: V,
    // `fn() -> E`: the enum is only a label, so it does not affect auto traits or drop checking.
    enum_type: PhantomData<fn() -> E>,
}

impl<E> UnknownValue<E> {
    /// The value as it travels on the wire.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl<E> UnknownValue<E, i64> {
    /// The value as it travels on the wire.
    pub fn as_i64(&self) -> i64 {
        self.value
    }
}

// The impls below are written out because derives would require `E` itself to implement each
// trait, although only the value is compared, hashed or printed.

impl<E, V: Clone> Clone for UnknownValue<E, V> {
    fn clone(&self) -> Self {
        UnknownValue {
            value: self.value.clone(),
            enum_type: PhantomData,
        }
    }
}

impl<E, V: Copy> Copy for UnknownValue<E, V> {}

impl<E, V: fmt::Debug> fmt::Debug for UnknownValue<E, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UnknownValue").field(&self.value).finish()
    }
}

impl<E, V: fmt::Display> fmt::Display for UnknownValue<E, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<E, V: PartialEq> PartialEq for UnknownValue<E, V> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<E, V: Eq> Eq for UnknownValue<E, V> {}

impl<E, V: Ord> PartialOrd for UnknownValue<E, V> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E, V: Ord> Ord for UnknownValue<E, V> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl<E, V: Hash> Hash for UnknownValue<E, V> {
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

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Level {
        One,
        Other(UnknownValue<Level, i64>),
    }

    impl OpenIntEnum for Level {
        fn from_known(value: i64) -> Option<Self> {
            (value == 1).then_some(Level::One)
        }

        fn from_unknown(value: UnknownValue<Self, i64>) -> Self {
            Level::Other(value)
        }
    }

    #[test]
    fn integer_enums_keep_other_values_and_never_alias_a_listed_one() {
        assert_eq!(open_int_enum::<Level>(1), Level::One);
        let Level::Other(value) = open_int_enum::<Level>(7) else {
            panic!("7 is not listed");
        };
        assert_eq!(value.as_i64(), 7);
        assert_eq!(value.to_string(), "7");
        assert_eq!(format!("{value:?}"), "UnknownValue(7)");
        let copy = value;
        assert_eq!(copy, value);
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
