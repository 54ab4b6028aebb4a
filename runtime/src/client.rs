//! [`Client`] and [`ClientBuilder`]: the credentials, base URL, timeouts, retry settings and
//! HTTP connection pool that every call shares, starting from the defaults of a [`Profile`].

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Url, redirect};

use crate::auth::{Credential, Credentials};
use crate::error::{Error, InvalidRequest};
use crate::profile::Profile;
use crate::request::{Prepared, Roots};
use crate::retry::RetryConfig;

/// The default overall timeout of one call, covering every attempt and every wait between them.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default time allowed for establishing one connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client for the operations generated from a spec. Cheap to clone: clones share one
/// connection pool and settings.
///
/// Generated operations take a `&Client`; each returns a [`Call`](crate::Call) that owns a
/// clone, so it can be awaited directly, adjusted first, or spawned onto another task.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// The settings a [`Client`] shares between its clones.
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) profile: Profile,
    /// The API key (as the default credential) and any credentials for the specs' schemes.
    pub(crate) credentials: Credentials,
    /// The base URL override and the parsed root of every server seen so far.
    pub(crate) roots: Roots,
    pub(crate) timeout: Duration,
    pub(crate) attempt_timeout: Option<Duration>,
    connect_timeout: Duration,
    pub(crate) retry: RetryConfig,
    custom_http: bool,
    /// Whether requests are checked against the spec's limits before sending.
    pub(crate) validate_requests: bool,
}

impl Client {
    /// A client with the generic profile's defaults and `api_key` as its default credential.
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// Starts configuring a client with the generic profile ([`Profile::GENERIC`]): no
    /// environment variable is read and no credential is required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::with_profile(Profile::GENERIC)
    }

    /// The base URL override, if one was set; without one each operation goes to the server its
    /// spec names.
    pub fn base_url(&self) -> Option<&str> {
        self.inner.roots.base_url()
    }

    /// The overall timeout calls get unless they set their own.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The timeout of each attempt, when one was set.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.inner.attempt_timeout
    }

    /// The profile the client was built from.
    pub fn profile(&self) -> &Profile {
        &self.inner.profile
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
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(self.profile.user_agent()),
        );
        headers
            .entry(ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
    }

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
            .field("profile", &inner.profile)
            .field("credentials", &inner.credentials)
            .field("base_url", &inner.roots)
            .field("timeout", &inner.timeout)
            .field("attempt_timeout", &inner.attempt_timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("retry", &inner.retry)
            .field("custom_http_client", &inner.custom_http)
            .finish()
    }
}

/// Configures a client. Every setting has a default, taken from the [`Profile`] the builder
/// starts from. `C` is the client type [`build`](Self::build) returns: [`Client`] itself, or a
/// vendor crate's wrapper around it (anything `From<Client>`).
///
/// # Credentials
///
/// The API key ([`api_key`](Self::api_key), or the profile's environment variable) is the
/// default credential: it is sent as `Authorization: Bearer <key>` on operations that declare
/// no security requirement, and used by token schemes that have no credential of their own.
/// Operations generated from specs that declare `securitySchemes` list the schemes they accept
/// (see each method's "Authentication" section); the client sends the first alternative it has
/// credentials for, taking each scheme's credential from [`credential`](Self::credential) by
/// scheme name, else from the fallback of its kind ([`bearer_token`](Self::bearer_token),
/// [`basic_auth`](Self::basic_auth), [`fallback_credential`](Self::fallback_credential)), else,
/// for token schemes, the API key. When nothing fits, the request is sent without credentials
/// and the server's `401` says so.
///
/// # Timeouts and retries
///
/// A call has an overall deadline ([`timeout`](Self::timeout), default 60 s) covering every
/// attempt and every wait between attempts, and optionally a deadline per attempt
/// ([`attempt_timeout`](Self::attempt_timeout), default none). Failed connects and HTTP 429 are
/// retried for every operation; 502, 503, 504, attempt timeouts and dropped connections only
/// for idempotent ones (GET, HEAD, OPTIONS, PUT, DELETE, TRACE, unless the spec marks the
/// operation otherwise with `x-idempotent`). At most [`max_retries`](Self::max_retries) retries
/// (default 2) are made, and none once the overall deadline has passed.
pub struct ClientBuilder<C = Client> {
    profile: Profile,
    api_key: ApiKey,
    credentials: Credentials,
    base_url: Option<String>,
    timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryConfig,
    http: Option<reqwest::Client>,
    skip_validation: bool,
    client: PhantomData<fn() -> C>,
}

