//! The PPIO specs produce short, natural, stable type and operation names.

use generator::ir::{Module, TypeKind};
use generator::{Settings, SpecFile, generate, ir, load, lower};

fn ppio_specs() -> Vec<SpecFile> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");
    let mut specs = Vec::new();
    for version in ["v1", "v2"] {
        let dir = format!("{root}/{version}");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for path in paths {
            specs.push(SpecFile {
                path: format!(
                    "specs/{version}/{}",
                    path.file_name().unwrap().to_string_lossy()
                ),
                module: version.to_owned(),
                contents: std::fs::read_to_string(&path).unwrap(),
                overlays: Vec::new(),
            });
        }
    }
    specs
}

fn lower_specs(specs: &[SpecFile]) -> ir::Api {
    let loaded: Vec<_> = specs.iter().map(|s| load::load(s).unwrap()).collect();
    let lowered = lower::lower(&loaded).unwrap();
    assert!(lowered.warnings.is_empty(), "{:?}", lowered.warnings);
    lowered.api
}

fn module<'a>(api: &'a ir::Api, name: &str) -> &'a Module {
    api.modules.iter().find(|m| m.name == name).unwrap()
}

fn type_names(module: &Module) -> Vec<&str> {
    module.types.iter().map(|t| t.name.as_str()).collect()
}

#[test]
fn v2_types_have_natural_names() {
    let api = lower_specs(&ppio_specs());
    let v2 = module(&api, "v2");
    let names = type_names(v2);
    for expected in [
        "CreateInstanceRequest",
        "CreateInstanceResponse",
        "Billing",
        "BillingMode",
        "Prepaid",
        "AutoRenew",
        "Resource",
        "InstanceType",
        "Env",
        "Port",
        "PortProtocol",
        "Network",
        "Tools",
        "Jupyter",
        "AutoMigrate",
        "UpdateEndpointRequest",
        "WorkerConfig",
        "MinCudaVersion",
        "Policy",
        "PolicyType",
        "HealthCheck",
        "UpgradeInstanceRequest",
        "VolumeType",
        "InstanceVolume",
        "EndpointVolume",
        "UpdateAutoRenewRequest",
    ] {
        assert!(names.contains(&expected), "missing {expected} in {names:?}");
    }
    // One `Env` for the three identical env items, one `VolumeType` for the identical enums.
    assert_eq!(names.iter().filter(|n| **n == "Env").count(), 1);
    // The auto-renew page's `auto_renew` object is the create page's: one `AutoRenew`.
    assert_eq!(names.iter().filter(|n| **n == "AutoRenew").count(), 1);
    assert_eq!(names.len(), 26, "{names:?}");
    let ops: Vec<&str> = v2.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        ops,
        [
            "create_instance",
            "delete_endpoint",
            "delete_network",
            "restart_instance",
            "update_auto_renew",
            "update_endpoint",
            "upgrade_instance"
        ]
    );
}

#[test]
fn v1_keeps_its_own_types() {
    let api = lower_specs(&ppio_specs());
    let v1 = module(&api, "v1");
    assert_eq!(
        type_names(v1),
        [
            "CreateInstanceRequest",
            "Env",
            "Tool",
            "NetworkStorage",
            "InstanceKind",
            "CreateInstanceResponse"
        ]
    );
    let TypeKind::Struct(storage) = &v1.types[3].kind else {
        panic!("NetworkStorage is a struct")
    };
    assert_eq!(storage.fields[0].name, "id");
    assert_eq!(storage.fields[0].api_name, "Id");
    assert_eq!(v1.operations[0].name, "create_instance");
    assert_eq!(v1.operations[0].server, "https://api.ppinfra.com");
}

#[test]
fn client_owned_headers_are_not_arguments() {
    let api = lower_specs(&ppio_specs());
    for module in &api.modules {
        for op in &module.operations {
            assert!(
                op.params.is_none(),
                "{} has params {:?}",
                op.name,
                op.params
            );
        }
    }
}

