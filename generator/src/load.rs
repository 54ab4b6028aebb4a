//! Reading spec files: YAML or JSON (or a docs page that embeds a YAML block) into
//! `openapiv3::OpenAPI`, converting 3.1 to 3.0 first (module `v3_1`) and refusing versions we do
//! not read, with errors that name the file and place.

use crate::error::{Error, Warning, pointer_token};

mod v3_1;

/// One input spec, already read from disk by the caller.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Path shown in messages and generated headers, e.g. `specs/v2/create-gpu-instance.yaml`.
    pub path: String,
    /// Rust module the spec's operations and types go into, e.g. `v2`.
    pub module: String,
    /// The file's text.
    pub contents: String,
    /// Overlays applied to the document, in order, before it is read as OpenAPI.
    pub overlays: Vec<crate::overlay::OverlayFile>,
}

/// A parsed spec.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// Display path, as in [`SpecFile::path`].
    pub path: String,
    /// Target module, as in [`SpecFile::module`].
    pub module: String,
    /// The parsed document.
    pub api: openapiv3::OpenAPI,
    /// Out-of-spec constructs that were read leniently (see [`repair`]), with their places.
    pub warnings: Vec<Warning>,
}

/// Parses one spec file.
pub fn load(file: &SpecFile) -> Result<LoadedSpec, Error> {
    let text = embedded_yaml(&file.contents).unwrap_or(&file.contents);
    let mut value = parse_value(&file.path, text)?;
    for overlay in &file.overlays {
        crate::overlay::apply(&mut value, overlay)?;
    }
    let version = check_version(&file.path, &value)?;
    let mut warnings = Vec::new();
    if version == Version::V3_1 {
        v3_1::convert(&mut value, &mut |pointer, message| {
            warnings.push(Warning {
                file: file.path.clone(),
                pointer,
                message,
            });
        });
    }
    repair(&mut value, &mut String::new(), &mut |pointer, message| {
        warnings.push(Warning {
            file: file.path.clone(),
            pointer,
            message,
        });
    });
    let api = match serde_path_to_error::deserialize(&value) {
        Ok(api) => api,
        Err(err) => return Err(locate_error(&file.path, &value, err)),
    };
    Ok(LoadedSpec {
        path: file.path.clone(),
        module: file.module.clone(),
        api,
        warnings,
    })
}

/// Parses one spec file into its JSON tree, as written: no version check, no repairs. Tools that
/// need the document itself (the conformance run builds request samples from its schemas) use
/// this; generation goes through [`load`].
pub fn document(file: &SpecFile) -> Result<serde_json::Value, Error> {
    let text = embedded_yaml(&file.contents).unwrap_or(&file.contents);
    parse_value(&file.path, text)
}

/// Keys whose values are data, not schema: repairs never look inside them.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Rewrites JSON Schema constructs that real 3.0 documents use although 3.0 does not allow them,
/// so they parse instead of failing the whole file:
///
/// - `items: [A]` (a draft-4 tuple) → `items: A`; `items: []` or several → any value;
/// - `type: [T, "null"]` (3.1 style) → `type: T, nullable: true`; several types → any value;
/// - integer `minimum`/`maximum`/`multipleOf` beyond `i64` (written as `18446744073709552000`)
///   → clamped to the `i64` range; they only ever constrain values, which the client does not check.
pub fn repair(
    value: &mut serde_json::Value,
    at: &mut String,
    note: &mut dyn FnMut(String, String),
) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(items)) = map.get("items") {
                let replacement = match items.as_slice() {
                    [only] => only.clone(),
                    _ => Value::Object(serde_json::Map::new()),
                };
                note(
                    format!("{at}/items"),
                    "`items` is a list (JSON Schema tuple form); read as a single item schema"
                        .to_owned(),
                );
                map.insert("items".to_owned(), replacement);
            }
            if let Some(Value::Array(types)) = map.get("type") {
                let nullable = types.iter().any(|t| t == "null");
                let real: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
                note(
                    format!("{at}/type"),
                    "`type` is a list (OpenAPI 3.1 style); read as one type plus `nullable`"
                        .to_owned(),
                );
                match real.as_slice() {
                    [only] => {
                        map.insert("type".to_owned(), only.clone());
                    }
                    _ => {
                        map.remove("type");
                    }
                }
                if nullable {
                    map.insert("nullable".to_owned(), Value::Bool(true));
                }
            }
            if map.get("type").and_then(Value::as_str) == Some("integer") {
                for key in ["minimum", "maximum", "multipleOf"] {
                    if let Some(Value::Number(n)) = map.get(key)
                        && n.as_i64().is_none()
                    {
                        let clamped = if n.as_f64().is_some_and(|f| f < 0.0) {
                            i64::MIN
                        } else {
                            i64::MAX
                        };
                        map.insert(key.to_owned(), clamped.into());
                    }
                }
            }
            for (key, item) in map.iter_mut() {
                if DATA_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&pointer_token(key));
                repair(item, at, note);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                repair(item, at, note);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// The YAML block of a docs page: the lines between a "````yaml" fence and the closing fence.
