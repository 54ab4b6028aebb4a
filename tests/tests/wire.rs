//! The generated operations against a real HTTP server on 127.0.0.1: for each of the four
//! operations, the exact method, raw path, headers and JSON body that went over the wire, and
//! how realistic (and unrealistic but legal) success responses decode.
//!
//! Expected bodies are written out as `json!` literals with the names exactly as PPIO's pages
//! spell them (v1 camelCase with `networkStorages[].Id`, v2 snake_case), so a renamed field, a
//! dropped optional or an optional sent as `null` fails here rather than at PPIO.

use ppio::{Client, v1, v2};
use ppio_tests::mock::{Received, json, mount_in_order, only_request, requests, text};
use ppio_tests::{Reply, TEST_API_KEY, TestServer};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A realistic instance id as PPIO returns it from the create operations.
const INSTANCE_ID: &str = "ca338f12f3";

/// An id with a slash, dot segment, space, `?`, `#` and a non-ASCII letter: each of them would
/// change which resource the URL names if it were not percent-encoded into one path segment.
const AWKWARD_INSTANCE_ID: &str = "inst/../a b?#é";
const AWKWARD_INSTANCE_ID_ENCODED: &str = "inst%2F..%2Fa%20b%3F%23%C3%A9";

/// Another awkward id: a literal `%2F` must be sent as `%252F`, not passed through as a slash,
/// and `&`/`=` must not start a query.
const AWKWARD_ENDPOINT_ID: &str = "ep 1/..%2F?x=1&y#z";
const AWKWARD_ENDPOINT_ID_ENCODED: &str = "ep%201%2F..%252F%3Fx%3D1%26y%23z";

/// A client whose every request goes to `base_url`.
fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(base_url)
        .build()
        .expect("build client")
}

/// A server whose `verb route` answers the replies in order, each exactly once (checked when the
/// server drops); any other request gets a 404, which fails the call.
async fn server(
    verb: &str,
    route: &str,
    replies: impl IntoIterator<Item = ResponseTemplate>,
) -> MockServer {
    let server = MockServer::start().await;
    let (verb, route) = (verb.to_owned(), route.to_owned());
    mount_in_order(
        &server,
        || Mock::given(method(verb.as_str())).and(path(route.as_str())),
        replies,
    )
    .await;
    server
}

/// The headers every operation sends: the bearer key once, a JSON content type once (the specs
/// list both as header parameters, which must not duplicate them), and this client's user agent.
fn assert_standard_headers(request: &Request) {
    let authorization = format!("Bearer {TEST_API_KEY}");
    assert_eq!(
        request.header_all("authorization"),
        vec![authorization.as_str()],
        "{request:#?}"
    );
    assert_eq!(
        request.header_all("content-type"),
        vec!["application/json"],
        "{request:#?}"
    );
    let agent = request.header("user-agent").unwrap_or_default();
    assert!(agent.starts_with("ppio-rust/"), "user agent {agent:?}");
    assert!(agent.len() > "ppio-rust/".len(), "user agent {agent:?}");
    assert_eq!(request.header_all("accept"), ["application/json"]);
}

