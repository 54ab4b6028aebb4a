//! A client generated from a vendor document plus an overlay sends what the corrected document
//! says (`generator/tests/fixtures/overlaid.yaml` + `generator/tests/overlays/overlaid.yaml`).

use ppio::Client;
use ppio_tests::TEST_API_KEY;
use ppio_tests::golden::overlaid::{Api, ListItemsParams};
use ppio_tests::mock::{Received, json, only_request};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer};

#[tokio::test]
async fn the_overlay_removes_a_parameter_and_adds_another() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(query_param("page", "2"))
        .respond_with(json(200, &json!(["a", "b"])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.uri())
        .build()
        .unwrap();
    // Without the overlay, `ListItemsParams::new` would need the removed `legacy` value.
    let items = Api::new(&client)
        .list_items_with(&ListItemsParams::new().page(2))
        .await
        .unwrap();
    assert_eq!(items, ["a", "b"]);
    assert_eq!(only_request(&server).await.line(), "GET /items?page=2");
}
