//! The change report: for each kind of change, a before/after spec pair gives the expected
//! line with both verdicts; and the report is complete (a changed public item is never missing).

use std::collections::BTreeMap;

use generator::diff::{Change, Semver, Wire, bump, diff, unreported};
use generator::{SpecFile, api_of};

const BASE: &str = r#"
openapi: 3.0.3
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example.com"}]
paths:
  /pets:
    post:
      operationId: createPet
      parameters:
        - {name: dry_run, in: query, schema: {type: boolean}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
      responses:
        '200':
          description: The pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 64}
        kind: {$ref: '#/components/schemas/Kind'}
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
        kind: {$ref: '#/components/schemas/Kind'}
        tag: {type: string}
    Kind:
      type: string
      enum: [cat, dog]
"#;

fn api(text: &str) -> generator::ir::Api {
    let spec = SpecFile {
        path: "pets.yaml".to_owned(),
        module: "pets".to_owned(),
        contents: text.to_owned(),
        overlays: Vec::new(),
    };
    api_of(&[spec], &BTreeMap::new()).unwrap()
}

fn changes(after: &str) -> Vec<Change> {
    diff(&api(BASE), &api(after))
}

/// The one change whose kind is `kind`, with its subject and verdicts.
fn expect(after: &str, kind: &str, subject: &str, semver: Semver, wire: Wire) {
    let all = changes(after);
    let found = all
        .iter()
        .find(|c| c.kind == kind)
        .unwrap_or_else(|| panic!("no `{kind}` in {all:#?}"));
    assert_eq!(found.subject, subject, "{found:?}");
    assert_eq!((found.semver, found.wire), (semver, wire), "{found:?}");
}

fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from}");
    BASE.replacen(from, to, 1)
}

#[test]
fn nothing_changed_reports_nothing() {
    assert!(changes(BASE).is_empty());
}

#[test]
fn operations_added_removed_moved_deprecated() {
    let added = edit(
        "components:",
        "  /pets/{id}/feed:\n    post:\n      operationId: feedPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: Fed.}\ncomponents:",
    );
    expect(
        &added,
        "endpoint-added",
        "pets::feed_pet",
        Semver::Minor,
        Wire::Compatible,
    );
    let removed = edit("  /pets/{id}:\n    get:", "  /pets/{id}:\n    x-gone:");
    expect(
        &removed,
        "endpoint-removed",
        "pets::get_pet",
        Semver::Major,
        Wire::Breaking,
    );
    let moved = edit("  /pets/{id}:", "  /animals/{id}:");
    expect(
        &moved,
        "endpoint-moved",
        "pets::get_pet",
        Semver::Patch,
        Wire::Breaking,
    );
    let deprecated = edit(
        "      operationId: getPet",
        "      operationId: getPet\n      deprecated: true",
    );
    expect(
        &deprecated,
        "endpoint-deprecated",
        "pets::get_pet",
        Semver::Minor,
        Wire::Compatible,
    );
    let renamed = edit("operationId: getPet", "operationId: fetchPet");
    expect(
        &renamed,
        "operation-renamed",
        "pets::fetch_pet",
        Semver::Major,
        Wire::Compatible,
    );
}

#[test]
fn parameters() {
    let required = edit(
        "        - {name: dry_run, in: query, schema: {type: boolean}}",
        "        - {name: dry_run, in: query, schema: {type: boolean}}\n        - {name: owner, in: query, required: true, schema: {type: string}}",
    );
    expect(
        &required,
        "new-required-request-parameter",
        "pets::create_pet(query owner)",
        Semver::Major,
        Wire::Breaking,
    );
    let optional = edit(
        "        - {name: dry_run, in: query, schema: {type: boolean}}",
        "        - {name: dry_run, in: query, schema: {type: boolean}}\n        - {name: owner, in: query, schema: {type: string}}",
    );
    expect(
        &optional,
        "new-optional-request-parameter",
        "pets::create_pet(query owner)",
        Semver::Minor,
        Wire::Compatible,
    );
    let typed = edit(
        "{name: dry_run, in: query, schema: {type: boolean}}",
        "{name: dry_run, in: query, schema: {type: string}}",
    );
    expect(
        &typed,
        "request-parameter-type-changed",
        "pets::create_pet(query dry_run)",
        Semver::Major,
        Wire::Breaking,
    );
    let became = edit(
        "{name: dry_run, in: query, schema",
        "{name: dry_run, in: query, required: true, schema",
    );
    expect(
        &became,
        "request-parameter-became-required",
        "pets::create_pet(query dry_run)",
        Semver::Major,
        Wire::Breaking,
    );
    let removed = edit(
        "      parameters:\n        - {name: dry_run, in: query, schema: {type: boolean}}\n",
        "      parameters: []\n",
    );
    expect(
        &removed,
        "request-parameter-removed",
        "pets::create_pet(query dry_run)",
        Semver::Major,
        Wire::Compatible,
    );
}