impl Default for ClientBuilder {
    /// The generic profile's defaults, as [`Client::builder`].
    fn default() -> Self {
        ClientBuilder::with_profile(Profile::GENERIC)
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder starting from `profile`'s defaults. Vendor crates call this from their own
    /// `Client::builder()`.
    pub fn with_profile(profile: Profile) -> Self {
        ClientBuilder {
            profile,
            api_key: ApiKey::FromEnv,
            credentials: Credentials::default(),
            base_url: None,
            timeout: None,
            attempt_timeout: None,
            connect_timeout: None,
            retry: RetryConfig::default(),
            http: None,
            skip_validation: false,
            client: PhantomData,
        }
    }

    /// The API key: the default credential, sent as `Authorization: Bearer <key>` on every
    /// operation that declares no security requirement and for token schemes that have no
    /// credential of their own. Without it, the profile's environment variable is read, if it
    /// names one.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = ApiKey::Given(key.into());
        self
    }

    /// Builds a client without an API key: the profile's environment variable is neither read
    /// nor required, and operations that declare no security requirement are sent without
    /// credentials.
    pub fn without_api_key(mut self) -> Self {
        self.api_key = ApiKey::None;
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

    /// Sends every request to this base URL instead of the server in the spec: another host of
    /// the same API, or a proxy. A path prefix is kept, so `http://127.0.0.1:8080/proxy` turns
    /// `/v1/items` into `http://127.0.0.1:8080/proxy/v1/items`. The base URL replaces an
    /// absolute server of the spec entirely; a relative one (`/api/v3`) is appended to it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The overall timeout of a call (default 60 s). It covers every attempt and every wait
    /// between attempts, so it bounds how long awaiting a call can take. When it passes during
    /// an attempt, the call ends with [`Error::Timeout`](crate::Error::Timeout) and is not
    /// retried. A retry whose wait would not end before it is not made: the call ends at once
    /// with the failure of its last attempt (an [`Error::Api`](crate::Error::Api) for a 503,
    /// say).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The timeout of each attempt (default none: an attempt may use whatever is left of the
    /// overall timeout). An attempt that runs out of it counts as a timed-out attempt: retried
    /// when the operation is idempotent and the overall deadline and retry count allow, and
    /// otherwise returned as [`Error::Timeout`](crate::Error::Timeout).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
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
    /// pool. It must be a client of the reqwest this crate re-exports as
    /// [`apiwire::reqwest`](crate::reqwest) (0.13). The credentials, user agent, timeouts and
    /// retries still apply per request; connect timeout and redirects follow the given
    /// client's own settings.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client. When no key was given (and [`without_api_key`](Self::without_api_key)
    /// was not called) and the profile names an environment variable, the key is read from it
    /// and is required.
    pub fn build(self) -> Result<C, Error> {
        let mut credentials = self.credentials;
        let key = match (self.api_key, self.profile.api_key_env_var()) {
            (ApiKey::Given(key), _) => Some((key, None)),
            (ApiKey::FromEnv, Some(var)) => {
                Some((std::env::var(var).unwrap_or_default(), Some(var)))
            }
            (ApiKey::FromEnv, None) | (ApiKey::None, _) => None,
        };
        if let Some((key, env)) = key {
            let key = resolve_api_key(key, env)?;
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
                // A generated client has no redirects in its spec; a 3xx means a wrong base
                // URL, and following it could turn a POST into a GET or resend a key to another
                // host. Report it instead.
                .redirect(redirect::Policy::none())
                .build()
                .map_err(|error| Error::config(InvalidRequest::HttpClient(error)))?,
        };
        let client = Client {
            inner: Arc::new(Inner {
                http,
                profile: self.profile,
                credentials,
                roots: Roots::new(base_url.as_deref()),
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                attempt_timeout: self.attempt_timeout,
                connect_timeout,
                retry: self.retry,
                custom_http,
                validate_requests: !self.skip_validation,
            }),
        };
        Ok(C::from(client))
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    /// Never shows a key or credential, only whether one was given and its kind.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("profile", &self.profile)
            .field("api_key", &self.api_key)
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http.is_some())
            .field("validate_requests", &!self.skip_validation)
            .finish()
    }
}

