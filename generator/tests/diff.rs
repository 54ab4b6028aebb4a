//! The change report: for each kind of change, a before/after spec pair gives the expected
//! line with both verdicts; and the report is complete (a changed public item is never missing).

use std::collections::BTreeMap;

use generator::diff::{Change, Semver, Wire, diff};
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
    ];
    let before = api(BASE);
    for text in &edits {
        let after = api(text);
        let report = diff(&before, &after);
        let old = &before.modules[0];
        let new = &after.modules[0];
        for t in &new.types {
            let changed = old.types.iter().find(|o| o.name == t.name).is_none_or(|o| {
                let mut o = o.clone();
                o.doc.clone_from(&t.doc);
                o != *t
            });
            if changed {
                assert!(
                    report
                        .iter()
                        .any(|c| c.subject.starts_with(&format!("pets::{}", t.name))),
                    "type {} changed but is not reported: {report:#?}",
                    t.name
                );
            }
        }
        for op in &new.operations {
            let changed = old
                .operations
                .iter()
                .find(|o| o.name == op.name)
                .is_none_or(|o| o != op);
            if changed {
                assert!(
                    report
                        .iter()
                        .any(|c| c.subject.starts_with(&format!("pets::{}", op.name))),
                    "operation {} changed but is not reported: {report:#?}",
                    op.name
                );
            }
        }
    }
}
