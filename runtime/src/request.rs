//! [`Request`]: what generated code builds for one operation — path parameters, query, headers
//! and body — and the encoding rules that keep each piece from changing the meaning of another.
//!
//! Builder methods never fail. The first problem is remembered and reported by `send`, so
//! generated code stays a flat chain of calls and nothing is sent once anything is wrong.

use std::fmt;
use std::sync::RwLock;

use bytes::Bytes;
use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};

use crate::auth::{self, Scheme};
use crate::error::{Error, InvalidRequest, Operation};
use crate::validate::{Checked, Rule, Validate, Validator, Violation};

/// Bytes that stay literal in a path segment or a query component: RFC 3986's unreserved
/// characters. Everything else, including `/ ? # % & = +`, spaces and all non-ASCII bytes, is
/// percent-encoded, so a value can never end a segment, start a query or smuggle in a fragment.
/// What a literal part of a path template must encode to stay itself in a URL path (the WHATWG
/// path percent-encode set; non-ASCII characters are always encoded): `/números` is sent as
/// `/n%C3%BAmeros`.
const LITERAL: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A request being built by a generated operation. All errors are deferred until it is sent.
pub struct Request {
    method: Method,
    server: &'static str,
    template: &'static str,
    /// Filled path parameters, already encoded as single segments.
    path_params: Vec<(&'static str, String)>,
    /// The encoded query string without the leading `?`.
    query: String,
    headers: HeaderMap,
    body: Option<(HeaderValue, Bytes)>,
    /// The security requirements: alternatives, each a set of schemes used together.
    security: &'static [&'static [Scheme]],
    /// The first problem met while building; reported instead of sending.
    error: Option<InvalidRequest>,
    /// The first limit from the spec a value breaks; reported instead of sending unless the
    /// client or the call turned checking off.
    violation: Option<Violation>,
    /// Whether repeating the request is harmless, when the spec says so against its method.
    idempotent: Option<bool>,
}

/// A request checked and ready to go on the wire.
#[derive(Clone)]
pub(crate) struct Prepared {
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
    /// The operation's security requirements, applied by the client.
    pub(crate) security: &'static [&'static [Scheme]],
    /// Query parameters that carry credentials, redacted wherever the URL is shown.
    pub(crate) secret_query: Vec<&'static str>,
}

impl Prepared {
    /// The URL with credential query parameters redacted, for errors and logs.
    pub(crate) fn shown_url(&self) -> Url {
        let mut url = self.url.clone();
        auth::redact_query(&mut url, &self.secret_query);
        url
    }
}

impl fmt::Debug for Prepared {
    /// Header values are hidden by `http` when sensitive; credential query values are redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("url", &self.shown_url().as_str())
            .field("headers", &self.headers)
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .finish_non_exhaustive()
    }
}

impl Request {
    /// Starts a request. `server` is the spec's default server URL (for example
    /// `https://api.example.com`), used unless the client has a base URL override; `template` is the
    /// path template, for example `/v1/things/{thing_id}/label`.
    pub fn new(method: Method, server: &'static str, template: &'static str) -> Self {
        Request {
            method,
            server,
            template,
            path_params: Vec::new(),
            query: String::new(),
            headers: HeaderMap::new(),
            body: None,
            security: &[],
            error: None,
            violation: None,
            idempotent: None,
        }
    }

    /// Marks the operation as idempotent or not whatever its method says (an `x-idempotent`
    /// extension in the spec): retries after a timeout or 502-504 follow this.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// The spec's word on idempotency, if it overrides the method's.
    pub(crate) fn idempotent_override(&self) -> Option<bool> {
        self.idempotent
    }

