//! Test support for the `ppio` client. Tests with ordinary responses use wiremock, with the
//! helpers in [`mock`]; [`TestServer`], a scriptable HTTP/1.1 server on 127.0.0.1, is for what
//! wiremock cannot do: close a connection without answering or in the middle of a body, act as
//! a CONNECT proxy, and record the request line exactly as sent (the HTTP version, and a target
//! whose dot segments wiremock's `url` parsing would resolve) with each request's arrival time.
//!
//! It is built on a bare [`tokio::net::TcpListener`] rather than an HTTP library so that nothing
//! between the client and the assertions normalises the request: the request line, header
//! spelling and body bytes are recorded as the client sent them, and faults (a dropped
//! connection, a body cut in half) are real socket events rather than simulations.
//!
//! ```no_run
//! # async fn demo() {
//! use ppio_tests::{Reply, TestServer};
//! use serde_json::json;
//!
//! // The first request gets a 503, the second a JSON 200; any further one a 500.
//! let server = TestServer::start(vec![
//!     Reply::status(503),
//!     Reply::json(200, &json!({"id": "i-1"})),
//! ])
//! .await;
//! let base_url = server.url(); // "http://127.0.0.1:<port>", give it to ClientBuilder::base_url
//! // ... drive the client ...
//! let requests = server.requests();
//! assert_eq!(requests[0].request_line(), "PUT /gpus/v2/instances/i-1/upgrade HTTP/1.1");
//! # let _ = base_url;
//! # }
//! ```
//!
//! The server answers requests strictly by their arrival index (0, 1, 2, ...), counted across
//! all connections, so a test's script reads in the order the client is expected to send. It
//! supports keep-alive, pipelined requests, and `Content-Length` or chunked request bodies. It
//! stops, closing its port and every open connection, when the [`TestServer`] is dropped.

pub mod mock;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

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
    delay: Duration,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    mode: Mode,
}

/// How a [`Reply`] ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Send the whole response and keep the connection open for the next request.
    Complete,
    /// Close the connection without sending anything.
    Drop,
    /// Send the head (announcing the full length) and half of the body, then close.
    Truncate,
}

impl Reply {
    /// A response with this status and an empty body.
    pub fn status(status: u16) -> Self {
        Reply {
            delay: Duration::ZERO,
            status,
            headers: Vec::new(),
            body: Vec::new(),
            mode: Mode::Complete,
        }
    }

    /// A response with a JSON body and `Content-Type: application/json`.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::status(status)
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    /// A response with a raw body and `Content-Type: text/plain`; for bodies that are not, or
    /// not quite, JSON.
    pub fn text(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::status(status)
            .header("content-type", "text/plain; charset=utf-8")
            .body(body)
    }

    /// Closes the connection as soon as the request has been read, without answering: the
    /// client sent everything and never learns what became of it.
    pub fn drop_connection() -> Self {
        Reply {
            mode: Mode::Drop,
            ..Self::status(0)
        }
    }

    /// Adds a response header. `Content-Length` is added automatically unless set here.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Replaces the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Waits this long after reading the request before doing anything else, as a slow server
    /// would. Nothing, not even the status line, is sent during the wait.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Sends the status line, the headers (with `Content-Length` for the whole body) and the
    /// first half of the body, then closes the connection: a server that died mid-response.
    pub fn truncated(mut self) -> Self {
        self.mode = Mode::Truncate;
        self
    }

    /// The answer to requests beyond the end of the script: a 500 whose body says so, which
    /// the client does not retry, so an unexpected extra request shows up as a clear failure.
    fn unscripted(index: usize) -> Self {
        Self::text(
            500,
            format!("test server: no scripted reply for request #{index}"),
        )
        .header("x-test-server", "unscripted")
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// Its arrival index, counted from 0 across all connections.
    pub index: usize,
    /// When its last byte was read.
    pub received_at: Instant,
    /// The method, as sent (`PUT`).
    pub method: String,
    /// The request target exactly as sent: path and query, still percent-encoded.
    pub target: String,
    /// The protocol version token (`HTTP/1.1`).
    pub version: String,
    /// The headers in the order sent, names as spelled by the client.
    pub headers: Vec<(String, String)>,
    /// The body bytes, with chunked transfer coding removed.
    pub body: Vec<u8>,
    /// The raw head: request line and headers up to and including the blank line.
    pub raw_head: Vec<u8>,
}

impl RecordedRequest {
    /// The request line: `PUT /path?query HTTP/1.1`.
    pub fn request_line(&self) -> String {
        format!("{} {} {}", self.method, self.target, self.version)
    }

    /// The target's path, before any `?`.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(&self.target, |(path, _)| path)
    }

