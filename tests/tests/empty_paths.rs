//! A spec whose paths have no operations still gives a module that compiles under
//! `deny(warnings)` (the golden `empty_paths` is part of this crate), with an `Api` handle that
//! carries the client.

use ppio::Client;
use ppio_tests::TEST_API_KEY;
use ppio_tests::golden::empty_paths::{Api, Marker};
use ppio_tests::mock::requests;
use wiremock::MockServer;

#[tokio::test]
async fn an_api_without_operations_still_carries_its_client() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.uri())
        .build()
        .unwrap();
    let api = Api::new(&client);
    assert_eq!(api.client().base_url(), Some(server.uri().as_str()));
    assert_eq!(Marker::new().id("m").id.as_deref(), Some("m"));
    assert!(requests(&server).await.is_empty());
}