// ---------------------------------------------------------------------------------------------
// v1 create_instance: POST /gpu-instance/openapi/v1/gpu/instance/create
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn v1_create_instance_full_body_on_the_wire() {
    let server = server(
        "POST",
        "/gpu-instance/openapi/v1/gpu/instance/create",
        [json(200, &json!({"id": INSTANCE_ID}))],
    )
    .await;
    let client = client(&server.uri());
    let body = v1::CreateInstanceRequest::builder()
        .product_id("prod-rtx4090-24g")
        .gpu_num(2)
        .rootfs_size(100)
        .image_url("registry.ppinfra.com/library/pytorch:2.3.0-cuda12.1-cudnn8")
        .kind(v1::InstanceKind::Gpu)
        .build()
        .name("train-llama-7b")
        .image_auth("robot$ci:s3cr3t-t0ken")
        .image_auth_id("auth-9f2c41")
        .ports("8888/http, 3306/tcp")
        .envs(vec![
            v1::Env::new().key("HF_HOME").value("/network/hf"),
            v1::Env::new().key("WANDB_MODE").value("offline"),
        ])
        .tools(vec![
            v1::Tool::new()
                .name("Jupyter")
                .port("8888")
                .with_type("http"),
        ])
        .command("python train.py --epochs 3 --lr 2e-5")
        .cluster_id("cluster-cn-east-1a")
        .network_storages(vec![
            v1::NetworkStorage::new()
                .id("ns-7d1e5a0b")
                .mount_point("/network"),
        ])
        .network_id("vpc-1a2b3c4d")
        .month(1);

    let response = client
        .v1()
        .create_instance(&body)
        .await
        .expect("scripted 200");

    assert_eq!(response.id, Some(INSTANCE_ID.into()));
    let request = only_request(&server).await;
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target(),
        "/gpu-instance/openapi/v1/gpu/instance/create"
    );
    assert_standard_headers(&request);
    assert_eq!(
        request.json(),
        json!({
            "name": "train-llama-7b",
            "productId": "prod-rtx4090-24g",
            "gpuNum": 2,
            "rootfsSize": 100,
            "imageUrl": "registry.ppinfra.com/library/pytorch:2.3.0-cuda12.1-cudnn8",
            "imageAuth": "robot$ci:s3cr3t-t0ken",
            "imageAuthId": "auth-9f2c41",
            "ports": "8888/http, 3306/tcp",
            "envs": [
                {"key": "HF_HOME", "value": "/network/hf"},
                {"key": "WANDB_MODE", "value": "offline"}
            ],
            "tools": [{"name": "Jupyter", "port": "8888", "type": "http"}],
            "command": "python train.py --epochs 3 --lr 2e-5",
            "clusterId": "cluster-cn-east-1a",
            "networkStorages": [{"Id": "ns-7d1e5a0b", "mountPoint": "/network"}],
            "networkId": "vpc-1a2b3c4d",
            "kind": "gpu",
            "month": 1
        })
    );
}

#[tokio::test]
async fn v1_create_instance_minimal_body_leaves_optionals_out() {
    let server = server(
        "POST",
        "/gpu-instance/openapi/v1/gpu/instance/create",
        [json(200, &json!({"id": INSTANCE_ID}))],
    )
    .await;
    let client = client(&server.uri());
    let body = v1::CreateInstanceRequest::builder()
        .product_id("prod-cpu-4c8g")
        .gpu_num(1)
        .rootfs_size(10)
        .image_url("ubuntu:22.04")
        .kind(v1::InstanceKind::Cpu)
        .build();

    let response = client.v1().create_instance(&body).await.unwrap();

    assert_eq!(response.id, Some(INSTANCE_ID.into()));
    let request = only_request(&server).await;
    assert_eq!(
        request.line(),
        "POST /gpu-instance/openapi/v1/gpu/instance/create"
    );
    assert_standard_headers(&request);
    // Compared as a value *and* checked for the absence of `null`s: an unset optional must be
    // left out, not sent as `"name": null`, which PPIO may read differently.
    assert_eq!(
        request.json(),
        json!({
            "productId": "prod-cpu-4c8g",
            "gpuNum": 1,
            "rootfsSize": 10,
            "imageUrl": "ubuntu:22.04",
            "kind": "cpu"
        })
    );
    assert!(!request.text().contains("null"), "{}", request.text());
}

