//! [`Call`]: one pending operation, and the send loop that runs its attempts, applies the retry
//! policy and the overall deadline, and reports each attempt to `tracing`.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument;
use tracing::field::Empty;

use crate::client::{Client, Inner};
use crate::decode::Response;
use crate::error::{ApiError, Error, NotRetried, Operation, VendorFields, request_id_from_headers};
use crate::request::{Prepared, Request};
use crate::retry::{self, Budget, Decision, Failure};

/// The pending call every generated operation returns.
///
/// Adjust it with [`timeout`](Self::timeout) or [`max_retries`](Self::max_retries), then run it
/// with `.send().await` or simply `.await`. Nothing is sent until then.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T> {
    client: &'a Client,
    request: Request,
    decode: fn(&Response) -> Result<T, Error>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    validate: Option<bool>,
}

impl<'a, T> Call<'a, T> {
    /// Wraps a built request with the decoder for its 2xx responses.
    pub fn new(
        client: &'a Client,
        request: Request,
        decode: fn(&Response) -> Result<T, Error>,
    ) -> Self {
        Call {
            client,
            request,
            decode,
            timeout: None,
            max_retries: None,
            validate: None,
        }
    }

    /// The overall timeout of this call, replacing the client's: it covers every attempt and
    /// every wait between attempts.
    pub fn timeout(mut self, total: Duration) -> Self {
        self.timeout = Some(total);
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
            max_retries,
            validate,
        } = self;
        let inner = client.inner();
        let operation = request.operation();
        // The spec may say a method lies: a PUT that restarts an instance must not repeat.
        let idempotent = request
            .idempotent_override()
            .unwrap_or_else(|| retry::is_idempotent(&operation.method));
        let validate = validate.unwrap_or(inner.validate_requests);
        let mut prepared = request.prepare(inner.base_url.as_deref(), validate)?;
        inner.apply_headers(&mut prepared.headers);
        inner
            .authorize(&mut prepared)
            .map_err(|reason| Error::InvalidRequest {
                operation: Some(operation.clone()),
                reason,
            })?;
        let max_retries = max_retries.unwrap_or_else(|| inner.retry.default_retries());
        let total = timeout.unwrap_or(inner.timeout);
        let started = Instant::now();
        let mut rng = fastrand::Rng::new();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "ppio.request",
                method = %operation.method,
                path = operation.path,
                attempt,
                status = Empty,
                elapsed_ms = Empty,
            );
            let remaining = total.saturating_sub(started.elapsed());
            let attempt_started = Instant::now();
            let outcome = tokio::time::timeout(remaining, execute(inner, &operation, &prepared))
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
                Err(_) => (Failure::Timeout, None, Failed::Deadline),
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
                    return Err(failed.into_error(context));
                }
            }
        }
    }
}

impl<'a, T: Send + 'a> IntoFuture for Call<'a, T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

/// One attempt: send, then read the whole body, so that a connection dropped half-way through
/// the body counts as a failed attempt rather than a decode error.
async fn execute(
    inner: &Inner,
    operation: &Operation,
    prepared: &Prepared,
) -> Result<Response, reqwest::Error> {
    let mut builder = inner
        .http
        .request(operation.method.clone(), prepared.url.clone())
        .headers(prepared.headers.clone());
    if let Some(body) = &prepared.body {
        builder = builder.body(body.clone());
    }
    // reqwest errors carry the URL; an API key in its query must not reach an error or a log.
    let redact = |mut error: reqwest::Error| {
        if let Some(url) = error.url_mut() {
            crate::auth::redact_query(url, &prepared.secret_query);
        }
        error
    };
    let response = builder.send().await.map_err(redact)?;
    let status = response.status();
    let headers = response.headers().clone();
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
    /// The call's own deadline passed during the attempt.
    Deadline,
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
    fn into_error(self, context: Context) -> Error {
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
                let fields = VendorFields::parse(&body);
                Error::Api(Box::new(ApiError {
                    operation,
                    status,
                    request_id: request_id_from_headers(&headers).or(fields.request_id),
                    headers,
                    body,
                    code: fields.code,
                    reason: fields.reason,
                    message: fields.message,
                    retry_after,
                    attempts,
                    not_retried,
                }))
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
            Failed::Deadline => Error::Timeout {
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
fn call_future_is_send(call: Call<'_, ()>) -> impl Future<Output = Result<(), Error>> + Send + '_ {
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
            Request::new(Method::PUT, "https://api.ppio.com", "/x/{id}").path_param("id", "");
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
        .max_retries(0);
        let text = format!("{call:?}");
        assert!(text.contains("max_retries: Some(0)"), "{text}");
    }
}
