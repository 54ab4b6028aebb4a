//! Request and response media types of the golden `media` client against a real server.

use ppio::Client;
use ppio_tests::golden::media::{Api, PatchOp, ThingPatch};
use ppio_tests::{Reply, TEST_API_KEY, TestServer};
use serde_json::json;

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(base_url)
        .max_retries(0)
        .build()
        .expect("build client")
}

#[tokio::test]
async fn patch_bodies_go_out_with_their_declared_content_type() {
    let server = TestServer::start(vec![
        Reply::json(200, &json!({"id": "t1", "name": "new"}))
            .header("content-type", "application/vnd.thing+json"),
        Reply::status(204),
    ])
    .await;
    let client = client(&server.url());
    let api = Api::new(&client);
    let thing = api
        .merge_thing("t1", &ThingPatch::new().name("new"))
        .await
        .unwrap();
    assert_eq!(thing.name, "new");
    api.patch_thing(
        "t1",
        &vec![
            PatchOp::builder()
                .op("replace")
                .path("/name")
                .build()
                .value(json!("x")),
        ],
    )
    .await
    .unwrap();

    let requests = server.requests();
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/merge-patch+json")
    );
    // The client asks for the media type the spec says comes back.
    assert_eq!(
        requests[0].header("accept"),
        Some("application/vnd.thing+json")
    );
    assert_eq!(requests[1].header("accept"), Some("application/json"));
    assert_eq!(requests[0].body_json(), json!({"name": "new"}));
    assert_eq!(
        requests[1].header("content-type"),
        Some("application/json-patch+json")
    );
    assert_eq!(
        requests[1].body_json(),
        json!([{"op": "replace", "path": "/name", "value": "x"}])
    );
}

#[tokio::test]
async fn an_optional_body_is_an_option_and_none_sends_no_body() {
    let server = TestServer::start(vec![Reply::status(204), Reply::status(204)]).await;
    let client = client(&server.url());
    let api = Api::new(&client);
    api.touch_thing("t1", None).await.unwrap();
    api.touch_thing("t1", Some(&ThingPatch::new().name("n")))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].request_line(), "POST /things/t1/touch HTTP/1.1");
    assert_eq!(requests[0].header("content-type"), None);
    assert!(requests[0].body.is_empty());
    assert_eq!(requests[1].header("content-type"), Some("application/json"));
    assert_eq!(requests[1].body_json(), json!({"name": "n"}));
}

#[tokio::test]
async fn an_undeclared_success_status_decodes_like_the_first_declared_one() {
    use ppio_tests::golden::media::CreateThingResponse;
    let server = TestServer::start(vec![
        Reply::json(202, &json!({"queued": true})),
        Reply::json(200, &json!({"id": "t9", "name": "n"})),
    ])
    .await;
    let client = client(&server.url());
    let api = Api::new(&client);
    let body = ThingPatch::new().name("n");
    match api.create_thing(&body).await.unwrap() {
        CreateThingResponse::Accepted(queued) => assert_eq!(queued.queued, Some(true)),
        other => panic!("expected Accepted, got {other:?}"),
    }
    match api.create_thing(&body).await.unwrap() {
        CreateThingResponse::Created(thing) => assert_eq!(thing.id, "t9"),
        other => panic!("expected Created, got {other:?}"),
    }
}

#[tokio::test]
async fn a_non_json_response_is_asked_for_by_its_media_type() {
    let server = TestServer::start(vec![
        Reply::text(200, "id,name\nt1,new\n").header("content-type", "text/csv"),
    ])
    .await;
    let client = client(&server.url());
    let csv = Api::new(&client).export_thing("t1").await.unwrap();
    assert_eq!(&csv[..], b"id,name\nt1,new\n");
    assert_eq!(server.requests()[0].header("accept"), Some("text/csv"));
}
