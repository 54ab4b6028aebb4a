//! Test support for the `ppio` client. Tests with ordinary responses use wiremock, with the
//! helpers in [`mock`] (a connection closed without an answer included: [`mock::hang_up`]);
//! [`TestServer`], a scriptable HTTP/1.1 server on 127.0.0.1, is for what wiremock cannot do:
//!
//! - cut a response off in the middle of its body (`runtime_faults.rs`);
//! - record the request line exactly as sent: the target before any dot segment is resolved
//!   (`path_ids_stay_one_segment_on_the_wire` in `runtime.rs`) and the HTTP version
//!   (`requests_go_out_as_http_1_1` in `wire.rs`);
//! - act as the proxy HTTPS requests are tunnelled through, answering their `CONNECT`
//!   (`every_operation_goes_to_the_one_host_the_client_chose` in `hosts.rs`).
//!
//! It is built on a bare [`tokio::net::TcpListener`] rather than an HTTP library so that nothing
//! between the client and the assertions normalises the request: the request line, header
//! spelling and body bytes are recorded as the client sent them, and a body cut in half is a
//! real socket event rather than a simulation.
//!
//! ```no_run
//! # async fn demo() {
//! use ppio_tests::{Reply, TestServer};
//! use serde_json::json;
//!
//! // The first request gets half of a JSON 200 and a closed connection, the second all of it;
//! // any further one a 500.
//! let body = json!({"id": "t-1", "padding": "x".repeat(2000)});
//! let server = TestServer::start(vec![
//!     Reply::json(200, &body).truncated(),
//!     Reply::json(200, &body),
//! ])
//! .await;
//! let base_url = server.url(); // "http://127.0.0.1:<port>", give it to ClientBuilder::base_url
//! // ... drive the client ...
//! let requests = server.requests();
//! assert_eq!(requests[0].request_line(), "PUT /things/t-1 HTTP/1.1");
//! # let _ = base_url;
//! # }
//! ```
//!
//! The server answers requests strictly by their arrival index (0, 1, 2, ...), counted across
//! all connections, so a test's script reads in the order the client is expected to send. It
//! supports keep-alive, pipelined requests and `Content-Length` request bodies (no test sends a
//! chunked one; such a request closes the connection). It stops, closing its port and every
//! open connection, when the [`TestServer`] is dropped.

pub mod mock;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// The API key tests hand to clients. Distinctive, so a leak into any output is easy to spot.
pub const TEST_API_KEY: &str = "sk_test_DO_NOT_LEAK_4f9c2e7a1b";

/// The largest request head the server accepts; anything larger is a client bug worth failing.
const MAX_HEAD: usize = 64 * 1024;

/// One scripted answer: what to do after a request has been read completely.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Send the head (announcing the full length) and half of the body, then close, instead of
    /// sending the whole response and keeping the connection open for the next request.
    truncate: bool,
}

