//! Authentication: the credentials a client holds, the security schemes a generated operation
//! declares, and the choice between them when a request is sent.
//!
//! Generated code only states requirements ([`Request::security`](crate::Request)): alternatives,
//! each a set of [`Scheme`]s to use together. At send time the first alternative whose schemes
//! all have a credential is applied (headers, query parameters, cookies). An operation that
//! declares nothing, or allows anonymous access and cannot be satisfied, gets the client's
//! default credential if it has one (the vendor's key); otherwise the request goes out without
//! credentials and the server's 401 tells the caller what is missing.
//!
//! Nothing here knows a vendor. Secrets never appear in `Debug` output, are marked sensitive in
//! headers, and a secret query parameter is redacted from the URL of any transport error.

use std::collections::BTreeMap;
use std::fmt;

use percent_encoding::{percent_decode_str, utf8_percent_encode};
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderName, HeaderValue};

use crate::error::InvalidRequest;
use crate::request::COMPONENT;

/// A security scheme an operation's spec names, with everything needed to send its credential.
/// `scheme` is the scheme's key under `components.securitySchemes`, the name
/// [`ClientBuilder::credential`](crate::ClientBuilder::credential) takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scheme {
    /// HTTP `bearer`: `Authorization: Bearer <token>`.
    HttpBearer {
        /// The scheme's name in the spec.
        scheme: &'static str,
    },
    /// HTTP `basic`: `Authorization: Basic <base64(user:password)>`.
    HttpBasic {
        /// The scheme's name in the spec.
        scheme: &'static str,
    },
    /// An API key in the request header `name`.
    ApiKeyHeader {
        /// The scheme's name in the spec.
        scheme: &'static str,
        /// The header.
        name: &'static str,
    },
    /// An API key in the query parameter `name`.
    ApiKeyQuery {
        /// The scheme's name in the spec.
        scheme: &'static str,
        /// The query parameter.
        name: &'static str,
    },
    /// An API key in the cookie `name`.
    ApiKeyCookie {
        /// The scheme's name in the spec.
        scheme: &'static str,
        /// The cookie.
        name: &'static str,
    },
    /// OAuth 2: an access token the caller obtains, sent as `Authorization: Bearer <token>`.
    OAuth2 {
        /// The scheme's name in the spec.
        scheme: &'static str,
    },
    /// OpenID Connect: a token the caller obtains, sent as `Authorization: Bearer <token>`.
    OpenIdConnect {
        /// The scheme's name in the spec.
        scheme: &'static str,
    },
}

/// The kind of secret a scheme takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// A token sent as `Bearer`.
    Token,
    /// A user and password.
    Basic,
    /// An API key sent as it is.
    ApiKey,
}

impl Scheme {
    /// The scheme's name in the spec.
    pub fn name(&self) -> &'static str {
        match *self {
            Scheme::HttpBearer { scheme }
            | Scheme::HttpBasic { scheme }
            | Scheme::ApiKeyHeader { scheme, .. }
            | Scheme::ApiKeyQuery { scheme, .. }
            | Scheme::ApiKeyCookie { scheme, .. }
            | Scheme::OAuth2 { scheme }
            | Scheme::OpenIdConnect { scheme } => scheme,
        }
    }

    fn want(&self) -> Want {
        match self {
            Scheme::HttpBearer { .. } | Scheme::OAuth2 { .. } | Scheme::OpenIdConnect { .. } => {
                Want::Token
            }
            Scheme::HttpBasic { .. } => Want::Basic,
            Scheme::ApiKeyHeader { .. }
            | Scheme::ApiKeyQuery { .. }
            | Scheme::ApiKeyCookie { .. } => Want::ApiKey,
        }
    }
}

/// A secret for a security scheme: a bearer token, a user and password, or an API key.
///
/// Its `Debug` output shows only the kind, never the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential(Secret);

#[derive(Clone, PartialEq, Eq)]
enum Secret {
    Token(String),
    Basic { user: String, password: String },
    ApiKey(String),
}