    /// The operation's security requirements: alternatives in the spec's order, each a set of
    /// schemes used together (an empty set allows anonymous access). The client sends the
    /// first alternative it holds credentials for; see [`ClientBuilder::credential`].
    ///
    /// [`ClientBuilder::credential`]: crate::ClientBuilder::credential
    pub fn security(mut self, requirements: &'static [&'static [Scheme]]) -> Self {
        self.security = requirements;
        self
    }

    /// The operation this request belongs to.
    pub fn operation(&self) -> Operation {
        Operation {
            method: self.method.clone(),
            path: self.template,
        }
    }

    /// Fills `{name}` in the template with `value`, percent-encoded as exactly one path segment.
    ///
    /// An empty value, `.` or `..` is refused: the first would produce `//`, and the other two
    /// are removed by URL normalisation even when percent-encoded, so the request would address
    /// a different resource (`DELETE /things/..` must never become `DELETE /`).
    pub fn path_param(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        let value = value.to_string();
        let refused = match value.as_str() {
            "" => Some(""),
            "." => Some("."),
            ".." => Some(".."),
            _ => None,
        };
        if let Some(value) = refused {
            return self.fail(InvalidRequest::PathParam { name, value });
        }
        if !has_placeholder(self.template, name) {
            let template = self.template;
            return self.fail(InvalidRequest::UnknownPathParam { name, template });
        }
        let encoded = utf8_percent_encode(&value, COMPONENT).to_string();
        self.path_params.push((name, encoded));
        self
    }

    /// Appends `name=value` to the query string, both percent-encoded.
    pub fn query(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query
            .extend(utf8_percent_encode(name, COMPONENT).map(|s| s.to_owned()));
        self.query.push('=');
        self.query
            .extend(utf8_percent_encode(&value.to_string(), COMPONENT).map(|s| s.to_owned()));
        self
    }

    /// Appends `name=value` when `value` is present.
    pub fn query_opt(self, name: &'static str, value: Option<impl fmt::Display>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Appends one `name=value` pair per item (the "exploded" array form: `name=a&name=b`).
    pub fn query_all<I>(self, name: &'static str, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: fmt::Display,
    {
        values
            .into_iter()
            .fold(self, |request, value| request.query(name, value))
    }

    /// Appends one `name=a,b,c` pair for all items (the non-exploded array forms). Each item is
    /// percent-encoded, so a separator inside an item cannot split it; `separator` is written as
    /// given: `,` (form), `%20` (spaceDelimited) or `|` (pipeDelimited). No items, no pair.
    pub fn query_joined<I>(mut self, name: &'static str, separator: &'static str, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: fmt::Display,
    {
        let mut joined = String::new();
        let mut count = 0;
        for value in values {
            if count > 0 {
                joined.push_str(separator);
            }
            joined.extend(utf8_percent_encode(&value.to_string(), COMPONENT).map(|s| s.to_owned()));
            count += 1;
        }
        if count == 0 {
            return self;
        }
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query
            .extend(utf8_percent_encode(name, COMPONENT).map(|s| s.to_owned()));
        self.query.push('=');
        self.query.push_str(&joined);
        self
    }

    /// Sets the `Accept` header, for operations whose responses are not plain
    /// `application/json` (the default every request carries otherwise).
    pub fn accept(mut self, media: &'static str) -> Self {
        match HeaderValue::from_str(media) {
            Ok(value) => {
                self.headers.insert(reqwest::header::ACCEPT, value);
                self
            }
            Err(_) => self.fail(InvalidRequest::HeaderValue { name: "accept" }),
        }
    }

    /// Adds a header. A value with CR, LF or other bytes HTTP forbids is refused, so a value can
    /// never inject a second header or split the request.
    pub fn header(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            return self.fail(InvalidRequest::HeaderName { name });
        };
        let Ok(header_value) = HeaderValue::from_str(&value.to_string()) else {
            return self.fail(InvalidRequest::HeaderValue { name });
        };
        self.headers.append(header_name, header_value);
        self
    }

    /// Adds a header when `value` is present.
    pub fn header_opt(self, name: &'static str, value: Option<impl fmt::Display>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    pub fn json<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        self.json_as("application/json", body)
    }

    /// Sets a JSON body sent with another JSON media type the spec declares, such as
    /// `application/merge-patch+json` or `application/json-patch+json`.
    pub fn json_as<B: serde::Serialize + ?Sized>(
        self,
        content_type: &'static str,
        body: &B,
    ) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body(content_type, bytes.into()),
            Err(error) => self.fail(InvalidRequest::Body {
                format: "JSON",
                source: Box::new(error),
            }),
        }
    }

    /// Sets a form body (`Content-Type: application/x-www-form-urlencoded`).
    pub fn form<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        match serde_html_form::to_string(body) {
            Ok(text) => self.body("application/x-www-form-urlencoded", text.into()),
            Err(error) => self.fail(InvalidRequest::Body {
                format: "form",
                source: Box::new(error),
            }),
        }
    }

    /// Sets a raw body with the given content type.
    pub fn bytes(self, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        self.body(content_type, body.into())
    }

    /// [`json`](Self::json) for an optional body: `None` sends no body and no `Content-Type`.
    pub fn json_opt<B: serde::Serialize + ?Sized>(self, body: Option<&B>) -> Self {
        match body {
            Some(body) => self.json(body),
            None => self,
        }
    }

    /// [`json_as`](Self::json_as) for an optional body: `None` sends no body.
    pub fn json_as_opt<B: serde::Serialize + ?Sized>(
        self,
        content_type: &'static str,
        body: Option<&B>,
    ) -> Self {
        match body {
            Some(body) => self.json_as(content_type, body),
            None => self,
        }
    }

    /// [`form`](Self::form) for an optional body: `None` sends no body.
    pub fn form_opt<B: serde::Serialize + ?Sized>(self, body: Option<&B>) -> Self {
        match body {
            Some(body) => self.form(body),
            None => self,
        }
    }

    /// [`bytes`](Self::bytes) for an optional body: `None` sends no body.
    pub fn bytes_opt(self, content_type: &'static str, body: Option<Bytes>) -> Self {
        match body {
            Some(body) => self.bytes(content_type, body),
            None => self,
        }
    }

    fn body(mut self, content_type: &'static str, bytes: Bytes) -> Self {
        let Ok(value) = HeaderValue::from_str(content_type) else {
            return self.fail(InvalidRequest::HeaderValue {
                name: "content-type",
            });
        };
        self.body = Some((value, bytes));
        self
    }

    /// Checks a body or parameters struct against the limits its spec states.
    pub fn validate<T: Validate + ?Sized>(mut self, value: &T) -> Self {
        if self.violation.is_none() {
            self.violation = Validator::check(value);
        }
        self
    }

    /// Checks one path, query or header parameter against the limits its spec states.
    pub fn validate_param<T: Checked + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        rules: &'static [Rule],
    ) -> Self {
        if self.violation.is_none() {
            self.violation = Validator::check_rules(name, value, rules);
        }
        self
    }

    /// Remembers the first problem; later ones are usually consequences of it.
    fn fail(mut self, reason: InvalidRequest) -> Self {
        self.error.get_or_insert(reason);
        self
    }

    /// Checks the request and builds its URL on its root from `roots` (the client's base URL or
    /// the spec's server). With `validate`, a broken limit from the spec is an error too.
    pub(crate) fn prepare(self, roots: &Roots, validate: bool) -> Result<Prepared, Error> {
        let operation = self.operation();
        let invalid = |reason| Error::InvalidRequest {
            operation: Some(operation.clone()),
            reason,
        };
        if let Some(reason) = self.error {
            return Err(invalid(reason));
        }
        if validate && let Some(violation) = self.violation {
            return Err(invalid(InvalidRequest::Constraint {
                field: violation.field,
                rule: violation.rule.to_string(),
            }));
        }
        let path = fill_template(self.template, &self.path_params).map_err(invalid)?;
        let mut url = roots.get(self.server).map_err(invalid)?;
        // The root's own path (a base URL's prefix, a relative server) comes first; setting the
        // path and query on the parsed root leaves its scheme and host as they were parsed.
        let full_path = format!("{}{path}", url.path().trim_end_matches('/'));
        url.set_path(&full_path);
        if !self.query.is_empty() {
            url.set_query(Some(&self.query));
        }
        // Every parameter is encoded so that URL parsing keeps it as it is; if the parsed path
        // no longer ends with ours, something (a dot segment in the template itself, say) was
        // normalised away and the request would reach a different resource.
        if !url.path().ends_with(&path) {
            return Err(invalid(InvalidRequest::BaseUrl {
                url: roots.root_text(self.server),
                problem: format!("joining it with `{}` changes the path", self.template),
            }));
        }
        let mut headers = self.headers;
        if let Some((content_type, _)) = &self.body {
            if !headers.contains_key(CONTENT_TYPE) {
                headers.insert(CONTENT_TYPE, content_type.clone());
            }
        }
        Ok(Prepared {
            url,
            headers,
            body: self.body.map(|(_, bytes)| bytes),
            security: self.security,
            secret_query: Vec::new(),
        })
    }
}