#[tokio::test]
async fn v1_create_instance_sends_explicit_zero_and_empty_values() {
    // The v1 page gives meaning to these: `month: 0` asks for pay-as-you-go, and an empty
    // `clusterId` / `networkId` means "any cluster" / "no VPC". Set explicitly, they must be
    // sent rather than dropped as if unset.
    let server = server(
        "POST",
        "/gpu-instance/openapi/v1/gpu/instance/create",
        [json(200, &json!({"id": INSTANCE_ID}))],
    )
    .await;
    let client = client(&server.uri());
    let body = v1::CreateInstanceRequest::builder()
        .product_id("prod-a100-80g")
        .gpu_num(8)
        .rootfs_size(6144)
        .image_url("nginx:1.27")
        .kind("gpu")
        .build()
        .month(0)
        .cluster_id("")
        .network_id("");

    client.v1().create_instance(&body).await.unwrap();

    assert_eq!(
        only_request(&server).await.json(),
        json!({
            "productId": "prod-a100-80g",
            "gpuNum": 8,
            "rootfsSize": 6144,
            "imageUrl": "nginx:1.27",
            "kind": "gpu",
            "month": 0,
            "clusterId": "",
            "networkId": ""
        })
    );
}

// ---------------------------------------------------------------------------------------------
// v2 create_instance: POST /gpus/v2/instances
// ---------------------------------------------------------------------------------------------

/// A v2 create body with every field, nested ones included, set.
fn full_v2_create_body() -> v2::CreateInstanceRequest {
    v2::CreateInstanceRequest::builder()
        .name("sd-webui-prod")
        .product_id("prod-a100-80g-sxm")
        .image("registry.ppio.com/ppio/stable-diffusion-webui:1.9.4")
        .billing(
            v2::Billing::builder()
                .mode(v2::BillingMode::Prepaid)
                .build()
                .prepaid(
                    v2::Prepaid::builder()
                        .months(3)
                        .build()
                        .auto_renew(v2::AutoRenew::new().enabled(true).months(1)),
                ),
        )
        .resource(
            v2::Resource::builder()
                .rootfs_size_gb(100)
                .gpu_num(1)
                .build()
                .min_cuda_version("12.4"),
        )
        .build()
        .with_type(v2::InstanceType::Gpu)
        .registry_auth_id("rauth-5b7e9d")
        .entrypoint("/bin/bash -lc")
        .command("python launch.py --listen --port 7860")
        .envs(vec![
            v2::Env::new().key("HF_TOKEN").value("hf_abcdef0123456789"),
            v2::Env::new().key("COMMANDLINE_ARGS").value("--xformers"),
        ])
        .ports(vec![
            v2::Port::builder()
                .port(7860)
                .protocol(v2::PortProtocol::Http)
                .build(),
            v2::Port::builder()
                .port(22)
                .protocol(v2::PortProtocol::Tcp)
                .build(),
        ])
        .network(
            v2::Network::new()
                .id("vpc-550e8400-e29b-41d4-a716-446655440000")
                .ip("10.2.1.1"),
        )
        .volumes(vec![
            v2::InstanceVolume::builder()
                .with_type(v2::VolumeType::Network)
                .build()
                .id("ns-3f9a1c")
                .mount_point("/data"),
            v2::InstanceVolume::builder()
                .with_type(v2::VolumeType::Local)
                .build()
                .mount_point("/scratch"),
        ])
        .candidate_regions(vec!["cn-east-1".to_owned(), "cn-south-2".to_owned()])
        .tools(
            v2::Tools::new().jupyter(v2::Jupyter::new().enabled(true).port(8888).protocol("http")),
        )
        .auto_migrate(
            v2::AutoMigrate::new()
                .enabled(true)
                .include_system_disk(false),
        )
}

