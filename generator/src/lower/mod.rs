//! OpenAPI → IR: groups spec files into modules, names operations, reads parameters, bodies and
//! responses, and settles type names. This is where every decision about the output is made.

mod names;
mod operation;
mod rules;
pub(crate) mod schema;
mod security;

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::ReferenceOr;

use crate::error::{Error, Warning, pointer};
use crate::ir::{self, TypeRef};
use crate::load::LoadedSpec;
use crate::naming::{Case, operation_name, operation_shape, sanitize};
use operation::OperationDraft;
use schema::{DraftField, Kind, SchemaReader, Site, Ty, Unsupported, schema_doc};

/// The lowered API plus everything that was skipped or degraded on the way.
#[derive(Debug)]
pub struct Lowered {
    /// The IR.
    pub api: ir::Api,
    /// Operations skipped and schemas degraded, each with its place.
    pub warnings: Vec<Warning>,
    /// The names lock after this run: every schema's origin (`file#pointer`) and its type name.
    pub names: BTreeMap<String, String>,
}

/// Lowers parsed specs into the IR. Specs with the same module name merge into one module.
pub fn lower(specs: &[LoadedSpec]) -> Result<Lowered, Error> {
    lower_with_names(specs, &BTreeMap::new())
}

/// Lowers with a names lock: types keep the names `locked` gives their schemas' origins.
pub fn lower_with_names(
    specs: &[LoadedSpec],
    locked: &BTreeMap<String, String>,
) -> Result<Lowered, Error> {
    let mut by_module: BTreeMap<&str, Vec<&LoadedSpec>> = BTreeMap::new();
    for spec in specs {
        by_module
            .entry(spec.module.as_str())
            .or_default()
            .push(spec);
    }
    let mut modules = Vec::new();
    let mut warnings = Vec::new();
    let mut names = BTreeMap::new();
    for (name, specs) in by_module {
        let module_name = sanitize(name, Case::Snake, "api");
        let (module, mut w, mut n) = lower_module(&module_name, &specs, locked);
        modules.push(module);
        warnings.append(&mut w);
        names.append(&mut n);
    }
    Ok(Lowered {
        api: ir::Api { modules },
        warnings,
        names,
    })
}

/// One operation found in a spec, before anything is read.
struct Found<'a> {
    file: usize,
    path: &'a str,
    method: &'a str,
    item: &'a openapiv3::PathItem,
    operation: &'a openapiv3::Operation,
    pointer: String,
}

