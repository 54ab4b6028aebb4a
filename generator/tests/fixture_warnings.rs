//! The warnings the golden fixtures (`generator/tests/fixtures/`) produce on purpose: each names
//! the JSON pointer of what was left out or degraded, and the rest of the spec still generates.

use generator::{Settings, SpecFile, Warning, generate};

fn fixture_warnings(name: &str) -> Vec<Warning> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let spec = SpecFile {
        path: format!("generator/tests/fixtures/{name}"),
        module: name.split('.').next().unwrap_or(name).to_owned(),
        contents: std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
        overlays: Vec::new(),
    };
    let settings = Settings {
        runtime: "::apiwire::codegen".to_owned(),
        client_type: None,
        command: "cargo test".to_owned(),
    };
    generate(&[spec], &settings).unwrap().warnings
}

#[test]
fn a_path_parameter_missing_from_the_template_is_left_out_with_its_pointer() {
    let warnings = fixture_warnings("params.yaml");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].pointer, "/paths/~1pets/get/parameters/0");
    assert!(
        warnings[0]
            .message
            .contains("left out path parameter `petId`"),
        "{}",
        warnings[0]
    );
    assert!(!warnings[0].message.starts_with("skipped operation"));
}

#[test]
fn schemas_that_only_refer_to_themselves_are_json_values_with_a_warning_each() {
    let warnings = fixture_warnings("self_ref.yaml");
    let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/Ping",
            "/components/schemas/Pong",
            "/components/schemas/object"
        ]
    );
    for warning in &warnings {
        assert!(
            warning.message.contains("only a reference to itself")
                && warning.message.contains("JSON value"),
            "{warning}"
        );
    }
}

#[test]
fn unsupported_http_schemes_and_undeclared_schemes_are_warned_about_where_they_are() {
    let warnings = fixture_warnings("security.yaml");
    let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/securitySchemes/digestAuth/scheme",
            "/paths/~1either/get/security/1/missing"
        ]
    );
    assert!(warnings[0].message.contains("`digest`"), "{}", warnings[0]);
    assert!(warnings[1].message.contains("`missing`"), "{}", warnings[1]);
}

#[test]
fn a_runtime_path_that_does_not_parse_is_an_error_not_a_fallback() {
    let spec = SpecFile {
        path: "minimal.yaml".to_owned(),
        module: "minimal".to_owned(),
        contents: std::fs::read_to_string(format!(
            "{}/tests/fixtures/minimal.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
        overlays: Vec::new(),
    };
    for runtime in ["::apiwire::codegen(", "not a path", ""] {
        let settings = Settings {
            runtime: runtime.to_owned(),
            client_type: None,
            command: "cargo test".to_owned(),
        };
        let err = generate(std::slice::from_ref(&spec), &settings).unwrap_err();
        assert!(
            err.to_string().contains("runtime path"),
            "{runtime:?}: {err}"
        );
    }
}

#[test]
fn an_operation_that_only_switches_protocols_is_skipped_where_its_101_is() {
    let warnings = fixture_warnings("media.yaml");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].pointer,
        "/paths/~1things~1{id}~1watch/get/responses/101"
    );
    assert!(
        warnings[0]
            .message
            .starts_with("skipped operation `GET /things/{id}/watch`")
            && warnings[0].message.contains("WebSocket"),
        "{}",
        warnings[0]
    );
}