#[tokio::test]
async fn v2_create_instance_full_body_on_the_wire() {
    let server = server(
        "POST",
        "/gpus/v2/instances",
        [json(200, &json!({"id": INSTANCE_ID}))],
    )
    .await;
    let client = client(&server.uri());

    let response = client
        .v2()
        .create_instance(&full_v2_create_body())
        .await
        .expect("scripted 200");

    assert_eq!(response.id, Some(INSTANCE_ID.into()));
    let request = only_request(&server).await;
    assert_eq!(request.method, "POST");
    assert_eq!(request.target(), "/gpus/v2/instances");
    assert_standard_headers(&request);
    assert_eq!(
        request.json(),
        json!({
            "name": "sd-webui-prod",
            "product_id": "prod-a100-80g-sxm",
            "image": "registry.ppio.com/ppio/stable-diffusion-webui:1.9.4",
            "billing": {
                "mode": "prepaid",
                "prepaid": {"months": 3, "auto_renew": {"enabled": true, "months": 1}}
            },
            "resource": {"rootfs_size_gb": 100, "gpu_num": 1, "min_cuda_version": "12.4"},
            "type": "gpu",
            "registry_auth_id": "rauth-5b7e9d",
            "entrypoint": "/bin/bash -lc",
            "command": "python launch.py --listen --port 7860",
            "envs": [
                {"key": "HF_TOKEN", "value": "hf_abcdef0123456789"},
                {"key": "COMMANDLINE_ARGS", "value": "--xformers"}
            ],
            "ports": [
                {"port": 7860, "protocol": "http"},
                {"port": 22, "protocol": "tcp"}
            ],
            "network": {"id": "vpc-550e8400-e29b-41d4-a716-446655440000", "ip": "10.2.1.1"},
            "volumes": [
                {"type": "network", "id": "ns-3f9a1c", "mount_point": "/data"},
                {"type": "local", "mount_point": "/scratch"}
            ],
            "candidate_regions": ["cn-east-1", "cn-south-2"],
            "tools": {"jupyter": {"enabled": true, "port": 8888, "protocol": "http"}},
            "auto_migrate": {"enabled": true, "include_system_disk": false}
        })
    );
}

#[tokio::test]
async fn v2_create_instance_minimal_body_leaves_optionals_out() {
    let server = server(
        "POST",
        "/gpus/v2/instances",
        [json(200, &json!({"id": INSTANCE_ID}))],
    )
    .await;
    let client = client(&server.uri());
    // Nested objects with only their required fields: their optionals must be left out too.
    let body = v2::CreateInstanceRequest::builder()
        .name("cpu-box")
        .product_id("prod-cpu-4c8g")
        .image("ubuntu:22.04")
        .billing(
            v2::Billing::builder()
                .mode(v2::BillingMode::Postpaid)
                .build(),
        )
        .resource(
            v2::Resource::builder()
                .rootfs_size_gb(20)
                .gpu_num(1)
                .build(),
        )
        .build();

    let response = client.v2().create_instance(&body).await.unwrap();

    assert_eq!(response.id, Some(INSTANCE_ID.into()));
    let request = only_request(&server).await;
    assert_eq!(request.line(), "POST /gpus/v2/instances");
    assert_standard_headers(&request);
    assert_eq!(
        request.json(),
        json!({
            "name": "cpu-box",
            "product_id": "prod-cpu-4c8g",
            "image": "ubuntu:22.04",
            "billing": {"mode": "postpaid"},
            "resource": {"rootfs_size_gb": 20, "gpu_num": 1}
        })
    );
    assert!(!request.text().contains("null"), "{}", request.text());
}

#[tokio::test]
async fn v2_enum_values_unknown_to_the_client_are_sent_as_given() {
    // The enums keep values this client version does not know, so a mode PPIO adds later can
    // be used before the client is regenerated.
    let server = server(
        "POST",
        "/gpus/v2/instances",
        [json(200, &json!({"id": INSTANCE_ID}))],
    )
    .await;
    let client = client(&server.uri());
    let body = v2::CreateInstanceRequest::builder()
        .name("reserved-box")
        .product_id("prod-h100")
        .image("ubuntu:24.04")
        .billing(v2::Billing::builder().mode("reserved").build())
        .resource(
            v2::Resource::builder()
                .rootfs_size_gb(50)
                .gpu_num(4)
                .build(),
        )
        .build()
        .with_type("npu")
        .ports(vec![v2::Port::builder().port(5000).protocol("udp").build()]);

    client.v2().create_instance(&body).await.unwrap();

    let sent = only_request(&server).await.json();
    assert_eq!(sent["billing"], json!({"mode": "reserved"}));
    assert_eq!(sent["type"], json!("npu"));
    assert_eq!(sent["ports"], json!([{"port": 5000, "protocol": "udp"}]));
}