fn lower_module(
    name: &str,
    specs: &[&LoadedSpec],
    locked: &BTreeMap<String, String>,
) -> (ir::Module, Vec<Warning>, BTreeMap<String, String>) {
    let mut warnings = Vec::new();
    let mut sites: Vec<Site> = Vec::new();

    // Register every component schema first so references (including recursive ones) resolve.
    let mut component_sites: Vec<IndexMap<String, usize>> = Vec::new();
    for spec in specs {
        let mut map = IndexMap::new();
        if let Some(components) = &spec.api.components {
            for (key, schema) in &components.schemas {
                let doc = match schema {
                    ReferenceOr::Item(s) => schema_doc(s),
                    ReferenceOr::Reference { .. } => None,
                };
                sites.push(Site {
                    base: sanitize(key, Case::Pascal, "Schema"),
                    qualifiers: vec![sanitize(&file_stem(&spec.path), Case::Pascal, "Spec")],
                    key: format!("{}#{key}", spec.path),
                    component: true,
                    doc: doc.or_else(|| Some(schema::sentence(&format!("the `{key}` schema")))),
                    kind: None,
                    origin: format!(
                        "{}#/components/schemas/{}",
                        spec.path,
                        crate::error::pointer_token(key)
                    ),
                });
                map.insert(key.clone(), sites.len() - 1);
            }
        }
        component_sites.push(map);
    }
    for (file, spec) in specs.iter().enumerate() {
        let Some(components) = &spec.api.components else {
            continue;
        };
        for (key, schema) in &components.schemas {
            let site = component_sites[file][key];
            let at = pointer(["components", "schemas", key.as_str()]);
            let base = sites[site].base.clone();
            let hint = schema::Hint {
                object: base.clone(),
                enumeration: base.clone(),
                enum_parent: Some(base.clone()),
                qualifiers: vec![base.clone()],
                subject: format!("the `{key}` schema"),
            };
            let mut degraded = Vec::new();
            let mut reader = SchemaReader {
                components: Some(&components.schemas),
                component_sites: &component_sites[file],
                file: &spec.path,
                sites: &mut sites,
                degraded: &mut degraded,
                target: None,
            };
            let ty = match schema {
                ReferenceOr::Reference { reference } => reader.reference(reference, &at),
                ReferenceOr::Item(s) => reader.read_component(site, s, &hint, &at),
            };
            if ty != Ty::Site(site) {
                sites[site].kind = Some(Kind::Alias(ty));
            }
            warnings.extend(degraded.into_iter().map(|u| to_warning(&spec.path, u)));
        }
    }

    // A component that is only a `$ref` to itself, directly or through other pure aliases,
    // names no type at all; it becomes a JSON value.
    for (file, map) in component_sites.iter().enumerate() {
        for &start in map.values() {
            for site in alias_cycle(start, &sites) {
                sites[site].kind = Some(Kind::Alias(Ty::Plain(TypeRef::Json)));
                // References stay within a file, so the cycle's sites are this file's components.
                let name = map
                    .iter()
                    .find(|(_, s)| **s == site)
                    .map_or_else(|| sites[site].base.clone(), |(name, _)| name.clone());
                warnings.push(Warning {
                    file: specs[file].path.clone(),
                    pointer: pointer(["components", "schemas", name.as_str()]),
                    message: format!(
                        "schema `{name}` is only a reference to itself (directly or through aliases); using a JSON value"
                    ),
                });
            }
        }
    }

    // Security schemes and document-level requirements, once per file.
    let security: Vec<security::FileSecurity> = specs
        .iter()
        .map(|spec| {
            let mut degraded = Vec::new();
            let security = security::FileSecurity::read(&spec.api, &mut degraded);
            warnings.extend(degraded.into_iter().map(|u| to_warning(&spec.path, u)));
            security
        })
        .collect();

    // Find operations and name them.
    let mut found = Vec::new();
    for (file, spec) in specs.iter().enumerate() {
        for (path, item) in &spec.api.paths.paths {
            let at = pointer(["paths", path.as_str()]);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    warnings.push(Warning {
                        file: spec.path.clone(),
                        pointer: at,
                        message: "path item references are not supported; skipped its operations"
                            .to_owned(),
                    });
                    continue;
                }
            };
            for (method, operation) in item.iter() {
                found.push(Found {
                    file,
                    path,
                    method,
                    item,
                    operation,
                    pointer: format!("{at}/{method}"),
                });
            }
        }
    }
    let op_names = operation_names(&found);

    // Read each operation; an operation that uses something unsupported is skipped whole.
    let mut drafts: Vec<OperationDraft> = Vec::new();
    for (found, op_name) in found.iter().zip(op_names) {
        let spec = specs[found.file];
        let sites_before = sites.len();
        let mut degraded = Vec::new();
        let result = operation::read(
            &operation::Context {
                spec: &spec.api,
                file: &spec.path,
                component_sites: &component_sites[found.file],
                security: &security[found.file],
                name: &op_name,
                path: found.path,
                method: found.method,
                item: found.item,
                operation: found.operation,
                pointer: &found.pointer,
            },
            &mut sites,
            &mut degraded,
        );
        warnings.extend(degraded.into_iter().map(|u| to_warning(&spec.path, u)));
        match result {
            Ok(draft) => drafts.push(draft),
            Err(skip) => {
                sites.truncate(sites_before);
                warnings.push(Warning {
                    file: spec.path.clone(),
                    pointer: skip.pointer,
                    message: format!(
                        "skipped operation `{} {}`: {}",
                        found.method.to_ascii_uppercase(),
                        found.path,
                        skip.message
                    ),
                });
            }
        }
    }

    let site_names = names::settle(&sites, locked);
    let lock = names::lock(&sites, &site_names);
    let types = build_types(&sites, &site_names);
    let mut used: BTreeSet<String> = site_names.iter().cloned().collect();
    used.insert("Api".to_owned());
    for draft in &mut drafts {
        draft.claim_names(&mut used);
    }
    let mut operations: Vec<ir::Operation> = drafts
        .into_iter()
        .map(|d| d.finish(&|ty| resolve(ty, &site_names)))
        .collect();
    name_with_methods(&mut operations);
    let doc = module_doc(specs);
    let mut module = ir::Module {
        name: name.to_owned(),
        doc,
        sources: specs.iter().map(|s| s.path.clone()).collect(),
        operations,
        types,
        markers: ir::FieldMarkers {
            module: "fields".to_owned(),
            names: Vec::new(),
        },
    };
    settle_builders(&mut module, &mut used);
    rules::mark_validating(&mut module);
    (module, warnings, lock)
}

