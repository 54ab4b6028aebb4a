//! The golden `self_ref` client, whose schemas only refer to themselves, against a real server:
//! those schemas are JSON values, so anything the server sends for them decodes.

use ppio::Client;
use ppio_tests::golden::self_ref::{Api, Holder, Object, Ping, Thing};
use ppio_tests::{Reply, TEST_API_KEY, TestServer};
use serde_json::json;

#[tokio::test]
async fn self_referencing_schemas_decode_as_json_values() {
    let server = TestServer::start(vec![Reply::json(
        200,
        &json!({"thing": {"any": ["shape", 1]}, "ping": "pong"}),
    )])
    .await;
    let client = Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.url())
        .build()
        .unwrap();
    let holder: Holder = Api::new(&client).get_holder("h").await.unwrap();
    let thing: &Thing = &holder.thing;
    let object: &Object = thing;
    assert_eq!(object, &json!({"any": ["shape", 1]}));
    let ping: &Ping = &holder.ping;
    assert_eq!(ping, &json!("pong"));
}
