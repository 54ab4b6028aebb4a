//! Request and response media types of the golden `media` client against a real server.

use ppio::Client;
use ppio_tests::TEST_API_KEY;
use ppio_tests::golden::media::{Api, PatchOp, ThingPatch};
use ppio_tests::mock::{Received, json, mount_in_order, only_request, requests};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(base_url)
        .max_retries(0)
        .build()
        .expect("build client")
}

/// A server that answers `expected` `verb` requests for `route` with `response`.
async fn answering(
    verb: &str,
    route: &str,
    response: ResponseTemplate,
    expected: u64,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .expect(expected)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn patch_bodies_go_out_with_their_declared_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/things/t1"))
        .and(header("content-type", "application/merge-patch+json"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            json!({"id": "t1", "name": "new"}).to_string(),
            "application/vnd.thing+json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/things/t1"))
        .and(header("content-type", "application/json-patch+json"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
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

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].header_all("content-type"),
        ["application/merge-patch+json"]
    );
    // The client asks for the media type the spec says comes back.
    assert_eq!(
        requests[0].header("accept"),
        Some("application/vnd.thing+json")
    );
    assert_eq!(requests[1].header("accept"), Some("application/json"));
    assert_eq!(requests[0].json(), json!({"name": "new"}));
    assert_eq!(
        requests[1].header_all("content-type"),
        ["application/json-patch+json"]
    );
    assert_eq!(
        requests[1].json(),
        json!([{"op": "replace", "path": "/name", "value": "x"}])
    );
}

#[tokio::test]
async fn an_optional_body_is_an_option_and_none_sends_no_body() {
    let server = answering("POST", "/things/t1/touch", ResponseTemplate::new(204), 2).await;
    let client = client(&server.uri());
    let api = Api::new(&client);
    api.touch_thing("t1", None).await.unwrap();
    api.touch_thing("t1", Some(&ThingPatch::new().name("n")))
        .await
        .unwrap();
    let requests = requests(&server).await;
    assert_eq!(requests[0].line(), "POST /things/t1/touch");
    assert_eq!(requests[0].header("content-type"), None);
    assert!(requests[0].body.is_empty());
    assert_eq!(requests[1].header_all("content-type"), ["application/json"]);
    assert_eq!(requests[1].json(), json!({"name": "n"}));
}

#[tokio::test]
async fn an_undeclared_success_status_decodes_like_the_first_declared_one() {
    use ppio_tests::golden::media::CreateThingResponse;
    let server = MockServer::start().await;
    mount_in_order(
        &server,
        || Mock::given(method("POST")).and(path("/things")),
        [
            json(202, &json!({"queued": true})),
            json(200, &json!({"id": "t9", "name": "n"})),
        ],
    )
    .await;
    let client = client(&server.uri());
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
    let server = answering(
        "GET",
        "/things/t1/export",
        ResponseTemplate::new(200).set_body_raw("id,name\nt1,new\n", "text/csv"),
        1,
    )
    .await;
    let client = client(&server.uri());
    let csv = Api::new(&client).export_thing("t1").await.unwrap();
    assert_eq!(&csv[..], b"id,name\nt1,new\n");
    assert_eq!(
        only_request(&server).await.header_all("accept"),
        ["text/csv"]
    );
}

#[tokio::test]
async fn a_wildcard_string_body_is_read_as_bytes_and_asked_for_as_anything() {
    let server = answering(
        "GET",
        "/things/t1/raw",
        ResponseTemplate::new(200).set_body_raw("<p>not JSON</p>", "text/html"),
        1,
    )
    .await;
    let client = client(&server.uri());
    let body = Api::new(&client).read_thing_raw("t1").await.unwrap();
    assert_eq!(&body[..], b"<p>not JSON</p>");
    let request = only_request(&server).await;
    assert_eq!(request.header("accept"), Some("*/*"));
}

#[tokio::test]
async fn a_head_response_is_not_decoded_whatever_body_the_spec_documents() {
    let server = answering(
        "HEAD",
        "/things/t1/raw",
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/html")
            .insert_header("content-length", "15"),
        1,
    )
    .await;
    let client = client(&server.uri());
    Api::new(&client).probe_thing("t1").await.unwrap();
    assert_eq!(only_request(&server).await.line(), "HEAD /things/t1/raw");
}

#[tokio::test]
async fn an_answer_documented_only_as_a_default_wildcard_is_asked_for_as_anything() {
    let server = answering(
        "POST",
        "/things/t1/forget",
        ResponseTemplate::new(200).set_body_raw("<p>bye</p>", "text/html"),
        1,
    )
    .await;
    let client = client(&server.uri());
    Api::new(&client).forget_thing("t1").await.unwrap();
    assert_eq!(only_request(&server).await.header("accept"), Some("*/*"));
}

#[tokio::test]
async fn an_array_in_a_form_body_goes_out_as_one_pair_per_item() {
    use ppio_tests::golden::media::TagThingRequest;
    let server = answering("POST", "/things/t1/tags", ResponseTemplate::new(204), 2).await;
    let client = client(&server.uri());
    let api = Api::new(&client);
    let tags = TagThingRequest::builder()
        .tag(vec!["a".to_owned(), "b c".to_owned()])
        .build();
    api.tag_thing("t1", &tags).await.unwrap();
    api.tag_thing("t1", &tags.note("&")).await.unwrap();
    let requests = requests(&server).await;
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(requests[0].body, b"Tag=a&Tag=b+c");
    assert_eq!(requests[1].body, b"Tag=a&Tag=b+c&Note=%26");
}
