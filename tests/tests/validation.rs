//! Limits PPIO states only in prose, made schema keywords by `overlays/v2/`, are checked before
//! a request leaves: a broken one is `InvalidRequest::Constraint` naming the field and the rule,
//! and nothing reaches the server, unless the client or the call turns checking off.

use ppio::v2::{
    Billing, BillingMode, CreateInstanceRequest, Port, PortProtocol, Resource,
    UpgradeInstanceRequest,
};
use ppio::{Client, Error, InvalidRequest};
use ppio_tests::TEST_API_KEY;
use ppio_tests::mock::{Received, json, requests};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers `expected` requests `METHOD route` with `reply`; a request the test
/// did not expect fails when the server drops.
async fn server(verb: &str, route: &str, reply: ResponseTemplate, expected: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(reply)
        .expect(expected)
        .mount(&server)
        .await;
    server
}

fn client(base_url: &str, validate: bool) -> Client {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(base_url)
        .max_retries(0)
        .validate_requests(validate)
        .build()
        .expect("build client")
}

fn body(name: &str) -> CreateInstanceRequest {
    CreateInstanceRequest::builder()
        .name(name)
        .product_id("product-id")
        .image("registry.example.com/team/image:tag")
        .billing(Billing::builder().mode(BillingMode::Postpaid).build())
        .resource(Resource::builder().rootfs_size_gb(20).gpu_num(1).build())
        .build()
}

fn constraint(err: &Error) -> (String, String) {
    match err {
        Error::InvalidRequest {
            reason: InvalidRequest::Constraint { field, rule },
            ..
        } => (field.clone(), rule.clone()),
        other => panic!("expected a constraint violation, got {other:?}"),
    }
}

#[tokio::test]
async fn a_broken_limit_is_refused_before_sending_and_names_field_and_rule() {
    let server = MockServer::start().await;
    let client = client(&server.uri(), true);
    let v2 = client.v2();

    let long_name = "n".repeat(256);
    let err = v2.create_instance(&body(&long_name)).await.unwrap_err();
    assert_eq!(
        constraint(&err),
        ("name".to_owned(), "maxLength 255".to_owned())
    );
    // The value itself never appears in the message (it could be a secret).
    assert!(!err.to_string().contains(&long_name), "{err}");
    assert!(
        err.to_string()
            .contains("`name` breaks the spec's maxLength 255"),
        "{err}"
    );

    let ports = vec![
        Port::builder()
            .port(8080)
            .protocol(PortProtocol::Http)
            .build(),
        Port::builder()
            .port(70000)
            .protocol(PortProtocol::Tcp)
            .build(),
    ];
    let err = v2
        .create_instance(&body("ok").ports(ports))
        .await
        .unwrap_err();
    assert_eq!(
        constraint(&err),
        ("ports[1].port".to_owned(), "maximum 65535".to_owned())
    );

    let mut no_gpu = body("ok");
    no_gpu.resource = Resource::builder().rootfs_size_gb(20).gpu_num(0).build();
    let err = v2.create_instance(&no_gpu).await.unwrap_err();
    assert_eq!(
        constraint(&err),
        (
            "resource.gpu_num".to_owned(),
            "exclusiveMinimum 0".to_owned()
        )
    );

    // At most 8 GPUs: the bound the vendor's other pages give for the same field (see the
    // overlay of `create-gpu-instance`).
    let mut nine = body("ok");
    nine.resource = Resource::builder().rootfs_size_gb(20).gpu_num(9).build();
    let err = v2.create_instance(&nine).await.unwrap_err();
    assert_eq!(
        constraint(&err),
        ("resource.gpu_num".to_owned(), "maximum 8".to_owned())
    );

    // A path parameter: instance ids are 1 to 255 characters.
    let err = v2
        .upgrade_instance(
            &"i".repeat(300),
            &UpgradeInstanceRequest::builder().image("img").build(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        constraint(&err),
        ("instance_id".to_owned(), "maxLength 255".to_owned())
    );
    assert!(
        requests(&server).await.is_empty(),
        "nothing may reach the server"
    );
}

#[tokio::test]
async fn checking_can_be_turned_off_per_call_and_per_client() {
    let created = json!({"id": "ca338f12f3"});
    let server = server("POST", "/gpus/v2/instances", json(200, &created), 2).await;
    let long_name = "n".repeat(256);

    let checking = client(&server.uri(), true);
    checking
        .v2()
        .create_instance(&body(&long_name))
        .validate(false)
        .await
        .expect("the call turned checking off");

    let lenient = client(&server.uri(), false);
    lenient
        .v2()
        .create_instance(&body(&long_name))
        .await
        .expect("the client turned checking off");
    // A call can turn it back on.
    let err = lenient
        .v2()
        .create_instance(&body(&long_name))
        .validate(true)
        .await
        .unwrap_err();
    assert_eq!(constraint(&err).1, "maxLength 255");

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].json()["name"], json!(long_name));
}

