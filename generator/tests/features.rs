//! One test per supported feature, on the small specs in `corpus/`: each asserts the Rust the
//! generator writes for it. That the same output compiles is checked by the fast corpus test in
//! `xtask` (`cargo test -p xtask fast_corpus`), which runs these fixtures through `cargo check`.

use generator::{Output, Settings, SpecFile, generate};

fn fixture(name: &str) -> SpecFile {
    let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    SpecFile {
        path: format!("corpus/{name}"),
        module: name.split('.').next().unwrap_or(name).to_owned(),
        contents: std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
        overlays: Vec::new(),
    }
}

fn settings() -> Settings {
    Settings {
        runtime: "::apiwire::codegen".to_owned(),
        client_type: None,
        command: "cargo test".to_owned(),
    }
}

fn run(name: &str) -> Output {
    generate(&[fixture(name)], &settings()).unwrap()
}

/// The module file of a one-spec output without whitespace, so assertions ignore how
/// `prettyplease` broke the lines.
fn code(output: &Output) -> String {
    squash(&output.files[1].contents)
}

fn squash(text: &str) -> String {
    let bare: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    bare.replace(",)", ")")
        .replace(",>", ">")
        .replace(",}", "}")
}

fn features() -> String {
    code(&run("features.yaml"))
}

#[track_caller]
fn has(code: &str, needle: &str) {
    let needle = squash(needle);
    assert!(code.contains(&needle), "expected `{needle}` in the output");
}

#[test]
fn component_refs_for_schemas_parameters_bodies_and_responses() {
    let code = features();
    // requestBodies/NewPet → NewPet; responses/PetResponse → Pet; parameters/Cursor → cursor.
    has(
        &code,
        "pub fn create_pet(&self, body: &NewPet) -> codegen::Call<CreatePetResponse>",
    );
    has(
        &code,
        "pub fn get_pet(&self, pet_id: i64) -> codegen::Call<Pet>",
    );
    has(&code, "pub cursor: Option<String>");
    has(&code, ".query_opt(\"cursor\", params.cursor.as_ref())");
}

#[test]
fn recursive_types_are_boxed() {
    let code = features();
    has(&code, "pub parent: Option<Box<Pet>>");
    has(&code, "pub next: Option<Box<Node>>");
    // Through a Vec no box is needed.
    has(&code, "pub children: Option<Vec<Pet>>");
}

#[test]
fn all_of_merges_properties_and_required() {
    let code = features();
    let pet = &code[code.find("pubstructPet{").unwrap()..];
    let pet = &pet[..pet.find("implPet").unwrap()];
    for field in [
        "pub name: String",
        "pub tag: Option<String>",
        "pub id: PetId",
        "pub priority: Option<Priority>",
    ] {
        has(pet, field);
    }
    has(
        &code,
        "pub fn build(self) -> Pet where S0: codegen::Required<fields::name>, S1: codegen::Required<fields::id>, {",
    );
}

#[test]
fn one_of_with_discriminator_dispatches_on_the_tag() {
    let code = features();
    has(
        &code,
        "#[derive(Debug, Clone, PartialEq, ::serde::Serialize)] #[serde(untagged)] #[allow(clippy::large_enum_variant)] pub enum Event",
    );
    has(&code, "Adopted(Adopted)");
    has(&code, "Returned(Returned)");
    has(
        &code,
        "let (tag, value) = codegen::read_tagged(deserializer, \"kind\")?;",
    );
    has(
        &code,
        "\"adopted\" => codegen::tagged_variant(value).map(Self::Adopted),",
    );
    // A tag no variant lists is kept whole.
    has(&code, "Unknown(::serde_json::Value)");
    has(&code, "_ => Ok(Self::Unknown(value))");
}

#[test]
fn one_of_without_discriminator_is_untagged_with_readable_names() {
    let code = features();
    has(
        &code,
        "#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)] #[serde(untagged)] #[allow(clippy::large_enum_variant)] pub enum IdOrName",
    );
    has(&code, "Integer(i64)");
    has(&code, "String(String)");
    // Scalar unions can be parameters, so they print.
    has(&code, "impl ::std::fmt::Display for IdOrName");
}

