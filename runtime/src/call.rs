//! [`Call`]: one pending operation, and the send loop that runs its attempts, applies the retry
//! policy and the overall deadline, and reports each attempt to `tracing`.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument;
use tracing::field::Empty;

use reqwest::header::{HeaderName, HeaderValue};

use crate::client::{Client, Inner};
use crate::decode::Response;
use crate::error::{ApiError, Error, InvalidRequest, NotRetried, Operation};
use crate::request::{Prepared, Request};
use crate::retry::{self, Budget, Decision, Failure};

/// The pending call every generated operation returns.
///
/// Adjust it with [`timeout`](Self::timeout), [`attempt_timeout`](Self::attempt_timeout),
/// [`max_retries`](Self::max_retries) or [`header`](Self::header), then run it with
/// `.send().await` or simply `.await`. Nothing is sent until then.
///
/// A call owns a clone of its client (clones share one connection pool), so it is `'static`
/// and can be moved into `tokio::spawn`.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T> {
    client: Client,
    request: Request,
    decode: fn(&Response) -> Result<T, Error>,
    timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    max_retries: Option<u32>,
    validate: Option<bool>,
    /// Headers this call adds, or the first one that could not be sent.
    headers: Result<Vec<(HeaderName, HeaderValue)>, InvalidRequest>,
}

impl<T> Call<T> {
    /// Wraps a built request with the decoder for its 2xx responses.
    pub fn new(
        client: &Client,
        request: Request,
        decode: fn(&Response) -> Result<T, Error>,
    ) -> Self {
        Call {
            client: client.clone(),
            request,
            decode,
            timeout: None,
            attempt_timeout: None,
            max_retries: None,
            validate: None,
            headers: Ok(Vec::new()),
        }
    }

    /// The overall timeout of this call, replacing the client's: it covers every attempt and
    /// every wait between attempts.
    pub fn timeout(mut self, total: Duration) -> Self {
        self.timeout = Some(total);
        self
    }

    /// The timeout of each attempt of this call, replacing the client's. An attempt that runs
    /// out of it is retried when the operation is idempotent and the overall timeout and retry
    /// count allow.
    pub fn attempt_timeout(mut self, per_attempt: Duration) -> Self {
        self.attempt_timeout = Some(per_attempt);
        self
    }