impl Credential {
    /// A token sent as `Authorization: Bearer <token>` (HTTP bearer, OAuth 2 and OpenID Connect
    /// schemes). Surrounding whitespace, such as a secrets file's trailing newline, is dropped.
    pub fn bearer(token: impl Into<String>) -> Self {
        Credential(Secret::Token(token.into().trim().to_owned()))
    }

    /// A user and password sent as `Authorization: Basic …` (HTTP basic schemes). Both are used
    /// exactly as given.
    pub fn basic(user: impl Into<String>, password: impl Into<String>) -> Self {
        Credential(Secret::Basic {
            user: user.into(),
            password: password.into(),
        })
    }

    /// An API key sent as it is, in the header, query parameter or cookie its scheme names.
    /// Surrounding whitespace is dropped.
    pub fn api_key(key: impl Into<String>) -> Self {
        Credential(Secret::ApiKey(key.into().trim().to_owned()))
    }

    fn want(&self) -> Want {
        match self.0 {
            Secret::Token(_) => Want::Token,
            Secret::Basic { .. } => Want::Basic,
            Secret::ApiKey(_) => Want::ApiKey,
        }
    }

    /// Refuses a credential that could never be sent, without repeating it.
    pub(crate) fn check(&self) -> Result<(), &'static str> {
        match &self.0 {
            Secret::Token(secret) | Secret::ApiKey(secret) => {
                if secret.is_empty() {
                    Err("it is empty")
                } else if HeaderValue::from_str(secret).is_err() {
                    Err("it contains characters that cannot be sent in an HTTP header")
                } else {
                    Ok(())
                }
            }
            // RFC 7617: the user id cannot contain a colon, the first one separates the password.
            Secret::Basic { user, .. } if user.contains(':') => {
                Err("the user name contains `:`, which HTTP basic authentication cannot carry")
            }
            Secret::Basic { .. } => Ok(()),
        }
    }

    /// Whether this credential can serve `scheme` when the caller named the scheme for it: a
    /// single secret (token or API key) serves either kind of single-secret scheme.
    fn serves_named(&self, scheme: &Scheme) -> bool {
        match (self.want(), scheme.want()) {
            (Want::Basic, want) | (want, Want::Basic) => want == Want::Basic,
            _ => true,
        }
    }

    /// The single secret (token or API key); `None` for a user and password.
    fn single(&self) -> Option<&str> {
        match &self.0 {
            Secret::Token(secret) | Secret::ApiKey(secret) => Some(secret),
            Secret::Basic { .. } => None,
        }
    }
}

impl fmt::Debug for Credential {
    /// The kind only: `Credential::Bearer(<redacted>)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.0 {
            Secret::Token(_) => "Bearer",
            Secret::Basic { .. } => "Basic",
            Secret::ApiKey(_) => "ApiKey",
        };
        write!(f, "Credential::{kind}(<redacted>)")
    }
}

/// The credentials a client holds.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Credentials {
    /// Sent as `Authorization: Bearer` when an operation declares no requirement (or allows
    /// anonymous access and nothing else can be satisfied), and the last resort for token
    /// schemes. The vendor's own key, when the vendor's specs declare no security.
    pub(crate) default: Option<Credential>,
    /// Credentials given for a scheme by name.
    pub(crate) named: BTreeMap<String, Credential>,
    /// Credentials for every scheme of their kind that has no credential by name, at most one
    /// per kind.
    pub(crate) fallbacks: Vec<Credential>,
}

impl Credentials {
    /// Adds a credential for every scheme of its kind, replacing an earlier one of that kind.
    pub(crate) fn add_fallback(&mut self, credential: Credential) {
        self.fallbacks.retain(|c| c.want() != credential.want());
        self.fallbacks.push(credential);
    }

