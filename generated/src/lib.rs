//! A typed async client for the PPIO GPU cloud API (sold internationally as Novita AI).
//!
//! The operations in `v1` and `v2` are generated from PPIO's OpenAPI documents; the runtime
//! around them (client settings, retries, error reporting) is written by hand.
//!
//! ```no_run
//! # async fn demo() -> Result<(), ppio::Error> {
//! use std::time::Duration;
//!
//! // Reads the API key from PPIO_API_KEY; `Client::new(key)` takes it directly.
//! let client = ppio::Client::builder()
//!     .base_url(ppio::NOVITA_BASE_URL)
//!     .timeout(Duration::from_secs(30))
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! # Retries
//!
//! Failed connects and HTTP 429 are retried for every method; 502, 503, 504, timeouts and
//! dropped connections only for idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE). A POST
//! that may have reached the server is never repeated automatically, because PPIO has no
//! idempotency key and a repeat could create (and bill) a second instance. Such errors say so:
//! see [`Error::not_retried`].
//!
//! Calls run on Tokio and need its time driver, which `#[tokio::main]` and `#[tokio::test]`
//! enable.

mod auth;
mod builder;
mod call;
mod client;
mod decode;
mod error;
mod open_enum;
mod request;
mod retry;
mod serde_support;
mod validate;

// Generated code is formatted by the generator (prettyplease); rustfmt leaves it alone so
// `cargo xtask codegen --check` compares exactly what the generator wrote.
#[rustfmt::skip]
mod api;
pub use api::*;

#[doc(hidden)]
pub mod runtime;

pub use auth::{Credential, Scheme};
pub use call::Call;
pub use client::{
    API_KEY_ENV, Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, NOVITA_BASE_URL,
    PPINFRA_BASE_URL, PPIO_BASE_URL,
};
pub use decode::Response;
pub use error::{
    ApiError, DecodeError, Error, InvalidRequest, NotRetried, Operation, REQUEST_ID_HEADERS,
};
pub use open_enum::UnknownValue;

/// The crate README's examples, compiled as doctests so the quickstart cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The repository README's quickstart, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct RepositoryReadmeDoctests;