impl Reply {
    /// A response with this status and an empty body.
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            truncate: false,
        }
    }

    /// A response with a JSON body and `Content-Type: application/json`.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::status(status)
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    /// Sends the status line, the headers (with `Content-Length` for the whole body) and the
    /// first half of the body, then closes the connection: a server that died mid-response.
    pub fn truncated(mut self) -> Self {
        self.truncate = true;
        self
    }

    /// Adds a response header. `Content-Length` is added automatically unless set here.
    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The answer to requests beyond the end of the script: a 500 whose body says so, which
    /// the client does not retry, so an unexpected extra request shows up as a clear failure.
    fn unscripted(index: usize) -> Self {
        Self::status(500)
            .header("content-type", "text/plain; charset=utf-8")
            .header("x-test-server", "unscripted")
            .body(format!(
                "test server: no scripted reply for request #{index}"
            ))
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The method, as sent (`PUT`).
    pub method: String,
    /// The request target exactly as sent: path and query, still percent-encoded.
    pub target: String,
    /// The protocol version token (`HTTP/1.1`).
    pub version: String,
    /// The headers in the order sent, names as spelled by the client.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The request line: `PUT /path?query HTTP/1.1`.
    pub fn request_line(&self) -> String {
        format!("{} {} {}", self.method, self.target, self.version)
    }

    /// Every value of a header, in order, matched case-insensitively.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// What the server's tasks share.
struct State {
    script: Vec<Reply>,
    requests: Mutex<Vec<RecordedRequest>>,
}

impl State {
    fn requests(&self) -> MutexGuard<'_, Vec<RecordedRequest>> {
        // A panicking test thread must not hide the record from the assertions that follow.
        self.requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A scripted HTTP/1.1 server on 127.0.0.1. See the [crate docs](crate) for an example.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Binds an ephemeral port on 127.0.0.1 and starts answering: request `i` gets `script[i]`,
    /// and requests past the end of the script get a 500 saying they were not expected.
    ///
    /// Must be called inside a Tokio runtime; the server runs as a task on it.
    pub async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a port on 127.0.0.1");
        let addr = listener.local_addr().expect("read the bound address");
        let state = Arc::new(State {
            script,
            requests: Mutex::new(Vec::new()),
        });
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&state)));
        TestServer { addr, state, task }
    }

    /// The server's base URL, `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests().clone()
    }

    /// How many requests have been received so far.
    pub fn request_count(&self) -> usize {
        self.state.requests().len()
    }
}

impl Drop for TestServer {
    /// Stops accepting and closes every open connection: the accept task owns the connection
    /// tasks, so aborting it aborts them too.
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A URL on 127.0.0.1 where nothing listens, so connecting is refused: a port is bound to get a
/// free number, then released.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    let addr = listener.local_addr().expect("read the bound address");
    drop(listener);
    format!("http://{addr}")
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(serve_connection(stream, Arc::clone(&state)));
                }
            }
            // Reap finished connections so a long test does not accumulate them.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Serves requests on one connection until the client closes it, a reply closes it, or the
/// bytes stop making sense.
async fn serve_connection(mut stream: TcpStream, state: Arc<State>) {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await {
        let reply = {
            let mut requests = state.requests();
            let index = requests.len();
            requests.push(request);
            state
                .script
                .get(index)
                .cloned()
                .unwrap_or_else(|| Reply::unscripted(index))
        };
        if write_reply(&mut stream, &reply).await.is_err() || reply.truncate {
            return;
        }
    }
}

/// Reads one request, leaving any bytes of the next one in `buffer`. `None` on end of stream,
/// a read error, a malformed request or a chunked body.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<RecordedRequest> {
    let head_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end + 4;
        }
        if buffer.len() > MAX_HEAD || !fill(stream, buffer).await {
            return None;
        }
    };
    let raw_head: Vec<u8> = buffer.drain(..head_end).collect();
    let head = String::from_utf8_lossy(&raw_head).into_owned();
    let mut lines = head.split("\r\n");
    let mut parts = lines.next()?.splitn(3, ' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    let headers: Vec<(String, String)> = lines
        .filter(|line| !line.is_empty())
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_owned(), value.trim().to_owned()))
        .collect();
    let value_of = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    };
    if value_of("transfer-encoding").is_some() {
        return None;
    }
    let length = value_of("content-length").map_or(Some(0), |n| n.parse().ok())?;
    let body = read_exact(stream, buffer, length).await?;
    Some(RecordedRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        version: version.to_owned(),
        headers,
        body,
    })
}

async fn read_exact(stream: &mut TcpStream, buffer: &mut Vec<u8>, count: usize) -> Option<Vec<u8>> {
    while buffer.len() < count {
        if !fill(stream, buffer).await {
            return None;
        }
    }
    Some(buffer.drain(..count).collect())
}

/// Reads more bytes into `buffer`; false at end of stream or on error.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(read) => {
            buffer.extend_from_slice(&chunk[..read]);
            true
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