/// Names the builder of every struct and parameters struct with a required field, and gathers
/// the marker types naming those fields. Builders are named last, so a schema that is itself
/// called `ResourceBuilder` keeps its name and `Resource`'s builder becomes `ResourceBuilder2`;
/// the builders' private field structs (`ResourceBuilderFields`) after them.
fn settle_builders(module: &mut ir::Module, used: &mut BTreeSet<String>) {
    let mut markers = BTreeSet::new();
    let mut settle = |name: &str, required: Vec<&String>| {
        if required.is_empty() {
            return None;
        }
        markers.extend(required.into_iter().cloned());
        Some(ir::Builder {
            name: claim_name(used, format!("{name}Builder")),
            fields: String::new(),
        })
    };
    for def in &mut module.types {
        if let ir::TypeKind::Struct(s) = &mut def.kind {
            let required = s.fields.iter().filter(|f| f.required);
            s.builder = settle(&def.name, required.map(|f| &f.setter).collect());
        }
    }
    for params in module
        .operations
        .iter_mut()
        .filter_map(|op| op.params.as_mut())
    {
        let required = params.params.iter().filter(|p| p.required);
        params.builder = settle(&params.name, required.map(|p| &p.setter).collect());
    }
    // The private structs behind the builders are named once every builder has its name, so
    // they never take one a builder would have had.
    let builders = module
        .types
        .iter_mut()
        .filter_map(|def| match &mut def.kind {
            ir::TypeKind::Struct(s) => s.builder.as_mut(),
            _ => None,
        })
        .chain(
            module
                .operations
                .iter_mut()
                .filter_map(|op| op.params.as_mut()?.builder.as_mut()),
        );
    for builder in builders {
        builder.fields = claim_name(used, format!("{}Fields", builder.name));
    }
    module.markers.names = markers.into_iter().collect();
}

/// The sites of a pure alias cycle reached from `start` (following `Alias(Site(_))` only): a
/// site that never got a shape, or the sites of a loop. Empty when the chain ends in a type.
fn alias_cycle(start: usize, sites: &[Site]) -> Vec<usize> {
    let mut chain = vec![start];
    loop {
        let current = chain[chain.len() - 1];
        match &sites[current].kind {
            None => return vec![current],
            Some(Kind::Alias(Ty::Site(next))) => match chain.iter().position(|s| s == next) {
                Some(at) => return chain.split_off(at),
                None => chain.push(*next),
            },
            Some(_) => return Vec::new(),
        }
    }
}

fn to_warning(file: &str, u: Unsupported) -> Warning {
    Warning {
        file: file.to_owned(),
        pointer: u.pointer,
        message: u.message,
    }
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.split('.').next().unwrap_or(name).to_owned()
}

fn module_doc(specs: &[&LoadedSpec]) -> String {
    let mut titles: Vec<String> = Vec::new();
    for spec in specs {
        let info = &spec.api.info;
        let line = format!("{} {}", info.title, info.version);
        if !titles.contains(&line) {
            titles.push(line);
        }
    }
    let mut doc = titles.join("; ");
    if let [only] = specs
        && let Some(description) = &only.api.info.description
    {
        doc.push_str("\n\n");
        doc.push_str(description);
    }
    doc
}

