//! Helpers for the wiremock tests: reading a [`wiremock::Request`] the way the assertions need
//! it (request target, every value of a header, the body as text or JSON), mounting responses
//! that answer one request each, in order, and [`hang_up`] for a server that reads a request
//! and closes the connection without answering.
//!
//! wiremock's `Request.url` is the request target parsed by the `url` crate, which keeps
//! percent-escapes as sent but resolves dot segments (`%2e%2e` included) and escapes some bytes
//! it would not have sent itself; the tests of raw encoding therefore stay on
//! [`TestServer`](crate::TestServer). For what the client sends normally, the target read here
//! is the one on the wire. wiremock cannot cut a response off in the middle of its body either;
//! that fault stays on `TestServer` too.

use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

/// What the assertions read from a request wiremock received.
pub trait Received {
    /// The request target, path and query as sent: `/things/a%2Fb?limit=20`.
    fn target(&self) -> String;
    /// The method and the target: `PUT /things/a%2Fb?limit=20`.
    fn line(&self) -> String;
    /// Every value of a header, in order; wiremock matches names case-insensitively.
    fn header_all(&self, name: &str) -> Vec<&str>;
    /// The first value of a header.
    fn header(&self, name: &str) -> Option<&str>;
    /// The body as UTF-8 text (lossy).
    fn text(&self) -> String;
    /// The body parsed as JSON; panics with the body in the message if it is not JSON.
    fn json(&self) -> Value;
}

impl Received for Request {
    fn target(&self) -> String {
        match self.url.query() {
            Some(query) => format!("{}?{query}", self.url.path()),
            None => self.url.path().to_owned(),
        }
    }

    fn line(&self) -> String {
        format!("{} {}", self.method, self.target())
    }

    fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .map(|value| value.to_str().expect("a printable header value"))
            .collect()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.header_all(name).into_iter().next()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.text()))
    }
}

/// Every request the server received, in arrival order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The only request the server received; fails if there was not exactly one (a retry or a
/// second request would be a bug for a successful call).
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = requests(server).await;
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request: {requests:#?}"
    );
    requests.remove(0)
}

/// Mounts `replies` so that the n-th request matching `given` gets the n-th reply, each
/// expected exactly once (checked when the server drops). A request past the end gets
/// wiremock's 404, which no call retries, so it shows up as a failure too.
pub async fn mount_in_order(
    server: &MockServer,
    given: impl Fn() -> MockBuilder,
    replies: impl IntoIterator<Item = ResponseTemplate>,
) {
    for reply in replies {
        given()
            .respond_with(reply)
            .up_to_n_times(1)
            .expect(1)
            .mount(server)
            .await;
    }
}

/// [`mount_in_order`] for any request at all, when the test asserts what was sent afterwards.
pub async fn answer_in_order(
    server: &MockServer,
    replies: impl IntoIterator<Item = ResponseTemplate>,
) {
    mount_in_order(server, || Mock::given(any()), replies).await;
}

/// For [`MockBuilder::respond_with_err`]: wiremock then closes the connection without sending a
/// byte, once it has read (and recorded) the whole request, as a server that died while
/// handling it would. The client cannot tell whether such a request took effect.
pub fn hang_up(_: &Request) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::ConnectionAborted,
        "the test server closes the connection without answering",
    )
}

/// A JSON response with this status.
pub fn json(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// A `text/plain` response with this status; for bodies that are not, or not quite, JSON.
pub fn text(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(body.as_bytes().to_vec(), "text/plain; charset=utf-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wiremock::matchers::{method, path};

    /// Sends one raw request line and returns the target wiremock recorded for it.
    async fn recorded_target(target: &str) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let mut stream = tokio::net::TcpStream::connect(server.address())
            .await
            .unwrap();
        let request = format!("GET {target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        only_request(&server).await.target()
    }

    /// Why raw-encoding tests stay on `TestServer`: escapes survive, dot segments do not.
    #[tokio::test]
    async fn wiremock_keeps_escapes_but_resolves_dot_segments() {
        let kept = "/t/inst%2F..%2Fa%20b%3F%23%C3%A9/x?q=a%20b%26c&s=1|2";
        assert_eq!(recorded_target(kept).await, kept);
        assert_eq!(recorded_target("/t/%2e%2E/x").await, "/x");
        assert_eq!(recorded_target("/t/../x").await, "/x");
    }

    /// What the dropped-connection tests rely on: nothing comes back, and the request counts.
    #[tokio::test]
    async fn hang_up_closes_the_connection_without_answering() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with_err(hang_up)
            .mount(&server)
            .await;
        let mut stream = tokio::net::TcpStream::connect(server.address())
            .await
            .unwrap();
        let request = "POST /t HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc";
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        assert_eq!(String::from_utf8_lossy(&answer), "");
        assert_eq!(only_request(&server).await.text(), "abc");
    }

    #[tokio::test]
    async fn replies_in_order_then_404() {
        let server = MockServer::start().await;
        mount_in_order(
            &server,
            || Mock::given(method("GET")).and(path("/a")),
            [text(503, "busy"), json(200, &serde_json::json!({"n": 1}))],
        )
        .await;
        let client = apiwire::reqwest::Client::new();
        let url = format!("{}/a", server.uri());
        let mut statuses = Vec::new();
        for _ in 0..3 {
            statuses.push(client.get(&url).send().await.unwrap().status().as_u16());
        }
        assert_eq!(statuses, [503, 200, 404]);
        let received = requests(&server).await;
        assert_eq!(received[0].line(), "GET /a");
        assert_eq!(
            received[0].header("host"),
            Some(server.address().to_string()).as_deref()
        );
    }
}
