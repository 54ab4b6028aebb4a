//! The hand-written runtime of `ppio` against wiremock: retries, `Retry-After`, the refusal to
//! repeat POSTs, timeouts, decode errors, request encoding and key redaction, each checked by
//! what reached the server (how many requests, their targets, headers and bodies).
//!
//! These tests drive `apiwire::codegen` directly with made-up paths, so they do not depend on what
//! the generator emits. A connection the server closes without answering comes from wiremock too
//! ([`hang_up`]); one closed in the middle of a body wiremock cannot produce, so that test is in
//! `runtime_faults.rs` on `TestServer`. The one check here that needs the request target exactly
//! as sent also runs on `TestServer`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use apiwire::codegen::{Call, Method, Request, decode_json, decode_unit};
use ppio::{Client, Error, NotRetried};
use ppio_tests::mock::{Received, hang_up, json, mount_in_order, requests, text};
use ppio_tests::{Reply, TEST_API_KEY, TestServer, refused_url};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The spec server the requests name; never contacted, because every client here overrides it.
const SPEC_SERVER: &str = "https://api.ppio.invalid";
const PUT_TEMPLATE: &str = "/test/v9/things/{thing_id}/upgrade";
const PUT_PATH: &str = "/test/v9/things/t-1/upgrade";
const POST_TEMPLATE: &str = "/test/v9/things";

/// A client for `base_url` with backoff short enough to keep the suite fast.
fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(base_url)
        .retry_backoff(Duration::from_millis(5), Duration::from_millis(20))
        .build()
        .expect("build client")
}

fn put_call(client: &Client, id: &str) -> Call<Value> {
    let request = Request::new(Method::PUT, SPEC_SERVER, PUT_TEMPLATE)
        .path_param("thing_id", id)
        .json(&json!({"image_url": "ubuntu:22.04"}));
    Call::new(client, request, decode_json::<Value>)
}

fn post_call(client: &Client) -> Call<Value> {
    let request = Request::new(Method::POST, SPEC_SERVER, POST_TEMPLATE)
        .json(&json!({"name": "gpu-box", "gpu_num": 1}));
    Call::new(client, request, decode_json::<Value>)
}

fn api_error(error: &Error) -> &ppio::ApiError {
    match error {
        Error::Api(api) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// A server whose `verb route` answers `replies` in order, each exactly once; anything else,
/// and a request past the last reply, gets a 404, which no call retries.
async fn server(
    verb: &'static str,
    route: &'static str,
    replies: impl IntoIterator<Item = ResponseTemplate>,
) -> MockServer {
    let server = MockServer::start().await;
    mount_in_order(
        &server,
        || Mock::given(method(verb)).and(path(route)),
        replies,
    )
    .await;
    server
}

/// Mounts `first` for the first `verb route` request, and behind it `repeat`, expected never to
/// be used: a second request would get it, so a retry that must not happen would turn a failed
/// call into a success, as a real server's answer to a repeated request would.
async fn once_then_never(
    server: &MockServer,
    verb: &'static str,
    route: &'static str,
    first: ResponseTemplate,
    repeat: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(repeat)
        .expect(0)
        .named("a repeat that must not be sent")
        .mount(server)
        .await;
}

#[tokio::test]
async fn rate_limited_then_success_honours_retry_after() {
    let server = MockServer::start().await;
    // wiremock's `Request` has no arrival time, so the responders note when each request has
    // been read: wiremock calls them as soon as it has the whole request, before answering.
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let stamped = |reply: ResponseTemplate| {
        let arrivals = Arc::clone(&arrivals);
        move |_: &wiremock::Request| {
            arrivals.lock().unwrap().push(Instant::now());
            reply.clone()
        }
    };
    Mock::given(method("POST"))
        .and(path(POST_TEMPLATE))
        .respond_with(stamped(
            json(429, &json!({"reason": "RATE_LIMIT_EXCEEDED"})).insert_header("retry-after", "1"),
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(POST_TEMPLATE))
        .respond_with(stamped(json(200, &json!({"id": "t-1"}))))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let started = Instant::now();
    // A POST: 429 means the server turned it away, so even a create is safe to repeat.
    let value = post_call(&client).await.expect("second attempt succeeds");
    let elapsed = started.elapsed();
    assert_eq!(value, json!({"id": "t-1"}));
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 2);
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 2);
    let gap = arrivals[1] - arrivals[0];
    assert!(gap >= Duration::from_millis(900), "retried after {gap:?}");
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    // The retry repeats the request byte for byte.
    assert_eq!(requests[0].line(), requests[1].line());
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn put_503_twice_then_success() {
    let server = server(
        "PUT",
        PUT_PATH,
        [
            ResponseTemplate::new(503),
            text(503, "<html>busy</html>"),
            json(200, &json!({"ok": true})),
        ],
    )
    .await;
    let client = client(&server.uri());
    let value = put_call(&client, "t-1")
        .await
        .expect("third attempt succeeds");
    assert_eq!(value, json!({"ok": true}));
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.line(), "PUT /test/v9/things/t-1/upgrade");
        assert_eq!(request.json(), json!({"image_url": "ubuntu:22.04"}));
    }
}