fn embedded_yaml(text: &str) -> Option<&str> {
    let open = text
        .find("\n````yaml")
        .map(|i| i + 1)
        .or_else(|| text.starts_with("````yaml").then_some(0))?;
    let body_start = open + text[open..].find('\n')? + 1;
    let close = text[body_start..]
        .find("\n````")
        .map(|i| body_start + i + 1)?;
    Some(&text[body_start..close])
}

fn parse_value(file: &str, text: &str) -> Result<serde_json::Value, Error> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|err| Error::Syntax {
            file: file.to_owned(),
            message: err.to_string(),
        });
    }
    let mut yaml: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(yaml) => Ok(yaml),
        // serde_yaml has no integers beyond 64 bits; specs write `maximum: 18446744073709552000`.
        Err(_) if has_huge_integer(text) => serde_yaml::from_str(&widen_huge_integers(text)),
        Err(err) => Err(err),
    }
    .map_err(|err| Error::Syntax {
        file: file.to_owned(),
        message: err.to_string(),
    })?;
    yaml.apply_merge().map_err(|err| Error::Syntax {
        file: file.to_owned(),
        message: err.to_string(),
    })?;
    yaml_to_json(file, yaml, &mut String::new())
}

/// Byte ranges of plain integer scalars too long for 64 bits: a run of 19 or more digits
/// (with an optional `-`) that follows `: `, `- `, `[` or `,` and ends the value.
fn huge_integers(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_value = i > 0
            && (matches!(bytes[i - 1], b'[' | b',')
                || (bytes[i - 1] == b' ' && i > 1 && matches!(bytes[i - 2], b':' | b'-' | b',')));
        if !starts_value {
            i += 1;
            continue;
        }
        let digits_at = if bytes[i] == b'-' { i + 1 } else { i };
        let mut end = digits_at;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        let ends_value =
            end == bytes.len() || matches!(bytes[end], b'\n' | b'\r' | b',' | b']' | b'}' | b' ');
        if end - digits_at >= 19 && ends_value {
            found.push((i, end));
        }
        i = end.max(i + 1);
    }
    found
}

fn has_huge_integer(text: &str) -> bool {
    !huge_integers(text).is_empty()
}

/// Rewrites integers too long for 64 bits as floats (`…000` → `…000.0`), which YAML reads.
fn widen_huge_integers(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0;
    for (_, end) in huge_integers(text) {
        out.push_str(&text[last..end]);
        out.push_str(".0");
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// Converts YAML to JSON, turning scalar keys (such as unquoted `200:` response codes) into strings.
fn yaml_to_json(
    file: &str,
    value: serde_yaml::Value,
    at: &mut String,
) -> Result<serde_json::Value, Error> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => serde_json::Value::Null,
        Y::Bool(b) => b.into(),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into()
            } else if let Some(u) = n.as_u64() {
                u.into()
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        Y::String(s) => s.into(),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                out.push(yaml_to_json(file, item, at)?);
                at.truncate(len);
            }
            serde_json::Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (key, item) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => {
                        return Err(Error::Invalid {
                            file: file.to_owned(),
                            pointer: at.clone(),
                            message: "mapping keys must be scalars".to_owned(),
                        });
                    }
                };
                let len = at.len();
                at.push('/');
                at.push_str(&pointer_token(&key));
                let item = yaml_to_json(file, item, at)?;
                at.truncate(len);
                out.insert(key, item);
            }
            serde_json::Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(file, tagged.value, at)?,
    })
}

/// The OpenAPI versions this generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// Read as is.
    V3_0,
    /// Converted to 3.0 first (module `v3_1`).
    V3_1,
}

/// Accepts 3.0.x and 3.1.x. Swagger 2.0 and 3.2 are refused: 3.2 adds constructs (such as
/// `query` operations and `additionalOperations`) that a 3.0 client cannot express, and a
/// document declaring 3.2 is better refused than read as something it is not.
fn check_version(file: &str, value: &serde_json::Value) -> Result<Version, Error> {
    let refuse = |found: String| {
        Err(Error::UnsupportedVersion {
            file: file.to_owned(),
            found,
        })
    };
    if let Some(swagger) = value.get("swagger") {
        return refuse(format!("Swagger {}", swagger.as_str().unwrap_or("2.0")));
    }
    match value.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.0.") || v == "3.0" => Ok(Version::V3_0),
        Some(v) if v.starts_with("3.1.") || v == "3.1" => Ok(Version::V3_1),
        Some(v) => refuse(format!("OpenAPI {v}")),
        None => Err(Error::Invalid {
            file: file.to_owned(),
            pointer: String::new(),
            message: "missing the `openapi` version field".to_owned(),
        }),
    }
}