impl fmt::Debug for Request {
    /// Shows header names only: header values may carry credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("server", &self.server)
            .field("template", &self.template)
            .field("path_params", &self.path_params)
            .field("query", &self.query)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field(
                "body_len",
                &self.body.as_ref().map(|(_, bytes)| bytes.len()),
            )
            .field("security", &self.security)
            .field("error", &self.error)
            .finish()
    }
}

/// The roots requests are built on: the client's base URL combined with each spec server (see
/// [`resolve_root`]), each parsed once, on first use, and cloned for every request after that.
/// A client sees a handful of servers (one per spec file at most), so a short list does.
pub(crate) struct Roots {
    base_url: Option<String>,
    parsed: RwLock<Vec<(&'static str, Url)>>,
}

impl Roots {
    /// Roots for a client with this (normalized) base URL, or none.
    pub(crate) fn new(base_url: Option<&str>) -> Roots {
        Roots {
            base_url: base_url.map(str::to_owned),
            parsed: RwLock::new(Vec::new()),
        }
    }

    /// The client's base URL override.
    pub(crate) fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }

    /// The parsed root for `server`. Failures are not kept: they end the call anyway.
    fn get(&self, server: &'static str) -> Result<Url, InvalidRequest> {
        let cached = |parsed: &[(&'static str, Url)]| {
            parsed
                .iter()
                .find(|(known, _)| *known == server)
                .map(|(_, url)| url.clone())
        };
        if let Some(url) = cached(&self.parsed.read().unwrap_or_else(|e| e.into_inner())) {
            return Ok(url);
        }
        let text = resolve_root(self.base_url(), server)?;
        let url = Url::parse(&text).map_err(|error| InvalidRequest::BaseUrl {
            url: text.clone(),
            problem: error.to_string(),
        })?;
        let mut parsed = self.parsed.write().unwrap_or_else(|e| e.into_inner());
        if cached(&parsed).is_none() {
            parsed.push((server, url.clone()));
        }
        Ok(url)
    }

    /// The root for `server` as text, for errors.
    fn root_text(&self, server: &'static str) -> String {
        resolve_root(self.base_url(), server).unwrap_or_else(|_| server.to_owned())
    }
}

impl fmt::Debug for Roots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.base_url.fmt(f)
    }
}

