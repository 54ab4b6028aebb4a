//! [`Client`] and [`ClientBuilder`]: the credentials, base URL, timeouts, retry settings and
//! HTTP connection pool that every call shares, and PPIO's defaults for them (the API key from
//! `PPIO_API_KEY`, sent as `Authorization: Bearer`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Url, redirect};

use crate::auth::{Credential, Credentials};
use crate::error::{Error, InvalidRequest};
use crate::request::Prepared;
use crate::retry::RetryConfig;

/// The host of PPIO's v2 API.
pub const PPIO_BASE_URL: &str = "https://api.ppio.com";
/// The host named by PPIO's older v1 reference pages.
pub const PPINFRA_BASE_URL: &str = "https://api.ppinfra.com";
/// The same API under the Novita AI brand (serves both v1 and v2 paths).
pub const NOVITA_BASE_URL: &str = "https://api.novita.ai";
/// The environment variable the API key is read from when none is given.
pub const API_KEY_ENV: &str = "PPIO_API_KEY";
/// The default overall timeout of one call, covering every attempt and every wait between them.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default time allowed for establishing one connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The `User-Agent` of every request, so PPIO can tell this client's traffic apart.
const USER_AGENT_VALUE: &str = concat!("ppio-rust/", env!("CARGO_PKG_VERSION"));

/// A client for the PPIO API. Cheap to clone: clones share one connection pool and settings.
///
/// Operations are reached through the generated `client.v1()` and `client.v2()` groups; each
/// returns a [`Call`](crate::Call) that can be awaited directly or adjusted first.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// The settings a [`Client`] shares between its clones.
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// The API key (as the default credential) and any credentials for the specs' schemes.
    pub(crate) credentials: Credentials,
    pub(crate) base_url: Option<String>,
    pub(crate) timeout: Duration,
    connect_timeout: Duration,
    pub(crate) retry: RetryConfig,
    custom_http: bool,
    /// Whether requests are checked against the spec's limits before sending.
    pub(crate) validate_requests: bool,
}

impl Client {
    /// A client with default settings and the given API key.
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// A client with default settings and the API key from `PPIO_API_KEY`.
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL override, if one was set; without one each operation goes to the server its
    /// spec names.
    pub fn base_url(&self) -> Option<&str> {
        self.inner.base_url.as_deref()
    }

    /// The overall timeout calls get unless they set their own.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

impl Inner {
    /// Adds the headers every request carries. They are set per request rather than as client
    /// defaults so that a caller's own `reqwest::Client` gets them too. Credentials are added
    /// separately, by the operation's security requirements.
    pub(crate) fn apply_headers(&self, headers: &mut HeaderMap) {
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        headers
            .entry(ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
    }
}

impl Inner {
    /// Adds the credentials the request's security requirements call for.
    pub(crate) fn authorize(&self, prepared: &mut Prepared) -> Result<(), InvalidRequest> {
        prepared.secret_query =
            self.credentials
                .apply(prepared.security, &mut prepared.headers, &mut prepared.url)?;
        Ok(())
    }
}

impl fmt::Debug for Client {
    /// Never shows the API key or any other credential, only their kinds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("credentials", &inner.credentials)
            .field("base_url", &inner.base_url)
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("retry", &inner.retry)
            .field("custom_http_client", &inner.custom_http)
            .finish()
    }
}

/// Configures a [`Client`]. Every setting has a default; only the API key must come from
/// somewhere (the builder or `PPIO_API_KEY`), unless [`without_api_key`](Self::without_api_key)
/// says the client is for operations whose specs declare their own security schemes.
///
/// # Credentials
///
/// PPIO's operations declare no security requirement and are sent the API key as
/// `Authorization: Bearer <key>`. Operations generated from specs that declare
/// `securitySchemes` list the schemes they accept (see each method's "Authentication"
/// section); the client sends the first alternative it has credentials for, taking each
/// scheme's credential from [`credential`](Self::credential) by scheme name, else from the
/// fallback of its kind ([`bearer_token`](Self::bearer_token), [`basic_auth`](Self::basic_auth),
/// [`fallback_credential`](Self::fallback_credential)), else, for token schemes, the API key.
/// When nothing fits, the request is sent without credentials and the server's `401` says so.
pub struct ClientBuilder {
    api_key: Option<String>,
    /// The environment variable read when no key is given; `None` after `without_api_key`.
    api_key_env: Option<&'static str>,
    credentials: Credentials,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryConfig,
    http: Option<reqwest::Client>,
    skip_validation: bool,
}

impl Default for ClientBuilder {
    /// PPIO's defaults: the API key is required and read from `PPIO_API_KEY` when not given.
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            api_key_env: Some(API_KEY_ENV),
            credentials: Credentials::default(),
            base_url: None,
            timeout: None,
            connect_timeout: None,
            retry: RetryConfig::default(),
            http: None,
            skip_validation: false,
        }
    }
}