// ---------------------------------------------------------------------------------------------
// Create responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_responses_with_unknown_fields_decode() {
    // PPIO adds fields over time; a response carrying more than the spec names must still
    // decode, keeping the id.
    let extended = json!({
        "id": INSTANCE_ID,
        "status": "creating",
        "created_at": "1785780950",
        "region": {"id": "cn-east-1", "zones": ["a", "b"]},
        "warnings": null
    });
    let server = MockServer::start().await;
    mount_in_order(
        &server,
        || Mock::given(method("POST")).and(path("/gpu-instance/openapi/v1/gpu/instance/create")),
        [json(200, &extended)],
    )
    .await;
    mount_in_order(
        &server,
        || Mock::given(method("POST")).and(path("/gpus/v2/instances")),
        [json(200, &extended), json(200, &json!({}))],
    )
    .await;
    let client = client(&server.uri());

    let v1_response = client
        .v1()
        .create_instance(
            &v1::CreateInstanceRequest::builder()
                .product_id("prod-rtx4090-24g")
                .gpu_num(1)
                .rootfs_size(50)
                .image_url("ubuntu:22.04")
                .kind(v1::InstanceKind::Gpu)
                .build(),
        )
        .await
        .expect("v1 response with extra fields");
    let v2_response = client
        .v2()
        .create_instance(&full_v2_create_body())
        .await
        .expect("v2 response with extra fields");
    // The spec does not mark `id` required; an answer without it decodes to `None`.
    let empty = client
        .v2()
        .create_instance(&full_v2_create_body())
        .await
        .expect("v2 response without id");

    assert_eq!(v1_response.id, Some(INSTANCE_ID.into()));
    assert_eq!(v2_response.id, Some(INSTANCE_ID.into()));
    assert_eq!(empty.id, None);
    assert_eq!(requests(&server).await.len(), 3);
}

// ---------------------------------------------------------------------------------------------
// v2 upgrade_instance: PUT /gpus/v2/instances/{instance_id}/upgrade
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn v2_upgrade_instance_on_the_wire_with_an_encoded_id() {
    let upgrade = format!("/gpus/v2/instances/{AWKWARD_INSTANCE_ID_ENCODED}/upgrade");
    let server = server("PUT", &upgrade, [json(200, &json!({}))]).await;
    let client = client(&server.uri());
    let body = v2::UpgradeInstanceRequest::builder()
        .image("registry.ppio.com/ppio/comfyui:0.3.10")
        .build()
        .registry_auth_id("rauth-5b7e9d")
        .entrypoint("/bin/sh -c")
        .command("python main.py --listen 0.0.0.0")
        .envs(vec![
            v2::Env::new().key("CLI_ARGS").value("--lowvram"),
            v2::Env::new().key("TZ").value("Asia/Shanghai"),
        ])
        // `false` is a real choice (discard data), so it must be sent, not skipped.
        .save_data(false);

    client
        .v2()
        .upgrade_instance(AWKWARD_INSTANCE_ID, &body)
        .await
        .expect("scripted 200");

    let request = only_request(&server).await;
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.target(),
        format!("/gpus/v2/instances/{AWKWARD_INSTANCE_ID_ENCODED}/upgrade")
    );
    // One segment: the id's `/`, `?` and `#` did not split the path, add a query or a fragment.
    assert_eq!(
        request.url.path().split('/').count(),
        6,
        "{}",
        request.target()
    );
    assert_eq!(request.url.query(), None);
    assert_standard_headers(&request);
    assert_eq!(
        request.json(),
        json!({
            "image": "registry.ppio.com/ppio/comfyui:0.3.10",
            "registry_auth_id": "rauth-5b7e9d",
            "entrypoint": "/bin/sh -c",
            "command": "python main.py --listen 0.0.0.0",
            "envs": [
                {"key": "CLI_ARGS", "value": "--lowvram"},
                {"key": "TZ", "value": "Asia/Shanghai"}
            ],
            "save_data": false
        })
    );
}

