//! The support items generated code calls, gathered in one place so the generator emits
//! `crate::runtime::...` (or `::ppio::runtime::...` from other crates) and nothing else.
//!
//! This module is hidden from the documentation: it is an interface for generated code, not for
//! people. Everything here is also documented where it is defined.

pub use bytes::Bytes;
pub use reqwest::Method;

pub use crate::auth::Scheme;
pub use crate::builder::{Missing, Required, Set};
pub use crate::call::Call;
pub use crate::client::Client;
pub use crate::decode::{
    LenientInt, Response, decode_bytes, decode_json, decode_unit, lenient_int,
    lenient_int_nullable, lenient_int_opt,
};
pub use crate::error::Error;
pub use crate::open_enum::{OpenEnum, UnknownValue, open_enum};
pub use crate::request::Request;
pub use crate::serde_support::{deserialize_nullable, read_tagged, tagged_variant, unknown_tag};
pub use crate::validate::{Checked, Rule, Validate, Validator};
