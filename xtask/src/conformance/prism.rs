//! Stoplight Prism, the independent mock server of the conformance run: installed from npm
//! under `target/prism/` on first use, handed a prepared copy of each spec, started on a free
//! loopback port and stopped again.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::sample::resolve_local;

/// The Prism release every figure in `docs/conformance.md` was measured with.
pub const VERSION: &str = "5.16.0";

/// The seed of Prism's dynamic (schema-generated) responses, so runs repeat.
pub const SEED: &str = "1";

/// Returns the `prism` executable under `dir`, installing it with npm when it is missing.
pub fn ensure_installed(dir: &Path) -> Result<PathBuf> {
    let bin = dir.join("node_modules/.bin/prism");
    let marker = dir.join("node_modules/@stoplight/prism-cli/package.json");
    if bin.exists()
        && std::fs::read_to_string(&marker)
            .is_ok_and(|text| text.contains(&format!("\"version\": \"{VERSION}\"")))
    {
        return Ok(bin);
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let manifest = dir.join("package.json");
    if !manifest.exists() {
        std::fs::write(
            &manifest,
            "{\n  \"name\": \"ppio-conformance-prism\",\n  \"private\": true\n}\n",
        )?;
    }
    eprintln!(
        "installing @stoplight/prism-cli@{VERSION} into {}",
        dir.display()
    );
    let status = Command::new("npm")
        .stdin(std::process::Stdio::null())
        .args(["install", "--no-audit", "--no-fund", "--save-exact"])
        .arg(format!("@stoplight/prism-cli@{VERSION}"))
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .context("running npm (Node.js 18 or newer with npm is needed for Prism)")?;
    if !status.success() || !bin.exists() {
        bail!(
            "npm could not install @stoplight/prism-cli@{VERSION} into {}",
            dir.display()
        );
    }
    Ok(bin)
}

/// The longest array a dynamic answer holds: enough for every item to be decoded after another.
pub const DYNAMIC_MAX_ITEMS: u64 = 2;

/// How often a dynamic answer goes round a cycle of schemas (json-schema-faker's
/// `refDepthMax`; its default, 3, lets xero-accounting's `Payment`/`Prepayment` answers grow
/// past Node's heap).
pub const DYNAMIC_REF_DEPTH: u64 = 1;

/// Rewrites a spec into the copy Prism is given. Validation stays Prism's own; only what Prism
/// cannot read or would misplace is changed:
///
/// - `$ref` keys that are data inside `example`/`examples` values (GitHub's SCIM examples)
///   are removed: Prism would otherwise try to download them as URLs and abort;
/// - when the client sends paths under a relative server (`servers: [{url: /api/v3}]` makes it
///   request `/api/v3/pets`), the paths get that prefix: Prism matches requests against the
///   paths alone and ignores server paths;
/// - a path with a fragment (`/files/{file_id}#get_shared_link`) becomes the path without
///   it, which is what the client sends; where that path already has the method, the plain
///   path's operation stays and judges both;
/// - a response that is not JSON (`*/*`, `text/*`) with an empty schema (`{}`: anything) gets
///   `{type: string}`: Prism's dynamic answer for `{}` is an object, which it then cannot write
///   as text ("Cannot serialise complex objects as text");
/// - a form body's properties get OpenAPI's default `encoding` (style `form`, exploded)
///   written out: Prism applies no default, so it reads `tag=a&tag=b` as no array at all;
/// - dynamic answers get at most [`DYNAMIC_MAX_ITEMS`] items per array and go round a cycle
///   of schemas at most [`DYNAMIC_REF_DEPTH`] times (json-schema-faker's `maxItems` and
///   `refDepthMax`, set through the document's `x-json-schema-faker` unless the spec sets
///   them): answers for recursive schemas (xero-accounting) otherwise grow until Node runs out
///   of memory. What Prism validates is unchanged.
pub fn prepare(document: &Value, path_prefix: Option<&str>) -> Value {
    let mut copy = document.clone();
    strip_example_refs(&mut copy, false);
    if let Value::Object(root) = &mut copy
        && let Value::Object(faker) = root
            .entry("x-json-schema-faker")
            .or_insert_with(|| Value::Object(Default::default()))
    {
        faker.entry("maxItems").or_insert(DYNAMIC_MAX_ITEMS.into());
        faker
            .entry("refDepthMax")
            .or_insert(DYNAMIC_REF_DEPTH.into());
    }
    type_text_answers(&mut copy);
    let forms = form_bodies(&copy);
    if let Some(Value::Object(paths)) = copy.get_mut("paths") {
        merge_fragment_paths(paths);
        spell_out_form_encoding(paths, &forms);
    }
    if let Some(prefix) = path_prefix.filter(|p| !p.is_empty() && *p != "/")
        && let Some(Value::Object(paths)) = copy.get_mut("paths")
    {
        let prefix = prefix.trim_end_matches('/');
        let old = std::mem::take(paths);
        for (path, item) in old {
            paths.insert(format!("{prefix}{path}"), item);
        }
    }
    copy
}

const FORM: &str = "application/x-www-form-urlencoded";

fn type_text_answers(copy: &mut Value) {
    let mut responses: Vec<&mut Value> = Vec::new();
    if let Some(Value::Object(paths)) = copy.get_mut("paths") {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for operation in item.values_mut() {
                if let Some(Value::Object(list)) = operation.get_mut("responses") {
                    responses.extend(list.values_mut());
                }
            }
        }
    }
    for response in responses {
        let Some(Value::Object(content)) = response.get_mut("content") else {
            continue;
        };
        for (media, body) in content.iter_mut() {
            let essence = media.split(';').next().unwrap_or("").trim();
            let text = essence == "*/*" || essence.starts_with("text/");
            if text
                && body
                    .get("schema")
                    .is_none_or(|s| s == &serde_json::json!({}))
            {
                body["schema"] = serde_json::json!({"type": "string"});
            }
        }
    }
}