#[tokio::test]
async fn v2_upgrade_instance_minimal_body() {
    let route = "/gpus/v2/instances/ca338f12f3/upgrade";
    let server = server("PUT", route, [json(200, &json!({}))]).await;
    let client = client(&server.uri());

    client
        .v2()
        .upgrade_instance(
            INSTANCE_ID,
            &v2::UpgradeInstanceRequest::builder()
                .image("ubuntu:24.04")
                .build(),
        )
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.line(), "PUT /gpus/v2/instances/ca338f12f3/upgrade");
    assert_eq!(request.json(), json!({"image": "ubuntu:24.04"}));
}

#[tokio::test]
async fn v2_upgrade_instance_accepts_any_success_body() {
    // The spec's 200 body is an undescribed object and the operation returns `()`: whatever a
    // successful answer carries, including nothing or something that is not JSON, is success.
    let route = "/gpus/v2/instances/ca338f12f3/upgrade";
    let server = server(
        "PUT",
        route,
        [
            json(200, &json!({})),
            json(
                200,
                &json!({"code": 0, "data": {"status": "upgrading", "steps": [1, 2]}, "msg": "ok"}),
            ),
            ResponseTemplate::new(200),
            text(200, "upgrade accepted"),
        ],
    )
    .await;
    let client = client(&server.uri());
    let body = v2::UpgradeInstanceRequest::builder()
        .image("ubuntu:24.04")
        .build();

    for answer in ["{}", "arbitrary JSON", "empty body", "plain text"] {
        let result: Result<(), ppio::Error> =
            client.v2().upgrade_instance(INSTANCE_ID, &body).await;
        assert!(result.is_ok(), "{answer}: {result:?}");
    }
    // One request per call: none of the answers was mistaken for a failure and retried.
    assert_eq!(requests(&server).await.len(), 4);
}

