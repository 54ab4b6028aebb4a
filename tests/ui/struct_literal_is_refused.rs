// Request structs are `#[non_exhaustive]`: outside `ppio` they cannot be built with a struct
// literal (E0639), not even one naming every current field or filling the rest from `Default`.
// Code written against `new` + setters keeps compiling when a spec gains an optional field.
#![deny(warnings)]

use ppio::v2::{UpdateEndpointRequest, UpgradeInstanceRequest};

fn main() {
    let _all_fields = UpgradeInstanceRequest {
        image: "ubuntu:24.04".to_owned(),
        registry_auth_id: None,
        entrypoint: None,
        command: None,
        envs: None,
        save_data: Some(true),
    };
    let _with_default = UpdateEndpointRequest {
        name: Some("llm-serving-prod".to_owned()),
        ..Default::default()
    };
}