/// A form body's place (path, method) and its schema's property names.
struct FormBody {
    path: String,
    method: String,
    properties: Vec<String>,
}

/// The request bodies sent as forms.
/// The copy for a spec whose dynamic answers Prism could not make: json-schema-faker fills
/// half the optional properties of each object instead of all (unless the spec says).
pub fn lean(mut copy: Value) -> Value {
    if let Some(Value::Object(faker)) = copy.get_mut("x-json-schema-faker") {
        faker.entry("alwaysFakeOptionals").or_insert(false.into());
        faker.entry("optionalsProbability").or_insert(0.5.into());
    }
    copy
}

fn form_bodies(document: &Value) -> Vec<FormBody> {
    let mut out = Vec::new();
    let Some(Value::Object(paths)) = document.get("paths") else {
        return out;
    };
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        for (method, operation) in item {
            let Some(media) = operation
                .get("requestBody")
                .map(|body| resolve_local(document, body))
                .and_then(|body| body.get("content")?.get(FORM))
            else {
                continue;
            };
            let properties = media
                .get("schema")
                .map(|schema| resolve_local(document, schema))
                .and_then(|schema| schema.get("properties")?.as_object())
                .map(|properties| properties.keys().cloned().collect())
                .unwrap_or_default();
            out.push(FormBody {
                path: path.clone(),
                method: method.clone(),
                properties,
            });
        }
    }
    out
}

fn spell_out_form_encoding(paths: &mut serde_json::Map<String, Value>, bodies: &[FormBody]) {
    for body in bodies {
        let plain = body
            .path
            .split_once('#')
            .map_or(body.path.as_str(), |(p, _)| p);
        let media = paths
            .get_mut(plain)
            .and_then(|item| item.get_mut(&body.method))
            .and_then(|operation| operation.get_mut("requestBody"))
            .and_then(|request| request.get_mut("content"))
            .and_then(|content| content.get_mut(FORM))
            .and_then(Value::as_object_mut);
        let Some(media) = media else { continue };
        let Value::Object(encoding) = media
            .entry("encoding")
            .or_insert_with(|| Value::Object(Default::default()))
        else {
            continue;
        };
        for property in &body.properties {
            encoding
                .entry(property.clone())
                .or_insert_with(|| serde_json::json!({"style": "form", "explode": true}));
        }
    }
}

fn merge_fragment_paths(paths: &mut serde_json::Map<String, Value>) {
    let fragments: Vec<String> = paths.keys().filter(|p| p.contains('#')).cloned().collect();
    for path in fragments {
        let Some(Value::Object(item)) = paths.remove(&path) else {
            continue;
        };
        let plain = path
            .split_once('#')
            .map_or(path.as_str(), |(plain, _)| plain);
        let target = paths
            .entry(plain.to_owned())
            .or_insert_with(|| Value::Object(Default::default()));
        if let Value::Object(target) = target {
            for (key, value) in item {
                target.entry(key).or_insert(value);
            }
        }
    }
}