#[tokio::test]
async fn put_503_exhausts_retries() {
    let server = server("PUT", PUT_PATH, vec![ResponseTemplate::new(503); 3]).await;
    let client = client(&server.uri());
    let error = put_call(&client, "t-1").await.unwrap_err();
    let api = api_error(&error);
    assert_eq!(api.status.as_u16(), 503);
    assert_eq!(api.attempts, 3);
    assert_eq!(api.not_retried, None);
    assert_eq!(requests(&server).await.len(), 3);
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
}

#[tokio::test]
async fn post_503_is_not_retried_and_says_why() {
    let server = MockServer::start().await;
    once_then_never(
        &server,
        "POST",
        POST_TEMPLATE,
        json(503, &json!({"message": "backend overloaded"})),
        json(200, &json!({"id": "duplicate"})),
    )
    .await;
    let client = client(&server.uri());
    let error = post_call(&client).await.unwrap_err();
    assert_eq!(
        requests(&server).await.len(),
        1,
        "a POST must not be repeated"
    );
    let api = api_error(&error);
    assert_eq!(api.status.as_u16(), 503);
    assert_eq!(api.message.as_deref(), Some("backend overloaded"));
    assert_eq!(error.not_retried(), Some(NotRetried::NotIdempotent));
    let text = error.to_string();
    assert!(text.contains("POST /test/v9/things"), "{text}");
    assert!(text.contains("not retried"), "{text}");
    assert!(text.contains("not idempotent"), "{text}");
    assert!(text.contains("act twice"), "{text}");
}

#[tokio::test]
async fn post_500_is_final_without_a_retry_note() {
    let server = server(
        "POST",
        POST_TEMPLATE,
        [json(500, &json!({"reason": "UNKNOWN"}))],
    )
    .await;
    let client = client(&server.uri());
    let error = post_call(&client).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
    assert_eq!(error.error_name(), Some("UNKNOWN"));
    assert_eq!(error.not_retried(), None);
}

#[tokio::test]
async fn post_connection_dropped_without_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(POST_TEMPLATE))
        .respond_with_err(hang_up)
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    // What a repeat would get: a create that succeeds twice.
    Mock::given(method("POST"))
        .and(path(POST_TEMPLATE))
        .respond_with(json(200, &json!({})))
        .expect(0)
        .named("a repeat that must not be sent")
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let error = post_call(&client).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(error.not_retried(), Some(NotRetried::NotIdempotent));
}