// ---------------------------------------------------------------------------------------------
// v2 update_endpoint: PUT /gpus/v2/endpoints/{endpoint_id}
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn v2_update_endpoint_full_body_on_the_wire_with_an_encoded_id() {
    let endpoint = format!("/gpus/v2/endpoints/{AWKWARD_ENDPOINT_ID_ENCODED}");
    let server = server("PUT", &endpoint, [json(200, &json!({}))]).await;
    let client = client(&server.uri());
    let body = v2::UpdateEndpointRequest::new()
        .name("llm-serving-prod")
        .product_id("serverless-l40s-48g")
        .worker_config(
            v2::WorkerConfig::builder()
                .max_replicas(3)
                .build()
                .min_replicas(1)
                .idle_timeout(300)
                .max_concurrent_per_worker(20)
                .gpu_num(1)
                .rootfs_size_gb(20)
                .min_cuda_version(v2::MinCudaVersion::V12_4)
                .request_timeout(120),
        )
        .policy(
            v2::Policy::new()
                .with_type(v2::PolicyType::Queue)
                .value(200),
        )
        .image("registry.ppio.com/ppio/vllm-openai:v0.6.3")
        .registry_auth_id("rauth-5b7e9d")
        .entrypoint("")
        .command("python -m vllm.entrypoints.openai.api_server --port 8080")
        .health_check(v2::HealthCheck::new().path("/health").port(8080))
        .envs(vec![
            v2::Env::new()
                .key("MODEL")
                .value("Qwen/Qwen2.5-7B-Instruct"),
        ])
        .ports(vec![8080, 9090])
        .volumes(vec![
            v2::EndpointVolume::new()
                .id("ns-3f9a1c")
                .with_type(v2::VolumeType::Network)
                .size(100)
                .mount_point("/models"),
        ])
        .region_id("cn-east-1");

    client
        .v2()
        .update_endpoint(AWKWARD_ENDPOINT_ID, &body)
        .await
        .expect("scripted 200");

    let request = only_request(&server).await;
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.target(),
        format!("/gpus/v2/endpoints/{AWKWARD_ENDPOINT_ID_ENCODED}")
    );
    assert_eq!(
        request.url.path().split('/').count(),
        5,
        "{}",
        request.target()
    );
    assert_eq!(request.url.query(), None);
    assert_standard_headers(&request);
    assert_eq!(
        request.json(),
        json!({
            "name": "llm-serving-prod",
            "product_id": "serverless-l40s-48g",
            "worker_config": {
                "max_replicas": 3,
                "min_replicas": 1,
                "idle_timeout": 300,
                "max_concurrent_per_worker": 20,
                "gpu_num": 1,
                "rootfs_size_gb": 20,
                "min_cuda_version": "12.4",
                "request_timeout": 120
            },
            "policy": {"type": "queue", "value": 200},
            "image": "registry.ppio.com/ppio/vllm-openai:v0.6.3",
            "registry_auth_id": "rauth-5b7e9d",
            "entrypoint": "",
            "command": "python -m vllm.entrypoints.openai.api_server --port 8080",
            "health_check": {"path": "/health", "port": 8080},
            "envs": [{"key": "MODEL", "value": "Qwen/Qwen2.5-7B-Instruct"}],
            "ports": [8080, 9090],
            "volumes": [
                {"id": "ns-3f9a1c", "type": "network", "size": 100, "mount_point": "/models"}
            ],
            "region_id": "cn-east-1"
        })
    );
}

#[tokio::test]
async fn v2_update_endpoint_empty_update_sends_an_empty_object() {
    // Every field is optional: an update that changes nothing but the replica limit sends just
    // that, and an update with nothing set sends `{}` (the body is required, so never nothing).
    let ok = || json(200, &json!({}));
    let server = server("PUT", "/gpus/v2/endpoints/ep-42", [ok(), ok()]).await;
    let client = client(&server.uri());

    client
        .v2()
        .update_endpoint(
            "ep-42",
            &v2::UpdateEndpointRequest::new()
                .worker_config(v2::WorkerConfig::builder().max_replicas(0).build()),
        )
        .await
        .unwrap();
    client
        .v2()
        .update_endpoint("ep-42", &v2::UpdateEndpointRequest::new())
        .await
        .unwrap();

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].line(), "PUT /gpus/v2/endpoints/ep-42");
    assert_eq!(
        requests[0].json(),
        json!({"worker_config": {"max_replicas": 0}})
    );
    assert_standard_headers(&requests[1]);
    assert_eq!(requests[1].text(), "{}");
}

#[tokio::test]
async fn v2_update_endpoint_accepts_any_success_body() {
    let server = server(
        "PUT",
        "/gpus/v2/endpoints/ep-42",
        [
            json(200, &json!({})),
            json(
                200,
                &json!({"endpoint": {"id": "ep-42", "state": "updating"}, "extra": [null, 1.5]}),
            ),
            ResponseTemplate::new(200),
            text(200, "<html>ok</html>"),
        ],
    )
    .await;
    let client = client(&server.uri());
    let body = v2::UpdateEndpointRequest::new().image("ubuntu:24.04");

    for answer in ["{}", "arbitrary JSON", "empty body", "plain text"] {
        let result: Result<(), ppio::Error> = client.v2().update_endpoint("ep-42", &body).await;
        assert!(result.is_ok(), "{answer}: {result:?}");
    }
    assert_eq!(requests(&server).await.len(), 4);
}

