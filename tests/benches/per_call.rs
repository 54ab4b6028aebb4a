//! Per-call overhead of the generated client: `ppio::Client`'s `v2().create_instance` beside the
//! same request made with plain `reqwest`, against one keep-alive HTTP/1.1 server on 127.0.0.1.
//!
//! Both sides send the same bytes (the same JSON body, serialized per call, and the same
//! headers; checked once before measuring) and decode the same small JSON answer into the same
//! type, so the difference is what the runtime adds: building and validating the request,
//! credentials, the retry loop with its deadline, tracing spans and the decoder. A third
//! benchmark writes the request bytes to a socket by hand and reads the answer, the floor the
//! server and the loopback set; it should be well below both clients, showing that the server
//! is not what is measured.
//!
//! Run with `cargo bench -p ppio-tests --bench per_call`, or `cargo xtask bench --per-call`,
//! which reads criterion's medians and writes them to `docs/performance.md`.

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apiwire::reqwest;
use apiwire::reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use criterion::{Criterion, criterion_group, criterion_main};
use ppio::v2;

const KEY: &str = "sk_bench_not_a_secret";
const PATH: &str = "/gpus/v2/instances";
const ANSWER: &[u8] = br#"{"id":"i-bench-0001"}"#;

/// The request body both sides send. Kept in one place: constructors of generated types change.
fn body() -> v2::CreateInstanceRequest {
    v2::CreateInstanceRequest::builder()
        .name("bench")
        .product_id("prod-a100-80g-sxm")
        .image("nginx:1.27")
        .billing(
            v2::Billing::builder()
                .mode(v2::BillingMode::Postpaid)
                .build(),
        )
        .resource(
            v2::Resource::builder()
                .rootfs_size_gb(50)
                .gpu_num(1)
                .build(),
        )
        .build()
}

/// What the server saw of one request: its header lines (lower-cased, sorted) and body.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    request_line: String,
    headers: Vec<String>,
    body: Vec<u8>,
}

/// A blocking keep-alive HTTP/1.1 server, one thread per connection, answering every request
/// with the same small JSON document. It records the last request only when asked to, so the
/// measured loop costs it one atomic load.
struct Server {
    addr: SocketAddr,
    record: Arc<AtomicBool>,
    last: Arc<Mutex<Option<Seen>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let record = Arc::new(AtomicBool::new(false));
        let last = Arc::new(Mutex::new(None));
        let (record_in, last_in) = (record.clone(), last.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (record, last) = (record_in.clone(), last_in.clone());
                std::thread::spawn(move || serve(stream, &record, &last));
            }
        });
        Server { addr, record, last }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Runs `send` once with recording on and returns what the server saw.
    fn capture(&self, send: impl FnOnce()) -> Seen {
        self.record.store(true, Ordering::SeqCst);
        send();
        self.record.store(false, Ordering::SeqCst);
        self.last
            .lock()
            .expect("lock")
            .take()
            .expect("no request seen")
    }
}

fn serve(stream: TcpStream, record: &AtomicBool, last: &Mutex<Option<Seen>>) {
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone().expect("cloning the stream");
    let mut reader = BufReader::new(stream);
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        ANSWER.len()
    );
    let response = [head.as_bytes(), ANSWER].concat();
    let mut line = String::new();
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = Vec::new();
        let mut length = 0;
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let header = header.to_ascii_lowercase();
            if let Some(value) = header.strip_prefix("content-length:") {
                length = value.trim().parse().expect("content-length");
            }
            headers.push(header);
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        if record.load(Ordering::Relaxed) {
            headers.sort();
            let seen = Seen {
                request_line: request_line.trim_end().to_owned(),
                headers,
                body,
            };
            *last.lock().expect("lock") = Some(seen);
        }
        if writer.write_all(&response).is_err() {
            return;
        }
    }
}

/// The plain side: what a caller writes with reqwest alone, with the transport settings
/// `ppio::Client` gives its own reqwest client (connect timeout, no redirects).
struct Plain {
    http: reqwest::Client,
    url: String,
    user_agent: HeaderValue,
    authorization: HeaderValue,
}

impl Plain {
    fn new(base_url: &str) -> Plain {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("building reqwest client");
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {KEY}")).expect("header value");
        authorization.set_sensitive(true);
        Plain {
            http,
            url: format!("{base_url}{PATH}"),
            user_agent: HeaderValue::from_static(ppio::PROFILE.user_agent()),
            authorization,
        }
    }

    async fn create_instance(
        &self,
        body: &v2::CreateInstanceRequest,
    ) -> v2::CreateInstanceResponse {
        let bytes = serde_json::to_vec(body).expect("serializing");
        let response = self
            .http
            .post(&self.url)
            .header(USER_AGENT, self.user_agent.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(AUTHORIZATION, self.authorization.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(bytes)
            .send()
            .await
            .expect("sending");
        assert!(response.status().is_success(), "{}", response.status());
        let answer = response.bytes().await.expect("reading the body");
        serde_json::from_slice(&answer).expect("decoding")
    }
}

/// The floor: the request `ppio` sends, written by hand on one blocking keep-alive socket.
struct Raw {
    stream: BufReader<TcpStream>,
    request: Vec<u8>,
}

impl Raw {
    fn new(addr: SocketAddr, seen: &Seen) -> Raw {
        let stream = TcpStream::connect(addr).expect("connecting");
        stream.set_nodelay(true).expect("nodelay");
        let mut request = format!("{}\r\n", seen.request_line);
        for header in &seen.headers {
            request.push_str(header);
            request.push_str("\r\n");
        }
        request.push_str("\r\n");
        let mut request = request.into_bytes();
        request.extend_from_slice(&seen.body);
        Raw {
            stream: BufReader::new(stream),
            request,
        }
    }

    fn round_trip(&mut self) -> usize {
        self.stream
            .get_mut()
            .write_all(&self.request)
            .expect("writing");
        let mut length = 0;
        let mut line = String::new();
        loop {
            line.clear();
            self.stream.read_line(&mut line).expect("reading");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some(value) = header.strip_prefix("content-length: ") {
                length = value.parse().expect("content-length");
            }
        }
        let mut answer = vec![0; length];
        self.stream.read_exact(&mut answer).expect("reading");
        answer.len()
    }
}

fn per_call(c: &mut Criterion) {
    let server = Server::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = ppio::Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .build()
        .expect("building ppio client");
    let plain = Plain::new(&server.url());
    let body = body();

    // Both sides must put the same request on the wire and read the same answer.
    let ours = server.capture(|| {
        let got = runtime
            .block_on(client.v2().create_instance(&body).send())
            .expect("ppio call");
        assert_eq!(got.id.as_deref(), Some("i-bench-0001"));
    });
    let theirs = server.capture(|| {
        let got = runtime.block_on(plain.create_instance(&body));
        assert_eq!(got.id.as_deref(), Some("i-bench-0001"));
    });
    assert_eq!(ours, theirs, "the two sides sent different requests");
    let mut raw = Raw::new(server.addr, &ours);

    let mut group = c.benchmark_group("per_call");
    group.bench_function("ppio", |b| {
        b.to_async(&runtime)
            .iter(|| async { client.v2().create_instance(&body).await.expect("ppio call") });
    });
    group.bench_function("reqwest", |b| {
        b.to_async(&runtime).iter(|| plain.create_instance(&body));
    });
    group.bench_function("raw_tcp", |b| b.iter(|| raw.round_trip()));
    group.finish();
}

criterion_group!(benches, per_call);
criterion_main!(benches);
