//! OpenAPI Overlay 1.0.0: corrections to a vendor's document kept in a separate file and
//! applied to its JSON tree after parsing, before anything reads it as OpenAPI.
//!
//! Each action's `target` is an RFC 9535 JSONPath (through `serde_json_path`). Actions run in
//! order; `update` merges into every node the target selects (objects key by key and
//! recursively, an array gets the value appended), `remove: true` deletes every selected node
//! from its parent. An action whose target selects nothing is an error naming the overlay file
//! and the action: a vendor change that orphans a correction must fail generation, not pass
//! silently.

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::error::Error;

/// One overlay document, already read from disk by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayFile {
    /// Path shown in messages and generated headers, e.g. `overlays/v2/create-gpu-instance.yaml`.
    pub path: String,
    /// The file's text (YAML or JSON).
    pub contents: String,
}

fn fail(overlay: &OverlayFile, action: Option<usize>, message: impl Into<String>) -> Error {
    Error::Overlay {
        file: overlay.path.clone(),
        action: action.map(|i| format!("actions[{i}]")).unwrap_or_default(),
        message: message.into(),
    }
}

/// Applies one overlay to a document's JSON tree.
pub fn apply(document: &mut Value, overlay: &OverlayFile) -> Result<(), Error> {
    let parsed: Value = serde_yaml::from_str(&overlay.contents)
        .map_err(|err| fail(overlay, None, format!("not valid YAML/JSON: {err}")))?;
    match parsed.get("overlay").and_then(Value::as_str) {
        Some(version) if version.starts_with("1.0") => {}
        Some(version) => {
            return Err(fail(
                overlay,
                None,
                format!("overlay version {version} is not supported; 1.0.x is read"),
            ));
        }
        None => return Err(fail(overlay, None, "not an overlay: no `overlay` version")),
    }
    let Some(actions) = parsed.get("actions").and_then(Value::as_array) else {
        return Err(fail(overlay, None, "an overlay needs an `actions` list"));
    };
    for (i, action) in actions.iter().enumerate() {
        let target = action
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| fail(overlay, Some(i), "an action needs a `target`"))?;
        let path = JsonPath::parse(target).map_err(|err| {
            fail(
                overlay,
                Some(i),
                format!("target `{target}` is not a JSONPath: {err}"),
            )
        })?;
        let pointers: Vec<String> = path
            .query_located(document)
            .iter()
            .map(|node| node.location().to_json_pointer())
            .collect();
        if pointers.is_empty() {
            return Err(fail(
                overlay,
                Some(i),
                format!("target `{target}` matches nothing in the document"),
            ));
        }
        let remove = action.get("remove").and_then(Value::as_bool) == Some(true);
        if remove {
            // Deepest and last first, so removing one node never shifts another's pointer.
            let mut pointers = pointers;
            pointers.sort_by_key(|p| std::cmp::Reverse(pointer_order(p)));
            for pointer in pointers {
                remove_at(document, &pointer).map_err(|message| fail(overlay, Some(i), message))?;
            }
        } else if let Some(update) = action.get("update") {
            for pointer in pointers {
                let node = document
                    .pointer_mut(&pointer)
                    .ok_or_else(|| fail(overlay, Some(i), format!("{pointer} vanished")))?;
                update_node(node, update)
                    .map_err(|message| fail(overlay, Some(i), format!("{pointer}: {message}")))?;
            }
        } else {
            return Err(fail(
                overlay,
                Some(i),
                "an action needs `update` or `remove: true`",
            ));
        }
    }
    Ok(())
}

/// Sort key for removal: array indices compared as numbers.
fn pointer_order(pointer: &str) -> Vec<(u64, String)> {
    pointer
        .split('/')
        .map(|token| match token.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, token.to_owned()),
        })
        .collect()
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn remove_at(document: &mut Value, pointer: &str) -> Result<(), String> {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return Err("the document root cannot be removed".to_owned());
    };
    let key = unescape(last);
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
            Ok(())
        }
        Some(Value::Array(items)) => {
            let index: usize = key
                .parse()
                .map_err(|_| format!("{pointer}: not an array index"))?;
            if index < items.len() {
                items.remove(index);
            }
            Ok(())
        }
        _ => Err(format!("{pointer}: its parent is not an object or array")),
    }
}

