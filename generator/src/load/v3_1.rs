//! OpenAPI 3.1 → 3.0: a structural rewrite of the JSON tree before `openapiv3` reads it.
//!
//! The document is walked by its OpenAPI structure (paths, operations, parameters, bodies,
//! responses, media types, components) and, inside schemas, by the JSON Schema keywords that
//! hold subschemas. Values that are data (`example`, `examples`, `default`, `enum`, `const`,
//! `x-` extensions, links) are never entered, so a key such as `type` inside an example is left
//! alone. Every construct that is dropped or only approximated is reported through `note` with
//! the JSON pointer of the original document; rewrites that keep the meaning are silent.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::error::pointer_token;

/// HTTP methods of a path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Schema keywords that hold one subschema.
const SINGLE: &[&str] = &["items", "not", "additionalItems"];
/// Schema keywords that hold a map of named subschemas.
const MAPS: &[&str] = &["properties", "$defs", "definitions"];
/// Schema keywords that hold a list of subschemas.
const LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// JSON Schema 2020-12 keywords with no OpenAPI 3.0 form. The client does not validate, so
/// dropping them changes no generated type except where they declare structure, which the
/// warning says.
const DROPPED: &[&str] = &[
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$dynamicRef",
    "$vocabulary",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
];

/// Keywords that only apply to one JSON type, for splitting `type: [A, B]` into `anyOf`.
const STRING_KEYS: &[&str] = &["maxLength", "minLength", "pattern"];
const NUMBER_KEYS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const ARRAY_KEYS: &[&str] = &["items", "minItems", "maxItems", "uniqueItems"];
const OBJECT_KEYS: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
];
/// Formats that belong to numbers; every other format belongs to strings.
const NUMBER_FORMATS: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float", "double",
    "decimal",
];

/// Documentation keywords: when a one-member union is folded into its schema, the outer
/// schema's value wins over the member's.
const DOC_KEYS: &[&str] = &[
    "title",
    "description",
    "example",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

/// The default schema dialect of OpenAPI 3.1; declaring it changes nothing.
const OAS_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Rewrites an OpenAPI 3.1 document in place into the 3.0.3 form `openapiv3` reads.
pub fn convert(doc: &mut Value, note: &mut dyn FnMut(String, String)) {
    let Value::Object(root) = doc else {
        return;
    };
    let mut cx = Converter {
        note,
        renames: Vec::new(),
        hoisted: Vec::new(),
    };
    cx.plan_defs(root);
    cx.root(root);
}

struct Converter<'n> {
    note: &'n mut dyn FnMut(String, String),
    /// `$defs` entries moved to `components/schemas`: (old `$ref` target, new component name),
    /// longest target first.
    renames: Vec<(String, String)>,
    /// Converted `$defs` schemas waiting to be inserted: (old pointer, schema).
    hoisted: Vec<(String, Value)>,
}

fn child(at: &str, key: &str) -> String {
    format!("{at}/{}", pointer_token(key))
}

