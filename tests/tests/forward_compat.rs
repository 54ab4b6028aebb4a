//! Forward compatibility of the generated types: values and fields this version does not know.

use ppio::v2::{BillingMode, MinCudaVersion, UpdateEndpointRequest, WorkerConfig};
use serde_json::json;

#[test]
fn unknown_enum_values_round_trip() {
    let mode: BillingMode = serde_json::from_value(json!("reserved")).unwrap();
    let BillingMode::Unknown(value) = &mode else {
        panic!("`reserved` is not a listed billing mode: {mode:?}");
    };
    assert_eq!(value.as_str(), "reserved");
    assert_eq!(value.to_string(), "reserved");
    assert_eq!(format!("{value:?}"), r#"UnknownValue("reserved")"#);
    assert_eq!(mode, BillingMode::from("reserved"));
    assert_eq!(mode.as_str(), "reserved");
    assert_eq!(serde_json::to_value(&mode).unwrap(), json!("reserved"));
    assert_eq!(mode.to_string(), "reserved");

    let known: MinCudaVersion = serde_json::from_value(json!("12.8")).unwrap();
    assert_eq!(known, MinCudaVersion::V12_8);
    assert_eq!(known.as_str(), "12.8");
    let newer: MinCudaVersion = "14.1".parse().unwrap();
    assert!(matches!(&newer, MinCudaVersion::Unknown(v) if v.as_str() == "14.1"));
    assert_eq!(serde_json::to_string(&newer).unwrap(), "\"14.1\"");
}

/// A listed value always becomes its variant, however it is made, so two values of an open enum
/// are equal exactly when they travel as the same string: an unknown value cannot alias `Spot`.
#[test]
fn a_listed_value_is_never_unknown() {
    assert_eq!(BillingMode::from("spot"), BillingMode::Spot);
    assert_eq!(BillingMode::from("spot".to_owned()), BillingMode::Spot);
    assert_eq!("spot".parse::<BillingMode>().unwrap(), BillingMode::Spot);
    let decoded: BillingMode = serde_json::from_value(json!("spot")).unwrap();
    assert_eq!(decoded, BillingMode::Spot);
    // Values differing only in case are different values on the wire, so they stay unknown.
    let shouted = BillingMode::from("SPOT");
    assert!(matches!(&shouted, BillingMode::Unknown(v) if v.as_str() == "SPOT"));
    assert_ne!(shouted, BillingMode::Spot);
    assert_eq!(serde_json::to_value(&shouted).unwrap(), json!("SPOT"));
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