// ---------------------------------------------------------------------------------------------
// Default servers
// ---------------------------------------------------------------------------------------------

#[test]
fn default_servers_are_the_spec_hosts() {
    // Without a base URL override each operation targets the host its spec names. Nothing is
    // sent: the pending `Call` shows its request's server in its `Debug` output.
    assert_eq!(ppio::PPIO_BASE_URL, "https://api.ppio.com");
    assert_eq!(ppio::PPINFRA_BASE_URL, "https://api.ppinfra.com");
    let client = Client::new(TEST_API_KEY).unwrap();
    assert_eq!(client.base_url(), None);

    let v1_create = client.v1().create_instance(
        &v1::CreateInstanceRequest::builder()
            .product_id("p")
            .gpu_num(1)
            .rootfs_size(10)
            .image_url("i")
            .kind(v1::InstanceKind::Gpu)
            .build(),
    );
    let v2_create = client.v2().create_instance(&full_v2_create_body());
    let upgrade = client.v2().upgrade_instance(
        "i-1",
        &v2::UpgradeInstanceRequest::builder().image("i").build(),
    );
    let update = client
        .v2()
        .update_endpoint("e-1", &v2::UpdateEndpointRequest::new());

    let shown = [
        (format!("{v1_create:?}"), "https://api.ppinfra.com"),
        (format!("{v2_create:?}"), "https://api.ppio.com"),
        (format!("{upgrade:?}"), "https://api.ppio.com"),
        (format!("{update:?}"), "https://api.ppio.com"),
    ];
    for (text, server) in shown {
        assert!(text.contains(&format!("server: \"{server}\"")), "{text}");
    }
}

/// A caller's own `reqwest::Client` still gets the key, user agent and content type.
#[tokio::test]
async fn own_http_client_still_sends_the_client_headers() {
    let server = server(
        "POST",
        "/gpus/v2/instances",
        [json(200, &json!({"id": INSTANCE_ID}))],
    )
    .await;
    let client = Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.uri())
        .http_client(ppio::apiwire::reqwest::Client::new())
        .build()
        .expect("build client");
    let body = v2::CreateInstanceRequest::builder()
        .name("own-http")
        .product_id("product-id")
        .image("registry.example.com/team/image:tag")
        .billing(v2::Billing::builder().mode(v2::BillingMode::Spot).build())
        .resource(
            v2::Resource::builder()
                .rootfs_size_gb(20)
                .gpu_num(1)
                .build(),
        )
        .build();
    let created = client.v2().create_instance(&body).await.unwrap();
    assert_eq!(created.id.as_deref(), Some(INSTANCE_ID));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(request.json()["billing"], json!({"mode": "spot"}));
}

/// The request as raw bytes: HTTP/1.1, and the head the client wrote. wiremock parses requests
/// with hyper, which hides the version and header spelling, so this one stays on `TestServer`.
#[tokio::test]
async fn requests_go_out_as_http_1_1() {
    let server = TestServer::start(vec![Reply::json(200, &json!({}))]).await;
    let client = client(&server.url());
    client
        .v2()
        .upgrade_instance(
            AWKWARD_INSTANCE_ID,
            &v2::UpgradeInstanceRequest::builder()
                .image("ubuntu:24.04")
                .build(),
        )
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].request_line(),
        format!("PUT /gpus/v2/instances/{AWKWARD_INSTANCE_ID_ENCODED}/upgrade HTTP/1.1")
    );
    let authorization = format!("Bearer {TEST_API_KEY}");
    assert_eq!(
        requests[0].header_all("authorization"),
        [authorization.as_str()]
    );
    assert_eq!(requests[0].body, br#"{"image":"ubuntu:24.04"}"#);
}
