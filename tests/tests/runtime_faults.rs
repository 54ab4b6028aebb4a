//! The connection fault wiremock cannot produce, on `TestServer`: a server that sends the head
//! of its answer (announcing the whole body's length) and half of the body, then closes the
//! connection. wiremock only ever writes whole responses, so this needs a raw socket. The client
//! cannot tell whether such a request took effect, so a POST is not repeated and says why.
//!
//! Everything else the runtime does against a server, a connection closed without any answer
//! included (wiremock's `respond_with_err`), is tested on wiremock in `runtime.rs`.

use std::time::Duration;

use apiwire::codegen::{Call, Method, Request, decode_json};
use ppio::{Client, Error, NotRetried};
use ppio_tests::{Reply, TEST_API_KEY, TestServer};
use serde_json::{Value, json};

/// The spec server the requests name; never contacted, because every client here overrides it.
const SPEC_SERVER: &str = "https://api.ppio.invalid";

/// A client for `base_url` with backoff short enough to keep the suite fast.
fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(base_url)
        .retry_backoff(Duration::from_millis(5), Duration::from_millis(20))
        .build()
        .expect("build client")
}

fn post_call(client: &Client) -> Call<Value> {
    let request = Request::new(Method::POST, SPEC_SERVER, "/test/v9/things")
        .json(&json!({"name": "gpu-box", "gpu_num": 1}));
    Call::new(client, request, decode_json::<Value>)
}

#[tokio::test]
async fn post_connection_dropped_mid_response() {
    let body = json!({"id": "t-1", "padding": "x".repeat(2000)});
    let server = TestServer::start(vec![
        Reply::json(200, &body).truncated(),
        Reply::json(200, &body),
    ])
    .await;
    let client = client(&server.url());
    let error = post_call(&client).await.unwrap_err();
    assert_eq!(server.request_count(), 1);
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(error.not_retried(), Some(NotRetried::NotIdempotent));
    assert!(error.to_string().contains("not retried"), "{error}");
}
