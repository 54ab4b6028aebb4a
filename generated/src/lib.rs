//! A typed async client for the PPIO GPU cloud API (sold internationally as Novita AI).
//!
//! The operations in `v1` and `v2` are generated from PPIO's OpenAPI documents. They run on
//! [`apiwire`], the vendor-neutral runtime (client settings, timeouts, retries, errors); this
//! crate adds PPIO's defaults: its hosts, the `PPIO_API_KEY` variable, its user agent, how its
//! error bodies read, and missing resources reported as HTTP 400.
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
//! # Timeouts and retries
//!
//! A call has an overall timeout (default 60 s) covering every attempt and every wait between
//! attempts, and optionally a per-attempt timeout (default none). Failed connects and HTTP 429
//! are retried for every operation; 502, 503, 504, attempt timeouts and dropped connections
//! only for idempotent ones: GET, HEAD, OPTIONS, TRACE, PUT and DELETE, except
//! `upgrade_instance`, a PUT that restarts the instance. A POST that may have reached the
//! server is never repeated automatically, because PPIO has no idempotency key and a repeat
//! could create (and bill) a second instance. Such errors say so: see [`Error::not_retried`].
//! At most two retries are made by default, and none once the overall timeout has passed.
//!
//! Calls run on Tokio and need its time driver, which `#[tokio::main]` and `#[tokio::test]`
//! enable.

mod client;

// Generated code is formatted by the generator (prettyplease); rustfmt leaves it alone so
// `cargo xtask codegen --check` compares exactly what the generator wrote.
#[rustfmt::skip]
mod api;
pub use api::*;

pub use client::{
    API_KEY_ENV, Client, ClientBuilder, NOVITA_BASE_URL, PPINFRA_BASE_URL, PPIO_BASE_URL, PROFILE,
};

/// The runtime this crate is built on: everything that is not PPIO's.
pub use apiwire;
pub use apiwire::{
    ApiError, Bytes, Call, Credential, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DecodeError,
    Error, HeaderMap, HeaderName, HeaderValue, InvalidRequest, Method, NotRetried, Operation,
    REQUEST_ID_HEADERS, Response, Scheme, StatusCode, UnknownValue,
};

/// The crate README's examples, compiled as doctests so the quickstart cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The repository README's quickstart, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct RepositoryReadmeDoctests;