#[test]
fn nullable_optional_fields_keep_null_apart_from_absent() {
    let code = features();
    has(&code, "pub tag: Option<Option<String>>");
    // That absent stays absent and `null` is `Some(None)`, both ways, is checked on the wire in
    // `tests/tests/nullable.rs`.
    // The setter takes a value like any other; a second one sends an explicit null.
    has(
        &code,
        "pub fn tag(mut self, value: impl Into<String>) -> Self",
    );
    has(&code, "pub fn tag_null(mut self) -> Self");
}

#[test]
fn maps_enums_and_formats() {
    let code = features();
    has(
        &code,
        "pub labels: Option< ::std::collections::BTreeMap<String, String>, >",
    );
    has(&code, "pub enum Priority { /// `1`\n V1,");
    has(&code, "Unknown(codegen::UnknownValue<Priority, i64>)");
    has(&code, "pub enum Status { /// `available`\n Available,");
    // date-time and uuid are strings (see docs/corpus.md for why).
    has(&code, "pub born_at: Option<String>");
    has(&code, "pub owner_id: Option<String>");
}

#[test]
fn path_query_header_parameters_and_query_arrays() {
    let code = features();
    has(
        &code,
        "pub fn list_pets_with(&self, params: &ListPetsParams)",
    );
    has(&code, ".query_opt(\"limit\", params.limit.as_ref())");
    has(&code, ".query_all(\"tags\", params.tags.iter().flatten())");
    has(&code, ".query_opt(\"status\", params.status.as_ref())");
    has(
        &code,
        ".header_opt(\"X-Request-Tag\", params.x_request_tag.as_ref())",
    );
    // A path parameter typed by an alias component takes the underlying type.
    has(&code, "pub fn upload_photo( &self, pet_id: i64,");
}

#[test]
fn form_and_octet_stream_bodies() {
    let code = features();
    // `requestBody.required` is absent: the body is optional.
    has(&code, "pub fn login(&self, body: Option<&LoginRequest>)");
    has(&code, ".form_opt(body)");
    has(&code, "body: impl Into<codegen::Bytes>");
    has(&code, ".bytes(\"application/octet-stream\", body)");
    has(
        &code,
        "pub fn download_photo(&self, pet_id: i64) -> codegen::Call<codegen::Bytes>",
    );
    has(&code, "codegen::decode_bytes");
}

#[test]
fn responses_several_successes_errors_and_empty() {
    let code = features();
    // 201 and 202 carry different bodies: an enum by status, with the 400 error left to the
    // runtime's error type.
    has(
        &code,
        "pub enum CreatePetResponse { /// Status 201.\n Created(Pet), /// Status 202.\n Accepted(CreatePetResponse202), }",
    );
    has(
        &code,
        "201u16 => codegen::decode_json(response).map(Self::Created),",
    );
    // 204 only: unit.
    has(
        &code,
        "pub fn delete_pet(&self, pet_id: i64) -> codegen::Call<()>",
    );
    has(&code, "codegen::decode_unit");
    // An unquoted `200:` key (a YAML integer) and a YAML anchor (`*limit`) both read.
    has(
        &code,
        "pub fn list_pets_with(&self, params: &ListPetsParams) -> codegen::Call<PetPage>",
    );
}

#[test]
fn unsupported_constructs_are_skipped_with_file_pointer_and_reason() {
    let output = run("features.yaml");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    let expect = [
        "corpus/features.yaml#/paths/~1uploads/post/requestBody: skipped operation `POST /uploads`: request body media type(s) multipart/form-data not supported",
        "corpus/features.yaml#/paths/~1session/get/parameters/0: skipped operation `GET /session`: cookie parameters are not supported",
        "corpus/features.yaml#/paths/~1subscriptions/post/callbacks: callbacks are not generated (they describe requests the server sends)",
    ];
    for line in expect {
        assert!(
            warnings.iter().any(|w| w == line),
            "missing warning `{line}` in {warnings:#?}"
        );
    }
    assert_eq!(output.stats.skipped, 2);
    // The rest still generates, including the operation with a callback.
    assert_eq!(output.stats.operations, 10);
    let code = code(&output);
    assert!(!code.contains("upload_form"));
    has(
        &code,
        "pub fn subscribe(&self, body: Option<&SubscribeRequest>)",
    );
}