impl Converter<'_> {
    fn warn(&mut self, pointer: String, message: impl Into<String>) {
        (self.note)(pointer, message.into());
    }

    // ----- document structure -------------------------------------------------------------

    fn root(&mut self, root: &mut Map<String, Value>) {
        root.insert("openapi".to_owned(), "3.0.3".into());
        if let Some(dialect) = root.shift_remove("jsonSchemaDialect")
            && dialect.as_str() != Some(OAS_DIALECT)
        {
            self.warn(
                "/jsonSchemaDialect".to_owned(),
                "`jsonSchemaDialect` names a non-default schema dialect; schemas are read as the \
                 OpenAPI dialect",
            );
        }
        if let Some(Value::Object(info)) = root.get_mut("info") {
            if info.shift_remove("summary").is_some() {
                self.warn(
                    "/info/summary".to_owned(),
                    "`info.summary` has no OpenAPI 3.0 form; dropped",
                );
            }
            if let Some(Value::Object(license)) = info.get_mut("license")
                && license.shift_remove("identifier").is_some()
            {
                self.warn(
                    "/info/license/identifier".to_owned(),
                    "`license.identifier` (SPDX) has no OpenAPI 3.0 form; dropped",
                );
            }
        }
        if let Some(webhooks) = root.shift_remove("webhooks") {
            let names: Vec<String> = match webhooks {
                Value::Object(map) => map.keys().cloned().collect(),
                _ => vec![String::new()],
            };
            for name in names {
                let at = if name.is_empty() {
                    "/webhooks".to_owned()
                } else {
                    child("/webhooks", &name)
                };
                self.warn(
                    at,
                    "webhook dropped: it describes a request the API sends, not one the client makes",
                );
            }
        }
        self.inline_path_item_refs(root);
        match root.get_mut("paths") {
            Some(Value::Object(paths)) => {
                for (path, item) in paths.iter_mut() {
                    if !path.starts_with("x-") {
                        self.path_item(item, &child("/paths", path));
                    }
                }
            }
            Some(_) => {}
            None => {
                root.insert("paths".to_owned(), Value::Object(Map::new()));
            }
        }
        if let Some(Value::Object(components)) = root.get_mut("components") {
            self.components(components);
        }
        self.insert_hoisted(root);
    }

    /// Path items may `$ref` `components/pathItems` in 3.1; 3.0 has no such section, so the
    /// referenced item is copied in (its own keys first, then the referring item's siblings).
    fn inline_path_item_refs(&mut self, root: &mut Map<String, Value>) {
        let Some(Value::Object(items)) = root
            .get_mut("components")
            .and_then(Value::as_object_mut)
            .and_then(|c| c.shift_remove("pathItems"))
        else {
            return;
        };
        let mut used = BTreeSet::new();
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for item in paths.values_mut() {
                let Value::Object(map) = item else {
                    continue;
                };
                let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/pathItems/"))
                    .map(|n| n.replace("~1", "/").replace("~0", "~"))
                else {
                    continue;
                };
                let Some(Value::Object(target)) = items.get(&name) else {
                    continue;
                };
                let mut merged = target.clone();
                for (key, value) in map.iter().filter(|(k, _)| *k != "$ref") {
                    merged.insert(key.clone(), value.clone());
                }
                *map = merged;
                used.insert(name);
            }
        }
        for name in items.keys().filter(|n| !used.contains(*n)) {
            let at = child("/components/pathItems", name);
            (self.note)(
                at,
                "path item not referenced from `paths`; dropped (OpenAPI 3.0 has no \
                 `components.pathItems`)"
                    .to_owned(),
            );
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &str) {
        let Value::Object(map) = item else {
            return;
        };
        for (key, value) in map.iter_mut() {
            let here = child(at, key);
            if key == "parameters" {
                self.each(value, &here, Self::parameter);
            } else if METHODS.contains(&key.as_str()) {
                self.operation(value, &here);
            }
        }
    }

    fn operation(&mut self, op: &mut Value, at: &str) {
        let Value::Object(map) = op else {
            return;
        };
        for (key, value) in map.iter_mut() {
            let here = child(at, key);
            match key.as_str() {
                "parameters" => self.each(value, &here, Self::parameter),
                "requestBody" => self.request_body(value, &here),
                "responses" => self.named(value, &here, Self::response),
                "callbacks" => self.named(value, &here, Self::callback),
                _ => {}
            }
        }
        // 3.1 makes `responses` optional; 3.0 (and `openapiv3`) require the key.
        map.entry("responses")
            .or_insert_with(|| Value::Object(Map::new()));
    }

    fn callback(&mut self, callback: &mut Value, at: &str) {
        self.named(callback, at, Self::path_item);
    }

    fn parameter(&mut self, param: &mut Value, at: &str) {
        let Value::Object(map) = param else {
            return;
        };
        if let Some(schema) = map.get_mut("schema") {
            self.schema(schema, &child(at, "schema"));
        }
        if let Some(content) = map.get_mut("content") {
            self.named(content, &child(at, "content"), Self::media_type);
        }
    }

    fn request_body(&mut self, body: &mut Value, at: &str) {
        if let Some(content) = body.get_mut("content") {
            self.named(content, &child(at, "content"), Self::media_type);
        }
    }

    fn response(&mut self, response: &mut Value, at: &str) {
        let Value::Object(map) = response else {
            return;
        };
        if let Some(headers) = map.get_mut("headers") {
            self.named(headers, &child(at, "headers"), Self::parameter);
        }
        if let Some(content) = map.get_mut("content") {
            self.named(content, &child(at, "content"), Self::media_type);
        }
    }

    fn media_type(&mut self, media: &mut Value, at: &str) {
        let Value::Object(map) = media else {
            return;
        };
        if let Some(schema) = map.get_mut("schema") {
            self.schema(schema, &child(at, "schema"));
        }
        if let Some(Value::Object(encoding)) = map.get_mut("encoding") {
            for (name, enc) in encoding.iter_mut() {
                if let Some(headers) = enc.get_mut("headers") {
                    let here = child(&child(&child(at, "encoding"), name), "headers");
                    self.named(headers, &here, Self::parameter);
                }
            }
        }
    }

    fn components(&mut self, components: &mut Map<String, Value>) {
        let at = "/components";
        for (key, value) in components.iter_mut() {
            let here = child(at, key);
            match key.as_str() {
                "schemas" => self.named(value, &here, Self::schema),
                "parameters" | "headers" => self.named(value, &here, Self::parameter),
                "requestBodies" => self.named(value, &here, Self::request_body),
                "responses" => self.named(value, &here, Self::response),
                "callbacks" => self.named(value, &here, Self::callback),
                _ => {}
            }
        }
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            let mutual: Vec<String> = schemes
                .iter()
                .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                .map(|(name, _)| name.clone())
                .collect();
            for name in mutual {
                schemes.shift_remove(&name);
                self.warn(
                    child("/components/securitySchemes", &name),
                    "`mutualTLS` security scheme has no OpenAPI 3.0 form; dropped",
                );
            }
        }
    }

    /// Applies `f` to every value of a map (skipping `x-` extensions).
    fn named(&mut self, value: &mut Value, at: &str, f: fn(&mut Self, &mut Value, &str)) {
        if let Value::Object(map) = value {
            for (name, item) in map.iter_mut() {
                if !name.starts_with("x-") {
                    f(self, item, &child(at, name));
                }
            }
        }
    }

    /// Applies `f` to every element of a list.
    fn each(&mut self, value: &mut Value, at: &str, f: fn(&mut Self, &mut Value, &str)) {
        if let Value::Array(items) = value {
            for (i, item) in items.iter_mut().enumerate() {
                f(self, item, &format!("{at}/{i}"));
            }
        }
    }

    // ----- `$defs` -----------------------------------------------------------------------------

    /// Finds every `$defs` entry and decides its component name, so that references to it can
    /// be rewritten while the document is walked. Names are the entry's own name when free,
    /// otherwise prefixed with the enclosing component's name, then numbered.
    fn plan_defs(&mut self, root: &Map<String, Value>) {
        let mut found = Vec::new();
        find_defs(root, "", false, &mut found);
        let mut taken: BTreeSet<String> = root
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_object)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        for (pointer, name) in found {
            let parent = pointer
                .strip_prefix("/components/schemas/")
                .and_then(|rest| rest.split('/').next())
                .map(|p| p.replace("~1", "/").replace("~0", "~"))
                .unwrap_or_default();
            let candidates = [name.clone(), format!("{parent}{name}")];
            let chosen = candidates
                .into_iter()
                .chain((2..).map(|n| format!("{parent}{name}{n}")))
                .find(|c| !taken.contains(c))
                .unwrap_or_default();
            taken.insert(chosen.clone());
            self.renames.push((format!("#{pointer}"), chosen));
        }
        self.renames
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    }

    /// The reference after hoisting, when it points into a `$defs` entry.
    fn renamed(&self, reference: &str) -> Option<String> {
        self.renames.iter().find_map(|(old, new)| {
            let rest = reference.strip_prefix(old.as_str())?;
            (rest.is_empty() || rest.starts_with('/'))
                .then(|| format!("#/components/schemas/{}{rest}", pointer_token(new)))
        })
    }

    fn insert_hoisted(&mut self, root: &mut Map<String, Value>) {
        if self.hoisted.is_empty() {
            return;
        }
        let hoisted = std::mem::take(&mut self.hoisted);
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(components) = components else {
            return;
        };
        let schemas = components
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(schemas) = schemas else {
            return;
        };
        for (pointer, schema) in hoisted {
            let name = self
                .renames
                .iter()
                .find(|(old, _)| old.strip_prefix('#') == Some(pointer.as_str()))
                .map(|(_, new)| new.clone());
            match name {
                Some(name) => {
                    schemas.insert(name, schema);
                }
                None => (self.note)(
                    pointer,
                    "`$defs` entry in an unexpected place; dropped".to_owned(),
                ),
            }
        }
    }

    // ----- schemas -----------------------------------------------------------------------------

    fn schema(&mut self, value: &mut Value, at: &str) {
        match value {
            Value::Bool(true) => {
                *value = Value::Object(Map::new());
                return;
            }
            Value::Bool(false) => {
                self.warn(
                    at.to_owned(),
                    "`false` schema (no value is valid) has no OpenAPI 3.0 form; read as `not: {}`",
                );
                *value = json!({ "not": {} });
                return;
            }
            _ => {}
        }
        let Value::Object(map) = value else {
            return;
        };
        self.drop_unsupported(map, at);
        close_tuple(map);
        self.pattern_properties(map, at);
        // Subschemas first: the rewrites below look at converted members.
        for key in SINGLE {
            if let Some(sub) = map.get_mut(*key)
                && !sub.is_array()
            {
                self.schema(sub, &child(at, key));
            }
        }
        if let Some(sub @ Value::Object(_)) = map.get_mut("additionalProperties") {
            self.schema(sub, &child(at, "additionalProperties"));
        }
        for key in MAPS {
            if let Some(Value::Object(subs)) = map.get_mut(*key) {
                let here = child(at, key);
                for (name, sub) in subs.iter_mut() {
                    self.schema(sub, &child(&here, name));
                }
            }
        }
        for key in LISTS.iter().chain(&["items"]) {
            if let Some(Value::Array(subs)) = map.get_mut(*key) {
                let here = child(at, key);
                for (i, sub) in subs.iter_mut().enumerate() {
                    self.schema(sub, &format!("{here}/{i}"));
                }
            }
        }
        self.hoist_defs(map, at);
        self.prefix_items(map, at);
        examples(map);
        constant(map);
        exclusive_bounds(map);
        self.content_keywords(map, at);
        type_list(map);
        null_unions(map);
        const_union(map);
        self.reference(map);
    }

    fn drop_unsupported(&mut self, map: &mut Map<String, Value>, at: &str) {
        map.shift_remove("$comment");
        for key in DROPPED {
            if map.shift_remove(*key).is_some() {
                self.warn(
                    child(at, key),
                    format!("`{key}` has no OpenAPI 3.0 form; dropped"),
                );
            }
        }
    }

    /// `patternProperties`: one pattern without `additionalProperties` becomes the map's value
    /// schema (the pattern is lost); anything else is dropped.
    fn pattern_properties(&mut self, map: &mut Map<String, Value>, at: &str) {
        let Some(patterns) = map.shift_remove("patternProperties") else {
            return;
        };
        let here = child(at, "patternProperties");
        match patterns {
            Value::Object(patterns)
                if patterns.len() == 1 && !map.contains_key("additionalProperties") =>
            {
                if let Some((_, schema)) = patterns.into_iter().next() {
                    map.insert("additionalProperties".to_owned(), schema);
                }
                self.warn(
                    here,
                    "`patternProperties` read as `additionalProperties` (the key pattern is not \
                     checked)",
                );
            }
            _ => self.warn(here, "`patternProperties` has no OpenAPI 3.0 form; dropped"),
        }
    }

    fn hoist_defs(&mut self, map: &mut Map<String, Value>, at: &str) {
        for key in ["$defs", "definitions"] {
            let Some(defs) = map.shift_remove(key) else {
                continue;
            };
            let here = child(at, key);
            match defs {
                Value::Object(defs) => {
                    for (name, schema) in defs {
                        self.hoisted.push((child(&here, &name), schema));
                    }
                }
                _ => self.warn(here, format!("`{key}` is not a map of schemas; dropped")),
            }
        }
    }

    /// `prefixItems` (a tuple) → `items` accepting any of the positions' schemas.
    fn prefix_items(&mut self, map: &mut Map<String, Value>, at: &str) {
        let Some(prefix) = map.shift_remove("prefixItems") else {
            return;
        };
        let mut members = match prefix {
            Value::Array(members) => members,
            _ => Vec::new(),
        };
        if let Some(rest) = map.shift_remove("items") {
            members.push(rest);
        }
        let items = match members.len() {
            0 => Value::Object(Map::new()),
            1 => members.remove(0),
            _ => json!({ "anyOf": members }),
        };
        map.insert("items".to_owned(), items);
        if !map.contains_key("type") {
            map.insert("type".to_owned(), "array".into());
        }
        self.warn(
            child(at, "prefixItems"),
            "`prefixItems` (a tuple) read as an array whose items may be any of its positions",
        );
    }

    /// `contentEncoding: base64` → `format: byte`; binary content → `format: binary`.
    fn content_keywords(&mut self, map: &mut Map<String, Value>, at: &str) {
        let encoding = map.shift_remove("contentEncoding");
        let media = map.shift_remove("contentMediaType");
        let schema = map.shift_remove("contentSchema");
        if schema.is_some() {
            self.warn(
                child(at, "contentSchema"),
                "`contentSchema` has no OpenAPI 3.0 form; dropped",
            );
        }
        let format = match encoding.as_ref().and_then(Value::as_str) {
            Some("base64" | "base64url") => Some("byte"),
            Some("binary" | "8bit") => Some("binary"),
            Some(other) => {
                self.warn(
                    child(at, "contentEncoding"),
                    format!("`contentEncoding: {other}` has no OpenAPI 3.0 form; dropped"),
                );
                None
            }
            None => match media.as_ref().and_then(Value::as_str) {
                Some(m) if !is_textual(m) => Some("binary"),
                _ => None,
            },
        };
        if let Some(format) = format
            && !map.contains_key("format")
        {
            map.insert("format".to_owned(), format.into());
            if !map.contains_key("type") {
                map.insert("type".to_owned(), "string".into());
            }
        }
    }

    /// `$ref` with siblings: 3.0 ignores everything beside `$ref`, so the reference moves into
    /// `allOf` and the siblings (description, nullable, constraints) apply to the wrapper.
    fn reference(&mut self, map: &mut Map<String, Value>) {
        if let Some(Value::Object(discriminator)) = map.get_mut("discriminator")
            && let Some(Value::Object(mapping)) = discriminator.get_mut("mapping")
        {
            for target in mapping.values_mut() {
                if let Some(new) = target.as_str().and_then(|r| self.renamed(r)) {
                    *target = new.into();
                }
            }
        }
        let Some(Value::String(reference)) = map.get("$ref") else {
            return;
        };
        let reference = self.renamed(reference).unwrap_or_else(|| reference.clone());
        map.insert("$ref".to_owned(), reference.clone().into());
        let has_siblings = map
            .keys()
            .any(|k| k != "$ref" && k != "summary" && !k.starts_with("x-"));
        if !has_siblings {
            return;
        }
        map.shift_remove("$ref");
        map.shift_remove("summary");
        let wrapped = json!({ "$ref": reference });
        match map.get_mut("allOf") {
            Some(Value::Array(all)) => all.insert(0, wrapped),
            _ => {
                map.insert("allOf".to_owned(), Value::Array(vec![wrapped]));
            }
        }
    }
}

