//! Limits a schema states (lengths, ranges, item counts, patterns) → `ir::Rule`s, and which
//! types must therefore validate before a request is sent.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::schema::{Unsupported, resolve_schema};
use crate::ir::{self, Rule, TypeRef};

/// The rules of a property or parameter schema. A `$ref` contributes the limits of the scalar
/// or array component it names (an alias such as `Name: {type: string, maxLength: 64}`).
pub fn rules_of(
    components: Option<&IndexMap<String, ReferenceOr<Schema>>>,
    schema: &ReferenceOr<Schema>,
    pointer: &str,
    warnings: &mut Vec<Unsupported>,
) -> Vec<Rule> {
    match resolve_schema(components, schema) {
        Some(schema) => schema_rules(components, schema, pointer, warnings),
        None => Vec::new(),
    }
}

/// As [`rules_of`], for the boxed references properties hold.
pub fn rules_of_boxed(
    components: Option<&IndexMap<String, ReferenceOr<Schema>>>,
    schema: &ReferenceOr<Box<Schema>>,
    pointer: &str,
    warnings: &mut Vec<Unsupported>,
) -> Vec<Rule> {
    match schema {
        ReferenceOr::Item(schema) => schema_rules(components, schema, pointer, warnings),
        ReferenceOr::Reference { reference } => rules_of(
            components,
            &ReferenceOr::Reference {
                reference: reference.clone(),
            },
            pointer,
            warnings,
        ),
    }
}

fn schema_rules(
    components: Option<&IndexMap<String, ReferenceOr<Schema>>>,
    schema: &Schema,
    pointer: &str,
    warnings: &mut Vec<Unsupported>,
) -> Vec<Rule> {
    let mut rules = Vec::new();
    let SchemaKind::Type(ty) = &schema.schema_kind else {
        return rules;
    };
    match ty {
        Type::String(s) => {
            // Enumerated strings are typed; their values need no length check.
            if !s.enumeration.is_empty() {
                return rules;
            }
            rules.extend(
                s.min_length
                    .filter(|n| *n > 0)
                    .map(|n| Rule::MinLength(n as u64)),
            );
            rules.extend(s.max_length.map(|n| Rule::MaxLength(n as u64)));
            if let Some(pattern) = &s.pattern {
                match regress::Regex::new(pattern) {
                    Ok(_) => rules.push(Rule::Pattern(pattern.clone())),
                    Err(err) => warnings.push(Unsupported {
                        pointer: format!("{pointer}/pattern"),
                        message: format!(
                            "pattern `{pattern}` is not an ECMAScript regular expression ({err}); it is not checked"
                        ),
                    }),
                }
            }
        }
        Type::Integer(i) => {
            if !i.enumeration.is_empty() {
                return rules;
            }
            push_bounds(
                &mut rules,
                i.minimum.map(|v| v as f64),
                i.exclusive_minimum,
                i.maximum.map(|v| v as f64),
                i.exclusive_maximum,
            );
            rules.extend(i.multiple_of.map(|m| Rule::MultipleOf(m as f64)));
        }
        Type::Number(n) => {
            if !n.enumeration.is_empty() {
                return rules;
            }
            push_bounds(
                &mut rules,
                n.minimum,
                n.exclusive_minimum,
                n.maximum,
                n.exclusive_maximum,
            );
            rules.extend(n.multiple_of.map(Rule::MultipleOf));
        }
        Type::Array(a) => {
            rules.extend(
                a.min_items
                    .filter(|n| *n > 0)
                    .map(|n| Rule::MinItems(n as u64)),
            );
            rules.extend(a.max_items.map(|n| Rule::MaxItems(n as u64)));
            if let Some(items) = &a.items {
                let item_rules =
                    rules_of_boxed(components, items, &format!("{pointer}/items"), warnings);
                if !item_rules.is_empty() {
                    rules.push(Rule::Items(item_rules));
                }
            }
        }
        Type::Object(_) | Type::Boolean(_) => {}
    }
    rules
}

fn push_bounds(
    rules: &mut Vec<Rule>,
    minimum: Option<f64>,
    exclusive_minimum: bool,
    maximum: Option<f64>,
    exclusive_maximum: bool,
) {
    if let Some(min) = minimum {
        rules.push(if exclusive_minimum {
            Rule::ExclusiveMinimum(min)
        } else {
            Rule::Minimum(min)
        });
    }
    if let Some(max) = maximum {
        rules.push(if exclusive_maximum {
            Rule::ExclusiveMaximum(max)
        } else {
            Rule::Maximum(max)
        });
    }
}

/// The generated types a type refers to (through `Vec`, maps, `Option`).
fn named_in(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            named_in(inner, out)
        }
        _ => {}
    }
}