#[test]
fn request_and_response_properties_by_direction() {
    let new_required = edit(
        "      required: [name]\n      properties:\n        name: {type: string, maxLength: 64}",
        "      required: [name, owner]\n      properties:\n        owner: {type: string}\n        name: {type: string, maxLength: 64}",
    );
    expect(
        &new_required,
        "new-required-request-property",
        "pets::NewPet.owner",
        Semver::Major,
        Wire::Breaking,
    );
    let new_optional = edit(
        "        tag: {type: string}",
        "        tag: {type: string}\n        age: {type: integer}",
    );
    expect(
        &new_optional,
        "response-optional-property-added",
        "pets::Pet.age",
        Semver::Minor,
        Wire::Compatible,
    );
    let removed = edit("        tag: {type: string}\n", "");
    expect(
        &removed,
        "response-property-removed",
        "pets::Pet.tag",
        Semver::Major,
        Wire::Breaking,
    );
    let optional = edit("      required: [id, name]", "      required: [id]");
    expect(
        &optional,
        "property-became-optional",
        "pets::Pet.name",
        Semver::Major,
        Wire::Breaking,
    );
    let typed = edit(
        "        tag: {type: string}",
        "        tag: {type: integer}",
    );
    expect(
        &typed,
        "response-property-type-changed",
        "pets::Pet.tag",
        Semver::Major,
        Wire::Breaking,
    );
    let nullable = edit(
        "        tag: {type: string}",
        "        tag: {type: string, nullable: true}",
    );
    expect(
        &nullable,
        "property-became-nullable",
        "pets::Pet.tag",
        Semver::Major,
        Wire::Breaking,
    );
    let tighter = edit(
        "name: {type: string, maxLength: 64}",
        "name: {type: string, maxLength: 32}",
    );
    expect(
        &tighter,
        "property-limits-changed",
        "pets::NewPet.name",
        Semver::Patch,
        Wire::Breaking,
    );
    let looser = edit(
        "name: {type: string, maxLength: 64}",
        "name: {type: string}",
    );
    expect(
        &looser,
        "property-limits-changed",
        "pets::NewPet.name",
        Semver::Patch,
        Wire::Compatible,
    );
}

#[test]
fn enum_values_by_direction() {
    // `Kind` travels both ways here: an added value breaks response readers.
    let added = edit("enum: [cat, dog]", "enum: [cat, dog, bird]");
    expect(
        &added,
        "response-property-enum-value-added",
        "pets::Kind",
        Semver::Minor,
        Wire::Breaking,
    );
    let removed = edit("enum: [cat, dog]", "enum: [cat]");
    expect(
        &removed,
        "request-property-enum-value-removed",
        "pets::Kind",
        Semver::Major,
        Wire::Breaking,
    );
}

#[test]
fn documentation_only_is_a_patch() {
    let docs = edit(
        "        tag: {type: string}",
        "        tag: {type: string, description: A free-form tag.}",
    );
    let all = changes(&docs);
    assert!(!all.is_empty());
    assert!(
        all.iter().all(|c| c.kind == "documentation-changed"
            && c.semver == Semver::Patch
            && c.wire == Wire::Compatible),
        "{all:#?}"
    );
    assert_eq!(generator::diff::bump(&all), Semver::Patch);
}

#[test]
fn servers_and_response_statuses() {
    let server = edit("https://pets.example.com", "https://api.pets.example.com");
    expect(
        &server,
        "api-server-changed",
        "pets::create_pet",
        Semver::Patch,
        Wire::Breaking,
    );
    let statuses = edit(
        "      responses:\n        '200':\n          description: The pet.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\n  /pets/{id}:",
        "      responses:\n        '200':\n          description: The pet.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\n        '202':\n          description: Queued.\n          content:\n            application/json:\n              schema: {type: object, properties: {queued: {type: boolean}}}\n  /pets/{id}:",
    );
    expect(
        &statuses,
        "response-body-type-changed",
        "pets::create_pet",
        Semver::Major,
        Wire::Breaking,
    );
}