/// Collects `(pointer of the entry, entry name)` for every `$defs`/`definitions` entry, walking
/// every object except data values. `names` is set where an object's keys are names (property
/// names, component names) rather than keywords, so a property called `example` is entered.
fn find_defs(map: &Map<String, Value>, at: &str, names: bool, out: &mut Vec<(String, String)>) {
    for (key, value) in map {
        let is_data = ["example", "examples", "default", "enum", "const", "links"]
            .contains(&key.as_str())
            || key.starts_with("x-");
        if !names && is_data {
            continue;
        }
        let here = child(at, key);
        let is_defs = !names && (key == "$defs" || key == "definitions");
        if is_defs && let Value::Object(defs) = value {
            for name in defs.keys() {
                out.push((child(&here, name), name.clone()));
            }
        }
        let child_names = !names
            && matches!(
                key.as_str(),
                "properties" | "$defs" | "definitions" | "schemas" | "patternProperties"
            );
        match value {
            Value::Object(inner) => find_defs(inner, &here, child_names, out),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Value::Object(inner) = item {
                        find_defs(inner, &format!("{here}/{i}"), false, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `items: false` only closes a `prefixItems` tuple; the tuple itself is approximated later.
fn close_tuple(map: &mut Map<String, Value>) {
    if map.contains_key("prefixItems") && map.get("items") == Some(&Value::Bool(false)) {
        map.shift_remove("items");
    }
}

/// Media types whose content is text, which a JSON string can carry as is.
fn is_textual(media: &str) -> bool {
    let media = media.split(';').next().unwrap_or_default().trim();
    media.starts_with("text/")
        || media.ends_with("/json")
        || media.ends_with("+json")
        || media.ends_with("/xml")
        || media.ends_with("+xml")
        || media == "application/x-www-form-urlencoded"
}

/// `examples: [a, b]` (JSON Schema) → `example: a`.
fn examples(map: &mut Map<String, Value>) {
    let Some(examples) = map.shift_remove("examples") else {
        return;
    };
    if let Value::Array(mut list) = examples
        && !list.is_empty()
        && !map.contains_key("example")
    {
        map.insert("example".to_owned(), list.swap_remove(0));
    }
}

/// The JSON type of a value, as a schema `type`.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `const: v` → `enum: [v]`, with the type taken from the value when the schema has none
/// (`const: 0`, `const: false` and `const: ""` included). `const: null` is the null type.
fn constant(map: &mut Map<String, Value>) {
    let Some(value) = map.shift_remove("const") else {
        return;
    };
    if !map.contains_key("type") {
        map.insert("type".to_owned(), json_type(&value).into());
    }
    if value.is_null() {
        map.insert("nullable".to_owned(), true.into());
    }
    map.insert("enum".to_owned(), Value::Array(vec![value]));
}

/// Numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (and the same for the
/// maximum), keeping an inclusive bound that is already tighter. Boolean ones (3.0) stay.
fn exclusive_bounds(map: &mut Map<String, Value>) {
    for (exclusive, bound, tighter) in [
        (
            "exclusiveMinimum",
            "minimum",
            (|inclusive: f64, excl: f64| inclusive > excl) as fn(f64, f64) -> bool,
        ),
        ("exclusiveMaximum", "maximum", |inclusive, excl| {
            inclusive < excl
        }),
    ] {
        let Some(Value::Number(limit)) = map.get(exclusive).cloned() else {
            continue;
        };
        let keep_inclusive = map
            .get(bound)
            .and_then(Value::as_f64)
            .zip(limit.as_f64())
            .is_some_and(|(inclusive, excl)| tighter(inclusive, excl));
        if keep_inclusive {
            map.shift_remove(exclusive);
        } else {
            map.insert(bound.to_owned(), Value::Number(limit));
            map.insert(exclusive.to_owned(), true.into());
        }
    }
}

/// `type: [T, "null"]` → `type: T, nullable: true`; several non-null types → `anyOf` with one
/// schema per type, each taking the keywords that apply to it.
fn type_list(map: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = map.get("type") else {
        return;
    };
    let mut real: Vec<String> = Vec::new();
    let mut nullable = false;
    for t in types {
        match t.as_str() {
            Some("null") => nullable = true,
            Some(t) if !real.iter().any(|r| r == t) => real.push(t.to_owned()),
            _ => {}
        }
    }
    map.shift_remove("type");
    if nullable {
        map.insert("nullable".to_owned(), true.into());
    }
    match real.as_slice() {
        [] if nullable => {
            map.insert("type".to_owned(), "null".into());
        }
        [] => {}
        [only] => {
            map.insert("type".to_owned(), only.as_str().into());
        }
        _ => split_types(map, &real),
    }
}

fn split_types(map: &mut Map<String, Value>, types: &[String]) {
    let enumeration = map.shift_remove("enum");
    let format = map.shift_remove("format");
    let mut taken: Vec<(&str, Value)> = Vec::new();
    for key in STRING_KEYS
        .iter()
        .chain(NUMBER_KEYS)
        .chain(ARRAY_KEYS)
        .chain(OBJECT_KEYS)
    {
        if let Some(value) = map.shift_remove(*key) {
            taken.push((key, value));
        }
    }
    let mut members = Vec::new();
    for t in types {
        let mut member = Map::new();
        member.insert("type".to_owned(), t.as_str().into());
        let own: &[&str] = match t.as_str() {
            "string" => STRING_KEYS,
            "integer" | "number" => NUMBER_KEYS,
            "array" => ARRAY_KEYS,
            "object" => OBJECT_KEYS,
            _ => &[],
        };
        for (key, value) in &taken {
            if own.contains(key) {
                member.insert((*key).to_owned(), value.clone());
            }
        }
        if let Some(format) = format.as_ref().and_then(Value::as_str) {
            let numeric = NUMBER_FORMATS.contains(&format);
            let fits = match t.as_str() {
                "integer" | "number" => numeric,
                "string" => !numeric,
                _ => false,
            };
            if fits {
                member.insert("format".to_owned(), format.into());
            }
        }
        if let Some(Value::Array(values)) = &enumeration {
            let mine: Vec<Value> = values
                .iter()
                .filter(|v| {
                    let vt = json_type(v);
                    vt == t || (t == "number" && vt == "integer")
                })
                .cloned()
                .collect();
            if !mine.is_empty() {
                member.insert("enum".to_owned(), Value::Array(mine));
            }
        }
        members.push(Value::Object(member));
    }
    if map.contains_key("anyOf") {
        let wrapped = json!({ "anyOf": members });
        match map.get_mut("allOf") {
            Some(Value::Array(all)) => all.push(wrapped),
            _ => {
                map.insert("allOf".to_owned(), Value::Array(vec![wrapped]));
            }
        }
    } else {
        map.insert("anyOf".to_owned(), Value::Array(members));
    }
}

/// Whether a (converted) schema admits only `null`.
fn is_null(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        None => schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null)),
        _ => false,
    }
}

/// `anyOf`/`oneOf` with a `{type: "null"}` member → the other member(s) plus `nullable`.
/// A single remaining member is folded into the schema when their keywords do not clash, or
/// else (and always for a `$ref`, which 3.0 reads without siblings) wrapped in `allOf`.
fn null_unions(map: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = map.get(key) else {
            continue;
        };
        if !members.iter().any(is_null) {
            continue;
        }
        let Some(Value::Array(members)) = map.shift_remove(key) else {
            continue;
        };
        let mut rest: Vec<Value> = members.into_iter().filter(|m| !is_null(m)).collect();
        map.insert("nullable".to_owned(), true.into());
        match rest.len() {
            0 => {
                map.entry("type").or_insert_with(|| "null".into());
            }
            1 => fold(map, rest.remove(0)),
            _ => {
                map.insert(key.to_owned(), Value::Array(rest));
            }
        }
    }
}

/// `oneOf`/`anyOf` whose members are each one `const` of the same type (Discord's way of naming
/// enum values) → one `enum`, with the members' titles as `x-enum-varnames` when all have one.
/// Only the members' descriptions are lost, which are documentation.
fn const_union(map: &mut Map<String, Value>) {
    const MEMBER_KEYS: &[&str] = &[
        "type",
        "enum",
        "title",
        "description",
        "deprecated",
        "format",
    ];
    if map.contains_key("enum") {
        return;
    }
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = map.get(key) else {
            continue;
        };
        let mut values = Vec::new();
        let mut titles = Vec::new();
        let mut ty: Option<&str> = None;
        let fits = !members.is_empty()
            && members.iter().all(|member| {
                let Some(fields) = member.as_object() else {
                    return false;
                };
                let Some([value]) = fields
                    .get("enum")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                else {
                    return false;
                };
                let value_type = json_type(value);
                let same = ty.is_none_or(|t| t == value_type);
                ty = Some(value_type);
                values.push(value.clone());
                if let Some(title) = fields.get("title").and_then(Value::as_str) {
                    titles.push(Value::from(title));
                }
                same && matches!(value_type, "string" | "integer")
                    && fields
                        .keys()
                        .all(|k| MEMBER_KEYS.contains(&k.as_str()) || k.starts_with("x-"))
            });
        let outer_type = map.get("type").and_then(Value::as_str);
        let Some(ty) = ty.filter(|t| fits && outer_type.is_none_or(|o| o == *t)) else {
            continue;
        };
        map.shift_remove(key);
        map.insert("type".to_owned(), ty.into());
        if titles.len() == values.len() && !map.contains_key("x-enum-varnames") {
            map.insert("x-enum-varnames".to_owned(), Value::Array(titles));
        }
        map.insert("enum".to_owned(), Value::Array(values));
        return;
    }
}

