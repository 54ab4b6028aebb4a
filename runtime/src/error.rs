//! The crate's one error type, [`Error`], and the detail types it carries.
//!
//! Every failure a call can end in is a variant here, so callers match on one enum. `Display` is
//! always a single line meant to be actionable on its own: which operation failed, what the server
//! or the network said, the request id to quote to the vendor's support, and, for non-idempotent requests
//! that may have reached the server, a warning not to repeat them blindly.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use crate::profile::{ErrorFields, Profile};

/// The longest piece of a response body or vendor message that `Display` prints, in characters.
///
/// Bodies can be whole HTML error pages; the full bytes stay available in the error's fields.
const SNIPPET_CHARS: usize = 200;

/// Which operation an error came from: the HTTP method and the path template as written in the
/// spec (for example `PUT /v1/things/{thing_id}/label`).
///
/// The template rather than the filled path is kept so errors group by operation in logs and do
/// not repeat identifiers a caller may consider private.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The HTTP method.
    pub method: Method,
    /// The path template, with `{name}` placeholders left in.
    pub path: &'static str,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// Why a failed request was deliberately not retried even though the failure looked transient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotRetried {
    /// The operation is not idempotent (a POST or PATCH, or an operation its spec marks so) and
    /// the request may already have reached the server, so a repeat could act twice (create a
    /// second resource and bill for it, say). Check whether the first request took effect
    /// before sending it again.
    NotIdempotent,
}

impl fmt::Display for NotRetried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotRetried::NotIdempotent => f.write_str(
                "not retried: the request may already have reached the server and the operation \
                 is not idempotent, so repeating it could act twice; check whether it took effect \
                 before sending it again",
            ),
        }
    }
}

/// A non-success HTTP status from the API, with everything the response said about it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that failed.
    pub operation: Operation,
    /// The HTTP status of the last attempt.
    pub status: StatusCode,
    /// The response headers of the last attempt.
    pub headers: HeaderMap,
    /// The request id from the response headers (see [`REQUEST_ID_HEADERS`]) or, failing that,
    /// from a `request_id`, `requestId` or `trace_id` field of the body.
    pub request_id: Option<String>,
    /// The raw response body.
    pub body: Bytes,
    /// The body's code, numbers rendered as decimal text (some vendors send both `400` and
    /// `"INVALID_ARGUMENT"` there), as the client's [`Profile`] reads error bodies.
    pub code: Option<String>,
    /// The body's symbolic reason (for example `QUOTA_EXCEEDED`); with the generic profile
    /// the `reason` field or the `type` of a nested `error` object.
    pub reason: Option<String>,
    /// The body's human-readable message; with the generic profile `message`, `msg`, `detail`,
    /// or `error` when it is a string.
    pub message: Option<String>,
    /// The wait the server asked for in `Retry-After`, if it sent one that parses.
    pub retry_after: Option<Duration>,
    /// How many attempts were made, including the first.
    pub attempts: u32,
    /// Set when a transient-looking failure was not retried on purpose.
    pub not_retried: Option<NotRetried>,
    /// The client's profile, which judges whether the error means "not found" or "rate
    /// limited" from the fields above whenever asked.
    profile: Profile,
}

impl ApiError {
    /// An error for a non-success response, its fields read by `profile`.
    pub(crate) fn new(
        operation: Operation,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        profile: &Profile,
    ) -> Self {
        let fields: ErrorFields = profile.parse_error_fields(&body);
        ApiError {
            operation,
            status,
            request_id: request_id_from_headers(&headers).or(fields.request_id),
            headers,
            body,
            code: fields.code,
            reason: fields.reason,
            message: fields.message,
            retry_after: None,
            attempts: 1,
            not_retried: None,
            profile: *profile,
        }
    }

    /// Decodes the body as a type, typically the error body an operation's documentation names
    /// for this status (see its "Errors" section).
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The symbolic error name, such as `INVALID_ARGUMENT` or `THING_NOT_FOUND`.
    ///
    /// Vendors put it in `reason` in some bodies and in `code` in others, so this returns the
    /// first of the two that contains a letter (a purely numeric `code` is just the status
    /// again).
    pub fn error_name(&self) -> Option<&str> {
        [self.reason.as_deref(), self.code.as_deref()]
            .into_iter()
            .flatten()
            .find(|text| text.chars().any(|c| c.is_ascii_alphabetic()))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        let name = self.error_name();
        if let Some(name) = name {
            write!(f, " {}", snippet(name.as_bytes()))?;
        }
        match &self.message {
            Some(message) => write!(f, ": {}", snippet(message.as_bytes()))?,
            None if name.is_none() => write!(f, ": {}", body_snippet(&self.body))?,
            None => {}
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; server asked to retry after {} s", wait.as_secs())?;
        }
        if let Some(reason) = self.not_retried {
            write!(f, "; {reason}")?;
        }
        Ok(())
    }
}

