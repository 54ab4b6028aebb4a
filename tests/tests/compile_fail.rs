//! Compile-time guarantees of the generated request types, checked with trybuild: required
//! fields cannot be forgotten (and the error names the field), there is no positional
//! constructor, request structs cannot be built with struct literals from outside `ppio` (so
//! adding a field in a later spec is not a breaking change), an open enum's unknown value
//! cannot be made by hand, and the intended way — builders with named fields plus setters —
//! compiles cleanly under `#![deny(warnings)]`.
//!
//! The expected compiler output lives next to each case in `tests/ui/*.stderr`. After a
//! deliberate change to the generated API, refresh it with
//! `TRYBUILD=overwrite cargo test -p ppio-tests --test compile_fail` and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/missing_required_field.rs");
    cases.compile_fail("ui/positional_new_is_gone.rs");
    cases.compile_fail("ui/struct_literal_is_refused.rs");
    cases.compile_fail("ui/unknown_enum_value_is_opaque.rs");
    cases.pass("ui/full_request_with_setters.rs");
}