impl ClientBuilder {
    /// The API key, sent as `Authorization: Bearer <key>` on every operation that declares no
    /// security requirement (all of PPIO's) and for token schemes that have no credential of
    /// their own. Without it, `PPIO_API_KEY` is read.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self.api_key_env = Some(API_KEY_ENV);
        self
    }

    /// Builds a client without an API key: `PPIO_API_KEY` is neither read nor required, and
    /// operations that declare no security requirement are sent without credentials. For
    /// clients of other specs whose operations need only the credentials given with
    /// [`credential`](Self::credential) and its conveniences, or none at all.
    pub fn without_api_key(mut self) -> Self {
        self.api_key = None;
        self.api_key_env = None;
        self
    }

    /// The credential for the security scheme `scheme` (its key under
    /// `components.securitySchemes`, as each operation's docs name it). It replaces an earlier
    /// one for the same scheme and takes precedence over the fallbacks.
    pub fn credential(mut self, scheme: impl Into<String>, credential: Credential) -> Self {
        self.credentials.named.insert(scheme.into(), credential);
        self
    }

    /// A credential for every scheme of its kind that has no credential by name: a bearer token
    /// for HTTP bearer, OAuth 2 and OpenID Connect schemes, a user and password for HTTP basic
    /// ones, an API key for API key schemes (header, query or cookie). One per kind; a later
    /// one replaces an earlier one of the same kind.
    pub fn fallback_credential(mut self, credential: Credential) -> Self {
        self.credentials.add_fallback(credential);
        self
    }

    /// A token for every bearer, OAuth 2 and OpenID Connect scheme without a credential by name:
    /// `fallback_credential(Credential::bearer(token))`.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.fallback_credential(Credential::bearer(token))
    }

    /// A user and password for every HTTP basic scheme without a credential by name:
    /// `fallback_credential(Credential::basic(user, password))`.
    pub fn basic_auth(self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.fallback_credential(Credential::basic(user, password))
    }

    /// Sends every request to this base URL instead of the server in the spec: a brand host
    /// such as [`NOVITA_BASE_URL`], or a proxy. A path prefix is kept, so
    /// `http://127.0.0.1:8080/proxy` turns `/gpus/v2/instances` into
    /// `http://127.0.0.1:8080/proxy/gpus/v2/instances`. The base URL replaces an absolute
    /// server of the spec entirely; a relative one (`/api/v3`) is appended to it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The overall timeout of a call (default 60 s). It covers every attempt and every wait
    /// between attempts, so it bounds how long awaiting a call can take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time allowed for establishing a connection (default 10 s). It configures the HTTP
    /// client this builder creates; a client passed to [`http_client`](Self::http_client) keeps
    /// its own connect timeout, since reqwest cannot change it per request.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How many times a failed attempt may be retried (default 2, so at most 3 attempts).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// Whether requests are checked against the limits their spec states (lengths, ranges,
    /// item counts, patterns) before anything is sent; default on. A broken limit is
    /// [`InvalidRequest::Constraint`](crate::InvalidRequest::Constraint). Turn it off when the
    /// server accepts more than its spec says; [`Call::validate`](crate::Call::validate) does
    /// the same for one call.
    pub fn validate_requests(mut self, enabled: bool) -> Self {
        self.skip_validation = !enabled;
        self
    }

    /// Turns automatic retries on or off (default on). With retries off, calls make one attempt
    /// unless they ask for more with [`Call::max_retries`](crate::Call::max_retries).
    pub fn retries(mut self, enabled: bool) -> Self {
        self.retry.enabled = enabled;
        self
    }

    /// The wait before the first retry and the ceiling of the exponential backoff (defaults
    /// 500 ms and 8 s). Each wait is jittered into the upper half of its nominal value.
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.retry.initial_backoff = initial;
        self.retry.max_backoff = max.max(initial);
        self
    }

    /// The longest `Retry-After` the client sleeps through before retrying (default 60 s). When
    /// the server asks for longer, the error is returned at once with its `retry_after` set.
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.retry.max_retry_after = max;
        self
    }

    /// Uses this HTTP client instead of building one: for custom TLS roots, proxies or a shared
    /// pool. The API key, user agent and this crate's overall timeout and retries still apply
    /// per request; connect timeout and redirects follow the given client's own settings.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client, reading `PPIO_API_KEY` if no key was given (and
    /// [`without_api_key`](Self::without_api_key) was not called).
    pub fn build(self) -> Result<Client, Error> {
        let mut credentials = self.credentials;
        if let Some(env) = self.api_key_env {
            let key = resolve_api_key(self.api_key, || std::env::var(env).ok())?;
            let default = Credential::bearer(key);
            default
                .check()
                .map_err(|_| Error::config(InvalidRequest::ApiKey))?;
            credentials.default = Some(default);
        }
        credentials.check().map_err(Error::config)?;
        let base_url = self
            .base_url
            .as_deref()
            .map(normalize_base_url)
            .transpose()?;
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let custom_http = self.http.is_some();
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(connect_timeout)
                // PPIO does not redirect; a 3xx means a wrong base URL, and following it could
                // turn a POST into a GET or resend the key to another host. Report it instead.
                .redirect(redirect::Policy::none())
                .build()
                .map_err(|error| Error::config(InvalidRequest::HttpClient(error)))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                credentials,
                base_url,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                connect_timeout,
                retry: self.retry,
                custom_http,
                validate_requests: !self.skip_validation,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    /// Never shows a key or credential, only whether one was given and its kind.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("api_key_env", &self.api_key_env)
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http.is_some())
            .field("validate_requests", &!self.skip_validation)
            .finish()
    }
}