    /// Checks every credential; the error names where the bad one was given, never its value.
    pub(crate) fn check(&self) -> Result<(), InvalidRequest> {
        let named = self.named.iter().map(|(n, c)| (format!("scheme `{n}`"), c));
        let fallbacks = self.fallbacks.iter().map(|c| {
            let what = match c.want() {
                Want::Token => "the bearer token for every token scheme",
                Want::Basic => "the basic credentials for every basic scheme",
                Want::ApiKey => "the API key for every API key scheme",
            };
            (what.to_owned(), c)
        });
        for (subject, credential) in named.chain(fallbacks) {
            credential
                .check()
                .map_err(|problem| InvalidRequest::Credential { subject, problem })?;
        }
        Ok(())
    }

    /// The credential for `scheme`: the one named for it, else the fallback of its kind, else,
    /// for a token scheme, the default.
    fn for_scheme(&self, scheme: &Scheme) -> Option<&Credential> {
        if let Some(named) = self.named.get(scheme.name()) {
            return named.serves_named(scheme).then_some(named);
        }
        self.fallbacks
            .iter()
            .find(|c| c.want() == scheme.want())
            .or_else(|| {
                self.default
                    .as_ref()
                    .filter(|_| scheme.want() == Want::Token)
            })
    }

    /// What to send for an operation with these requirements.
    fn choose(&self, security: &'static [&'static [Scheme]]) -> Choice<'_> {
        for requirement in security.iter().filter(|r| !r.is_empty()) {
            let found: Option<Vec<_>> = requirement
                .iter()
                .map(|scheme| self.for_scheme(scheme).map(|c| (scheme, c)))
                .collect();
            if let Some(found) = found {
                return Choice::Schemes(found);
            }
        }
        if security.is_empty() || security.iter().any(|r| r.is_empty()) {
            Choice::Default
        } else {
            Choice::Unsatisfied
        }
    }

    /// Adds the credentials `security` calls for to a prepared request: headers (marked
    /// sensitive), query parameters (whose names are returned, for redaction) or cookies.
    pub(crate) fn apply(
        &self,
        security: &'static [&'static [Scheme]],
        headers: &mut HeaderMap,
        url: &mut Url,
    ) -> Result<Vec<&'static str>, InvalidRequest> {
        let mut secret_query = Vec::new();
        match self.choose(security) {
            Choice::Default => {
                if let Some(secret) = self.default.as_ref().and_then(Credential::single) {
                    headers.insert(AUTHORIZATION, sensitive(&format!("Bearer {secret}"))?);
                }
            }
            Choice::Unsatisfied => {
                let schemes: Vec<String> = security
                    .iter()
                    .map(|r| r.iter().map(Scheme::name).collect::<Vec<_>>().join("+"))
                    .collect();
                tracing::debug!(
                    schemes = %schemes.join(", "),
                    "no credentials for any of the operation's security schemes; sending none",
                );
            }
            Choice::Schemes(found) => {
                for (scheme, credential) in found {
                    if let Some(name) = send(scheme, credential, headers, url)? {
                        secret_query.push(name);
                    }
                }
            }
        }
        Ok(secret_query)
    }
}

impl fmt::Debug for Credentials {
    /// Scheme names and kinds only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("default", &self.default)
            .field("named", &self.named)
            .field("fallbacks", &self.fallbacks)
            .finish()
    }
}

enum Choice<'a> {
    /// The default credential, if any.
    Default,
    /// These schemes with these credentials.
    Schemes(Vec<(&'static Scheme, &'a Credential)>),
    /// Nothing fits: send no credentials.
    Unsatisfied,
}