/// Names every operation: the operationId when present, otherwise REST convention from method and
/// path; colliding derived names take more of the path until they differ.
fn operation_names(found: &[Found<'_>]) -> Vec<String> {
    let shapes: Vec<_> = found
        .iter()
        .map(|f| operation_shape(f.method, f.path))
        .collect();
    let explicit: Vec<Option<String>> = found
        .iter()
        .map(|f| {
            f.operation
                .operation_id
                .as_ref()
                .map(|id| sanitize(id, Case::Snake, "call"))
        })
        .collect();
    let mut depth = vec![0usize; found.len()];
    let name_at = |i: usize, depth: &[usize]| {
        explicit[i]
            .clone()
            .unwrap_or_else(|| operation_name(&shapes[i], depth[i]))
    };
    for _ in 0..8 {
        let names: Vec<String> = (0..found.len()).map(|i| name_at(i, &depth)).collect();
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for n in &names {
            *count.entry(n).or_default() += 1;
        }
        let mut changed = false;
        for i in 0..found.len() {
            if count[names[i].as_str()] > 1
                && explicit[i].is_none()
                && depth[i] < shapes[i].context.len()
            {
                depth[i] += 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // `Api` has `new` and `client`; other trait-like names (`clone`, `from`…) would confuse
    // readers and clippy. Such operations take a trailing underscore: `new_`.
    let mut used: BTreeSet<String> = BTreeSet::from(["new".to_owned(), "client".to_owned()]);
    (0..found.len())
        .map(|i| {
            let base = name_at(i, &depth);
            let base = if crate::naming::is_reserved_method(&base) || base == "client" {
                format!("{}_", crate::naming::unraw(&base))
            } else {
                base
            };
            let stem = crate::naming::unraw(&base).trim_end_matches('_').to_owned();
            let name = std::iter::once(base.clone())
                .chain((2..).map(|n| format!("{stem}_{n}")))
                .find(|n| !used.contains(n))
                .unwrap_or(base);
            used.insert(name.clone());
            name
        })
        .collect()
}

/// Turns a draft type into an IR type using the settled names.
fn resolve(ty: &Ty, names: &[String]) -> TypeRef {
    match ty {
        Ty::Plain(t) => t.clone(),
        Ty::Array(inner) => TypeRef::Array(Box::new(resolve(inner, names))),
        Ty::Map(inner) => TypeRef::Map(Box::new(resolve(inner, names))),
        Ty::Nullable(inner) => TypeRef::Nullable(Box::new(resolve(inner, names))),
        Ty::Site(i) => TypeRef::Named(names[*i].clone()),
    }
}

/// One type definition per distinct name, in first-seen order, with boxes where types recurse.
fn build_types(sites: &[Site], names: &[String]) -> Vec<ir::TypeDef> {
    let mut origins: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (site, name) in sites.iter().zip(names) {
        origins
            .entry(name.as_str())
            .or_default()
            .push(site.origin.clone());
    }
    let mut seen = BTreeSet::new();
    let mut types = Vec::new();
    for (i, site) in sites.iter().enumerate() {
        if !seen.insert(names[i].clone()) {
            continue;
        }
        let Some(kind) = &site.kind else { continue };
        let kind = match kind {
            Kind::Struct { fields, additional } => {
                let fields = build_fields(fields, names);
                // The flattened map takes the first name no declared property has.
                let additional_field = ["additional_properties", "extra_properties"]
                    .into_iter()
                    .map(str::to_owned)
                    .chain((2..).map(|n| format!("additional_properties_{n}")))
                    .find(|c| !fields.iter().any(|f| crate::naming::unraw(&f.name) == c))
                    .unwrap_or_default();
                ir::TypeKind::Struct(ir::Struct {
                    fields,
                    additional: additional.as_ref().map(|t| resolve(t, names)),
                    additional_field,
                    builder: None,
                })
            }
            Kind::StringEnum(values) => {
                let variant_names = unique_names(values.iter().map(|v| {
                    // The empty string is `Empty`; values with no ASCII letters (`北京`) are `Value`.
                    sanitize(
                        v,
                        Case::Pascal,
                        if v.is_empty() { "Empty" } else { "Value" },
                    )
                }));
                ir::TypeKind::StringEnum(ir::StringEnum {
                    catch_all: catch_all(&variant_names),
                    variants: variant_names
                        .into_iter()
                        .zip(values)
                        .map(|(name, value)| ir::EnumVariant {
                            name,
                            value: value.clone(),
                        })
                        .collect(),
                })
            }
            Kind::IntEnum { values, names } => {
                let variant_names = unique_names(values.iter().enumerate().map(|(i, v)| {
                    let from_value = if *v < 0 {
                        format!("Minus{}", v.unsigned_abs())
                    } else {
                        format!("V{v}")
                    };
                    match names.as_ref().and_then(|n| n.get(i)) {
                        Some(name) => sanitize(name, Case::Pascal, &from_value),
                        None => from_value,
                    }
                }));
                ir::TypeKind::IntEnum(ir::IntEnum {
                    catch_all: catch_all(&variant_names),
                    variants: variant_names
                        .into_iter()
                        .zip(values.iter().copied())
                        .collect(),
                })
            }
            Kind::Union { tag, variants } => {
                let variant_names = unique_names(variants.iter().map(|(n, _, _)| n.clone()));
                ir::TypeKind::Union(ir::Union {
                    tag: tag.clone(),
                    catch_all: tag.as_ref().map(|_| catch_all(&variant_names)),
                    scalar: schema::is_scalar(&Ty::Site(i), sites),
                    variants: variant_names
                        .into_iter()
                        .zip(variants)
                        .map(|(name, (_, tag_value, ty))| ir::UnionVariant {
                            name,
                            tag_value: tag_value.clone(),
                            ty: resolve(ty, names),
                            boxed: false,
                            validates: false,
                        })
                        .collect(),
                })
            }
            Kind::Alias(ty) => ir::TypeKind::Alias(resolve(ty, names)),
        };
        let mut type_origins = origins.remove(names[i].as_str()).unwrap_or_default();
        type_origins.sort();
        type_origins.dedup();
        types.push(ir::TypeDef {
            name: names[i].clone(),
            doc: site.doc.clone(),
            kind,
            validate: false,
            origins: type_origins,
        });
    }
    mark_boxes(&mut types);
    choose_decoders(&mut types);
    types
}

/// The variant for values an enum does not list: `Unknown`, unless a listed value took that name.
fn catch_all(variants: &[String]) -> String {
    ["Unknown", "UnknownValue", "Unlisted"]
        .into_iter()
        .find(|c| !variants.iter().any(|v| v == c))
        .unwrap_or("UnknownValue_")
        .to_owned()
}

fn build_fields(fields: &[DraftField], names: &[String]) -> Vec<ir::Field> {
    let rust_names = unique_names(
        fields
            .iter()
            .map(|f| sanitize(&f.api_name, Case::Snake, "field")),
    );
    // Setters share one namespace with the struct's and builder's own methods: `type` (setter
    // `with_type`) beside a property named `with_type` gives `with_type` and `with_type_2`.
    let mut methods = struct_methods();
    let mut claim = |candidate: String| claim_name(&mut methods, candidate);
    let setters: Vec<(String, Option<String>)> = fields
        .iter()
        .zip(&rust_names)
        .map(|(f, name)| {
            let setter = claim(crate::naming::setter_name(name));
            if f.required {
                return (setter, None);
            }
            let null = f.nullable.then(|| {
                claim(format!(
                    "{}_null",
                    crate::naming::unraw(&setter).trim_end_matches('_')
                ))
            });
            (setter, null)
        })
        .collect();
    fields
        .iter()
        .zip(rust_names)
        .zip(setters)
        .map(|((f, name), (setter, null_setter))| ir::Field {
            setter,
            null_setter,
            name,
            api_name: f.api_name.clone(),
            doc: Some(
                f.doc
                    .clone()
                    .unwrap_or_else(|| format!("The `{}` property.", f.api_name)),
            ),
            ty: resolve(&f.ty, names),
            required: f.required,
            nullable: f.nullable,
            boxed: false,
            decoder: None,
            rules: f.rules.clone(),
            nested_validate: false,
            count_only: false,
        })
        .collect()
}

/// Chooses each struct field's runtime deserializer, once boxes are known.
fn choose_decoders(types: &mut [ir::TypeDef]) {
    use ir::FieldDecoder;
    for def in types {
        let ir::TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for field in &mut s.fields {
            let integer = matches!(field.ty, TypeRef::Integer(_)) && !field.boxed;
            let optional = !field.required;
            field.decoder = match (integer, optional, field.nullable) {
                (true, true, true) => Some(FieldDecoder::LenientIntNullable),
                (true, false, false) => Some(FieldDecoder::LenientInt),
                (true, _, _) => Some(FieldDecoder::LenientIntOpt),
                (false, true, true) => Some(FieldDecoder::Nullable),
                (false, _, _) => None,
            };
        }
    }
}

/// Gives every operation whose parameters are all optional a second method that takes them
/// (`list_pets_with`), named after the operation and clear of every other method of the module.
fn name_with_methods(operations: &mut [ir::Operation]) {
    let mut methods: BTreeSet<String> = operations
        .iter()
        .map(|op| crate::naming::unraw(&op.name).to_owned())
        .chain(["new", "client"].map(str::to_owned))
        .collect();
    for op in operations.iter_mut() {
        let stem = crate::naming::unraw(&op.name)
            .trim_end_matches('_')
            .to_owned();
        if let Some(params) = &mut op.params {
            if params.params.iter().all(|p| !p.required) {
                params.with_method = Some(claim_name(&mut methods, format!("{stem}_with")));
            }
        }
    }
}

/// The methods of a generated struct and its builder, which no setter may take.
pub(crate) fn struct_methods() -> BTreeSet<String> {
    ["new", "builder", "build"].map(str::to_owned).into()
}

/// A name not in `used`, now taken: `candidate` when it is free, else the first free of
/// `Name2`, `Name3`… for type-case names and `name_2`, `name_3`… for the others. Names are
/// compared without their raw prefix (`r#type` and `type` are one name), and trailing
/// underscores go before a suffix (`self_` + 2 reads `self_2`, not `self__2`).
pub(crate) fn claim_name(used: &mut BTreeSet<String>, candidate: String) -> String {
    use crate::naming::unraw;
    let bare = unraw(&candidate);
    let trimmed = bare.trim_end_matches('_');
    let stem = if trimmed.is_empty() { bare } else { trimmed }.to_owned();
    let sep = if stem.starts_with(|c: char| c.is_ascii_uppercase()) {
        ""
    } else {
        "_"
    };
    let chosen = std::iter::once(candidate.clone())
        .chain((2..).map(|n| format!("{stem}{sep}{n}")))
        .find(|name| !used.contains(unraw(name)))
        .unwrap_or(candidate);
    used.insert(unraw(&chosen).to_owned());
    chosen
}

/// Makes names unique by suffixing repeats, as [`claim_name`] does.
pub(crate) fn unique_names(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut used = BTreeSet::new();
    names
        .into_iter()
        .map(|name| claim_name(&mut used, name))
        .collect()
}

/// Marks fields and variants whose type leads back to the enclosing type without passing through
/// a `Vec` or map, which would make the type infinitely sized.
fn mark_boxes(types: &mut [ir::TypeDef]) {
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let direct = |ty: &TypeRef| match ty {
        TypeRef::Named(n) => index.get(n).copied(),
        _ => None,
    };
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            ir::TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
            ir::TypeKind::Union(u) => u.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
            ir::TypeKind::Alias(ty) => direct(ty).into_iter().collect(),
            _ => Vec::new(),
        })
        .collect();
    let reaches = |from: usize, to: usize| {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(edges[n].iter().copied());
            }
        }
        false
    };
    let mut boxes: Vec<(usize, usize)> = Vec::new();
    for (t, def) in types.iter().enumerate() {
        let members: Vec<&TypeRef> = match &def.kind {
            ir::TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
            ir::TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            _ => Vec::new(),
        };
        for (m, ty) in members.into_iter().enumerate() {
            if let Some(target) = direct(ty)
                && reaches(target, t)
            {
                boxes.push((t, m));
            }
        }
    }
    for (t, m) in boxes {
        match &mut types[t].kind {
            ir::TypeKind::Struct(s) => s.fields[m].boxed = true,
            ir::TypeKind::Union(u) => u.variants[m].boxed = true,
            _ => {}
        }
    }
}