/// A 2xx response whose body did not match the type the spec promised.
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation whose response failed to decode.
    pub operation: Operation,
    /// The (successful) HTTP status of the response.
    pub status: StatusCode,
    /// The request id from the response headers, if any.
    pub request_id: Option<String>,
    /// The response headers (the content type, for example, tells an HTML error page from JSON).
    pub headers: HeaderMap,
    /// The raw response body.
    pub body: Bytes,
    /// Where in the document decoding failed, as `data[0].created_at`; `.` for the root.
    pub path: String,
    /// What serde reported at that place.
    pub source: serde_json::Error,
}

impl DecodeError {
    /// The response's `Content-Type`, when it sent a readable one.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: could not decode the HTTP {} response ({}) at `{}`: {}",
            self.operation,
            self.status,
            match self.content_type() {
                Some(media) => format!("content type `{}`", snippet(media.as_bytes())),
                None => "no content type".to_owned(),
            },
            self.path,
            self.source
        )?;
        // The body is left out on purpose: unlike an error body, a success body can hold
        // secrets (a resource's environment variables, say) and Display output ends up in logs.
        // It stays available in the `body` field.
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// A request the client refused to send, or a client it refused to build.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidRequest {
    /// A header value contains CR, LF or another byte HTTP does not allow. The value itself is not
    /// repeated here because header values often hold credentials.
    #[error(
        "header `{name}` has a value HTTP does not allow (CR, LF or another control character)"
    )]
    HeaderValue {
        /// The header's name.
        name: &'static str,
    },
    /// A header given to [`Call::header`](crate::Call::header) cannot be sent. The value is not
    /// repeated: it may be a secret.
    #[error("header `{name}` of this call cannot be sent: {problem}")]
    CallHeader {
        /// The header's name as given.
        name: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A header name is not a valid HTTP token.
    #[error("`{name}` is not a valid HTTP header name")]
    HeaderName {
        /// The rejected name.
        name: &'static str,
    },
    /// A path parameter is empty, `.` or `..`; any of these would make the URL name a different
    /// resource (URL normalisation removes dot segments even when percent-encoded).
    #[error(
        "path parameter `{name}` is {value:?}, which would change which resource the URL names"
    )]
    PathParam {
        /// The parameter's name.
        name: &'static str,
        /// The rejected value (only ever empty, `.` or `..`).
        value: &'static str,
    },
    /// The path template has no `{name}` placeholder for a parameter that was set.
    #[error("path template `{template}` has no `{{{name}}}` placeholder")]
    UnknownPathParam {
        /// The parameter's name.
        name: &'static str,
        /// The template it was meant for.
        template: &'static str,
    },
    /// A `{name}` placeholder in the template was never filled.
    #[error("path parameter `{name}` of `{template}` was not set")]
    MissingPathParam {
        /// The placeholder's name.
        name: String,
        /// The template it appears in.
        template: &'static str,
    },
    /// The request body could not be serialized.
    #[error("could not serialize the request body as {format}: {source}")]
    Body {
        /// `JSON` or `form`.
        format: &'static str,
        /// The serializer's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No usable API key: the key given to the builder is empty (or only whitespace), or the
    /// builder had none and the profile's environment variable is unset or empty.
    #[error("{}", missing_api_key_message(*env))]
    MissingApiKey {
        /// The environment variable the key was read from; `None` when the key was given to
        /// [`ClientBuilder::api_key`](crate::ClientBuilder::api_key).
        env: Option<&'static str>,
    },
    /// The API key contains characters that cannot go in an HTTP header (it is not shown).
    #[error("the API key contains characters that cannot be sent in an HTTP header")]
    ApiKey,
    /// A credential given to the client cannot be sent (it is not shown).
    #[error("the credential for {subject} cannot be used: {problem}")]
    Credential {
        /// Where it was given: a scheme name, or the kind of fallback.
        subject: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The base URL is not an absolute `http`/`https` URL without query, fragment or credentials.
    #[error("invalid base URL `{url}`: {problem}")]
    BaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The operation's spec names no server, or only a relative one (`/api/v3`), and the client
    /// has no base URL to resolve it against.
    #[error("{}", no_base_url_message(server))]
    NoBaseUrl {
        /// The spec's server: empty when there is none, otherwise a path such as `/api/v3`.
        server: &'static str,
    },
    /// A value breaks a limit the spec states (a length, range, item count or pattern), so the
    /// request was not sent. The value is not repeated: it may be a secret. Turn checking off
    /// with `ClientBuilder::validate_requests(false)` or `Call::validate(false)` when the server
    /// accepts more than its spec says.
    #[error("`{field}` breaks the spec's {rule}")]
    Constraint {
        /// The field path, as `owner.name` or `ports[1].port`.
        field: String,
        /// The rule, as `maxLength 255`.
        rule: String,
    },
    /// The underlying HTTP client could not be built (for example the TLS backend failed).
    #[error("could not build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
}

fn missing_api_key_message(env: Option<&str>) -> String {
    match env {
        Some(var) => format!(
            "no API key: pass one to `ClientBuilder::api_key` or set the {var} environment variable"
        ),
        None => "the API key given to `ClientBuilder::api_key` is empty".to_owned(),
    }
}

fn no_base_url_message(server: &str) -> String {
    if server.is_empty() {
        "the spec names no server for this operation: set a base URL with `ClientBuilder::base_url`"
            .to_owned()
    } else {
        format!(
            "the spec's server `{server}` is relative: set a base URL with `ClientBuilder::base_url` (the server path is appended to it)"
        )
    }
}

/// Everything a call can fail with.
///
/// Match on the variant when the difference matters to you, or use the helpers
/// ([`Error::status`], [`Error::is_not_found`], [`Error::not_retried`], ...) when it does not.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// No connection could be made, so nothing was sent. These failures are retried.
    #[error("{operation}: could not connect{}{}: {}", target(source), attempts_note(*attempts), root_cause(source))]
    Connect {
        /// The operation that failed.
        operation: Operation,
        /// How many attempts were made, including the first.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The call ran out of time: its overall timeout (which covers every attempt and every wait
    /// between them) passed, its last attempt ran out of its per-attempt timeout and was not
    /// retried, or the HTTP client's own timeout fired.
    #[error("{operation}: timed out after {} ms{}{}", elapsed.as_millis(), attempts_note(*attempts), not_retried_note(*not_retried))]
    Timeout {
        /// The operation that failed.
        operation: Operation,
        /// How many attempts were made, including the first.
        attempts: u32,
        /// How long the call had been running.
        elapsed: Duration,
        /// Set for POST and PATCH, which may have reached the server before time ran out.
        not_retried: Option<NotRetried>,
        /// The HTTP client's error when it, rather than this crate's deadline, timed out.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// The connection failed after the request started going out, or the response could not be
    /// read (for example the server closed the connection half-way through the body).
    #[error("{operation}: connection failed{}: {}{}", attempts_note(*attempts), root_cause(source), not_retried_note(*not_retried))]
    Transport {
        /// The operation that failed.
        operation: Operation,
        /// How many attempts were made, including the first.
        attempts: u32,
        /// Set for POST and PATCH, which may have reached the server.
        not_retried: Option<NotRetried>,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// A success response whose body did not match the documented type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The request was refused before anything was sent, or the client could not be built.
    #[error("{}{reason}", operation.as_ref().map(|op| format!("{op}: ")).unwrap_or_default())]
    InvalidRequest {
        /// The operation being built, when the problem belongs to one.
        operation: Option<Operation>,
        /// What is wrong.
        #[source]
        reason: InvalidRequest,
    },
}

impl Error {
    /// The API error, when the server answered with a non-success status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The decode error, when a success response did not match the documented type.
    pub fn decode(&self) -> Option<&DecodeError> {
        match self {
            Error::Decode(decode) => Some(decode),
            _ => None,
        }
    }

    /// The operation the error belongs to, when it belongs to one.
    pub fn operation(&self) -> Option<&Operation> {
        match self {
            Error::Api(api) => Some(&api.operation),
            Error::Decode(decode) => Some(&decode.operation),
            Error::Connect { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Transport { operation, .. } => Some(operation),
            Error::InvalidRequest { operation, .. } => operation.as_ref(),
        }
    }

    /// The HTTP status, for errors that got a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            _ => None,
        }
    }

    /// The request id to quote to the vendor's support, when the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id.as_deref(),
            Error::Decode(decode) => decode.request_id.as_deref(),
            _ => None,
        }
    }

    /// The symbolic error name (`INVALID_ARGUMENT`, `THING_NOT_FOUND`, ...); see
    /// [`ApiError::error_name`].
    pub fn error_name(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.error_name(),
            _ => None,
        }
    }

    /// Set when a failure that looked transient was not retried because repeating the request
    /// could have duplicated its effect. Such a request may or may not have taken effect.
    pub fn not_retried(&self) -> Option<NotRetried> {
        match self {
            Error::Api(api) => api.not_retried,
            Error::Timeout { not_retried, .. } | Error::Transport { not_retried, .. } => {
                *not_retried
            }
            _ => None,
        }
    }

    /// True for an API error the client's [`Profile`] calls rate limiting (by default HTTP 429).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::Api(api) if api.profile.judge_rate_limited(api))
    }

    /// True for an API error the client's [`Profile`] calls "not found" (by default HTTP 404;
    /// vendors that report missing resources with another status say so in their profile).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Api(api) if api.profile.judge_not_found(api))
    }

    /// True for HTTP 401 (a missing, wrong or revoked API key).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// True for [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// True for [`Error::Connect`].
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Connect { .. })
    }

    /// An invalid-request error that belongs to no operation (client construction).
    pub(crate) fn config(reason: InvalidRequest) -> Self {
        Error::InvalidRequest {
            operation: None,
            reason,
        }
    }
}

