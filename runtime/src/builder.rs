//! The typestate pieces of generated builders. A builder keeps the values given so far in a
//! private struct of `Option`s and says in its type which required fields are set: each is
//! [`Missing`] until its setter makes it [`Set`], and `build` requires every one to be
//! [`Required`], which only [`Set`] implements.
//!
//! A setter therefore stores one value and changes one type parameter, whatever the number of
//! fields, and the compile error for a forgotten field comes from the
//! `#[diagnostic::on_unimplemented]` on [`Required`], which names the field through its marker
//! type (the generated `fields::size` for the setter `size`).

/// A required field no setter has been called for yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Missing;

/// A required field whose value has been given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Set;

/// The states of a builder's required fields, as a tuple (`(Set, Missing)`); it holds no
/// data, and is made with `PhantomData`.
pub type States<T> = std::marker::PhantomData<fn() -> T>;

/// The state of a required builder field that lets `build` finish: implemented by [`Set`] only,
/// so `build` does not compile while any required field is [`Missing`]. `Field` is the
/// generated marker type named after the field's setter; it exists only for the error message.
#[diagnostic::on_unimplemented(
    message = "the required field `{Field}` is not set",
    label = "call `.{Field}(…)` before this",
    note = "every required field must be given before `build`"
)]
pub trait Required<Field>: sealed::Sealed {}

impl<Field> Required<Field> for Set {}

/// The value of a required field in `build`. Its state is [`Set`], so its setter stored it:
/// a builder's fields are private and only setters change its state.
pub fn filled<T>(value: Option<T>) -> T {
    match value {
        Some(value) => value,
        None => unreachable!("a builder's state says a required field is set, but it is not"),
    }
}

mod sealed {
    /// Keeps [`super::Required`] to the runtime's own states.
    pub trait Sealed {}

    impl Sealed for super::Set {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(non_camel_case_types)]
    struct size;

    fn finish<S: Required<size>>(_state: S, value: Option<i32>) -> i32 {
        filled(value)
    }

    #[test]
    fn a_set_field_gives_its_value() {
        assert_eq!(finish(Set, Some(3)), 3);
    }
}
