//! The golden `collisions` client, whose spec names things like the generated code's own items,
//! against a real server: it compiles (the fixture is built with `deny(warnings)`) and every
//! renamed item still carries its wire name; types named like the prelude's (`Result`,
//! `Option`, `String`, `Box`, `Some`, `Ok`...) keep their names and travel as their schemas say.

use ppio::Client;
use ppio_tests::TEST_API_KEY;
use ppio_tests::golden::collisions::{self as golden, Api, NewParams, Thing};
use ppio_tests::mock::{Received, json, only_request};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.uri())
        .build()
        .unwrap()
}

#[tokio::test]
async fn colliding_names_are_renamed_but_keep_their_wire_names() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .and(query_param("type", "q1"))
        .and(query_param("with_type", "q2"))
        .and(body_json(
            json!({"type": "a", "with_type": "b", "additional_properties": "c"}),
        ))
        .respond_with(json(
            200,
            &json!({"type": "a", "with_type": "b", "additional_properties": "c", "other": "d"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let body = Thing::new()
        .with_type("a")
        .with_type_2("b")
        .additional_properties("c");
    let params = NewParams::new().with_type("q1").with_type_2("q2");
    // `new_with` is an operation of its own, so the params-taking method of `new` moves aside.
    let thing = Api::new(&client).new_with_2(&params, &body).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("type=q1&with_type=q2"));
    assert_eq!(
        request.json(),
        json!({"type": "a", "with_type": "b", "additional_properties": "c"})
    );
    assert_eq!(thing.r#type.as_deref(), Some("a"));
    assert_eq!(thing.with_type.as_deref(), Some("b"));
    assert_eq!(thing.additional_properties.as_deref(), Some("c"));
    assert_eq!(
        thing.extra_properties.get("other").map(String::as_str),
        Some("d")
    );
}

#[tokio::test]
async fn an_operation_named_like_a_params_method_keeps_its_name() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/latest"))
        .respond_with(json(200, &json!({"type": "newest"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let thing = Api::new(&client).new_with().await.unwrap();
    assert_eq!(thing.r#type.as_deref(), Some("newest"));
    assert_eq!(only_request(&server).await.line(), "GET /things/latest");
}

#[tokio::test]
async fn types_named_like_the_prelude_go_both_ways() {
    let server = MockServer::start().await;
    let sent = json!({
        "kind": "fancy",
        "option": {"label": "o", "vec": ["a", "b"]},
        "options": [{"label": "p"}],
        "note": null,
        "box": {"label": "outer", "inner": {"label": "inner"}, "boxes": [{"label": "item"}]},
        "some": {"none": "n"},
        "from": {"address": "f@example.com"},
        "into": {"address": "i@example.com"},
        "ok": 2,
    });
    Mock::given(method("PUT"))
        .and(path("/results"))
        .and(body_json(&sent))
        .respond_with(json(200, &sent))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let body = golden::Result::builder()
        .kind(golden::String::Fancy)
        .option(
            golden::Option::new()
                .label("o")
                .vec(vec!["a".to_owned(), "b".to_owned()]),
        )
        .options(vec![golden::Option::new().label("p")])
        .note_null()
        .with_box(
            golden::Box::new()
                .label("outer")
                .inner(golden::Box::new().label("inner"))
                .boxes(vec![golden::Box::new().label("item")]),
        )
        .some(golden::Some::new().none("n"))
        .with_from(golden::From::new().address("f@example.com"))
        .with_into(golden::Into::new().address("i@example.com"))
        .ok(golden::Ok::V2)
        .build();
    let stored = Api::new(&client).put_result(&body).await.unwrap();
    assert_eq!(stored, body);
    let inner = stored.r#box.as_ref().and_then(|b| b.inner.as_deref());
    assert_eq!(inner.and_then(|b| b.label.as_deref()), Some("inner"));
    assert_eq!(stored.note, Some(None));
}

#[tokio::test]
async fn a_string_enum_named_string_is_a_query_value_and_vec_an_alias() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/options"))
        .and(query_param("kind", "plain"))
        .respond_with(json(200, &json!([{"label": "x", "vec": ["y"]}, {}])))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let params = golden::ListOptionsParams::new().kind(golden::String::Plain);
    let options: Vec<golden::Option> = Api::new(&client).list_options_with(&params).await.unwrap();
    let vec: Option<&golden::Vec> = options[0].vec.as_ref();
    assert_eq!(vec, Some(&vec!["y".to_owned()]));
    assert_eq!(options[1], golden::Option::new());
}
