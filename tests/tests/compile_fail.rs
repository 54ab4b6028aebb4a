//! Compile-time guarantees of the generated request types, checked with trybuild: required
//! fields cannot be forgotten, request structs cannot be built with struct literals from outside
//! `ppio` (so adding a field in a later spec is not a breaking change), and the intended way —
//! `new(required…)` plus setters — compiles cleanly under `#![deny(warnings)]`.
//!
//! The expected compiler output lives next to each case in `tests/ui/*.stderr`. After a
//! deliberate change to the generated API, refresh it with
//! `TRYBUILD=overwrite cargo test -p ppio-tests --test compile_fail` and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/missing_required_field.rs");
    cases.compile_fail("ui/struct_literal_is_refused.rs");
    cases.pass("ui/full_request_with_setters.rs");
}
