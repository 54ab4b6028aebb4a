//! The driver crate of one spec: the generated client, a `dispatch` function with one arm per
//! generated operation (from the IR), and a plan of argument sets built from the spec itself.

use std::fmt::Write as _;

use generator::ir;
use serde_json::{Map, Value, json};

use super::sample::{Direction, Sampler};

/// The hand-written half of every driver crate.
pub const SUPPORT: &str = include_str!("../../templates/conformance_support.rs");

/// The crate's `main.rs`: reads the plan and calls every operation in both of Prism's modes,
/// trying argument sets in order until one is not refused.
pub const MAIN: &str = "\
//! Conformance driver written by `cargo xtask conformance`.
#![allow(dead_code, deprecated, unused_imports, unused_variables)]

mod api;
mod driver;
mod support;

#[tokio::main(flavor = \"current_thread\")]
async fn main() {
    let plan = support::Plan::read();
    for mode in &plan.modes {
        let client = support::client(&plan.base_url, mode);
        for operation in &plan.operations {
            for (i, args) in operation.candidates.iter().enumerate() {
                let mark = support::LogMark::new(&plan);
                let mut outcome = driver::dispatch(&client, &operation.name, args).await;
                mark.complete(&mut outcome);
                support::print(mode, &operation.name, i, &outcome);
                if outcome.prism_gone() {
                    return;
                }
                if !outcome.try_next() {
                    break;
                }
            }
        }
    }
}
";

/// `driver.rs`: one async function per operation and the `dispatch` over them.
pub fn source(module: &ir::Module) -> String {
    let api = format!("crate::api::{}::Api", module.name);
    let mut out = String::from(
        "//! Written by `cargo xtask conformance`: one function per generated operation.\n\n\
         use crate::support::{Outcome, arg, bytes, finish};\n\n\
         /// Calls the operation `name` with one argument set.\n\
         pub fn dispatch<'a>(\n    client: &'a apiwire::Client,\n    name: &str,\n    args: &'a serde_json::Value,\n\
         ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Outcome> + 'a>> {\n    match name {\n",
    );
    for (i, op) in module.operations.iter().enumerate() {
        let _ = writeln!(
            out,
            "        {:?} => Box::pin(op_{i}(client, args)),",
            op.name.trim_start_matches("r#")
        );
    }
    out.push_str("        _ => Box::pin(async { Outcome::Unknown }),\n    }\n}\n");
    for (i, op) in module.operations.iter().enumerate() {
        let mut lets = String::new();
        let mut call_args: Vec<String> = Vec::new();
        for (j, p) in op.path_params.iter().enumerate() {
            let annotation = if p.ty == ir::TypeRef::String {
                ": String"
            } else {
                ""
            };
            let _ = writeln!(
                lets,
                "    let p{j}{annotation} = match arg(args, {:?}) {{ Ok(v) => v, Err(e) => return e }};",
                format!("/path/{}", pointer_token(&p.api_name))
            );
            call_args.push(match &p.ty {
                ir::TypeRef::String | ir::TypeRef::Named(_) => format!("&p{j}"),
                _ => format!("p{j}"),
            });
        }
        if let Some(params) = &op.params {
            // A struct literal: the driver lives in the same crate, so `#[non_exhaustive]`
            // does not stand in the way, and every field's type is inferred.
            let _ = writeln!(
                lets,
                "    let params = crate::api::{}::{} {{",
                module.name, params.name
            );
            for p in &params.params {
                let _ = writeln!(
                    lets,
                    "        {}: match arg(args, {:?}) {{ Ok(v) => v, Err(e) => return e }},",
                    p.name,
                    format!("/params/{}", pointer_token(&p.api_name))
                );
            }
            lets.push_str("    };\n");
            call_args.push("&params".to_owned());
        }
        if let Some(body) = &op.body {
            // An optional body is `Option<&T>` (`Option<Bytes>`); the driver always sends one.
            let (open, close) = if body.required {
                ("", "")
            } else {
                ("Some(", ")")
            };
            match body.encoding {
                ir::BodyEncoding::Bytes(_) => call_args.push(format!(
                    "{open}apiwire::Bytes::from(bytes(args, \"/body\")){close}"
                )),
                _ => {
                    lets.push_str(
                        "    let body = match arg(args, \"/body\") { Ok(v) => v, Err(e) => return e };\n",
                    );
                    call_args.push(format!("{open}&body{close}"));
                }
            }
        }
        let _ = write!(
            out,
            "\nasync fn op_{i}(client: &apiwire::Client, args: &serde_json::Value) -> Outcome {{\n{lets}    \
             finish({api}::new(client).{}({}).await)\n}}\n",
            // With every parameter optional, the method taking them is the `_with` one.
            op.params
                .as_ref()
                .and_then(|p| p.with_method.as_deref())
                .unwrap_or(&op.name),
            call_args.join(", ")
        );
    }
    out
}

fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The argument sets of one operation: with the spec's examples, then from schemas alone,
/// then from schemas taking each union's last member (each only when it differs).
pub fn candidates(document: &Value, op: &ir::Operation) -> Vec<Value> {
    let mut out = Vec::new();
    let samplers = [
        Sampler::new(document, true),
        Sampler::new(document, false),
        Sampler::new(document, false).last_members(),
    ];
    for sampler in samplers {
        let args = arguments(document, op, sampler);
        if !out.contains(&args) {
            out.push(args);
        }
    }
    out
}

fn arguments<'a>(document: &'a Value, op: &ir::Operation, mut sampler: Sampler<'a>) -> Value {
    let pointer = op.source.split_once('#').map(|(_, p)| p).unwrap_or("");
    let operation = document.pointer(pointer).unwrap_or(&Value::Null);
    let item_pointer = pointer.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
    let item = document.pointer(item_pointer).unwrap_or(&Value::Null);
    // Operation-level parameters override path-item ones with the same name and place.
    let mut declared: Vec<&Value> = Vec::new();
    for holder in [operation, item] {
        if let Some(Value::Array(list)) = holder.get("parameters") {
            for p in list {
                let p = sampler.resolve(p);
                let key = (p.get("name"), p.get("in"));
                if !declared.iter().any(|d| (d.get("name"), d.get("in")) == key) {
                    declared.push(p);
                }
            }
        }
    }
    let find = |name: &str, location: &str| {
        declared.iter().copied().find(|p| {
            p.get("name").and_then(Value::as_str) == Some(name)
                && p.get("in").and_then(Value::as_str) == Some(location)
        })
    };
    let mut path = Map::new();
    for p in &op.path_params {
        let value = find(&p.api_name, "path")
            .map(|spec| parameter_value(&mut sampler, spec))
            .unwrap_or_else(|| json!("sample"));
        path.insert(p.api_name.clone(), value);
    }
    let mut params = Map::new();
    if let Some(list) = &op.params {
        for p in &list.params {
            let location = match p.location {
                ir::ParamLocation::Query => "query",
                ir::ParamLocation::Header => "header",
                ir::ParamLocation::Path => "path",
            };
            if let Some(spec) = find(&p.api_name, location) {
                params.insert(p.api_name.clone(), parameter_value(&mut sampler, spec));
            }
        }
    }
    let mut args = Map::new();
    args.insert("path".to_owned(), Value::Object(path));
    args.insert("params".to_owned(), Value::Object(params));
    if let Some(body) = &op.body {
        let request_body = operation
            .get("requestBody")
            .map(|b| sampler.resolve(b))
            .unwrap_or(&Value::Null);
        let value = request_body
            .get("content")
            .and_then(Value::as_object)
            .and_then(|content| media_for(content, &body.encoding))
            .map(|media| {
                sampler.example_of(media).unwrap_or_else(|| {
                    media
                        .get("schema")
                        .map(|s| sampler.sample(s, Direction::Request))
                        .unwrap_or_else(|| json!("sample"))
                })
            })
            .unwrap_or(Value::Null);
        args.insert("body".to_owned(), value);
    }
    Value::Object(args)
}

/// The media type entry the generator chose for a body encoding.
fn media_for<'a>(
    content: &'a Map<String, Value>,
    encoding: &ir::BodyEncoding,
) -> Option<&'a Value> {
    let is_json = |key: &str| {
        let key = key.split(';').next().unwrap_or(key).trim();
        key == "application/json" || key.ends_with("+json") || key == "*/*"
    };
    let found = match encoding {
        ir::BodyEncoding::Json(Some(content_type)) => content
            .iter()
            .find(|(k, _)| k.as_str() == content_type.as_str()),
        ir::BodyEncoding::Json(None) => content.iter().find(|(k, _)| is_json(k)),
        ir::BodyEncoding::Form => content
            .iter()
            .find(|(k, _)| k.starts_with("application/x-www-form-urlencoded")),
        ir::BodyEncoding::Bytes(content_type) => content
            .iter()
            .find(|(k, _)| k.as_str() == content_type.as_str()),
    };
    found.or_else(|| content.iter().next()).map(|(_, v)| v)
}

fn parameter_value<'a>(sampler: &mut Sampler<'a>, spec: &'a Value) -> Value {
    if let Some(example) = sampler.example_of(spec) {
        return example;
    }
    let schema = spec.get("schema").or_else(|| {
        spec.get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.values().next())
            .and_then(|m| m.get("schema"))
    });
    if let Some(schema) = schema
        && let Some(example) = sampler.example_of(schema)
    {
        return example;
    }
    match schema {
        Some(schema) => sampler.sample(schema, Direction::Request),
        None => json!("sample"),
    }
}