/// An error with the most precise pointer we can find. `paths` is a flattened map in
/// `openapiv3`, which hides the path inside it, so each path item is tried on its own.
fn locate_error(
    file: &str,
    value: &serde_json::Value,
    err: serde_path_to_error::Error<serde_json::Error>,
) -> Error {
    let mut pointer = path_to_pointer(err.path());
    let mut message = err.inner().to_string();
    if pointer == "/paths"
        && let Some(paths) = value.get("paths").and_then(|p| p.as_object())
    {
        for (path, item) in paths.iter().filter(|(k, _)| k.starts_with('/')) {
            if item.get("$ref").is_some() {
                continue;
            }
            let result: Result<openapiv3::PathItem, _> = serde_path_to_error::deserialize(item);
            if let Err(inner) = result {
                let within = path_to_pointer(inner.path());
                pointer = format!("/paths/{}{within}", pointer_token(path));
                message = inner.inner().to_string();
                // `responses` is flattened too: try each response on its own.
                if let Some(responses) = within
                    .strip_suffix("/responses")
                    .and_then(|op| item.pointer(&format!("{op}/responses")))
                    .and_then(|r| r.as_object())
                {
                    for (code, response) in
                        responses.iter().filter(|(_, r)| r.get("$ref").is_none())
                    {
                        let result: Result<openapiv3::Response, _> =
                            serde_path_to_error::deserialize(response);
                        if let Err(inner) = result {
                            pointer = format!(
                                "{pointer}/{}{}",
                                pointer_token(code),
                                path_to_pointer(inner.path())
                            );
                            message = inner.inner().to_string();
                            break;
                        }
                    }
                }
                break;
            }
        }
    }
    Error::Invalid {
        file: file.to_owned(),
        pointer,
        message,
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(format!("/{index}")),
            Segment::Map { key } => Some(format!("/{}", pointer_token(key))),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(contents: &str) -> SpecFile {
        SpecFile {
            path: "specs/x.yaml".to_owned(),
            module: "x".to_owned(),
            contents: contents.to_owned(),
            overlays: Vec::new(),
        }
    }

    #[test]
    fn refuses_swagger_and_3_2() {
        let err = load(&spec("swagger: '2.0'\ninfo: {}\n")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "specs/x.yaml: Swagger 2.0 is not supported; this generator reads OpenAPI 3.0.x and 3.1.x documents"
        );
        let err = load(&spec("openapi: 3.2.0\n")).unwrap_err();
        assert!(
            err.to_string().contains("OpenAPI 3.2.0 is not supported"),
            "{err}"
        );
        let err = load(&spec("openapi: 3.10.0\n")).unwrap_err();
        assert!(err.to_string().contains("OpenAPI 3.10.0"), "{err}");
    }

    #[test]
    fn invalid_document_names_the_pointer() {
        let text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: 5\n          content: 7\n";
        let err = load(&spec(text)).unwrap_err().to_string();
        assert!(
            err.starts_with("specs/x.yaml#/paths/~1a/get/responses/200"),
            "{err}"
        );
    }

    #[test]
    fn repairs_tuple_items_type_lists_and_huge_bounds() {
        let text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        ids: {type: array, items: [{type: integer}]}\n        name: {type: [string, 'null']}\n        big: {type: integer, minimum: -9223372036854776000, maximum: 18446744073709552000}\n      example: {items: [1, 2]}\n";
        let loaded = load(&spec(text)).unwrap();
        let json = serde_json::to_value(&loaded.api.components.unwrap().schemas["A"]).unwrap();
        let props = &json["properties"];
        assert_eq!(props["ids"]["items"]["type"], "integer");
        assert_eq!(props["name"]["type"], "string");
        assert_eq!(props["name"]["nullable"], true);
        assert_eq!(props["big"]["minimum"], i64::MIN);
        assert_eq!(props["big"]["maximum"], i64::MAX);
        // Examples are data: left alone.
        assert_eq!(json["example"]["items"], serde_json::json!([1, 2]));
        let pointers: Vec<&str> = loaded.warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/A/properties/ids/items",
                "/components/schemas/A/properties/name/type"
            ]
        );
    }

    #[test]
    fn syntax_error_names_the_file() {
        let err = load(&spec("openapi: [3.0\n")).unwrap_err().to_string();
        assert!(
            err.starts_with("specs/x.yaml: not valid YAML/JSON"),
            "{err}"
        );
    }

    #[test]
    fn reads_an_embedded_block_integer_keys_and_anchors() {
        let page = "# Title\n\n````yaml some/file.json GET /a\nopenapi: 3.0.0\ninfo: &info {title: t, version: '1'}\nx-copy: *info\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n````\ntrailing text";
        let loaded = load(&spec(page)).unwrap();
        let op = loaded.api.paths.paths["/a"]
            .as_item()
            .unwrap()
            .get
            .clone()
            .unwrap();
        assert!(
            op.responses
                .responses
                .contains_key(&openapiv3::StatusCode::Code(200))
        );
        assert_eq!(loaded.api.extensions["x-copy"]["title"], "t");
    }
}
