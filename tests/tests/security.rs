//! Credentials on the wire: the golden `security` client (generated from
//! `generator/tests/fixtures/security.yaml`) against a real server, one scheme kind at a time,
//! and the places a secret must never show up (errors, `Debug`, tracing).

use apiwire::{Client, ClientBuilder, Credential};
use ppio_tests::golden::security::{Api, WithHeaderKeyParams, WithQueryKeyParams};
use ppio_tests::mock::{Received, only_request};
use ppio_tests::{TEST_API_KEY, refused_url};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "tok_SECRET_bearer_91c3";
const USER: &str = "AC_user_7f";
const PASSWORD: &str = "pw_SECRET_basic_5d2e";
const KEY: &str = "key_SECRET_apikey_0a8b";

/// A client for another vendor's spec: the runtime's generic profile, which reads no
/// environment variable and needs no key.
fn builder(base_url: &str) -> ClientBuilder {
    Client::builder().base_url(base_url).max_retries(0)
}

/// Runs one call against a server that answers 204 and returns what it received. The builder
/// may be the runtime's or a vendor crate's (whose client converts back into the runtime's).
async fn received<C, F>(builder: ClientBuilder<C>, call: F) -> Request
where
    C: From<Client> + Into<Client>,
    F: for<'a> AsyncFnOnce(Api<'a>),
{
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client: Client = builder
        .base_url(server.uri())
        .build()
        .expect("build client")
        .into();
    call(Api::new(&client)).await;
    only_request(&server).await
}

/// `Basic base64("{USER}:{PASSWORD}")`, written out rather than computed so the test does
/// not share the runtime's encoder.
const BASIC: &str = "Basic QUNfdXNlcl83Zjpwd19TRUNSRVRfYmFzaWNfNWQyZQ==";

#[tokio::test]
async fn a_client_without_any_credential_builds_and_sends_none() {
    let client = builder("http://127.0.0.1:9").build();
    assert!(client.is_ok(), "{client:?}");
    let request = received(builder(""), async |api| {
        api.public_info().await.unwrap();
    })
    .await;
    assert_eq!(request.header("authorization"), None);
    assert_eq!(request.header("cookie"), None);
}

#[tokio::test]
async fn bearer_inherited_from_the_document() {
    let request = received(builder("").bearer_token(TOKEN), async |api| {
        api.list_items().await.unwrap();
    })
    .await;
    assert_eq!(request.line(), "GET /items");
    assert_eq!(
        request.header_all("authorization"),
        [format!("Bearer {TOKEN}")]
    );
}

#[tokio::test]
async fn http_basic() {
    let request = received(builder("").basic_auth(USER, PASSWORD), async |api| {
        api.with_basic().await.unwrap();
    })
    .await;
    assert_eq!(request.header_all("authorization"), [BASIC]);
}

