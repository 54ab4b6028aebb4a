//! Forward compatibility of the generated types: values and fields this version does not know.

use ppio::v2::{BillingMode, MinCudaVersion, UpdateEndpointRequest, WorkerConfig};
use serde_json::json;

#[test]
fn unknown_enum_values_round_trip() {
    let mode: BillingMode = serde_json::from_value(json!("reserved")).unwrap();
    assert_eq!(mode, BillingMode::Unknown("reserved".to_owned()));
    assert_eq!(serde_json::to_value(&mode).unwrap(), json!("reserved"));
    assert_eq!(mode.to_string(), "reserved");

    let known: MinCudaVersion = serde_json::from_value(json!("12.8")).unwrap();
    assert_eq!(known, MinCudaVersion::V12_8);
    assert_eq!(known.as_str(), "12.8");
    let newer: MinCudaVersion = "14.1".parse().unwrap();
    assert_eq!(newer, MinCudaVersion::Unknown("14.1".to_owned()));
    assert_eq!(serde_json::to_string(&newer).unwrap(), "\"14.1\"");
}

#[test]
fn integers_sent_as_strings_are_accepted() {
    let config: WorkerConfig = serde_json::from_value(json!({
        "max_replicas": "3",
        "min_replicas": 1,
        "idle_timeout": "300",
    }))
    .unwrap();
    assert_eq!(config.max_replicas, 3);
    assert_eq!(config.min_replicas, Some(1));
    assert_eq!(config.idle_timeout, Some(300));
    assert_eq!(config.gpu_num, None);
    let bad = serde_json::from_value::<WorkerConfig>(json!({"max_replicas": "three"}));
    assert!(bad.is_err());
}

#[test]
fn unknown_fields_are_ignored() {
    let body: UpdateEndpointRequest = serde_json::from_value(json!({
        "name": "ep",
        "brand_new_field": {"nested": [1, 2, 3]},
    }))
    .unwrap();
    assert_eq!(body.name.as_deref(), Some("ep"));
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"name": "ep"}),
        "unknown fields are not echoed back"
    );
}
