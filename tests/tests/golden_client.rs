//! The golden clients (generated from `generator/tests/fixtures/`) against a real server:
//! responses decode, and documented error bodies decode from `Error::Api`.

use ppio::Client;
use ppio_tests::TEST_API_KEY;
use ppio_tests::golden::minimal::{
    Api, GetInstanceError400, GetInstanceErrorDefault, InstanceStatus,
};
use ppio_tests::mock::{Received, json, mount_in_order, requests};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

/// A server that answers GETs of the routes with their bodies, each route exactly once.
async fn server(routes: &[(&str, Value)]) -> MockServer {
    let server = MockServer::start().await;
    for (route, body) in routes {
        Mock::given(method("GET"))
            .and(path(*route))
            .respond_with(json(200, body))
            .expect(1)
            .mount(&server)
            .await;
    }
    server
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(base_url)
        .max_retries(0)
        .build()
        .expect("build client")
}

#[tokio::test]
async fn success_body_decodes_with_lenient_integers_and_open_enums() {
    let server = server(&[(
        "/gpus/v2/instances/ca338f12f3",
        json!({
            "id": "ca338f12f3",
            "status": "migrating",
            "restart_count": "2",
            "resource": {"gpu_num": "1", "rootfs_size_gb": 20},
            "candidate_regions": ["cn-1"],
            "extra": true,
        }),
    )])
    .await;
    let client = client(&server.uri());
    let instance = Api::new(&client).get_instance("ca338f12f3").await.unwrap();
    assert_eq!(instance.id, "ca338f12f3");
    assert_eq!(instance.status, InstanceStatus::from("migrating"));
    assert!(matches!(&instance.status, InstanceStatus::Unknown(v) if v.as_str() == "migrating"));
    assert_eq!(instance.restart_count, Some(2));
    assert_eq!(instance.resource.gpu_num, 1);
    assert_eq!(instance.resource.rootfs_size_gb, Some(20));
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].line(), "GET /gpus/v2/instances/ca338f12f3");
}

