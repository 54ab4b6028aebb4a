//! The golden `self_ref` client, whose schemas only refer to themselves, against a real server:
//! those schemas are JSON values, so anything the server sends for them decodes.

use ppio::Client;
use ppio_tests::TEST_API_KEY;
use ppio_tests::golden::self_ref::{Api, Holder, Object, Ping, Thing};
use ppio_tests::mock::json;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

#[tokio::test]
async fn self_referencing_schemas_decode_as_json_values() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/holders/h"))
        .respond_with(json(
            200,
            &json!({"thing": {"any": ["shape", 1]}, "ping": "pong"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.uri())
        .build()
        .unwrap();
    let holder: Holder = Api::new(&client).get_holder("h").await.unwrap();
    let thing: &Thing = &holder.thing;
    let object: &Object = thing;
    assert_eq!(object, &json!({"any": ["shape", 1]}));
    let ping: &Ping = &holder.ping;
    assert_eq!(ping, &json!("pong"));
}