#[tokio::test]
async fn put_connection_dropped_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(PUT_PATH))
        .respond_with_err(hang_up)
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    mount_in_order(
        &server,
        || Mock::given(method("PUT")).and(path(PUT_PATH)),
        [json(200, &json!({"ok": 1}))],
    )
    .await;
    let client = client(&server.uri());
    let value = put_call(&client, "t-1").await.expect("retry succeeds");
    assert_eq!(value, json!({"ok": 1}));
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 2);
    // The retry is the same request again.
    assert_eq!(requests[0].line(), requests[1].line());
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn connection_refused_post_is_retried_and_ends_in_connect() {
    let url = refused_url();
    let client = client(&url);
    let error = post_call(&client).await.unwrap_err();
    match &error {
        // Nothing was sent, so even a POST is retried: 1 attempt + 2 retries.
        Error::Connect { attempts, .. } => assert_eq!(*attempts, 3),
        other => panic!("expected Error::Connect, got {other:?}"),
    }
    assert!(error.is_connect() && !error.is_timeout());
    assert_eq!(error.not_retried(), None);
    let text = error.to_string();
    assert!(
        text.contains(&format!("could not connect to {url} after 3 attempts")),
        "{text}"
    );
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn slow_response_times_out_per_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(POST_TEMPLATE))
        .respond_with(json(200, &json!({})).set_delay(Duration::from_secs(5)))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let started = Instant::now();
    let error = post_call(&client)
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    assert!(error.is_timeout() && !error.is_connect(), "{error:?}");
    match &error {
        Error::Timeout {
            elapsed,
            not_retried,
            ..
        } => {
            assert!(*elapsed >= Duration::from_millis(250), "{elapsed:?}");
            // The POST may have been received, so the error warns against resending it blindly.
            assert_eq!(*not_retried, Some(NotRetried::NotIdempotent));
        }
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn client_timeout_applies_to_puts() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(PUT_PATH))
        .respond_with(json(200, &json!({})).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = put_call(&client, "t-1").await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                not_retried: None,
                ..
            }
        ),
        "{error:?}"
    );
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Thing {
    id: String,
    #[serde(deserialize_with = "apiwire::codegen::lenient_int")]
    created_at: i64,
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_status_body_and_path() {
    let bad_field = r#"{"id":"t-1","created_at":"yesterday"}"#;
    let truncated = r#"{"id":"t-1","created_"#;
    let server = server(
        "GET",
        "/test/v9/things/one",
        [
            text(200, bad_field).insert_header("x-request-id", "req-9"),
            text(201, truncated),
            text(200, r#"{"id":"t-2","created_at":"1785780950"}"#),
        ],
    )
    .await;
    let client = client(&server.uri());
    let call = |client| {
        Call::new(
            client,
            Request::new(Method::GET, SPEC_SERVER, "/test/v9/things/one"),
            decode_json::<Thing>,
        )
    };
    let error = call(&client).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(decode.body, bad_field.as_bytes());
    assert_eq!(decode.path, "created_at");
    assert_eq!(decode.request_id.as_deref(), Some("req-9"));
    let text = error.to_string();
    assert!(
        text.contains("`created_at`") && text.contains("req-9"),
        "{text}"
    );

    let error = call(&client).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(decode.status.as_u16(), 201);
    assert_eq!(decode.body, truncated.as_bytes());

    // The live API's string-typed integers decode.
    let thing = call(&client).await.expect("lenient integer");
    assert_eq!(thing.created_at, 1_785_780_950);
    // A decode error is final: nothing was retried.
    assert_eq!(requests(&server).await.len(), 3);
}

/// A server that answers anything with a 200 but expects no request at all.
async fn expecting_nothing() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json(200, &json!({})))
        .expect(0)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn header_values_with_cr_or_lf_are_refused_before_sending() {
    let server = expecting_nothing().await;
    let client = client(&server.uri());
    for value in ["evil\r\nX-Injected: 1", "a\nb", "a\rb"] {
        let request =
            Request::new(Method::POST, SPEC_SERVER, POST_TEMPLATE).header("x-note", value);
        let error = Call::new(&client, request, decode_unit).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidRequest {
                    reason: ppio::InvalidRequest::HeaderValue { name: "x-note" },
                    ..
                }
            ),
            "{value:?}: {error:?}"
        );
    }
    assert_eq!(requests(&server).await.len(), 0);
}

/// The request target exactly as sent. wiremock records it parsed by the `url` crate, which
/// resolves dot segments and re-escapes some bytes, so this one stays on `TestServer`.
#[tokio::test]
async fn path_ids_stay_one_segment_on_the_wire() {
    let cases = [
        ("a/b", "a%2Fb"),
        ("../../admin", "..%2F..%2Fadmin"),
        ("a?b=c", "a%3Fb%3Dc"),
        ("a#b", "a%23b"),
        ("a b", "a%20b"),
        ("实例-1", "%E5%AE%9E%E4%BE%8B-1"),
        ("50%", "50%25"),
        ("..x", "..x"),
    ];
    let server = TestServer::start(vec![Reply::json(200, &json!({})); cases.len()]).await;
    let client = client(&server.url());
    for (id, _) in cases {
        put_call(&client, id).await.expect("scripted success");
    }
    let requests = server.requests();
    assert_eq!(requests.len(), cases.len());
    for ((id, encoded), request) in cases.iter().zip(&requests) {
        assert_eq!(
            request.request_line(),
            format!("PUT /test/v9/things/{encoded}/upgrade HTTP/1.1"),
            "{id:?}"
        );
    }
}

#[tokio::test]
async fn dot_and_empty_ids_are_refused_before_sending() {
    let server = expecting_nothing().await;
    let client = client(&server.uri());
    for id in ["", ".", ".."] {
        let error = put_call(&client, id).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidRequest {
                    reason: ppio::InvalidRequest::PathParam { .. },
                    ..
                }
            ),
            "{id:?}: {error:?}"
        );
    }
    assert_eq!(requests(&server).await.len(), 0);
}