#[test]
fn swagger_2_and_openapi_3_2_are_refused_by_name() {
    let spec = |text: &str| SpecFile {
        path: "x.yaml".to_owned(),
        module: "x".to_owned(),
        contents: text.to_owned(),
        overlays: Vec::new(),
    };
    let err = generate(&[spec("swagger: '2.0'\n")], &settings()).unwrap_err();
    assert!(
        err.to_string().contains("Swagger 2.0 is not supported"),
        "{err}"
    );
    let err = generate(&[spec("openapi: 3.2.0\n")], &settings()).unwrap_err();
    assert!(
        err.to_string().contains("OpenAPI 3.2.0 is not supported"),
        "{err}"
    );
    // 3.1 is read (converted to 3.0 in the load stage).
    let output = generate(
        &[spec("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n")],
        &settings(),
    )
    .unwrap();
    assert_eq!(output.stats.operations, 0);
    // A module without operations keeps its handle, and the handle's field stays used.
    has(
        &code(&output),
        "pub fn client(&self) -> &'a codegen::Client",
    );
}

#[test]
fn hostile_names_stay_valid_and_readable() {
    let output = run("hostile.yaml");
    let code = code(&output);
    // A 120-character dotted schema name becomes one PascalCase identifier.
    has(
        &code,
        "pub struct ApiV2010AccountCallFeedbackSummaryVeryLongNameThatKeepsGoingAndGoingForAWhileAndThenSomeMore",
    );
    // Keywords as fields, parameters and operation names.
    has(&code, "pub r#type: ::std::option::Option<String>");
    has(&code, "pub self_: ::std::option::Option<String>");
    // `Self` collides with `self` once snake-cased; the second reads `self_2`, not `self__2`.
    has(&code, "pub self_2: ::std::option::Option<i64>");
    has(
        &code,
        "pub fn get_with(&self, self_: &str, params: &GetParams)",
    );
    has(&code, "pub r#fn: ::std::option::Option<String>");
    has(&code, "pub x_rate_limit: ::std::option::Option<String>");
    // Duplicate operationIds (`get`, `get`, `Get`) get distinct methods.
    has(&code, "pub fn get_2(&self, self_: &str)");
    has(&code, "pub fn get_3(&self)");
    // `pet` and `Pet` differ only by case: both exist under distinct names.
    has(&code, "pub struct Pet {");
    has(&code, "pub struct HostilePet {");
    // Non-ASCII words are dropped, the rest kept.
    has(
        &code,
        "pub fn crear_n_mero(&self, body: ::std::option::Option<&NMero>)",
    );
    // Schemas named `Option`, `Result` and `Box` keep their names; the module then spells those
    // std items by path, and the prelude's `String` and `Vec` by name.
    has(&code, "pub type Option = String;");
    has(&code, "pub value: ::std::option::Option<Option>");
    has(&code, "-> ::std::result::Result<Self, D::Error>");
    has(&code, "pub type Box = Vec<Result>;");
    // A schema named `Api` does not clash with the module's `Api` struct.
    has(&code, "pub struct Api2 {");
    // Enum values that collide after sanitizing, or with the catch-all, stay distinct.
    has(
        &code,
        "pub enum ApiV2010AccountCallFeedbackSummaryVeryLongNameThatKeepsGoingAndGoingForAWhileAndThenSomeMoreKind",
    );
    has(
        &code,
        "UnknownValue(codegen::UnknownValue<ApiV2010AccountCallFeedbackSummaryVeryLongNameThatKeepsGoingAndGoingForAWhileAndThenSomeMoreKind>)",
    );
}

#[test]
fn generating_twice_gives_identical_bytes() {
    for name in ["features.yaml", "hostile.yaml"] {
        let a = run(name);
        let b = run(name);
        assert_eq!(a.files, b.files, "{name}");
        assert_eq!(a.warnings, b.warnings, "{name}");
    }
}

#[test]
fn input_order_does_not_change_the_output() {
    // Two specs in two modules: each module's output is the same whichever is passed first.
    let one = [fixture("features.yaml"), fixture("hostile.yaml")];
    let two = [fixture("hostile.yaml"), fixture("features.yaml")];
    let a = generate(&one, &settings()).unwrap();
    let b = generate(&two, &settings()).unwrap();
    // `mod.rs` lists its sources in input order; the module files must not change at all.
    assert_eq!(a.files[1..], b.files[1..]);
    assert_eq!(a.warnings, b.warnings);
}