/// A documented error body only changes docs and the types `ApiError::json` can target.
#[test]
fn documented_error_statuses() {
    let anchor = "      responses:\n        '200':\n          description: The pet.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\ncomponents:";
    let with_404 = edit(
        anchor,
        &anchor.replace(
            "\ncomponents:",
            "\n        '404':\n          description: No such pet.\n          content:\n            application/json:\n              schema: {type: object, properties: {message: {type: string}}}\ncomponents:",
        ),
    );
    expect(
        &with_404,
        "response-non-success-status-added",
        "pets::get_pet",
        Semver::Patch,
        Wire::Compatible,
    );
    let back = diff(&api(&with_404), &api(BASE));
    assert!(
        back.iter().any(
            |c| c.kind == "response-non-success-status-removed" && c.subject == "pets::get_pet"
        ),
        "{back:#?}"
    );
}

/// Security requirements change no Rust signature (patch); on the wire an added alternative
/// is compatible unless the operation needed none, and a removed one or a moved key breaks.
#[test]
fn security_requirements() {
    let schemes = "components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n    token: {type: http, scheme: bearer}\n  schemas:";
    let with = |security: &str, key_header: &str| {
        edit(
            "components:\n  schemas:",
            &schemes.replace("X-Key", key_header),
        )
        .replacen(
            "    get:\n      operationId: getPet\n",
            &format!("    get:\n      operationId: getPet\n      security: {security}\n"),
            1,
        )
    };
    let find = |before: &str, after: &str, kind: &str| {
        let all = diff(&api(before), &api(after));
        let found = all
            .iter()
            .find(|c| c.kind == kind)
            .unwrap_or_else(|| panic!("no `{kind}` in {all:#?}"))
            .clone();
        assert_eq!(found.subject, "pets::get_pet", "{found:?}");
        (found.semver, found.wire, found.detail)
    };
    let key_only = with("[{key: []}]", "X-Key");
    let key_or_token = with("[{key: []}, {token: []}]", "X-Key");
    let none = with("[]", "X-Key");
    assert_eq!(
        find(&key_only, &key_or_token, "api-security-added"),
        (Semver::Patch, Wire::Compatible, "`{token}`".to_owned())
    );
    assert_eq!(
        find(&key_or_token, &key_only, "api-security-removed"),
        (Semver::Patch, Wire::Breaking, "`{token}`".to_owned())
    );
    // From no requirement to one: callers without the key now fail.
    assert_eq!(
        find(&none, &key_only, "api-security-added").1,
        Wire::Breaking
    );
    // Dropping the only requirement asks nothing more of anyone.
    assert_eq!(
        find(&key_only, &none, "api-security-removed").1,
        Wire::Compatible
    );
    let moved = with("[{key: []}]", "X-Api-Key");
    let (semver, wire, detail) = find(&key_only, &moved, "api-security-scheme-changed");
    assert_eq!((semver, wire), (Semver::Patch, Wire::Breaking));
    assert!(detail.contains("X-Api-Key"), "{detail}");
}

/// A type whose name changes is reported as one rename (major for Rust), not as a removal and
/// an addition: followed by its schema place when the schema stayed, by its shape when the
/// component itself was renamed.
#[test]
fn type_renames() {
    let renamed = BASE
        .replace(
            "$ref: '#/components/schemas/Kind'",
            "$ref: '#/components/schemas/Species'",
        )
        .replace(
            "    Kind:\n      type: string",
            "    Species:\n      type: string",
        );
    let all = diff(&api(BASE), &api(&renamed));
    let rename = all
        .iter()
        .find(|c| c.kind == "type-renamed")
        .unwrap_or_else(|| panic!("no rename in {all:#?}"));
    assert_eq!(rename.subject, "pets::Species");
    assert_eq!(rename.detail, "`Kind` → `Species`");
    assert_eq!(
        (rename.semver, rename.wire),
        (Semver::Major, Wire::Compatible)
    );
    assert!(
        !all.iter()
            .any(|c| c.kind == "type-removed" || c.kind == "type-added"),
        "{all:#?}"
    );
    // Fields that hold it change type in Rust, but the JSON they carry is the same.
    let field = all
        .iter()
        .find(|c| c.kind == "request-property-type-changed")
        .unwrap_or_else(|| panic!("no field change in {all:#?}"));
    assert_eq!(field.subject, "pets::NewPet.kind");
    assert_eq!(
        (field.semver, field.wire),
        (Semver::Major, Wire::Compatible)
    );
    assert!(unreported(&api(BASE), &api(&renamed), &all).is_empty());
    // The check follows the rename itself: without the `type-renamed` line neither the new
    // type (only its documentation change names it) nor the old one is accounted for.
    let without: Vec<Change> = all
        .iter()
        .filter(|c| c.kind != "type-renamed")
        .cloned()
        .collect();
    assert_eq!(
        unreported(&api(BASE), &api(&renamed), &without),
        ["pets::Species", "pets::Kind"]
    );
}