#[tokio::test]
async fn query_and_base_path_prefix_on_the_wire() {
    let server = server("GET", "/proxy/test/v9/things", [json(200, &json!({}))]).await;
    let client = client(&format!("{}/proxy/", server.uri()));
    let request = Request::new(Method::GET, SPEC_SERVER, "/test/v9/things")
        .query("limit", 20)
        .query_opt("cursor", Some("a b&c"))
        .query_opt("missing", None::<String>)
        .query_all("status", ["running", "stopped"]);
    Call::new(&client, request, decode_json::<Value>)
        .await
        .unwrap();
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].line(),
        "GET /proxy/test/v9/things?limit=20&cursor=a%20b%26c&status=running&status=stopped"
    );
}

#[tokio::test]
async fn spec_server_is_used_without_override() {
    let server = server(
        "DELETE",
        "/test/v9/things/t-1",
        [ResponseTemplate::new(204)],
    )
    .await;
    // Generated code passes a `&'static str`; leaking one test URL stands in for it.
    let spec_server: &'static str = Box::leak(server.uri().into_boxed_str());
    let client = Client::new(TEST_API_KEY).unwrap();
    let request = Request::new(Method::DELETE, spec_server, "/test/v9/things/{thing_id}")
        .path_param("thing_id", "t-1");
    Call::new(&client, request, decode_unit).await.unwrap();
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].line(), "DELETE /test/v9/things/t-1");
}

#[tokio::test]
async fn bearer_key_is_sent_and_never_shown() {
    let server = server(
        "POST",
        POST_TEMPLATE,
        [json(
            401,
            &json!({"code": 401, "reason": "UNAUTHORIZED", "message": "invalid key"}),
        )
        .insert_header("x-request-id", "req-401")],
    )
    .await;
    let client = client(&server.uri());
    let error = post_call(&client).await.unwrap_err();

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    let expected = format!("Bearer {TEST_API_KEY}");
    assert_eq!(request.header_all("authorization"), vec![expected.as_str()]);
    assert!(
        request
            .header("user-agent")
            .is_some_and(|agent| agent.starts_with("ppio-rust/")),
        "{:?}",
        request.header("user-agent")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));

    assert!(error.is_unauthorized());
    assert_eq!(error.request_id(), Some("req-401"));
    assert_eq!(error.error_name(), Some("UNAUTHORIZED"));
    let shown = [
        format!("{client:?}"),
        format!("{client:#?}"),
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
        format!("{:?}", Client::builder().api_key(TEST_API_KEY)),
    ];
    for text in shown {
        assert!(!text.contains(TEST_API_KEY), "key leaked: {text}");
    }
    assert!(
        error.to_string().contains("(request id req-401)"),
        "{error}"
    );
}

#[tokio::test]
async fn connect_and_timeout_errors_do_not_show_the_key() {
    let client = client(&refused_url());
    let error = post_call(&client).max_retries(0).await.unwrap_err();
    assert!(error.is_connect());
    assert!(!error.to_string().contains(TEST_API_KEY));
    assert!(!format!("{error:?}").contains(TEST_API_KEY));
}