#[tokio::test]
async fn api_key_in_a_header_replaces_the_parameter_the_spec_also_lists() {
    let client = builder("").credential("headerKey", Credential::api_key(KEY));
    let request = received(client, async |api| {
        api.with_header_key_with(&WithHeaderKeyParams::new().x_trace("t-1"))
            .await
            .unwrap();
    })
    .await;
    assert_eq!(request.header_all("x-api-key"), [KEY]);
    assert_eq!(request.header("x-trace"), Some("t-1"));
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn api_key_in_the_query_after_the_parameters() {
    let client = builder("").credential("queryKey", Credential::api_key("k y&=1"));
    let request = received(client, async |api| {
        api.with_query_key_with(&WithQueryKeyParams::new().limit(5))
            .await
            .unwrap();
    })
    .await;
    assert_eq!(request.target(), "/query?limit=5&api_key=k%20y%26%3D1");
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn api_key_in_a_cookie() {
    let client = builder("").credential("cookieKey", Credential::api_key(KEY));
    let request = received(client, async |api| {
        api.with_cookie_key().await.unwrap();
    })
    .await;
    assert_eq!(request.header_all("cookie"), [format!("session={KEY}")]);
}

#[tokio::test]
async fn oauth2_and_openid_connect_tokens_are_bearer() {
    let client = || {
        builder("")
            .credential("oauth", Credential::bearer("oauth-token"))
            .bearer_token(TOKEN)
    };
    let request = received(client(), async |api| {
        api.with_oauth().await.unwrap();
    })
    .await;
    // The credential named for the scheme wins over the fallback.
    assert_eq!(request.header_all("authorization"), ["Bearer oauth-token"]);
    let request = received(client(), async |api| {
        api.with_oidc().await.unwrap();
    })
    .await;
    assert_eq!(
        request.header_all("authorization"),
        [format!("Bearer {TOKEN}")]
    );
}

#[tokio::test]
async fn both_keys_together_or_else_basic() {
    let both = builder("")
        .credential("headerKey", Credential::api_key("hk"))
        .credential("queryKey", Credential::api_key("qk"))
        .basic_auth(USER, PASSWORD);
    let request = received(both, async |api| {
        api.with_key_pair_or_basic().await.unwrap();
    })
    .await;
    // The first alternative the client can satisfy is the one sent, whole.
    assert_eq!(request.header("x-api-key"), Some("hk"));
    assert_eq!(request.url.query(), Some("api_key=qk"));
    assert_eq!(request.header("authorization"), None);

    // With only one of the two keys, the first alternative cannot be met.
    let one_key = builder("")
        .credential("headerKey", Credential::api_key("hk"))
        .basic_auth(USER, PASSWORD);
    let request = received(one_key, async |api| {
        api.with_key_pair_or_basic().await.unwrap();
    })
    .await;
    assert_eq!(request.header("x-api-key"), None);
    assert_eq!(request.url.query(), None);
    assert_eq!(request.header_all("authorization"), [BASIC]);
}

#[tokio::test]
async fn missing_credentials_send_nothing_and_the_server_decides() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server.uri()).bearer_token(TOKEN).build().unwrap();
    let error = Api::new(&client).with_basic().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    let request = only_request(&server).await;
    assert_eq!(request.line(), "GET /basic");
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn anonymous_access_sends_a_key_when_there_is_one() {
    let request = received(builder(""), async |api| {
        api.optional_auth().await.unwrap();
    })
    .await;
    assert_eq!(request.header("x-api-key"), None);
    let client = builder("").credential("headerKey", Credential::api_key(KEY));
    let request = received(client, async |api| {
        api.optional_auth().await.unwrap();
    })
    .await;
    assert_eq!(request.header("x-api-key"), Some(KEY));
}

#[tokio::test]
async fn the_ppio_key_goes_only_where_nothing_else_is_declared() {
    // PPIO's defaults: the key is the default credential, sent as Bearer.
    let ppio = || ppio::Client::builder().api_key(TEST_API_KEY).max_retries(0);
    let bearer = format!("Bearer {TEST_API_KEY}");
    let request = received(ppio(), async |api| {
        api.public_info().await.unwrap();
    })
    .await;
    assert_eq!(request.header_all("authorization"), [bearer.as_str()]);
    // A token scheme without its own credential takes it too.
    let request = received(ppio(), async |api| {
        api.list_items().await.unwrap();
    })
    .await;
    assert_eq!(request.header_all("authorization"), [bearer.as_str()]);
    // An API key scheme never does, and nothing else is sent instead.
    let request = received(ppio(), async |api| {
        api.with_cookie_key().await.unwrap();
    })
    .await;
    assert_eq!(request.header("authorization"), None);
    assert_eq!(request.header("cookie"), None);
}

#[test]
fn credentials_never_show_in_debug() {
    let builder = builder("http://127.0.0.1:9")
        .credential("headerKey", Credential::api_key(KEY))
        .basic_auth(USER, PASSWORD)
        .bearer_token(TOKEN);
    let client = builder.build().unwrap();
    let builder = ppio::Client::builder()
        .api_key(TEST_API_KEY)
        .credential("cookieKey", Credential::api_key(KEY));
    let text = format!(
        "{client:?} {client:#?} {builder:?} {:?}",
        Credential::basic(USER, PASSWORD)
    );
    for secret in [KEY, PASSWORD, TOKEN, TEST_API_KEY, USER] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert!(text.contains("headerKey"), "{text}");
}

#[test]
fn a_credential_that_cannot_be_sent_is_refused_without_echo() {
    let error = builder("http://127.0.0.1:9")
        .credential("headerKey", Credential::api_key("line\nbreak_SECRET"))
        .build()
        .unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(text.contains("headerKey"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
}

#[tokio::test]
async fn a_query_key_never_shows_in_errors_or_traces() {
    let client = builder(&refused_url())
        .credential("queryKey", Credential::api_key(KEY))
        .build()
        .unwrap();
    let (error, traced) = capture_traces(async || {
        Api::new(&client)
            .with_query_key_with(&WithQueryKeyParams::new().limit(1))
            .await
            .unwrap_err()
    })
    .await;
    assert!(matches!(error, ppio::Error::Connect { .. }), "{error:?}");
    let mut text = format!("{error} {error:?} {traced}");
    let mut source = std::error::Error::source(&error);
    while let Some(inner) = source {
        text.push_str(&format!(" {inner} {inner:?}"));
        source = inner.source();
    }
    assert!(!text.contains(KEY), "{text}");
    // The URL in the transport error is still there to debug with, minus the key.
    assert!(text.contains("api_key=REDACTED"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// A small `tracing` capture: every span and event field, as text, while `capture_traces` runs.
// ---------------------------------------------------------------------------------------------

static CAPTURED: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

struct Capture(std::sync::atomic::AtomicU64);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        span.record(&mut Fields(&mut CAPTURED.lock().unwrap()));
        let id = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tracing::span::Id::from_u64(id + 1)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Fields(&mut CAPTURED.lock().unwrap()));
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut Fields(&mut CAPTURED.lock().unwrap()));
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

/// Runs `f` with every trace recorded and returns its output and the traces (the only test
/// in this binary that installs a subscriber, so the global one is safe).
async fn capture_traces<T>(f: impl AsyncFnOnce() -> T) -> (T, String) {
    tracing::subscriber::set_global_default(Capture(std::sync::atomic::AtomicU64::new(0)))
        .expect("no other global subscriber in this test binary");
    let out = f().await;
    let traced = std::mem::take(&mut *CAPTURED.lock().unwrap());
    assert!(traced.contains("GET"), "nothing traced: {traced:?}");
    (out, traced)
}
