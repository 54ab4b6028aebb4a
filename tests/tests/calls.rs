//! What a `Call` promises, on the wire against wiremock: it can be spawned, a timed-out attempt
//! of an idempotent operation is retried within the overall deadline (and of a POST is not), a
//! per-call attempt timeout replaces the client's whether shorter or longer, per-call headers
//! reach the server, a retry that cannot finish in time is not made, and decode errors say what
//! the server sent.

use std::time::{Duration, Instant};

use apiwire::codegen::{Call, Method, Request, decode_json};
use ppio::{Client, Error, NotRetried};
use ppio_tests::TEST_API_KEY;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> ppio::ClientBuilder {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.uri())
        .retry_backoff(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_call_can_be_spawned_after_its_client_is_dropped() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/gpus/v2/endpoints/ep-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let call = {
        let client = client(&server).build().unwrap();
        client.v2().delete_endpoint("ep-1")
    };
    tokio::spawn(call.into_future()).await.unwrap().unwrap();
}

#[tokio::test]
async fn a_timed_out_attempt_of_an_idempotent_operation_is_retried() {
    let server = MockServer::start().await;
    // The first attempt hangs far past the per-attempt timeout; the retry is answered at once.
    Mock::given(method("DELETE"))
        .and(path("/gpus/v2/networks/net-1"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/gpus/v2/networks/net-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)
        .timeout(Duration::from_secs(8))
        .attempt_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    client.v2().delete_network("net-1").await.unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_per_call_attempt_timeout_shorter_than_the_clients_wins() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/gpus/v2/networks/net-1"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .expect(2)
        .mount(&server)
        .await;
    // With the client's 5 s per attempt the call would take 8 s (5 s, then the retry cut short
    // by the overall timeout); with the call's 200 ms both attempts are over in well under 3 s.
    let client = client(&server)
        .timeout(Duration::from_secs(8))
        .attempt_timeout(Duration::from_secs(5))
        .max_retries(1)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .v2()
        .delete_network("net-1")
        .attempt_timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "{took:?}");
    match &error {
        Error::Timeout {
            attempts,
            elapsed,
            not_retried,
            ..
        } => {
            // Two attempts of 200 ms each, then the retry budget is spent.
            assert_eq!(*attempts, 2);
            assert!(*elapsed >= Duration::from_millis(400), "{elapsed:?}");
            assert_eq!(*not_retried, None);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_per_call_attempt_timeout_longer_than_the_clients_wins() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/gpus/v2/networks/net-1"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(1)))
        .expect(1)
        .mount(&server)
        .await;
    // The client's 200 ms would time out every attempt against a server that takes 1 s; the
    // call's 5 s lets the first one finish.
    let client = client(&server)
        .timeout(Duration::from_secs(8))
        .attempt_timeout(Duration::from_millis(200))
        .max_retries(2)
        .build()
        .unwrap();
    let started = Instant::now();
    client
        .v2()
        .delete_network("net-1")
        .attempt_timeout(Duration::from_secs(5))
        .await
        .expect("one attempt that waits for the slow answer");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_timed_out_post_attempt_is_not_repeated() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let client = client(&server)
        .timeout(Duration::from_secs(8))
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let request = Request::new(Method::POST, "https://api.ppio.invalid", "/things")
        .json(&json!({"name": "x"}));
    let error = Call::new(&client, request, decode_json::<Value>)
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.not_retried(), Some(NotRetried::NotIdempotent));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn per_call_headers_reach_the_server_and_may_replace_the_credential() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/gpus/v2/instances/i-1/restart"))
        .and(header("x-trace-id", "trace-7"))
        .and(header("idempotency-key", "k-1"))
        .and(header("authorization", "Bearer per-call-token"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).build().unwrap();
    client
        .v2()
        .restart_instance("i-1")
        .header("x-trace-id", "trace-7")
        .header("Idempotency-Key", "k-1")
        .header("authorization", "Bearer per-call-token")
        .header("x-tag", "a")
        .header("X-Tag", "b")
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    // Replaced, not added beside the client's key.
    assert_eq!(
        received[0].headers.get_all("authorization").iter().count(),
        1
    );
    // One name given twice is sent with both values, in order.
    let tags: Vec<_> = received[0].headers.get_all("x-tag").iter().collect();
    assert_eq!(tags, ["a", "b"]);
}

#[tokio::test]
async fn a_decode_error_names_the_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("<html><body>proxy login</body></html>", "text/html"),
        )
        .mount(&server)
        .await;
    let client = client(&server).build().unwrap();
    let request = Request::new(Method::POST, "https://api.ppio.invalid", "/things");
    let error = Call::new(&client, request, decode_json::<Value>)
        .await
        .unwrap_err();
    let decode = error.decode().expect("a decode error");
    assert_eq!(decode.content_type(), Some("text/html"));
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(&decode.body[..], b"<html><body>proxy login</body></html>");
    let text = error.to_string();
    assert!(text.contains("content type `text/html`"), "{text}");
    assert!(error.api().is_none());
}

/// A retry whose wait would outlast the overall timeout is not made: the call ends at once with
/// the last attempt's error, not with a timeout after sleeping to the deadline.
#[tokio::test]
async fn a_retry_that_cannot_finish_in_time_ends_with_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/gpus/v2/networks/net-1"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "2"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.v2().delete_network("net-1").await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    let api = error.api().expect("the 503 itself");
    assert_eq!(api.status.as_u16(), 503);
    assert_eq!(api.attempts, 1);
    assert_eq!(api.retry_after, Some(Duration::from_secs(2)));
    assert!(!error.is_timeout());
}
