//! The support items generated code calls (and the few serde helpers hand-written types beside
//! it use): a generated module reaches the runtime only through this module, which it imports
//! as `use ::apiwire::codegen;`.
//!
//! This module is the contract between the generator and the runtime. Its version is
//! [`CONTRACT`]; every generated crate checks it at compile time, so a client generated for one
//! contract fails to build, with a message saying so, against a runtime of another. Items are
//! documented where they are defined.
//!
//! | item | generated code uses it for |
//! |---|---|
//! | [`Client`], [`Call`], [`Request`], [`Response`], [`Error`] | one method per operation: build the request, hand it with a decoder to `Call::new` |
//! | [`Method`], [`Bytes`] | the request's method; whole binary bodies |
//! | [`Scheme`] | the security schemes an operation accepts (`Request::security`) |
//! | [`decode_json`], [`decode_bytes`], [`decode_unit`] | decoders of 2xx responses |
//! | [`LenientInt`] (and [`lenient_int`], [`lenient_int_opt`], [`lenient_int_nullable`] for `deserialize_with` in hand-written types) | integers a server sends as strings |
//! | [`deserialize_nullable`] | fields where absent and `null` differ, in hand-written types (generated structs read them through [`Slot`]) |
//! | [`Slot`], [`read_object`], [`read_object_with_extra`], [`write_object`], [`write_object_with_extra`], [`field`], [`present`] (with [`Fill`], [`Extra`], [`Property`]) | the `Deserialize` and `Serialize` impls of generated structs |
//! | [`read_tagged`], [`tagged_variant`], [`unknown_tag`] | discriminator dispatch of tagged unions |
//! | [`Validate`], [`Checked`], [`Rule`], [`Validator`] | the spec's limits, checked before sending |
//! | [`Missing`], [`Set`], [`Required`], [`States`], [`filled`] | typestate builders: `build()` exists once every required field is set |
//! | [`OpenEnum`], [`open_enum`], [`OpenIntEnum`], [`open_int_enum`], [`UnknownValue`] | open string and integer enums whose unknown values cannot alias a known one |

pub use bytes::Bytes;
pub use reqwest::Method;

pub use crate::auth::Scheme;
pub use crate::builder::{Missing, Required, Set, States, filled};
pub use crate::call::Call;
pub use crate::client::Client;
pub use crate::decode::{
    LenientInt, Response, decode_bytes, decode_json, decode_unit, lenient_int,
    lenient_int_nullable, lenient_int_opt,
};
pub use crate::error::Error;
pub use crate::object::{
    Extra, Fill, Property, Slot, field, present, read_object, read_object_with_extra, write_object,
    write_object_with_extra,
};
pub use crate::open_enum::{OpenEnum, OpenIntEnum, UnknownValue, open_enum, open_int_enum};
pub use crate::request::Request;
pub use crate::serde_support::{deserialize_nullable, read_tagged, tagged_variant, unknown_tag};
pub use crate::validate::{Checked, Rule, Validate, Validator};

/// The version of this contract. It changes whenever an item above changes in a way generated
/// code notices; generated code asserts it with [`require_contract`].
pub const CONTRACT: u32 = 1;

/// Fails compilation (in a `const` context) unless generated code and runtime agree on the
/// contract: `const _: () = ::apiwire::codegen::require_contract(1);`.
pub const fn require_contract(generated_for: u32) {
    assert!(
        generated_for == CONTRACT,
        "this code was generated for another apiwire contract version: regenerate it, or use \
         the apiwire version it was generated for"
    );
}
