//! PPIO's defaults on top of the vendor-neutral runtime: its hosts, the `PPIO_API_KEY` variable,
//! its user agent, and not-found arriving as HTTP 400.

use std::ops::Deref;

use apiwire::{ApiError, Profile, StatusCode};

/// The host of PPIO's v2 API.
pub const PPIO_BASE_URL: &str = "https://api.ppio.com";
/// The host named by PPIO's older v1 reference pages.
pub const PPINFRA_BASE_URL: &str = "https://api.ppinfra.com";
/// The same API under the Novita AI brand (serves both v1 and v2 paths).
pub const NOVITA_BASE_URL: &str = "https://api.novita.ai";
/// The environment variable the API key is read from when none is given.
pub const API_KEY_ENV: &str = "PPIO_API_KEY";

/// PPIO's defaults for the runtime's client: the key is required and read from
/// [`API_KEY_ENV`], the user agent names this crate, and a missing resource is recognised by
/// its error name as well as by HTTP 404. Error bodies (`{"code": 400, "reason":
/// "VALIDATOR_PARAM", "message": "…", "metadata": {}}`) are read by
/// [`ErrorFields::common`](apiwire::ErrorFields::common), which takes exactly those fields.
pub const PROFILE: Profile = Profile::new(concat!("ppio-rust/", env!("CARGO_PKG_VERSION")))
    .api_key_env(API_KEY_ENV)
    .not_found(not_found)
    .rate_limited(rate_limited);

/// Configures a [`Client`]; see [`apiwire::ClientBuilder`] for every setting. Only the API key
/// must come from somewhere: [`api_key`](apiwire::ClientBuilder::api_key) or `PPIO_API_KEY`.
pub type ClientBuilder = apiwire::ClientBuilder<Client>;

/// A client for the PPIO API. Cheap to clone: clones share one connection pool and settings.
///
/// Operations are reached through the generated `client.v1()` and `client.v2()` groups; each
/// returns a [`Call`](crate::Call) that can be awaited directly, adjusted first, or spawned.
/// It dereferences to the runtime's [`apiwire::Client`] for the settings it was built with.
#[derive(Debug, Clone)]
pub struct Client {
    inner: apiwire::Client,
}

impl Client {
    /// A client with PPIO's defaults and the given API key.
    pub fn new(api_key: impl Into<String>) -> Result<Self, crate::Error> {
        Self::builder().api_key(api_key).build()
    }

    /// A client with PPIO's defaults and the API key from `PPIO_API_KEY`.
    pub fn from_env() -> Result<Self, crate::Error> {
        Self::builder().build()
    }

    /// Starts configuring a client from PPIO's defaults ([`PROFILE`]).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::with_profile(PROFILE)
    }
}

impl From<apiwire::Client> for Client {
    fn from(inner: apiwire::Client) -> Self {
        Client { inner }
    }
}

impl From<Client> for apiwire::Client {
    fn from(client: Client) -> Self {
        client.inner
    }
}

impl Deref for Client {
    type Target = apiwire::Client;

    fn deref(&self) -> &apiwire::Client {
        &self.inner
    }
}

impl AsRef<apiwire::Client> for Client {
    fn as_ref(&self) -> &apiwire::Client {
        &self.inner
    }
}

/// PPIO reports missing resources as HTTP 400 with a name such as `INSTANCE_NOT_FOUND`.
fn not_found(error: &ApiError) -> bool {
    error.status == StatusCode::NOT_FOUND
        || error
            .error_name()
            .is_some_and(|name| name.ends_with("_NOT_FOUND") || name == "NOT_FOUND")
}

/// HTTP 429, or PPIO's `RATE_LIMIT_EXCEEDED` under another status.
fn rate_limited(error: &ApiError) -> bool {
    error.status == StatusCode::TOO_MANY_REQUESTS
        || error.error_name() == Some("RATE_LIMIT_EXCEEDED")
}