/// Where the builder's API key comes from.
enum ApiKey {
    /// The profile's environment variable, if it names one; then a key is required.
    FromEnv,
    /// The key passed to [`ClientBuilder::api_key`].
    Given(String),
    /// No key, and the environment is not read ([`ClientBuilder::without_api_key`]).
    None,
}

impl fmt::Debug for ApiKey {
    /// Never shows the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiKey::FromEnv => "FromEnv",
            ApiKey::Given(_) => "Given(<redacted>)",
            ApiKey::None => "None",
        })
    }
}

/// The key with surrounding whitespace (a trailing newline from a secrets file, say) dropped;
/// an empty key counts as none, which is an error naming where the key came from: `env` when it
/// was read from that variable, `None` when it was given to the builder.
fn resolve_api_key(key: String, env: Option<&'static str>) -> Result<String, Error> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::config(InvalidRequest::MissingApiKey { env }));
    }
    Ok(key.to_owned())
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
                .prepare(&crate::request::Roots::new(None), true)
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
            concat!("apiwire/", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(headers[ACCEPT], "application/json");
    }

    #[test]
    fn key_resolution() {
        assert_eq!(resolve_api_key(" b \n".into(), None).unwrap(), "b");
        for (key, env) in [("", None), (" ", Some("VENDOR_KEY"))] {
            let result = resolve_api_key(key.to_owned(), env);
            assert!(
                matches!(
                    &result,
                    Err(Error::InvalidRequest {
                        reason: InvalidRequest::MissingApiKey { env: named },
                        ..
                    }) if *named == env
                ),
                "{key:?} {env:?}"
            );
        }
        let message = resolve_api_key(String::new(), Some("VENDOR_KEY"))
            .unwrap_err()
            .to_string();
        assert!(message.contains("VENDOR_KEY"), "{message}");
    }

    #[test]
    fn a_generic_client_needs_no_key_and_a_profile_can_require_one() {
        let client = Client::builder().build().unwrap();
        assert!(format!("{client:?}").contains("credentials"));
        // A variable nobody sets, so the test does not depend on the environment.
        let profile = Profile::new("vendor-rust/1").api_key_env("APIWIRE_TEST_UNSET_KEY_VAR");
        let error = ClientBuilder::<Client>::with_profile(profile)
            .build()
            .unwrap_err();
        assert!(
            error.to_string().contains("APIWIRE_TEST_UNSET_KEY_VAR"),
            "{error}"
        );
        ClientBuilder::<Client>::with_profile(profile)
            .without_api_key()
            .build()
            .unwrap();
    }

    /// An empty key given to the builder is named as such; the variable, which was not read,
    /// is not suggested.
    #[test]
    fn an_empty_given_key_does_not_name_the_variable() {
        let profile = Profile::new("vendor-rust/1").api_key_env("APIWIRE_TEST_UNSET_KEY_VAR");
        let error = ClientBuilder::<Client>::with_profile(profile)
            .api_key(" ")
            .build()
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidRequest {
                    reason: InvalidRequest::MissingApiKey { env: None },
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the API key given to `ClientBuilder::api_key` is empty"
        );
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
            ("https://api.example.org", "https://api.example.org"),
            ("https://api.example.com/", "https://api.example.com"),
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
            "api.example.com",
            "ftp://api.example.com",
            "https://api.example.com/?x=1",
            "https://api.example.com/#top",
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

    /// The defaults the README and the builder's docs state.
    #[test]
    fn documented_defaults() {
        let client = Client::builder().build().unwrap();
        assert_eq!(client.timeout(), Duration::from_secs(60));
        assert_eq!(client.attempt_timeout(), None);
        assert_eq!(client.inner().connect_timeout, Duration::from_secs(10));
        let retry = &client.inner().retry;
        assert_eq!(retry.default_retries(), 2);
        assert_eq!(retry.initial_backoff, Duration::from_millis(500));
        assert_eq!(retry.max_backoff, Duration::from_secs(8));
        assert_eq!(retry.max_retry_after, Duration::from_secs(60));
        assert!(client.inner().validate_requests);
    }

    #[test]
    fn builder_settings_reach_the_client() {
        let client = Client::builder()
            .api_key(KEY)
            .base_url("https://api.example.org")
            .timeout(Duration::from_secs(5))
            .max_retries(4)
            .retries(false)
            .build()
            .unwrap();
        assert_eq!(client.base_url(), Some("https://api.example.org"));
        assert_eq!(client.timeout(), Duration::from_secs(5));
        assert_eq!(client.inner().retry.default_retries(), 0);
    }
}