fn references(kind: &ir::TypeKind) -> Vec<String> {
    let mut out = Vec::new();
    match kind {
        ir::TypeKind::Struct(s) => {
            for field in &s.fields {
                named_in(&field.ty, &mut out);
            }
            if let Some(additional) = &s.additional {
                named_in(additional, &mut out);
            }
        }
        ir::TypeKind::Union(u) => {
            for variant in &u.variants {
                named_in(&variant.ty, &mut out);
            }
        }
        ir::TypeKind::Alias(ty) => named_in(ty, &mut out),
        ir::TypeKind::StringEnum(_) | ir::TypeKind::IntEnum(_) => {}
    }
    out
}

/// The type with aliases and `Option` wrappers seen through.
fn underlying<'t>(ty: &'t TypeRef, aliases: &'t BTreeMap<String, TypeRef>) -> &'t TypeRef {
    let mut ty = ty;
    for _ in 0..16 {
        ty = match ty {
            TypeRef::Named(name) => match aliases.get(name) {
                Some(target) => target,
                None => return ty,
            },
            TypeRef::Nullable(inner) => inner,
            _ => return ty,
        };
    }
    ty
}

/// An array of anything but strings and numbers (objects, unions, enums) can only have its item
/// count checked here: its items are typed or check themselves. Keeps only the count rules
/// then, and says so.
fn restrict_to_counts(
    ty: &TypeRef,
    aliases: &BTreeMap<String, TypeRef>,
    rules: &mut Vec<Rule>,
) -> bool {
    let TypeRef::Array(item) = underlying(ty, aliases) else {
        return false;
    };
    if is_scalar(underlying(item, aliases)) {
        return false;
    }
    rules.retain(|r| matches!(r, Rule::MinItems(_) | Rule::MaxItems(_)));
    true
}

/// Strings and numbers: values limits apply to directly.
fn is_scalar(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String | TypeRef::Integer(_) | TypeRef::Float(_) => true,
        TypeRef::Nullable(inner) => is_scalar(inner),
        _ => false,
    }
}

/// Whether a type refers to a validating type.
fn holds(ty: &TypeRef, validating: &BTreeSet<String>) -> bool {
    let mut names = Vec::new();
    named_in(ty, &mut names);
    names.iter().any(|n| validating.contains(n))
}

/// Marks the types that validate: reachable from a request body (or parameters) and holding
/// rules, directly or through the types they contain. Only those get `Validate` impls, so
/// response-only types cost nothing to compile.
pub fn mark_validating(module: &mut ir::Module) {
    let index: BTreeMap<String, usize> = module
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    // Types a request can carry.
    let mut reachable = BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    for op in &module.operations {
        if let Some(body) = &op.body {
            named_in(&body.ty, &mut stack);
        }
    }
    while let Some(name) = stack.pop() {
        if !reachable.insert(name.clone()) {
            continue;
        }
        if let Some(&i) = index.get(&name) {
            stack.extend(references(&module.types[i].kind));
        }
    }
    // Fixed point: a reachable type validates when it has rules or holds a validating type.
    let mut validating: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = validating.len();
        for def in &module.types {
            if !reachable.contains(&def.name) || validating.contains(&def.name) {
                continue;
            }
            let validates = match &def.kind {
                ir::TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .any(|f| !f.rules.is_empty() || holds(&f.ty, &validating)),
                ir::TypeKind::Union(u) => u.variants.iter().any(|v| holds(&v.ty, &validating)),
                ir::TypeKind::Alias(ty) => holds(ty, &validating),
                ir::TypeKind::StringEnum(_) | ir::TypeKind::IntEnum(_) => false,
            };
            if validates {
                validating.insert(def.name.clone());
            }
        }
        if validating.len() == before {
            break;
        }
    }
    let aliases: BTreeMap<String, TypeRef> = module
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            ir::TypeKind::Alias(ty) => Some((t.name.clone(), ty.clone())),
            _ => None,
        })
        .collect();
    for def in &mut module.types {
        def.validate = validating.contains(&def.name);
        if let ir::TypeKind::Union(u) = &mut def.kind {
            for variant in &mut u.variants {
                variant.validates = def.validate && holds(&variant.ty, &validating);
            }
        }
        if let ir::TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                field.nested_validate = def.validate && holds(&field.ty, &validating);
                if !def.validate {
                    // Rules on response-only types are never checked; keep the IR honest.
                    field.rules.clear();
                }
                field.count_only = restrict_to_counts(&field.ty, &aliases, &mut field.rules);
            }
        }
    }
    for op in &mut module.operations {
        if let Some(body) = &mut op.body {
            body.validate = holds(&body.ty, &validating);
        }
        for p in &mut op.path_params {
            // A path parameter is checked as one value; an array of typed items has no rule
            // that applies to it directly.
            if restrict_to_counts(&p.ty, &aliases, &mut p.rules) {
                p.rules.clear();
            }
        }
        for p in op.params.iter_mut().flat_map(|ps| ps.params.iter_mut()) {
            p.count_only = restrict_to_counts(&p.ty, &aliases, &mut p.rules);
        }
        if let Some(params) = &mut op.params {
            params.validate = params.params.iter().any(|p| !p.rules.is_empty());
        }
    }
}