/// Response headers that carry a request id, in the order they are consulted.
///
/// These are the names common gateways and load balancers use, so whichever sits in front of an
/// API is likely covered.
pub const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-trace-id",
    "trace-id",
    "x-correlation-id",
    "x-amzn-requestid",
    "x-amz-request-id",
];

/// The first non-empty request id among [`REQUEST_ID_HEADERS`].
pub(crate) fn request_id_from_headers(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS.iter().find_map(|name| {
        let value = headers.get(*name)?.to_str().ok()?.trim();
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// A body as one printable line of at most [`SNIPPET_CHARS`] characters.
pub(crate) fn body_snippet(body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        return "(empty body)".to_owned();
    }
    snippet(body)
}

/// Text as one printable line: control characters (newlines included) become spaces, runs of
/// spaces collapse, and anything past [`SNIPPET_CHARS`] characters is cut with a note of the
/// full length, so a whole HTML page never ends up in a log line.
pub(crate) fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    let mut count = 0;
    let mut last_space = false;
    for c in text.trim().chars() {
        let c = if c.is_control() { ' ' } else { c };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        if count == SNIPPET_CHARS {
            out.push_str(&format!("… ({} bytes in all)", bytes.len()));
            return out;
        }
        out.push(c);
        count += 1;
    }
    out
}

/// The innermost error in a chain, which for network failures is the one that says what
/// actually happened ("Connection refused"), rather than reqwest's generic outer message.
pub(crate) fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

/// ` to <scheme://host:port>` when the error knows its URL: the first thing to check when a
/// connection is refused is whether the base URL points where it should.
fn target(error: &reqwest::Error) -> String {
    error
        .url()
        .map(|url| format!(" to {}", url.origin().ascii_serialization()))
        .unwrap_or_default()
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

fn not_retried_note(note: Option<NotRetried>) -> String {
    note.map(|note| format!("; {note}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op() -> Operation {
        Operation {
            method: Method::POST,
            path: "/v1/things",
        }
    }

    fn api_with(status: u16, body: &str, profile: &Profile) -> ApiError {
        ApiError::new(
            op(),
            StatusCode::from_u16(status).unwrap(),
            HeaderMap::new(),
            Bytes::from(body.to_owned()),
            profile,
        )
    }

    fn api(status: u16, body: &str) -> ApiError {
        api_with(status, body, &Profile::GENERIC)
    }

    #[test]
    fn parses_message_only() {
        let fields = ErrorFields::common(br#"{"message":"name not allowed"}"#);
        assert_eq!(fields.message.as_deref(), Some("name not allowed"));
        assert_eq!(fields.code, None);
    }

    #[test]
    fn parses_error_string() {
        let fields = ErrorFields::common(br#"{"error":"unauthorized"}"#);
        assert_eq!(fields.message.as_deref(), Some("unauthorized"));
    }

    #[test]
    fn parses_error_string_beside_message_as_reason() {
        let fields = ErrorFields::common(br#"{"error":"CONFLICT","message":"name taken"}"#);
        assert_eq!(fields.reason.as_deref(), Some("CONFLICT"));
        assert_eq!(fields.message.as_deref(), Some("name taken"));
    }

    #[test]
    fn parses_error_object() {
        let fields = ErrorFields::common(
            br#"{"error":{"code":"rate_limited","message":"slow down","type":"RATE_LIMIT_EXCEEDED"}}"#,
        );
        assert_eq!(fields.code.as_deref(), Some("rate_limited"));
        assert_eq!(fields.message.as_deref(), Some("slow down"));
        assert_eq!(fields.reason.as_deref(), Some("RATE_LIMIT_EXCEEDED"));
    }

    #[test]
    fn parses_reason_with_numeric_code() {
        let fields = ErrorFields::common(
            br#"{"code":400,"reason":"QUOTA_EXCEEDED","message":"raise the quota","metadata":{}}"#,
        );
        assert_eq!(fields.code.as_deref(), Some("400"));
        assert_eq!(fields.reason.as_deref(), Some("QUOTA_EXCEEDED"));
        assert_eq!(fields.message.as_deref(), Some("raise the quota"));
    }

    #[test]
    fn parses_string_code() {
        let fields = ErrorFields::common(br#"{"code":"INVALID_ARGUMENT","msg":"bad size"}"#);
        assert_eq!(fields.code.as_deref(), Some("INVALID_ARGUMENT"));
        assert_eq!(fields.message.as_deref(), Some("bad size"));
    }

    #[test]
    fn parses_request_id_from_body() {
        let fields = ErrorFields::common(br#"{"message":"x","request_id":"r-1"}"#);
        assert_eq!(fields.request_id.as_deref(), Some("r-1"));
    }

    #[test]
    fn unexpected_shapes_yield_nothing() {
        for body in [
            "",
            "   ",
            "<html><body>502 Bad Gateway</body></html>",
            "[1,2,3]",
            "\"just a string\"",
            "null",
            "{\"message\": ",
            "{\"message\": 12.5e999}",
            "{\"message\": {\"deep\": true}, \"code\": null, \"error\": [1]}",
        ] {
            let fields = ErrorFields::common(body.as_bytes());
            assert_eq!(fields.reason, None, "{body}");
            assert_eq!(fields.request_id, None, "{body}");
            assert!(fields.message.is_none(), "{body}");
        }
    }

    #[test]
    fn error_name_prefers_symbolic_text() {
        let error = api(400, r#"{"code":400,"reason":"THING_NOT_FOUND"}"#);
        assert_eq!(error.error_name(), Some("THING_NOT_FOUND"));
        let error = api(400, r#"{"code":"INVALID_ARGUMENT"}"#);
        assert_eq!(error.error_name(), Some("INVALID_ARGUMENT"));
        let error = api(400, r#"{"code":400}"#);
        assert_eq!(error.error_name(), None);
    }

    #[test]
    fn not_found_and_rate_limited_follow_the_profile() {
        let generic = Error::Api(Box::new(api(400, r#"{"reason":"THING_NOT_FOUND"}"#)));
        assert!(!generic.is_not_found());
        assert!(Error::Api(Box::new(api(404, ""))).is_not_found());
        assert!(Error::Api(Box::new(api(429, ""))).is_rate_limited());
        assert!(!Error::Api(Box::new(api(400, ""))).is_rate_limited());

        fn by_name(error: &ApiError) -> bool {
            error
                .error_name()
                .is_some_and(|name| name.ends_with("_NOT_FOUND"))
        }
        fn never(_: &ApiError) -> bool {
            false
        }
        let profile = Profile::new("t/1").not_found(by_name).rate_limited(never);
        let vendor = |status, body| Error::Api(Box::new(api_with(status, body, &profile)));
        assert!(vendor(400, r#"{"reason":"THING_NOT_FOUND"}"#).is_not_found());
        assert!(!vendor(400, r#"{"reason":"INVALID_ARGUMENT"}"#).is_not_found());
        assert!(!vendor(429, "").is_rate_limited());

        // The verdict is the profile's judgement of the fields as they are now, so an error
        // whose fields are edited (to merge it with another, say) is judged by its new fields.
        let mut edited = vendor(400, r#"{"reason":"VALIDATOR_PARAM"}"#);
        if let Error::Api(api) = &mut edited {
            api.reason = Some("ENDPOINT_NOT_FOUND".to_owned());
        }
        assert!(edited.is_not_found());
    }

    #[test]
    fn a_profile_reads_its_own_error_fields() {
        fn fields(body: &[u8]) -> ErrorFields {
            let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
            ErrorFields {
                reason: value
                    .get("kind")
                    .and_then(|kind| kind.as_str())
                    .map(str::to_owned),
                ..ErrorFields::default()
            }
        }
        let profile = Profile::new("t/1").error_fields(fields);
        let error = api_with(400, r#"{"kind":"QUOTA","message":"m"}"#, &profile);
        assert_eq!(error.reason.as_deref(), Some("QUOTA"));
        assert_eq!(error.message, None);
    }

    #[test]
    fn display_with_vendor_fields() {
        let mut error = api(
            400,
            r#"{"code":400,"reason":"INVALID_ARGUMENT","message":"size too small"}"#,
        );
        error.request_id = Some("req-42".into());
        assert_eq!(
            Error::Api(Box::new(error)).to_string(),
            "POST /v1/things: HTTP 400 Bad Request INVALID_ARGUMENT: size too small \
             (request id req-42)"
        );
    }

    #[test]
    fn display_falls_back_to_body_and_is_one_line() {
        let html = format!("<html>\n<body>{}</body>\n</html>", "x".repeat(1000));
        let error = Error::Api(Box::new(api(502, &html)));
        let text = error.to_string();
        assert!(!text.contains('\n'), "{text}");
        assert!(text.starts_with("POST /v1/things: HTTP 502 Bad Gateway: <html> <body>xx"));
        assert!(text.contains("bytes in all"), "{text}");
        assert!(text.len() < 400, "{text}");
    }

    #[test]
    fn display_of_empty_body() {
        let text = Error::Api(Box::new(api(500, ""))).to_string();
        assert_eq!(
            text,
            "POST /v1/things: HTTP 500 Internal Server Error: (empty body)"
        );
    }

    #[test]
    fn display_says_why_not_retried() {
        let mut error = api(503, "");
        error.not_retried = Some(NotRetried::NotIdempotent);
        let text = Error::Api(Box::new(error)).to_string();
        assert!(text.contains("not retried"), "{text}");
        assert!(text.contains("not idempotent"), "{text}");
        assert!(text.contains("act twice"), "{text}");
    }

    #[test]
    fn display_mentions_attempts_and_retry_after() {
        let mut error = api(429, r#"{"message":"too many"}"#);
        error.attempts = 3;
        error.retry_after = Some(Duration::from_secs(120));
        let text = error.to_string();
        assert!(text.contains("after 3 attempts"), "{text}");
        assert!(text.contains("retry after 120 s"), "{text}");
    }

    #[test]
    fn snippet_truncates_on_char_boundaries() {
        let long = "é".repeat(500);
        let text = snippet(long.as_bytes());
        assert!(text.starts_with(&"é".repeat(SNIPPET_CHARS)));
        assert!(text.ends_with("(1000 bytes in all)"), "{text}");
    }

    #[test]
    fn request_id_header_order() {
        let mut headers = HeaderMap::new();
        headers.insert("x-amzn-requestid", "amzn".parse().unwrap());
        assert_eq!(request_id_from_headers(&headers).as_deref(), Some("amzn"));
        headers.insert("x-request-id", "primary".parse().unwrap());
        assert_eq!(
            request_id_from_headers(&headers).as_deref(),
            Some("primary")
        );
        headers.insert("x-request-id", " ".parse().unwrap());
        assert_eq!(request_id_from_headers(&headers).as_deref(), Some("amzn"));
    }

    #[test]
    fn invalid_request_display_names_operation() {
        let error = Error::InvalidRequest {
            operation: Some(Operation {
                method: Method::PUT,
                path: "/v1/things/{thing_id}/label",
            }),
            reason: InvalidRequest::PathParam {
                name: "thing_id",
                value: "",
            },
        };
        assert_eq!(
            error.to_string(),
            "PUT /v1/things/{thing_id}/label: path parameter `thing_id` is \"\", \
             which would change which resource the URL names"
        );
        assert_eq!(
            Error::config(InvalidRequest::MissingApiKey {
                env: Some("VENDOR_API_KEY")
            })
            .to_string(),
            "no API key: pass one to `ClientBuilder::api_key` or set the VENDOR_API_KEY \
             environment variable"
        );
    }
}
