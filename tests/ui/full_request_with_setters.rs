// The intended way to build requests compiles without warnings: a builder with every required
// field named, a setter per optional field (including the ones named after keywords) on the
// builder or on the built value, `new()` for types without required fields, and plain reads of
// the public fields.
#![deny(warnings)]

use ppio::{v1, v2};

fn main() {
    let v2_create = v2::CreateInstanceRequest::builder()
        .name("sd-webui-prod")
        .product_id("prod-a100-80g-sxm")
        .image("registry.ppio.com/ppio/stable-diffusion-webui:1.9.4")
        .billing(
            v2::Billing::builder()
                .mode(v2::BillingMode::Prepaid)
                .prepaid(
                    v2::Prepaid::builder()
                        .months(3)
                        .auto_renew(v2::AutoRenew::new().enabled(true).months(1))
                        .build(),
                )
                .build(),
        )
        .resource(
            v2::Resource::builder()
                .min_cuda_version("12.4")
                .rootfs_size_gb(100)
                .gpu_num(1)
                .build(),
        )
        .build()
    .with_type(v2::InstanceType::Gpu)
    .registry_auth_id("rauth-5b7e9d")
    .entrypoint("/bin/bash -lc")
    .command("python launch.py")
    .envs(vec![v2::Env::new().key("TZ").value("Asia/Shanghai")])
    .ports(vec![v2::Port::builder().port(7860).protocol(v2::PortProtocol::Http).build()])
    .network(v2::Network::new().id("vpc-1").ip("10.2.1.1"))
    .volumes(vec![
        v2::InstanceVolume::builder()
            .with_type(v2::VolumeType::Network)
            .id("ns-1")
            .mount_point("/data")
            .build(),
    ])
    .candidate_regions(vec!["cn-east-1".to_owned()])
    .tools(v2::Tools::new().jupyter(v2::Jupyter::new().enabled(true).port(8888).protocol("http")))
    .auto_migrate(
        v2::AutoMigrate::new()
            .enabled(false)
            .include_system_disk(false),
    );
    assert_eq!(v2_create.name, "sd-webui-prod");
    assert_eq!(v2_create.r#type, Some(v2::InstanceType::Gpu));

    let upgrade = v2::UpgradeInstanceRequest::builder()
        .image("ubuntu:24.04")
        .build()
        .registry_auth_id("rauth-5b7e9d")
        .entrypoint("/bin/sh -c")
        .command("sleep infinity")
        .envs(vec![v2::Env::new().key("A").value("1")])
        .save_data(true);
    assert_eq!(upgrade.save_data, Some(true));

    let update = v2::UpdateEndpointRequest::new()
        .name("llm-serving-prod")
        .product_id("serverless-l40s-48g")
        .worker_config(
            v2::WorkerConfig::builder()
                .max_replicas(3)
                .min_replicas(1)
                .idle_timeout(300)
                .max_concurrent_per_worker(20)
                .gpu_num(1)
                .rootfs_size_gb(20)
                .min_cuda_version(v2::MinCudaVersion::V12_4)
                .request_timeout(120)
                .build(),
        )
        .policy(
            v2::Policy::new()
                .with_type(v2::PolicyType::Queue)
                .value(200),
        )
        .image("registry.ppio.com/ppio/vllm-openai:v0.6.3")
        .registry_auth_id("rauth-5b7e9d")
        .entrypoint("")
        .command("serve")
        .health_check(v2::HealthCheck::new().path("/health").port(8080))
        .envs(vec![v2::Env::new().key("MODEL").value("qwen")])
        .ports(vec![8080])
        .volumes(vec![
            v2::EndpointVolume::new()
                .id("ns-1")
                .with_type(v2::VolumeType::Network)
                .size(100)
                .mount_point("/models"),
        ])
        .region_id("cn-east-1");
    assert_eq!(update.ports, Some(vec![8080]));

    let v1_create = v1::CreateInstanceRequest::builder()
        .product_id("prod-rtx4090-24g")
        .gpu_num(2)
        .rootfs_size(100)
        .image_url("registry.ppinfra.com/library/pytorch:2.3.0")
        .kind(v1::InstanceKind::Gpu)
        .name("train")
        .build()
    .image_auth("user:pass")
    .image_auth_id("auth-1")
    .ports("8888/http")
    .envs(vec![v1::Env::new().key("A").value("1")])
    .tools(vec![
        v1::Tool::new()
            .name("Jupyter")
            .port("8888")
            .with_type("http"),
    ])
    .command("python train.py")
    .cluster_id("cluster-1")
    .network_storages(vec![
        v1::NetworkStorage::new().id("ns-1").mount_point("/network"),
    ])
    .network_id("vpc-1")
    .month(1);
    assert_eq!(v1_create.gpu_num, 2);
}