/// Merges `update` into `node`: an object gets each property (objects recursively, anything
/// else replaced), an array gets the value appended.
fn update_node(node: &mut Value, update: &Value) -> Result<(), String> {
    match node {
        Value::Object(map) => {
            let Value::Object(properties) = update else {
                return Err("the target is an object, so `update` must be one".to_owned());
            };
            for (key, value) in properties {
                match map.get_mut(key) {
                    Some(existing @ Value::Object(_)) if value.is_object() => {
                        update_node(existing, value)?;
                    }
                    _ => {
                        map.insert(key.clone(), value.clone());
                    }
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            items.push(update.clone());
            Ok(())
        }
        _ => Err("an overlay target must be an object or an array".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(text: &str) -> OverlayFile {
        OverlayFile {
            path: "overlays/v2/x.yaml".to_owned(),
            contents: text.to_owned(),
        }
    }

    fn doc() -> Value {
        json!({
            "paths": {"/a": {"get": {"summary": "原文", "parameters": [
                {"name": "x", "in": "query", "schema": {"type": "string"}},
                {"name": "y", "in": "query", "schema": {"type": "string"}}
            ]}}},
            "tags": []
        })
    }

    #[test]
    fn updates_merge_objects_and_append_to_arrays() {
        let mut d = doc();
        apply(
            &mut d,
            &overlay(
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n\
                 - target: $.paths['/a'].get.parameters[?@.name == 'x'].schema\n  update: {maxLength: 8}\n\
                 - target: $.paths['/a'].get\n  update: {summary: English, x-note: {a: 1}}\n\
                 - target: $.tags\n  update: {name: pets}\n",
            ),
        )
        .unwrap();
        assert_eq!(
            d["paths"]["/a"]["get"]["parameters"][0]["schema"],
            json!({"type": "string", "maxLength": 8})
        );
        assert_eq!(d["paths"]["/a"]["get"]["summary"], "English");
        assert_eq!(d["paths"]["/a"]["get"]["x-note"], json!({"a": 1}));
        assert_eq!(d["tags"], json!([{"name": "pets"}]));
    }

    #[test]
    fn removes_every_selected_node() {
        let mut d = doc();
        apply(
            &mut d,
            &overlay(
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n\
                 - target: $.paths['/a'].get.parameters[*]\n  remove: true\n",
            ),
        )
        .unwrap();
        assert_eq!(d["paths"]["/a"]["get"]["parameters"], json!([]));
    }

    #[test]
    fn errors_name_the_file_and_the_action() {
        let cases = [
            (
                "overlay: 1.0.0\nactions:\n- target: $.paths['/gone'].get\n  update: {summary: x}\n",
                "overlays/v2/x.yaml: actions[0]: target `$.paths['/gone'].get` matches nothing",
            ),
            (
                "overlay: 1.0.0\nactions:\n- target: $.tags\n  update: {a: 1}\n- target: '$.['\n  remove: true\n",
                "overlays/v2/x.yaml: actions[1]: target `$.[` is not a JSONPath",
            ),
            (
                "overlay: 1.0.0\nactions:\n- target: $.paths['/a'].get.summary\n  update: {a: 1}\n",
                "actions[0]: /paths/~1a/get/summary: an overlay target must be an object or an array",
            ),
            (
                "overlay: 1.0.0\nactions:\n- target: $.tags\n",
                "actions[0]: an action needs `update` or `remove: true`",
            ),
            ("overlay: 2.0.0\nactions: []\n", "overlay version 2.0.0"),
            ("openapi: 3.0.0\n", "not an overlay"),
            ("overlay: [", "not valid YAML/JSON"),
        ];
        for (text, expected) in cases {
            let err = apply(&mut doc(), &overlay(text)).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}\n  expected: {expected}");
        }
    }
}
