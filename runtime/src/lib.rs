//! The vendor-neutral runtime of clients generated from OpenAPI documents: request building,
//! authentication from the spec's `securitySchemes`, the send loop with its timeouts and
//! retries, typed errors and response decoding.
//!
//! Generated code calls only [`codegen`], whose contract is versioned by
//! [`codegen::CONTRACT`]. People use the rest: [`Client`] and [`ClientBuilder`] to configure a
//! client, the [`Call`] each generated operation returns, and [`Error`].
//!
//! A client generated for any spec starts from [`Profile::GENERIC`]: no environment variable is
//! read and no credential is required. A vendor crate supplies its own [`Profile`] (user agent,
//! the variable its API key comes from, how its error bodies read, which errors mean "not
//! found").
//!
//! ```no_run
//! # async fn demo() -> Result<(), apiwire::Error> {
//! use std::time::Duration;
//!
//! let client = apiwire::Client::builder()
//!     .base_url("https://api.example.com")
//!     .credential("api_key", apiwire::Credential::api_key("secret"))
//!     .timeout(Duration::from_secs(30))
//!     .attempt_timeout(Duration::from_secs(10))
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! # Timeouts and retries
//!
//! Every call has an overall timeout (default 60 s) that covers every attempt and every wait
//! between attempts, and optionally a timeout per attempt (default none). Failed connects and
//! HTTP 429 are retried for every operation; 502, 503, 504, attempt timeouts and dropped
//! connections only for idempotent ones: GET, HEAD, OPTIONS, TRACE, PUT and DELETE, unless the
//! spec marks the operation otherwise (`x-idempotent`). Other statuses are never retried. A
//! transient failure of a non-idempotent operation is returned with [`Error::not_retried`] set,
//! because the request may have reached the server. At most two retries are made by default,
//! and none once the overall timeout has passed.
//!
//! Calls run on Tokio and need its time driver, which `#[tokio::main]` and `#[tokio::test]`
//! enable.

mod auth;
mod builder;
mod call;
mod client;
mod decode;
mod error;
mod object;
mod open_enum;
mod profile;
mod request;
mod retry;
mod serde_support;
mod validate;

pub mod codegen;

pub use auth::{Credential, Scheme};
pub use call::Call;
pub use client::{Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use decode::Response;
pub use error::{
    ApiError, DecodeError, Error, InvalidRequest, NotRetried, Operation, REQUEST_ID_HEADERS,
};
pub use open_enum::UnknownValue;
pub use profile::{ErrorFields, Profile};

/// The HTTP types users name: statuses, headers, methods and bodies.
pub use bytes::Bytes;
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode, Url};

/// The HTTP client this crate is built on, re-exported so a client passed to
/// [`ClientBuilder::http_client`] is built with exactly this version.
pub use reqwest;

/// The crate README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