/// Completeness: whenever an operation or a type differs in anything but documentation, the
/// report names it. Checked over every edit above.
#[test]
fn every_changed_item_is_reported() {
    let edits = [
        edit("enum: [cat, dog]", "enum: [cat, dog, bird]"),
        edit("        tag: {type: string}\n", ""),
        edit(
            "{name: dry_run, in: query, schema: {type: boolean}}",
            "{name: dry_run, in: query, schema: {type: string}}",
        ),
        edit(
            "name: {type: string, maxLength: 64}",
            "name: {type: string, maxLength: 32}",
        ),
        edit("  /pets/{id}:", "  /animals/{id}:"),
        edit(
            "    Kind:\n      type: string\n      enum: [cat, dog]\n",
            "    Kind:\n      type: integer\n",
        ),
    ];
    let before = api(BASE);
    for text in &edits {
        let after = api(text);
        let report = diff(&before, &after);
        let missing = unreported(&before, &after, &report);
        assert!(missing.is_empty(), "{missing:?} not in {report:#?}");
    }
    // The check itself catches a report that leaves something out.
    let after = api(&edits[0]);
    let mut report = diff(&before, &after);
    report.retain(|c| !c.subject.starts_with("pets::Kind"));
    assert_eq!(unreported(&before, &after, &report), ["pets::Kind"]);
    // A documentation change does not account for a change of shape.
    report.push(Change {
        subject: "pets::Kind".to_owned(),
        kind: "documentation-changed",
        detail: String::new(),
        semver: Semver::Patch,
        wire: Wire::Compatible,
    });
    assert_eq!(unreported(&before, &after, &report), ["pets::Kind"]);
}

/// The real vendor histories in `../shared/corpus/history`: every generated item that changed
/// between a pair's specs is accounted for by the report, and the documentation-only commit
/// reports a patch.
#[test]
fn history_pairs_are_reported_completely() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/history");
    let Ok(entries) = std::fs::read_dir(&root) else {
        eprintln!("skipping: {} is not present", root.display());
        return;
    };
    let mut pairs: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("before.json").exists() || p.join("before.yaml").exists())
        .collect();
    pairs.sort();
    assert!(!pairs.is_empty());
    let load = |dir: &std::path::Path, stem: &str| {
        let path = ["json", "yaml"]
            .iter()
            .map(|ext| dir.join(format!("{stem}.{ext}")))
            .find(|p| p.exists())
            .unwrap();
        let spec = SpecFile {
            path: path.file_name().unwrap().to_string_lossy().into_owned(),
            module: "api".to_owned(),
            contents: std::fs::read_to_string(&path).unwrap(),
            overlays: Vec::new(),
        };
        api_of(&[spec], &BTreeMap::new()).unwrap()
    };
    for dir in &pairs {
        let (before, after) = (load(dir, "before"), load(dir, "after"));
        let report = diff(&before, &after);
        let missing = unreported(&before, &after, &report);
        assert!(
            missing.is_empty(),
            "{}: {missing:?} unreported",
            dir.display()
        );
        if dir.ends_with("box-docs-delete-archives") {
            assert_eq!(bump(&report), Semver::Patch, "{report:#?}");
        }
    }
}

/// A struct component renamed with its fields unchanged is one rename, found by its shape even
/// though its builder is named after it, its docs differ and it refers to itself; the inline
/// enum named after it is renamed with it, and the operations returning it change their Rust
/// signature, not the wire.
#[test]
fn struct_renamed_by_shape() {
    let before = edit(
        "        tag: {type: string}\n",
        "        tag: {type: string}\n        status: {type: string, enum: [new, adopted]}\n        parent: {$ref: '#/components/schemas/Pet'}\n",
    );
    let after = before
        .replace(
            "$ref: '#/components/schemas/Pet'",
            "$ref: '#/components/schemas/Animal'",
        )
        .replace(
            "    Pet:\n      type: object",
            "    Animal:\n      description: An animal.\n      type: object",
        );
    let (old, new) = (api(&before), api(&after));
    let all = diff(&old, &new);
    let renames: Vec<(&str, &str)> = all
        .iter()
        .filter(|c| c.kind == "type-renamed")
        .map(|c| (c.subject.as_str(), c.detail.as_str()))
        .collect();
    assert_eq!(
        renames,
        [
            ("pets::Animal", "`Pet` → `Animal`"),
            ("pets::AnimalStatus", "`PetStatus` → `AnimalStatus`"),
        ],
        "{all:#?}"
    );
    assert!(
        !all.iter()
            .any(|c| c.kind == "type-removed" || c.kind == "type-added"),
        "{all:#?}"
    );
    let bodies: Vec<(&str, Semver, Wire)> = all
        .iter()
        .filter(|c| c.kind == "response-body-type-changed")
        .map(|c| (c.subject.as_str(), c.semver, c.wire))
        .collect();
    assert_eq!(
        bodies,
        [
            ("pets::create_pet", Semver::Major, Wire::Compatible),
            ("pets::get_pet", Semver::Major, Wire::Compatible),
        ],
        "{all:#?}"
    );
    assert!(all.iter().all(|c| c.wire == Wire::Compatible), "{all:#?}");
    assert!(unreported(&old, &new, &all).is_empty());
}

