//! Where requests go when the spec's server is relative or missing: a relative server is a path
//! under the client's base URL; without a base URL the call fails before sending, saying why.

use ppio::{Client, Error, InvalidRequest};
use ppio_tests::TEST_API_KEY;
use ppio_tests::mock::{Received, json, only_request};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers one GET of `route` with `reply`.
async fn server(route: &str, reply: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(reply)
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn client(base_url: Option<&str>) -> Client {
    let mut builder = Client::builder().api_key(TEST_API_KEY).max_retries(0);
    if let Some(base_url) = base_url {
        builder = builder.base_url(base_url);
    }
    builder.build().expect("build client")
}

#[tokio::test]
async fn a_relative_server_is_a_path_under_the_base_url() {
    use ppio_tests::golden::relative_server::Api;
    let server = server("/api/v3/pet/7", json(200, &json!({"id": 7}))).await;
    let client = client(Some(&server.uri()));
    let pet = Api::new(&client).get_pet_by_id(7).await.unwrap();
    assert_eq!(pet.id, 7);
    assert_eq!(only_request(&server).await.line(), "GET /api/v3/pet/7");
}

#[tokio::test]
async fn relative_or_missing_servers_without_a_base_url_say_a_base_url_is_needed() {
    let client = client(None);
    let err = ppio_tests::golden::relative_server::Api::new(&client)
        .get_pet_by_id(7)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::InvalidRequest {
                reason: InvalidRequest::NoBaseUrl { server: "/api/v3" },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("base URL"), "{err}");

    let err = ppio_tests::golden::no_server::Api::new(&client)
        .health()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::InvalidRequest {
                reason: InvalidRequest::NoBaseUrl { server: "" },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("ClientBuilder::base_url"), "{err}");
}

#[tokio::test]
async fn no_server_goes_to_the_base_url() {
    let server = server("/health", ResponseTemplate::new(204)).await;
    let client = client(Some(&server.uri()));
    ppio_tests::golden::no_server::Api::new(&client)
        .health()
        .await
        .unwrap();
    assert_eq!(only_request(&server).await.line(), "GET /health");
}

#[tokio::test]
async fn an_absolute_server_is_replaced_whole_by_the_base_url() {
    // The minimal fixture's server is `https://api.ppio.com`; the base URL takes its place,
    // including any path the server had.
    let server = server(
        "/proxy/gpus/v2/instances/i",
        json(
            200,
            &json!({"id": "i", "status": "running", "resource": {"gpu_num": 1}}),
        ),
    )
    .await;
    let client = client(Some(&format!("{}/proxy", server.uri())));
    ppio_tests::golden::minimal::Api::new(&client)
        .get_instance("i")
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).await.line(),
        "GET /proxy/gpus/v2/instances/i"
    );
}
