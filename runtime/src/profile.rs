//! [`Profile`]: the defaults a vendor crate sets once for every client it builds, so that the
//! runtime itself stays free of any vendor's names, variables and habits.

use std::fmt;

use serde_json::{Map, Value};

use crate::error::ApiError;

/// A vendor's defaults: the `User-Agent`, where the API key comes from, how error bodies are
/// read and which errors mean "not found" or "rate limited".
///
/// [`Profile::GENERIC`] is what a client generated for any spec gets: no environment variable,
/// no required key, the common error-body fields, 404 and 429. A vendor crate builds its own
/// with [`Profile::new`] and the `const` setters, and starts its builders from it with
/// [`ClientBuilder::with_profile`](crate::ClientBuilder::with_profile):
///
/// ```
/// use apiwire::{ApiError, Profile};
///
/// fn not_found(error: &ApiError) -> bool {
///     error.status == apiwire::StatusCode::NOT_FOUND
///         || error.reason.as_deref() == Some("NO_SUCH_THING")
/// }
///
/// const VENDOR: Profile = Profile::new("vendor-rust/1.0")
///     .api_key_env("VENDOR_API_KEY")
///     .not_found(not_found);
/// # let _ = VENDOR;
/// ```
#[derive(Clone, Copy)]
pub struct Profile {
    user_agent: &'static str,
    api_key_env: Option<&'static str>,
    error_fields: fn(&[u8]) -> ErrorFields,
    not_found: fn(&ApiError) -> bool,
    rate_limited: fn(&ApiError) -> bool,
}

impl Profile {
    /// The defaults of a client generated for any spec.
    pub const GENERIC: Profile = Profile::new(concat!("apiwire/", env!("CARGO_PKG_VERSION")));

    /// A profile with this `User-Agent` and otherwise the generic defaults.
    pub const fn new(user_agent: &'static str) -> Self {
        Profile {
            user_agent,
            api_key_env: None,
            error_fields: ErrorFields::common,
            not_found: status_is_not_found,
            rate_limited: status_is_rate_limited,
        }
    }

    /// The environment variable the API key is read from when the builder is given none. With
    /// one set, building a client without a key fails (unless the builder says
    /// `without_api_key`), naming the variable.
    pub const fn api_key_env(mut self, var: &'static str) -> Self {
        self.api_key_env = Some(var);
        self
    }

    /// How the fields of an error body are found (default [`ErrorFields::common`]). The parser
    /// must not fail: a body it does not understand yields no fields.
    pub const fn error_fields(mut self, parse: fn(&[u8]) -> ErrorFields) -> Self {
        self.error_fields = parse;
        self
    }

    /// Which API errors [`Error::is_not_found`](crate::Error::is_not_found) reports (default:
    /// HTTP 404), for vendors that say "not found" with another status.
    pub const fn not_found(mut self, judge: fn(&ApiError) -> bool) -> Self {
        self.not_found = judge;
        self
    }

    /// Which API errors [`Error::is_rate_limited`](crate::Error::is_rate_limited) reports
    /// (default: HTTP 429).
    pub const fn rate_limited(mut self, judge: fn(&ApiError) -> bool) -> Self {
        self.rate_limited = judge;
        self
    }

    /// The `User-Agent` every request carries.
    pub fn user_agent(&self) -> &'static str {
        self.user_agent
    }

    /// The environment variable the API key is read from, if any.
    pub fn api_key_env_var(&self) -> Option<&'static str> {
        self.api_key_env
    }

    pub(crate) fn parse_error_fields(&self, body: &[u8]) -> ErrorFields {
        (self.error_fields)(body)
    }

    pub(crate) fn judge_not_found(&self, error: &ApiError) -> bool {
        (self.not_found)(error)
    }

    pub(crate) fn judge_rate_limited(&self, error: &ApiError) -> bool {
        (self.rate_limited)(error)
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("user_agent", &self.user_agent)
            .field("api_key_env", &self.api_key_env)
            .finish_non_exhaustive()
    }
}

fn status_is_not_found(error: &ApiError) -> bool {
    error.status == reqwest::StatusCode::NOT_FOUND
}

fn status_is_rate_limited(error: &ApiError) -> bool {
    error.status == reqwest::StatusCode::TOO_MANY_REQUESTS
}

/// The fields an error body names, as a [`Profile`]'s parser finds them; they end up in
/// [`ApiError`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ErrorFields {
    /// A code: symbolic or numeric, numbers rendered in decimal.
    pub code: Option<String>,
    /// A symbolic reason such as `QUOTA_EXCEEDED`.
    pub reason: Option<String>,
    /// A human-readable message.
    pub message: Option<String>,
    /// A request id the body carries.
    pub request_id: Option<String>,
}

impl ErrorFields {
    /// Reads the fields common error bodies use: `code`/`error_code`/`errorCode`, `reason`,
    /// `message`/`msg`/`error_message`/`detail`/`error_description`, `request_id`/`requestId`/
    /// `trace_id`, a string `error` (the message, or the reason when a message is present) and
    /// an `error` object one level down (its `type` as the reason). Never fails: HTML, empty
    /// bodies, arrays and unknown shapes simply yield no fields, because an error report must
    /// not itself fail.
    pub fn common(body: &[u8]) -> Self {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Self::from_object(&map, true),
            _ => Self::default(),
        }
    }

    /// The first of `keys` present in `object` as a non-empty string or a number, as text.
    pub fn pick(object: &Map<String, Value>, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| object.get(*key).and_then(text))
    }

    fn from_object(map: &Map<String, Value>, outer: bool) -> Self {
        let mut fields = ErrorFields {
            code: Self::pick(map, &["code", "error_code", "errorCode"]),
            reason: Self::pick(map, &["reason"]),
            message: Self::pick(
                map,
                &[
                    "message",
                    "msg",
                    "error_message",
                    "detail",
                    "error_description",
                ],
            ),
            request_id: Self::pick(map, &["request_id", "requestId", "trace_id"]),
        };
        match map.get("error") {
            // A string `error` is usually the message; when a message is already present it is
            // more likely a symbolic name.
            Some(Value::String(error)) if !error.trim().is_empty() => {
                if fields.message.is_none() {
                    fields.message = Some(error.trim().to_owned());
                } else if fields.reason.is_none() {
                    fields.reason = Some(error.trim().to_owned());
                }
            }
            // Nested objects are only followed one level down so a hostile body cannot make
            // error reporting recurse.
            Some(Value::Object(inner)) if outer => {
                let nested = Self::from_object(inner, false);
                let kind = inner.get("type").and_then(text);
                fields.code = fields.code.or(nested.code);
                fields.reason = fields.reason.or(nested.reason).or(kind);
                fields.message = fields.message.or(nested.message);
                fields.request_id = fields.request_id.or(nested.request_id);
            }
            _ => {}
        }
        fields
    }
}

/// A JSON scalar as text: strings trimmed (empty ones dropped), numbers in decimal.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
