//! Schema shapes from vendors' specs that must decode, in the golden `shapes` client against a
//! real server.

use ppio::Client;
use ppio_tests::TEST_API_KEY;
use ppio_tests::golden::shapes::Api;
use ppio_tests::mock::{Received, json, only_request};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(base_url)
        .max_retries(0)
        .build()
        .expect("build client")
}

#[tokio::test]
async fn all_of_that_only_documents_holds_any_json_value() {
    let body = json!({
        "id": "m1",
        "note": "a string",
        "name": "Aaron Levie",
        "amount": 100,
        "tags": ["a", "b"],
        "owner": {"id": 1},
        "payload": "{\"zen\": \"ok\"}",
    });
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/metadata/m1"))
        .respond_with(json(200, &body))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let sent: ppio_tests::golden::shapes::Metadata = serde_json::from_value(body.clone()).unwrap();
    let metadata = Api::new(&client).put_metadata("m1", &sent).await.unwrap();
    assert_eq!(metadata.note, Some(json!("a string")));
    // Present and not null.
    assert_eq!(metadata.payload, Some(Some(r#"{"zen": "ok"}"#.to_owned())));
    assert_eq!(metadata.additional_properties["name"], json!("Aaron Levie"));
    assert_eq!(metadata.additional_properties["amount"], json!(100));
    assert_eq!(metadata.additional_properties["tags"], json!(["a", "b"]));
    assert_eq!(only_request(&server).await.json(), body);
}

#[tokio::test]
async fn one_member_all_of_keeps_the_properties_beside_it() {
    use ppio_tests::golden::shapes::FirewallCreate;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/firewalls"))
        .respond_with(json(
            200,
            &json!({"label": "fw", "devices": [1, 2], "rules": {"inbound": ["ssh"]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let created = Api::new(&client)
        .create_firewall(
            &FirewallCreate::builder()
                .devices(vec![1, 2])
                .label("fw")
                .build(),
        )
        .await
        .unwrap();
    assert_eq!(created.devices, vec![1, 2]);
    assert_eq!(created.label, "fw");
    let rules = created.rules.expect("rules");
    assert_eq!(rules.inbound, Some(vec!["ssh".to_owned()]));
    assert_eq!(
        only_request(&server).await.json(),
        json!({"label": "fw", "devices": [1, 2]})
    );
}

#[tokio::test]
async fn an_any_of_that_only_requires_properties_leaves_the_object_typed() {
    use ppio_tests::golden::shapes::{FilesValue, UpdateNoteRequest};
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/notes/n1"))
        .respond_with(wiremock::ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let api = Api::new(&client);
    api.update_note("n1", &UpdateNoteRequest::new().title("t"))
        .await
        .unwrap();
    let files = [
        ("a.txt".to_owned(), Some(FilesValue::new().content("x"))),
        ("gone.txt".to_owned(), None),
    ];
    api.update_note("n1", &UpdateNoteRequest::new().files(files))
        .await
        .unwrap();
    let requests = ppio_tests::mock::requests(&server).await;
    assert_eq!(requests[0].json(), json!({"title": "t"}));
    assert_eq!(
        requests[1].json(),
        json!({"files": {"a.txt": {"content": "x"}, "gone.txt": null}})
    );
}