    /// Adds a header to every attempt of this call: a trace id, an idempotency key the vendor
    /// supports, and so on. Headers of this call replace any of the same name the operation or
    /// client would send, credentials included, so a call can also carry its own
    /// `Authorization`; calling `header` twice with one name sends both values. A name or value
    /// HTTP does not allow fails the call with [`InvalidRequest::CallHeader`] before anything
    /// is sent. The value may be a secret, so it is never repeated in an error and is marked
    /// sensitive (left out of `Debug` output and of HTTP/2 header compression).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Ok(headers) = &mut self.headers {
            match parse_header(name, value) {
                Ok(header) => headers.push(header),
                Err(problem) => self.headers = Err(problem),
            }
        }
        self
    }

    /// How many retries this call may make (0 = one attempt only), replacing the client's
    /// setting, including a client with retries turned off.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Whether this call checks the spec's limits (lengths, ranges, item counts, patterns)
    /// before sending, replacing the client's setting. Turn it off when the server accepts more
    /// than its spec says.
    pub fn validate(mut self, enabled: bool) -> Self {
        self.validate = Some(enabled);
        self
    }

    /// Sends the request, retrying as the policy allows, and decodes the answer.
    ///
    /// Non-2xx statuses become [`Error::Api`] before the decoder runs.
    pub async fn send(self) -> Result<T, Error> {
        let Call {
            client,
            request,
            decode,
            timeout,
            attempt_timeout,
            max_retries,
            validate,
            headers,
        } = self;
        let inner = client.inner();
        let operation = request.operation();
        // The spec may say a method lies: a PUT that reboots a machine must not repeat.
        let idempotent = request
            .idempotent_override()
            .unwrap_or_else(|| retry::is_idempotent(&operation.method));
        let validate = validate.unwrap_or(inner.validate_requests);
        let mut prepared = request.prepare(&inner.roots, validate)?;
        inner.apply_headers(&mut prepared.headers);
        inner
            .authorize(&mut prepared)
            .and_then(|()| {
                let headers = headers?;
                for (index, (name, value)) in headers.iter().enumerate() {
                    // The first value of a name replaces what the client would send; later
                    // ones of the same name are sent beside it.
                    if headers[..index].iter().any(|(earlier, _)| earlier == name) {
                        prepared.headers.append(name, value.clone());
                    } else {
                        prepared.headers.insert(name, value.clone());
                    }
                }
                Ok(())
            })
            .map_err(|reason| Error::InvalidRequest {
                operation: Some(operation.clone()),
                reason,
            })?;
        let attempt_timeout = attempt_timeout.or(inner.attempt_timeout);
        let max_retries = max_retries.unwrap_or_else(|| inner.retry.default_retries());
        let total = timeout.unwrap_or(inner.timeout);
        let started = Instant::now();
        let mut rng = fastrand::Rng::new();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "apiwire.request",
                method = %operation.method,
                path = operation.path,
                attempt,
                status = Empty,
                elapsed_ms = Empty,
            );
            let remaining = total.saturating_sub(started.elapsed());
            let limit = attempt_timeout.map_or(remaining, |each| each.min(remaining));
            let attempt_started = Instant::now();
            let outcome = tokio::time::timeout(limit, execute(inner, &operation, &prepared))
                .instrument(span.clone())
                .await;
            span.record("elapsed_ms", millis(attempt_started.elapsed()));
            let (failure, retry_after, failed) = match outcome {
                Ok(Ok(response)) if response.status().is_success() => {
                    span.record("status", response.status().as_u16());
                    tracing::debug!(parent: &span, "request succeeded");
                    return decode(&response);
                }
                Ok(Ok(response)) => {
                    span.record("status", response.status().as_u16());
                    let retry_after = retry::retry_after(response.headers(), SystemTime::now());
                    (
                        Failure::Status(response.status()),
                        retry_after,
                        Failed::Status(response),
                    )
                }
                Ok(Err(error)) => (classify(&error), None, Failed::Transport(error)),
                Err(_) => (Failure::Timeout, None, Failed::TimedOut),
            };
            let budget = Budget {
                retries_done: attempt - 1,
                max_retries,
                remaining: total.saturating_sub(started.elapsed()),
            };
            match retry::decide(
                idempotent,
                failure,
                retry_after,
                budget,
                &inner.retry,
                &mut rng,
            ) {
                Decision::Retry(wait) => {
                    tracing::info!(
                        parent: &span,
                        ?failure,
                        wait_ms = millis(wait),
                        "request failed; retrying",
                    );
                    tokio::time::sleep(wait).await;
                }
                Decision::Stop(not_retried) => {
                    tracing::debug!(
                        parent: &span,
                        ?failure,
                        not_retried = not_retried.is_some(),
                        "request failed; giving up",
                    );
                    let context = Context {
                        operation,
                        attempts: attempt,
                        elapsed: started.elapsed(),
                        not_retried,
                        retry_after,
                    };
                    return Err(failed.into_error(context, inner));
                }
            }
        }
    }
}

impl<T: Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> fmt::Debug for Call<T> {
    /// Shows the extra headers' names only: their values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = match &self.headers {
            Ok(headers) => headers.iter().map(|(name, _)| name.as_str()).collect(),
            Err(_) => Vec::new(),
        };
        f.debug_struct("Call")
            .field("request", &self.request)
            .field("timeout", &self.timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("max_retries", &self.max_retries)
            .field("headers", &header_names)
            .finish_non_exhaustive()
    }
}

/// A per-call header, checked; the error names the header but never repeats the value.
fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), InvalidRequest> {
    let problem = |problem| InvalidRequest::CallHeader {
        name: name.to_owned(),
        problem,
    };
    let name_parsed =
        HeaderName::from_bytes(name.as_bytes()).map_err(|_| problem("not a valid header name"))?;
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| problem("its value has a character HTTP does not allow (CR, LF, ...)"))?;
    value.set_sensitive(true);
    Ok((name_parsed, value))
}

/// One attempt: send, then read the whole body, so that a connection dropped half-way through
/// the body counts as a failed attempt rather than a decode error.
///
/// The request is built directly rather than through reqwest's builder, which would copy the
/// headers into a map of its own one by one; cloning the prepared map is one allocation.
async fn execute(
    inner: &Inner,
    operation: &Operation,
    prepared: &Prepared,
) -> Result<Response, reqwest::Error> {
    let mut request = reqwest::Request::new(operation.method.clone(), prepared.url.clone());
    *request.headers_mut() = prepared.headers.clone();
    if let Some(body) = &prepared.body {
        *request.body_mut() = Some(body.clone().into());
    }
    // reqwest errors carry the URL; an API key in its query must not reach an error or a log.
    let redact = |mut error: reqwest::Error| {
        if let Some(url) = error.url_mut() {
            crate::auth::redact_query(url, &prepared.secret_query);
        }
        error
    };
    let mut response = inner.http.execute(request).await.map_err(redact)?;
    let status = response.status();
    // Reading the body needs none of the headers: take them rather than copy them.
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(redact)?;
    Ok(Response::new(operation.clone(), status, headers, body))
}