#[tokio::test]
async fn retries_disabled_on_the_client() {
    let server = server(
        "PUT",
        PUT_PATH,
        [
            ResponseTemplate::new(503),
            ResponseTemplate::new(503),
            json(200, &json!({})),
        ],
    )
    .await;
    let client = Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.uri())
        .retries(false)
        .build()
        .unwrap();
    let error = put_call(&client, "t-1").await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(requests(&server).await.len(), 1);
    // An explicit per-call count still applies on such a client.
    let error = put_call(&client, "t-1").max_retries(1).await;
    assert!(error.is_ok(), "{error:?}");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn retries_disabled_per_call() {
    let server = MockServer::start().await;
    once_then_never(
        &server,
        "PUT",
        PUT_PATH,
        ResponseTemplate::new(429).insert_header("retry-after", "0"),
        json(200, &json!({})),
    )
    .await;
    let client = client(&server.uri());
    let error = put_call(&client, "t-1").max_retries(0).await.unwrap_err();
    assert!(error.is_rate_limited());
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn retry_after_beyond_the_cap_is_returned_at_once() {
    let server = MockServer::start().await;
    once_then_never(
        &server,
        "PUT",
        PUT_PATH,
        ResponseTemplate::new(429).insert_header("retry-after", "120"),
        json(200, &json!({})),
    )
    .await;
    let client = Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.uri())
        .max_retry_after(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = put_call(&client, "t-1").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        api_error(&error).retry_after,
        Some(Duration::from_secs(120))
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn vendor_not_found_as_400() {
    let server = server(
        "PUT",
        "/test/v9/things/t-404/upgrade",
        [json(
            400,
            &json!({"code": 400, "reason": "INSTANCE_NOT_FOUND", "message": "instance not found", "metadata": {}}),
        )],
    )
    .await;
    let client = client(&server.uri());
    let error = put_call(&client, "t-404").await.unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(requests(&server).await.len(), 1);
    assert_eq!(
        error.to_string(),
        "PUT /test/v9/things/{thing_id}/upgrade: HTTP 400 Bad Request INSTANCE_NOT_FOUND: \
         instance not found"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_can_be_spawned() {
    let server = server("PUT", PUT_PATH, [json(200, &json!({"n": 1}))]).await;
    let handle = {
        // The call owns a clone of the client, so it outlives this scope on another task.
        let client = client(&server.uri());
        tokio::spawn(put_call(&client, "t-1").into_future())
    };
    assert_eq!(handle.await.unwrap().unwrap(), json!({"n": 1}));
    assert_eq!(requests(&server).await.len(), 1);
}

thread_local! {
    /// The log captured on this thread while a capture is active.
    static CAPTURED: std::cell::RefCell<Option<Vec<u8>>> = const { std::cell::RefCell::new(None) };
}

/// Where the subscriber writes: the current thread's capture buffer, when one is active.
///
/// The subscriber is global rather than scoped because `tracing` caches per call site whether
/// anyone is interested; with a scoped subscriber, a call site first hit by a parallel test
/// (when no subscriber was interested) can stay switched off. The thread-local buffer keeps
/// other tests' output out.
struct ThreadBuffer;

impl std::io::Write for ThreadBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        CAPTURED.with(|captured| {
            if let Some(buffer) = captured.borrow_mut().as_mut() {
                buffer.extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn attempts_are_traced_with_the_template_and_never_the_key() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(|| ThreadBuffer)
            .init();
    });
    let server = server(
        "PUT",
        "/test/v9/things/private-id-77/upgrade",
        [ResponseTemplate::new(503), json(200, &json!({"ok": true}))],
    )
    .await;
    let client = client(&server.uri());
    // `#[tokio::test]` runs the call on this thread, so its spans and events land here.
    CAPTURED.with(|captured| *captured.borrow_mut() = Some(Vec::new()));
    put_call(&client, "private-id-77").await.unwrap();
    let text = CAPTURED
        .with(|captured| captured.borrow_mut().take())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    assert!(text.contains("apiwire.request{"), "{text}");
    assert!(text.contains("method=PUT"), "{text}");
    assert!(
        text.contains(r#"path="/test/v9/things/{thing_id}/upgrade""#),
        "{text}"
    );
    assert!(
        text.contains("attempt=1") && text.contains("attempt=2"),
        "{text}"
    );
    assert!(
        text.contains("status=503") && text.contains("status=200"),
        "{text}"
    );
    assert!(text.contains("elapsed_ms="), "{text}");
    assert!(text.contains("retrying"), "{text}");
    assert!(!text.contains(TEST_API_KEY), "{text}");
    assert!(!text.contains("private-id-77"), "{text}");
    assert_eq!(requests(&server).await.len(), 2);
}

/// `upgrade_instance` is a PUT, but an upgrade restarts the instance: PPIO's overlay marks it
/// not idempotent (`x-idempotent: false`), so a 503 after sending is not repeated, while
/// `update_endpoint`, an honest PUT, is.
#[tokio::test]
async fn a_put_the_spec_marks_not_idempotent_is_not_repeated() {
    let server = MockServer::start().await;
    once_then_never(
        &server,
        "PUT",
        "/gpus/v2/instances/i-1/upgrade",
        ResponseTemplate::new(503),
        ResponseTemplate::new(200),
    )
    .await;
    mount_in_order(
        &server,
        || Mock::given(method("PUT")).and(path("/gpus/v2/endpoints/ep-1")),
        [ResponseTemplate::new(503), ResponseTemplate::new(200)],
    )
    .await;
    let client = client(&server.uri());
    let v2 = client.v2();
    let body = ppio::v2::UpgradeInstanceRequest::builder()
        .image("img")
        .build();
    let err = v2.upgrade_instance("i-1", &body).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.not_retried(), Some(ppio::NotRetried::NotIdempotent));
    assert_eq!(
        requests(&server).await.len(),
        1,
        "the upgrade was sent once"
    );

    let update = ppio::v2::UpdateEndpointRequest::new();
    v2.update_endpoint("ep-1", &update)
        .await
        .expect("the second attempt succeeds");
    assert_eq!(
        requests(&server).await.len(),
        3,
        "the endpoint update was retried"
    );
}