/// The explicit key if given, else the one from the environment; surrounding whitespace (a
/// trailing newline from a secrets file, say) is dropped, and an empty key counts as none.
fn resolve_api_key(
    explicit: Option<String>,
    from_env: impl FnOnce() -> Option<String>,
) -> Result<String, Error> {
    explicit
        .or_else(from_env)
        .map(|key| key.trim().to_owned())
        .filter(|key| !key.is_empty())
        .ok_or_else(|| Error::config(InvalidRequest::MissingApiKey))
}

/// Checks a base URL and returns it without a trailing slash, ready to have paths appended.
fn normalize_base_url(raw: &str) -> Result<String, Error> {
    let invalid = |url: &str, problem: &str| {
        Error::config(InvalidRequest::BaseUrl {
            url: url.to_owned(),
            problem: problem.to_owned(),
        })
    };
    let url = Url::parse(raw.trim()).map_err(|error| invalid(raw, &error.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        // The URL shown must not repeat the credentials.
        let mut shown = url.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        return Err(invalid(
            shown.as_str(),
            "it must not carry credentials; give them to the client builder instead",
        ));
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(raw, "the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid(raw, "it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(raw, "it must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk_live_0123456789abcdef";

    #[test]
    fn debug_redacts_the_key() {
        let client = Client::new(KEY).unwrap();
        let text = format!("{client:?} {client:#?}");
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains("0123456789"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
        let builder = Client::builder().api_key(KEY);
        let text = format!("{builder:?}");
        assert!(!text.contains(KEY), "{text}");
    }

    #[test]
    fn authorization_header_is_bearer_and_sensitive() {
        let client = Client::new(format!("  {KEY}\n")).unwrap();
        let mut prepared =
            crate::request::Request::new(reqwest::Method::GET, "https://a.example", "/x")
                .prepare(None, true)
                .unwrap();
        client.inner().apply_headers(&mut prepared.headers);
        client.inner().authorize(&mut prepared).unwrap();
        let headers = prepared.headers;
        let auth = &headers[reqwest::header::AUTHORIZATION];
        assert_eq!(auth, &format!("Bearer {KEY}"));
        assert!(auth.is_sensitive());
        assert!(!format!("{headers:?}").contains(KEY));
        assert_eq!(
            headers[USER_AGENT],
            concat!("ppio-rust/", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(headers[ACCEPT], "application/json");
    }

    #[test]
    fn key_resolution() {
        assert_eq!(
            resolve_api_key(Some("a".into()), || Some("b".into())).unwrap(),
            "a"
        );
        assert_eq!(resolve_api_key(None, || Some(" b ".into())).unwrap(), "b");
        for (explicit, env) in [(None, None), (Some(" "), None), (None, Some(""))] {
            let result = resolve_api_key(explicit.map(str::to_owned), || env.map(str::to_owned));
            assert!(
                matches!(
                    result,
                    Err(Error::InvalidRequest {
                        reason: InvalidRequest::MissingApiKey,
                        ..
                    })
                ),
                "{explicit:?} {env:?}"
            );
        }
    }

    #[test]
    fn key_with_newline_inside_is_refused_without_echo() {
        let error = Client::new("abc\ndef").unwrap_err();
        assert!(matches!(
            error,
            Error::InvalidRequest {
                reason: InvalidRequest::ApiKey,
                ..
            }
        ));
        assert!(!error.to_string().contains("abc"));
        assert!(!format!("{error:?}").contains("abc"));
    }

    #[test]
    fn base_urls() {
        let ok = [
            ("https://api.novita.ai", "https://api.novita.ai"),
            ("https://api.ppio.com/", "https://api.ppio.com"),
            (
                "http://127.0.0.1:8080/proxy/",
                "http://127.0.0.1:8080/proxy",
            ),
            ("HTTP://Example.COM:80/a/b", "http://example.com/a/b"),
        ];
        for (raw, normalized) in ok {
            assert_eq!(normalize_base_url(raw).unwrap(), normalized, "{raw}");
        }
        for raw in [
            "api.ppio.com",
            "ftp://api.ppio.com",
            "https://api.ppio.com/?x=1",
            "https://api.ppio.com/#top",
            "",
        ] {
            assert!(normalize_base_url(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn base_url_credentials_are_refused_and_not_echoed() {
        let error = normalize_base_url("https://user:hunter2@proxy.example").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("credentials"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn builder_settings_reach_the_client() {
        let client = Client::builder()
            .api_key(KEY)
            .base_url(NOVITA_BASE_URL)
            .timeout(Duration::from_secs(5))
            .max_retries(4)
            .retries(false)
            .build()
            .unwrap();
        assert_eq!(client.base_url(), Some(NOVITA_BASE_URL));
        assert_eq!(client.timeout(), Duration::from_secs(5));
        assert_eq!(client.inner().retry.default_retries(), 0);
    }
}