    /// The target's query string without the `?`, if there is one.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, query)| query)
    }

    /// The first value of a header, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_all(name).into_iter().next()
    }

    /// Every value of a header, in order, matched case-insensitively.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The body as UTF-8 text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON; panics with the body in the message if it is not JSON.
    pub fn body_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.body_text()))
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

    /// Waits until at least `count` requests have arrived or `timeout` passes, and returns the
    /// number received. For tests whose client call ends before the server has seen everything.
    pub async fn wait_for_requests(&self, count: usize, timeout: Duration) -> usize {
        let deadline = Instant::now() + timeout;
        loop {
            let seen = self.request_count();
            if seen >= count || Instant::now() >= deadline {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
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
    while let Some(mut request) = read_request(&mut stream, &mut buffer).await {
        let reply = {
            let mut requests = state.requests();
            request.index = requests.len();
            let reply = state
                .script
                .get(request.index)
                .cloned()
                .unwrap_or_else(|| Reply::unscripted(request.index));
            requests.push(request);
            reply
        };
        tokio::time::sleep(reply.delay).await;
        if write_reply(&mut stream, &reply).await.is_err() || reply.mode != Mode::Complete {
            return;
        }
    }
}

/// Reads one request, leaving any bytes of the next one in `buffer`. `None` on end of stream,
/// a read error or a malformed request.
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
    let chunked = value_of("transfer-encoding")
        .is_some_and(|coding| coding.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        read_chunked(stream, buffer).await?
    } else {
        let length = value_of("content-length").map_or(Some(0), |n| n.parse().ok())?;
        read_exact(stream, buffer, length).await?
    };
    Some(RecordedRequest {
        index: 0,
        received_at: Instant::now(),
        method: method.to_owned(),
        target: target.to_owned(),
        version: version.to_owned(),
        headers,
        body,
        raw_head,
    })
}

/// Decodes a chunked body: hex size lines, data, and an (ignored) trailer section.
async fn read_chunked(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(stream, buffer).await?;
        let size_text = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        if size == 0 {
            // Trailer fields, if any, end with an empty line.
            while !read_line(stream, buffer).await?.is_empty() {}
            return Some(body);
        }
        body.extend(read_exact(stream, buffer, size).await?);
        if !read_line(stream, buffer).await?.is_empty() {
            return None;
        }
    }
}

async fn read_line(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<String> {
    loop {
        if let Some(end) = find(buffer, b"\r\n") {
            let line: Vec<u8> = buffer.drain(..end + 2).collect();
            return Some(String::from_utf8_lossy(&line[..end]).into_owned());
        }
        if buffer.len() > MAX_HEAD || !fill(stream, buffer).await {
            return None;
        }
    }
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
    if reply.mode == Mode::Drop {
        return Ok(());
    }
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
    let body = match reply.mode {
        Mode::Truncate => &reply.body[..reply.body.len() / 2],
        _ => &reply.body[..],
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
            Reply::text(201, "first").header("x-a", "1"),
            Reply::status(204),
        ])
        .await;
        let answer = exchange(
            &server,
            b"POST /a%2Fb?x=1 HTTP/1.1\r\nHost: t\r\nX-Mixed-Case: v\r\nContent-Length: 3\r\n\r\nabc\
              GET /second HTTP/1.1\r\nHost: t\r\n\r\n",
        )
        .await;
        let answer = String::from_utf8(answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 201 Created\r\n"), "{answer}");
        assert!(answer.contains("x-a: 1\r\n"), "{answer}");
        assert!(answer.contains("first"), "{answer}");
        assert!(answer.contains("HTTP/1.1 204 No Content\r\n"), "{answer}");
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].request_line(), "POST /a%2Fb?x=1 HTTP/1.1");
        assert_eq!(requests[0].path(), "/a%2Fb");
        assert_eq!(requests[0].query(), Some("x=1"));
        assert_eq!(requests[0].header("x-mixed-case"), Some("v"));
        assert_eq!(requests[0].headers[1].0, "X-Mixed-Case");
        assert_eq!(requests[0].body, b"abc");
        assert_eq!(requests[1].index, 1);
        assert_eq!(requests[1].query(), None);
        assert!(requests[1].body.is_empty());
    }

    #[tokio::test]
    async fn decodes_chunked_bodies() {
        let server = TestServer::start(vec![Reply::status(200)]).await;
        exchange(
            &server,
            b"PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n",
        )
        .await;
        assert_eq!(server.requests()[0].body, b"abcde");
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
    async fn drop_and_truncate_modes() {
        let server = TestServer::start(vec![
            Reply::drop_connection(),
            Reply::text(200, "0123456789").truncated(),
        ])
        .await;
        assert!(
            exchange(&server, b"GET /1 HTTP/1.1\r\n\r\n")
                .await
                .is_empty()
        );
        let answer = exchange(&server, b"GET /2 HTTP/1.1\r\n\r\n").await;
        let answer = String::from_utf8(answer).unwrap();
        assert!(answer.contains("content-length: 10\r\n"), "{answer}");
        assert!(answer.ends_with("\r\n\r\n01234"), "{answer}");
    }

    #[tokio::test]
    async fn delay_holds_back_the_whole_response() {
        let server =
            TestServer::start(vec![Reply::status(200).delay(Duration::from_millis(200))]).await;
        let started = Instant::now();
        exchange(&server, b"GET / HTTP/1.1\r\n\r\n").await;
        assert!(started.elapsed() >= Duration::from_millis(190));
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