/// Puts one credential where its scheme says; returns the query parameter's name when it went
/// into the URL.
fn send(
    scheme: &Scheme,
    credential: &Credential,
    headers: &mut HeaderMap,
    url: &mut Url,
) -> Result<Option<&'static str>, InvalidRequest> {
    let secret = credential.single().unwrap_or_default();
    match *scheme {
        Scheme::HttpBearer { .. } | Scheme::OAuth2 { .. } | Scheme::OpenIdConnect { .. } => {
            headers.insert(AUTHORIZATION, sensitive(&format!("Bearer {secret}"))?);
        }
        Scheme::HttpBasic { .. } => {
            let Secret::Basic { user, password } = &credential.0 else {
                return Ok(None);
            };
            let encoded = base64(format!("{user}:{password}").as_bytes());
            headers.insert(AUTHORIZATION, sensitive(&format!("Basic {encoded}"))?);
        }
        Scheme::ApiKeyHeader { name, .. } => {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| InvalidRequest::HeaderName { name })?;
            headers.insert(header, sensitive(secret)?);
        }
        Scheme::ApiKeyQuery { name, .. } => {
            let mut query = url.query().unwrap_or_default().to_owned();
            if !query.is_empty() {
                query.push('&');
            }
            query.extend(utf8_percent_encode(name, COMPONENT));
            query.push('=');
            query.extend(utf8_percent_encode(secret, COMPONENT));
            url.set_query(Some(&query));
            return Ok(Some(name));
        }
        Scheme::ApiKeyCookie { name, .. } => {
            if !secret.bytes().all(is_cookie_octet) || !name.bytes().all(is_token_byte) {
                return Err(InvalidRequest::Credential {
                    subject: format!("scheme `{}`", scheme.name()),
                    problem: "it contains characters a cookie cannot carry",
                });
            }
            let pair = format!("{name}={secret}");
            let cookie = match headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                Some(existing) if !existing.is_empty() => format!("{existing}; {pair}"),
                _ => pair,
            };
            headers.insert(COOKIE, sensitive(&cookie)?);
        }
    }
    Ok(None)
}