fn strip_example_refs(value: &mut Value, in_example: bool) {
    match value {
        Value::Object(map) => {
            if in_example {
                map.remove("$ref");
            }
            for (key, child) in map.iter_mut() {
                let data = in_example || key == "example";
                let examples = key == "examples";
                if examples && let Value::Object(entries) = child {
                    // `examples: {name: {value: …}}`: the `value`s are data.
                    for entry in entries.values_mut() {
                        if let Some(data) = entry.get_mut("value") {
                            strip_example_refs(data, true);
                        }
                    }
                    continue;
                }
                strip_example_refs(child, data);
            }
        }
        Value::Array(items) => {
            for item in items {
                strip_example_refs(item, in_example);
            }
        }
        _ => {}
    }
}

/// A running Prism; stopped when dropped.
pub struct Prism {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
}

impl Prism {
    /// Starts `prism mock` on `spec` and waits until it accepts connections.
    pub fn start(bin: &Path, spec: &Path, log: &Path, startup: Duration) -> Result<Prism> {
        let port = free_port()?;
        let log_file =
            std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let mut command = Command::new(bin);
        command
            .arg("mock")
            .arg(spec)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--seed", SEED])
            // Dynamic answers for deep recursive schemas exhaust Node's default heap.
            .env("NODE_OPTIONS", "--max-old-space-size=8192")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt as _;
            command.process_group(0);
        }
        let child = command
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let mut prism = Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(prism);
            }
            if let Some(status) = prism.child.try_wait()? {
                bail!(
                    "Prism exited ({status}) before listening; its log is {}",
                    log.display()
                );
            }
            if started.elapsed() > startup {
                bail!(
                    "Prism did not listen within {} s; its log is {}",
                    startup.as_secs(),
                    log.display()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // Prism is a Node program that may start workers: stop the whole process group.
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .stdin(std::process::Stdio::null())
                .arg("-TERM")
                .arg(format!("-{}", self.child.id()))
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn example_refs_are_removed_and_schema_refs_kept() {
        let doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"},
                "example": {"members": [{"$ref": "https://x/y", "value": 1}]},
                "examples": {"one": {"value": {"$ref": "z"}}}
            }}}}}}}
        });
        let out = prepare(&doc, Some("/api/v3/"));
        let media =
            &out["paths"]["/api/v3/a"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["schema"]["$ref"], "#/components/schemas/A");
        assert_eq!(media["example"], json!({"members": [{"value": 1}]}));
        assert_eq!(media["examples"]["one"]["value"], json!({}));
        assert_eq!(
            out["x-json-schema-faker"],
            json!({"maxItems": DYNAMIC_MAX_ITEMS, "refDepthMax": DYNAMIC_REF_DEPTH})
        );
        let doc = json!({"paths": {
            "/f/{id}": {"get": {"operationId": "plain"}},
            "/f/{id}#shared": {"get": {"operationId": "shared"}, "put": {"operationId": "share"}},
            "/g/{id}#only": {"get": {"operationId": "only"}}
        }});
        assert_eq!(
            prepare(&doc, None)["paths"],
            json!({
                "/f/{id}": {"get": {"operationId": "plain"}, "put": {"operationId": "share"}},
                "/g/{id}": {"get": {"operationId": "only"}}
            })
        );
        let doc = json!({
            "paths": {"/f": {"post": {"requestBody": {"content": {FORM: {
                "schema": {"$ref": "#/components/schemas/F"},
                "encoding": {"b": {"style": "form", "explode": false}}
            }}}}}},
            "components": {"schemas": {"F": {"properties": {"a": {"type": "array"}, "b": {"type": "array"}}}}}
        });
        assert_eq!(
            prepare(&doc, None)["paths"]["/f"]["post"]["requestBody"]["content"][FORM]["encoding"],
            json!({"a": {"style": "form", "explode": true}, "b": {"style": "form", "explode": false}})
        );
        let text = json!({"paths": {"/a": {"get": {"responses": {"default": {"content": {
            "*/*": {"schema": {}}, "application/json": {"schema": {}}
        }}}}}}});
        let content =
            &prepare(&text, None)["paths"]["/a"]["get"]["responses"]["default"]["content"];
        assert_eq!(content["*/*"]["schema"], json!({"type": "string"}));
        assert_eq!(content["application/json"]["schema"], json!({}));
        let lean = lean(prepare(&json!({}), None));
        assert_eq!(lean["x-json-schema-faker"]["alwaysFakeOptionals"], false);
        assert_eq!(lean["x-json-schema-faker"]["optionalsProbability"], 0.5);
        let own = json!({"x-json-schema-faker": {"maxItems": 9, "refDepthMax": 2, "locale": "de"}});
        assert_eq!(prepare(&own, None), own);
    }
}