/// Where requests go: the spec's server and the client's base URL combined.
///
/// - An absolute server (`https://api.example.com`) is used as it is without a base URL; a base URL
///   replaces it entirely, path included (the base URL names the whole prefix).
/// - A relative server (`/api/v3`) is a path under the base URL, so base `http://host:8080`
///   sends `/pet` to `http://host:8080/api/v3/pet`. Without a base URL there is nowhere to go.
/// - No server at all needs a base URL too.
fn resolve_root(base_url: Option<&str>, server: &'static str) -> Result<String, InvalidRequest> {
    let absolute = server.contains("://");
    match base_url {
        Some(base) if !absolute => Ok(format!("{}{server}", base.trim_end_matches('/'))),
        Some(base) => Ok(base.trim_end_matches('/').to_owned()),
        None if absolute => Ok(server.trim_end_matches('/').to_owned()),
        None => Err(InvalidRequest::NoBaseUrl { server }),
    }
}

fn has_placeholder(template: &str, name: &str) -> bool {
    template
        .split('{')
        .skip(1)
        .any(|rest| rest.split_once('}').is_some_and(|(inner, _)| inner == name))
}

/// Replaces every `{name}` in `template` with its encoded value.
fn fill_template(
    template: &'static str,
    params: &[(&'static str, String)],
) -> Result<String, InvalidRequest> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.extend(utf8_percent_encode(&rest[..start], LITERAL));
        let Some((name, after)) = rest[start + 1..].split_once('}') else {
            // An unbalanced brace is literal text; the spec is odd but the path is unambiguous.
            out.extend(utf8_percent_encode(&rest[start..], LITERAL));
            return Ok(out);
        };
        // The last value set for a name wins, like a map insert.
        let Some((_, value)) = params.iter().rev().find(|(param, _)| *param == name) else {
            return Err(InvalidRequest::MissingPathParam {
                name: name.to_owned(),
                template,
            });
        };
        out.push_str(value);
        rest = after;
    }
    out.extend(utf8_percent_encode(rest, LITERAL));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_template_text_is_encoded_where_a_url_needs_it() {
        let prepared = Request::new(Method::POST, "https://api.example.com", "/números/{id}")
            .path_param("id", "a b")
            .prepare(&Roots::new(None), true)
            .unwrap();
        assert_eq!(prepared.url.path(), "/n%C3%BAmeros/a%20b");
    }

    const SERVER: &str = "https://api.example.com";
    const TEMPLATE: &str = "/v1/things/{thing_id}/label";

    fn url_with_id(id: &str) -> String {
        Request::new(Method::PUT, SERVER, TEMPLATE)
            .path_param("thing_id", id)
            .prepare(&Roots::new(None), true)
            .unwrap()
            .url
            .to_string()
    }

    fn refused(request: Request) -> InvalidRequest {
        match request.prepare(&Roots::new(None), true) {
            Err(Error::InvalidRequest { reason, .. }) => reason,
            other => panic!("expected an invalid-request error, got {other:?}"),
        }
    }

    #[test]
    fn relative_and_missing_servers_need_a_base_url() {
        let url = |base: Option<&str>, server: &'static str| {
            Request::new(Method::GET, server, "/pet")
                .prepare(&Roots::new(base), true)
                .map(|p| p.url.to_string())
        };
        assert_eq!(
            url(Some("http://h:1/"), "/api/v3").unwrap(),
            "http://h:1/api/v3/pet"
        );
        assert_eq!(url(Some("http://h:1"), "").unwrap(), "http://h:1/pet");
        assert_eq!(
            url(Some("http://h:1/p"), "https://a.b/v1").unwrap(),
            "http://h:1/p/pet"
        );
        assert_eq!(url(None, "https://a.b/v1").unwrap(), "https://a.b/v1/pet");
        for server in ["/api/v3", ""] {
            match Request::new(Method::GET, server, "/pet").prepare(&Roots::new(None), true) {
                Err(Error::InvalidRequest {
                    reason: InvalidRequest::NoBaseUrl { server: s },
                    ..
                }) => assert_eq!(s, server),
                other => panic!("expected NoBaseUrl, got {other:?}"),
            }
        }
    }

    #[test]
    fn joined_query_lists_encode_items_but_not_the_separator() {
        let url = Request::new(Method::GET, SERVER, "/items")
            .query_joined("ids", ",", ["a", "b,c", "d e"])
            .query_joined("none", ",", Vec::<String>::new())
            .query_joined("one", "|", [""])
            .prepare(&Roots::new(None), true)
            .unwrap()
            .url;
        assert_eq!(url.query(), Some("ids=a,b%2Cc,d%20e&one="));
    }

    #[test]
    fn path_values_stay_one_segment() {
        let cases = [
            ("abc-123_x.y~z", "abc-123_x.y~z"),
            ("a/b", "a%2Fb"),
            ("../admin", "..%2Fadmin"),
            ("a..b", "a..b"),
            ("...", "..."),
            ("a?b=1", "a%3Fb%3D1"),
            ("a#frag", "a%23frag"),
            ("a b", "a%20b"),
            ("100%", "100%25"),
            ("%2e%2e", "%252e%252e"),
            ("物品", "%E7%89%A9%E5%93%81"),
            ("a+b&c", "a%2Bb%26c"),
            ("a\r\nb", "a%0D%0Ab"),
        ];
        for (value, encoded) in cases {
            assert_eq!(
                url_with_id(value),
                format!("https://api.example.com/v1/things/{encoded}/label"),
                "{value:?}"
            );
        }
    }

    #[test]
    fn empty_and_dot_segments_are_refused() {
        for value in ["", ".", ".."] {
            let reason = refused(
                Request::new(Method::DELETE, SERVER, TEMPLATE).path_param("thing_id", value),
            );
            assert!(
                matches!(reason, InvalidRequest::PathParam { name: "thing_id", value: v } if v == value),
                "{value:?}: {reason:?}"
            );
        }
    }

    #[test]
    fn unknown_and_missing_path_params_are_refused() {
        let reason = refused(Request::new(Method::GET, SERVER, TEMPLATE).path_param("id", "x"));
        assert!(matches!(
            reason,
            InvalidRequest::UnknownPathParam { name: "id", .. }
        ));
        let reason = refused(Request::new(Method::GET, SERVER, TEMPLATE));
        assert!(
            matches!(reason, InvalidRequest::MissingPathParam { ref name, .. } if name == "thing_id")
        );
    }

    #[test]
    fn several_path_params() {
        let url = Request::new(Method::GET, SERVER, "/a/{x}/b/{y}")
            .path_param("y", 2)
            .path_param("x", "one")
            .prepare(&Roots::new(None), true)
            .unwrap()
            .url;
        assert_eq!(url.as_str(), "https://api.example.com/a/one/b/2");
    }

    #[test]
    fn query_encoding() {
        let url = Request::new(Method::GET, SERVER, "/v1/things")
            .query("limit", 10)
            .query_opt("cursor", Some("a b&c=d#e"))
            .query_opt("absent", None::<&str>)
            .query_all("status", ["running", "已停止"])
            .prepare(&Roots::new(None), true)
            .unwrap()
            .url;
        assert_eq!(
            url.as_str(),
            "https://api.example.com/v1/things?limit=10&cursor=a%20b%26c%3Dd%23e\
             &status=running&status=%E5%B7%B2%E5%81%9C%E6%AD%A2"
        );
    }

    #[test]
    fn empty_query_all_adds_nothing() {
        let url = Request::new(Method::GET, SERVER, "/x")
            .query_all("id", Vec::<String>::new())
            .prepare(&Roots::new(None), true)
            .unwrap()
            .url;
        assert_eq!(url.as_str(), "https://api.example.com/x");
    }

    #[test]
    fn header_cr_lf_refused() {
        for value in ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\0b", "a\x7fb"] {
            let reason = refused(Request::new(Method::GET, SERVER, "/x").header("x-note", value));
            assert!(
                matches!(reason, InvalidRequest::HeaderValue { name: "x-note" }),
                "{value:?}"
            );
            // The refused value must not leak into the message: it may be a credential.
            assert!(!reason.to_string().contains(value), "{value:?}");
        }
    }

    #[test]
    fn bad_header_name_refused() {
        let reason = refused(Request::new(Method::GET, SERVER, "/x").header("bad name", "v"));
        assert!(matches!(
            reason,
            InvalidRequest::HeaderName { name: "bad name" }
        ));
    }

    #[test]
    fn headers_and_optional_headers() {
        let prepared = Request::new(Method::GET, SERVER, "/x")
            .header("X-Trace", "t1")
            .header_opt("x-absent", None::<&str>)
            .header_opt("x-present", Some(5))
            .prepare(&Roots::new(None), true)
            .unwrap();
        assert_eq!(prepared.headers["x-trace"], "t1");
        assert_eq!(prepared.headers["x-present"], "5");
        assert!(!prepared.headers.contains_key("x-absent"));
    }

    #[test]
    fn first_error_wins() {
        let reason = refused(
            Request::new(Method::GET, SERVER, TEMPLATE)
                .header("x", "\n")
                .path_param("thing_id", ""),
        );
        assert!(matches!(reason, InvalidRequest::HeaderValue { .. }));
    }

    #[test]
    fn json_body() {
        let prepared = Request::new(Method::POST, SERVER, "/x")
            .json(&serde_json::json!({"name": "a"}))
            .prepare(&Roots::new(None), true)
            .unwrap();
        assert_eq!(prepared.headers[CONTENT_TYPE], "application/json");
        assert_eq!(prepared.body.unwrap(), &br#"{"name":"a"}"#[..]);
    }

    #[test]
    fn json_serialization_failure_is_deferred() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(vec![1u8], 1);
        let reason = refused(Request::new(Method::POST, SERVER, "/x").json(&map));
        assert!(matches!(
            reason,
            InvalidRequest::Body { format: "JSON", .. }
        ));
    }

    #[test]
    fn form_and_bytes_bodies() {
        let prepared = Request::new(Method::POST, SERVER, "/x")
            .form(&[("a", "1 2"), ("b", "&")])
            .prepare(&Roots::new(None), true)
            .unwrap();
        assert_eq!(
            prepared.headers[CONTENT_TYPE],
            "application/x-www-form-urlencoded"
        );
        assert_eq!(prepared.body.unwrap(), &b"a=1+2&b=%26"[..]);
        let prepared = Request::new(Method::PUT, SERVER, "/x")
            .bytes("application/octet-stream", vec![0u8, 1, 2])
            .prepare(&Roots::new(None), true)
            .unwrap();
        assert_eq!(prepared.headers[CONTENT_TYPE], "application/octet-stream");
        assert_eq!(prepared.body.unwrap(), &[0u8, 1, 2][..]);
    }

    #[test]
    fn base_url_override_with_prefix() {
        for base in [
            "http://127.0.0.1:8080/proxy",
            "http://127.0.0.1:8080/proxy/",
        ] {
            let url = Request::new(Method::GET, SERVER, TEMPLATE)
                .path_param("thing_id", "t-1")
                .query("q", 1)
                .prepare(&Roots::new(Some(base)), true)
                .unwrap()
                .url;
            assert_eq!(
                url.as_str(),
                "http://127.0.0.1:8080/proxy/v1/things/t-1/label?q=1"
            );
        }
    }

    #[test]
    fn dot_segment_in_template_is_caught() {
        let reason = refused(Request::new(Method::GET, SERVER, "/a/../b"));
        assert!(
            matches!(reason, InvalidRequest::BaseUrl { .. }),
            "{reason:?}"
        );
    }

    #[test]
    fn debug_hides_header_values() {
        let request = Request::new(Method::GET, SERVER, "/x").header("x-api-key", "s3cret-value");
        let text = format!("{request:?}");
        assert!(text.contains("x-api-key"));
        assert!(!text.contains("s3cret-value"), "{text}");
    }
}