#[tokio::test]
async fn a_valid_request_is_sent_unchanged() {
    let server = server(
        "POST",
        "/gpus/v2/instances",
        json(200, &json!({"id": "x"})),
        1,
    )
    .await;
    let client = client(&server.uri(), true);
    let ports = vec![
        Port::builder().port(1).protocol(PortProtocol::Tcp).build(),
        Port::builder()
            .port(65535)
            .protocol(PortProtocol::Http)
            .build(),
    ];
    // Every boundary value: a 255-character name, ports 1 and 65535, 8 GPUs.
    let mut edge = body(&"n".repeat(255)).ports(ports);
    edge.resource = Resource::builder().rootfs_size_gb(20).gpu_num(8).build();
    client.v2().create_instance(&edge).await.unwrap();
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].json(), serde_json::to_value(&edge).unwrap());
}

/// Arrays of typed items (enums, objects, through an alias too) have their item counts checked;
/// the items of objects check their own fields.
#[tokio::test]
async fn item_counts_of_typed_arrays_are_checked() {
    use ppio_tests::golden::limits::{Api, CreateThingRequest, Kind, ListThingsParams, Part};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri(), true);
    let api = Api::new(&client);

    let three = vec![Kind::Small, Kind::Large, Kind::Small];
    let err = api
        .list_things_with(&ListThingsParams::new().kinds(three.clone()))
        .await
        .unwrap_err();
    assert_eq!(
        constraint(&err),
        ("kinds".to_owned(), "maxItems 2".to_owned())
    );

    let err = api
        .create_thing(&CreateThingRequest::builder().parts(Vec::new()).build())
        .await
        .unwrap_err();
    assert_eq!(
        constraint(&err),
        ("parts".to_owned(), "minItems 1".to_owned())
    );

    let long = CreateThingRequest::builder()
        .parts(vec![
            Part::builder().name("ok").build(),
            Part::builder().name("far too long").build(),
        ])
        .build();
    let err = api.create_thing(&long).await.unwrap_err();
    assert_eq!(
        constraint(&err),
        ("parts[1].name".to_owned(), "maxLength 8".to_owned())
    );
    assert!(requests(&server).await.is_empty());

    api.list_things_with(&ListThingsParams::new().kinds(vec![Kind::Small]))
        .await
        .unwrap();
    api.create_thing(
        &CreateThingRequest::builder()
            .parts(vec![Part::builder().name("ok").build()])
            .build()
            .kinds(three[..2].to_vec()),
    )
    .await
    .unwrap();
    assert_eq!(requests(&server).await.len(), 2);
}

/// Required number and boolean parameters (passed to the request by value) reach the query and
/// headers as text, and their limits are still checked before sending.
#[tokio::test]
async fn required_number_and_boolean_parameters_are_sent_and_checked() {
    use ppio_tests::golden::limits::{Api, CountThingsParams};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/count"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri(), true);
    let api = Api::new(&client);
    let params = |min| {
        CountThingsParams::builder()
            .min(min)
            .exact(true)
            .x_scale(1.5)
            .build()
    };
    let err = api.count_things(&params(-1)).await.unwrap_err();
    assert_eq!(constraint(&err), ("min".to_owned(), "minimum 0".to_owned()));
    assert!(requests(&server).await.is_empty());

    api.count_things(&params(3)).await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url.query(), Some("min=3&exact=true"));
    assert_eq!(
        sent[0].headers.get("x-scale").and_then(|v| v.to_str().ok()),
        Some("1.5")
    );
}
