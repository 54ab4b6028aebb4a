//! The typestate pieces of generated builders: each required field of a builder is [`Missing`]
//! until its setter turns it into [`Set`], and `build` asks every field for its value through
//! [`Required`], which only [`Set`] implements.
//!
//! Keeping these here means a generated builder is plain data and a few one-line methods; the
//! compile error for a forgotten field comes from the `#[diagnostic::on_unimplemented]` on
//! [`Required`], which names the field through its marker type (the generated `fields::size`
//! for the setter `size`).

/// A required field no setter has been called for yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Missing;

/// A required field whose value has been given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Set<T>(T);

impl<T> Set<T> {
    /// Wraps a field's value.
    pub fn new(value: T) -> Self {
        Set(value)
    }
}

/// A builder field that can finish into a value of type `T`: implemented by [`Set<T>`] only, so
/// `build` does not compile while any required field is [`Missing`]. `Field` is the generated
/// marker type named after the field's setter; it exists only for the error message.
#[diagnostic::on_unimplemented(
    message = "the required field `{Field}` is not set",
    label = "call `.{Field}(…)` before this",
    note = "every required field must be given before `build`"
)]
pub trait Required<Field, T>: sealed::Sealed {
    /// The field's value.
    fn value(self) -> T;
}

impl<Field, T> Required<Field, T> for Set<T> {
    fn value(self) -> T {
        self.0
    }
}

mod sealed {
    /// Keeps [`super::Required`] to the runtime's own states.
    pub trait Sealed {}

    impl<T> Sealed for super::Set<T> {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(non_camel_case_types)]
    struct size;

    fn finish<S: Required<size, i32>>(state: S) -> i32 {
        state.value()
    }

    #[test]
    fn a_set_field_gives_its_value() {
        assert_eq!(finish(Set::new(3)), 3);
    }
}