#[test]
fn names_do_not_shift_when_an_unrelated_schema_changes() {
    let specs = ppio_specs();
    let before = lower_specs(&specs);
    let mut changed = specs.clone();
    let upgrade = changed
        .iter_mut()
        .find(|s| s.path.ends_with("upgrade-instance.yaml"))
        .unwrap();
    // An unrelated new nested object and enum in another operation.
    upgrade.contents = upgrade.contents.replace(
        "                save_data:\n",
        "                scheduling:\n                  type: object\n                  properties:\n                    mode:\n                      type: string\n                      enum: [fast, cheap]\n                save_data:\n",
    );
    let after = lower_specs(&changed);
    let before_names = type_names(module(&before, "v2"));
    let after_names = type_names(module(&after, "v2"));
    for name in &before_names {
        assert!(
            after_names.contains(name),
            "{name} disappeared: {after_names:?}"
        );
    }
    assert!(after_names.contains(&"Scheduling") && after_names.contains(&"SchedulingMode"));
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let specs = ppio_specs();
    let settings = Settings::default();
    let first = generate(&specs, &settings).unwrap().files;
    let second = generate(&specs, &settings).unwrap().files;
    assert_eq!(first, second);
}

/// A new v2 operation whose inline `ports` items have another shape must not rename the
/// published `v2::Port`: with the committed names lock, the newcomer is the one qualified.
#[test]
fn a_colliding_newcomer_leaves_the_published_port_alone() {
    let mut specs = ppio_specs();
    specs.push(SpecFile {
        path: "specs/v2/create-pool.yaml".to_owned(),
        module: "v2".to_owned(),
        contents: r#"
openapi: 3.0.0
info: {title: PPIO GPU API v2, version: 2.0.0}
servers: [{url: "https://api.ppio.com"}]
paths:
  /gpus/v2/pools:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                ports:
                  type: array
                  items:
                    type: object
                    required: [container_port]
                    properties:
                      container_port: {type: integer}
                      public: {type: boolean}
      responses:
        '200': {description: OK}
"#
        .to_owned(),
        overlays: Vec::new(),
    });
    let lock_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../generated/src/api/names.lock"
    ))
    .unwrap();
    let locked = generator::NamesLock::parse(&lock_text);
    let loaded: Vec<_> = specs.iter().map(|s| load::load(s).unwrap()).collect();

    let unlocked = lower::lower(&loaded).unwrap();
    let names = |api: &ir::Api| -> Vec<String> {
        module(api, "v2")
            .types
            .iter()
            .map(|t| t.name.clone())
            .collect()
    };
    // What happened before the lock: the published `Port` became `InstancePort`.
    assert!(!names(&unlocked.api).contains(&"Port".to_owned()));

    let locked_run = lower::lower_with_names(&loaded, &locked).unwrap();
    let v2 = module(&locked_run.api, "v2");
    let port = v2
        .types
        .iter()
        .find(|t| t.name == "Port")
        .expect("Port stays");
    let TypeKind::Struct(s) = &port.kind else {
        panic!("Port is a struct");
    };
    let fields: Vec<&str> = s.fields.iter().map(|f| f.api_name.as_str()).collect();
    assert_eq!(
        fields,
        ["port", "protocol"],
        "the published Port, not the newcomer"
    );
    let newcomer = v2
        .types
        .iter()
        .find(|t| {
            matches!(&t.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.api_name == "container_port"))
        })
        .unwrap();
    assert_ne!(newcomer.name, "Port");
    assert!(newcomer.name.ends_with("Port"), "{}", newcomer.name);
    // Every name published before is still there.
    let after: Vec<String> = locked_run
        .api
        .modules
        .iter()
        .flat_map(|m| m.types.iter().map(|t| t.name.clone()))
        .collect();
    for name in locked.values() {
        assert!(after.contains(name), "{name} was renamed");
    }
}
