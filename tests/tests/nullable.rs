//! Nullability in the golden `nullable` client against a real server: through `$ref`, in
//! optional fields (absent, `null`, value) and in their setters.

use ppio::Client;
use ppio_tests::TEST_API_KEY;
use ppio_tests::golden::nullable::{Api, Owner};
use ppio_tests::mock::{Received, json, mount_in_order, requests};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(base_url)
        .max_retries(0)
        .build()
        .expect("build client")
}

#[tokio::test]
async fn required_refs_to_nullable_components_accept_null() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/records/r1"))
        .respond_with(json(
            200,
            &json!({"id": "r1", "note": null, "owner": null, "alias": null}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/records/r2"))
        .respond_with(json(
            200,
            &json!({"id": "r2", "note": "hi", "owner": {"name": "ann"}, "alias": "a"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let api = Api::new(&client);
    let record = api.get_record("r1").await.unwrap();
    assert_eq!(record.note, None);
    assert_eq!(record.owner, None);
    assert_eq!(record.alias, None);
    let record = api.get_record("r2").await.unwrap();
    assert_eq!(record.note.as_deref(), Some("hi"));
    assert_eq!(record.owner, Some(Owner::builder().name("ann").build()));
    assert_eq!(record.alias.as_deref(), Some("a"));
}

#[tokio::test]
async fn nullable_setters_take_values_like_other_setters_and_send_null_on_request() {
    use ppio_tests::golden::nullable::RecordInput;
    let server = MockServer::start().await;
    // One mock per expected body: each is matched, and so sent, exactly once.
    for body in [
        json!({"comment": "hello", "count": 3}),
        json!({"comment": null, "count": null}),
        json!({}),
    ] {
        Mock::given(method("POST"))
            .and(path("/records"))
            .and(body_json(body))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server.uri());
    let api = Api::new(&client);
    api.create_record(&RecordInput::new().comment("hello").count(3))
        .await
        .unwrap();
    api.create_record(&RecordInput::new().comment_null().count_null())
        .await
        .unwrap();
    api.create_record(&RecordInput::new()).await.unwrap();
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].json(), json!({"comment": "hello", "count": 3}));
    assert_eq!(requests[1].json(), json!({"comment": null, "count": null}));
    assert_eq!(requests[2].text(), "{}");
}

#[tokio::test]
async fn optional_nullable_integers_are_lenient_and_keep_null_apart_from_absent() {
    let server = MockServer::start().await;
    mount_in_order(
        &server,
        || Mock::given(method("GET")).and(path("/records/r")),
        [
            json(
                200,
                &json!({"id": "r", "note": null, "owner": null, "alias": null, "count": "5", "size": null}),
            ),
            json(
                200,
                &json!({"id": "r", "note": null, "owner": null, "alias": null, "count": 6}),
            ),
        ],
    )
    .await;
    let client = client(&server.uri());
    let api = Api::new(&client);
    let record = api.get_record("r").await.unwrap();
    assert_eq!(record.count, Some(Some(5)));
    assert_eq!(record.size, Some(None));
    let record = api.get_record("r").await.unwrap();
    assert_eq!(record.count, Some(Some(6)));
    assert_eq!(record.size, None);
}

#[tokio::test]
async fn nullable_array_items_map_values_and_all_of_members_accept_null() {
    use ppio_tests::golden::nullable::Slot;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/shelves/s1"))
        .respond_with(json(
            200,
            &json!({
                "owners": [{"name": "ann"}, null],
                "slots": [null, {"position": 2}],
                "labels": {"colour": "red", "just-a-key": null},
                "sequence": null,
            }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let shelf = Api::new(&client).get_shelf("s1").await.unwrap();
    assert_eq!(
        shelf.owners,
        vec![Some(Owner::builder().name("ann").build()), None]
    );
    assert_eq!(shelf.slots, vec![None, Some(Slot::new().position(2))]);
    assert_eq!(shelf.labels["colour"].as_deref(), Some("red"));
    assert_eq!(shelf.labels["just-a-key"], None);
    assert_eq!(shelf.sequence, None);
    assert_eq!(
        serde_json::to_value(&shelf).unwrap()["owners"],
        json!([{"name": "ann"}, null])
    );
}
