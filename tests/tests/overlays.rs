//! A client generated from a vendor document plus an overlay sends what the corrected document
//! says (`generator/tests/fixtures/overlaid.yaml` + `generator/tests/overlays/overlaid.yaml`).

use ppio::Client;
use ppio_tests::golden::overlaid::{Api, ListItemsParams};
use ppio_tests::{Reply, TEST_API_KEY, TestServer};
use serde_json::json;

#[tokio::test]
async fn the_overlay_removes_a_parameter_and_adds_another() {
    let server = TestServer::start(vec![Reply::json(200, &json!(["a", "b"]))]).await;
    let client = Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.url())
        .build()
        .unwrap();
    // Without the overlay, `ListItemsParams::new` would need the removed `legacy` value.
    let items = Api::new(&client)
        .list_items_with(&ListItemsParams::new().page(2))
        .await
        .unwrap();
    assert_eq!(items, ["a", "b"]);
    assert_eq!(
        server.requests()[0].request_line(),
        "GET /items?page=2 HTTP/1.1"
    );
}