#[tokio::test]
async fn documented_error_bodies_decode_from_the_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/gpus/v2/instances/missing"))
        .respond_with(json(
            400,
            &json!({"code": 400, "reason": "INSTANCE_NOT_FOUND", "message": "no such instance"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/gpus/v2/instances/broken"))
        .respond_with(json(500, &json!({"error": "internal"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let api = Api::new(&client);

    let err = api.get_instance("missing").await.unwrap_err();
    let api_error = err.api().expect("an API error");
    assert_eq!(api_error.status.as_u16(), 400);
    let body: GetInstanceError400 = api_error.json().unwrap();
    assert_eq!(body.code, Some(400));
    assert_eq!(body.reason.as_deref(), Some("INSTANCE_NOT_FOUND"));
    assert_eq!(body.message.as_deref(), Some("no such instance"));
    assert!(err.is_not_found());

    let err = api.get_instance("broken").await.unwrap_err();
    let body: GetInstanceErrorDefault = err.api().unwrap().json().unwrap();
    assert_eq!(body.error.as_deref(), Some("internal"));
    assert!(
        err.api()
            .unwrap()
            .json::<GetInstanceError400>()
            .is_ok_and(|b| b.code.is_none())
    );
}

#[tokio::test]
async fn discriminator_mapping_with_bare_schema_names_dispatches() {
    use ppio_tests::golden::unions::{Api as Pets, Pet};
    let server = server(&[
        (
            "/pets/tom",
            json!({"petType": "cat", "name": "Tom", "lives": 9}),
        ),
        (
            "/pets/rex",
            json!({"petType": "dog", "name": "Rex", "good": true}),
        ),
    ])
    .await;
    let client = client(&server.uri());
    let api = Pets::new(&client);
    match api.get_pet("tom").await.unwrap() {
        Pet::Cat(cat) => {
            assert_eq!(cat.name, "Tom");
            assert_eq!(cat.lives, Some(9));
        }
        other => panic!("expected a cat, got {other:?}"),
    }
    match api.get_pet("rex").await.unwrap() {
        Pet::Dog(dog) => assert_eq!(dog.good, Some(true)),
        other => panic!("expected a dog, got {other:?}"),
    }
    assert_eq!(requests(&server).await[0].url.path(), "/pets/tom");
}

#[tokio::test]
async fn an_unknown_discriminator_value_is_kept_and_round_trips() {
    use ppio_tests::golden::unions::{Api as Pets, Pet};
    let bird = json!({"petType": "bird", "name": "Tweety", "wings": 2});
    let server = server(&[("/pets/tweety", bird.clone())]).await;
    let client = client(&server.uri());
    let pet = Pets::new(&client).get_pet("tweety").await.unwrap();
    assert_eq!(pet, Pet::Unknown(bird.clone()));
    assert_eq!(serde_json::to_value(&pet).unwrap(), bird);
}

/// Without a `mapping`, variants that pin the tag property to one value (`type: {enum:
/// [track]}`, here or in an `allOf` member) are told apart by that value, not the schema name.
#[tokio::test]
async fn an_unmapped_discriminator_dispatches_on_the_value_each_variant_pins() {
    use ppio_tests::golden::unions::{Api as Unions, Media};
    let server = server(&[
        ("/media/t", json!({"type": "track", "title": "Song"})),
        ("/media/e", json!({"type": "episode", "show": "Talk"})),
    ])
    .await;
    let client = client(&server.uri());
    let api = Unions::new(&client);
    match api.get_media("t").await.unwrap() {
        Media::Track(track) => assert_eq!(track.title, "Song"),
        other => panic!("expected a track, got {other:?}"),
    }
    match api.get_media("e").await.unwrap() {
        Media::Episode(episode) => assert_eq!(episode.show, "Talk"),
        other => panic!("expected an episode, got {other:?}"),
    }
}

/// A discriminator property no variant declares is ignored: the union is read untagged.
#[tokio::test]
async fn a_discriminator_no_variant_declares_reads_untagged() {
    use ppio_tests::golden::unions::{Api as Unions, Stats};
    let server = MockServer::start().await;
    mount_in_order(
        &server,
        || Mock::given(method("GET")).and(path("/stats")),
        [
            json(200, &json!({"cpu": [1.5, 2.0]})),
            json(200, &json!(["Graphs are not yet available."])),
        ],
    )
    .await;
    let client = client(&server.uri());
    let api = Unions::new(&client);
    match api.get_stats().await.unwrap() {
        Stats::StatsAvailable(stats) => assert_eq!(stats.cpu, Some(vec![1.5, 2.0])),
        other => panic!("expected stats, got {other:?}"),
    }
    match api.get_stats().await.unwrap() {
        Stats::StatsUnavailable(why) => assert_eq!(why, vec!["Graphs are not yet available."]),
        other => panic!("expected the reason, got {other:?}"),
    }
}

/// The 3.1 fixture: `type: [string, "null"]` and `anyOf [$ref, null]` fields decode `null` into
/// `None` from a real response, and a `oneOf` of titled `const`s decodes into named variants.
#[tokio::test]
async fn openapi_3_1_nulls_decode_into_none() {
    use ppio_tests::golden::v3_1::{Api as Api31, Owner, PetKind, PetSize};
    let server = server(&[
        (
            "/v1/pets/pet-1",
            json!({"id": "pet-1", "kind": "pet", "nickname": null, "owner": null, "size": 2}),
        ),
        (
            "/v1/pets/pet-2",
            json!({"id": "pet-2", "kind": "pet", "nickname": "Rex", "owner": {"name": "Ann"}, "vet": {"name": "Bo"}}),
        ),
    ])
    .await;
    let client = client(&server.uri());
    let api = Api31::new(&client);

    let pet = api.get_pet("pet-1").await.unwrap();
    assert_eq!(pet.id, "pet-1");
    assert_eq!(pet.kind, PetKind::Pet);
    assert_eq!(pet.nickname, None);
    assert_eq!(pet.owner, None);
    assert_eq!(pet.vet, None);
    assert_eq!(pet.size, Some(PetSize::Large));

    let pet = api.get_pet("pet-2").await.unwrap();
    assert_eq!(pet.nickname.as_deref(), Some("Rex"));
    assert_eq!(pet.owner, Some(Owner::builder().name("Ann").build()));
    assert_eq!(pet.vet.map(|v| v.name).as_deref(), Some("Bo"));
    assert_eq!(pet.size, None);
    assert_eq!(requests(&server).await[0].line(), "GET /v1/pets/pet-1");
}

/// An integer enum keeps a value it does not list, sends it back unchanged, and gives the listed
/// variant for a listed value however it is made, so an unknown value never aliases `Large`.
#[tokio::test]
async fn unknown_integer_enum_values_round_trip_and_never_alias_a_listed_one() {
    use ppio_tests::golden::v3_1::{Api as Api31, PetSize};
    let server = server(&[(
        "/v1/pets/pet-3",
        json!({"id": "pet-3", "kind": "pet", "size": 3}),
    )])
    .await;
    let client = client(&server.uri());
    let pet = Api31::new(&client).get_pet("pet-3").await.unwrap();
    let size = pet.size.expect("size was sent");
    let PetSize::Unknown(value) = size else {
        panic!("3 is not a listed size: {size:?}");
    };
    assert_eq!(value.as_i64(), 3);
    assert_eq!(size.as_i64(), 3);
    assert_eq!(size.to_string(), "3");
    assert_eq!(serde_json::to_value(size).unwrap(), json!(3));
    assert_eq!(size, PetSize::from(3));
    assert_eq!(PetSize::from(2), PetSize::Large);
    let decoded: PetSize = serde_json::from_value(json!("2")).unwrap();
    assert_eq!(decoded, PetSize::Large);
}