fn fold(map: &mut Map<String, Value>, member: Value) {
    let Value::Object(inner) = member else {
        return;
    };
    let clashes = inner.contains_key("$ref")
        || inner.iter().any(|(key, value)| {
            !DOC_KEYS.contains(&key.as_str())
                && key != "nullable"
                && map.get(key).is_some_and(|outer| outer != value)
        });
    if clashes {
        let member = Value::Object(inner);
        match map.get_mut("allOf") {
            Some(Value::Array(all)) => all.push(member),
            _ => {
                map.insert("allOf".to_owned(), Value::Array(vec![member]));
            }
        }
        return;
    }
    for (key, value) in inner {
        if key != "nullable" && !map.contains_key(&key) {
            map.insert(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Converts a YAML document; returns the result and the warnings' pointers and messages.
    fn run(text: &str) -> (Value, Vec<(String, String)>) {
        let mut doc = super::super::parse_value("x.yaml", text).unwrap();
        let mut notes = Vec::new();
        convert(&mut doc, &mut |p, m| notes.push((p, m)));
        (doc, notes)
    }

    /// A 3.1 document with one component schema `S`.
    fn with_schema(schema: &str) -> String {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    S: {schema}\n"
        )
    }

    fn schema(schema: &str) -> (Value, Vec<(String, String)>) {
        let (doc, notes) = run(&with_schema(schema));
        (doc["components"]["schemas"]["S"].clone(), notes)
    }

    fn pointers(notes: &[(String, String)]) -> Vec<&str> {
        notes.iter().map(|(p, _)| p.as_str()).collect()
    }

    /// The document also loads through `openapiv3` after conversion.
    fn loads(text: &str) -> crate::load::LoadedSpec {
        crate::load::load(&crate::load::SpecFile {
            path: "x.yaml".to_owned(),
            module: "x".to_owned(),
            contents: text.to_owned(),
            overlays: Vec::new(),
        })
        .unwrap()
    }

    #[test]
    fn type_list_with_null_is_one_type_plus_nullable() {
        let (s, notes) = schema("{type: [string, 'null'], maxLength: 3}");
        assert_eq!(
            s,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert!(notes.is_empty(), "{notes:?}");
        let (s, _) = schema("{type: ['null']}");
        assert_eq!(s, json!({"nullable": true, "type": "null"}));
    }

    #[test]
    fn several_types_become_any_of_with_their_own_keywords() {
        let (s, _) = schema(
            "{type: [string, number, 'null'], maxLength: 5, minimum: 1, format: double, \
             description: d, enum: [a, 1.5, null]}",
        );
        assert_eq!(
            s,
            json!({
                "description": "d",
                "nullable": true,
                "anyOf": [
                    {"type": "string", "maxLength": 5, "enum": ["a"]},
                    {"type": "number", "minimum": 1, "format": "double", "enum": [1.5]},
                ]
            })
        );
        let (s, _) = schema("{type: [object, array], properties: {a: {type: string}}, items: {}}");
        assert_eq!(
            s["anyOf"],
            json!([
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"type": "array", "items": {}},
            ])
        );
    }

    #[test]
    fn null_unions_fold_into_nullable() {
        // FastAPI / Pydantic: anyOf [T, null] with the title outside.
        let (s, _) = schema("{anyOf: [{type: string, maxLength: 2}, {type: 'null'}], title: T}");
        assert_eq!(
            s,
            json!({"title": "T", "nullable": true, "type": "string", "maxLength": 2})
        );
        // A reference keeps no siblings in 3.0, so it goes through allOf.
        let (s, _) =
            schema("{oneOf: [{$ref: '#/components/schemas/A'}, {type: 'null'}], description: d}");
        assert_eq!(
            s,
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        // Several real members stay a union.
        let (s, _) = schema("{anyOf: [{type: string}, {type: integer}, {type: 'null'}]}");
        assert_eq!(
            s,
            json!({"nullable": true, "anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        // A clash between the member and the outer schema wraps instead of merging.
        let (s, _) = schema("{type: object, anyOf: [{type: string}, {type: 'null'}]}");
        assert_eq!(
            s,
            json!({"type": "object", "nullable": true, "allOf": [{"type": "string"}]})
        );
        // `const: null` and `type: [null]` members count as null too.
        let (s, _) = schema("{anyOf: [{type: boolean}, {const: null}]}");
        assert_eq!(s, json!({"nullable": true, "type": "boolean"}));
    }

    #[test]
    fn const_becomes_a_one_value_enum_including_falsy_values() {
        for (value, ty) in [
            ("0", "integer"),
            ("false", "boolean"),
            ("''", "string"),
            ("1.5", "number"),
        ] {
            let (s, _) = schema(&format!("{{const: {value}}}"));
            assert_eq!(s["type"], ty, "{value}");
            assert_eq!(s["enum"].as_array().map(Vec::len), Some(1), "{value}");
            assert!(s.get("const").is_none());
        }
        let (s, _) = schema("{type: integer, const: 0}");
        assert_eq!(s, json!({"type": "integer", "enum": [0]}));
    }

    #[test]
    fn a_union_of_consts_is_one_enum_named_by_titles() {
        let (s, _) = schema(
            "{type: integer, format: int32, oneOf: [{title: ONE_MINUTE, const: 60}, \
             {title: FIVE_MINUTES, const: 300, description: d}]}",
        );
        assert_eq!(
            s,
            json!({"type": "integer", "format": "int32", "x-enum-varnames": ["ONE_MINUTE", "FIVE_MINUTES"], "enum": [60, 300]})
        );
        // Without titles: just the enum. Mixed types or other keywords: left a union.
        let (s, _) = schema("{anyOf: [{const: a}, {const: b}]}");
        assert_eq!(s, json!({"type": "string", "enum": ["a", "b"]}));
        let (s, _) = schema("{oneOf: [{const: a}, {const: 1}]}");
        assert!(s.get("oneOf").is_some(), "{s}");
        let (s, _) = schema("{oneOf: [{const: a}, {const: b, minLength: 1}]}");
        assert!(s.get("oneOf").is_some(), "{s}");
    }

    #[test]
    fn examples_and_exclusive_bounds() {
        let (s, _) = schema(
            "{type: integer, examples: [3, 4], exclusiveMinimum: 0, exclusiveMaximum: 10, maximum: 5}",
        );
        assert_eq!(
            s,
            json!({"type": "integer", "example": 3, "exclusiveMinimum": true, "minimum": 0, "maximum": 5})
        );
        // 3.0 leftovers stay as they are.
        let (s, _) = schema("{type: number, minimum: 0, exclusiveMinimum: true, nullable: true}");
        assert_eq!(
            s,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "nullable": true})
        );
    }

    #[test]
    fn references_with_siblings_go_through_all_of() {
        let (s, _) = schema("{$ref: '#/components/schemas/A', description: the a}");
        assert_eq!(
            s,
            json!({"description": "the a", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        let (s, _) = schema("{$ref: '#/components/schemas/A', maxLength: 4, nullable: true}");
        assert_eq!(
            s,
            json!({"maxLength": 4, "nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        // Only extensions beside it: stays a plain reference.
        let (s, _) = schema("{$ref: '#/components/schemas/A', x-go-type: A}");
        assert_eq!(
            s,
            json!({"$ref": "#/components/schemas/A", "x-go-type": "A"})
        );
    }

    #[test]
    fn content_encoding_and_media_type_become_formats() {
        let (s, _) = schema("{type: string, contentEncoding: base64}");
        assert_eq!(s, json!({"type": "string", "format": "byte"}));
        let (s, _) = schema("{type: string, contentMediaType: image/png}");
        assert_eq!(s, json!({"type": "string", "format": "binary"}));
        let (s, _) = schema("{type: string, contentMediaType: application/json}");
        assert_eq!(s, json!({"type": "string"}));
        let (_, notes) = schema("{type: string, contentEncoding: quoted-printable}");
        assert_eq!(pointers(&notes), ["/components/schemas/S/contentEncoding"]);
    }

    #[test]
    fn boolean_schemas() {
        let (s, notes) = schema(
            "{type: object, properties: {any: true, never: false}, additionalProperties: false}",
        );
        assert_eq!(s["properties"]["any"], json!({}));
        assert_eq!(s["properties"]["never"], json!({"not": {}}));
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(pointers(&notes), ["/components/schemas/S/properties/never"]);
    }

    #[test]
    fn defs_are_hoisted_and_references_rewritten() {
        let (doc, notes) = run(&with_schema(
            "{type: object, properties: {p: {$ref: '#/components/schemas/S/$defs/P'}}, \
             $defs: {P: {type: [string, 'null']}, S: {type: integer}}}",
        ));
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["S"]["properties"]["p"],
            json!({"$ref": "#/components/schemas/P"})
        );
        assert_eq!(schemas["P"], json!({"type": "string", "nullable": true}));
        // `S` is taken by the parent, so its own `S` is qualified.
        assert_eq!(schemas["SS"], json!({"type": "integer"}));
        assert!(schemas["S"].get("$defs").is_none());
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn tuples_patterns_and_unsupported_keywords_are_warned() {
        let (s, notes) = schema(
            "{type: array, prefixItems: [{type: string}, {type: integer}], items: false, \
             unevaluatedItems: false}",
        );
        assert_eq!(
            s,
            json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}})
        );
        assert_eq!(
            pointers(&notes),
            [
                "/components/schemas/S/unevaluatedItems",
                "/components/schemas/S/prefixItems"
            ]
        );
        let (s, notes) = schema(
            "{type: object, patternProperties: {'^x': {type: string}}, dependentRequired: {a: [b]}, \
             $schema: 'https://json-schema.org/draft/2020-12/schema', $comment: c}",
        );
        assert_eq!(
            s,
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
        assert_eq!(
            pointers(&notes),
            [
                "/components/schemas/S/$schema",
                "/components/schemas/S/dependentRequired",
                "/components/schemas/S/patternProperties",
            ]
        );
    }

    #[test]
    fn data_is_never_rewritten() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
            x-sample: {type: [a, 'null'], const: 1}\n      responses:\n        '200':\n          \
            description: ok\n          content:\n            application/json:\n              \
            schema:\n                type: object\n                properties:\n                  \
            const: {type: [string, 'null']}\n                  examples: {const: 0}\n                \
            example: {type: [x, 'null'], const: 2}\n                default: {const: 3}\n              \
            examples:\n                one: {value: {type: [y, 'null'], const: 4}}\n";
        let (doc, _) = run(text);
        let get = &doc["paths"]["/a"]["get"];
        assert_eq!(get["x-sample"], json!({"type": ["a", "null"], "const": 1}));
        let media = &get["responses"]["200"]["content"]["application/json"];
        let schema = &media["schema"];
        // Properties named `const` and `examples` are schemas and are converted…
        assert_eq!(
            schema["properties"]["const"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            schema["properties"]["examples"],
            json!({"type": "integer", "enum": [0]})
        );
        // …while example, default and media-type examples are data.
        assert_eq!(
            schema["example"],
            json!({"type": ["x", "null"], "const": 2})
        );
        assert_eq!(schema["default"], json!({"const": 3}));
        assert_eq!(
            media["examples"]["one"]["value"],
            json!({"type": ["y", "null"], "const": 4})
        );
    }

    #[test]
    fn document_level_changes() {
        let text = "openapi: 3.1.1\njsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema'\n\
            info: {title: t, version: '1', summary: s, license: {name: MIT, identifier: MIT}}\n\
            webhooks:\n  newPet: {post: {requestBody: {content: {application/json: {schema: {const: 1}}}}}}\n\
            components:\n  pathItems:\n    Unused: {get: {}}\n  securitySchemes:\n    \
            tls: {type: mutualTLS}\n    key: {type: apiKey, in: header, name: k}\n";
        let (doc, notes) = run(text);
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["paths"], json!({}));
        assert!(doc.get("webhooks").is_none());
        assert!(doc.get("jsonSchemaDialect").is_none());
        assert_eq!(
            doc["info"],
            json!({"title": "t", "version": "1", "license": {"name": "MIT"}})
        );
        assert!(doc["components"].get("pathItems").is_none());
        assert_eq!(
            doc["components"]["securitySchemes"],
            json!({"key": {"type": "apiKey", "in": "header", "name": "k"}})
        );
        assert_eq!(
            pointers(&notes),
            [
                "/jsonSchemaDialect",
                "/info/summary",
                "/info/license/identifier",
                "/webhooks/newPet",
                "/components/pathItems/Unused",
                "/components/securitySchemes/tls",
            ]
        );
        // The default dialect is not worth a warning.
        let (_, notes) = run(
            "openapi: 3.1.0\njsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base'\ninfo: {title: t, version: '1'}\n",
        );
        assert!(notes.is_empty(), "{notes:?}");
        loads(text);
    }

    #[test]
    fn operations_parameters_bodies_callbacks_and_path_item_refs() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    \
            $ref: '#/components/pathItems/A'\n  /b/{id}:\n    parameters:\n      \
            - {name: id, in: path, required: true, schema: {type: [integer, 'null']}}\n    post:\n      \
            requestBody: {content: {application/octet-stream: {}, application/json: {schema: {const: x}}}}\n      \
            callbacks:\n        cb:\n          '{$request.body#/url}':\n            post:\n              \
            requestBody: {content: {application/json: {schema: true}}}\n      \
            responses:\n        '200':\n          description: ok\n          \
            headers: {X-Rate: {schema: {type: [integer, 'null']}}}\n          \
            content: {application/json: {schema: {examples: [1]}}}\n\
            components:\n  pathItems:\n    A:\n      get:\n        parameters:\n          \
            - {name: q, in: query, schema: {type: [string, 'null']}}\n";
        let (doc, notes) = run(text);
        assert!(notes.is_empty(), "{notes:?}");
        let b = &doc["paths"]["/b/{id}"];
        assert_eq!(
            b["parameters"][0]["schema"],
            json!({"type": "integer", "nullable": true})
        );
        let post = &b["post"];
        assert_eq!(
            post["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "string", "enum": ["x"]})
        );
        assert_eq!(
            post["callbacks"]["cb"]["{$request.body#/url}"]["post"]["requestBody"]["content"]["application/json"]
                ["schema"],
            json!({})
        );
        // The callback's operation had no responses: 3.0 needs the key.
        assert_eq!(
            post["callbacks"]["cb"]["{$request.body#/url}"]["post"]["responses"],
            json!({})
        );
        let ok = &post["responses"]["200"];
        assert_eq!(ok["headers"]["X-Rate"]["schema"]["nullable"], true);
        assert_eq!(
            ok["content"]["application/json"]["schema"],
            json!({"example": 1})
        );
        // The path item reference is inlined and converted.
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0]["schema"],
            json!({"type": "string", "nullable": true})
        );
        let loaded = loads(text);
        assert_eq!(loaded.api.paths.paths.len(), 2);
    }

    #[test]
    fn converted_documents_lower_to_nullable_fields() {
        let text = with_schema(
            "{type: object, required: [a, b], properties: {a: {type: [string, 'null']}, \
             b: {anyOf: [{$ref: '#/components/schemas/T'}, {type: 'null'}]}, \
             c: {$ref: '#/components/schemas/T', description: Documented}}}\n    \
             T: {type: object, properties: {x: {const: 0}, y: {oneOf: [{title: ONE, const: 1}, {title: TWO, const: 2}]}}}",
        );
        let output = crate::generate(
            &[crate::load::SpecFile {
                path: "x.yaml".to_owned(),
                module: "x".to_owned(),
                contents: text,
                overlays: Vec::new(),
            }],
            &crate::Settings::default(),
        )
        .unwrap();
        let code: String = output.files[1].contents.split_whitespace().collect();
        assert!(code.contains("pubb:Option<T>"), "{code}");
        assert!(code.contains("pubc:Option<T>"), "{code}");
        assert!(code.contains("///Documented"), "{code}");
        // Titles of `const` members name the integer enum's variants.
        assert!(code.contains("One,///`2`Two,"), "{code}");
        assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    }
}