/// Types renamed and nothing else: the request body and the query parameter holding them change
/// type in Rust (major) and keep the wire; so do an array alias of a renamed type and a union
/// variant named after one.
#[test]
fn renamed_body_and_parameter_types_keep_the_wire() {
    let before = edit(
        "        - {name: dry_run, in: query, schema: {type: boolean}}",
        "        - {name: dry_run, in: query, schema: {type: boolean}}\n        - {name: kind, in: query, schema: {$ref: '#/components/schemas/Kind'}}",
    )
    .replace(
        "        kind: {$ref: '#/components/schemas/Kind'}\n    Pet:",
        "        kind: {$ref: '#/components/schemas/Kind'}\n        kinds: {$ref: '#/components/schemas/Kinds'}\n        size: {$ref: '#/components/schemas/Size'}\n    Pet:",
    )
    .replace(
        "    Kind:\n",
        "    Kinds:\n      type: array\n      items: {$ref: '#/components/schemas/Kind'}\n    Size:\n      oneOf:\n        - {$ref: '#/components/schemas/Kind'}\n        - {type: integer}\n    Kind:\n",
    );
    let after = before
        .replace(
            "$ref: '#/components/schemas/Kind'",
            "$ref: '#/components/schemas/Species'",
        )
        .replace("    Kind:\n", "    Species:\n")
        .replace(
            "$ref: '#/components/schemas/NewPet'",
            "$ref: '#/components/schemas/PetDraft'",
        )
        .replace("    NewPet:\n", "    PetDraft:\n");
    let (old, new) = (api(&before), api(&after));
    let all = diff(&old, &new);
    let find = |kind: &str, subject: &str| {
        all.iter()
            .find(|c| c.kind == kind && c.subject == subject)
            .map(|c| (c.semver, c.wire))
            .unwrap_or_else(|| panic!("no `{kind}` on `{subject}` in {all:#?}"))
    };
    let rust_only = (Semver::Major, Wire::Compatible);
    assert_eq!(find("type-renamed", "pets::Species"), rust_only);
    assert_eq!(find("type-renamed", "pets::PetDraft"), rust_only);
    assert_eq!(
        find("request-body-type-changed", "pets::create_pet"),
        rust_only
    );
    assert_eq!(
        find(
            "request-parameter-type-changed",
            "pets::create_pet(query kind)"
        ),
        rust_only
    );
    assert_eq!(find("type-changed", "pets::Kinds"), rust_only);
    assert_eq!(
        find("union-variant-renamed-in-rust", "pets::Size::Species"),
        rust_only
    );
    assert!(all.iter().all(|c| c.wire == Wire::Compatible), "{all:#?}");
    assert!(unreported(&old, &new, &all).is_empty());
}

/// A builder that gives its name up to a new type (`Pet` keeps its name, its builder becomes
/// `PetBuilder2`) is reported, though it is no change of the struct's shape.
#[test]
fn builder_renamed_in_rust() {
    let taken = edit(
        "    Kind:\n",
        "    PetBuilder:\n      type: object\n      properties:\n        step: {type: string}\n    Kind:\n",
    );
    let all = changes(&taken);
    let found = all
        .iter()
        .find(|c| c.kind == "builder-renamed-in-rust")
        .unwrap_or_else(|| panic!("no builder rename in {all:#?}"));
    assert_eq!(found.subject, "pets::Pet");
    assert_eq!(found.detail, "`PetBuilder` → `PetBuilder2`");
    assert_eq!(
        (found.semver, found.wire),
        (Semver::Major, Wire::Compatible)
    );
}