async fn write_reply(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let has_length = reply
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-length"));
    if !has_length {
        head.push_str(&format!("content-length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    let body = if reply.truncate {
        &reply.body[..reply.body.len() / 2]
    } else {
        &reply.body[..]
    };
    stream.write_all(body).await?;
    stream.flush().await
}

/// Reason phrases for the statuses tests use; clients must not depend on them anyway.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// Sends raw bytes and returns everything the server wrote back before closing or pausing.
    async fn exchange(server: &TestServer, request: &[u8]) -> Vec<u8> {
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        stream.write_all(request).await.unwrap();
        stream.shutdown().await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        answer
    }

    #[tokio::test]
    async fn records_and_answers_in_order() {
        let server = TestServer::start(vec![
            Reply::json(201, &serde_json::json!({"n": 1})),
            Reply::status(204),
        ])
        .await;
        let answer = exchange(
            &server,
            b"POST /a%2Fb/../c?x=1 HTTP/1.1\r\nHost: t\r\nX-Mixed-Case: v\r\nX-Mixed-Case: w\r\n\
              Content-Length: 3\r\n\r\nabc\
              GET /second HTTP/1.1\r\nHost: t\r\n\r\n",
        )
        .await;
        let answer = String::from_utf8(answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 201 Created\r\n"), "{answer}");
        assert!(
            answer.contains("content-type: application/json\r\n"),
            "{answer}"
        );
        assert!(answer.contains(r#"{"n":1}"#), "{answer}");
        assert!(answer.contains("HTTP/1.1 204 No Content\r\n"), "{answer}");
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].request_line(), "POST /a%2Fb/../c?x=1 HTTP/1.1");
        assert_eq!(requests[0].header_all("x-mixed-case"), ["v", "w"]);
        assert_eq!(requests[0].headers[1].0, "X-Mixed-Case");
        assert_eq!(requests[0].body, b"abc");
        assert_eq!(requests[1].request_line(), "GET /second HTTP/1.1");
        assert!(requests[1].body.is_empty());
    }

    #[tokio::test]
    async fn a_chunked_body_closes_the_connection() {
        let server = TestServer::start(vec![Reply::status(200)]).await;
        let answer = exchange(
            &server,
            b"PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        )
        .await;
        assert!(answer.is_empty());
        assert_eq!(server.request_count(), 0);
    }

    #[tokio::test]
    async fn unscripted_requests_get_500() {
        let server = TestServer::start(Vec::new()).await;
        let answer = exchange(&server, b"GET / HTTP/1.1\r\n\r\n").await;
        let answer = String::from_utf8(answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 500"), "{answer}");
        assert!(
            answer.contains("no scripted reply for request #0"),
            "{answer}"
        );
    }

    #[tokio::test]
    async fn truncated_sends_half_the_body_and_closes() {
        let server = TestServer::start(vec![
            Reply::json(200, &serde_json::json!("01234567")).truncated(),
            Reply::status(204),
        ])
        .await;
        // Pipelined: the second request is never answered, the connection is closed first.
        let answer = exchange(&server, b"GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n").await;
        let answer = String::from_utf8(answer).unwrap();
        assert!(answer.contains("content-length: 10\r\n"), "{answer}");
        assert!(answer.ends_with("\r\n\r\n\"0123"), "{answer}");
        assert_eq!(server.request_count(), 1);
    }

    #[tokio::test]
    async fn stops_when_dropped() {
        let server = TestServer::start(Vec::new()).await;
        let addr = server.addr();
        drop(server);
        // The abort takes effect at the runtime's next turn; give it a few.
        let mut refused = false;
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(10)).await;
            if TcpStream::connect(addr).await.is_err() {
                refused = true;
                break;
            }
        }
        assert!(refused, "the port still accepts connections");
    }

    #[tokio::test]
    async fn refused_url_refuses() {
        let url = refused_url();
        let addr = url.trim_start_matches("http://");
        assert!(TcpStream::connect(addr).await.is_err());
    }
}

/// Generator golden files: `generator/tests/fixtures/*.yaml` generated by `cargo xtask codegen`.
/// Declaring them here makes every build of this crate compile them with warnings denied.
#[rustfmt::skip]
#[deny(warnings)]
pub mod golden;