/// A header value marked sensitive, so the `http` crate's own `Debug` hides it too. Checked
/// credentials always fit; the error does not repeat the value.
fn sensitive(value: &str) -> Result<HeaderValue, InvalidRequest> {
    let mut value = HeaderValue::from_str(value).map_err(|_| InvalidRequest::HeaderValue {
        name: "authorization",
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// RFC 6265 `cookie-octet`: printable ASCII except space, `"`, `,`, `;` and `\`.
fn is_cookie_octet(byte: u8) -> bool {
    matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// An HTTP token character (RFC 9110), which a cookie name must consist of.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// Replaces the values of the query parameters `names` with `REDACTED`, so a URL shown in an
/// error or log does not carry an API key.
pub(crate) fn redact_query(url: &mut Url, names: &[&str]) {
    let Some(query) = url.query() else {
        return;
    };
    if names.is_empty() {
        return;
    }
    let redacted: Vec<String> = query
        .split('&')
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            let decoded = percent_decode_str(name).decode_utf8_lossy();
            if names.contains(&decoded.as_ref()) {
                format!("{name}=REDACTED")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    url.set_query(Some(&redacted.join("&")));
}

/// Standard base64 with padding (RFC 4648 §4), for HTTP basic credentials.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let bytes = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEARER: Scheme = Scheme::HttpBearer { scheme: "bearer" };
    const BASIC: Scheme = Scheme::HttpBasic { scheme: "basic" };
    const HEADER_KEY: Scheme = Scheme::ApiKeyHeader {
        scheme: "header_key",
        name: "X-Api-Key",
    };
    const QUERY_KEY: Scheme = Scheme::ApiKeyQuery {
        scheme: "query_key",
        name: "api_key",
    };
    const COOKIE_KEY: Scheme = Scheme::ApiKeyCookie {
        scheme: "cookie_key",
        name: "session",
    };
    const OAUTH: Scheme = Scheme::OAuth2 { scheme: "oauth" };

    fn named(pairs: &[(&str, Credential)]) -> Credentials {
        Credentials {
            named: pairs
                .iter()
                .map(|(n, c)| ((*n).to_owned(), c.clone()))
                .collect(),
            ..Credentials::default()
        }
    }

    fn sent(
        credentials: &Credentials,
        security: &'static [&'static [Scheme]],
    ) -> (HeaderMap, Url, Vec<&'static str>) {
        let mut headers = HeaderMap::new();
        let mut url = Url::parse("https://h.example/p?x=1").unwrap();
        let secret = credentials.apply(security, &mut headers, &mut url).unwrap();
        (headers, url, secret)
    }

    #[test]
    fn base64_matches_rfc_4648() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
            ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ];
        for (input, output) in cases {
            assert_eq!(base64(input.as_bytes()), output, "{input:?}");
        }
        assert_eq!(base64(&[0xff, 0xfe]), "//4=");
    }

    #[test]
    fn each_kind_goes_where_its_scheme_says() {
        let credentials = named(&[
            ("bearer", Credential::bearer("tok")),
            ("basic", Credential::basic("user", "pa:ss")),
            ("header_key", Credential::api_key("hk")),
            ("query_key", Credential::api_key("q k&")),
            ("cookie_key", Credential::api_key("ck")),
        ]);
        let (headers, _, _) = sent(&credentials, &[&[BEARER]]);
        assert_eq!(headers[AUTHORIZATION], "Bearer tok");
        assert!(headers[AUTHORIZATION].is_sensitive());
        let (headers, _, _) = sent(&credentials, &[&[BASIC]]);
        assert_eq!(
            headers[AUTHORIZATION],
            format!("Basic {}", base64(b"user:pa:ss"))
        );
        let (headers, _, _) = sent(&credentials, &[&[HEADER_KEY]]);
        assert_eq!(headers["x-api-key"], "hk");
        assert!(headers["x-api-key"].is_sensitive());
        let (headers, url, secret) = sent(&credentials, &[&[QUERY_KEY]]);
        assert!(headers.is_empty());
        assert_eq!(url.query(), Some("x=1&api_key=q%20k%26"));
        assert_eq!(secret, ["api_key"]);
        let (headers, _, _) = sent(&credentials, &[&[COOKIE_KEY, HEADER_KEY]]);
        assert_eq!(headers[COOKIE], "session=ck");
        assert_eq!(headers["x-api-key"], "hk");
    }

    #[test]
    fn first_satisfiable_alternative_wins() {
        let credentials = named(&[("header_key", Credential::api_key("hk"))]);
        // `bearer` has no credential, so the second alternative is used.
        let (headers, _, _) = sent(&credentials, &[&[BEARER, HEADER_KEY], &[HEADER_KEY]]);
        assert!(!headers.contains_key(AUTHORIZATION));
        assert_eq!(headers["x-api-key"], "hk");
        // Nothing fits: nothing is sent.
        let (headers, url, _) = sent(&credentials, &[&[BEARER], &[BASIC]]);
        assert!(headers.is_empty());
        assert_eq!(url.query(), Some("x=1"));
    }

    #[test]
    fn credentials_beat_anonymous_access() {
        let credentials = named(&[("header_key", Credential::api_key("hk"))]);
        let (headers, _, _) = sent(&credentials, &[&[], &[HEADER_KEY]]);
        assert_eq!(headers["x-api-key"], "hk");
    }

    #[test]
    fn default_credential_only_without_requirements() {
        let credentials = Credentials {
            default: Some(Credential::bearer("vendor")),
            ..Credentials::default()
        };
        const NONE: &[&[Scheme]] = &[];
        const ANONYMOUS_OR_KEY: &[&[Scheme]] = &[&[], &[HEADER_KEY]];
        for security in [NONE, ANONYMOUS_OR_KEY] {
            let (headers, _, _) = sent(&credentials, security);
            assert_eq!(headers[AUTHORIZATION], "Bearer vendor", "{security:?}");
        }
        // A token scheme without its own credential takes the default too.
        let (headers, _, _) = sent(&credentials, &[&[OAUTH]]);
        assert_eq!(headers[AUTHORIZATION], "Bearer vendor");
        // An API key scheme does not: the vendor key never goes into another scheme's header.
        let (headers, _, _) = sent(&credentials, &[&[HEADER_KEY]]);
        assert!(headers.is_empty());
    }

    #[test]
    fn fallbacks_serve_their_kind_and_names_win() {
        let mut credentials = named(&[("oauth", Credential::bearer("named"))]);
        credentials.add_fallback(Credential::bearer("any-token"));
        credentials.add_fallback(Credential::api_key("any-key"));
        credentials.add_fallback(Credential::api_key("any-key-2"));
        assert_eq!(credentials.fallbacks.len(), 2);
        let (headers, _, _) = sent(&credentials, &[&[OAUTH]]);
        assert_eq!(headers[AUTHORIZATION], "Bearer named");
        let (headers, _, _) = sent(&credentials, &[&[BEARER]]);
        assert_eq!(headers[AUTHORIZATION], "Bearer any-token");
        let (headers, _, _) = sent(&credentials, &[&[HEADER_KEY]]);
        assert_eq!(headers["x-api-key"], "any-key-2");
        // No basic credential anywhere.
        let (headers, _, _) = sent(&credentials, &[&[BASIC]]);
        assert!(headers.is_empty());
    }

    #[test]
    fn named_credentials_of_the_wrong_kind_do_not_serve() {
        // A token named for an API key scheme is the key; basic needs a user and password.
        let credentials = named(&[
            ("header_key", Credential::bearer("t")),
            ("basic", Credential::api_key("k")),
            ("bearer", Credential::basic("u", "p")),
        ]);
        let (headers, _, _) = sent(&credentials, &[&[HEADER_KEY]]);
        assert_eq!(headers["x-api-key"], "t");
        let (headers, _, _) = sent(&credentials, &[&[BASIC], &[BEARER]]);
        assert!(headers.is_empty());
    }

    #[test]
    fn cookies_join_and_refuse_unsafe_values() {
        let credentials = named(&[("cookie_key", Credential::api_key("a;b"))]);
        let mut headers = HeaderMap::new();
        let mut url = Url::parse("https://h.example/").unwrap();
        let error = credentials
            .apply(&[&[COOKIE_KEY]], &mut headers, &mut url)
            .unwrap_err();
        assert!(!error.to_string().contains("a;b"), "{error}");
        let credentials = named(&[("cookie_key", Credential::api_key("v"))]);
        headers.insert(COOKIE, HeaderValue::from_static("theme=dark"));
        credentials
            .apply(&[&[COOKIE_KEY]], &mut headers, &mut url)
            .unwrap();
        assert_eq!(headers[COOKIE], "theme=dark; session=v");
    }

    #[test]
    fn checks_refuse_without_echo() {
        let cases = [
            Credential::bearer("  "),
            Credential::api_key("se\ncret"),
            Credential::basic("us:er", "secret"),
        ];
        for credential in cases {
            let credentials = named(&[("s", credential.clone())]);
            let error = credentials.check().unwrap_err();
            let text = format!("{error} {error:?}");
            assert!(text.contains("scheme `s`"), "{text}");
            assert!(!text.contains("cret"), "{text}");
        }
        assert!(Credential::basic("user", "").check().is_ok());
    }

    #[test]
    fn debug_shows_kinds_only() {
        let mut credentials = named(&[("basic", Credential::basic("alice", "hunter2"))]);
        credentials.default = Some(Credential::bearer("sk_live_123"));
        credentials.add_fallback(Credential::api_key("key-456"));
        let text = format!("{credentials:?} {credentials:#?}");
        for secret in ["alice", "hunter2", "sk_live_123", "key-456"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains("Credential::Basic(<redacted>)"), "{text}");
    }

    #[test]
    fn query_secrets_are_redacted() {
        let mut url =
            Url::parse("https://h.example/p?x=1&api%5Fkey=s3cret&api_key=again&y").unwrap();
        redact_query(&mut url, &["api_key"]);
        assert_eq!(
            url.as_str(),
            "https://h.example/p?x=1&api%5Fkey=REDACTED&api_key=REDACTED&y"
        );
    }
}