/// Sorts a reqwest error by whether the request can have left this machine. A connect error
/// (which includes a connect timeout) sent nothing; anything else may have.
fn classify(error: &reqwest::Error) -> Failure {
    if error.is_connect() {
        Failure::Connect
    } else if error.is_timeout() {
        Failure::Timeout
    } else {
        Failure::ConnectionLost
    }
}

/// The last failed attempt of a call that is giving up.
enum Failed {
    Status(Response),
    Transport(reqwest::Error),
    /// The attempt ran out of time: its own attempt timeout, or what was left of the call's
    /// overall timeout.
    TimedOut,
}

/// What the send loop knows about the call as a whole when it gives up.
struct Context {
    operation: Operation,
    attempts: u32,
    elapsed: Duration,
    not_retried: Option<NotRetried>,
    retry_after: Option<Duration>,
}

impl Failed {
    fn into_error(self, context: Context, inner: &Inner) -> Error {
        let Context {
            operation,
            attempts,
            elapsed,
            not_retried,
            retry_after,
        } = context;
        match self {
            Failed::Status(response) => {
                let (operation, status, headers, body) = response.into_parts();
                let mut error = ApiError::new(operation, status, headers, body, &inner.profile);
                error.retry_after = retry_after;
                error.attempts = attempts;
                error.not_retried = not_retried;
                Error::Api(Box::new(error))
            }
            Failed::Transport(source) => match classify(&source) {
                Failure::Connect => Error::Connect {
                    operation,
                    attempts,
                    source,
                },
                Failure::Timeout => Error::Timeout {
                    operation,
                    attempts,
                    elapsed,
                    not_retried,
                    source: Some(source),
                },
                _ => Error::Transport {
                    operation,
                    attempts,
                    not_retried,
                    source,
                },
            },
            Failed::TimedOut => Error::Timeout {
                operation,
                attempts,
                elapsed,
                not_retried,
                source: None,
            },
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Compile-time check that a `Call` future can be spawned on a multi-threaded runtime.
#[allow(dead_code)]
fn call_future_is_send(call: Call<()>) -> impl Future<Output = Result<(), Error>> + Send + 'static {
    call.into_future()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    #[tokio::test]
    async fn invalid_request_fails_before_sending() {
        // The base URL points nowhere routable; reaching the network would fail differently.
        let client = Client::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let request =
            Request::new(Method::PUT, "https://api.example.com", "/x/{id}").path_param("id", "");
        let error = Call::new(&client, request, crate::decode::decode_unit)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
        assert_eq!(
            error.operation().map(ToString::to_string).as_deref(),
            Some("PUT /x/{id}")
        );
    }

    #[test]
    fn debug_of_call_is_available_for_any_output() {
        struct NotDebug;
        fn decode(_: &Response) -> Result<NotDebug, Error> {
            Ok(NotDebug)
        }
        let client = Client::new("k").unwrap();
        let call = Call::new(
            &client,
            Request::new(Method::GET, "https://a", "/b"),
            decode,
        )
        .timeout(Duration::from_secs(1))
        .max_retries(0)
        .header("x-trace-id", "secret-trace");
        let text = format!("{call:?}");
        assert!(text.contains("max_retries: Some(0)"), "{text}");
        assert!(text.contains("x-trace-id"), "{text}");
        assert!(!text.contains("secret-trace"), "{text}");
    }

    #[test]
    fn every_call_header_value_is_sensitive() {
        for name in ["authorization", "x-trace-id", "idempotency-key"] {
            let (_, value) = parse_header(name, "v").unwrap();
            assert!(value.is_sensitive(), "{name}");
        }
    }

    #[tokio::test]
    async fn a_bad_call_header_fails_before_sending_without_echoing_its_value() {
        let client = Client::builder()
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let request = Request::new(Method::GET, "https://a.example", "/b");
        let error = Call::new(&client, request, crate::decode::decode_unit)
            .header("x-token", "line\nbreak-secret")
            .await
            .unwrap_err();
        let text = error.to_string();
        assert!(text.contains("x-token"), "{text}");
        assert!(!text.contains("secret"), "{text}");
        assert!(matches!(
            error,
            Error::InvalidRequest {
                reason: InvalidRequest::CallHeader { .. },
                ..
            }
        ));
    }
}
