//! Broken input gets an error or a warning, never a panic, and errors name the file.

use generator::{Settings, SpecFile, generate};

fn spec(path: &str, contents: String) -> SpecFile {
    SpecFile {
        path: path.to_owned(),
        module: "v2".to_owned(),
        contents,
        overlays: Vec::new(),
    }
}

fn ppio_spec() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../specs/v2/update-endpoint.yaml"
    ))
    .unwrap()
}

/// Every line-boundary truncation of a real spec either generates or fails with an error that
/// names the file; none panics.
#[test]
fn truncated_specs_never_panic() {
    let text = ppio_spec();
    let cuts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let mut errors = 0;
    for cut in cuts {
        let input = spec("specs/v2/cut.yaml", text[..cut].to_owned());
        let result = std::panic::catch_unwind(|| generate(&[input], &Settings::default()));
        let result = result.unwrap_or_else(|_| panic!("panicked on a spec cut at byte {cut}"));
        if let Err(err) = result {
            errors += 1;
            assert!(err.to_string().starts_with("specs/v2/cut.yaml"), "{err}");
        }
    }
    assert!(errors > 0, "some truncations must be invalid documents");
}

/// Replacing scalar values with values of the wrong kind is reported, with a JSON pointer.
#[test]
fn wrong_kinds_are_reported_with_a_pointer() {
    let text = ppio_spec().replace(
        "                  type: object\n                  description: 健康检查配置。",
        "                  type: 17\n                  description: 健康检查配置。",
    );
    let err = generate(&[spec("specs/v2/bad.yaml", text)], &Settings::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "specs/v2/bad.yaml#/paths/~1gpus~1v2~1endpoints~1{endpoint_id}/put/requestBody: \
         invalid OpenAPI 3.0 document: invalid type: integer `17`, expected a string"
    );
}

#[test]
fn unresolvable_references_skip_the_operation_with_the_place() {
    let text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    post:\n      requestBody:\n        $ref: '#/components/requestBodies/Missing'\n      responses:\n        '200': {description: ok}\n";
    let output = generate(
        &[spec("specs/v2/ref.yaml", text.to_owned())],
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(output.stats.operations, 0);
    assert_eq!(output.stats.skipped, 1);
    let warning = &output.warnings[0];
    assert_eq!(warning.file, "specs/v2/ref.yaml");
    assert_eq!(warning.pointer, "/paths/~1things/post/requestBody");
    assert!(
        warning.message.contains("could not be resolved"),
        "{}",
        warning.message
    );
}

/// The same for an OpenAPI 3.1 document, which goes through the 3.1 → 3.0 conversion first:
/// every truncation, and 3.1 keywords holding values of the wrong kind, give an error naming the
/// file or a warning, never a panic.
#[test]
fn broken_3_1_documents_never_panic() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/v3_1.yaml"
    ))
    .unwrap();
    let mut inputs: Vec<String> = text
        .match_indices('\n')
        .map(|(i, _)| text[..i].to_owned())
        .collect();
    for (from, to) in [
        ("type: [string, 'null']", "type: [1, {}, null]"),
        ("anyOf:", "anyOf: 5\n          x-was:"),
        ("const: pet", "const: {a: [1]}"),
        ("exclusiveMinimum: 0", "exclusiveMinimum: x"),
        ("examples: [pet-1]", "examples: {a: 1}"),
        (
            "$ref: '#/components/schemas/Owner'\n          description",
            "$ref: 7\n          description",
        ),
        ("oneOf:", "oneOf: [true, false, 3]\n          x-was:"),
        (
            "paths:",
            "webhooks: 7\njsonSchemaDialect: 5\n$defs: 3\nx-paths:",
        ),
        ("components:", "components: []\nx-components:"),
        (
            "type: object\n      required: [id",
            "$defs: {A: 1}\n      prefixItems: 4\n      patternProperties: 2\n      type: object\n      required: [id",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        inputs.push(text.replacen(from, to, 1));
    }
    for (i, input) in inputs.into_iter().enumerate() {
        let input = spec("specs/x31.yaml", input);
        let result = std::panic::catch_unwind(|| generate(&[input], &Settings::default()));
        let result = result.unwrap_or_else(|_| panic!("panicked on 3.1 input {i}"));
        if let Err(err) = result {
            assert!(err.to_string().starts_with("specs/x31.yaml"), "{err}");
        }
    }
}
